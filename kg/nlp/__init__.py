"""nlp: the spaCy pipeline, built once per process, and the model it runs; the only stage besides extract that imports spaCy."""

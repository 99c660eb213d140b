"""rdf: extraction records turned into quads (deterministic IRIs, no I/O), and the SHACL check of what is written."""

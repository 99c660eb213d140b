"""load: files to the store: documents in batches, extracted here, in worker processes or on Dask, written whole by one writer."""

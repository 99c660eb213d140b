"""ingest: the files a load names, read and cleaned into `Document` records (decode, page furniture, dateline, date)."""

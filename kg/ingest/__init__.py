"""ingest: the files a load names, read and cleaned into `Document` records (decode, page furniture, dateline, date)."""

MAX_SIZE = 20_000_000  # bytes of one document, unless --max-size says otherwise

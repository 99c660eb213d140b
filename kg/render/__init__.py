"""render: query results, graphs and extractions written out for people (tables) and tools (W3C formats, RDF, CSV)."""

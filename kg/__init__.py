"""kg: a knowledge-graph builder for news.

The Python API mirrors the command line: `open_store()` opens a store, which
`kg.load.loader.load()` fills with articles; `query()` runs SPARQL over it and `export()`
writes it out.
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "query", "export", "open_store"]


def __getattr__(name: str):
    """Import the heavy parts only when they are used, so `kg query` starts fast."""
    if name in ("query", "export"):
        from kg import api
        return getattr(api, name)
    if name == "open_store":
        from kg.store import open_store
        return open_store
    raise AttributeError(name)

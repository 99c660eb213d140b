"""kg: a knowledge-graph builder for news.

The Python API mirrors the command line: `kg.open(location)` gives a `Graph`, whose
`load()` reads articles into the store, `query()` answers SPARQL or a saved query with
rows of Python values, and `export()`, `remove()`, `stats()` do what their commands do.
Every failure is a `KgError`.
"""
from __future__ import annotations

__version__ = "0.1.0"

# `open` is left out, so that `from kg import *` does not hide the built-in open(): call kg.open().
__all__ = ["__version__", "Graph", "Rows", "KgError", "open_store"]


def __getattr__(name: str):
    """Import the heavy parts only when they are used, so `kg query` starts fast."""
    if name in ("open", "Graph"):
        from kg import api
        return getattr(api, name)
    if name == "Rows":
        from kg.render.rows import Rows
        return Rows
    if name == "KgError":
        from kg.errors import KgError
        return KgError
    if name == "open_store":
        from kg.store import open_store
        return open_store
    raise AttributeError(name)

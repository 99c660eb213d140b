"""store: the one place a store is opened: on disk (pyoxigraph) or on a SPARQL 1.1 server, behind one interface."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pyoxigraph as ox


class Store(Protocol):
    """What a store does, on disk (`kg.store.disk.DiskStore`) or on a SPARQL 1.1 server
    (`kg.store.sparql_server.ServerStore`).

    Each document is one named graph, named by the document's IRI, and is always whole or
    absent. Queries see the union of the document graphs. `location` names the store in
    messages (a folder, or a URL without credentials).
    """

    location: str
    write_batch: int  # documents per write that suit this store

    def document_hashes(self) -> dict[str, str]:
        """The content hash of every loaded document, by document IRI."""

    def write_documents(self, graphs: list[tuple[str, bytes]]) -> int:
        """Write documents given as (graph IRI, N-Quads), each replacing any earlier graph of
        that name, all or nothing; returns the number of quads written."""

    def remove_documents(self, name: str) -> list[str]:
        """Drop the documents a file name, document id or IRI names; returns their file names."""

    def ensure_ontology(self) -> None:
        """Load the ontology graph, or replace it when the Turtle files have changed."""

    def optimize(self) -> None:
        """Compact after large writes, where the store needs it."""

    def query(self, sparql: str, substitutions: dict | None = None, prefixes: dict | None = None):
        """Run SPARQL over the union of the graphs: solutions, a boolean or triples."""

    def update(self, sparql: str, prefixes: dict | None = None) -> None:
        """Run SPARQL Update as one transaction."""

    def quads(self, *, include_ontology: bool = False) -> Iterator[ox.Quad]:
        """Every quad of the document graphs (and of the ontology graph if asked)."""

    def documents(self) -> list[ox.NamedNode]:
        """The IRIs of the loaded documents, sorted."""

    def __len__(self) -> int:
        """The number of quads in the store."""

    def close(self) -> None:
        """Release the store (and its writer lock)."""


def default_store_path() -> str:
    return os.environ.get("KG_STORE") or ".kg"


def is_remote(location: str | os.PathLike | None) -> bool:
    """Whether a store location names a SPARQL server.

    >>> is_remote("http://127.0.0.1:7878"), is_remote("https://x.org/ds"), is_remote(".kg")
    (True, True, False)
    """
    return str(location or "").lower().startswith(("http://", "https://"))


@contextmanager
def open_store(location: str | os.PathLike | None = None, *, write: bool = False) -> Iterator[Store]:
    """The store at a directory, or on the SPARQL server a http(s) URL names."""
    location = location or default_store_path()
    if is_remote(location):
        from kg.store.sparql_server import ServerStore  # HTTP machinery only for a server
        store = ServerStore(str(location), write=write)
    else:
        from kg.store.disk import DiskStore
        store = DiskStore(location, write=write)
    try:
        yield store
    finally:
        store.close()

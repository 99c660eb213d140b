"""store: the one place a store is opened: on disk (pyoxigraph) or on a SPARQL 1.1 server, behind one interface."""
from __future__ import annotations

import os
import urllib.parse
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
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
        that name, all or nothing; returns the number of quads written. Every quad of a
        document lies in its own graph, as kg writes them."""

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
        """The IRIs of the loaded documents (graphs whose document is a kg:Document), sorted."""

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


def public_url(url: str) -> str:
    """The URL without user information, for messages.

    >>> public_url("https://ann:secret@db.example.org:3030/ds")
    'https://db.example.org:3030/ds'
    """
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port:
        netloc += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))


@dataclass(frozen=True, repr=False)
class Location:
    """Where a store is: a folder, or the URL of a SPARQL server with any credentials in it.

    It holds no open handle, so it can go where an open store must not: into a forked
    child process, which opens the store itself (a database handle does not survive a fork).

    >>> Location.of("https://ann:secret@db.example.org/ds")
    Location('https://db.example.org/ds')
    >>> Location.of("./graph/").public, Location.of("./graph/").remote
    ('graph', False)
    """

    address: str

    @classmethod
    def of(cls, location: Location | str | os.PathLike | None) -> Location:
        """The location a `--store` value names; none means $KG_STORE, else ./.kg."""
        if isinstance(location, Location):
            return location
        return cls(str(location or default_store_path()))

    @property
    def remote(self) -> bool:
        return is_remote(self.address)

    @property
    def public(self) -> str:
        """The name for messages: the folder, or the URL without credentials."""
        return public_url(self.address) if self.remote else str(Path(self.address))

    def __repr__(self) -> str:
        return f"Location({self.public!r})"

    @contextmanager
    def open(self, *, write: bool = False) -> Iterator[Store]:
        """The store here, closed when the block ends."""
        if self.remote:
            from kg.store.sparql_server import ServerStore  # HTTP machinery only for a server
            store: Store = ServerStore(self.address, write=write)
        else:
            from kg.store.disk import DiskStore
            store = DiskStore(self.address, write=write)
        try:
            yield store
        finally:
            store.close()


def open_store(location: Location | str | os.PathLike | None = None, *,
               write: bool = False) -> AbstractContextManager[Store]:
    """The store at a directory, or on the SPARQL server a http(s) URL names."""
    return Location.of(location).open(write=write)

"""store: the one place a store is opened: on disk (pyoxigraph) or on a SPARQL 1.1 server, behind one interface."""
from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Iterator
from contextlib import AbstractContextManager, closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from kg.errors import UsageError

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


@dataclass(frozen=True, repr=False)
class ServerURL:
    """A server URL cut into the part that names it in messages and its credentials.

    The user information is everything before the last `@` of the URL, so a password may
    hold `/`, `#`, `?`, `:` or `@` without being taken for a path, a port or a host (an `@`
    in the path must be written %40). Credentials never appear in its repr.

    >>> url = ServerURL.of("http://alice:pa/ss#w?rd@Example.org:3030/ds/?x=1")
    >>> url.public, url.user, url.password
    ('http://example.org:3030/ds', 'alice', 'pa/ss#w?rd')
    >>> ServerURL.of("https://db.example.org").public
    'https://db.example.org'
    """

    public: str
    user: str
    password: str

    @classmethod
    def of(cls, url: str) -> ServerURL:
        scheme, _, rest = url.partition("://")
        userinfo, at, hostpart = rest.rpartition("@")
        user, _, password = userinfo.partition(":") if at else ("", "", "")
        authority, path = re.match(r"([^/?#]*)([^?#]*)", hostpart).groups()
        host, port = re.match(r"(\[[^\]]*\]|[^:]*)(?::(.*))?$", authority).groups()
        named = f"{scheme.lower()}://{host.lower()}"
        if port and not port.isdigit():
            raise UsageError(f"the store URL {named} has a port that is not a number: {port!r}")
        if not host:
            raise UsageError(f"the store URL {named}{path} names no host")
        public = named + (f":{int(port)}" if port else "") + path.rstrip("/")
        return cls(public, urllib.parse.unquote(user), urllib.parse.unquote(password))

    def __repr__(self) -> str:
        return f"ServerURL({self.public!r})"


def public_url(url: str) -> str:
    """The URL without user information, for messages.

    >>> public_url("https://ann:secret@db.example.org:3030/ds")
    'https://db.example.org:3030/ds'
    """
    return ServerURL.of(url).public


@dataclass(frozen=True, repr=False)
class Location:
    """Where a store is: a folder, or the URL of a SPARQL server with any credentials in it.

    It holds no open handle, so it can go where an open store must not: into a forked
    child process, which opens the store itself (a database handle does not survive a fork).
    A server URL is read once, when the location is made: a malformed one is refused then,
    in words that never show its credentials.

    >>> Location.of("https://ann:secret@db.example.org/ds")
    Location('https://db.example.org/ds')
    >>> Location.of("./graph/").public, Location.of("./graph/").remote
    ('graph', False)
    """

    address: str
    server: ServerURL | None = field(default=None, compare=False)

    @classmethod
    def of(cls, location: Location | str | os.PathLike | None) -> Location:
        """The location a `--store` value names; none means $KG_STORE, else ./.kg."""
        if isinstance(location, Location):
            return location
        address = str(location or default_store_path())
        return cls(address, ServerURL.of(address) if is_remote(address) else None)

    @property
    def remote(self) -> bool:
        return self.server is not None

    @property
    def public(self) -> str:
        """The name for messages: the folder, or the URL without credentials."""
        return self.server.public if self.server is not None else str(Path(self.address))

    def __repr__(self) -> str:
        return f"Location({self.public!r})"

    @contextmanager
    def open(self, *, write: bool = False) -> Iterator[Store]:
        """The store here, closed when the block ends."""
        if self.server is not None:
            from kg.store.sparql_server import ServerStore  # HTTP machinery only for a server
            with closing(ServerStore(self.server, write=write)) as store:
                yield store
        else:
            from kg.store.disk import DiskStore, damage_reported
            with damage_reported(self.public), closing(DiskStore(self.address, write=write)) as disk:
                yield disk


def open_store(location: Location | str | os.PathLike | None = None, *,
               write: bool = False) -> AbstractContextManager[Store]:
    """The store at a directory, or on the SPARQL server a http(s) URL names."""
    return Location.of(location).open(write=write)

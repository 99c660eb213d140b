"""The store on disk: an Oxigraph database in a folder.

Each document is one named graph, and a batch of documents is written in one step, so a
document is always whole or absent: new documents through Oxigraph's bulk loader (which
writes sorted files and adds them to the database in one atomic ingestion), documents
that replace earlier versions in one transaction that drops and re-inserts their graphs. The
ontology and gazetteer live in a graph of their own, refreshed when the files change.
"""
from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from kg.errors import QuerySyntaxError, StoreError, StoreInUse, message_line
from kg.store.common import (DOCUMENT_HASHES, DOCUMENTS, ONTOLOGY, as_ntriples, documents_named, drop_graphs,
                             ontology_is_current, ontology_nquads, quad_count, removal, syntax_message)
from kg.vocab import ontology_fingerprint

LOCK_NAME = "kg-writer.lock"
DATABASE_FILE = re.compile(r"^(?:\d+\.(?:sst|log|blob)|MANIFEST-\d+|OPTIONS-\d+|CURRENT|IDENTITY|LOCK|LOG(?:\.old.*)?)$")
BACKUP_ADVICE = ("Keep a copy before anything else: copy the folder aside (cp -a {folder} {folder}.damaged), "
                 "then load the articles again into a new store")


class DiskStore:
    """An Oxigraph store on disk, opened for reading or for writing."""

    write_batch = 256  # documents per write: each bulk load call has a high fixed cost

    def __init__(self, path: str | os.PathLike, *, write: bool = False):
        folder = Path(path)
        self.location = str(folder)
        self.write = write
        self._lock = None
        if write:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create store {self.location}: {exc.strerror or exc}") from exc
            self._lock = acquire_writer_lock(folder)
            try:
                refuse_foreign_files(folder)
            except StoreError:
                self._lock.close()
                raise
            self._store = self._open(lambda: ox.Store(self.location))
        else:
            refuse_foreign_files(folder)
            if not (folder / "CURRENT").exists():
                raise StoreError(f"no store at {self.location}: run `kg load` first")
            self._store = self._open(lambda: ox.Store.read_only(self.location))

    def _open(self, opener) -> ox.Store:
        try:
            return opener()
        except (OSError, RuntimeError, ValueError) as exc:
            message = str(exc)
            if is_corruption(exc):
                raise damaged(self.location, exc) from exc
            if "lock" in message.lower():
                raise StoreInUse(f"store {self.location} in use by another process") from exc
            raise StoreError(f"cannot open store {self.location}: {message_line(exc)}") from exc

    def close(self) -> None:
        if self.write:
            try:
                self._store.flush()
            except OSError:
                pass
        del self._store
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def __enter__(self) -> "DiskStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---------------------------------------------------------------- writing

    def document_hashes(self) -> dict[str, str]:
        """Content hash of every loaded document, by document IRI."""
        return {row["g"].value: row["h"].value for row in self._store.query(DOCUMENT_HASHES)}

    def write_documents(self, graphs: list[tuple[str, bytes]]) -> int:
        """Write documents given as N-Quads, each in its own graph and replacing any earlier
        graph of that name, all or nothing.

        A batch of new documents goes through the bulk loader: about twice the rate of a
        transaction, and still atomic (pyoxigraph 0.5 ingests all its files at once). A
        batch that replaces documents already in the store goes through one update that
        drops their graphs and inserts the batch, since no transaction spans both a drop
        and a bulk load. Returns the number of quads written.
        """
        if not graphs:
            return 0
        existing = [graph for graph, _ in graphs if self._store.contains_named_graph(ox.NamedNode(graph))]
        try:
            if existing:
                self._store.update(replacement(graphs, existing))
            else:
                data = b"".join(nquads for _, nquads in graphs)
                self._store.bulk_load(data, format=ox.RdfFormat.N_QUADS, lenient=True)  # written by kg itself
        except (OSError, SyntaxError) as exc:
            raise self.write_error(exc) from exc
        return quad_count(graphs)

    def optimize(self) -> None:
        """Compact the database after bulk writes: each batch adds small sorted files, and
        until they are merged every read looks through all of them (a query on 1,000 new
        documents runs about twice as long)."""
        try:
            self._store.optimize()
        except OSError as exc:
            raise self.write_error(exc) from exc

    def write_error(self, exc: Exception) -> StoreError:
        """The one-line error for a write the database refused."""
        return StoreError(f"cannot write to store {self.location}: {message_line(exc)}")

    def remove_documents(self, name: str) -> list[str]:
        """Drop, in one transaction, the graphs of the documents a name matches: a file name,
        a document id or a document IRI. Returns their file names."""
        drops, files = removal(self._store.query(documents_named(name)), name, self.location)
        try:
            self._store.update(drops)
        except OSError as exc:
            raise self.write_error(exc) from exc
        return files

    def ensure_ontology(self) -> None:
        """Load the ontology graph, or reload it when the Turtle files have changed."""
        fingerprint = ontology_fingerprint()
        if not self._store.query(ontology_is_current(fingerprint)):
            self.write_documents([(ONTOLOGY.value, ontology_nquads(fingerprint))])

    # ---------------------------------------------------------------- reading

    def query(self, sparql: str, substitutions: dict | None = None, prefixes: dict | None = None):
        """Run SPARQL over the union of all graphs."""
        try:
            return self._store.query(sparql, use_default_graph_as_union=True,
                                     substitutions=substitutions or None, prefixes=prefixes)
        except SyntaxError as exc:
            raise QuerySyntaxError(syntax_message(str(exc))) from exc
        except OSError as exc:
            raise StoreError(f"query failed: {message_line(exc)}") from exc

    def update(self, sparql: str, prefixes: dict | None = None) -> None:
        """Run SPARQL Update in one transaction (only for a store opened for writing)."""
        try:
            self._store.update(sparql, prefixes=prefixes)
        except SyntaxError as exc:
            raise QuerySyntaxError(syntax_message(str(exc))) from exc
        except OSError as exc:
            raise StoreError(f"update failed: {message_line(exc)}") from exc

    def quads(self, *, include_ontology: bool = False) -> Iterator[ox.Quad]:
        """Every quad of the document graphs (and the ontology graph if asked)."""
        for quad in self._store:
            if include_ontology or quad.graph_name != ONTOLOGY:
                yield quad

    def documents(self) -> list[ox.NamedNode]:
        return [row["g"] for row in self._store.query(DOCUMENTS)]

    def __len__(self) -> int:
        return len(self._store)


def replacement(graphs: list[tuple[str, bytes]], existing: list[str]) -> str:
    """One SPARQL update that drops the `existing` graphs and inserts every document, its
    INSERT DATA written from the documents' own N-Quads lines.

    >>> print(replacement([("http://g", b'<s> <p> "o" <http://g> .\\n')], ["http://g"]))
    DROP SILENT GRAPH <http://g> ;
    INSERT DATA {
    GRAPH <http://g> {
    <s> <p> "o" .
    }
    }
    """
    blocks = "\n".join(f"GRAPH <{graph}> {{\n{as_ntriples(nquads, graph).decode()}}}" for graph, nquads in graphs)
    return f"{drop_graphs(existing)} ;\nINSERT DATA {{\n{blocks}\n}}"


def is_corruption(exc: BaseException) -> bool:
    """Whether the database reports damaged files (a checksum that does not match, a
    truncated block), rather than a mistake in what it was asked.

    >>> is_corruption(RuntimeError("Corruption: block checksum mismatch")), is_corruption(OSError("disk full"))
    (True, False)
    """
    return "Corruption:" in str(exc)


def damaged(location: str, exc: BaseException) -> StoreError:
    """The one-line error for a store whose files are damaged, with what to do about it."""
    return StoreError(f"store {location} is damaged: {message_line(exc)}. {BACKUP_ADVICE.format(folder=location)}")


@contextmanager
def damage_reported(location: str) -> Iterator[None]:
    """Report damage the database finds while the block reads or writes the store as one
    line, whichever call met it."""
    try:
        yield
    except (RuntimeError, OSError) as exc:
        if not is_corruption(exc):
            raise
        raise damaged(location, exc) from None


def refuse_foreign_files(folder: Path) -> None:
    """Refuse a folder that holds files but no store: the database would start a new store
    there and, at its next start, delete every file of an old one it cannot account for.

    A store's files without its CURRENT file (the pointer to the live MANIFEST) are a
    damaged store; anything else there is not a store at all. Either way nothing is written."""
    if (folder / "CURRENT").exists() or not folder.is_dir():
        return
    present = sorted(path.name for path in folder.iterdir() if path.name != LOCK_NAME)
    if not present:
        return
    if any(DATABASE_FILE.match(name) for name in present):
        raise StoreError(f"store {folder} is damaged: it has database files ({', '.join(present[:3])}"
                         f"{' ...' if len(present) > 3 else ''}) but no CURRENT file; nothing was written. "
                         f"{BACKUP_ADVICE.format(folder=folder)}")
    raise StoreError(f"{folder} is not a store: it holds other files ({', '.join(present[:3])}"
                     f"{' ...' if len(present) > 3 else ''}); give an empty or new folder")


def acquire_writer_lock(path: Path):
    """Hold an exclusive lock naming this process, so a second writer learns who has it."""
    try:
        handle = open(path / LOCK_NAME, "a+")
    except OSError as exc:
        raise StoreError(f"cannot write to store {path}: {exc.strerror or exc}") from exc
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        pid = handle.read().strip() or "unknown"
        handle.close()
        raise StoreInUse(f"store {path} in use by another process (pid {pid})") from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle

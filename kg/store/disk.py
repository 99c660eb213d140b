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
from pathlib import Path

import pyoxigraph as ox

from kg.errors import QuerySyntaxError, StoreError, StoreInUse, message_line
from kg.store.common import FINGERPRINT, ONTOLOGY, ontology_quads, syntax_message
from kg.vocab import DOC_NS, KG, ontology_fingerprint

LOCK_NAME = "kg-writer.lock"


class DiskStore:
    """An Oxigraph store on disk, opened for reading or for writing."""

    write_batch = 256  # documents per write: each bulk load call has a high fixed cost

    def __init__(self, path: str | os.PathLike, *, write: bool = False):
        self.path = Path(path)
        self.write = write
        self._lock = None
        if write:
            try:
                self.path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create store {self.path}: {exc.strerror or exc}") from exc
            self._lock = acquire_writer_lock(self.path)
            self._store = self._open(lambda: ox.Store(str(self.path)))
        else:
            if not (self.path / "CURRENT").exists():
                raise StoreError(f"no store at {self.path}: run `kg load` first")
            self._store = self._open(lambda: ox.Store.read_only(str(self.path)))

    def _open(self, opener) -> ox.Store:
        try:
            return opener()
        except (OSError, RuntimeError, ValueError) as exc:
            message = str(exc)
            if "lock" in message.lower():
                raise StoreInUse(f"store {self.path} in use by another process") from exc
            raise StoreError(f"cannot open store {self.path}: {message_line(exc)}") from exc

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
        query = f"SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?g <{KG.contentHash.value}> ?h }} }}"
        return {row["g"].value: row["h"].value for row in self._store.query(query)}

    def write_documents(self, graphs: list[tuple[str, bytes]], replacing: set[str]) -> int:
        """Write documents given as N-Quads, each in its own graph, all or nothing.

        A batch of new documents goes through the bulk loader: about twice the rate of a
        transaction, and still atomic (pyoxigraph 0.5 ingests all its files at once). A
        batch that replaces documents already in the store drops and re-inserts their graphs
        in one update instead. Returns the number of quads written.
        """
        if not graphs:
            return 0
        data = b"".join(nquads for _, nquads in graphs)
        count = data.count(b"\n")
        try:
            if replacing:
                drops = " ;\n".join(f"DROP SILENT GRAPH <{graph}>" for graph in sorted(replacing))
                self._store.update(f"{drops} ;\nINSERT DATA {{\n{nquads_as_graph_blocks(data)}\n}}")
            else:
                self._store.bulk_load(data, format=ox.RdfFormat.N_QUADS, lenient=True)  # written by kg itself
        except (OSError, SyntaxError) as exc:
            raise self.write_error(exc) from exc
        return count

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
        return StoreError(f"cannot write to store {self.path}: {message_line(exc)}")

    def remove_documents(self, name: str) -> list[str]:
        """Drop, in one transaction, the graphs of the documents a name matches: a file name,
        a document id or a document IRI. Returns their file names."""
        query = (f"SELECT ?g ?file ?name WHERE {{ GRAPH ?g {{ ?g <{KG.fileName.value}> ?file }} "
                 f'FILTER(?file = ?name || STR(?g) = ?name || STR(?g) = CONCAT("{DOC_NS}", ?name)) }}')
        rows = list(self._store.query(query, substitutions={ox.Variable("name"): ox.Literal(name)}))
        if not rows:
            raise StoreError(f"no document {name!r} in store {self.path}")
        drops = " ;\n".join(f"DROP GRAPH <{row['g'].value}>" for row in rows)
        try:
            self._store.update(drops)
        except OSError as exc:
            raise self.write_error(exc) from exc
        return sorted(row["file"].value for row in rows)

    def ensure_ontology(self) -> None:
        """Load the ontology graph, or reload it when the Turtle files have changed."""
        current = list(self._store.quads_for_pattern(FINGERPRINT, None, None, ONTOLOGY))
        fingerprint = ontology_fingerprint()
        if current and current[0].object.value == fingerprint:
            return
        quads = ontology_quads(fingerprint)
        self.write_documents([(ONTOLOGY.value, ox.serialize(quads, format=ox.RdfFormat.N_QUADS))],
                             replacing={ONTOLOGY.value} if current else set())

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
        return sorted((g for g in self._store.named_graphs()
                       if isinstance(g, ox.NamedNode) and g.value.startswith(DOC_NS)),
                      key=lambda g: g.value)

    def __len__(self) -> int:
        return len(self._store)


def nquads_as_graph_blocks(nquads: bytes) -> str:
    """N-Quads rewritten as the `GRAPH <g> { ... }` blocks that INSERT DATA takes."""
    triples: dict[str, list[ox.Triple]] = {}
    for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        triples.setdefault(quad.graph_name.value, []).append(quad.triple)
    return "\n".join(f"GRAPH <{g}> {{\n{ox.serialize(t, format=ox.RdfFormat.N_TRIPLES).decode()}}}"
                     for g, t in triples.items())


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

"""`kg load`: files in, one named graph per document out.

Documents stream through: read one at a time, unchanged ones (same content hash) skipped,
the rest extracted a batch at a time (in worker processes when asked) and written a batch
of whole documents per transaction, so memory stays flat and a killed load leaves every
document whole or absent.
"""
from __future__ import annotations

import datetime as dt
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from kg import __version__
from kg.errors import InputError, Interrupted, UsageError
from kg.load.workers import Extracted
from kg.records import Document
from kg.ingest.sources import Source, collect_sources, read_source
from kg.store import open_store

BATCH_DOCS = 32  # documents the model parses together: the fastest size on two cores
WRITE_BYTES = 8 << 20  # at most this much N-Quads waits to be written


@dataclass(frozen=True)
class LoadReport:
    """What a load did, for the summary line."""

    documents: int
    skipped: int
    entities: int
    events: int
    triples: int
    seconds: float
    failures: tuple[tuple[str, str], ...] = ()
    validation: object | None = None


class Loader:
    """One `kg load` run: reads, skips what is unchanged, extracts, writes, validates."""

    def __init__(self, store, date: str | None, total: int, progress: Callable[[int, int], None] | None,
                 validate: bool):
        self.store = store
        self.total = total
        self.date = date
        self.progress = progress
        self.validate = validate
        self.failures: list[tuple[str, str]] = []
        self.known = store.document_hashes()
        self.documents_before = len(self.known)
        self.loaded = self.skipped = self.events = self.triples = self.done = 0
        self.entities: set[str] = set()
        self.reports = []
        self.pending: list[Extracted] = []
        self.pending_bytes = 0

    def documents_to_load(self, sources: list[Source]) -> Iterator[Document]:
        """Read sources one at a time; unchanged and unreadable ones are counted, not yielded."""
        from kg.rdf.quads import document_iri
        for source in sources:
            try:
                document = read_source(source, self.date)
            except InputError as exc:
                self.failures.append((source.name, str(exc)))
                self.tick(1)
                continue
            if self.known.get(document_iri(document.doc_id).value) == document.content_hash:
                self.skipped += 1
                self.tick(1)
                continue
            yield document

    def add(self, batch: list[Extracted]) -> None:
        """Take extracted documents, writing them once enough have gathered."""
        self.pending += batch
        self.pending_bytes += sum(len(e.nquads) for e in batch)
        self.tick(len(batch))
        if len(self.pending) >= self.store.write_batch or self.pending_bytes >= WRITE_BYTES:
            self.flush()

    def flush(self) -> None:
        """Write what has gathered."""
        batch, self.pending, self.pending_bytes = self.pending, [], 0
        if batch:
            self.write(batch)

    def write(self, batch: list[Extracted]) -> None:
        good = [e for e in batch if e.error is None]
        self.failures += [(e.file_name, f"{e.file_name}: {e.error}") for e in batch if e.error]
        self.triples += self.store.write_documents([(e.graph, e.nquads) for e in good])
        for extracted in good:
            self.known[extracted.graph] = extracted.content_hash
            self.entities.update(extracted.entities)
            self.events += extracted.events
        self.loaded += len(good)
        if self.validate and good:
            from kg.rdf.shacl import validate_nquads
            self.reports.append(validate_nquads(b"".join(e.nquads for e in good)))

    def tick(self, n: int) -> None:
        self.done += n
        if self.progress:
            self.progress(self.done, self.total)


class BackgroundWriter:
    """Writes and checks batches on a thread of its own, so that the store's work (which
    Oxigraph does outside the interpreter lock) overlaps the model's."""

    def __init__(self, write: Callable[[list], None], finish: Callable[[], None]):
        self.write, self.finish = write, finish
        self.queue: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.closed = False
        self.thread = threading.Thread(target=self.run, name="kg-writer", daemon=True)
        self.thread.start()

    def run(self) -> None:
        while (batch := self.queue.get()) is not None:
            self.attempt(self.write, batch)
        self.attempt(self.finish)

    def attempt(self, step: Callable, *args) -> None:
        if self.error is None:
            try:
                step(*args)
            except BaseException as exc:  # handed to the loading thread
                self.error = exc

    def put(self, batch: list) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(batch)

    def close(self) -> None:
        """Write what is queued and finish; raise what went wrong on the way."""
        if not self.closed:
            self.closed = True
            self.queue.put(None)
            self.thread.join()
        if self.error is not None:
            error, self.error = self.error, None
            raise error


def load(paths: Iterable[str], store_path: str | None = None, *, date: str | None = None,
         model: str | None = None, workers: int = 1, cluster: str | None = None, validate: bool = True,
         progress: Callable[[int, int], None] | None = None,
         stdin: Callable[[], bytes] | None = None) -> LoadReport:
    """Load articles into the store and report what was done."""
    from kg.nlp.model import model_name
    from kg.load.workers import Extractor
    from kg.rdf.shacl import merge

    started = time.perf_counter()
    if date is not None:
        validate_date(date)
    if workers < 1:
        raise UsageError("--workers must be at least 1")
    sources, failures = collect_sources(paths, stdin)
    workers = min(workers, -(-len(sources) // BATCH_DOCS)) or 1  # no pool for a handful of files
    version = f"kg {__version__}; {model_name(model)}"
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    if cluster:
        from kg.load.dask import ClusterExtractor
        extraction = ClusterExtractor(cluster, model=model, stamp=stamp, version=version, batch_size=BATCH_DOCS)
    else:
        extraction = Extractor(model=model, workers=workers, stamp=stamp, version=version, batch_size=BATCH_DOCS)
    with extraction as extractor, open_store(store_path, write=True) as store:
        store.ensure_ontology()
        loader = Loader(store, date, len(sources), progress, validate)
        loader.failures += failures
        writer = BackgroundWriter(loader.add, loader.flush)
        try:
            for batch in extractor.batches(loader.documents_to_load(sources), len(sources)):
                writer.put(batch)
            writer.close()
            if loader.loaded and loader.loaded * 10 >= loader.documents_before:
                store.optimize()  # worth it when the load added a tenth of the store or more
        except (KeyboardInterrupt, BrokenProcessPool):
            writer.close()
            raise Interrupted(f"interrupted: {loader.loaded} documents loaded and kept whole; "
                              "run the same command again to finish") from None
        finally:
            writer.close()
    return LoadReport(loader.loaded, loader.skipped, len(loader.entities), loader.events, loader.triples,
                      time.perf_counter() - started, tuple(loader.failures),
                      merge(loader.reports) if validate else None)


def extract_paths(paths: Iterable[str], *, date: str | None = None, model: str | None = None,
                  stdin: Callable[[], bytes] | None = None) -> tuple[list, list[tuple[str, str]]]:
    """Extraction only, no store: what `kg load` would write, as records."""
    from kg.extract.document import extract
    from kg.nlp.pipeline import parse, pipeline

    if date is not None:
        validate_date(date)
    sources, failures = collect_sources(paths, stdin)
    documents = []
    for source in sources:
        try:
            documents.append(read_source(source, date))
        except InputError as exc:
            failures.append((source.name, str(exc)))
    extractions = []
    if documents:
        nlp = pipeline(model)
        for document, doc in zip(documents, parse(nlp, (d.text for d in documents), BATCH_DOCS)):
            extractions.append(extract(doc, document))
    return extractions, failures


def validate_date(value: str) -> None:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--date must be YYYY-MM-DD, got {value!r}") from None

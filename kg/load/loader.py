"""`kg load`: files in, one named graph per document out.

One way through: sources (files named, folders walked, standard input) -> documents read
and cleaned, unchanged ones (same content hash) skipped -> batches extracted (here, in
worker processes or on Dask) into N-Quads -> the writer -> the store. Documents stream
through, so memory stays flat, and each write holds whole documents, so a killed load
leaves every document whole or absent.
"""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import PurePath

from kg import __version__
from kg.errors import InputError, Interrupted, UsageError
from kg.ingest import MAX_SIZE
from kg.ingest.sources import Source, collect_sources, read_source
from kg.ingest.text import legacy_document_id, real_date
from kg.load.tally import Tally
from kg.load.writer import BackgroundWriter, StoreWriter
from kg.rdf.quads import document_iri
from kg.records import Document
from kg.vocab import KG_NS

BATCH_DOCS = 32  # documents the model parses together: the fastest size on two cores


@dataclass(frozen=True)
class LoadOptions:
    """How to load, checked before anything is read or opened."""

    date: str | None = None
    model: str | None = None
    workers: int = 1
    cluster: str | None = None
    validate: bool = True
    max_size: int = MAX_SIZE
    stdin_name: str | None = None

    def __post_init__(self) -> None:
        if self.date is not None:
            validate_date(self.date)
        if self.workers < 1:
            raise UsageError("--workers must be at least 1")
        if self.max_size < 1:
            raise UsageError("--max-size must be at least 1 byte")


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
    replaced: int = 0
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sources:
    """What a load will read, found before any store is opened or model loaded."""

    sources: tuple[Source, ...]
    failures: tuple[tuple[str, str], ...]


def gather(paths: Iterable[str], options: LoadOptions = LoadOptions(),
           stdin: Callable[[], bytes] | None = None) -> Sources:
    """The sources the paths name, and the paths that cannot be read: found before a store
    is opened, so that a load with nothing to read opens (or creates) none."""
    sources, failures = collect_sources(paths, stdin, stdin_name=options.stdin_name, max_size=options.max_size)
    return Sources(tuple(sources), tuple(failures))


def load(paths: Iterable[str] | Sources, store, options: LoadOptions = LoadOptions(), *,
         progress: Callable[[int, int], None] | None = None,
         stdin: Callable[[], bytes] | None = None) -> LoadReport:
    """Load articles into an open store (opened for writing) and report what was done."""
    started = time.perf_counter()
    found = paths if isinstance(paths, Sources) else gather(paths, options, stdin)
    sources = list(found.sources)
    tally = Tally(len(sources), progress, list(found.failures))
    with extractor_for(options, len(sources)) as extractor:
        store.ensure_ontology()
        known = StoredHashes(store, len(sources))
        writer = StoreWriter(store, tally, options.validate)
        background = BackgroundWriter(writer)
        try:
            documents = documents_to_extract(sources, options, Known(store, known, writer.replacing), tally)
            for batch in extractor.extract(documents, len(sources)):
                background.put(batch)
            background.close()
            if tally.loaded and not known.at_least(tally.loaded * 11 + 1):
                store.optimize()  # worth it when the load added a tenth of the store or more
        except (KeyboardInterrupt, BrokenProcessPool):
            background.close()
            raise Interrupted(f"interrupted: {tally.loaded} documents loaded and kept whole; "
                              "run the same command again to finish") from None
        finally:
            background.close()
    return LoadReport(tally.loaded, tally.skipped, len(tally.entities), tally.events, tally.triples,
                      time.perf_counter() - started, tuple(tally.failures), writer.validation(), tally.replaced,
                      tuple(f"{death}; its documents were extracted again" for death in extractor.deaths))


def extractor_for(options: LoadOptions, documents: int):
    """Where extraction runs: on a Dask cluster, in worker processes, or here (no pool for
    a handful of files). The model starts loading on entry."""
    from kg.nlp.model import model_name  # names the model without importing spaCy

    version = f"kg {__version__}; {model_name(options.model)}"
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    if options.cluster:
        from kg.load.dask import ClusterExtractor
        return ClusterExtractor(options.cluster, model=options.model, stamp=stamp, version=version,
                                batch_size=BATCH_DOCS)
    from kg.load.workers import Extractor
    workers = min(options.workers, -(-documents // BATCH_DOCS)) or 1
    return Extractor(model=options.model, workers=workers, stamp=stamp, version=version, batch_size=BATCH_DOCS)


ONE_BY_ONE = 1000  # a load of at most this many files looks their stored versions up one by one


class StoredHashes:
    """The content hash of each stored document, by graph. A small load looks up only the
    graphs it writes, so adding one article to a store of a hundred thousand does not read
    a hundred thousand hashes; a large one reads them all at once."""

    def __init__(self, store, sources: int):
        self.store = store
        self.all = store.document_hashes() if sources > ONE_BY_ONE else None

    def get(self, graph: str) -> str | None:
        if self.all is not None:
            return self.all.get(graph)
        node = f"<{graph}>"
        rows = self.store.query(f"SELECT ?h WHERE {{ GRAPH {node} {{ {node} <{KG_NS}contentHash> ?h }} }}")
        return next((row["h"].value for row in rows), None)

    def __contains__(self, graph: str) -> bool:
        return self.get(graph) is not None

    def at_least(self, count: int) -> bool:
        """Whether the store holds at least `count` documents, counting no further."""
        if self.all is not None:
            return len(self.all) >= count
        rows = self.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ SELECT ?g WHERE {{ GRAPH ?g {{ "
                                f"?g <{KG_NS}contentHash> ?h }} }} LIMIT {int(count)} }} }}")
        return int(next(iter(rows))["n"].value) >= count


@dataclass(frozen=True)
class Known:
    """The documents a store holds (content hash by graph), and where the load notes the
    graphs it replaces: graph -> an older graph of the same file to drop once it is
    written (an id from an earlier version of kg), or None."""

    store: object
    hashes: StoredHashes
    replacing: dict[str, str | None]

    def legacy_file(self, graph: str) -> str | None:
        """The file name stored in a graph of this store."""
        rows = self.store.query(f"SELECT ?file WHERE {{ GRAPH <{graph}> {{ <{graph}> <{KG_NS}fileName> ?file }} }}")
        return next((row["file"].value for row in rows), None)


def documents_to_extract(sources: list[Source], options: LoadOptions, known: Known | None,
                         tally: Tally) -> Iterator[Document]:
    """The sources read one at a time; unreadable, unchanged and repeated ones are counted
    in the tally, not yielded; two inputs of one identity never share a graph (the second
    is refused)."""
    claimed: dict[str, str] = {}
    for source in sources:
        try:
            document = read_source(source, options.date, options.max_size)
        except InputError as exc:
            tally.fail(source.name, str(exc))
            tally.tick(1)
            continue
        graph = document_iri(document.doc_id).value
        if graph in claimed:
            tally.fail(source.name, f"{source.name}: the same document as {claimed[graph]} "
                                    f"(<{graph}>) in this load; not loaded")
            tally.tick(1)
            continue
        claimed[graph] = source.name
        if known is not None and unchanged_or_noted(document, graph, known):
            tally.skip()
            tally.tick(1)
            continue
        yield document


def unchanged_or_noted(document: Document, graph: str, known: Known) -> bool:
    """Whether the store holds the document as it is; if not, notes what it replaces. A
    graph of the same file under an id from an earlier version of kg is migrated: the
    document is extracted again under its own id, and the old graph dropped once the new
    one is written (by the first document of that file name only)."""
    stored = known.hashes.get(graph)
    if stored is not None:
        if stored == document.content_hash:
            return True
        known.replacing[graph] = None
        return False
    legacy = document_iri(legacy_document_id(document.file_name)).value
    if (legacy in known.hashes and legacy not in known.replacing.values()
            and known.legacy_file(legacy) == PurePath(document.file_name).name):
        known.replacing[graph] = legacy
    return False


def extract_paths(paths: Iterable[str], *, date: str | None = None, model: str | None = None,
                  stdin: Callable[[], bytes] | None = None) -> tuple[list, list[tuple[str, str]]]:
    """Extraction only, no store: what `kg load` would write, as records."""
    from kg.extract.document import extract
    from kg.nlp.pipeline import parse, pipeline

    if date is not None:
        validate_date(date)
    sources, failures = collect_sources(paths, stdin)
    tally = Tally(len(sources), failures=failures)
    documents = list(documents_to_extract(sources, LoadOptions(date=date), None, tally))
    extractions = []
    if documents:
        nlp = pipeline(model)
        for document, doc in zip(documents, parse(nlp, (d.text for d in documents), BATCH_DOCS)):
            extractions.append(extract(doc, document))
    return extractions, tally.failures


def validate_date(value: str) -> None:
    if not real_date(value):
        raise UsageError(f"--date must be a real date written YYYY-MM-DD, got {value!r}")

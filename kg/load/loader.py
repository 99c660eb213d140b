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

from kg import __version__
from kg.errors import InputError, Interrupted, UsageError
from kg.ingest.sources import Source, collect_sources, read_source
from kg.load.tally import Tally
from kg.load.writer import BackgroundWriter, StoreWriter
from kg.rdf.quads import document_iri
from kg.records import Document

BATCH_DOCS = 32  # documents the model parses together: the fastest size on two cores


@dataclass(frozen=True)
class LoadOptions:
    """How to load, checked before anything is read or opened."""

    date: str | None = None
    model: str | None = None
    workers: int = 1
    cluster: str | None = None
    validate: bool = True

    def __post_init__(self) -> None:
        if self.date is not None:
            validate_date(self.date)
        if self.workers < 1:
            raise UsageError("--workers must be at least 1")


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


def load(paths: Iterable[str], store, options: LoadOptions = LoadOptions(), *,
         progress: Callable[[int, int], None] | None = None,
         stdin: Callable[[], bytes] | None = None) -> LoadReport:
    """Load articles into an open store (opened for writing) and report what was done."""
    started = time.perf_counter()
    sources, failures = collect_sources(paths, stdin)
    tally = Tally(len(sources), progress, failures)
    with extractor_for(options, len(sources)) as extractor:
        store.ensure_ontology()
        known = store.document_hashes()
        documents_before = len(known)
        writer = StoreWriter(store, tally, options.validate)
        background = BackgroundWriter(writer)
        try:
            for batch in extractor.extract(documents_to_extract(sources, options.date, known, tally), len(sources)):
                background.put(batch)
            background.close()
            if tally.loaded and tally.loaded * 10 >= documents_before:
                store.optimize()  # worth it when the load added a tenth of the store or more
        except (KeyboardInterrupt, BrokenProcessPool):
            background.close()
            raise Interrupted(f"interrupted: {tally.loaded} documents loaded and kept whole; "
                              "run the same command again to finish") from None
        finally:
            background.close()
    return LoadReport(tally.loaded, tally.skipped, len(tally.entities), tally.events, tally.triples,
                      time.perf_counter() - started, tuple(tally.failures), writer.validation())


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


def documents_to_extract(sources: list[Source], date: str | None, known: dict[str, str],
                         tally: Tally) -> Iterator[Document]:
    """The sources read one at a time; unreadable and unchanged ones are counted in the
    tally, not yielded."""
    for source in sources:
        try:
            document = read_source(source, date)
        except InputError as exc:
            tally.fail(source.name, str(exc))
            tally.tick(1)
            continue
        if known.get(document_iri(document.doc_id).value) == document.content_hash:
            tally.skip()
            tally.tick(1)
            continue
        yield document


def extract_paths(paths: Iterable[str], *, date: str | None = None, model: str | None = None,
                  stdin: Callable[[], bytes] | None = None) -> tuple[list, list[tuple[str, str]]]:
    """Extraction only, no store: what `kg load` would write, as records."""
    from kg.extract.document import extract
    from kg.nlp.pipeline import parse, pipeline

    if date is not None:
        validate_date(date)
    sources, failures = collect_sources(paths, stdin)
    tally = Tally(len(sources), failures=failures)
    documents = list(documents_to_extract(sources, date, {}, tally))
    extractions = []
    if documents:
        nlp = pipeline(model)
        for document, doc in zip(documents, parse(nlp, (d.text for d in documents), BATCH_DOCS)):
            extractions.append(extract(doc, document))
    return extractions, tally.failures


def validate_date(value: str) -> None:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--date must be YYYY-MM-DD, got {value!r}") from None

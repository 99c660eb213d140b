"""`kg load`: files in, one named graph per document out.

Inputs are read and cleaned first; unchanged documents (same content hash) are skipped;
the rest go through the model in batches, are extracted, turned into quads and written a
batch of whole documents per transaction.
"""
from __future__ import annotations

import datetime as dt
import errno
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .errors import InputError, Interrupted, UsageError
from .ingest import document_from_bytes, read_document
from .records import Document
from .store import open_store

BATCH_DOCS = 32


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


@dataclass(frozen=True)
class Source:
    """One input: a file on disk, or standard input under a name."""

    name: str
    path: Path | None = None
    data: bytes | None = None


def collect_sources(paths: Iterable[str], stdin: Callable[[], bytes] | None = None) -> tuple[list[Source], list[tuple[str, str]]]:
    """Files named, `*.txt` below folders named, and `-` for standard input."""
    sources: list[Source] = []
    failures: list[tuple[str, str]] = []
    for raw in paths:
        if raw == "-":
            data = stdin() if stdin else sys.stdin.buffer.read()
            sources.append(Source(name="stdin.txt", data=data))
            continue
        path = Path(raw)
        problem = path_problem(path)
        if problem:
            failures.append((raw, f"{raw}: {problem}"))
        elif path.is_dir():
            found, errors = text_files_below(path)
            failures += errors
            if not found and not errors:
                failures.append((raw, f"{raw}: no .txt files in this folder"))
            sources += [Source(name=p.name, path=p) for p in found]
        else:
            sources.append(Source(name=path.name, path=path))
    return sources, failures


def path_problem(path: Path) -> str | None:
    """Why a path named on the command line cannot be read, if it cannot."""
    try:
        os.stat(path)
    except FileNotFoundError:
        return "broken symbolic link" if path.is_symlink() else "no such file or folder"
    except PermissionError:
        return "permission denied"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        return exc.strerror or str(exc)
    return None


def text_files_below(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Every `*.txt` file below a folder, in a stable order, without following links to
    folders (so a link loop cannot trap the walk)."""
    found: list[Path] = []
    errors: list[tuple[str, str]] = []

    def report(exc: OSError) -> None:
        name = exc.filename or str(folder)
        errors.append((name, f"{name}: {exc.strerror or exc}"))

    for root, dirs, files in os.walk(folder, onerror=report):
        dirs.sort()
        for name in sorted(files):
            if name.lower().endswith(".txt"):
                path = Path(root) / name
                problem = path_problem(path)
                if problem:
                    errors.append((str(path), f"{path}: {problem}"))
                else:
                    found.append(path)
    return found, errors


def read_sources(sources: list[Source], date: str | None) -> tuple[list[Document], list[tuple[str, str]]]:
    documents, failures = [], []
    for source in sources:
        try:
            if source.path is not None:
                documents.append(read_document(source.path, date=date))
            else:
                documents.append(document_from_bytes(source.data or b"", source.name, date=date))
        except InputError as exc:
            failures.append((source.name, str(exc)))
    return documents, failures


def batches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def load(paths: Iterable[str], store_path: str | None = None, *, date: str | None = None,
         model: str | None = None, progress: Callable[[int], None] | None = None,
         stdin: Callable[[], bytes] | None = None) -> LoadReport:
    """Load articles into the store and report what was done."""
    from .extract import extract
    from .nlp import model_name, parse, pipeline
    from .rdf import document_iri, document_quads

    started = time.perf_counter()
    if date is not None:
        validate_date(date)
    sources, failures = collect_sources(paths, stdin)
    documents, read_failures = read_sources(sources, date)
    failures += read_failures
    loaded = skipped = events = triples = 0
    entities: set[str] = set()
    with open_store(store_path, write=True) as store:
        store.ensure_ontology()
        known = store.document_hashes()
        todo = []
        for document in documents:
            if known.get(document_iri(document.doc_id).value) == document.content_hash:
                skipped += 1
                if progress:
                    progress(1)
            else:
                todo.append(document)
        if todo:
            nlp = pipeline(model)
            version = f"kg {__version__}; {model_name(model)}"
            stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
            try:
                for batch in batches(todo, BATCH_DOCS):
                    graphs = []
                    for document, doc in zip(batch, parse(nlp, (d.text for d in batch), BATCH_DOCS)):
                        try:
                            extraction = extract(doc, document)
                        except Exception as exc:  # a bug on one article must not stop the others
                            failures.append((document.file_name, f"{document.file_name}: extraction failed ({type(exc).__name__}: {exc})"))
                            continue
                        graphs.append((document_iri(document.doc_id), document_quads(extraction, stamp, version)))
                        entities.update(e.key for e in extraction.entities)
                        events += len(extraction.events)
                    triples += store.replace_documents(graphs)
                    loaded += len(graphs)
                    if progress:
                        progress(len(batch))
            except KeyboardInterrupt:
                raise Interrupted(f"interrupted: {loaded} documents loaded and kept whole, "
                                  f"{len(todo) - loaded} not loaded; run the same command again to finish") from None
    return LoadReport(loaded, skipped, len(entities), events, triples,
                      time.perf_counter() - started, tuple(failures))


def extract_paths(paths: Iterable[str], *, date: str | None = None, model: str | None = None,
                  stdin: Callable[[], bytes] | None = None) -> tuple[list, list[tuple[str, str]]]:
    """Extraction only, no store: what `kg load` would write, as records."""
    from .extract import extract
    from .nlp import parse, pipeline

    if date is not None:
        validate_date(date)
    sources, failures = collect_sources(paths, stdin)
    documents, read_failures = read_sources(sources, date)
    failures += read_failures
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

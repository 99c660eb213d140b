"""Extraction of batches of documents, in this process or in worker processes.

Each worker loads the spaCy pipeline once and turns a batch of documents into N-Quads,
so only bytes cross the process boundary. At most a few batches are in flight at a time,
so memory stays flat however large the corpus.
"""
from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .records import Document


@dataclass(frozen=True)
class Extracted:
    """One document, extracted and rendered: what the writer needs, nothing more."""

    document: Document
    graph: str
    nquads: bytes
    entities: tuple[str, ...]
    events: int
    error: str | None = None


_MODEL: str | None = None


def default_workers() -> int:
    """One worker per core."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def extract_batch(documents: list[Document], model: str | None, stamp: str, version: str) -> list[Extracted]:
    """Parse, extract and render a batch of documents."""
    import pyoxigraph as ox

    from .extract import extract
    from .nlp import parse, pipeline
    from .rdf import document_iri, document_quads

    nlp = pipeline(model)
    out = []
    for document, doc in zip(documents, parse(nlp, (d.text for d in documents), len(documents))):
        graph = document_iri(document.doc_id).value
        try:
            extraction = extract(doc, document)
        except Exception as exc:  # a bug on one article must not stop the others
            out.append(Extracted(document, graph, b"", (), 0, f"extraction failed ({type(exc).__name__}: {exc})"))
            continue
        quads = document_quads(extraction, stamp, version)
        out.append(Extracted(document, graph, ox.serialize(quads, format=ox.RdfFormat.N_QUADS),
                             tuple(e.key for e in extraction.entities), len(extraction.events)))
    return out


def _start_worker(model: str | None) -> None:
    global _MODEL
    _MODEL = model
    from .nlp import pipeline
    pipeline(model)  # once per worker, before the first batch


def _work(documents: list[Document], stamp: str, version: str) -> list[Extracted]:
    return extract_batch(documents, _MODEL, stamp, version)


def extract_batches(batches: Iterable[list[Document]], *, model: str | None, workers: int, stamp: str,
                    version: str) -> Iterator[list[Extracted]]:
    """Extracted batches in input order, from `workers` processes (1: this process)."""
    if workers <= 1:
        for batch in batches:
            yield extract_batch(batch, model, stamp, version)
        return
    context = multiprocessing.get_context("forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn")
    with cf.ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker,
                                initargs=(model,)) as pool:
        pending: deque = deque()
        try:
            for batch in batches:
                pending.append(pool.submit(_work, batch, stamp, version))
                while len(pending) >= 2 * workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()

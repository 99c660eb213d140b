"""Extraction of batches of documents, in this process or in worker processes: documents
in, `DocumentQuads` out, in input order.

Each worker loads the spaCy pipeline once and turns a batch of documents into N-Quads,
so only bytes cross the process boundary. At most a few batches are in flight at a time,
so memory stays flat however large the corpus.
"""
from __future__ import annotations

import concurrent.futures as cf
import itertools
import multiprocessing
import os
import queue
import select
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from kg.rdf.quads import document_iri
from kg.records import Document, DocumentQuads


_MODEL: str | None = None


def default_workers() -> int:
    """One worker per core."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def extract_batch(documents: list[Document], model: str | None, stamp: str, version: str) -> list[DocumentQuads]:
    """Parse, extract and render a batch of documents."""
    from kg.nlp.pipeline import parse, pipeline

    nlp = pipeline(model)
    return [document_quads_of(document, doc, stamp, version)
            for document, doc in zip(documents, parse(nlp, (d.text for d in documents), len(documents)))]


def document_quads_of(document: Document, doc, stamp: str, version: str) -> DocumentQuads:
    """One parsed document, extracted and written out as N-Quads; a failure on one article
    is reported for that article and does not stop the others."""
    import pyoxigraph as ox

    from kg.extract.document import extract
    from kg.rdf.quads import document_iri, document_quads

    graph = document_iri(document.doc_id).value
    try:
        extraction = extract(doc, document)
        nquads = ox.serialize(document_quads(extraction, stamp, version), format=ox.RdfFormat.N_QUADS)
    except Exception as exc:  # a bug on one article must not stop the others
        return DocumentQuads(document.file_name, document.content_hash, graph,
                             error=f"extraction failed ({type(exc).__name__}: {exc})")
    return DocumentQuads(document.file_name, document.content_hash, graph, nquads,
                         tuple(e.key for e in extraction.entities), len(extraction.events))


def extract_stream(documents: Iterable[Document], *, model: str | None, stamp: str, version: str,
                   batch_size: int) -> Iterator[DocumentQuads]:
    """Extracted documents in input order, parsed on this thread and extracted on another.

    The model spends much of its time in matrix products that release the interpreter lock,
    so extraction on a second thread runs while the model computes instead of after it.
    The model is loaded only once there is a document to read.
    """
    documents = iter(documents)
    first = next(documents, None)
    if first is None:
        return
    documents = itertools.chain([first], documents)
    from kg.nlp.pipeline import parse, pipeline

    nlp = pipeline(model)
    waiting: deque[Document] = deque()
    jobs: queue.Queue = queue.Queue(maxsize=2 * batch_size)
    results: queue.Queue = queue.Queue()
    failure: list[BaseException] = []

    def texts() -> Iterator[str]:
        for document in documents:
            waiting.append(document)
            yield document.text

    def work() -> None:
        while (job := jobs.get()) is not None:
            if not failure:
                try:
                    results.put(document_quads_of(*job, stamp, version))
                except BaseException as exc:  # handed to the parsing thread
                    failure.append(exc)

    thread = threading.Thread(target=work, name="kg-extract", daemon=True)
    thread.start()
    try:
        for doc in parse(nlp, texts(), batch_size):
            jobs.put((waiting.popleft(), doc))
            while not results.empty():
                yield results.get()
            if failure:
                raise failure[0]
    finally:
        jobs.put(None)
        thread.join()
    if failure:
        raise failure[0]
    while not results.empty():
        yield results.get()


def start_worker(model: str | None, parent: int) -> None:
    """Set a worker up: remember the model, watch the parent, load the pipeline."""
    global _MODEL
    _MODEL = model
    threading.Thread(target=exit_with, args=(parent,), name="kg-parent-watch", daemon=True).start()
    from kg.nlp.pipeline import pipeline
    pipeline(model)  # once per worker, before the first batch


def exit_with(pid: int) -> None:
    """End this worker when the `kg load` that started it is gone. A worker waits for work
    from its parent, so after a `kill -9` of the load it would otherwise wait forever."""
    try:
        handle = os.pidfd_open(pid)  # readable once the process has exited
    except (AttributeError, OSError):  # no pidfd here, or already gone: poll instead
        handle = None
    if handle is not None:
        select.select([handle], [], [])
    else:
        while process_exists(pid):
            time.sleep(1)
    os._exit(1)


def process_exists(pid: int) -> bool:
    """Whether a process still runs (one this user may not signal counts as running).

    >>> process_exists(os.getpid())
    True
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def extract_in_worker(documents: list[Document], stamp: str, version: str) -> list[DocumentQuads]:
    """A batch's task in a pool worker, with the model the worker was started with."""
    return extract_batch(documents, _MODEL, stamp, version)


def no_task() -> None:
    """A task that only makes the pool start a worker (and so load its model)."""


@dataclass(frozen=True)
class Job:
    """A batch sent to the pool: the pool's generation it went to, and whether it is the
    batch's second try."""

    future: cf.Future
    batch: list[Document]
    generation: int
    retry: bool = False

    def cancel(self) -> bool:
        """Drop the batch if it has not started (`in_order` does this when its caller stops)."""
        return self.future.cancel()


class Extractor:
    """Extraction in this process or in worker processes. Nothing starts until there is a
    document to extract, so a load with nothing new never loads the model.

    A worker that dies (killed by a signal, or by the kernel when memory runs out) breaks
    the pool: the death is noted in `deaths`, a fresh pool takes over, and each batch that
    was on its way is sent once more; the documents of a batch whose worker dies again
    come back as failures."""

    def __init__(self, *, model: str | None, workers: int, stamp: str, version: str, batch_size: int):
        self.model, self.workers, self.stamp, self.version = model, workers, stamp, version
        self.batch_size = batch_size
        self.pool: cf.ProcessPoolExecutor | None = None
        self.processes: dict = {}
        self.generation = 0
        self.deaths: list[str] = []

    def __enter__(self) -> "Extractor":
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def extract(self, documents: Iterable[Document], total: int) -> Iterator[list[DocumentQuads]]:
        """Extracted documents in input order, in lists of at most `batch_size`; `total` is
        how many documents to expect."""
        if self.workers == 1:
            yield from batches(extract_stream(documents, model=self.model, stamp=self.stamp, version=self.version,
                                              batch_size=self.batch_size), self.batch_size)
            return
        documents = iter(documents)
        first = next(documents, None)
        if first is None:
            return
        self.start_pool()
        yield from in_order((self.submit(batch) for batch in tapered_batches(
            itertools.chain([first], documents), self.batch_size, total=total, workers=self.workers)),
            2 * self.workers, self.result)

    def start_pool(self) -> None:
        """Start the workers; the model loads in the fork server, or in each worker."""
        context = worker_context(self.model)
        self.pool = cf.ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                           initializer=start_worker, initargs=(self.model, os.getpid()))
        self.processes = self.pool._processes  # the same dict the pool fills, kept to read exit codes
        if context.get_start_method() == "forkserver":
            from multiprocessing import forkserver
            forkserver.ensure_running()  # loads the model now; workers fork from it on first use
        else:
            for _ in range(self.workers):
                self.pool.submit(no_task)

    def submit(self, batch: list[Document], retry: bool = False) -> Job:
        """Send a batch to the pool (a fresh one if a worker has died since the last batch)."""
        try:
            future = self.pool.submit(extract_in_worker, batch, self.stamp, self.version)
        except BrokenProcessPool:
            self.restart()
            future = self.pool.submit(extract_in_worker, batch, self.stamp, self.version)
        return Job(future, batch, self.generation, retry)

    def result(self, job: Job) -> list[DocumentQuads]:
        """A job's documents; a batch whose worker died is tried once more in a fresh one."""
        try:
            return job.future.result()
        except BrokenProcessPool:
            if job.generation == self.generation:
                self.restart()
            if job.retry:
                reason = self.deaths[-1]
                return [DocumentQuads(d.file_name, d.content_hash, document_iri(d.doc_id).value,
                                      error=f"not extracted: {reason}, twice") for d in job.batch]
            return self.result(self.submit(job.batch, retry=True))

    def restart(self) -> None:
        """Note which worker died and why, and start a fresh pool."""
        broken, processes = self.pool, self.processes
        broken.shutdown(wait=True, cancel_futures=True)
        self.deaths.append(death_of(processes))
        self.generation += 1
        self.start_pool()


def death_of(processes: dict) -> str:
    """Which of a broken pool's workers died and why (the others were stopped with SIGTERM
    by the pool after it broke)."""
    codes = {pid: process.exitcode for pid, process in processes.items()}
    dead = [pid for pid, code in codes.items() if code not in (None, 0, -signal.SIGTERM)] or list(codes)
    if not dead:
        return "an extraction worker died"
    return f"extraction worker {dead[0]} {exit_reason(codes[dead[0]])}"


def exit_reason(code: int | None) -> str:
    """How a process ended, from its exit code.

    >>> exit_reason(-9), exit_reason(3)
    ('was killed by SIGKILL (as the kernel does when memory runs out)', 'exited with code 3')
    """
    if code is None:
        return "died"
    if code < 0:
        name = signal.Signals(-code).name
        return f"was killed by {name}" + (" (as the kernel does when memory runs out)" if -code == signal.SIGKILL else "")
    return f"exited with code {code}"


def in_order(futures: Iterable, in_flight: int, result: Callable = lambda future: future.result()) -> Iterator:
    """The results of futures in the order they were made, with at most `in_flight` of them
    made and not yet taken, so memory stays flat; those left when the caller stops are
    cancelled.

    >>> futures = [cf.Future() for _ in range(3)]
    >>> for n, future in enumerate(futures):
    ...     future.set_result(n * 10)
    >>> list(in_order(iter(futures), 2))
    [0, 10, 20]
    """
    pending: deque = deque()
    try:
        for future in futures:
            pending.append(future)
            if len(pending) >= in_flight:
                yield result(pending.popleft())
        while pending:
            yield result(pending.popleft())
    finally:
        for future in pending:
            future.cancel()


def worker_context(model: str | None) -> multiprocessing.context.BaseContext:
    """Workers forked from a server that has loaded the model once (where the platform
    has one), which starts a pool in the time one model takes to load."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    if model is None or model == os.environ.get("KG_MODEL"):  # what `kg.nlp.forkserver_preload` loads
        context.set_forkserver_preload(["kg.nlp.forkserver_preload"])
    return context


def tapered_batches(items: Iterable, size: int, *, total: int, workers: int, smallest: int = 8) -> Iterator[list]:
    """Batches of `size` while many items remain, then smaller ones (down to `smallest`), so
    that workers finish together instead of all but one waiting on a last full batch.
    `total` is how many items are expected; fewer or more only shift where batches shrink.

    >>> [len(b) for b in tapered_batches(range(300), 32, total=300, workers=2)]
    [32, 32, 32, 32, 32, 32, 27, 21, 15, 12, 9, 8, 8, 8]
    """
    batch: list = []
    remaining = total
    for item in items:
        batch.append(item)
        if len(batch) >= max(smallest, min(size, -(-remaining // (2 * workers)))):
            yield batch
            remaining -= len(batch)
            batch = []
    if batch:
        yield batch


def batches(items: Iterable, size: int) -> Iterator[list]:
    """Consecutive lists of `size` items (the last may be shorter).

    >>> list(batches(range(5), 2))
    [[0, 1], [2, 3], [4]]
    """
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch

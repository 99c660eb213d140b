"""The last steps of a load: extracted documents gathered into writes of whole documents,
checked against the shapes, and written to the store on a thread of its own."""
from __future__ import annotations

import queue
import threading
from collections.abc import Callable

from kg import derived
from kg.load.tally import Tally
from kg.records import DocumentQuads

WRITE_BYTES = 8 << 20  # at most this much N-Quads waits to be written


class StoreWriter:
    """Gathers extracted documents and writes them `store.write_batch` at a time (or once
    WRITE_BYTES of N-Quads wait), each write all or nothing."""

    def __init__(self, store, tally: Tally, validate: bool):
        self.store = store
        self.tally = tally
        self.validate = validate
        self.pending: list[DocumentQuads] = []
        self.pending_bytes = 0
        self.reports: list = []
        self.replacing: dict[str, str | None] = {}  # see kg.load.loader.Known

    def add(self, batch: list[DocumentQuads]) -> None:
        """Take extracted documents, writing them once enough have gathered."""
        self.pending += batch
        self.pending_bytes += sum(len(d.nquads) for d in batch)
        self.tally.tick(len(batch))
        if len(self.pending) >= self.store.write_batch or self.pending_bytes >= WRITE_BYTES:
            self.flush()

    def flush(self) -> None:
        """Write what has gathered."""
        batch, self.pending, self.pending_bytes = self.pending, [], 0
        if batch:
            self.write(batch)

    def write(self, batch: list[DocumentQuads]) -> None:
        good = [d for d in batch if d.error is None]
        for failed in batch:
            if failed.error is not None:
                self.tally.fail(failed.file_name, f"{failed.file_name}: {failed.error}")
        quads = derived.write_documents(self.store, [(d.graph, d.nquads) for d in good])
        self.tally.written(good, quads, replaced=sum(1 for d in good if d.graph in self.replacing
                                                     and self.replacing[d.graph] is None))
        for legacy in (self.replacing.get(d.graph) for d in good):
            if legacy is not None:
                derived.remove_documents(self.store, legacy)
        if self.validate and good:
            from kg.rdf.shacl import validate_nquads
            self.reports.append(validate_nquads(b"".join(d.nquads for d in good)))

    def validation(self):
        """One SHACL report for everything written, or None when not checked."""
        if not self.validate:
            return None
        from kg.rdf.shacl import merge
        return merge(self.reports)


class BackgroundWriter:
    """Runs a StoreWriter on a thread of its own, so that the store's work (which Oxigraph
    does outside the interpreter lock) overlaps the model's. A failure on the thread is
    raised on the loading thread at its next `put` or at `close`."""

    def __init__(self, writer: StoreWriter):
        self.writer = writer
        self.queue: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.closed = False
        self.thread = threading.Thread(target=self.run, name="kg-writer", daemon=True)
        self.thread.start()

    def run(self) -> None:
        while (batch := self.queue.get()) is not None:
            self.attempt(self.writer.add, batch)
        self.attempt(self.writer.flush)

    def attempt(self, step: Callable, *args) -> None:
        if self.error is None:
            try:
                step(*args)
            except BaseException as exc:  # handed to the loading thread
                self.error = exc

    def put(self, batch: list[DocumentQuads]) -> None:
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

"""What a load has done so far: each step of the load adds to one tally, which the
progress bar and the final report read."""
from __future__ import annotations

import threading
from collections.abc import Callable

from kg.records import DocumentQuads


class Tally:
    """Counts of one load, kept by the reading, extracting and writing steps (the writer
    runs on a thread of its own, hence the lock)."""

    def __init__(self, total: int, progress: Callable[[int, int], None] | None = None,
                 failures: list[tuple[str, str]] | None = None):
        self.total = total
        self.progress = progress
        self.failures: list[tuple[str, str]] = list(failures or [])
        self.loaded = self.skipped = self.replaced = self.events = self.triples = self.done = 0
        self.entities: set[str] = set()
        self.lock = threading.Lock()

    def tick(self, n: int) -> None:
        """`n` more documents are through (read and skipped, failed, or extracted)."""
        with self.lock:
            self.done += n
            done = self.done
        if self.progress:
            self.progress(done, self.total)

    def fail(self, name: str, message: str) -> None:
        with self.lock:
            self.failures.append((name, message))

    def skip(self) -> None:
        with self.lock:
            self.skipped += 1

    def written(self, documents: list[DocumentQuads], quads: int, replaced: int = 0) -> None:
        """Documents written; `replaced` of them took the place of a different document."""
        with self.lock:
            self.loaded += len(documents)
            self.replaced += replaced
            self.triples += quads
            for document in documents:
                self.entities.update(document.entities)
                self.events += document.events

"""Extraction on a Dask distributed cluster (`kg load --cluster ADDRESS`).

The same work as the local worker processes, placed by a Dask scheduler: batches of
documents go out as tasks, each worker keeps its spaCy pipeline loaded between tasks, and
N-Quads come back in input order with only a few batches in flight, so memory stays flat.
ADDRESS is a scheduler (`tcp://host:8786`) or `local:N` for a cluster of N worker processes
on this machine.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator

from kg.errors import KgError, UsageError, message_line
from kg.load.workers import extract_batch, in_order, tapered_batches
from kg.records import Document, DocumentQuads

CONNECT_TIMEOUT = "30s"


def local_workers(address: str) -> int | None:
    """N for `local:N`, None for a scheduler address.

    >>> local_workers("local:2"), local_workers("tcp://10.0.0.5:8786")
    (2, None)
    """
    match = re.fullmatch(r"local:(\d+)", address.strip())
    if match is None:
        if not re.match(r"^[a-z]+://", address) and not re.match(r"^[\w.-]+:\d+$", address):
            raise UsageError(f"--cluster takes a scheduler address (tcp://host:8786) or local:N, got {address!r}")
        return None
    n = int(match.group(1))
    if n < 1:
        raise UsageError("--cluster local:N needs at least one worker")
    return n


def warm(model: str | None) -> None:
    """Load the pipeline on a worker before its first batch."""
    from kg.nlp.pipeline import pipeline
    pipeline(model)


class ClusterExtractor:
    """Extraction on Dask workers, with the interface of `kg.load.workers.Extractor`."""

    def __init__(self, address: str, *, model: str | None, stamp: str, version: str, batch_size: int):
        self.address, self.model, self.stamp, self.version = address, model, stamp, version
        self.batch_size = batch_size
        self.local = local_workers(address)
        self.cluster = self.client = None
        self.workers = 1
        self.deaths: list[str] = []  # Dask reruns the tasks of a lost worker itself

    def __enter__(self) -> "ClusterExtractor":
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise UsageError("--cluster needs Dask: pip install 'distributed>=2024.1'") from None
        try:
            if self.local:
                self.cluster = LocalCluster(n_workers=self.local, threads_per_worker=1, processes=True,
                                            dashboard_address=None, silence_logs=logging.ERROR)
                self.client = Client(self.cluster)
            else:
                self.client = Client(self.address, timeout=CONNECT_TIMEOUT)
            self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))
            self.client.run(warm, self.model)
        except OSError as exc:  # a timeout too
            self.__exit__()
            raise KgError(f"cannot reach the Dask scheduler at {self.address}: {message_line(exc)}") from None
        return self

    def __exit__(self, *exc) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def extract(self, documents: Iterable[Document], total: int) -> Iterator[list[DocumentQuads]]:
        """Extracted documents in input order, in lists of at most `batch_size`; `total` is
        how many documents to expect."""
        yield from in_order((self.client.submit(extract_batch, batch, self.model, self.stamp, self.version, pure=False)
                             for batch in tapered_batches(documents, self.batch_size, total=total,
                                                          workers=self.workers)), 2 * self.workers, self.result)

    def result(self, future) -> list[DocumentQuads]:
        try:
            return future.result()
        except KgError:
            raise
        except Exception as exc:  # a worker lost or killed: the cluster gave up on the batch
            raise KgError(f"extraction on the Dask cluster failed: {type(exc).__name__}: "
                          f"{message_line(exc)}") from None

"""Store work within a time limit, for `kg query --timeout` and every request of `kg serve`.

A running query cannot be interrupted from inside, so the work runs in a forked child
that is killed when time runs out. The child sends back what the work returned, or the
error it raised (its kind, message and exit code), through a pipe; the parent waits on the
pipe either blocking (`Child.result`, the command line) or on the event loop, holding no
thread (`Child.result_async`, the server), and kills the child when the wait ends, so a
cancelled request leaves no query running.
"""
from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

from kg.errors import KgError, QueryTimeout, message_line

T = TypeVar("T")
ENDED = "query failed: the query process ended unexpectedly"
JOIN_SECONDS = 5.0


@dataclass(frozen=True)
class Returned:
    """What the work returned, as the child sends it back."""

    value: object

    def outcome(self):
        return self.value


@dataclass(frozen=True)
class Raised:
    """The error the work raised, as the child sends it back: the parent raises the same
    kind with the same message and exit code.

    >>> Raised.of(ValueError("bad\\nvalue"))
    Raised(kind=<class 'kg.errors.KgError'>, message='query failed: bad', exit_code=1)
    """

    kind: type[KgError]
    message: str
    exit_code: int

    @classmethod
    def of(cls, exc: BaseException) -> Raised:
        """A KgError as it is; anything else as a one-line KgError, never a traceback."""
        if isinstance(exc, KgError):
            return cls(type(exc), str(exc), exc.exit_code)
        return cls(KgError, f"query failed: {message_line(exc)}", KgError.exit_code)

    def outcome(self):
        error = self.kind(self.message)
        error.exit_code = self.exit_code
        raise error


def child_main(work: Callable[[], object], send: Connection) -> None:
    """The forked child: run the work and send back its outcome."""
    try:
        send.send(Returned(work()))
    except BaseException as exc:  # a result that cannot be sent is reported like an error
        send.send(Raised.of(exc))


class Child(Generic[T]):
    """One piece of work running in a forked child, stopped after `timeout` seconds (None:
    no limit); `limit` ends the timeout message and says whose limit it was."""

    def __init__(self, work: Callable[[], T], timeout: float | None, limit: str):
        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=child_main, args=(work, send), daemon=True)
        self.timeout = timeout
        self.limit = limit
        self.process.start()
        send.close()

    def result(self) -> T:
        """What the work returned, waiting here; raises what it raised, or QueryTimeout."""
        try:
            return self.outcome(self.receive.poll(self.timeout))
        finally:
            self.end()

    async def result_async(self) -> T:
        """What the work returned, waiting on the event loop; raises what it raised, or
        QueryTimeout. Cancelling the wait kills the child."""
        try:
            return self.outcome(await readable(self.receive, self.timeout))
        finally:
            self.end()

    def outcome(self, answered: bool) -> T:
        """What the child sent back, once its pipe is readable (`answered`) or time ran out."""
        if not answered:
            raise QueryTimeout(f"query stopped after {self.timeout:g} s{self.limit}")
        try:
            outcome = self.receive.recv()
        except (EOFError, OSError):  # the child died before it could answer
            raise KgError(ENDED) from None
        return outcome.outcome()

    def end(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(JOIN_SECONDS)
        self.receive.close()


def run_in_child(work: Callable[[], T], timeout: float | None, limit: str) -> Child[T]:
    """Start `work` in a forked child; wait for it with `.result()` or `await .result_async()`.
    The child sees the parent's memory as it was, so `work` may be any callable."""
    return Child(work, timeout, limit)


async def readable(connection: Connection, timeout: float | None) -> bool:
    """Wait until the child has written to its pipe (or died); False when time ran out."""
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    fd = connection.fileno()
    loop.add_reader(fd, lambda: ready.done() or ready.set_result(True))
    try:
        await asyncio.wait_for(ready, timeout)
        return True
    except asyncio.TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)

"""Store work within a time and a memory limit, for `kg query`, `kg stats` and every request
of `kg serve`.

A running query cannot be interrupted from inside, so the work runs in a forked child
that is killed when time runs out. The child sends back what the work returned, or the
error it raised (its kind, message and exit code), through a pipe; the parent waits on the
pipe either blocking (`Child.result`, the command line) or on the event loop, holding no
thread (`Child.result_async`, the server), and kills the child when the wait ends, so a
cancelled request leaves no query running.

The child's address space is capped (RLIMIT_AS) at what it holds when it starts plus the
memory limit, so a query that would take the machine's memory fails in its own process:
an allocation the cap refuses ends the child, and the parent reports the limit. The
child's standard error goes nowhere, since everything it has to say comes through the pipe.

Work that changes the store calls `checkpoint` once its change is committed: the parent
then knows the change happened whatever comes after, and the time limit starts again for
what is left (counting the change).

Work that yields (`stream_in_child`) sends what it yields in parts as it goes, so the
parent can show the first rows of a long result while the rest is computed; the pipe's
buffer holds the child back when the parent reads slowly, so neither side holds the whole
result. The time limit then bounds the time the parent waits for the child, not the time a
reader takes over what it was given.

Ctrl-C at a terminal reaches the child too, which ends at once (a query cannot be
interrupted from inside, so it does not try); a parent stopped by a signal it handles kills
its child on the way out, whichever of the two waits it was in.
"""
from __future__ import annotations

import faulthandler
import os
import pickle
import resource
import select
import signal
import struct
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from kg.errors import KgError, QueryTimeout, message_line

T = TypeVar("T")
DEFAULT_MEGABYTES = 1024
DEFAULT_TIMEOUT = 300.0  # seconds a query may run unless told otherwise
ENDED = "query failed: the query process ended unexpectedly"
PART_ITEMS = 500  # items a streaming child sends in one message at most
PART_SECONDS = 0.1  # and how long it holds items before sending them


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


@dataclass(frozen=True)
class Part:
    """Items streaming work yielded, as the child sends them on its way."""

    items: list


@dataclass(frozen=True)
class Reached:
    """A point the work got past, as the child sends it before it goes on."""

    value: object


class OutOfMemory(KgError):
    """Work that needed more memory than its limit, stopped."""


@dataclass(frozen=True)
class MemoryLimit:
    """The memory one piece of work may take beyond what its process held at the fork, and
    whose limit that is (it ends the message).

    >>> MemoryLimit(1024, " (--max-memory)").exceeded().args[0]
    'query stopped: it needed more than 1024 MB of memory (--max-memory)'
    """

    megabytes: int
    whose: str

    def exceeded(self) -> OutOfMemory:
        return OutOfMemory(f"query stopped: it needed more than {self.megabytes} MB of memory{self.whose}")

    def apply(self) -> None:
        """Cap this process's address space at its present size plus the limit."""
        with open("/proc/self/statm") as statm:
            in_use = int(statm.read().split()[0]) * resource.getpagesize()
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = in_use + self.megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))


class Sender:
    """The child's end of its pipe: each message a pickle behind its length. A plain pipe
    and a fork, not multiprocessing, whose import alone would cost `kg query` a fifth of
    its start."""

    def __init__(self, fd: int):
        self.fd = fd

    def send(self, message: object) -> None:
        data = pickle.dumps(message)
        view = memoryview(struct.pack("<Q", len(data)) + data)
        while view:
            view = view[os.write(self.fd, view):]


def read_exactly(fd: int, size: int) -> bytes:
    """`size` bytes from a pipe, or fewer if it closes first."""
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


PIPE: list[Sender] = []  # in a child: the pipe to its parent, for `checkpoint`


def checkpoint(value: object = None) -> None:
    """Tell the parent the work got past a point it must know about (a committed update);
    nothing outside a child."""
    if PIPE:
        PIPE[0].send(Reached(value))


def parts_of(items: Iterable[T], size: int = PART_ITEMS, seconds: float = PART_SECONDS) -> Iterator[list[T]]:
    """Items in the parts a child sends them in: the first alone (what kind of answer
    follows), then up to `size` at a time, or fewer when they took `seconds` to come.

    >>> list(parts_of(range(6), size=2))
    [[0], [1, 2], [3, 4], [5]]
    """
    part: list[T] = []
    started = 0.0
    for number, item in enumerate(items):
        if not part:
            started = time.monotonic()
        part.append(item)
        if number == 0 or len(part) >= size or time.monotonic() - started >= seconds:
            yield part
            part = []
    if part:
        yield part


def child_main(work: Callable[[], object], send: Sender, memory: MemoryLimit | None, streaming: bool = False) -> None:
    """The forked child: run the work within its memory limit and send back its outcome
    (for streaming work, what it yields, part by part, then None)."""
    faulthandler.disable()  # an abort at the memory cap is reported by the parent, not dumped
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    for stop in (signal.SIGINT, signal.SIGTERM):  # Ctrl-C ends the child at once, mid-query too
        signal.signal(stop, signal.SIG_DFL)
    PIPE[:] = [send]
    if memory is not None:
        memory.apply()
    try:
        if streaming:
            for part in parts_of(work()):
                send.send(Part(part))
            send.send(Returned(None))
        else:
            send.send(Returned(work()))
    except MemoryError:
        send.send(Raised.of(memory.exceeded() if memory is not None else KgError("query failed: out of memory")))
    except BaseException as exc:  # a result that cannot be sent is reported like an error
        send.send(Raised.of(exc))


class Child(Generic[T]):
    """One piece of work running in a forked child, stopped after `timeout` seconds (None:
    no limit) or when it needs more memory than `memory` allows; `limit` ends the timeout
    message and says whose limit it was. `reached` holds what the work's checkpoints sent."""

    def __init__(self, work: Callable[[], T], timeout: float | None, limit: str, memory: MemoryLimit | None = None,
                 streaming: bool = False):
        self.timeout = timeout
        self.limit = limit
        self.memory = memory
        self.reached: list[object] = []
        self.exitcode: int | None = None
        self.fd, write_fd = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: run the work, answer, and leave without the parent's exit handlers
            try:
                os.close(self.fd)
                child_main(work, Sender(write_fd), memory, streaming)
            finally:
                os._exit(0)
        os.close(write_fd)

    def result(self) -> T:
        """What the work returned, waiting here; raises what it raised, or QueryTimeout."""
        try:
            while True:
                outcome = self.outcome(bool(select.select([self.fd], [], [], self.timeout)[0]))
                if not isinstance(outcome, Reached):
                    return outcome
                self.reached.append(outcome.value)
        finally:
            self.end()

    def parts(self) -> Iterator[list]:
        """What streaming work yields, part by part as the child sends it; raises what the
        work raised, or QueryTimeout once the waits for the child add up to the time limit.
        Closing the iterator early kills the child."""
        waited = 0.0
        try:
            while True:
                left = None if self.timeout is None else max(0.0, self.timeout - waited)
                began = time.monotonic()
                answered = bool(select.select([self.fd], [], [], left)[0])
                waited += time.monotonic() - began
                outcome = self.outcome(answered)
                if isinstance(outcome, Part):
                    yield outcome.items
                elif isinstance(outcome, Reached):
                    self.reached.append(outcome.value)
                else:
                    return
        finally:
            self.end()

    async def result_async(self) -> T:
        """What the work returned, waiting on the event loop; raises what it raised, or
        QueryTimeout. Cancelling the wait kills the child."""
        try:
            while True:
                outcome = self.outcome(await readable(self.fd, self.timeout))
                if not isinstance(outcome, Reached):
                    return outcome
                self.reached.append(outcome.value)
        finally:
            self.end()

    def outcome(self, answered: bool):
        """What the child sent, once its pipe is readable (`answered`) or time ran out: a
        checkpoint, a part of a stream, or the work's outcome."""
        if not answered:
            raise QueryTimeout(f"query stopped after {self.timeout:g} s{self.limit}")
        header = read_exactly(self.fd, 8)
        body = read_exactly(self.fd, struct.unpack("<Q", header)[0]) if len(header) == 8 else b""
        if not body:  # the child died before it could answer
            raise self.death()
        outcome = pickle.loads(body)
        return outcome if isinstance(outcome, (Reached, Part)) else outcome.outcome()

    def death(self) -> KgError:
        """Why the child ended without an answer: an allocation its memory cap refused
        aborts it; anything else is reported as it is."""
        self.wait()
        if self.memory is not None and self.exitcode in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS):
            return self.memory.exceeded()
        return KgError(ENDED)

    def wait(self) -> None:
        """Reap the child once it has ended."""
        if self.exitcode is None:
            _, status = os.waitpid(self.pid, 0)
            self.exitcode = os.waitstatus_to_exitcode(status)

    def end(self) -> None:
        """Stop the child if it still runs, reap it and close the pipe."""
        if self.exitcode is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.wait()
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def run_in_child(work: Callable[[], T], timeout: float | None, limit: str,
                 memory: MemoryLimit | None = None) -> Child[T]:
    """Start `work` in a forked child; wait for it with `.result()` or `await .result_async()`.
    The child sees the parent's memory as it was, so `work` may be any callable."""
    return Child(work, timeout, limit, memory)


def stream_in_child(work: Callable[[], Iterable[T]], timeout: float | None, limit: str,
                    memory: MemoryLimit | None = None) -> Child[None]:
    """Start streaming work in a forked child; read what it yields with `.parts()`."""
    return Child(work, timeout, limit, memory, streaming=True)


async def readable(fd: int, timeout: float | None) -> bool:
    """Wait until the child has written to its pipe (or died); False when time ran out."""
    import asyncio  # only the server waits this way: `kg query` starts without it

    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    loop.add_reader(fd, lambda: ready.done() or ready.set_result(True))
    try:
        await asyncio.wait_for(ready, timeout)
        return True
    except asyncio.TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)

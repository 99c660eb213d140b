"""The forked child that bounds a query's time, with plain work functions: no store, no spaCy."""
from __future__ import annotations

import asyncio
import os
import signal
import threading
import time

import pytest

from kg.errors import KgError, QuerySyntaxError, QueryTimeout, StoreError, UsageError
from kg.query.limits import run_in_child

LIMIT = " (--timeout)"


def sleeping(seconds: float):
    def work():
        time.sleep(seconds)
        return b"late"
    return work


def raising(error: BaseException):
    def work():
        raise error
    return work


def killing_itself():
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_result_comes_back_from_the_child():
    assert run_in_child(lambda: {"pid": os.getpid(), "rows": [1, 2]}, 10, LIMIT).result()["rows"] == [1, 2]
    assert run_in_child(os.getpid, 10, LIMIT).result() != os.getpid()


@pytest.mark.parametrize("error, code", [(UsageError("bad parameter"), 2), (QuerySyntaxError("at line 1"), 2),
                                         (StoreError("cannot open store"), 1)])
def test_a_kg_error_comes_back_with_its_kind_code_and_message(error, code):
    with pytest.raises(type(error)) as raised:
        run_in_child(raising(error), 10, LIMIT).result()
    assert type(raised.value) is type(error)
    assert (raised.value.exit_code, str(raised.value)) == (code, str(error))


def test_any_other_error_comes_back_as_one_line():
    with pytest.raises(KgError) as raised:
        run_in_child(raising(ValueError("first line\nsecond line")), 10, LIMIT).result()
    assert type(raised.value) is KgError
    assert (raised.value.exit_code, str(raised.value)) == (1, "query failed: first line")


def test_work_past_the_limit_is_stopped():
    started = time.monotonic()
    child = run_in_child(sleeping(30), 0.5, LIMIT)
    with pytest.raises(QueryTimeout) as raised:
        child.result()
    assert time.monotonic() - started < 10
    assert str(raised.value) == "query stopped after 0.5 s (--timeout)" and raised.value.exit_code == 1
    assert child.exitcode == -signal.SIGKILL


def test_a_child_that_dies_is_reported():
    with pytest.raises(KgError) as raised:
        run_in_child(killing_itself, 10, LIMIT).result()
    assert str(raised.value) == "query failed: the query process ended unexpectedly"


def test_the_work_runs_in_another_process():
    assert run_in_child(os.getpid, 10, LIMIT).result() != os.getpid()
    with pytest.raises(QueryTimeout, match=r"^query stopped after 0.5 s \(--timeout\)$"):
        run_in_child(sleeping(30), 0.5, LIMIT).result()


def test_the_async_wait_holds_no_thread_and_lets_the_loop_run():
    async def wait_and_tick():
        threads = threading.active_count()
        child = run_in_child(sleeping(1), 10, LIMIT)
        waiting = asyncio.ensure_future(child.result_async())
        ticks = 0
        while not waiting.done():
            ticks += 1
            assert threading.active_count() == threads
            await asyncio.sleep(0.05)
        return waiting.result(), ticks
    result, ticks = asyncio.run(wait_and_tick())
    assert result == b"late" and ticks >= 5


def test_the_async_wait_gives_errors_and_timeouts_as_the_blocking_one():
    async def outcome(work, timeout):
        try:
            return await run_in_child(work, timeout, ", the server's time limit").result_async()
        except KgError as exc:
            return type(exc), exc.exit_code, str(exc)
    assert asyncio.run(outcome(lambda: 42, 10)) == 42
    assert asyncio.run(outcome(raising(UsageError("no such variable")), 10)) == (UsageError, 2, "no such variable")
    assert asyncio.run(outcome(sleeping(30), 0.5)) == (QueryTimeout, 1, "query stopped after 0.5 s, the server's time limit")
    assert asyncio.run(outcome(killing_itself, 10)) == (KgError, 1, "query failed: the query process ended unexpectedly")


def test_a_cancelled_wait_kills_its_child():
    async def cancelled():
        child = run_in_child(sleeping(30), 60, LIMIT)
        waiting = asyncio.ensure_future(child.result_async())
        await asyncio.sleep(0.3)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        return child
    started = time.monotonic()
    child = asyncio.run(cancelled())
    assert time.monotonic() - started < 10
    assert child.exitcode == -signal.SIGKILL

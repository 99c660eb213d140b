"""The installed `kg` command as a real process."""
from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import KG


def test_query_imports_only_what_it_uses(seeds_store):
    env = dict(os.environ, PYTHONPROFILEIMPORTTIME="1")
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "kg", "query", "met-with",
                             "--store", str(seeds_store)], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in result.stderr.splitlines() if "|" in line}
    assert "pyoxigraph" in imported
    assert "spacy" not in imported and "rdflib" not in imported and "thinc" not in imported
    assert "http" not in imported  # the HTTP client is for a store on a server


CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def children_of(pid: int, deadline: float = 10.0) -> list[int]:
    """The processes a process has started, once it has started one."""
    ends = time.monotonic() + deadline
    while time.monotonic() < ends:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        if found:
            return [int(child) for child in found]
        time.sleep(0.02)
    raise AssertionError("no child process started")


@pytest.mark.parametrize("stop, to_group, code, message", [
    (signal.SIGINT, True, 130, "kg: interrupted\n"),
    (signal.SIGINT, False, 130, "kg: interrupted\n"),
    (signal.SIGTERM, False, 143, "kg: terminated\n"),
], ids=["ctrl-c at a terminal", "sigint to kg alone", "sigterm to kg alone"])
def test_a_signal_stops_a_running_query_at_once_and_its_child_too(seeds_store, stop, to_group, code, message):
    process = subprocess.Popen([KG, "query", CROSS_JOIN, "--store", str(seeds_store)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    children = children_of(process.pid)
    time.sleep(0.5)
    assert process.poll() is None  # the cross join is running
    stopped = time.monotonic()
    if to_group:  # a terminal's Ctrl-C reaches every process of the foreground group
        os.killpg(process.pid, stop)
    else:
        process.send_signal(stop)
    out, err = process.communicate(timeout=30)
    assert time.monotonic() - stopped < 2
    assert (process.returncode, out, err) == (code, "", message)
    assert not any(Path(f"/proc/{child}").exists() for child in children)


def test_a_table_starts_before_the_last_row(seeds_store):
    query = "SELECT ?a ?b WHERE { ?a ?p ?o . ?b ?q ?r }"  # millions of rows, no ORDER BY
    process = subprocess.Popen([KG, "query", query, "--store", str(seeds_store)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    try:
        received = b""
        ends = time.monotonic() + 30
        while received.count(b"\n") < 3 and time.monotonic() < ends:
            if select.select([process.stdout], [], [], 1)[0]:
                received += os.read(process.stdout.fileno(), 65536)
        header, rule, first = received.decode().splitlines()[:3]
        assert header.split() == ["a", "b"] and set(rule.split()) == {"-" * len(part) for part in rule.split()}
        assert first.split()[0].startswith(("ent:", "ev:", "doc:", "<", "kg"))
        assert process.poll() is None  # rows are still coming
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)
    assert process.returncode == 130


def test_a_table_on_a_terminal_fits_its_width_and_a_pipe_gets_whole_values(seeds_store):
    main, terminal = pty.openpty()
    process = subprocess.Popen([KG, "query", "quotes", "--store", str(seeds_store)], stdout=terminal,
                               stderr=subprocess.PIPE, env={**os.environ, "COLUMNS": "70"})
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    assert process.wait(timeout=60) == 0
    lines = shown.decode().replace("\r\n", "\n").splitlines()
    assert len(lines) > 10 and max(len(line) for line in lines) <= 70 and "\u2026" in shown.decode()
    piped = subprocess.run([KG, "query", "quotes", "--store", str(seeds_store)], capture_output=True, text=True,
                           env={**os.environ, "COLUMNS": "70"}, timeout=60)
    assert "\u2026" not in piped.stdout and max(len(line) for line in piped.stdout.splitlines()) > 70

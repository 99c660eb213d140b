"""A real `oxigraph serve` as the store, and extraction on a real local Dask cluster."""
from __future__ import annotations

import http.server
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import SEEDS, canonical, oxigraph_server, quads_at, rows, server_quads
from test_reliability import corpus

KG = str(Path(sys.executable).with_name("kg"))


def without_load_times(quads) -> list:
    return [q for q in quads if q.predicate.value.rsplit("#")[-1] != "loadedAt"]


def test_server_answers_the_contract_queries_as_the_disk_store_does(kg, seeds_store, tmp_path):
    with oxigraph_server(tmp_path / "data") as url:
        loaded = kg("load", str(SEEDS), "--store", url)
        assert loaded.exit_code == 0, loaded.stderr
        assert loaded.stdout.startswith("5 documents loaded")
        for name in ("events", "entities", "positions", "met-with"):
            remote = kg("query", name, "--store", url, "--format", "json")
            local = kg("query", name, "--store", str(seeds_store), "--format", "json")
            assert remote.exit_code == 0, remote.stderr
            assert local.exit_code == 0, local.stderr
            assert rows(remote.stdout) == rows(local.stdout), name
        assert canonical(without_load_times(server_quads(url))) == canonical(without_load_times(quads_at(seeds_store)))
        again = kg("load", str(SEEDS), "--store", url)
        assert again.stdout.startswith("0 documents loaded, 5 unchanged")


def test_a_server_that_is_not_there_is_one_line_and_exit_1(kg, tmp_path):
    for command in (("query", "met-with"), ("load", str(SEEDS)), ("stats",), ("export",)):
        result = kg(*command, "--store", "http://127.0.0.1:9")
        assert result.exit_code == 1, (command, result.stdout)
        assert result.stderr.startswith("kg: error: SPARQL server http://127.0.0.1:9: connection refused")
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


class Failing(http.server.BaseHTTPRequestHandler):
    """A server that answers every request with 503 and remembers what it was sent."""

    seen: list = []

    def answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        Failing.seen.append((self.command, self.headers.get("Authorization")))
        self.send_response(503)
        self.send_header("Content-Length", "9")
        self.end_headers()
        self.wfile.write(b"try later")

    do_GET = do_POST = do_PUT = answer

    def log_message(self, *args) -> None:
        pass


def test_credentials_are_sent_never_shown_and_server_errors_are_retried(kg, tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Failing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Failing.seen.clear()
    try:
        url = f"http://ann:hunter2@127.0.0.1:{server.server_port}"
        result = kg("query", "met-with", "--store", url)
        token = kg("query", "met-with", "--store", url.replace("ann:hunter2@", ""), env={"KG_STORE_TOKEN": "s3cr3t-token"})
    finally:
        server.shutdown()
    for outcome in (result, token):
        assert outcome.exit_code == 1
        assert outcome.stderr.strip() == (f"kg: error: SPARQL server http://127.0.0.1:{server.server_port}: "
                                          "server error 503: try later (tried 4 times)")
        assert "hunter2" not in outcome.stderr + outcome.stdout and "s3cr3t" not in outcome.stderr + outcome.stdout
    assert Failing.seen[:4] == [("POST", "Basic YW5uOmh1bnRlcjI=")] * 4
    assert Failing.seen[4:] == [("POST", "Bearer s3cr3t-token")] * 4


@pytest.mark.slow
def test_a_server_stopped_mid_load_holds_only_whole_documents(tmp_path):
    folder = corpus(tmp_path / "in", 300)
    reference = tmp_path / "ref"
    subprocess.run([KG, "load", str(folder), "--store", str(reference), "--quiet"], check=True)
    expected = graphs(quads_at(reference))
    data = tmp_path / "data"
    with oxigraph_server(data) as url:
        process = subprocess.Popen([KG, "load", str(folder), "--store", url, "--workers", "1"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while len(graphs(server_quads(url))) < 20 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
    out, err = process.communicate(timeout=120)  # the server is gone: the load must stop
    assert process.returncode == 1, out
    assert err.startswith("kg: error: SPARQL server") and len(err.strip().splitlines()) == 1
    with oxigraph_server(data) as url:
        partial = graphs(server_quads(url))
        assert 0 < len(partial) < len(expected)
        for graph, quads in partial.items():
            assert quads == expected[graph], f"{graph} is not whole"
        again = subprocess.run([KG, "load", str(folder), "--store", url], capture_output=True, text=True)
        assert again.returncode == 0, again.stderr
        assert graphs(server_quads(url)) == expected


def graphs(quads) -> dict[str, set]:
    out: dict[str, set] = {}
    for quad in without_load_times(quads):
        if "/doc/" in str(quad.graph_name):
            out.setdefault(quad.graph_name.value, set()).add(quad)
    return {g: q for g, q in out.items() if q}


def test_a_local_dask_cluster_writes_the_same_graph_as_a_local_load(kg, seeds_store, tmp_path):
    store = tmp_path / "dask"
    result = kg("load", str(SEEDS), "--cluster", "local:2", "--store", str(store))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("5 documents loaded")
    assert canonical(without_load_times(quads_at(store))) == canonical(without_load_times(quads_at(seeds_store)))


def test_cluster_addresses_are_checked(kg, tmp_path):
    both = kg("load", str(SEEDS), "--cluster", "local:2", "--workers", "2", "--store", str(tmp_path / "s"))
    assert both.exit_code == 2 and "do not go together" in both.stderr
    bad = kg("load", str(SEEDS), "--cluster", "somewhere", "--store", str(tmp_path / "s"))
    assert bad.exit_code == 2 and "scheduler address" in bad.stderr

"""Stores on servers that are not there or that fail, and cluster addresses: one line and
an exit code, credentials never shown (loading into a real `oxigraph serve` and on a real
Dask cluster is in tests/acceptance/test_remote_load.py)."""
from __future__ import annotations

import http.server
import threading

import pytest

from conftest import SEEDS

pytestmark = pytest.mark.usefixtures("quick_retries")


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


def test_cluster_addresses_are_checked(kg, tmp_path):
    both = kg("load", str(SEEDS), "--cluster", "local:2", "--workers", "2", "--store", str(tmp_path / "s"))
    assert both.exit_code == 2 and "do not go together" in both.stderr
    bad = kg("load", str(SEEDS), "--cluster", "somewhere", "--store", str(tmp_path / "s"))
    assert bad.exit_code == 2 and "scheduler address" in bad.stderr

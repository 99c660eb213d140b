"""What a user loaded is never wiped, and the endpoint is safe to expose: folders that hold
a damaged store are refused, damaged files are reported in one line, SERVICE and FROM are
found however the query is laid out, parameters bind alike on both stores, credentials
never show, and `kg serve` bounds memory, concurrency, hung-up clients and slow headers.
Every server here listens on loopback."""
from __future__ import annotations

import http.server
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psutil
import pytest
from starlette.testclient import TestClient

from kg.errors import QueryRefused, QueryTimeout, StoreError
from kg.query.limits import run_in_child
from kg.query.params import substitutions
from kg.query.safety import check_query, is_update
from kg.store import Location, open_store
from kg.store.sparql_server import bind_values
from kg.vocab import PREFIXES
from kg.web.app import create_app

from conftest import oxigraph_server, run, running_server, start_server, stop

CROSS_JOIN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir() if path.name != "kg-writer.lock"}


# ---------------------------------------------------------------- a damaged store is never written


@pytest.mark.parametrize("lost", [("CURRENT",), ("CURRENT", "*.log")])
def test_a_store_that_lost_its_current_file_is_refused_and_left_as_it_was(store_copy, lost):
    for pattern in lost:
        for path in store_copy.glob(pattern):
            path.unlink()
    before = files_of(store_copy)
    for attempt in range(2):
        with pytest.raises(StoreError, match=f"^store {store_copy} is damaged: .* copy the folder aside"):
            with open_store(store_copy, write=True):
                pass
    assert files_of(store_copy) == before
    reading = run("query", "met-with", "--store", str(store_copy))
    assert reading.returncode == 1 and reading.stderr.startswith(f"kg: error: store {store_copy} is damaged")


def test_a_folder_of_other_files_is_not_made_a_store(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="is not a store: it holds other files"):
        with open_store(tmp_path, write=True):
            pass
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg-writer.lock", "notes.txt"]


@pytest.mark.slow  # waits on a time limit
def test_damaged_blocks_give_one_line_quickly_in_bounded_memory(store_copy):
    for path in store_copy.glob("*.sst"):
        if path.stat().st_size > 9000:
            with path.open("r+b") as handle:
                handle.seek(4096)
                handle.write(bytes(4096))
    for command in (("query", "met-with"), ("stats",), ("export",), ("validate",)):
        started = time.monotonic()
        result = run(*command, "--store", str(store_copy))
        assert time.monotonic() - started < 30, command
        assert result.returncode == 1, (command, result.stderr)
        assert result.stderr.startswith(f"kg: error: store {store_copy} is damaged: "), (command, result.stderr)
        assert "copy the folder aside" in result.stderr and len(result.stderr.strip().splitlines()) == 1


# ---------------------------------------------------------------- a committed update is reported as committed


def test_work_past_its_checkpoint_is_known_to_have_got_there():
    from kg.query.limits import checkpoint
    def commit_then_count():
        checkpoint("committed")
        time.sleep(30)
    child = run_in_child(commit_then_count, 1, " (--timeout)")
    with pytest.raises(QueryTimeout):
        child.result()
    assert child.reached == ["committed"]


def test_a_timed_update_says_it_was_applied(store_copy):
    result = run("query", "--update", "--timeout", "30", "DELETE WHERE { GRAPH ?g { ?s kg:said ?q } }",
                 "--store", str(store_copy))
    assert result.returncode == 0 and result.stdout.startswith("update applied: -"), result.stderr
    assert run("query", "ASK { ?s kg:said ?q }", "--store", str(store_copy)).stdout == "false\n"


# ---------------------------------------------------------------- SERVICE and FROM, however written


class Listening(http.server.BaseHTTPRequestHandler):
    """A server that records every request it gets."""

    seen: list = []

    def do_GET(self) -> None:
        Listening.seen.append(self.path)
        self.send_response(500)
        self.end_headers()

    do_POST = do_GET

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def internal():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Listening)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    Listening.seen.clear()
    try:
        yield f"http://127.0.0.1:{server.server_port}/internal"
    finally:
        server.shutdown()


@pytest.mark.parametrize("break_", ["\r", "\n", "\r\n", "\u2028"])
def test_service_after_a_comment_is_refused_everywhere(kg, seeds_store, internal, break_):
    text = f"SELECT * {{ # x{break_}SERVICE <{internal}> {{ ?s ?p ?o }} }}"
    result = kg("query", text, "--store", str(seeds_store))
    assert result.exit_code == 2 and "--allow-service" in result.stderr
    response = TestClient(create_app(str(seeds_store), timeout=20)).get("/sparql", params={"query": text})
    assert response.status_code == 400 and "SERVICE" in response.text
    assert Listening.seen == []


def test_an_update_that_loads_from_the_network_needs_allow_service(kg, store_copy, internal):
    result = kg("query", "--update", f"LOAD <{internal}/data.ttl>", "--store", str(store_copy))
    assert result.exit_code == 2 and "--allow-service" in result.stderr
    assert Listening.seen == []


def test_update_after_a_carriage_return_comment_is_an_update():
    assert is_update("# x\rDROP ALL") and is_update("PREFIX a: <http://x/> # c\rINSERT DATA { a:b a:c a:d }")
    with pytest.raises(QueryRefused, match="--update"):
        check_query("# note\rDELETE WHERE { ?s ?p ?o }")


def test_from_is_refused_with_a_message(kg, seeds_store):
    for text in ("SELECT (COUNT(*) AS ?n) FROM <urn:nothing> WHERE { ?s ?p ?o }",
                 "SELECT * FROM NAMED <urn:nothing> WHERE { GRAPH ?g { ?s ?p ?o } }"):
        result = kg("query", text, "--store", str(seeds_store))
        assert result.exit_code == 2 and "FROM and FROM NAMED are not supported" in result.stderr
        response = TestClient(create_app(str(seeds_store), timeout=20)).get("/sparql", params={"query": text})
        assert response.status_code == 400 and "FROM" in response.text
    assert kg("query", "SELECT ?from WHERE { ?from a kg:Document }", "--store", str(seeds_store)).exit_code == 0


# ---------------------------------------------------------------- parameters bind alike on both stores


LABELLED = "SELECT ?who ?actor WHERE { ?e kg:agent ?who . ?who skos:prefLabel ?l FILTER(STR(?l) = ?actor) }"


@pytest.mark.parametrize("text", [
    "# description: where {a}\n" + LABELLED,
    '# where { ?x ?y ?z }\n' + LABELLED.replace("?actor) }", '?actor && ?actor != "} WHERE {") }'),
    LABELLED.replace("?actor WHERE", '?actor (STR("WHERE { ?x ?y ?z }") AS ?w) WHERE'),
])
def test_values_bound_in_the_text_give_the_embedded_stores_rows(seeds_store, text):
    bound = substitutions({"actor": "NATO"})
    with open_store(seeds_store) as store:
        embedded = {tuple(map(str, row)) for row in store.query(text, bound, prefixes=PREFIXES)}
        remote_like = {tuple(map(str, row)) for row in store.query(bind_values(text, bound), prefixes=PREFIXES)}
    assert embedded and remote_like == embedded


# ---------------------------------------------------------------- credentials never show


PASSWORDS = ["S3cretPw", "Zq9/Xy", "Zq9#Xy", "Zq9?Xy", "Zq9@Xy"]


@pytest.mark.parametrize("password", PASSWORDS)
def test_a_password_never_shows_whatever_it_holds(kg, password, quick_retries):
    url = f"http://alice:{password}@127.0.0.1:9/ds"
    assert Location.of(url).public == "http://127.0.0.1:9/ds" and Location.of(url).server.password == password
    for command in (("query", "met-with"), ("stats",), ("export",)):
        result = kg(*command, "--store", url)
        assert result.exit_code == 1, (command, result.stderr)
        assert "connection refused" in result.stderr and "Zq9" not in result.stderr and "S3cret" not in result.stderr


def test_serve_names_its_store_without_the_password(tmp_path):
    with oxigraph_server(tmp_path / "data") as url:
        secret = url.replace("http://", "http://alice:Zq9%2FXy#S3cret@")
        log = tmp_path / "serve.log"
        with running_server(secret, log, timeout=5.0) as served:
            assert served.startswith("http://127.0.0.1:")
        assert f"kg: serving {url} at" in log.read_text()
        assert "Zq9" not in log.read_text() and "S3cret" not in log.read_text()


# ---------------------------------------------------------------- kg serve's bounds


def test_a_query_that_needs_too_much_memory_is_stopped(seeds_store):
    capped = TestClient(create_app(str(seeds_store), timeout=120, max_memory=200))
    started = time.monotonic()
    response = capped.get("/sparql", params={"query": CROSS_JOIN})
    assert time.monotonic() - started < 60
    assert response.status_code == 503 and "200 MB of memory" in response.text
    assert capped.get("/sparql", params={"query": "ASK { ?s a kg:Document }"}).status_code == 200


def query_url(base: str, text: str) -> str:
    return base + "sparql?" + urllib.parse.urlencode({"query": text})


def get(url: str) -> tuple[int, dict]:
    """Status and headers (names in lower case) of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}


@pytest.mark.slow  # waits out queries kept running on purpose
def test_too_many_queries_at_once_get_503_with_retry_after(seeds_store, tmp_path):
    with running_server(seeds_store, tmp_path / "serve.log", timeout=3.0, max_queries=1) as url:
        answers: list = []
        threads = [threading.Thread(target=lambda: answers.append(get(query_url(url, SLOW)))) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        busy = [headers for status, headers in answers if status == 503 and headers.get("retry-after") == "5"]
        assert len(busy) >= 2 and len(answers) == 6
        assert get(query_url(url, "ASK { ?s a kg:Document }"))[0] == 200


@pytest.mark.slow  # waits on a time limit
def test_a_query_whose_client_hangs_up_is_stopped(seeds_store, tmp_path):
    server, url = start_server(seeds_store, tmp_path / "serve.log", timeout=60.0)
    try:
        port = urllib.parse.urlsplit(url).port
        clients = []
        for _ in range(3):
            client = socket.create_connection(("127.0.0.1", port))
            client.sendall(f"GET {query_url('/', SLOW)} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            clients.append(client)
        time.sleep(1.5)
        assert len(psutil.Process(server.pid).children()) == 3
        for client in clients:
            client.close()
        deadline = time.monotonic() + 5
        while psutil.Process(server.pid).children() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert psutil.Process(server.pid).children() == []
    finally:
        stop(server)


@pytest.mark.slow  # waits out the server's header time limit
def test_a_connection_that_sends_headers_too_slowly_is_closed(seeds_store, tmp_path):
    from kg.web.app import HEADER_SECONDS
    with running_server(seeds_store, tmp_path / "serve.log") as url:
        port = urllib.parse.urlsplit(url).port
        slow = socket.create_connection(("127.0.0.1", port))
        slow.settimeout(HEADER_SECONDS + 10)
        started = time.monotonic()
        slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        assert slow.recv(100) == b""  # closed, nothing answered
        assert HEADER_SECONDS - 1 < time.monotonic() - started < HEADER_SECONDS + 5
        assert get(url)[0] == 200


def test_listening_beyond_loopback_is_warned_of():
    from kg.web.app import exposure_warning
    assert exposure_warning("127.0.0.1") is None and exposure_warning("::1") is None
    assert "public" in exposure_warning("0.0.0.0") and "public" in exposure_warning("192.0.2.7")

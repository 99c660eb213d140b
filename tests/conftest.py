"""Shared fixtures: the real spaCy pipeline, real on-disk Oxigraph stores, the CLI runner.

The seeds store a test gets depends on its tier: a unit test (tests/unit) gets the seeds as
the model once read them, recorded in tests/data/seeds.nq; an acceptance test
(tests/acceptance) gets them as the model reads them now.
"""
from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import strategies as st

from kg.cli import main
from kg.ingest.text import document_from_bytes
from kg.load.loader import load
from kg.records import Extraction
from kg.store import ServerURL, open_store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = ROOT / "tests" / "data"
ACCEPTANCE = ROOT / "tests" / "acceptance"
KG = str(Path(sys.executable).with_name("kg"))
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400)


@pytest.fixture(scope="session")
def nlp():
    from kg.nlp.pipeline import pipeline
    return pipeline()


@pytest.fixture(scope="session")
def read(nlp):
    """Extract from a short text written for the test."""
    from kg.extract.document import extract

    def _read(text: str, date: str | None = None) -> Extraction:
        document = document_from_bytes(text.encode("utf-8"), "test.txt", date=date)
        return extract(nlp(document.text), document)
    return _read


def load_into(paths: list[str], location: str) -> None:
    """Load articles into the store at a folder or server URL, as `kg load` does."""
    with open_store(location, write=True) as store:
        load(paths, store)


@pytest.fixture(scope="session")
def extracted_seeds(tmp_path_factory) -> Path:
    """The five seed articles loaded once with the model into an on-disk store."""
    path = tmp_path_factory.mktemp("seeds") / "store"
    load_into([str(SEEDS)], str(path))
    return path


@pytest.fixture(scope="session")
def recorded_seeds(tmp_path_factory) -> Path:
    """The five seed articles as the model once read them, with kg's ontology, in an on-disk store."""
    path = tmp_path_factory.mktemp("recorded-seeds") / "store"
    write_store(path, (DATA / "seeds.nq").read_bytes())
    return path


@pytest.fixture(scope="module")
def seeds_store(request) -> Path:
    """The seeds store of the test's tier (read it, don't change it)."""
    acceptance = ACCEPTANCE in request.node.path.parents
    return request.getfixturevalue("extracted_seeds" if acceptance else "recorded_seeds")


def write_store(path: Path, nquads: bytes) -> None:
    """Write documents given as N-Quads, one graph each, and the ontology, through kg's own store."""
    graphs: dict[str, list[ox.Quad]] = {}
    for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        graphs.setdefault(quad.graph_name.value, []).append(quad)
    with open_store(path, write=True) as store:
        store.ensure_ontology()
        store.write_documents([(graph, ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
                               for graph, quads in graphs.items()])


@pytest.fixture
def store_copy(seeds_store, tmp_path) -> Path:
    """A private copy of the seeds store that a test may change."""
    target = tmp_path / "store"
    shutil.copytree(seeds_store, target, ignore=shutil.ignore_patterns("kg-writer.lock"))
    return target


OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
VIRTUOSO = shutil.which("virtuoso-t")
BACKENDS = ("disk", "server", "virtuoso")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def oxigraph_server(location: Path):
    """A real `oxigraph serve` on a loopback port over `location`; yields its base URL."""
    assert OXIGRAPH, "the oxigraph command (pip install oxigraph) is needed for the server tests"
    port = free_port()
    log = location.parent / f"{location.name}-oxigraph.log"
    process = subprocess.Popen([OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=log.open("w"))
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/query", timeout=1).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(f"oxigraph serve did not start: {log.read_text()}") from None
            time.sleep(0.05)
    try:
        yield url
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """Terminate a process, killing it if it does not end within ten seconds."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def server_quads(url: str) -> list[ox.Quad]:
    request = urllib.request.Request(url + "/store", headers={"Accept": "application/n-quads"})
    return list(ox.parse(urllib.request.urlopen(request).read(), format=ox.RdfFormat.N_QUADS))


def quads_at(location: str | Path) -> list[ox.Quad]:
    """Every quad of a store, on disk or on a server."""
    if str(location) in VIRTUOSO_URLS:
        return virtuoso_quads(str(location))
    return server_quads(str(location)) if str(location).startswith("http") else store_quads(Path(location))


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> str:
    """The kind of store a test runs on: each test using it runs on both."""
    return request.param


@pytest.fixture(scope="module")
def seeds_location(backend, seeds_store, tmp_path_factory, request):
    """The seeds store in a store of the backend under test (read it, don't change it)."""
    if backend == "disk":
        yield str(seeds_store)
        return
    if backend == "virtuoso":
        url = virtuoso_emptied(request.getfixturevalue("virtuoso_seeds"))
        put_virtuoso_quads(url, store_quads(seeds_store))
        yield url
        return
    with oxigraph_server(tmp_path_factory.mktemp("seeds-server") / "data") as url:
        post_quads(url, store_quads(seeds_store))
        yield url


@pytest.fixture
def fresh_location(backend, tmp_path, request):
    """An empty store of the backend under test."""
    if backend == "disk":
        yield str(tmp_path / "store")
        return
    if backend == "virtuoso":
        yield virtuoso_emptied(request.getfixturevalue("virtuoso_scratch"))
        return
    with oxigraph_server(tmp_path / "server") as url:
        yield url


@pytest.fixture
def copy_location(backend, seeds_store, fresh_location, store_copy):
    """A private copy of the seeds store in a store of the backend under test, which a test may change."""
    if backend == "disk":
        return str(store_copy)
    if backend == "virtuoso":
        put_virtuoso_quads(fresh_location, store_quads(seeds_store))
        return fresh_location
    post_quads(fresh_location, store_quads(seeds_store))
    return fresh_location


VIRTUOSO_INI = """\
[Database]
DatabaseFile = virtuoso.db
ErrorLogFile = virtuoso.log
LockFile = virtuoso.lck
TransactionFile = virtuoso.trx
xa_persistent_file = virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = .
ServerThreads = 10
EnabledDavVSP = 0
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 0
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 0
"""
VIRTUOSO_URLS: set[str] = set()  # the store URLs of the Virtuoso servers the tests started


@contextlib.contextmanager
def virtuoso_server(folder: Path):
    """A real Virtuoso (virtuoso-t, not a system service) on loopback ports, with its
    virtuoso.ini and database in `folder` and a fresh password for its dba account; yields
    the store URL, with those credentials in it."""
    assert VIRTUOSO, ("virtuoso-t is needed for the Virtuoso tests: `make system-packages` installs "
                      "Debian's virtuoso-opensource")
    folder.mkdir(parents=True)
    http_port, sql_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(http=http_port, sql=sql_port))
    log = folder / "console.log"
    process = subprocess.Popen([VIRTUOSO, "+configfile", "virtuoso.ini", "+foreground"], cwd=folder,
                               stdout=log.open("w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(base + "/sparql?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"Virtuoso did not start: {log.read_text()}") from None
                time.sleep(0.1)
        password = "kg" + secrets.token_hex(8)  # isql reads a leading digit as a number
        changed = subprocess.run([shutil.which("isql-vt") or "isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba",
                                  f"exec=set password dba {password};"], capture_output=True, text=True, timeout=60)
        assert "Error" not in changed.stdout + changed.stderr, changed.stdout + changed.stderr
        url = f"http://dba:{password}@127.0.0.1:{http_port}"
        VIRTUOSO_URLS.add(url)
        yield url
    finally:
        stop(process)


@pytest.fixture(scope="session")
def virtuoso_seeds(tmp_path_factory):
    """A Virtuoso that holds the seeds of the module under test."""
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso") / "seeds") as url:
        yield url


@pytest.fixture(scope="session")
def virtuoso_scratch(tmp_path_factory):
    """A Virtuoso that each test empties and may change."""
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso") / "scratch") as url:
        yield url


@pytest.fixture(autouse=True)
def server_kind(request, monkeypatch):
    """A test on the Virtuoso backend tells kg which server it speaks to, as a user would."""
    if "backend" in request.fixturenames and request.getfixturevalue("backend") == "virtuoso":
        monkeypatch.setenv("KG_SERVER", "virtuoso")


def virtuoso_client(url: str):
    """The server URL, and kg's HTTP client for it, which answers Virtuoso's digest
    challenge before it sends a body (Virtuoso hangs up on a body sent without one)."""
    from kg.store.sparql_server import Connection
    server = ServerURL.of(url)
    return server, Connection(server.public, None, 120, (server.user, server.password), digest=True)


def virtuoso_update(url: str, sparql: str) -> None:
    server, client = virtuoso_client(url)
    answer = client.request("POST", server.public + "/sparql-auth", urllib.parse.urlencode({"update": sparql}).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status == 200, answer.data


def virtuoso_select(url: str, sparql: str) -> ox.QuerySolutions:
    request = urllib.request.Request(ServerURL.of(url).public + "/sparql", data=urllib.parse.urlencode({"query": sparql}).encode(),
                                     headers={"Accept": "application/sparql-results+json"})
    return ox.parse_query_results(urllib.request.urlopen(request, timeout=120).read(), format=ox.QueryResultsFormat.JSON)


KG_GRAPH_FILTER = 'FILTER(STRSTARTS(STR(?g), "https://w3id.org/kg-news/"))'  # Virtuoso keeps graphs of its own


def virtuoso_quads(url: str) -> list[ox.Quad]:
    """Every quad of kg's graphs on a Virtuoso, read graph by graph with the Graph Store
    Protocol (its query results would write booleans as 0 and 1)."""
    server, client = virtuoso_client(url)
    quads = []
    for row in virtuoso_select(url, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {KG_GRAPH_FILTER} }}"):
        target = server.public + "/sparql-graph-crud-auth?" + urllib.parse.urlencode({"graph": row["g"].value})
        answer = client.request("GET", target, None, {"Accept": "application/n-triples"})
        quads += [ox.Quad(t.subject, t.predicate, t.object, row["g"])
                  for t in ox.parse(answer.data, format=ox.RdfFormat.N_TRIPLES)]
    return quads


def virtuoso_emptied(url: str) -> str:
    """Drop every graph of kg's from a Virtuoso; returns its URL."""
    graphs = [row["g"].value for row in virtuoso_select(url, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {KG_GRAPH_FILTER} }}")]
    if graphs:
        virtuoso_update(url, " ;\n".join(f"DROP SILENT GRAPH <{graph}>" for graph in graphs))
    return url


def put_virtuoso_quads(url: str, quads: list[ox.Quad]) -> None:
    """Add quads to a Virtuoso with one Graph Store Protocol PUT per graph."""
    server, client = virtuoso_client(url)
    graphs: dict[str, list[ox.Triple]] = {}
    for quad in quads:
        graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    for graph, triples in graphs.items():
        target = server.public + "/sparql-graph-crud-auth?" + urllib.parse.urlencode({"graph": graph})
        answer = client.request("PUT", target, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES),
                                {"Content-Type": "application/n-triples"})
        assert answer.status in (200, 201, 204), answer.data


def post_quads(url: str, quads: list[ox.Quad]) -> None:
    """Add quads to the store of an `oxigraph serve`."""
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    urllib.request.urlopen(urllib.request.Request(url + "/store", data=data, method="POST",
                                                  headers={"Content-Type": "application/n-quads"})).read()


@pytest.fixture
def unreadable_file(tmp_path, monkeypatch) -> Path:
    """A file that reading refuses with "permission denied"."""
    path = tmp_path / "secret.txt"
    path.write_text("NATO met Russia.\n")
    real = Path.open

    def deny(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)  # root reads every file, so the refusal is simulated
    return path


@pytest.fixture
def quick_retries(monkeypatch):
    """A failing server retried milliseconds apart rather than seconds: the tests count the
    retries and read the message, they do not time the waits."""
    from kg.store import sparql_server
    monkeypatch.setattr(sparql_server, "BACKOFF", 0.001)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def kg(runner):
    """Run a kg command in-process; returns click's result (exit_code, stdout, stderr)."""
    def _kg(*args: str, input: bytes | str | None = None, env: dict[str, str] | None = None):
        return runner.invoke(main, list(args), input=input, env=env, catch_exceptions=False)
    return _kg


def canonical(quads) -> ox.Dataset:
    """A dataset with blank nodes canonicalized, for comparing RDF as data, never as text."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def store_quads(path: Path) -> list[ox.Quad]:
    store = ox.Store.read_only(str(path))
    try:
        return list(store)
    finally:
        del store


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """The installed `kg` command as a real process."""
    return subprocess.run([KG, *args], capture_output=True, text=True, timeout=300, **kwargs)


def rows(result_json: str) -> list[dict[str, str]]:
    data = json.loads(result_json)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def start_server(store: Path, log: Path, **options) -> tuple[subprocess.Popen, str]:
    """`kg.web.app.serve` in its own process on a free loopback port; returns it and its URL."""
    arguments = "".join(f", {k}={v!r}" for k, v in options.items())
    code = f"from kg.web.app import serve; serve({str(store)!r}, port=0{arguments})"
    handle = log.open("w")
    process = subprocess.Popen([sys.executable, "-c", code], stderr=handle, stdout=handle, cwd=ROOT,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        text = log.read_text()
        if "kg: serving" in text:
            return process, text.split(" at ", 1)[1].split()[0]
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    raise AssertionError(f"the server did not start: {log.read_text()}")


@contextlib.contextmanager
def running_server(store: Path, log: Path, **options):
    """A server over `store` for the duration of a with block; yields its URL."""
    process, url = start_server(store, log, **options)
    try:
        yield url
    finally:
        stop(process)


def saved_query_rows(store_path: Path, name: str, **params: str) -> list[dict[str, str]]:
    """The rows of a saved query with parameters bound as the saved-query convention says:
    its `#[name] ` lines switched on and VALUES blocks where kg puts them (an entity given by
    its key, a date as YYYY-MM-DD). Each row maps variables to values."""
    import re

    from kg.query.params import with_values
    from kg.query.saved import saved_queries
    from kg.vocab import ENT_NS, XSD

    text = saved_queries()[name].text
    for param in params:
        text = re.sub(rf"(?m)^(\s*)#\[{param}\] ", r"\1", text)
    values = {p: (ox.Literal(v, datatype=ox.NamedNode(f"{XSD}date")) if re.fullmatch(r"\d{4}-\d\d-\d\d", v)
                  else ox.NamedNode(f"{ENT_NS}{v}"),) for p, v in params.items()}
    text = with_values(text, values, inward=True)
    with open_store(store_path) as store:
        solutions = store.query(text)
        names = [v.value for v in solutions.variables]
        return [{n: row[n].value if row[n] is not None else "" for n in names} for row in solutions]

"""The SPARQL endpoint and the page's routes, in-process through Starlette's TestClient and
over a real socket against `kg.web.app.serve` running in its own process."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient

from kg.errors import StoreError
from kg.web.app import create_app
from kg.store import open_store

from conftest import ROOT, rows, running_server, store_quads

RESULTS_XML = "{http://www.w3.org/2005/sparql-results#}"
COUNT_MEETINGS = "SELECT (COUNT(?e) AS ?n) WHERE { ?e a kg:Meeting }"
EVENTS = "SELECT ?e WHERE { ?e kg:evidence ?s } ORDER BY ?e"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
LAVROV = "https://w3id.org/kg-news/entity/sergey-lavrov"
MEETING_IN_VOLGOGRAD = "https://w3id.org/kg-news/event/000_b46fa97775ddf137-dc1d1ef59e9c"
UPDATES = [
    "INSERT DATA { GRAPH <http://x.org/g> { <http://x.org/a> <http://x.org/b> <http://x.org/c> } }",
    "PREFIX x: <http://x.org/> INSERT DATA { x:a x:b x:c }",
    "DELETE WHERE { GRAPH ?g { ?s kg:said ?q } }",
    "DROP ALL",
]


@pytest.fixture(scope="module")
def client(seeds_store) -> TestClient:
    return TestClient(create_app(str(seeds_store), timeout=20))


def count_in_store(path: Path, sparql: str) -> int:
    with open_store(path) as store:
        return int(next(iter(store.query(sparql, prefixes={"kg": "https://w3id.org/kg-news/ontology#"})))["n"].value)


def plain_error(response) -> str:
    """The error message, checked to be short text/plain and never a traceback."""
    assert response.headers["content-type"].startswith("text/plain"), response.headers["content-type"]
    assert "Traceback" not in response.text and len(response.text) < 400
    return response.text


# ---------------------------------------------------------------- queries


def test_count_by_get_is_the_stores_count(client, seeds_store):
    response = client.get("/sparql", params={"query": COUNT_MEETINGS})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json"
    expected = count_in_store(seeds_store, COUNT_MEETINGS)
    assert expected > 0
    assert rows(response.text) == [{"n": str(expected)}]
    assert "x-kg-truncated" not in response.headers


def test_post_form_and_post_sparql_query_answer_alike(client):
    by_get = client.get("/sparql", params={"query": EVENTS})
    by_form = client.post("/sparql", data={"query": EVENTS})
    by_body = client.post("/sparql", content=EVENTS.encode(), headers={"Content-Type": "application/sparql-query"})
    assert by_form.status_code == by_body.status_code == 200
    assert rows(by_get.text) == rows(by_form.text) == rows(by_body.text)
    assert len(rows(by_form.text)) > 50


def test_saved_query_text_runs_with_predeclared_prefixes(client):
    answer = client.post("/sparql", data={"query": "SELECT ?who WHERE { ?m a kg:Meeting ; kg:participant/skos:prefLabel ?who }"})
    names = {row["who"] for row in rows(answer.text)}
    assert {"Sergey Lavrov", "Frank-Walter Steinmeier"} <= names


@pytest.mark.parametrize("accept, media", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
])
def test_accept_header_picks_the_results_format(client, accept, media):
    response = client.get("/sparql", params={"query": EVENTS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert event_iris(response.text, media) == sorted(event_iris(client.get("/sparql", params={"query": EVENTS}).text,
                                                                  "application/sparql-results+json"))


def event_iris(body: str, media: str) -> list[str]:
    """The ?e column of a result, parsed from whichever format it came in."""
    if media.endswith("json"):
        return [row["e"] for row in rows(body)]
    if media.endswith("xml"):
        root = ET.fromstring(body)
        return [uri.text for uri in root.iter(RESULTS_XML + "uri")]
    if media == "text/csv":
        table = list(csv.reader(io.StringIO(body)))
        assert table[0] == ["e"]
        return [row[0] for row in table[1:]]
    lines = body.splitlines()
    assert lines[0] == "?e"
    return [line.strip("<>") for line in lines[1:]]


def test_accept_with_weights_and_wildcards(client):
    weighted = client.get("/sparql", params={"query": COUNT_MEETINGS},
                          headers={"Accept": "text/csv;q=0.5, application/sparql-results+xml;q=0.9"})
    assert weighted.headers["content-type"] == "application/sparql-results+xml"
    browser = client.get("/sparql", params={"query": COUNT_MEETINGS},
                         headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.headers["content-type"] == "application/sparql-results+json"
    refused = client.get("/sparql", params={"query": COUNT_MEETINGS}, headers={"Accept": "image/png"})
    assert refused.status_code == 406
    assert "text/csv" in plain_error(refused)


@pytest.mark.parametrize("fmt, media", [("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
                                        ("csv", "text/csv"), ("tsv", "text/tab-separated-values")])
def test_format_parameter_overrides_accept(client, fmt, media):
    response = client.get("/sparql", params={"query": COUNT_MEETINGS, "format": fmt}, headers={"Accept": "text/csv"})
    assert response.headers["content-type"].split(";")[0] == media


def test_unknown_format_parameter_is_refused(client):
    response = client.get("/sparql", params={"query": COUNT_MEETINGS, "format": "yaml"})
    assert response.status_code == 400
    assert "unknown format" in plain_error(response)


def test_ask_gives_a_boolean(client):
    response = client.get("/sparql", params={"query": "ASK { ?e a kg:Meeting }"})
    assert json.loads(response.text)["boolean"] is True


def test_construct_returns_turtle_that_parses(client, seeds_store):
    query = "CONSTRUCT { ?e a kg:Meeting ; kg:evidence ?s } WHERE { ?e a kg:Meeting ; kg:evidence ?s }"
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    triples = list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    meetings = count_in_store(seeds_store, COUNT_MEETINGS)
    assert len(triples) == 2 * meetings
    assert "@prefix kg:" in response.text
    ntriples = client.post("/sparql", data={"query": query}, headers={"Accept": "application/n-triples"})
    assert ntriples.headers["content-type"] == "application/n-triples"
    assert set(ox.parse(ntriples.content, format=ox.RdfFormat.N_TRIPLES)) == set(triples)


def test_describe_returns_turtle(client):
    response = client.get("/sparql", params={"query": f"DESCRIBE <{LAVROV}>"})
    triples = list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    assert any(t.object == ox.Literal("Sergey Lavrov", language="en") for t in triples)


def test_parameters_are_bound_as_terms(client):
    saved = {q["name"]: q for q in client.get("/api/queries").json()}["suspensions"]
    nato = client.post("/sparql", data={"query": saved["text"], "$actor": "NATO"})
    assert nato.status_code == 200
    assert {row["agent"] for row in rows(nato.text)} == {"NATO"}
    hostile = client.post("/sparql", data={"query": saved["text"], "$actor": 'x" } DROP ALL'})
    assert hostile.status_code == 200 and rows(hostile.text) == []


def test_a_name_that_matches_nothing_is_noted_in_a_header(client):
    saved = {q["name"]: q for q in client.get("/api/queries").json()}["about"]
    nobody = client.post("/sparql", data={"query": saved["text"], "$name": "Лавроф"})
    assert nobody.status_code == 200 and rows(nobody.text) == []
    assert json.loads(nobody.headers["X-KG-Notes"]) == [
        "no entity in the store is named 'Лавроф' (parameter name); `kg query entities` lists them"]
    lavrov = client.post("/sparql", data={"query": saved["text"], "$name": "Lavrov"})
    assert rows(lavrov.text) and "X-KG-Notes" not in lavrov.headers


def test_binding_a_variable_the_query_does_not_project_is_400(client):
    response = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x a kg:Meeting }", "$y": "NATO"})
    assert response.status_code == 400
    assert "cannot bind" in plain_error(response)


# ---------------------------------------------------------------- refusals


@pytest.fixture
def private_client(store_copy) -> TestClient:
    return TestClient(create_app(str(store_copy), timeout=20))


def test_updates_get_403_and_leave_the_store_unchanged(private_client, store_copy):
    before = store_quads(store_copy)
    attempts = []
    for update in UPDATES:
        attempts.append(private_client.post("/sparql", data={"update": update}))
        attempts.append(private_client.post("/sparql", data={"query": update}))
        attempts.append(private_client.get("/sparql", params={"query": update}))
        attempts.append(private_client.get("/sparql", params={"update": update}))
        attempts.append(private_client.post("/sparql", content=update.encode(),
                                            headers={"Content-Type": "application/sparql-update"}))
    for response in attempts:
        assert response.status_code == 403, response.text
        assert "read-only" in plain_error(response)
    assert store_quads(store_copy) == before


def test_syntax_error_gets_400_with_the_parser_message(client):
    response = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x a kg:Meeting"})
    assert response.status_code == 400
    message = plain_error(response)
    assert message.startswith("SPARQL syntax error at line 1, column")


def test_service_is_refused(client):
    response = client.post("/sparql", data={"query": "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }"})
    assert response.status_code == 400
    assert "SERVICE" in plain_error(response)


def test_requests_without_a_query_are_400(client):
    assert client.get("/sparql").status_code == 400
    assert client.post("/sparql", data={"other": "x"}).status_code == 400
    assert client.post("/sparql", content=b"ASK {}", headers={"Content-Type": "application/json"}).status_code == 415
    assert client.post("/sparql", content=b"\xff\xfe", headers={"Content-Type": "application/sparql-query"}).status_code == 400


def test_row_limit_truncates_with_a_header(seeds_store):
    limited = TestClient(create_app(str(seeds_store), timeout=20, max_rows=5))
    response = limited.get("/sparql", params={"query": EVENTS})
    assert response.status_code == 200
    assert response.headers["x-kg-truncated"] == "true"
    assert len(rows(response.text)) == 5
    csv_rows = list(csv.reader(io.StringIO(limited.get("/sparql", params={"query": EVENTS, "format": "csv"}).text)))
    assert len(csv_rows) == 1 + 5
    small = limited.get("/sparql", params={"query": EVENTS + " LIMIT 5"})
    assert "x-kg-truncated" not in small.headers and len(rows(small.text)) == 5
    graph = limited.get("/sparql", params={"query": "CONSTRUCT WHERE { ?e kg:evidence ?s }"})
    assert graph.headers["x-kg-truncated"] == "true"
    assert len(list(ox.parse(graph.content, format=ox.RdfFormat.TURTLE))) == 5


@pytest.mark.slow  # waits on a time limit
def test_a_runaway_query_is_stopped_at_the_time_limit(seeds_store):
    hurried = TestClient(create_app(str(seeds_store), timeout=1))
    started = time.monotonic()
    response = hurried.get("/sparql", params={"query": CARTESIAN})
    assert time.monotonic() - started < 15
    assert response.status_code in (503, 504)
    assert "1 s" in plain_error(response)
    assert hurried.get("/sparql", params={"query": COUNT_MEETINGS}).status_code == 200


def test_no_store_raises_store_error(tmp_path):
    with pytest.raises(StoreError):
        create_app(str(tmp_path / "nothing"))


def test_each_request_sees_what_was_committed_after_the_start(private_client, store_copy):
    query = "SELECT (COUNT(?d) AS ?n) WHERE { ?d a kg:Document }"
    before = int(rows(private_client.get("/sparql", params={"query": query}).text)[0]["n"])
    with open_store(store_copy, write=True) as store:
        store.update("INSERT DATA { GRAPH <https://w3id.org/kg-news/doc/extra> { "
                     "<https://w3id.org/kg-news/doc/extra> a <https://w3id.org/kg-news/ontology#Document> } }")
    after = int(rows(private_client.get("/sparql", params={"query": query}).text)[0]["n"])
    assert after == before + 1


# ---------------------------------------------------------------- the page and its API


def test_page_is_served(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<textarea" in response.text and "static/app.js" in response.text
    assert "http://" not in response.text.split("<body")[1].replace("http://www.w3.org", "")
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_saved_queries_are_listed(client):
    listed = {q["name"]: q for q in client.get("/api/queries").json()}
    assert "met-with" in listed
    assert listed["met-with"]["title"] == "Who met whom"
    assert "SELECT" in listed["met-with"]["text"]
    assert [p["name"] for p in listed["suspensions"]["params"]] == ["actor"]


@pytest.mark.parametrize("path, media", [("/static/vendor/cytoscape.min.js", "javascript"),
                                         ("/static/app.js", "javascript"), ("/static/graph.js", "javascript"),
                                         ("/static/app.css", "text/css"), ("/static/vendor/cytoscape.LICENSE", "")])
def test_static_files_are_served(client, path, media):
    response = client.get(path)
    assert response.status_code == 200
    assert media in response.headers["content-type"]
    if path.endswith("cytoscape.min.js"):
        assert len(response.content) > 100_000 and b"cytoscape" in response.content


def test_prefixes_and_documents(client):
    assert client.get("/api/prefixes").json()["ent"] == "https://w3id.org/kg-news/entity/"
    documents = client.get("/api/documents").json()
    assert [d["file"] for d in documents] == sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    assert all(d["events"] > 0 for d in documents)


def test_node_details_give_facts_and_evidence(client):
    person = client.get("/api/node", params={"iri": LAVROV}).json()
    assert person["label"] == "Sergey Lavrov"
    assert any(r["type"] == "Meeting" and "Volgograd" in (r["evidence"] or "") for r in person["roles"])
    event = client.get("/api/node", params={"iri": MEETING_IN_VOLGOGRAD}).json()
    assert event["event"] is True
    assert event["sources"][0]["file"] == "000_b46fa97775ddf137.txt"
    assert any(f["predicate"].endswith("#evidence") and "Volgograd" in f["value"] for f in event["facts"])
    assert client.get("/api/node", params={"iri": "http://x.org/nothing"}).status_code == 404
    assert client.get("/api/node", params={"iri": "not an iri"}).status_code == 400


def test_graph_of_documents_and_of_a_construct(client):
    whole = client.get("/api/graph").json()
    kinds = [n["data"]["kind"] for n in whole["nodes"]]
    assert kinds.count("event") > 40 and kinds.count("entity") > 10
    assert {e["data"]["label"] for e in whole["edges"]} <= {"agent", "participant", "counterpart", "place"}
    one = client.get("/api/graph", params={"doc": "000_b46fa97775ddf137"}).json()
    assert 0 < len(one["nodes"]) < len(whole["nodes"])
    capped = client.get("/api/graph", params={"limit": "3"}).json()
    assert capped["truncated"] is True
    assert [n["data"]["kind"] for n in capped["nodes"]].count("event") == 3
    assert client.get("/api/graph", params={"doc": "no-such-document"}).status_code == 400
    built = client.get("/api/graph", params={"query": "CONSTRUCT WHERE { ?e a kg:Meeting ; kg:participant ?p }"}).json()
    assert any(n["data"]["kind"] == "event" for n in built["nodes"]) and built["edges"]


def test_unknown_routes_and_methods(client):
    assert client.get("/nowhere").status_code == 404
    assert client.delete("/sparql").status_code == 405


# ---------------------------------------------------------------- a real server


@pytest.fixture(scope="module")
def live_server(seeds_store, tmp_path_factory):
    log = tmp_path_factory.mktemp("server") / "server.log"
    with running_server(seeds_store, log, timeout=2.0, max_rows=1000) as url:
        yield url


def http(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_real_server_answers_over_http(live_server, seeds_store):
    assert live_server.startswith("http://127.0.0.1:")
    status, headers, body = http(live_server + "sparql?" + urllib.parse.urlencode({"query": COUNT_MEETINGS}))
    assert status == 200 and headers["content-type"] == "application/sparql-results+json"
    assert rows(body.decode()) == [{"n": str(count_in_store(seeds_store, COUNT_MEETINGS))}]
    status, headers, body = http(live_server + "sparql", urllib.parse.urlencode({"query": EVENTS}).encode(),
                                 {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"})
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert len(list(csv.reader(io.StringIO(body.decode())))) > 50
    status, _, body = http(live_server + "sparql", UPDATES[0].encode(), {"Content-Type": "application/sparql-query"})
    assert status == 403 and b"read-only" in body
    status, _, body = http(live_server)
    assert status == 200 and b"<textarea" in body
    status, _, body = http(live_server + "static/vendor/cytoscape.min.js")
    assert status == 200 and len(body) > 100_000


@pytest.mark.slow  # waits on a time limit
def test_real_server_stops_a_runaway_query(live_server):
    started = time.monotonic()
    status, headers, body = http(live_server + "sparql?" + urllib.parse.urlencode({"query": CARTESIAN}))
    assert status == 503 and headers["content-type"].startswith("text/plain")
    assert time.monotonic() - started < 15
    status, _, _ = http(live_server + "sparql?" + urllib.parse.urlencode({"query": COUNT_MEETINGS}))
    assert status == 200


def test_real_server_refuses_other_host_names(live_server):
    status, _, _ = http(live_server + "api/queries", headers={"Host": "attacker.example"})
    assert status == 400
    port = urllib.parse.urlsplit(live_server).port
    status, _, _ = http(live_server + "api/queries", headers={"Host": f"localhost:{port}"})
    assert status == 200


def test_serve_reports_a_port_in_use(live_server, seeds_store):
    port = urllib.parse.urlsplit(live_server).port
    done = subprocess.run([sys.executable, "-c", f"from kg.web.app import serve; serve({str(seeds_store)!r}, port={port})"],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr

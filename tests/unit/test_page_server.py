"""What the page asks of `kg serve` beyond the SPARQL protocol: where a syntax error is, a
page of rows at a time, an entity's own page, and pictures of CONSTRUCT results that name
and colour what they draw (on the page and in `kg viz`)."""
from __future__ import annotations

import json
import re
import tomllib
import xml.etree.ElementTree as ET
from fnmatch import fnmatch

import pytest
from starlette.testclient import TestClient

from kg.web.app import create_app
from kg.web.pictures import render_html, render_svg, web_dir
from kg.vocab import entity_group

from conftest import ROOT, rows

LAVROV = "https://w3id.org/kg-news/entity/sergey-lavrov"
UNION = "https://w3id.org/kg-news/entity/european-union"
SVG = "{http://www.w3.org/2000/svg}"
MET = "CONSTRUCT { ?a kg:metWith ?b } WHERE { ?m a kg:Meeting ; kg:participant ?a, ?b FILTER(?a != ?b) }"
TRIPLES = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?s ?p ?o LIMIT 250"


@pytest.fixture(scope="module")
def client(seeds_store) -> TestClient:
    return TestClient(create_app(str(seeds_store), timeout=20))


def test_a_syntax_error_names_its_line_and_column(client):
    response = client.post("/sparql", data={"query": "SELECT ?x\nWHERE {\n  ?x ?y ?z .\n  ?x nosuch:name ?z .\n}"})
    assert response.status_code == 400
    assert "line 4, column 17" in response.text
    assert (response.headers["x-kg-error-line"], response.headers["x-kg-error-column"]) == ("4", "17")


def test_other_errors_carry_no_position(client):
    response = client.post("/sparql", data={"query": "SELECT ?x WHERE { SERVICE <http://x.org/> { ?x ?y ?z } }"})
    assert response.status_code == 400
    assert "x-kg-error-line" not in response.headers


def test_rows_come_a_page_at_a_time(client):
    everything = rows(client.post("/sparql", data={"query": TRIPLES}).text)
    assert len(everything) == 250
    pages = [client.post("/sparql", data={"query": TRIPLES, "offset": str(offset), "limit": "100"})
             for offset in (0, 100, 200)]
    assert [p.headers.get("x-kg-more") for p in pages] == ["true", "true", None]
    assert [len(rows(p.text)) for p in pages] == [100, 100, 50]
    assert sum((rows(p.text) for p in pages), []) == everything
    assert all("x-kg-truncated" not in p.headers for p in pages)


def test_a_page_beyond_the_last_row_is_empty(client):
    response = client.get("/sparql", params={"query": TRIPLES, "offset": "1000", "limit": "10"})
    assert response.status_code == 200 and rows(response.text) == [] and "x-kg-more" not in response.headers


@pytest.mark.parametrize("field, value", [("limit", "0"), ("limit", "ten"), ("offset", "-1")])
def test_a_wrong_page_is_refused(client, field, value):
    response = client.post("/sparql", data={"query": TRIPLES, field: value})
    assert response.status_code == 400
    assert field in response.text


def test_an_entity_has_its_own_page(client):
    response = client.get("/entity/sergey-lavrov")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert '<script src="/static/entity.js">' in response.text
    assert client.get("/entity/not%20a%20name").status_code == 404


def test_a_drawn_construct_names_and_colours_its_nodes(client):
    response = client.get("/api/graph", params={"query": MET})
    assert response.status_code == 200
    nodes = {n["data"]["id"]: n["data"] for n in response.json()["nodes"]}
    assert nodes[LAVROV]["label"] == "Sergey Lavrov"
    assert nodes[LAVROV]["color"] == entity_group("Person").colour
    assert nodes[UNION]["label"] == "European Union" and nodes[UNION]["group"] == "body"


def test_kg_viz_names_and_colours_a_construct(seeds_store):
    svg = ET.fromstring(render_svg(str(seeds_store), MET))
    texts = {t.text for t in svg.iter(f"{SVG}text")}
    assert {"Sergey Lavrov", "Frank-Walter Steinmeier"} <= texts
    assert not any(t and t.startswith("ent:") for t in texts)
    fills = {p.get("fill") for p in svg.iter(f"{SVG}ellipse")} | {p.get("fill") for p in svg.iter(f"{SVG}polygon")}
    assert entity_group("Person").colour in fills
    html = render_html(str(seeds_store), MET).decode("utf-8")
    data = json.loads(re.search(r'id="kg-data">(.*?)</script>', html, re.DOTALL).group(1))
    assert "Sergey Lavrov" in {n["data"]["label"] for n in data["nodes"]}


def test_every_file_of_the_page_is_installed():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["kg.web"]
    files = [p.relative_to(web_dir().parent).as_posix() for p in web_dir().rglob("*") if p.is_file()]
    assert "static/vendor/editor.min.js" in files and "static/entity.js" in files
    assert [f for f in files if not any(fnmatch(f, pattern) for pattern in patterns)] == []

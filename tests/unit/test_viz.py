"""`kg viz` pictures: a self-contained HTML file, and SVG through Graphviz's `dot`."""
from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET

import pytest

from kg.errors import KgError, UsageError
from kg.store import open_store
from kg.web.pictures import dot_source, graph_from_store, render_html, render_svg, run_dot

from conftest import store_quads

SVG = "{http://www.w3.org/2000/svg}"
MEETINGS = "CONSTRUCT { ?e a kg:Meeting ; kg:participant ?p ; kg:evidence ?s . ?p skos:prefLabel ?n . ?p a ?c } " \
           "WHERE { ?e a kg:Meeting ; kg:participant ?p ; kg:evidence ?s . ?p skos:prefLabel ?n ; a ?c }"


def inlined_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.DOTALL)
    assert match, "no inlined data"
    return json.loads(match.group(1))


def test_html_is_self_contained(seeds_store):
    html = render_html(str(seeds_store)).decode("utf-8")
    assert not re.search(r"<script[^>]+src=", html, re.IGNORECASE)
    assert not re.search(r"<link[^>]+href=[\"']?https?:", html, re.IGNORECASE)
    assert not re.search(r"@import|url\(\s*['\"]?https?:", html)
    assert "cytoscape" in html and "kgGraph" in html
    assert html.count("</script>") == 5  # data, vocabulary, library, drawing code, start-up: nothing closes early


def test_html_contains_the_whole_graph(seeds_store):
    data = inlined_data(render_html(str(seeds_store)).decode("utf-8"))
    labels = {n["data"]["label"] for n in data["nodes"]}
    assert {"Sergey Lavrov", "Frank-Walter Steinmeier", "NATO"} <= labels
    events = [n for n in data["nodes"] if n["data"]["kind"] == "event"]
    with open_store(seeds_store) as store:
        expected = graph_from_store(store)
    assert len(events) == sum(1 for n in expected["nodes"] if n["data"]["kind"] == "event") > 40
    assert all(e["data"]["evidence"] and e["data"]["source"].endswith(".txt") for e in events)
    ids = {n["data"]["id"] for n in data["nodes"]}
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in data["edges"])


def test_html_of_a_construct(seeds_store):
    data = inlined_data(render_html(str(seeds_store), MEETINGS).decode("utf-8"))
    kinds = {n["data"]["kind"] for n in data["nodes"]}
    assert kinds == {"event", "entity"}
    assert {e["data"]["label"] for e in data["edges"]} == {"participant"}
    assert "Sergey Lavrov" in {n["data"]["label"] for n in data["nodes"]}


def test_a_select_cannot_be_pictured(seeds_store):
    with pytest.raises(UsageError):
        render_html(str(seeds_store), "SELECT * WHERE { ?s ?p ?o } LIMIT 1")


def test_text_in_the_data_cannot_close_the_script(seeds_store, monkeypatch):
    import kg.web.pictures
    hostile = {"nodes": [{"data": {"id": "x", "label": "</script><script>alert(1)</script>", "kind": "entity",
                                   "type": "Person", "group": "person", "color": "#fff", "shape": "ellipse"}}],
               "edges": [], "truncated": False}
    monkeypatch.setattr(kg.web.pictures, "picture", lambda path, construct: hostile)
    html = render_html(str(seeds_store)).decode("utf-8")
    assert "alert(1)" in html and "</script><script>alert" not in html
    assert inlined_data(html)["nodes"][0]["data"]["label"] == hostile["nodes"][0]["data"]["label"]


def test_svg_through_graphviz(seeds_store):
    assert shutil.which("dot"), "Graphviz is not installed: apt-get install -y graphviz"
    svg = render_svg(str(seeds_store))
    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg"
    texts = {"".join(t.itertext()) for t in root.iter(SVG + "text")}
    assert {"Sergey Lavrov", "NATO", "participant"} <= texts
    nodes = [g for g in root.iter(SVG + "g") if g.get("class") == "node"]
    with open_store(seeds_store) as store:
        assert len(nodes) == len(graph_from_store(store)["nodes"])


def test_svg_of_a_construct(seeds_store):
    assert shutil.which("dot"), "Graphviz is not installed: apt-get install -y graphviz"
    root = ET.fromstring(render_svg(str(seeds_store), MEETINGS))
    assert "Frank-Walter Steinmeier" in {"".join(t.itertext()) for t in root.iter(SVG + "text")}


def test_dot_labels_are_quoted():
    graph = {"nodes": [{"data": {"id": 'a"b', "label": 'say "hi"\\', "kind": "entity", "type": "Person",
                                 "group": "person", "color": "#fff", "shape": "ellipse"}}], "edges": []}
    assert shutil.which("dot"), "Graphviz is not installed: apt-get install -y graphviz"
    root = ET.fromstring(run_dot(dot_source(graph)))
    assert 'say "hi"\\' in {"".join(t.itertext()) for t in root.iter(SVG + "text")}


def test_missing_dot_is_one_clear_error(seeds_store, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(KgError, match=r"Graphviz 'dot' is not installed \(apt-get install graphviz\)"):
        render_svg(str(seeds_store))


@pytest.mark.parametrize("text", ["DELETE WHERE { ?s ?p ?o }",
                                  "CONSTRUCT WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }"])
def test_updates_and_service_are_refused(store_copy, text):
    before = store_quads(store_copy)
    with pytest.raises(UsageError):
        render_html(str(store_copy), text)
    assert store_quads(store_copy) == before


def test_a_dataset_named_by_from_is_refused_as_such(seeds_store):
    with pytest.raises(UsageError, match="FROM and FROM NAMED are not supported"):
        render_html(str(seeds_store), "CONSTRUCT { ?s ?p ?o } FROM <urn:x> WHERE { ?s ?p ?o }")

"""Turtle, TriG and N-Triples exports and validation read the store a part at a time, and
give what they gave when they gathered the whole store: the same data, the same report."""
from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
import rdflib

import kg
from kg.rdf.parts import part_count, spilled
from kg.rdf.shacl import node_local, shapes_graph, validate_quads, validate_stream
from kg.render.rdf import write_streamed

from conftest import canonical, quads_at, store_quads

KG = "https://w3id.org/kg-news/ontology#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "ntriples": ox.RdfFormat.N_TRIPLES}
MANY = 10**6  # an expected size that cuts a small input into the most parts


def node(local: str) -> ox.NamedNode:
    return ox.NamedNode(f"https://w3id.org/kg-news/{local}")


def quad(s: str, p: str, o, g: str) -> ox.Quad:
    return ox.Quad(node(s), ox.NamedNode(KG + p), o if isinstance(o, (ox.Literal, ox.NamedNode)) else node(o), node(g))


def without_ontology(quads) -> list[ox.Quad]:
    return [q for q in quads if "graph/ontology" not in str(q.graph_name)]


def streamed(quads: list[ox.Quad], fmt: str, expected: int = MANY) -> bytes:
    out = io.BytesIO()
    write_streamed(iter(quads), expected, fmt, out)
    return out.getvalue()


# ---------------------------------------------------------------- export


@pytest.mark.parametrize("fmt", ["turtle", "trig", "ntriples"])
def test_a_streamed_export_reads_back_as_the_store(seeds_location, fmt, tmp_path):
    path = tmp_path / f"graph.{fmt}"
    with kg.open(seeds_location) as graph:
        assert graph.export(fmt, path) == [path]
        assert graph.export(fmt) == path.read_bytes()
    back = list(ox.parse(path=str(path), format=FORMATS[fmt]))
    back = back if fmt == "trig" else [q.triple for q in back]
    stored = without_ontology(quads_at(seeds_location))
    if fmt == "trig":
        assert canonical(back) == canonical(stored)
    else:
        assert sorted(map(str, back)) == sorted(map(str, {q.triple for q in stored}))  # the union, each triple once


def test_parts_keep_each_triple_once_and_the_prefixes_at_the_top(seeds_store):
    quads = without_ontology(store_quads(seeds_store))
    union = {q.triple for q in quads}
    assert len(union) < len(quads)  # offices and entities are stated in several graphs
    for fmt in ("turtle", "ntriples"):
        data = streamed(quads, fmt)
        back = [q.triple for q in ox.parse(data, format=FORMATS[fmt])]
        assert len(back) == len(union) and set(back) == union, fmt
    turtle = streamed(quads, "turtle").decode()
    prefixes = [line for line in turtle.splitlines() if line.startswith("@prefix")]
    assert turtle.startswith("@prefix") and len(prefixes) == len(set(prefixes))
    assert not any(line.startswith("@prefix") for line in turtle.splitlines()[len(prefixes):])
    assert "@prefix kg: <https://w3id.org/kg-news/ontology#>" in turtle and "@prefix sh:" not in turtle


def test_trig_writes_one_block_per_run_of_a_graph_and_reads_back_whatever_the_order():
    quads = [quad("event/a", "trigger", ox.Literal("met"), "doc/1"), quad("event/b", "trigger", ox.Literal("saw"), "doc/2"),
             quad("event/a", "evidence", ox.Literal("They met."), "doc/1"), quad("event/a", "trigger", ox.Literal("met"), "doc/2")]
    trig = streamed(quads, "trig")
    assert canonical(ox.parse(trig, format=ox.RdfFormat.TRIG)) == canonical(quads)
    assert trig.decode().count("{") == 4
    grouped = streamed(sorted(quads, key=lambda q: str(q.graph_name)), "trig")
    assert grouped.decode().count("{") == 2 and grouped.decode().count("@prefix") == 3


def test_an_empty_store_exports_empty_documents():
    for fmt, rdf_format in FORMATS.items():
        assert list(ox.parse(streamed([], fmt, 0), format=rdf_format)) == []


def test_spilled_parts_hold_every_statement_of_their_subjects():
    triples = [ox.Triple(node(f"event/{n % 7}"), ox.NamedNode(KG + "charStart"), ox.Literal(str(n))) for n in range(100)]
    with spilled(iter(triples), part_count(len(triples), 10)) as paths:
        parts = [list(ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES)) for path in paths]
    assert len(parts) == 10 and sorted(map(str, sum(parts, []))) == sorted(map(str, triples))
    subjects = [{t.subject for t in part} for part in parts]
    assert all(not a & b for i, a in enumerate(subjects) for b in subjects[i + 1:])


# ---------------------------------------------------------------- validation


BROKEN = [
    # a meeting whose statements lie in two graphs: one participant and a bad negation flag
    quad("event/x", "participant", "entity/nato", "doc/b"), quad("event/x", "negated", ox.Literal("maybe"), "doc/c"),
    ox.Quad(node("event/x"), RDF_TYPE, ox.NamedNode(KG + "Meeting"), node("doc/b")),
    # a statement with no speaker and no quotation
    ox.Quad(node("event/y"), RDF_TYPE, ox.NamedNode(KG + "Statement"), node("doc/b")),
    # an office named by two documents, with the same role that is not a string, and two holders
    *(ox.Quad(node("position/p"), RDF_TYPE, ox.NamedNode(KG + "Position"), node(g)) for g in ("doc/b", "doc/c")),
    *(quad("position/p", "role", ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), g)
      for g in ("doc/b", "doc/c")),
    quad("position/p", "holder", "entity/a", "doc/b"), quad("position/p", "holder", "entity/b", "doc/c"),
    # a class of the data's own, below one the shapes target
    ox.Quad(node("class/Summit"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf"),
            ox.NamedNode(KG + "Meeting"), node("doc/c")),
    ox.Quad(node("event/z"), RDF_TYPE, node("class/Summit"), node("doc/c")),
]


def test_kg_shapes_look_at_a_node_s_own_statements_only():
    assert node_local(shapes_graph())


def test_validation_in_parts_gives_the_report_of_the_whole(seeds_store):
    quads = without_ontology(store_quads(seeds_store)) + BROKEN
    whole = validate_quads(quads)
    for expected in (len(quads), MANY):
        parts = validate_stream(iter(quads), expected)
        assert parts == whole
    assert not whole.conforms and whole.checked == len(quads)
    counts = dict(whole.counts)
    assert counts["kg:MeetingShape"] == 2 and counts["kg:StatementShape"] == 2 and counts["kg:PositionShape"] == 2
    assert any(v.focus == "ev:z" for v in whole.examples)  # a meeting by the data's own subclass


def test_validation_in_parts_of_the_seeds_conforms_and_counts_every_quad(seeds_store):
    quads = without_ontology(store_quads(seeds_store))
    assert validate_stream(iter(quads), MANY) == validate_quads(quads)
    assert validate_stream(iter(quads), MANY).conforms


def test_a_store_with_a_broken_document_validates_as_a_whole(copy_location):
    broken = ("INSERT DATA { GRAPH doc:broken { ev:broken a kg:Meeting ; kg:participant ent:nato ; "
              "kg:source doc:broken ; kg:negated false } GRAPH doc:other { ev:broken kg:negated true } }")
    with kg.open(copy_location) as graph:
        graph.update(broken)
        report = graph.validate()
    assert report == validate_quads(without_ontology(quads_at(copy_location)))
    assert dict(report.counts) == {"kg:EventShape": 5, "kg:MeetingShape": 1}


def test_a_shape_that_looks_at_other_nodes_is_checked_on_the_whole(monkeypatch):
    shapes = rdflib.Graph().parse(data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix kg: <{KG}> .
        kg:AgentShape a sh:NodeShape ; sh:targetClass kg:Meeting ;
            sh:property [ sh:path kg:participant ; sh:class kg:Person ; sh:message "a participant is a person" ] .""",
        format="turtle")
    monkeypatch.setattr("kg.rdf.shacl.shapes_graph", lambda: shapes)
    monkeypatch.setattr("kg.rdf.shacl.class_hierarchy", lambda: rdflib.Graph())
    quads = [ox.Quad(node("event/m"), RDF_TYPE, ox.NamedNode(KG + "Meeting"), node("doc/a")),
             quad("event/m", "participant", "entity/a", "doc/a"),
             ox.Quad(node("entity/a"), RDF_TYPE, ox.NamedNode(KG + "Person"), node("graph/entities"))]
    assert not node_local(shapes)
    assert validate_stream(iter(quads), MANY).conforms

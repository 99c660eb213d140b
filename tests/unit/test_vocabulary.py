"""The ontology is the one source of the vocabulary: event classes, roles, shortcuts, colours.

A new event class is one entry in kg.ttl: the loader writes its shortcut, the shapes check
it, the saved queries list it and pictures draw it, with no change to Python or JavaScript.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pyoxigraph as ox
import pytest

from kg import vocab
from kg.rdf.quads import document_quads
from kg.rdf.shacl import validate_nquads, validate_quads
from kg.records import Document, Entity, Event, Extraction
from kg.vocab import KG, KG_NS, RDF_TYPE
from kg.web.pictures import graph_from_triples

from conftest import ROOT

ENT = "https://w3id.org/kg-news/entity/"
SENTENCE = "Russia and China signed an accord on energy in Beijing."


def agreement(participants: tuple[str, ...] = ("russia", "china"), kind: str = "Agreement") -> Extraction:
    """One document with one agreement between the given parties, as extraction would hand it on."""
    document = Document("900_test", "900_test.txt", SENTENCE, "hash")
    entities = (Entity("russia", "Russia", "Country"), Entity("china", "China", "Country"),
                Entity("beijing", "Beijing", "City"))
    event = Event(kind, "signed", SENTENCE, 0, len(SENTENCE), participants=participants, theme="an accord on energy",
                  place="beijing")
    return Extraction(document, entities, (event,))


def nquads(quads: list[ox.Quad]) -> bytes:
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


def test_event_classes_are_the_subclasses_of_event_in_the_ontology():
    graph = ox.Store()
    graph.load(path=str(ROOT / "ontology" / "kg.ttl"), format=ox.RdfFormat.TURTLE)
    declared = {row["c"].value[len(KG_NS):] for row in graph.query(
        f"SELECT ?c WHERE {{ ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf>+ <{KG_NS}Event> }}")}
    assert set(vocab.event_class_names()) == declared
    assert list(vocab.event_class_names()) == sorted(declared)
    assert {"Meeting", "Visit", "Statement", "Agreement"} <= declared
    for event_class in vocab.event_classes():
        assert event_class.colour.startswith("#") and len(event_class.colour) == 7, event_class
        assert event_class.label and event_class.cameo, event_class


def test_agreement_is_declared_with_its_codes_and_shortcut():
    agreement_class = next(c for c in vocab.event_classes() if c.name == "Agreement")
    assert agreement_class.cameo == "057"
    assert agreement_class.shortcut == vocab.Shortcut("agreedWith", "participant", ("participant",))
    assert agreement_class.colour not in {c.colour for c in vocab.event_classes() if c.name != "Agreement"}


def test_roles_groups_and_page_vocabulary():
    assert [r.name for r in vocab.roles()] == ["agent", "counterpart", "participant", "place"]
    assert {r.name: r.line for r in vocab.roles()}["place"] == "dashed"
    assert set(vocab.entity_groups()) == {"person", "state", "body", "place", "other"}
    assert {c.name: c.group for c in vocab.entity_classes()}["NewsAgency"] == "body"
    page = json.loads(json.dumps(vocab.page_vocabulary()))
    assert {e["name"]: e["colour"] for e in page["events"]}["Agreement"] == "#c2185b"
    assert [r["name"] for r in page["roles"]] == [r.name for r in vocab.roles()]
    assert {g["name"]: g["shape"] for g in page["groups"]}["state"] == "round-rectangle"


def test_an_agreement_record_is_written_validated_and_drawn():
    quads = document_quads(agreement(), "2026-01-01T00:00:00Z", "test")
    triples = {(q.subject, q.predicate, q.object) for q in quads}
    russia, china = ox.NamedNode(ENT + "russia"), ox.NamedNode(ENT + "china")
    event = next(s for s, p, o in triples if p == RDF_TYPE and o == KG.Agreement)
    assert {(event, KG.participant, russia), (event, KG.participant, china)} <= triples
    assert {(s, o) for s, p, o in triples if p == KG.agreedWith} == {(russia, china), (china, russia)}
    assert validate_nquads(nquads(quads)).conforms and validate_quads(quads).conforms

    picture = graph_from_triples(q.triple for q in quads)
    drawn = next(n["data"] for n in picture["nodes"] if n["data"]["id"] == event.value)
    assert drawn["kind"] == "event" and drawn["type"] == "Agreement" and drawn["color"] == "#c2185b"
    assert {e["data"]["label"] for e in picture["edges"] if e["data"]["source"] == event.value} >= {"participant", "place"}


def test_a_one_sided_agreement_breaks_its_shape_and_licenses_nothing():
    quads = document_quads(agreement(("russia",)), "2026-01-01T00:00:00Z", "test")
    assert not any(q.predicate == KG.agreedWith for q in quads)
    fast, full = validate_nquads(nquads(quads)), validate_quads(quads)
    assert dict(fast.counts) == dict(full.counts) == {"kg:AgreementShape": 1}


def test_the_event_shape_applies_to_every_event_class():
    """A shape on kg:Event reaches an agreement, though the data names only its own class."""
    quads = [q for q in document_quads(agreement(), "2026-01-01T00:00:00Z", "test") if q.predicate != KG.modality]
    assert dict(validate_nquads(nquads(quads)).counts) == dict(validate_quads(quads).counts) == {"kg:EventShape": 1}


HANDSHAKE = (ROOT / "tests" / "data" / "handshake.ttl").read_text(encoding="utf-8")

HANDSHAKE_CHECK = """
import json, sys
import pyoxigraph as ox
from kg import api, vocab
from kg.rdf.quads import document_quads
from kg.rdf.shacl import validate_nquads
from kg.records import Document, Entity, Event, Extraction
from kg.store import open_store
from kg.web.pictures import graph_from_store

text = "Lavrov and Steinmeier shook hands."
document = Document("901_hand", "901_hand.txt", text, "hash")
people = (Entity("sergey-lavrov", "Sergey Lavrov", "Person"), Entity("frank-walter-steinmeier", "Frank-Walter Steinmeier", "Person"))
event = Event("Handshake", "shook", text, 0, len(text), participants=("sergey-lavrov", "frank-walter-steinmeier"))
quads = document_quads(Extraction(document, people, (event,)), "2026-01-01T00:00:00Z", "test")
data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
broken = ox.serialize([q for q in quads if q.predicate.value != vocab.KG_NS + "evidence"], format=ox.RdfFormat.N_QUADS)
with open_store(sys.argv[1], write=True) as store:
    store.ensure_ontology()
    store.write_documents([(quads[0].graph_name.value, data)])
with open_store(sys.argv[1]) as store:
    drawn = [n["data"] for n in graph_from_store(store)["nodes"] if n["data"]["kind"] == "event"]
    events = json.loads(api.query(api.prepare_query("events"), store, "json"))["results"]["bindings"]
print(json.dumps({
    "classes": list(vocab.event_class_names()),
    "shortcuts": sorted((q.subject.value, q.predicate.value, q.object.value) for q in quads
                        if q.predicate.value == vocab.KG_NS + "shookHandsWith"),
    "valid": validate_nquads(data).conforms,
    "broken": dict(validate_nquads(broken).counts),
    "listed": [row["type"]["value"] for row in events],
    "page": {e["name"]: e["colour"] for e in vocab.page_vocabulary()["events"]},
    "drawn": [(n["type"], n["color"]) for n in drawn],
}))
"""


def test_a_new_event_class_needs_only_an_ontology_entry(tmp_path):
    ontology = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", ontology, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    with (ontology / "kg.ttl").open("a", encoding="utf-8") as turtle:
        turtle.write(HANDSHAKE)
    env = {**os.environ, "KG_ONTOLOGY": str(ontology), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", HANDSHAKE_CHECK, str(tmp_path / "store")], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert "Handshake" in seen["classes"] and "Meeting" in seen["classes"]
    lavrov, steinmeier = ENT + "sergey-lavrov", ENT + "frank-walter-steinmeier"
    assert seen["shortcuts"] == [[steinmeier, KG_NS + "shookHandsWith", lavrov], [lavrov, KG_NS + "shookHandsWith", steinmeier]]
    assert seen["valid"] is True
    assert seen["broken"] == {"kg:EventShape": 1}
    assert seen["listed"] == ["Handshake"]
    assert seen["page"]["Handshake"] == "#123456"
    assert seen["drawn"] == [["Handshake", "#123456"]]


def test_the_server_hands_the_page_its_vocabulary(seeds_store):
    from starlette.testclient import TestClient
    from kg.web.app import create_app
    response = TestClient(create_app(str(seeds_store), timeout=20)).get("/api/vocabulary")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    assert response.json() == vocab.page_vocabulary()



@pytest.mark.parametrize("name", ["events.rq", "timeline.rq"])
def test_saved_queries_list_event_classes_from_the_ontology(name):
    text = (ROOT / "queries" / name).read_text()
    assert "rdfs:subClassOf* kg:Event" in text
    assert not any(f"kg:{c}" in text for c in vocab.event_class_names())

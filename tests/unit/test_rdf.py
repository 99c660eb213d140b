"""Records to quads, on records written for the test: each document is one named graph,
every event carries its evidence and offsets, direct triples are written only for what was
asserted, and the same records give the same IRIs on every run."""
from __future__ import annotations

import dataclasses

import pyoxigraph as ox

from kg.rdf.quads import document_iri, document_quads, entity_iri, event_iri, mention_iri
from kg.records import Document, Entity, Event, Extraction
from kg.vocab import KG, RDF_TYPE, SKOS_PREF, XSD

MET = "Lavrov met Steinmeier in Volgograd."
DENIED = "NATO did not propose new talks."
SAID = '"We are ready," Lavrov said.'
TEXT = f"{MET} {DENIED} {SAID}\n"
GRAPH = document_iri("story")
LOADED = "2015-05-08T09:00:00Z"


def at(sentence: str) -> dict:
    start = TEXT.index(sentence)
    return {"sentence": sentence, "start": start, "end": start + len(sentence)}


MEETING = Event("Meeting", "met", **at(MET), participants=("sergey-lavrov", "frank-walter-steinmeier"),
                place="volgograd", date="2015-05-07")
PROPOSAL = Event("Proposal", "propose", **at(DENIED), agent="nato", theme="new talks", negated=True)
STATEMENT = Event("Statement", "said", **at(SAID), agent="sergey-lavrov", quote="We are ready,")
STORY = Extraction(Document("story", "story.txt", TEXT, "hash-of-story"),
                   entities=(Entity("sergey-lavrov", "Sergey Lavrov", "Person"),
                             Entity("frank-walter-steinmeier", "Frank-Walter Steinmeier", "Person"),
                             Entity("nato", "NATO", "Organization"), Entity("volgograd", "Volgograd", "Location")),
                   events=(MEETING, PROPOSAL, STATEMENT))


def quads(extraction: Extraction = STORY, loaded_at: str = LOADED) -> list[ox.Quad]:
    return document_quads(extraction, loaded_at, "kg test")


def objects(found: list[ox.Quad], subject, predicate) -> list:
    return [q.object for q in found if q.subject == subject and q.predicate == predicate]


def test_every_quad_is_in_the_graph_of_its_document():
    found = quads()
    assert {q.graph_name for q in found} == {GRAPH}
    assert objects(found, GRAPH, KG.fileName) == [ox.Literal("story.txt")]
    assert objects(found, GRAPH, KG.contentHash) == [ox.Literal("hash-of-story")]


def test_every_event_carries_its_source_sentence_and_offsets():
    found = quads()
    events = [q.subject for q in found if q.predicate == KG.evidence]
    assert len(events) == 3
    for event in events:
        assert objects(found, event, KG.source) == [GRAPH]
        (start,), (end,) = objects(found, event, KG.charStart), objects(found, event, KG.charEnd)
        assert objects(found, event, KG.evidence) == [ox.Literal(TEXT[int(start.value):int(end.value)])]


def test_a_statement_is_exactly_these_quads():
    event, lavrov = event_iri("story", STATEMENT), entity_iri("sergey-lavrov")
    integer = ox.NamedNode(XSD + "integer")
    expected = {ox.Quad(s, p, o, GRAPH) for s, p, o in [
        (event, RDF_TYPE, KG.Statement), (event, KG.source, GRAPH), (event, KG.evidence, ox.Literal(SAID)),
        (event, KG.trigger, ox.Literal("said")), (event, KG.agent, lavrov), (event, KG.quote, ox.Literal("We are ready,")),
        (event, KG.charStart, ox.Literal(str(STATEMENT.start), datatype=integer)),
        (event, KG.charEnd, ox.Literal(str(STATEMENT.end), datatype=integer)),
        (event, KG.negated, ox.Literal("false", datatype=ox.NamedNode(XSD + "boolean"))),
        (event, KG.modality, KG.Asserted), (lavrov, KG.said, ox.Literal("We are ready,"))]}
    found = {q for q in quads() if q.subject == event or q.predicate == KG.said}
    assert found == expected


def test_a_document_names_an_entity_in_a_mention_record_and_never_labels_it():
    found = quads()
    nato, record = entity_iri("nato"), mention_iri(GRAPH, "nato")
    assert objects(found, nato, KG.mentionedIn) == [GRAPH]
    assert objects(found, record, RDF_TYPE) == [KG.EntityMention]
    assert objects(found, record, KG.entity) == [nato]
    assert objects(found, record, KG.entityClass) == [KG.Organization]
    assert objects(found, record, KG.preferredName) == [ox.Literal("NATO", language="en")]
    assert not [q for q in found if q.subject == nato and q.predicate in (RDF_TYPE, SKOS_PREF)]


def test_a_meeting_gives_met_with_both_ways():
    lavrov, steinmeier = entity_iri("sergey-lavrov"), entity_iri("frank-walter-steinmeier")
    met = {(q.subject, q.object) for q in quads() if q.predicate == KG.metWith}
    assert met == {(lavrov, steinmeier), (steinmeier, lavrov)}


def test_only_asserted_events_give_direct_triples():
    asserted = dataclasses.replace(PROPOSAL, negated=False)
    planned = dataclasses.replace(asserted, modality="Planned")
    for event, expected in ((PROPOSAL, []), (asserted, [ox.Literal("new talks")]), (planned, [])):
        found = quads(dataclasses.replace(STORY, events=(event,)))
        assert objects(found, entity_iri("nato"), KG.proposed) == expected, event


def test_iris_are_deterministic():
    def without_load_time(found: list[ox.Quad]) -> set[ox.Quad]:
        return {q for q in found if q.predicate != KG.loadedAt}

    assert without_load_time(quads()) == without_load_time(quads(loaded_at="2020-01-01T00:00:00Z"))
    assert event_iri("story", MEETING) == event_iri("story", dataclasses.replace(MEETING))
    assert event_iri("story", MEETING) != event_iri("story", dataclasses.replace(MEETING, start=MEETING.start + 1))
    assert event_iri("story", MEETING) != event_iri("other", MEETING)

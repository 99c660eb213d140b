"""Every fact is traceable: named graphs per document, evidence and offsets on every event."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.vocab import KG, RDF_TYPE, event_class_names

from conftest import SEEDS, store_quads

pytestmark = pytest.mark.slow

EVENT_CLASSES = {KG[name] for name in event_class_names()}


def test_every_event_carries_its_source_sentence_and_offsets(seeds_store):
    quads = store_quads(seeds_store)
    texts = {p.name: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    files = {q.subject: q.object.value for q in quads if q.predicate == KG.fileName}
    events = {q.subject: q.graph_name for q in quads if q.predicate == RDF_TYPE and q.object in EVENT_CLASSES}
    assert len(events) > 20
    facts: dict = {}
    for q in quads:
        if q.subject in events:
            facts.setdefault(q.subject, {}).setdefault(q.predicate, []).append(q.object)
    for event, graph in events.items():
        props = facts[event]
        assert props[KG.source] == [graph], "an event lives in the graph of its source document"
        text = texts[files[graph]].replace("\r\n", " \n")
        start, end = int(props[KG.charStart][0].value), int(props[KG.charEnd][0].value)
        evidence = props[KG.evidence][0].value
        assert evidence in text[start:end] or text[start:end].strip() in evidence


def test_negated_events_have_no_shortcut_triples(seeds_store):
    quads = store_quads(seeds_store)
    negated = {q.subject for q in quads if q.predicate == KG.negated and q.object.value == "true"}
    assert negated, "the seeds state denied events"
    agents = {q.subject: q.object for q in quads if q.predicate == KG.agent}
    themes = {q.subject: q.object for q in quads if q.predicate == KG.theme}
    proposed = {(q.subject, q.object) for q in quads if q.predicate == KG.proposed}
    for event in negated:
        if event in agents and event in themes:
            assert (agents[event], themes[event]) not in proposed


def test_iris_are_deterministic(tmp_path):
    from conftest import load_into
    a, b = tmp_path / "a", tmp_path / "b"
    load_into([str(SEEDS / "002_85e0a2435721776e.txt")], str(a))
    load_into([str(SEEDS / "002_85e0a2435721776e.txt")], str(b))
    strip = lambda quads: {ox.Quad(q.subject, q.predicate, q.object, q.graph_name) for q in quads
                           if q.predicate != KG.loadedAt}
    assert strip(store_quads(a)) == strip(store_quads(b))

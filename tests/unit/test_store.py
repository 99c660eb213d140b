"""The on-disk store through kg.store, on the recorded seeds: one graph per document, the
ontology kept beside them and loaded once, documents removed whole."""
from __future__ import annotations

import pyoxigraph as ox

from kg.store import open_store
from kg.vocab import DOC_NS, ENTITIES_GRAPH, HAPPENINGS_GRAPH, ONTOLOGY_GRAPH

from conftest import SEEDS, store_quads

SEED_IRIS = [ox.NamedNode(DOC_NS + p.stem) for p in sorted(SEEDS.glob("*.txt"))]


def test_documents_and_their_hashes(seeds_store):
    with open_store(seeds_store) as store:
        assert store.documents() == SEED_IRIS
        assert sorted(store.document_hashes()) == [iri.value for iri in SEED_IRIS]


def test_quads_leave_out_the_ontology_unless_asked(seeds_store):
    with open_store(seeds_store) as store:
        documents = set(store.quads())
        everything = set(store.quads(include_ontology=True))
        assert len(store) == len(everything)
    assert everything == set(store_quads(seeds_store))
    ontology = everything - documents
    assert ontology and {q.graph_name.value for q in ontology} == {ONTOLOGY_GRAPH}
    assert {q.graph_name for q in documents} == {*SEED_IRIS, ox.NamedNode(ENTITIES_GRAPH), ox.NamedNode(HAPPENINGS_GRAPH)}


def test_ensuring_the_ontology_again_changes_nothing(store_copy):
    before = set(store_quads(store_copy))
    with open_store(store_copy, write=True) as store:
        store.ensure_ontology()
    assert set(store_quads(store_copy)) == before


def test_a_document_is_removed_by_file_name_id_or_iri(store_copy):
    before = set(store_quads(store_copy))
    with open_store(store_copy, write=True) as store:
        assert store.remove_documents("000_b46fa97775ddf137.txt") == ["000_b46fa97775ddf137.txt"]
        assert store.remove_documents("001_53d0751d812f08e0") == ["001_53d0751d812f08e0.txt"]
        assert store.remove_documents(SEED_IRIS[2].value) == ["002_85e0a2435721776e.txt"]
        assert store.documents() == SEED_IRIS[3:]
    assert set(store_quads(store_copy)) == {q for q in before if q.graph_name not in SEED_IRIS[:3]}

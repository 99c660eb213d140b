"""The two stores, on disk and on a real `oxigraph serve`, keep the `Store` contract the same
way: documents written, replaced, listed and removed, checked on small N-Quads documents
written here (no extraction, no model)."""
from __future__ import annotations

import inspect
import shutil

import pyoxigraph as ox
import pytest

from conftest import oxigraph_server, virtuoso_emptied
from kg.errors import StoreError
from kg.store import Location, ServerURL, Store, open_store
from kg.store.common import FINGERPRINT, ONTOLOGY
from kg.store.disk import DiskStore
from kg.store.sparql_server import ServerStore
from kg.vocab import DOC_NS, ENT_NS, KG, PREFIXES, data_folder, ontology_fingerprint

STORY = DOC_NS + "story"
OTHER = DOC_NS + "other"
BROKEN = DOC_NS + "broken"  # a graph in the document namespace that holds no kg:Document


def document(graph: str, file_name: str, content_hash: str, facts: str) -> bytes:
    """A document's N-Quads as kg writes them: every line in the document's own graph."""
    g = f"<{graph}>"
    lines = [f"{g} <{PREFIXES['rdf']}type> <{KG.Document.value}> {g} .",
             f'{g} <{KG.fileName.value}> "{file_name}" {g} .',
             f'{g} <{KG.contentHash.value}> "{content_hash}" {g} .']
    lines += [f"{line} {g} ." for line in facts.splitlines()]
    return ("\n".join(lines) + "\n").encode()


FIRST = document(STORY, "story.txt", "v1", f'<{ENT_NS}chile> <{PREFIXES["skos"]}prefLabel> "Chile"')
SECOND = document(STORY, "story.txt", "v2",  # literals that N-Triples and SPARQL must both read the same
                  f'<{ENT_NS}chile> <{PREFIXES["skos"]}prefLabel> "Chile \\"suspended\\" ties\\n\\\\ all"\n'
                  f'<{ENT_NS}peru> <{PREFIXES["skos"]}prefLabel> "Perú"@es\n'
                  f'<{STORY}> <{PREFIXES["schema"]}datePublished> "2015-05-07"^^<{PREFIXES["xsd"]}date>')
THIRD = document(OTHER, "other.txt", "w1", f'<{ENT_NS}nato> <{PREFIXES["skos"]}prefLabel> "NATO"')
NOT_A_DOCUMENT = f'<{ENT_NS}x> <{PREFIXES["skos"]}prefLabel> "x" <{BROKEN}> .\n'.encode()


def quads(nquads: bytes) -> set[ox.Quad]:
    return set(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))


@pytest.fixture(params=["disk", "server", "virtuoso"])
def location(request, tmp_path, monkeypatch):
    """An empty store of each kind."""
    if request.param == "disk":
        yield str(tmp_path / "store")
        return
    if request.param == "virtuoso":
        monkeypatch.setenv("KG_SERVER", "virtuoso")
        yield virtuoso_emptied(request.getfixturevalue("virtuoso_scratch"))
        return
    with oxigraph_server(tmp_path / "server") as url:
        yield url


def test_both_stores_have_every_method_of_the_protocol_with_its_parameters():
    methods = {name: member for name, member in vars(Store).items()
               if inspect.isfunction(member) and (not name.startswith("__") or name == "__len__")}
    assert {"write_documents", "documents", "document_hashes", "remove_documents", "close"} <= set(methods)
    for kind in (DiskStore, ServerStore):
        for name, member in methods.items():
            assert inspect.signature(getattr(kind, name)).parameters.keys() == inspect.signature(member).parameters.keys(), (kind, name)


def test_a_document_is_written_replaced_listed_and_removed(location):
    with open_store(location, write=True) as store:
        assert store.location == Location.of(location).public
        assert (store.documents(), store.document_hashes()) == ([], {})
        assert store.write_documents([(STORY, FIRST)]) == 4
        assert set(store.quads()) == quads(FIRST)
        assert store.documents() == [ox.NamedNode(STORY)]
        assert store.document_hashes() == {STORY: "v1"}

        assert store.write_documents([(STORY, SECOND), (OTHER, THIRD)]) == 10  # one replaced, one new
        assert set(store.quads()) == quads(SECOND) | quads(THIRD)
        assert store.documents() == [ox.NamedNode(OTHER), ox.NamedNode(STORY)]
        assert store.document_hashes() == {STORY: "v2", OTHER: "w1"}
        assert len(store) == 10

        assert store.remove_documents("story.txt") == ["story.txt"]
        assert set(store.quads()) == quads(THIRD)
        with pytest.raises(StoreError, match=f"no document 'story.txt' in store {store.location}$"):
            store.remove_documents("story.txt")
        assert store.remove_documents(OTHER) == ["other.txt"]
        assert (store.documents(), store.document_hashes(), len(store)) == ([], {}, 0)


def test_a_document_id_names_a_document_to_remove(location):
    with open_store(location, write=True) as store:
        store.write_documents([(STORY, FIRST), (OTHER, THIRD)])
        assert store.remove_documents("story") == ["story.txt"]
        assert store.documents() == [ox.NamedNode(OTHER)]


def test_documents_are_the_graphs_of_kg_documents_only(location):
    with open_store(location, write=True) as store:
        store.ensure_ontology()
        store.write_documents([(STORY, FIRST), (BROKEN, NOT_A_DOCUMENT)])
        assert store.documents() == [ox.NamedNode(STORY)]
        assert set(store.quads()) == quads(FIRST) | quads(NOT_A_DOCUMENT)
        with_ontology = set(store.quads(include_ontology=True))
        assert {q.graph_name for q in with_ontology} == {ox.NamedNode(STORY), ox.NamedNode(BROKEN), ONTOLOGY}


def test_the_ontology_graph_is_written_once_and_kept(location):
    with open_store(location, write=True) as store:
        store.ensure_ontology()
        size = len(store)
        store.ensure_ontology()
        assert len(store) == size > 100


def test_the_ontology_graph_is_replaced_when_its_files_change(location, tmp_path, monkeypatch):
    changed = tmp_path / "ontology"
    shutil.copytree(data_folder("ontology"), changed)
    atlantis = ox.Quad(ox.NamedNode(ENT_NS + "atlantis"), ox.NamedNode(PREFIXES["skos"] + "prefLabel"),
                       ox.Literal("Atlantis"), ONTOLOGY)
    with (changed / "gazetteer.ttl").open("a") as gazetteer:
        gazetteer.write(f"\n{atlantis.triple} .\n")
    with open_store(location, write=True) as store:
        store.ensure_ontology()
        store.write_documents([(STORY, FIRST)])
        before = set(store.quads(include_ontology=True))
        monkeypatch.setenv("KG_ONTOLOGY", str(changed))
        ontology_fingerprint.cache_clear()
        try:
            store.ensure_ontology()
        finally:
            monkeypatch.delenv("KG_ONTOLOGY")
            ontology_fingerprint.cache_clear()
        after = set(store.quads(include_ontology=True))
    assert {q.subject for q in before - after} == {FINGERPRINT}
    atlantis_key = ox.Quad(atlantis.subject, KG.key, ox.Literal("atlantis"), ONTOLOGY)
    assert after - before == {atlantis_key, *(q for q in after if q.subject == FINGERPRINT)}  # names live in the entities graph
    assert quads(FIRST) <= after


def test_a_read_sees_what_a_write_committed(location):
    with open_store(location, write=True) as store:
        store.write_documents([(STORY, SECOND)])
    with Location.of(location).open() as store:
        assert set(store.quads()) == quads(SECOND)
        assert bool(store.query(f"ASK {{ <{ENT_NS}peru> ?p \"Perú\"@es }}"))


def test_a_location_names_its_server_without_credentials():
    location = Location.of("https://ann:hunter2@db.example.org:3030/ds/")
    assert (location.remote, location.public) == (True, "https://db.example.org:3030/ds")
    assert "hunter2" not in repr(location)
    assert Location.of(location) is location
    assert Location.of(None).address == Location.of("").address


def test_a_replacing_batch_that_fails_leaves_the_disk_store_as_it_was(tmp_path):
    with open_store(tmp_path / "store", write=True) as store:
        store.write_documents([(STORY, FIRST)])
        with pytest.raises(StoreError, match="^cannot write to store"):
            store.write_documents([(STORY, SECOND), (OTHER, f"<{OTHER}> <broken> .\n".encode())])
        assert set(store.quads()) == quads(FIRST)


def test_virtuoso_takes_digest_credentials_and_a_wrong_password_is_refused_unshown(kg, virtuoso_scratch, monkeypatch):
    monkeypatch.setenv("KG_SERVER", "virtuoso")
    url = virtuoso_emptied(virtuoso_scratch)
    server = ServerURL.of(url)
    wrong = url.replace(f":{server.password}@", ":not-the-pw-4711@")
    insert = f'INSERT DATA {{ GRAPH <{STORY}> {{ <{STORY}> <{KG.fileName.value}> "story.txt" }} }}'
    refused = kg("query", "--update", insert, "--store", wrong)
    assert refused.exit_code == 1
    assert refused.stderr.startswith(f"kg: error: SPARQL server {server.public}: update refused (401")
    assert "not-the-pw-4711" not in refused.stdout + refused.stderr
    applied = kg("query", "--update", insert, "--store", url)
    assert applied.exit_code == 0, applied.stderr
    assert applied.stdout == "update applied: +1 quads\n"
    assert server.password not in applied.stdout + applied.stderr

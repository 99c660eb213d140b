"""The entities graph: one description per entity whatever the number of documents that
name it, kept right as documents are written, removed and replaced, on disk and on a real
`oxigraph serve`; and saved-query parameters that find an entity by any of its names."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from conftest import DATA, quads_at, rows, run
from kg import derived
from kg.errors import UsageError
from kg.query.params import bind_params
from kg.store import open_store
from kg.vocab import ENTITIES_GRAPH, ENT_NS, KG, PREFIXES

LAVROV = ox.NamedNode(ENT_NS + "sergey-lavrov")
ENTITIES = ox.NamedNode(ENTITIES_GRAPH)


def recorded_documents() -> dict[str, list[ox.Quad]]:
    """The recorded seeds' document graphs, by graph IRI, in file order."""
    graphs: dict[str, list[ox.Quad]] = {}
    for quad in ox.parse((DATA / "seeds.nq").read_bytes(), format=ox.RdfFormat.N_QUADS):
        if "/doc/" in quad.graph_name.value:
            graphs.setdefault(quad.graph_name.value, []).append(quad)
    return dict(sorted(graphs.items()))


def nquads(quads: list[ox.Quad]) -> bytes:
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


def entities_graph(location) -> set[ox.Triple]:
    return {q.triple for q in quads_at(location) if q.graph_name == ENTITIES}


def written(location, documents: dict[str, list[ox.Quad]], one_by_one: bool = False) -> set[ox.Triple]:
    """Write documents as `kg load` does and return the entities graph they give."""
    with open_store(location, write=True) as store:
        store.ensure_ontology()
        batches = [[item] for item in documents.items()] if one_by_one else [list(documents.items())]
        for batch in batches:
            derived.write_documents(store, [(graph, nquads(quads)) for graph, quads in batch])
    return entities_graph(location)


@pytest.fixture
def reference(tmp_path):
    """The entities graph that documents give when written into a fresh store on disk."""
    def made(documents: dict[str, list[ox.Quad]]) -> set[ox.Triple]:
        made.count += 1
        return written(str(tmp_path / f"reference-{made.count}"), documents)
    made.count = 0
    return made


# ---------------------------------------------------------------- one row per fact


def test_a_label_is_one_row_and_people_are_counted_once(kg, seeds_location):
    labels = kg("query", "SELECT ?l WHERE { ent:sergey-lavrov skos:prefLabel ?l }", "--store", seeds_location,
                "--format", "json")
    assert rows(labels.stdout) == [{"l": "Sergey Lavrov"}]
    counted = kg("query", "SELECT (COUNT(?p) AS ?all) (COUNT(DISTINCT ?p) AS ?people) WHERE { ?p a kg:Person }",
                 "--store", seeds_location, "--format", "json")
    (count,) = rows(counted.stdout)
    assert int(count["all"]) == int(count["people"]) >= 5


def test_every_name_a_document_used_is_a_label_with_its_keys(seeds_store):
    described = {(q.predicate, q.object) for q in quads_at(seeds_store) if q.graph_name == ENTITIES and q.subject == LAVROV}
    skos = PREFIXES["skos"]
    assert (ox.NamedNode(skos + "prefLabel"), ox.Literal("Sergey Lavrov", language="en")) in described
    assert {(ox.NamedNode(skos + "altLabel"), ox.Literal(n, language="en")) for n in ("Lavrov", "Sergei Lavrov")} <= described
    assert {(KG.key, ox.Literal(k)) for k in ("sergey lavrov", "sergei lavrov", "lavrov")} <= described
    assert {o for p, o in described if p == ox.NamedNode(PREFIXES["rdf"] + "type")} == {KG.Person}


def test_documents_say_nothing_about_an_entity_but_that_they_name_it(seeds_store):
    in_documents = [q for q in quads_at(seeds_store) if "/doc/" in q.graph_name.value and q.subject == LAVROV]
    described_by = {ox.NamedNode(PREFIXES["rdf"] + "type"), ox.NamedNode(PREFIXES["skos"] + "prefLabel"),
                    ox.NamedNode(PREFIXES["skos"] + "altLabel"), KG.key}
    assert KG.mentionedIn in {q.predicate for q in in_documents}
    assert not {q.predicate for q in in_documents} & described_by


# ---------------------------------------------------------------- kept in step with the documents


def test_the_entities_graph_is_the_same_whatever_the_order_documents_come_in(fresh_location, seeds_store):
    documents = recorded_documents()
    backwards = dict(reversed(list(documents.items())))
    assert written(fresh_location, backwards, one_by_one=True) == entities_graph(seeds_store)


def test_removing_a_document_takes_back_what_only_it_said(kg, fresh_location, reference):
    documents = recorded_documents()
    written(fresh_location, documents)
    users: dict[tuple, set[str]] = {}
    for graph, quads in documents.items():
        for quad in quads:
            if quad.predicate == KG.surfaceForm:
                entity = next(q.object for q in quads if q.subject == quad.subject and q.predicate == KG.entity)
                users.setdefault((entity, quad.object), set()).add(graph)
    (entity, form), (removed,) = next(((k, v) for k, v in sorted(users.items(), key=str) if len(v) == 1
                                       and not any(k[0] == e and len(g) > 1 for (e, _), g in users.items())))
    kept = {graph: quads for graph, quads in documents.items() if graph != removed}
    assert kg("remove", removed, "--store", fresh_location).exit_code == 0
    after = entities_graph(fresh_location)
    assert after == reference(kept)
    assert not {t for t in after if t.subject == entity and t.object == form}  # only the removed document said it


def test_an_entity_no_document_names_any_more_is_gone(kg, fresh_location):
    documents = recorded_documents()
    written(fresh_location, documents)
    for graph in documents:
        assert kg("remove", graph, "--store", fresh_location).exit_code == 0
    assert entities_graph(fresh_location) == set()


def test_a_replaced_document_says_what_it_says_now(fresh_location, reference):
    documents = recorded_documents()
    written(fresh_location, documents)
    first = next(graph for graph, quads in documents.items() if any(q.subject.value.endswith("#sergey-lavrov") for q in quads))
    record = ox.NamedNode(f"{first}#sergey-lavrov")
    changed = [q for q in documents[first] if q.predicate not in (KG.surfaceForm, KG.contentHash)]  # an edited article
    changed += [ox.Quad(record, KG.surfaceForm, ox.Literal("S. V. Lavrov", language="en"), ox.NamedNode(first)),
                ox.Quad(ox.NamedNode(first), KG.contentHash, ox.Literal("edited"), ox.NamedNode(first))]
    with open_store(fresh_location, write=True) as store:
        derived.write_documents(store, [(first, nquads(changed))])
    after = entities_graph(fresh_location)
    assert after == reference({**documents, first: changed})
    assert ox.Triple(LAVROV, KG.key, ox.Literal("s v lavrov")) in after


# ---------------------------------------------------------------- parameters


@pytest.mark.parametrize("name", ["Lavrov", "lavrov", "Sergey Lavrov", "SERGEI LAVROV", "Sérgey  Lavrov", "ent:sergey-lavrov"])
def test_about_finds_a_person_by_any_name_in_any_case_and_accent(kg, seeds_location, name):
    result = kg("query", "about", "--param", f"name={name}", "--store", seeds_location, "--format", "json")
    assert result.exit_code == 0, result.stderr
    found = rows(result.stdout)
    assert {r["about"] for r in found} == {"Sergey Lavrov"}
    assert {"Statement", "Meeting", "Position"} <= {r["what"] for r in found}
    assert all(r["source"].endswith(".txt") and r["sentence"] for r in found)


def test_about_puts_dated_facts_first_in_date_order(kg, seeds_location):
    found = rows(kg("query", "about", "--param", "name=lavrov", "--store", seeds_location, "--format", "json").stdout)
    dates = [r["date"] for r in found if r.get("date", "")[:1].isdigit()]
    assert dates and dates == sorted(dates) and found[0].get("date") == dates[0]


@pytest.mark.parametrize("actor", ["NATO", "nato", "North Atlantic Treaty Organization", "the-north atlantic TREATY organization"[4:]])
def test_an_entity_parameter_matches_any_label_or_gazetteer_alias(kg, seeds_location, actor):
    everyone = rows(kg("query", "suspensions", "--store", seeds_location, "--format", "json").stdout)
    nato = rows(kg("query", "suspensions", "--param", f"actor={actor}", "--store", seeds_location, "--format", "json").stdout)
    assert nato and len(nato) < len(everyone) and {r["agent"] for r in nato} == {"NATO"}


def test_parameters_are_optional_and_dates_bound_a_period(kg, seeds_location):
    def timeline(*params: str) -> list[dict]:
        result = kg("query", "timeline", *params, "--store", seeds_location, "--format", "json")
        assert result.exit_code == 0, result.stderr
        return rows(result.stdout)
    everything = timeline()
    in_2015 = timeline("--param", "from=2015", "--param", "to=2015-12")
    in_may = timeline("--param", "from=2015-05-07", "--param", "to=2015-05-07")
    assert in_2015 and len(in_2015) < len(everything)
    assert {r["date"] for r in in_may} == {"2015-05-07"}
    assert timeline("--param", "to=2014") == []
    assert all("Lavrov" in r["who"] for r in timeline("--param", "actor=Lavrov", "--param", "from=2015"))


def test_a_bad_date_is_one_line_naming_it(kg, seeds_location):
    result = kg("query", "timeline", "--param", "from=May 2015", "--store", seeds_location)
    assert result.exit_code == 2
    assert result.stderr.strip() == ("kg: error: parameter from takes a date as YYYY, YYYY-MM or YYYY-MM-DD, "
                                     "not 'May 2015'")


def test_a_name_that_matches_nothing_gives_no_rows_and_a_note(kg, seeds_store):
    text = (DATA.parent.parent / "queries" / "about.rq").read_text()
    with open_store(seeds_store) as store:
        bound = bind_params(store, text, {"name": "Lavrof"})
        assert list(store.query(bound.text, prefixes=PREFIXES)) == []
        with pytest.raises(UsageError, match="no parameter 'who'"):
            bind_params(store, text, {"who": "Lavrov"})
    assert bound.notes == ("no entity in the store is named 'Lavrof' (parameter name); `kg query entities` lists them",)


def test_a_query_file_with_an_old_header_binds_its_projected_text_parameter(seeds_location, tmp_path):
    path = tmp_path / "agents.rq"
    path.write_text("# title: Agents\n# param: actor  Name of the agent\n"
                    "SELECT DISTINCT ?actor ?event WHERE { ?event kg:agent ?who . ?who skos:prefLabel ?name "
                    "FILTER(LCASE(STR(?name)) = LCASE(STR(?actor))) }\n")
    result = run("query", str(path), "--param", "actor=nato", "--store", seeds_location, "--format", "json")
    assert result.returncode == 0, result.stderr
    found = rows(result.stdout)
    assert found and {r["actor"] for r in found} == {"nato"}

"""The Python API (`kg.open`) on the recorded seeds, in a real on-disk store and a real
`oxigraph serve`: rows of Python values with their terms, booleans, triples, pages,
exports, statistics and errors as KgError kinds."""
from __future__ import annotations

import datetime as dt
import io
import sys

import pyoxigraph as ox
import pytest

import kg
from kg.errors import KgError, QueryNote, QuerySyntaxError, QueryTimeout, StoreError, UnknownQuery, UsageError
from kg.query.saved import saved_queries

from conftest import canonical, quads_at

CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_a_saved_query_gives_rows_of_python_values_in_its_columns(seeds_location):
    with kg.open(seeds_location) as graph:
        rows = graph.query("met-with")
    assert rows.columns == ("who", "metWith", "place", "date", "status", "source", "reports")
    meeting = [row for row in rows if {row["who"], row["metWith"]} == {"Frank-Walter Steinmeier", "Sergey Lavrov"}]
    assert meeting and {row["place"] for row in meeting} == {"Volgograd"}
    assert all(list(row) == list(rows.columns) for row in rows)
    assert isinstance(meeting[0].term("who"), ox.Literal) and meeting[0].term("who").value == meeting[0]["who"]


def test_a_full_date_is_a_date_and_a_partial_one_stays_text(seeds_location):
    rows = kg.open(seeds_location).query("SELECT DISTINCT ?date WHERE { ?meeting a kg:Meeting ; kg:date ?date }")
    dates = {row["date"] for row in rows}
    assert dt.date(2015, 5, 7) in dates and "--05-07" in dates


def test_terms_numbers_and_unbound_values(seeds_location):
    graph = kg.open(seeds_location)
    rows = graph.query("SELECT ?e ?n ?none WHERE { { SELECT (COUNT(*) AS ?n) WHERE { ?x a kg:Meeting } } "
                       "?e a kg:Meeting . OPTIONAL { ?e kg:noSuchProperty ?none } } LIMIT 1")
    row = rows[0]
    assert isinstance(row["n"], int) and row["n"] >= 5 and row["none"] is None
    assert row["e"].startswith("https://w3id.org/kg-news/") and row.term("e") == ox.NamedNode(row["e"])
    assert rows.terms()[0] == (row.term("e"), row.term("n"), None)


def test_select_star_keeps_the_order_the_query_names_its_variables(seeds_location):
    rows = kg.open(seeds_location).query("SELECT * WHERE { ?who kg:metWith ?whom . ?whom skos:prefLabel ?a }")
    assert rows.columns == ("who", "whom", "a")


def test_ask_gives_a_bool_and_construct_gives_triples(seeds_location):
    graph = kg.open(seeds_location)
    assert graph.query("ASK { ?e a kg:Meeting }") is True
    assert graph.query("ASK { ?e a kg:Meeting ; kg:agent ent:no-such-thing }") is False
    triples = graph.query("CONSTRUCT { ?a kg:metWith ?b } WHERE { ?a kg:metWith ?b }")
    assert triples and all(isinstance(t, ox.Triple) and t.predicate.value.endswith("#metWith") for t in triples)
    assert len(set(triples)) == len(triples)


def test_parameters_bind_as_keywords(seeds_location):
    graph = kg.open(seeds_location)
    nato = graph.query("suspensions", actor="nato")
    assert nato and len(nato) < len(graph.query("suspensions"))
    assert {row["agent"] for row in nato} == {"NATO"}
    page = graph.query("suspensions", actor="nato", limit=2, offset=1)  # its ORDER BY has ties: compare as sets
    assert len(page) == 2 and set(page.terms()) <= set(nato.terms())


def test_rows_keep_the_notes_of_a_name_that_matches_nothing(seeds_location):
    with kg.open(seeds_location) as graph:
        nobody, lavrov = graph.query("about", name="Nobodyknows"), graph.query("about", name="Lavrov")
    assert (len(nobody), nobody.notes) == (0, (
        "no entity in the store is named 'Nobodyknows' (parameter name); `kg query entities` lists them",))
    assert "note: no entity in the store is named 'Nobodyknows'" in repr(nobody)
    assert lavrov and lavrov.notes == ()


def test_an_answer_without_rows_gives_its_notes_as_warnings(seeds_location, tmp_path):
    path = tmp_path / "acts.rq"
    path.write_text("# param: who entity  Who acts\nASK { ?event kg:agent ?who }\n")
    with kg.open(seeds_location) as graph, pytest.warns(QueryNote, match="named 'Nobodyknows' \\(parameter who\\)"):
        assert graph.query(str(path), who="Nobodyknows") is False


def test_limit_and_offset_give_a_page_of_the_same_order(seeds_location):
    graph = kg.open(seeds_location)
    everything = graph.query("events")
    page = graph.query("events", limit=3, offset=2)
    assert page.columns == everything.columns
    assert page.terms() == everything.terms()[2:5]
    construct = "CONSTRUCT { ?e a ?k } WHERE { ?e a ?k ; kg:source ?d }"
    assert len(graph.query(construct, limit=4)) == 4
    with pytest.raises(UsageError):
        graph.query("ASK { ?s ?p ?o }", limit=1)


def test_errors_are_kg_error_kinds(seeds_location, tmp_path):
    graph = kg.open(seeds_location)
    with pytest.raises(UnknownQuery):
        graph.query("no-such-query")
    with pytest.raises(QuerySyntaxError):
        graph.query("SELECT ?x WHERE { ?x ")
    with pytest.raises(UsageError, match="SPARQL Update"):
        graph.query("DELETE WHERE { ?s ?p ?o }")
    with pytest.raises(StoreError, match="no store at"):
        kg.open(tmp_path / "nothing").query("ASK {}")
    graph.close()
    with pytest.raises(StoreError, match="closed"):
        graph.query("ASK {}")


def test_a_query_past_the_time_limit_is_stopped(seeds_store):
    with pytest.raises(QueryTimeout, match=r"query stopped after 0.5 s \(timeout\)"):
        kg.open(seeds_store, timeout=0.5).query(CROSS_JOIN)


def test_to_pandas_names_the_extra_when_pandas_is_missing(seeds_store, monkeypatch):
    rows = kg.open(seeds_store).query("met-with")
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if it were not installed
    with pytest.raises(UsageError, match=r"kg\[pandas\]") as raised:
        rows.to_pandas()
    assert isinstance(raised.value, KgError)


def test_to_pandas_gives_a_frame_in_the_query_columns(seeds_store):
    rows = kg.open(seeds_store).query("met-with")
    frame = rows.to_pandas()
    assert list(frame.columns) == list(rows.columns) and len(frame) == len(rows)


def test_exports_in_memory_to_a_file_object_and_by_extension(seeds_location, tmp_path):
    graph = kg.open(seeds_location)
    documents = canonical([q for q in quads_at(seeds_location) if "graph/ontology" not in str(q.graph_name)])
    nquads = graph.export("nquads")
    assert canonical(ox.parse(nquads, format=ox.RdfFormat.N_QUADS)) == documents
    buffer = io.BytesIO()
    graph.export("nquads", buffer)
    assert canonical(ox.parse(buffer.getvalue(), format=ox.RdfFormat.N_QUADS)) == documents
    assert graph.export(path_or_file=tmp_path / "graph.nq") == [tmp_path / "graph.nq"]
    assert canonical(ox.parse(path=str(tmp_path / "graph.nq"), format=ox.RdfFormat.N_QUADS)) == documents
    graph.export(path_or_file=tmp_path / "graph.rdf")
    union = {(q.subject, q.predicate, q.object) for q in documents}
    rdfxml = {(t.subject, t.predicate, t.object) for t in ox.parse(path=str(tmp_path / "graph.rdf"), format=ox.RdfFormat.RDF_XML)}
    assert rdfxml == union
    with pytest.raises(UsageError, match="does not match"):
        graph.export("turtle", tmp_path / "graph.nq")


def test_stats_and_remove(copy_location):
    graph = kg.open(copy_location)
    before = graph.stats()
    assert len(before.documents) == 5 and dict(before.classes)["Statement"] > 10
    assert graph.remove("002_85e0a2435721776e.txt") == ["002_85e0a2435721776e.txt"]
    assert len(graph.stats().documents) == 4
    with pytest.raises(StoreError, match="no document"):
        graph.remove("002_85e0a2435721776e.txt")


def test_update_changes_the_store_and_returns_the_change(copy_location):
    graph = kg.open(copy_location)
    added = graph.update("INSERT DATA { GRAPH doc:extra { ent:x skos:prefLabel \"X\" } }")
    assert added == 1
    assert graph.query("SELECT ?l WHERE { ent:x skos:prefLabel ?l }")[0]["l"] == "X"
    with pytest.raises(UsageError):
        graph.update("ASK {}")



SAVED_QUERY_CASES = [  # each saved query without parameters, then with its parameters
    ("about", {}), ("about", {"name": "Lavrov"}),
    ("claims", {}), ("claims", {"source": "Grushko"}),
    ("contacts", {}), ("contacts", {"person": "Lavrov"}),
    ("entities", {}),
    ("events", {}), ("events", {"actor": "nato"}), ("events", {"actor": "Lavrov", "from": "2015-05", "to": "2015-05"}),
    ("happenings", {}), ("happenings", {"actor": "Lavrov", "from": "2015-05", "to": "2015-05"}),
    ("met-with", {}), ("met-with", {"person": "Lavrov"}),
    ("offices", {}), ("offices", {"person": "Lavrov"}), ("offices", {"person": "Lavrov", "on": "2015"}),
    ("positions", {}),
    ("proposals", {}), ("proposals", {"actor": "Russia"}),
    ("quotes", {}), ("quotes", {"person": "Lavrov"}),
    ("relation", {"a": "russia", "b": "nato"}), ("relation", {"a": "russia", "b": "nato", "on": "2015-12-31"}),
    ("suspensions", {}), ("suspensions", {"actor": "nato"}),
    ("timeline", {}), ("timeline", {"actor": "Lavrov", "from": "2015-05", "to": "2015-05"}),
]
GROUP_CONCATS = {  # the columns that join a group's values, by their separator: servers join them in any order,
    # and join no value into "" (Virtuoso) or leave the column unbound (Oxigraph)
    "about": {"with": ", "}, "claims": {"parties": " | "}, "events": {"participants": " | "},
    "happenings": {"parties": ", ", "sources": ", ", "says": ", ", "disagreements": "; "},
    "offices": {"sources": ", "}, "relation": {"sources": "; "}, "timeline": {"who": ", "},
}


def test_a_required_parameter_left_out_is_a_usage_error(seeds_store):
    with kg.open(seeds_store) as graph, pytest.raises(UsageError, match=r"^the query needs --param b=\.\.\. \(The other actor"):
        graph.query("relation", a="nato")


def test_the_cases_cover_every_saved_query():
    assert {name for name, _ in SAVED_QUERY_CASES} == set(saved_queries())


def row_set(name: str, rows) -> set[tuple]:
    """The rows of a saved query as a set of tuples, each joined list sorted."""
    joined = GROUP_CONCATS.get(name, {})
    return {tuple((joined[column].join(sorted(value.split(joined[column]))) or None)
                  if column in joined and isinstance(value, str) else value
                  for column, value in row.items()) for row in rows}


@pytest.mark.parametrize("backend", ["server", "virtuoso"], indirect=True)  # compared with the disk store
@pytest.mark.parametrize(("name", "params"), SAVED_QUERY_CASES, ids=lambda case: str(case))
def test_a_saved_query_gives_the_same_rows_on_every_backend(backend, seeds_location, seeds_store, name, params):
    with kg.open(seeds_store) as disk, kg.open(seeds_location) as server:
        expected, found = disk.query(name, **params), server.query(name, **params)
    assert found.columns == expected.columns
    assert expected or "on" in params  # the seeds date no office or step with its year
    assert row_set(name, found) == row_set(name, expected)

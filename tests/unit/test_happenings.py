"""Happenings: the matching of reports on records, and the happenings graph kept by loads
and removals on real stores (disk and `oxigraph serve`), from documents written as records."""
from __future__ import annotations

import itertools

import pyoxigraph as ox
import pytest

from kg import derived
from kg.derived.happenings import GRAPH, Report, happenings
from kg.query.saved import saved_queries
from kg.rdf.quads import document_iri, document_quads
from kg.records import Document, Entity, Event, Extraction
from kg.store import open_store
from kg.store.sparql_server import bind_values
from conftest import DATA, canonical

ENT = "https://w3id.org/kg-news/entity/"
LAVROV, KERRY, ZARIF = ENT + "sergey-lavrov", ENT + "john-kerry", ENT + "javad-zarif"


def report(iri: str, date: str | None = None, **fields) -> Report:
    fields.setdefault("parties", (KERRY, LAVROV))
    return Report(iri, fields.pop("kind", "Meeting"), fields.pop("parties"), "doc:" + iri, date=date, **fields)


# ---------------------------------------------------------------- matching, on records

def test_three_outlets_one_a_day_off_make_one_happening_that_records_the_date_disagreement():
    found = happenings([report("a", "2015-03-12", place="geneva"), report("b", "2015-03-12"),
                        report("c", "--03-13", published="2015-03-14", place="geneva")])
    assert len(found) == 1
    (meeting,) = found
    assert (meeting.reports, meeting.earliest, meeting.latest, meeting.place) == (
        ("a", "b", "c"), "2015-03-12", "2015-03-13", "geneva")
    (disagreement,) = meeting.disagreements
    assert disagreement.field == "date"
    assert [(r.value, r.sources) for r in disagreement.readings] == [
        ("2015-03-12", ("doc:a", "doc:b")), ("2015-03-13", ("doc:c",))]


def test_a_week_apart_the_same_pair_met_twice():
    found = happenings([report("a", "2015-04-02"), report("b", "2015-04-09"), report("c", "--04-09", published="2015-04-10")])
    assert sorted((h.earliest, h.reports) for h in found) == [("2015-04-02", ("a",)), ("2015-04-09", ("b", "c"))]
    assert all(not h.disagreements for h in found)


def test_a_partial_date_is_completed_from_its_document_or_else_fits_a_full_one():
    found = happenings([report("a", "2015-05-07"), report("b", "--05-07"), report("c", "2015-05"),
                        report("d", "--05-07", published="2016-05-08")])
    assert sorted(h.reports for h in found) == [("a", "b", "c"), ("d",)]
    assert all(not h.disagreements for h in found)


def test_a_denial_joins_the_happening_it_denies_as_a_disagreement_and_alone_makes_none():
    assert happenings([report("n", "2015-03-12", negated=True)]) == []
    (meeting,) = happenings([report("a", "2015-03-12"), report("n", None, negated=True, published="2015-03-16")])
    assert meeting.reports == ("a", "n")
    (disagreement,) = meeting.disagreements
    assert (disagreement.field, [(r.value, r.sources) for r in disagreement.readings]) == (
        "occurred", [("false", ("doc:n",)), ("true", ("doc:a",))])


def test_hypothetical_and_conditional_reports_make_no_happening_and_join_none():
    assert happenings([report("h", "2015-03-12", modality="Hypothetical"),
                       report("c", "2015-03-12", modality="Conditional")]) == []
    (meeting,) = happenings([report("a", "2015-03-12"), report("h", "2015-03-12", modality="Hypothetical"),
                             report("w", "2015-03-12", modality="Conditional", negated=True)])
    assert (meeting.reports, meeting.disagreements) == (("a",), ())


def test_different_parties_places_or_classes_are_different_happenings():
    found = happenings([report("a", "2015-03-12", place="geneva"), report("b", "2015-03-12", place="paris"),
                        report("c", "2015-03-12", parties=(LAVROV, ZARIF)),
                        report("d", "2015-03-12", kind="Agreement")])
    assert sorted(h.reports for h in found) == [("a",), ("b",), ("c",), ("d",)]


def test_an_undated_report_joins_the_meeting_of_the_days_before_its_document_only():
    found = happenings([report("a", "2015-03-12"), report("u", None, published="2015-03-13"),
                        report("old", None, published="2015-06-30")])
    assert sorted(h.reports for h in found) == [("a", "u"), ("old",)]


def test_a_city_and_its_state_are_one_place_and_the_happening_is_at_the_city():
    volgograd = dict(place="volgograd", region=("russia",))
    (meeting,) = happenings([report("a", "2015-05-07", **volgograd), report("b", "2015-05-07", place="russia"),
                             report("c", "2015-05", place="russia")])
    assert (meeting.reports, meeting.place) == (("a", "b", "c"), "volgograd")
    found = happenings([report("a", "2015-05-07", **volgograd), report("a2", "2015-05-07", **volgograd),
                        report("b", "2015-05-07", place="moscow", region=("russia",)),
                        report("c", "2015-05-07", place="russia")])
    assert sorted((h.place, h.reports) for h in found) == [("moscow", ("b",)), ("volgograd", ("a", "a2", "c"))]
    (palace,) = happenings([report("a", "2015-05-07", place="paris", region=("france",)),
                            report("b", "2015-05-07", place="elysee-palace", located=False)])
    assert (palace.place, palace.reports) == ("paris", ("a", "b"))


def test_reports_join_only_happenings_of_their_own_or_the_next_month_and_bare_years_stay_apart():
    found = happenings([report("a", "2015-03-31"), report("b", "2015-04-01"), report("u", None, published="2015-04-02"),
                        report("y", "2015", published="2015-06-01"), report("old", "2008", published="2015-03-31"),
                        report("old2", "2008", published="2015-04-20")])
    assert sorted((h.reports, h.period) for h in found) == [
        (("a", "b", "u"), "2015-03"), (("old", "old2"), "2008"), (("y",), "2015-06")]


def test_a_report_naming_a_third_participant_is_the_same_meeting_and_a_disagreement_on_who_took_part():
    (meeting,) = happenings([report("a", "2015-03-12", place="geneva"), report("b", "2015-03-12"),
                             report("c", "2015-03-12", parties=(KERRY, LAVROV, ZARIF), place="geneva")])
    assert (meeting.parties, meeting.reports) == ((KERRY, LAVROV), ("a", "b", "c"))
    (disagreement,) = meeting.disagreements
    assert (disagreement.field, [(r.value, r.sources) for r in disagreement.readings]) == (
        "participants", [(f"{KERRY} {LAVROV}", ("doc:a", "doc:b")), (f"{KERRY} {LAVROV} {ZARIF}", ("doc:c",))])
    apart = happenings([report("a", "2015-03-12", place="geneva"),
                        report("c", "2015-03-16", parties=(KERRY, LAVROV, ZARIF)),
                        report("p", "2015-03-12", parties=(KERRY, LAVROV, ZARIF), place="paris")])
    assert sorted(h.reports for h in apart) == [("a",), ("c",), ("p",)]


def test_joining_goes_down_a_chain_of_groups_each_naming_one_party_fewer_but_not_to_one_party_alone():
    ivanov = ENT + "igor-ivanov"
    (chain,) = happenings([report("two", "2015-03-12"), report("three", "2015-03-12", parties=(KERRY, LAVROV, ZARIF)),
                           report("four", "2015-03-12", parties=(KERRY, LAVROV, ZARIF, ivanov))])
    assert (chain.parties, chain.reports) == ((KERRY, LAVROV), ("four", "three", "two"))
    nato, russia = ENT + "nato", ENT + "russia"
    alone = happenings([report("a", "2014-04-01", kind="Suspension", parties=(nato,)),
                        report("b", "2014-04-01", kind="Suspension", parties=(nato, russia))])
    assert sorted(h.reports for h in alone) == [("a",), ("b",)]


def test_the_happenings_do_not_depend_on_the_order_of_the_reports():
    reports = [report("a", "2015-03-12", place="geneva"), report("b", "--03-13", published="2015-03-14"),
               report("c", None, published="2015-03-13"), report("n", "2015-03-12", negated=True),
               report("d", "2015-03-19"), report("e", "2015-03", place="geneva"), report("f", None)]
    results = {tuple(happenings(order)) for order in itertools.permutations(reports)}
    assert len(results) == 1


# ---------------------------------------------------------------- the happenings graph in a store

NAMES = {"sergey-lavrov": ("Sergey Lavrov", "Person"), "john-kerry": ("John Kerry", "Person"),
         "javad-zarif": ("Javad Zarif", "Person"),
         "geneva": ("Geneva", "City"), "paris": ("Paris", "City")}


def article(name: str, published: str, *events: Event) -> tuple[str, bytes]:
    """One document as kg writes it, from records."""
    document = Document(name, f"{name}.txt", "text", f"hash-{name}", published=published)
    entities = tuple(Entity(key, *NAMES[key]) for key in NAMES)
    quads = document_quads(Extraction(document, entities, events), "2026-01-01T00:00:00", "test")
    return document_iri(name).value, ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


def meeting(date: str | None, *, negated: bool = False, place: str = "geneva",
            participants: tuple[str, ...] = ("sergey-lavrov", "john-kerry")) -> Event:
    return Event("Meeting", "met", "Lavrov met Kerry.", 0, 3, participants=participants,
                 date=date, place=place, negated=negated)


GENEVA = [article("tass", "2015-03-12", meeting("2015-03-12")),
          article("reuters", "2015-03-13", meeting("--03-12")),
          article("afp", "2015-03-14", meeting("2015-03-13")),
          article("ria", "2015-03-16", meeting("2015-03-12", negated=True))]
PARIS = [article("paris-1", "2015-04-02", meeting("2015-04-02", place="paris")),
         article("paris-2", "2015-04-09", meeting("2015-04-09", place="paris"))]


def happenings_graph(location: str) -> ox.Dataset:
    with open_store(location) as store:
        return canonical(ox.Quad(r["s"], r["p"], r["o"], ox.NamedNode(GRAPH)) for r in store.query(
            f"SELECT ?s ?p ?o WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"))


def run_saved(location: str, name: str, **params: str) -> list[dict[str, str]]:
    text = saved_queries()[name].text
    for param in params:
        text = text.replace(f"#[{param}] ", "")
    text = bind_values(text, {ox.Variable(k): ox.NamedNode(v) for k, v in params.items()})
    with open_store(location) as store:
        solutions = store.query(text)
        names = [v.value for v in solutions.variables]
        return [{n: row[n].value for n in names if row[n] is not None} for row in solutions]


def write(location: str, documents: list[tuple[str, bytes]], one_by_one: bool = False) -> None:
    with open_store(location, write=True) as store:
        for batch in ([[d] for d in documents] if one_by_one else [documents]):
            derived.write_documents(store, batch)


def test_load_links_the_reports_of_one_meeting_and_keeps_two_meetings_apart(fresh_location):
    write(fresh_location, GENEVA + PARIS)
    rows = run_saved(fresh_location, "happenings")
    assert [(r["type"], r["parties"].count(","), r["date"], r["place"], r["reports"]) for r in rows] == [
        ("Meeting", 1, "2015-03-12 / 2015-03-13", "Geneva", "4"),
        ("Meeting", 1, "2015-04-02", "Paris", "1"), ("Meeting", 1, "2015-04-09", "Paris", "1")]
    geneva = rows[0]
    assert set(geneva["sources"].split(", ")) == {"tass.txt", "reuters.txt", "afp.txt", "ria.txt"}
    assert set(geneva["disagreements"].split("; ")) == {
        "date 2015-03-12 in tass.txt", "date 2015-03-12 in reuters.txt", "date 2015-03-13 in afp.txt",
        "occurred false in ria.txt", "occurred true in tass.txt", "occurred true in reuters.txt",
        "occurred true in afp.txt"}
    assert set(geneva["says"].split(", ")) == {"asserted", "denied"}


def test_contacts_count_meetings_not_reports(fresh_location):
    write(fresh_location, GENEVA + PARIS)
    assert [(r["meetings"], r["first"], r["last"]) for r in run_saved(fresh_location, "contacts")] == [
        ("3", "2015-03-12", "2015-04-09")]
    (row,) = run_saved(fresh_location, "contacts", person=KERRY)
    assert (row["who"], row["metWith"], row["meetings"]) == ("John Kerry", "Sergey Lavrov", "3")


def test_the_same_articles_in_any_order_and_batching_give_the_same_graph(fresh_location, tmp_path):
    write(fresh_location, GENEVA + PARIS)
    other = str(tmp_path / "reversed")
    write(other, list(reversed(GENEVA + PARIS)), one_by_one=True)
    assert happenings_graph(fresh_location) == happenings_graph(other)
    assert len(happenings_graph(other)) > 0


def assert_one_by_one_in_order_gives_the_graph_of_one_batch(documents, order, location, whole):
    write(whole, documents)
    ordered = {"forward": documents, "backward": documents[::-1],
               "interleaved": documents[1::2] + documents[::2]}[order]
    write(location, ordered, one_by_one=True)
    assert happenings_graph(location) == happenings_graph(whole)


MONTHS = [article("m-mar31", "2015-03-31", meeting("2015-03-31")),
          article("m-apr01", "2015-04-01", meeting("2015-04-01")),
          article("m-apr02", "2015-04-02", meeting(None)),
          article("m-may", "2015-05-20", meeting("2015-05-20", place="paris")),
          article("m-june", "2015-06-20", meeting("2015-05", place="paris")),
          article("m-bg", "2015-06-21", meeting("2008")),
          article("m-dec", "2015-12-31", meeting("2015-12-31")),
          article("m-jan", "2016-01-02", meeting("--01-01"))]


@pytest.mark.parametrize("order", ["forward", "backward", "interleaved"])
def test_happenings_across_month_and_year_ends_are_the_same_loaded_one_by_one_in_any_order(
        fresh_location, tmp_path, order):
    assert_one_by_one_in_order_gives_the_graph_of_one_batch(MONTHS, order, fresh_location, str(tmp_path / "whole"))
    assert [(r["date"], r["reports"]) for r in run_saved(fresh_location, "happenings")] == [
        ("2008", "1"), ("2015-03-31 / 2015-04-01", "3"), ("2015-05-20", "2"), ("2015-12-31 / 2016-01-01", "2")]


TRIO = ("sergey-lavrov", "john-kerry", "javad-zarif")
THIRDS = [article("t-two", "2015-03-12", meeting("2015-03-12")),
          article("t-three", "2015-03-13", meeting("--03-12", participants=TRIO)),
          article("t-three-later", "2015-03-20", meeting("2015-03-20", participants=TRIO)),
          article("t-lavrov", "2015-03-12", meeting("2015-03-12", participants=("sergey-lavrov", "javad-zarif"))),
          article("t-pair-late", "2015-03-31", meeting("2015-03-31")),
          article("t-three-late", "2015-04-01", meeting("2015-04-01", participants=TRIO))]


@pytest.mark.parametrize("order", ["forward", "backward", "interleaved"])
def test_reports_naming_one_party_more_join_in_any_load_order_and_leave_when_the_others_go(
        fresh_location, tmp_path, order):
    assert_one_by_one_in_order_gives_the_graph_of_one_batch(THIRDS, order, fresh_location, str(tmp_path / "whole"))
    rows = run_saved(fresh_location, "happenings")
    assert sorted((r["date"], r["reports"], r["parties"].count(",") + 1) for r in rows) == [
        ("2015-03-12", "1", 2), ("2015-03-12", "2", 2), ("2015-03-20", "1", 3), ("2015-03-31 / 2015-04-01", "2", 2)]
    joined = next(r for r in rows if r["reports"] == "2" and r["date"] == "2015-03-12")
    assert "participants javad-zarif john-kerry sergey-lavrov in t-three.txt" in joined["disagreements"]
    with open_store(fresh_location, write=True) as store:
        derived.remove_documents(store, "t-lavrov.txt")
        derived.remove_documents(store, "t-pair-late.txt")
    rest = str(tmp_path / "rest")
    write(rest, [d for d in THIRDS if d[0] not in (THIRDS[3][0], THIRDS[4][0])])
    assert happenings_graph(fresh_location) == happenings_graph(rest)
    assert sorted((r["date"], r["reports"]) for r in run_saved(fresh_location, "happenings")) == [
        ("2015-03-12", "2"), ("2015-03-20", "1"), ("2015-04-01", "1")]


def test_an_undated_document_files_its_undated_report_loose_and_it_still_joins_its_meeting(fresh_location):
    loose = [article("dated", "2015-03-12", meeting("2015-03-12")), article("loose", None, meeting("--03-12"))]
    write(fresh_location, loose[1:], one_by_one=True)
    write(fresh_location, loose[:1], one_by_one=True)
    assert [(r["date"], r["reports"]) for r in run_saved(fresh_location, "happenings")] == [("2015-03-12", "2")]
    with open_store(fresh_location, write=True) as store:
        derived.remove_documents(store, "loose.txt")
    assert [(r["date"], r["reports"]) for r in run_saved(fresh_location, "happenings")] == [("2015-03-12", "1")]


def test_removing_reports_thins_and_then_dissolves_a_happening(fresh_location, tmp_path):
    write(fresh_location, GENEVA[:2] + PARIS[:1])
    with open_store(fresh_location, write=True) as store:
        derived.remove_documents(store, "reuters.txt")
    rows = run_saved(fresh_location, "happenings")
    assert [(r["date"], r["reports"], r["sources"]) for r in rows] == [
        ("2015-03-12", "1", "tass.txt"), ("2015-04-02", "1", "paris-1.txt")]
    with open_store(fresh_location, write=True) as store:
        derived.remove_documents(store, "tass.txt")
    assert [r["date"] for r in run_saved(fresh_location, "happenings")] == ["2015-04-02"]
    write(str(tmp_path / "alone"), PARIS[:1])
    assert happenings_graph(fresh_location) == happenings_graph(str(tmp_path / "alone"))


def test_a_replaced_document_takes_back_what_it_said(fresh_location):
    write(fresh_location, GENEVA[:1] + PARIS[:1])
    write(fresh_location, [article("tass", "2015-03-12", meeting("2015-04-02", place="paris"))])
    rows = run_saved(fresh_location, "happenings")
    assert [(r["date"], r["reports"]) for r in rows] == [("2015-04-02", "2")]


def test_the_happenings_graph_conforms_to_the_shapes(tmp_path):
    from kg.rdf.shacl import validate_nquads, validate_quads
    write(str(tmp_path / "store"), GENEVA + PARIS)
    with open_store(str(tmp_path / "store")) as store:
        quads = list(store.quads())
    assert validate_quads(quads).conforms
    assert validate_nquads(ox.serialize(quads, format=ox.RdfFormat.N_QUADS)).conforms
    assert any(q.graph_name.value == GRAPH for q in quads)


def test_happening_graphs_are_not_documents(tmp_path):
    write(str(tmp_path / "store"), GENEVA)
    with open_store(str(tmp_path / "store")) as store:
        assert [d.value for d in store.documents()] == sorted(g for g, _ in GENEVA)


def test_on_the_recorded_seeds_the_volgograd_meeting_is_one_happening_of_two_reports(tmp_path):
    graphs: dict[str, list[ox.Quad]] = {}
    for quad in ox.parse((DATA / "seeds.nq").read_bytes(), format=ox.RdfFormat.N_QUADS):
        graphs.setdefault(quad.graph_name.value, []).append(quad)
    write(str(tmp_path / "store"), [(g, ox.serialize(q, format=ox.RdfFormat.N_QUADS)) for g, q in graphs.items()])
    rows = [r for r in run_saved(str(tmp_path / "store"), "happenings") if "Steinmeier" in r["parties"]]
    assert [(r["type"], r["date"], r["place"], r["reports"]) for r in rows] == [
        ("Meeting", "2015-05-07", "Volgograd", "2")]
    contacts = run_saved(str(tmp_path / "store"), "contacts", person=LAVROV)
    assert {(r["metWith"], r["meetings"]) for r in contacts} >= {("Frank-Walter Steinmeier", "1")}


@pytest.mark.parametrize("name", ["happenings", "contacts"])
def test_the_saved_queries_declare_their_parameters_by_kind(name):
    text = saved_queries()[name].text
    for param in saved_queries()[name].params:
        assert f"#[{param.name}] " in text or f"?{param.name}" in text

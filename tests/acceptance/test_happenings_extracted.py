"""Happenings across articles, with the model: articles written for the tests
(tests/data/happenings, each with a sidecar giving its outlet and date) loaded, queried,
removed and loaded again in another order."""
from __future__ import annotations

import shutil

import pyoxigraph as ox
import pytest

from kg.derived.happenings import GRAPH

from conftest import DATA, canonical, load_into, rows, store_quads

pytestmark = pytest.mark.slow

ARTICLES = DATA / "happenings"
GENEVA = sorted(ARTICLES.glob("geneva-*.txt"))
PARIS = sorted(ARTICLES.glob("paris-*.txt"))
PHRASINGS = sorted(ARTICLES.glob("nairobi-*.txt")) + sorted(ARTICLES.glob("jakarta-*.txt"))


def happenings(kg, store) -> list[dict[str, str]]:
    result = kg("query", "happenings", "--store", str(store), "--format", "json")
    assert result.exit_code == 0, result.output
    return rows(result.stdout)


def with_parties(found: list[dict[str, str]], *names: str) -> list[dict[str, str]]:
    return [r for r in found if all(name in r["parties"] for name in names)]


def happenings_graph(store) -> ox.Dataset:
    return canonical(q for q in store_quads(store) if q.graph_name.value == GRAPH)


@pytest.fixture(scope="module")
def articles_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("happenings") / "store"
    load_into([str(p) for p in GENEVA + PARIS], str(store))
    return store


@pytest.fixture(scope="module")
def phrasings_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("phrasings") / "store"
    load_into([str(p) for p in PHRASINGS], str(store))
    return store


def reported_in(found: list[dict[str, str]], *names: str) -> list[tuple[str, set[str]]]:
    """The type and sources of the happenings the articles `names` report."""
    return sorted((r["type"], set(r["sources"].split(", "))) for r in found
                  if set(r["sources"].split(", ")) & set(names))


def test_a_visit_reported_as_visited_and_as_arrived_in_the_capital_is_one_visit(kg, phrasings_store):
    visits = [r for r in happenings(kg, phrasings_store) if r["type"] == "Visit"]
    assert reported_in(visits, "nairobi-visited.txt", "nairobi-arrived.txt") == \
        [("Visit", {"nairobi-visited.txt", "nairobi-arrived.txt"})]


def test_a_meeting_reported_as_hosted_and_as_met_is_one_meeting(kg, phrasings_store):
    assert reported_in(happenings(kg, phrasings_store), "nairobi-hosted.txt", "nairobi-met.txt") == \
        [("Meeting", {"nairobi-hosted.txt", "nairobi-met.txt"})]


def test_a_meeting_on_the_sidelines_of_another_is_one_meeting_of_its_pair(kg, phrasings_store):
    found = happenings(kg, phrasings_store)
    assert reported_in(found, "jakarta-sidelines.txt", "jakarta-met.txt") == \
        [("Meeting", {"jakarta-sidelines.txt", "jakarta-met.txt"})]
    (jakarta,) = [r for r in found if "jakarta-met.txt" in r["sources"]]
    assert "ASEAN" not in jakarta["parties"]


def test_three_outlets_and_a_denial_are_one_meeting_that_records_its_disagreements(kg, articles_store):
    (geneva,) = [r for r in with_parties(happenings(kg, articles_store), "Lavrov", "Kerry") if r["place"] == "Geneva"]
    assert (geneva["type"], geneva["date"], geneva["reports"]) == ("Meeting", "2015-03-12 / 2015-03-13", "4")
    assert set(geneva["sources"].split(", ")) == {p.name for p in GENEVA}
    said = set(geneva["disagreements"].split("; "))
    assert "date 2015-03-13 in geneva-afp.txt" in said and "date 2015-03-12 in geneva-tass.txt" in said
    assert "occurred false in geneva-denial.txt" in said
    assert set(geneva["says"].split(", ")) == {"asserted", "denied"}


def test_the_same_pair_a_week_apart_met_twice(kg, articles_store):
    paris = [r for r in with_parties(happenings(kg, articles_store), "Lavrov", "Kerry") if r["place"] == "Paris"]
    assert [(r["date"], r["reports"]) for r in paris] == [("2015-04-02", "1"), ("2015-04-09", "1")]
    result = kg("query", "contacts", "--store", str(articles_store), "--format", "json")
    (pair,) = [r for r in rows(result.stdout) if {r["who"], r["metWith"]} == {"Sergey Lavrov", "John Kerry"}]
    assert (pair["meetings"], pair["first"], pair["last"]) == ("3", "2015-03-12", "2015-04-09")


def test_the_store_with_its_happenings_validates(kg, articles_store):
    result = kg("validate", "--store", str(articles_store))
    assert result.exit_code == 0, result.output


def test_loading_in_another_order_gives_the_same_happenings(articles_store, tmp_path):
    other = tmp_path / "store"
    for path in reversed(PARIS + GENEVA):
        load_into([str(path)], str(other))
    assert happenings_graph(other) == happenings_graph(articles_store)
    assert len(happenings_graph(other)) > 20


def test_removal_thins_a_happening_and_dissolves_it_with_its_last_report(kg, articles_store, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(articles_store, store, ignore=shutil.ignore_patterns("kg-writer.lock"))
    for name in ("geneva-afp.txt", "geneva-denial.txt", "geneva-reuters.txt"):
        assert kg("remove", name, "--store", str(store)).exit_code == 0
    (geneva,) = [r for r in happenings(kg, store) if r["place"] == "Geneva"]
    assert (geneva["date"], geneva["reports"], geneva["sources"], geneva.get("disagreements", "")) == (
        "2015-03-12", "1", "geneva-tass.txt", "")
    assert kg("remove", "geneva-tass.txt", "--store", str(store)).exit_code == 0
    assert [r["place"] for r in happenings(kg, store)] == ["Paris", "Paris"]
    alone = tmp_path / "alone"
    load_into([str(p) for p in PARIS], str(alone))
    assert happenings_graph(store) == happenings_graph(alone)


def test_on_the_seeds_the_volgograd_meeting_is_one_happening_of_two_reports(kg, seeds_store):
    volgograd = [r for r in happenings(kg, seeds_store) if r.get("place") == "Volgograd"]
    assert [(r["type"], r["date"], r["reports"]) for r in volgograd] == [("Meeting", "2015-05-07", "2")]
    assert "Lavrov" in volgograd[0]["parties"] and "Steinmeier" in volgograd[0]["parties"]


"""Who says so and how a relation changes, read by the model from articles written for the
tests (tests/data/claims) and from the seeds."""
from __future__ import annotations

import pytest

from conftest import DATA, load_into, saved_query_rows

pytestmark = pytest.mark.slow

CLAIMS = DATA / "claims"


@pytest.fixture(scope="module")
def claims_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("claims") / "store"
    load_into([str(CLAIMS)], str(path))
    return path


def test_sources_said_is_an_anonymous_source_not_a_person(read):
    x = read((CLAIMS / "anonymous.txt").read_text(encoding="utf-8"))
    suspension = next(e for e in x.events if e.kind == "Suspension")
    assert (suspension.agent, suspension.counterparts) == ("turkey", ("greece",))
    assert suspension.according_to is None and suspension.anonymous_source == "diplomatic sources"
    assert x.outlet == "reuters" and x.document.publisher == "Reuters"


def test_according_to_names_the_source(read):
    x = read((CLAIMS / "according.txt").read_text(encoding="utf-8"))
    resumption = next(e for e in x.events if e.kind == "Resumption")
    assert (resumption.agent, resumption.according_to) == ("canada", "melanie-joly")
    assert x.outlet == "associated-press"


def test_a_fact_in_the_outlets_own_voice_has_no_source(read):
    x = read("Kenya suspended trade talks with Uganda on Monday after a dispute over tariffs.")
    assert [(e.kind, e.according_to, e.anonymous_source) for e in x.events] == [("Suspension", None, None)]


def test_a_speaker_a_quotation_and_unnamed_officials_are_sources(read):
    said = read("Foreign Minister Alfred Mutua said Kenya had suspended trade talks with Uganda.")
    assert [(e.agent, e.according_to) for e in said.events if e.kind == "Suspension"] == [("kenya", "alfred-mutua")]
    quoted = read('"Kenya has suspended all trade talks with Uganda," Foreign Minister Alfred Mutua told reporters.')
    assert [(e.agent, e.according_to) for e in quoted.events if e.kind == "Suspension"] == [("kenya", "alfred-mutua")]
    unnamed = read("Kenya suspended trade talks with Uganda, Western officials said on Monday.")
    assert [(e.agent, e.according_to, e.anonymous_source) for e in unnamed.events] == \
        [("kenya", None, "western officials")]


def test_claims_mark_what_only_anonymous_sources_assert(claims_store):
    rows = saved_query_rows(claims_store, "claims")
    anonymous = [r for r in rows if r["type"] == "Suspension" and r["agent"] == "Turkey"]
    assert [(r["sourceName"], r["anonymous"], r["onlyAnonymous"], r["outlet"]) for r in anonymous] == \
        [("diplomatic sources", "true", "true", "Reuters")]
    named = [r for r in rows if r["sourceName"] == "Melanie Joly"]
    assert [(r["type"], r["anonymous"], r["outlet"]) for r in named] == [("Resumption", "false", "Associated Press")]


def test_a_suspension_and_a_later_resumption_give_two_states(claims_store):
    rows = saved_query_rows(claims_store, "relation", a="uganda", b="kenya")
    assert [(r["date"], r["type"], r["state"]) for r in rows] == [
        ("2021-02-01", "Suspension", "suspended by Kenya since 2021-02-01"),
        ("2021-09-14", "Resumption", "partly resumed since 2021-09-14 (suspended by Kenya since 2021-02-01)")]
    assert [r["date"] for r in saved_query_rows(claims_store, "relation", a="kenya", b="uganda", on="2021-06-01")] == \
        ["2021-02-01"]


def test_lavrovs_claim_is_reported_by_tass(seeds_store):
    rows = saved_query_rows(seeds_store, "claims", source="sergey-lavrov")
    claim = [r for r in rows if "not Russia that initiated the severance" in r["evidence"] and r["type"] == "Suspension"]
    assert [(r["agent"], r["negated"], r["outlet"]) for r in claim] == [("Russia", "true", "TASS")]

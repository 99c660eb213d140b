"""Entities and offices, one construction per test, on short texts written for the test."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def offices(extraction) -> set[tuple]:
    return {(p.person, p.role, p.of) for p in extraction.positions}


def kinds(extraction) -> dict[str, str]:
    return {e.key: e.kind for e in extraction.entities}


def speakers(extraction) -> list[str | None]:
    return [e.agent for e in extraction.events if e.kind == "Statement"]


def test_state_in_the_title_wins_over_the_story_state(read):
    x = read("Peru rejected the plan on Monday. Peru said it would not sign. "
             "U.S. Secretary of State Mary Dalton met Peruvian officials in Lima.\n")
    assert ("mary-dalton", "Secretary of State", "united-states") in offices(x)


def test_holder_after_a_title_complement_and_comma(read):
    x = read("The UN's deputy envoy to Sudan, Samir Mansour, says the talks will go on.\n")
    assert offices(x) == {("samir-mansour", "Deputy Envoy", "united-nations")}


def test_title_in_a_complement_keeps_its_own_holder(read):
    x = read("A spokesman for the Interior Minister, Omar Siddiqi, denied the report.\n")
    assert offices(x) == {("omar-siddiqi", "Interior Minister", None)}


def test_portfolio_before_minister_is_part_of_the_title(read):
    x = read("Labor Minister Paulo Mendes met the unions in Brasilia on Tuesday.\n")
    assert offices(x) == {("paulo-mendes", "Labor Minister", None)}
    assert "labor" not in kinds(x)


def test_portfolio_after_minister_of_is_part_of_the_title(read):
    x = read("Japan's vice minister of trade and industry, Kenji Morita, arrived in Ottawa.\n")
    assert offices(x) == {("kenji-morita", "Vice Minister of Trade and Industry", "japan")}


def test_title_given_by_predicate(read):
    x = read("Sir Peter Tanaro, the parliamentary leader of the Unity Party, was elected Prime Minister.\n")
    assert offices(x) == {("peter-tanaro", "Parliamentary Leader", "unity-party"),
                          ("peter-tanaro", "Prime Minister", None)}


def test_conjoined_title_shares_the_state(read):
    x = read("Mr Kerr met Italian President Marco Bellini and Foreign Minister Luca Ferri in Rome.\n")
    assert {("marco-bellini", "President", "italy"), ("luca-ferri", "Foreign Minister", "italy")} <= offices(x)


def test_title_with_a_hyphen_keeps_it(read):
    x = read("Attorney-General Daniel Reeve says the law will change.\n")
    assert offices(x) == {("daniel-reeve", "Attorney-General", None)}


def test_surname_first_name_names_the_person(read):
    x = read("Chinese Foreign Minister Wang Yi met Kenyan officials in Nairobi. "
             "\"We agreed on the road,\" Wang said.\n")
    assert speakers(x) == ["wang-yi"]
    assert "wang" not in kinds(x)


def test_honorific_and_first_name_names_the_person(read):
    x = read("Sir Allan Kemaro was sworn in on Monday. \"The times ahead are hard,\" Sir Allan said.\n")
    assert speakers(x) == ["allan-kemaro"]


def test_multi_word_surname_names_the_person(read):
    x = read("The chairman of the talks, Pieter van der Berg, met farm leaders. "
             "\"We are close,\" Van der Berg said.\n")
    assert speakers(x) == ["pieter-van-der-berg"]


def test_acronym_names_the_body_introduced_in_full(read):
    x = read("The Federated Dock Workers Union will strike on Friday. "
             "\"We have no choice,\" the FDWU said in a statement.\n")
    assert speakers(x) == ["federated-dock-workers-union"]
    assert "fdwu" not in kinds(x)


def test_short_form_names_the_body_introduced_in_full(read):
    x = read("The U.S. Treasury said on Monday the dollar was too high. "
             "The Treasury also said rates would stay.\n")
    keys = [e.key for e in x.entities if e.kind != "Country"]
    assert keys == ["u-s-treasury"]


def test_government_of_a_state_is_one_entity_whichever_form(read):
    x = read("The Israel Government said it would reply. The Israeli Government later denied it.\n")
    assert [e.key for e in x.entities if e.kind != "Country"] == ["israeli-government"]


def test_title_makes_a_person_of_an_organization_name(read):
    x = read("The plan was hailed by United Nations Middle East envoy Terje Roed-Larsen as a turning point.\n")
    assert kinds(x)["terje-roed-larsen"] == "Person"


def test_place_noun_makes_a_place(read):
    x = read("Soldiers entered the village of Kafr Amun and searched houses.\n")
    assert kinds(x).get("kafr-amun") == "Location"


def test_facility_word_makes_a_place(read):
    x = read("Guards at the Baxter Detention Centre stopped the protest.\n")
    assert kinds(x).get("baxter-detention-centre") == "Location"


def test_body_right_after_of_wins_over_a_place_before(read):
    x = read("The Dock Workers Union (DWU) will strike. The Queensland secretary of the DWU, Mark Tully, "
             "says talks have failed.\n")
    assert ("mark-tully", "Secretary", "dock-workers-union") in offices(x)


def test_his_before_a_title_takes_the_office_of_the_person_before(read):
    x = read("The talks included Spanish Finance Minister Carlos Ortega and his deputy minister Elena Ruiz.\n")
    assert ("elena-ruiz", "Deputy Minister", "spain") in offices(x)


def test_title_joined_to_an_unnamed_title_shares_its_state(read):
    x = read("Present were the Swedish Finance Minister and central bank governor Lars Berg.\n")
    assert offices(x) == {("lars-berg", "Central Bank Governor", "sweden")}


def test_state_and_field_tagged_as_a_body_are_part_of_the_title(read):
    x = read("Italy's envoy met Greek Foreign Affairs Undersecretary Nikos Dimas last week.\n")
    assert ("nikos-dimas", "Foreign Affairs Undersecretary", "greece") in offices(x)


def test_government_body_takes_the_state_named_before_it(read):
    x = read("Chile's Foreign Ministry protested on Monday. The Foreign Ministry said the talks were over.\n")
    assert [e.key for e in x.entities if e.kind != "Country"] == ["chilean-foreign-ministry"]


def test_the_two_leaders_are_the_last_two_people_named(read):
    x = read("Chilean President Ana Rojas will host Prime Minister Tom Hale in Santiago. "
             "The two leaders met in Lima in August.\n")
    meetings = [(e.kind, tuple(sorted(e.participants)), e.negated, e.modality) for e in x.events
                if e.kind == "Meeting"]
    assert meetings == [("Meeting", ("ana-rojas", "tom-hale"), False, "Planned"),  # hosting him is meeting him
                        ("Meeting", ("ana-rojas", "tom-hale"), False, "Asserted")]


def test_two_new_people_are_not_the_pair_named_before(read):
    x = read("Chilean President Ana Rojas will host Prime Minister Tom Hale in Santiago. "
             "Two other ministers met in Lima in August.\n")
    assert [e.sentence for e in x.events if e.kind == "Meeting"] == \
        ["Chilean President Ana Rojas will host Prime Minister Tom Hale in Santiago."]


def test_the_organisation_is_the_last_body_named(read):
    x = read("Rights group Human Rights Watch condemned the raids on Monday. "
             "The organisation said \"these raids must stop at once\".\n")
    assert speakers(x) == ["human-rights-watch"]


def test_the_groups_in_the_plural_are_the_last_body_named(read):
    x = read("\"We had no part in it,\" said the Kashmir Freedom Council, an alliance of nine groups. "
             "\"The attack was staged to blame us,\" the groups added in a statement.\n")
    assert speakers(x) == ["kashmir-freedom-council", "kashmir-freedom-council"]


def test_demonym_and_lowercase_government_name_the_government(read):
    x = read("The Greek government has repeatedly warned Ankara.\n")
    assert kinds(x).get("greek-government") == "GovernmentOrganization"


def test_name_taken_for_a_place_before_a_title_is_a_person(read):
    x = read("Talks opened between Anna Weber and Makoto Kuroda, Japan's deputy minister of trade.\n")
    people = {k for k, v in kinds(x).items() if v == "Person"}
    assert "makoto-kuroda" in people
    assert ("makoto-kuroda", "Deputy Minister of Trade", "japan") in offices(x)


def test_another_transliteration_of_the_surname_names_the_person(read):
    x = read("Interior Minister Yunus Qanuni met the envoy on Monday. \"We are ready,\" Qanooni said.\n")
    assert speakers(x) == ["yunus-qanuni"]

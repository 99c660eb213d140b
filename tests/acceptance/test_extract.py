"""One pattern per test, on short texts written for the test, asserting the exact frame."""
from __future__ import annotations

import pytest

from kg.records import Event

pytestmark = pytest.mark.slow


def frames(extraction, kind: str | None = None) -> list[tuple]:
    """Events as comparable tuples: kind, agent, participants (sorted), counterparts, negated."""
    out = []
    for e in extraction.events:
        if kind is None or e.kind == kind:
            out.append((e.kind, e.agent, tuple(sorted(e.participants)), tuple(sorted(e.counterparts)), e.negated))
    return out


def only(extraction, kind: str) -> Event:
    found = [e for e in extraction.events if e.kind == kind]
    assert len(found) == 1, [(e.kind, e.agent, e.sentence) for e in extraction.events]
    return found[0]


def test_verbal_meeting_with_place_and_date(read):
    x = read("Foreign Minister Ana Brnabic met Chinese Foreign Minister Wang Yi in Belgrade on March 3, 2019.\n")
    event = only(x, "Meeting")
    assert set(event.participants) == {"ana-brnabic", "wang-yi"}
    assert (event.place, event.date, event.negated, event.modality) == ("belgrade", "2019-03-03", False, "Asserted")


def test_coordinated_subjects_meet(read):
    x = read("Jean Dupont and Hans Weber met in Geneva on Monday.\n", date="2021-06-09")
    event = only(x, "Meeting")
    assert set(event.participants) == {"jean-dupont", "hans-weber"}
    assert (event.place, event.date) == ("geneva", "2021-06-07")


def test_held_talks_with(read):
    x = read("Kenyan President William Ruto held talks with Ethiopian Prime Minister Abiy Ahmed in Nairobi.\n")
    event = only(x, "Meeting")
    assert set(event.participants) == {"william-ruto", "abiy-ahmed"}
    assert event.place == "nairobi"


def test_passive_suspension_with_agent_and_theme(read):
    x = read("Military contacts with Moscow were cut by NATO in April 2014.\n")
    event = only(x, "Suspension")
    assert (event.agent, event.negated, event.date) == ("nato", False, "2014-04")
    assert "Military contacts" in event.theme


def test_suspension_counterpart_and_capital_metonymy(read):
    x = read("Ankara suspended all military cooperation with Israel on Tuesday.\n", date="2018-05-17")
    assert frames(x, "Suspension") == [("Suspension", "turkey", (), ("israel",), False)]
    assert only(x, "Suspension").date == "2018-05-15"


def test_negated_suspension(read):
    x = read("Canada has not suspended cooperation with the United Nations on refugee resettlement.\n")
    event = only(x, "Suspension")
    assert (event.agent, event.negated, event.counterparts) == ("canada", True, ("united-nations",))


def test_failed_to_is_a_negation(read):
    x = read("The European Union failed to propose a new trade agreement to Mexico.\n")
    event = only(x, "Proposal")
    assert (event.agent, event.negated) == ("european-union", True)


def test_passive_proposal_put_forward_by(read):
    x = read("The idea of a regional water treaty was put forward by Egyptian President Abdel Fattah el-Sisi in May.\n",
             date="2020-09-01")
    event = only(x, "Proposal")
    assert event.agent == "abdel-fattah-el-sisi"
    assert event.date == "2020-05"
    assert event.theme.startswith("The idea of a regional water treaty")


def test_resumption_between_parties_without_agent(read):
    x = read("Direct flights have been restored between India and Pakistan.\n")
    event = only(x, "Resumption")
    assert (event.agent, set(event.participants)) == (None, {"india", "pakistan"})


def test_planned_visit_to_a_capital(read):
    x = read("Japanese Prime Minister Fumio Kishida will visit Canberra next week.\n")
    event = only(x, "Visit")
    assert (event.agent, event.place, event.modality) == ("fumio-kishida", "canberra", "Planned")
    assert event.counterparts == ("australia",)


def test_quote_after_attribution_and_pronoun(read):
    x = read('Norwegian Foreign Minister Anniken Huitfeldt arrived in Oslo.\n'
             '"We will keep talking to both sides," he said.\n')
    statement = only(x, "Statement")
    assert (statement.agent, statement.quote) == ("anniken-huitfeldt", "We will keep talking to both sides")


def test_quote_before_attribution_with_colon(read):
    x = read('Polish President Andrzej Duda said: "Our borders are safe and will stay safe."\n')
    statement = only(x, "Statement")
    assert statement.agent == "andrzej-duda"
    assert statement.quote == "Our borders are safe and will stay safe."


def test_split_quote_gives_both_parts_to_the_speaker(read):
    x = read('"The talks were useful," Kofi Mensah said, "but no deal is in sight yet."\n')
    quotes = {e.quote: e.agent for e in x.events if e.kind == "Statement"}
    assert quotes == {"The talks were useful": "kofi-mensah", "but no deal is in sight yet.": "kofi-mensah"}


def test_title_resolves_to_the_person_holding_it(read):
    x = read("Brazilian Foreign Minister Mauro Vieira arrived in Lima.\n"
             '"We need a ceasefire now," the Brazilian foreign minister told reporters.\n')
    assert only(x, "Statement").agent == "mauro-vieira"


def test_surname_resolves_to_the_full_name(read):
    x = read("Finnish President Alexander Stubb spoke in Helsinki.\n"
             '"Dialogue is the only way forward," Stubb said.\n')
    assert only(x, "Statement").agent == "alexander-stubb"
    assert {e.key for e in x.entities if e.kind == "Person"} == {"alexander-stubb"}


def test_offices_from_titles(read):
    x = read("NATO Secretary General Mark Rutte met Greece's Deputy Foreign Minister Alexandra Papadopoulou.\n")
    offices = {(p.person, p.role, p.of) for p in x.positions}
    assert ("mark-rutte", "Secretary General", "nato") in offices
    assert ("alexandra-papadopoulou", "Deputy Foreign Minister", "greece") in offices


def test_photo_credits_produce_no_entities(read):
    x = read("Talks in Vienna\n"
             "Ministers at the table  Ivan Petrov/TASS\n"
             "\u00a9 EPA/ANNA SMITH\n"
             "Subscribe\n"
             "Austria and Hungary held talks in Vienna on Friday.\n")
    names = {e.label for e in x.entities}
    assert "Ivan Petrov" not in names and "ANNA SMITH" not in names and "EPA" not in names
    assert only(x, "Meeting").participants


def test_dateline_gives_the_date_and_place(read):
    x = read("ROME, June 3. /TASS/. Italian and Spanish negotiators held talks on Wednesday.\n")
    event = only(x, "Meeting")
    assert set(event.participants) == {"italy", "spain"}
    assert (event.date, event.place) == ("--06-03", "rome")


def test_cleft_denial_negates_the_focused_agent(read):
    x = read("It was not Poland that broke off the talks with Belarus, Duda said.\n")
    event = only(x, "Suspension")
    assert (event.agent, event.counterparts, event.negated) == ("poland", ("belarus",), True)


def test_never_negates(read):
    x = read("Israel never suspended security cooperation with Jordan.\n")
    assert frames(x, "Suspension") == [("Suspension", "israel", (), ("jordan",), True)]


def test_no_proposal_made_by_the_subject_of_a_light_verb(read):
    x = read("Morocco has made no proposal to Algeria on the border.\n")
    assert frames(x, "Proposal") == [("Proposal", "morocco", (), ("algeria",), True)]


def test_modalities(read):
    x = read("Chile is planning to resume talks with Bolivia. Peru attempted to freeze relations with Ecuador. "
             "If Quito lifts the ban, Lima will restore ties with Ecuador.\n")
    found = {(e.kind, e.agent, e.modality) for e in x.events}
    assert found == {("Resumption", "chile", "Planned"), ("Suspension", "peru", "Attempted"),
                     ("Resumption", "ecuador", "Conditional"), ("Resumption", "peru", "Conditional")}


def test_capital_acts_for_its_state_but_stays_a_city_as_a_place(read):
    x = read("Ukrainian President Petro Poroshenko arrived in Kiev on Monday. Kiev launched a new initiative.\n",
             date="2015-06-12")
    visit = only(x, "Visit")
    assert (visit.agent, visit.place, visit.date) == ("petro-poroshenko", "kyiv", "2015-06-08")
    assert only(x, "Proposal").agent == "ukraine"


def test_seat_stands_for_the_body_the_story_names(read):
    x = read("NATO ministers gathered on Monday. Brussels decided to suspend all cooperation with Minsk.\n")
    assert frames(x, "Suspension") == [("Suspension", "nato", (), ("belarus",), False)]


def test_his_counterpart_and_their_meeting(read):
    x = read("Indian Foreign Minister Subrahmanyam Jaishankar met his Chinese counterpart Wang Yi in Moscow.\n"
             "The Indian foreign minister said the two sides agreed on five points at their meeting.\n")
    offices = {(p.person, p.role, p.of) for p in x.positions}
    assert ("wang-yi", "Foreign Minister", "china") in offices
    meetings = [e for e in x.events if e.kind == "Meeting"]
    assert meetings and all(set(m.participants) == {"subrahmanyam-jaishankar", "wang-yi"} for m in meetings)
    assert meetings[0].place == "moscow"


def test_advice_to_a_named_body_is_a_proposal(read):
    x = read("Foreign Minister Penny Wong says the Pacific Islands Forum should admit Timor-Leste as a member.\n")
    assert frames(x, "Proposal") == [("Proposal", "penny-wong", (), ("pacific-islands-forum",), False)]


def test_quote_carried_over_from_the_previous_speaker(read):
    x = read('"We will not accept this," Mexican President Claudia Sheinbaum said. '
             '"Our sovereignty is not negotiable."\n')
    quotes = {e.quote: e.agent for e in x.events if e.kind == "Statement"}
    assert quotes == {"We will not accept this": "claudia-sheinbaum",
                      "Our sovereignty is not negotiable.": "claudia-sheinbaum"}


def test_sidecar_gives_the_publication_date(tmp_path, nlp):
    from kg.extract.document import extract
    from kg.ingest.text import read_document
    article = tmp_path / "story.txt"
    article.write_text("Argentina and Uruguay held talks on Thursday.\n")
    (tmp_path / "story.json").write_text('{"published": "2023-03-11T08:00:00Z", "publisher": "Example Wire"}')
    document = read_document(article)
    assert (document.published, document.publisher) == ("2023-03-11", "Example Wire")
    assert only(extract(nlp(document.text), document), "Meeting").date == "2023-03-09"

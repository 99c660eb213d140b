"""Quotation attribution, one sieve step or construction per test, on texts written for the
test: who said it, the words, and the rule that gave the speaker."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def statements(extraction) -> list[tuple[str, str]]:
    """The statements as (speaker, quoted words), in text order."""
    return [(e.agent, e.quote) for e in extraction.events if e.kind == "Statement"]


def rules(extraction) -> list[str]:
    return [e.rule for e in extraction.events if e.kind == "Statement"]


def test_speech_verb_after_the_quotation(read):
    x = read('"We will not give up our claims to the islands," Foreign Minister Peter Lindqvist said.\n')
    assert statements(x) == [("peter-lindqvist", "We will not give up our claims to the islands")]
    assert rules(x) == ["speech verb 'said'"]


def test_whole_quotation_across_sentence_breaks(read):
    x = read('"We came here to talk. We will stay as long as it takes," Peter Lindqvist said.\n')
    assert statements(x) == [("peter-lindqvist", "We came here to talk. We will stay as long as it takes")]


def test_quotation_split_by_its_attribution(read):
    x = read('Peter Lindqvist arrived in Vienna on Monday. "The talks went well," he said, "and we will meet again soon."\n')
    assert statements(x) == [("peter-lindqvist", "The talks went well"), ("peter-lindqvist", "and we will meet again soon.")]


def test_inverted_attribution(read):
    x = read('"The border must stay open to trade," said Maria Kowalski.\n')
    assert statements(x) == [("maria-kowalski", "The border must stay open to trade")]


def test_inverted_attribution_to_a_spokesman_named_in_apposition(read):
    x = read('"The embassy will stay closed this week," said the ministry\'s spokesman, Thomas Berger.\n')
    assert statements(x) == [("thomas-berger", "The embassy will stay closed this week")]


def test_according_to(read):
    x = read('The agreement is "dead and buried for now", according to Maria Kowalski.\n')
    assert statements(x) == [("maria-kowalski", "dead and buried for now")]
    assert rules(x) == ["speech verb 'according'"]


def test_colon_introduction_after_told_reporters(read):
    x = read('Maria Kowalski told reporters: "We are ready to talk to anyone who wants peace."\n')
    assert statements(x) == [("maria-kowalski", "We are ready to talk to anyone who wants peace.")]


def test_reopened_mark_continues_the_quotation_before_it(read):
    x = read('"The first round is over," Peter Lindqvist said. "The second round starts soon. "A third may follow in May."\n')
    assert statements(x) == [("peter-lindqvist", "The first round is over"), ("peter-lindqvist", "The second round starts soon."),
                             ("peter-lindqvist", "A third may follow in May.")]
    assert rules(x) == ["speech verb 'said'", "previous sentence's speech verb 'said'", "continues a quotation before it"]


def test_quotation_running_into_the_attributed_one_after_it(read):
    x = read('Maria Kowalski arrived on Monday. "We came here to talk. "We will stay as long as it takes," Peter Lindqvist said.\n')
    assert statements(x) == [("peter-lindqvist", "We came here to talk."), ("peter-lindqvist", "We will stay as long as it takes")]
    assert rules(x)[0] == "continues a quotation after it, by its speech verb 'said'"


def test_previous_sentence_speech_verb(read):
    x = read('Peter Lindqvist says the negotiations have stalled. "Nobody is willing to move an inch on the main issues."\n')
    assert statements(x) == [("peter-lindqvist", "Nobody is willing to move an inch on the main issues.")]
    assert rules(x) == ["previous sentence's speech verb 'says'"]


def test_last_speaker(read):
    x = read('"We are ready to sign the treaty," Peter Lindqvist said on Monday. The talks resumed in Geneva on Tuesday. '
             '"Nothing has been agreed yet on the border."\n')
    assert statements(x) == [("peter-lindqvist", "We are ready to sign the treaty"),
                             ("peter-lindqvist", "Nothing has been agreed yet on the border.")]
    assert rules(x)[1] == "the last person who spoke or acted"


def test_last_person_who_acted(read):
    x = read('"We are ready to sign the treaty," Peter Lindqvist said on Monday. Maria Kowalski arrived in Geneva on '
             'Tuesday and appeared worried. "Nothing has been agreed yet on the border."\n')
    assert statements(x) == [("peter-lindqvist", "We are ready to sign the treaty"),
                             ("maria-kowalski", "Nothing has been agreed yet on the border.")]
    assert rules(x)[1] == "the last person who spoke or acted"


def test_a_quotation_that_ends_its_sentence_takes_no_verb_from_the_next(read):
    x = read('Peter Lindqvist arrived on Monday. "We will sign it," he said. "We are ready to sign the deal today." '
             'Maria Kowalski says the deal is not close.\n')
    assert statements(x) == [("peter-lindqvist", "We will sign it"), ("peter-lindqvist", "We are ready to sign the deal today.")]


def test_never_the_person_named_inside_the_quotation(read):
    x = read('Peter Lindqvist arrived in Vienna on Monday. "Maria Kowalski has misled everyone about the deal," he said.\n')
    assert statements(x) == [("peter-lindqvist", "Maria Kowalski has misled everyone about the deal")]


def test_pronoun_after_an_appositive_subject(read):
    x = read("The UN's deputy envoy to Austria, Ahmed Karimi, says he is not worried about the delays. "
             '"This is not something we can rush through," he said.\n')
    assert statements(x) == [("ahmed-karimi", "This is not something we can rush through")]


def test_minister_named_beside_his_state_speaks(read):
    x = read('"We will respond to this in kind," Austrian Foreign Minister Peter Lindqvist said.\n')
    assert statements(x) == [("peter-lindqvist", "We will respond to this in kind")]


def test_title_and_given_name(read):
    x = read("Sir Robert Tanaka was elected prime minister on Monday. "
             '"The times ahead are not going to be easy," Sir Robert said.\n')
    assert statements(x) == [("robert-tanaka", "The times ahead are not going to be easy")]


@pytest.mark.parametrize("source", ["a senior official", "one source", "Austrian officials"])
def test_anonymous_sources_are_no_speakers(read, source):
    x = read(f'"The talks have failed completely," {source} said.\n')
    assert statements(x) == []
    assert [r.reason for r in x.rejections if r.kind == "Statement"] == \
        [f"unresolved speaker (speech verb 'said'): '{source.split()[-1]}' is an anonymous source"]


def test_statement_speaks_for_its_issuer(read):
    x = read('A statement from the World Health Organization said: "The outbreak is under control in all regions."\n')
    assert statements(x) == [("world-health-organization", "The outbreak is under control in all regions.")]
    assert rules(x) == ["speech verb 'said', by the issuer of the statement"]


def test_the_statement_speaks_for_the_issuer_of_the_last_one(read):
    x = read("A World Health Organization statement said the outbreak was over. "
             '"No new cases have been reported in the last month," the statement said.\n')
    assert statements(x) == [("world-health-organization", "No new cases have been reported in the last month")]


def test_definite_description_of_the_last_person(read):
    x = read('Maria Kowalski arrived in Vienna on Monday. "The border must stay open to trade," the minister said.\n')
    assert statements(x) == [("maria-kowalski", "The border must stay open to trade")]
    assert rules(x) == ["speech verb 'said', a description of the last person"]


def test_quoted_as_saying(read):
    x = read('Maria Kowalski arrived in Vienna on Monday. The Austria Press Agency quoted her as saying the talks '
             'would go on, "but not in a short time and not without goodwill."\n')
    assert statements(x) == [("maria-kowalski", "but not in a short time and not without goodwill.")]


def test_long_subject_after_the_quotation(read):
    x = read('"The rule of the old regime has totally ended," the Vienna-based Austrian news agency '
             'Austria Press Agency (APA) said in a report.\n')
    assert statements(x) == [("austria-press-agency", "The rule of the old regime has totally ended")]

"""Entity spans trimmed and joined into names, on Docs built by hand (no model, but spaCy)."""
from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from kg.extract.mentions import joined_names, trimmed
from kg.lexicon.words import words

pytestmark = pytest.mark.slow
ENGLISH = spacy.blank("en")  # the language's lexical attributes, without a model

def doc_with_people(tokens: list[str], people: list[tuple[int, int]], sent_starts: list[int] = ()) -> Doc:
    spaces = [not (token.isspace() or after.isspace()) for token, after in zip(tokens, tokens[1:] + ["."])]
    doc = Doc(ENGLISH.vocab, words=tokens, spaces=spaces)
    for i in sent_starts:
        doc[i].is_sent_start = True
    doc.ents = [Span(doc, start, end, label="PERSON") for start, end in people]
    return doc


def test_two_person_spans_side_by_side_are_one_name():
    doc = doc_with_people(["Atal", "Behari", "Vajpayee", "spoke"], [(0, 2), (2, 3)])
    assert [s.text for s in joined_names(doc)] == ["Atal Behari Vajpayee"]


def test_a_headline_name_and_the_lead_name_after_a_line_break_are_two_people():
    doc = doc_with_people(["Kerry", "sees", "Wang", "Yi", "\n\n", "John", "Kerry", "met", "him", "."],
                          [(2, 5), (5, 7)], sent_starts=[5])
    assert [s.text for s in joined_names(doc)] == ["Wang Yi\n\n", "John Kerry"]


def test_a_person_span_starting_a_sentence_is_not_joined_to_the_one_before():
    doc = doc_with_people(["Wang", "Yi", "John", "Kerry", "met"], [(0, 2), (2, 4)], sent_starts=[2])
    assert [s.text for s in joined_names(doc)] == ["Wang Yi", "John Kerry"]


def test_trailing_line_break_is_trimmed_from_a_name():
    doc = doc_with_people(["Wang", "Yi", "\n\n", "John"], [(0, 3)])
    assert trimmed(doc.ents[0], words()).text == "Wang Yi"

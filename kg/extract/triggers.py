"""Triggers: which tokens open an event frame, and of which class, as the lexicon says.

A verb is a trigger by its lemma, with the particle a phrasal entry names ("put forward",
"calls for X to return"),
and only when it meets what its entry asks (an object from a list, a clause of advice);
a noun by its form or lemma.
"""
from __future__ import annotations

import numpy
from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Token

from kg.extract.syntax import conjuncts, is_verbal
from kg.lexicon.words import Trigger, triggers, words

PARTY_LABELS = ("PERSON", "ORG", "GPE", "NORP")


def trigger_kind(token: Token) -> str | None:
    """The event class a token opens, if it is a trigger."""
    table = triggers()
    lemma = token.lemma_.lower()
    if lemma not in table.words and token.lower_ not in table.nouns:
        return None  # most tokens: no table can name them
    if is_verbal(token):
        phrasal = table.phrasal.get(lemma, {})
        has_object = any(c.dep_ == "dobj" for c in token.children)
        for child in [*token.children, *clause_marks(token)]:
            if child.dep_ in ("prt", "prep", "advmod", "dobj", "mark") and child.lower_ in phrasal and \
                    not (child.dep_ == "prep" and has_object):  # "called the riots in Kyiv a coup"
                return phrasal[child.lower_]
        for trigger in table.verbs.get(lemma, ()):
            if holds(trigger, token):
                return trigger.kind
        return None
    if token.pos_ in ("NOUN", "PROPN"):
        kind = table.nouns.get(token.lower_) or table.nouns.get(lemma)
        if kind and token.i + 1 < len(token.doc) and token.nbor(1).lower_ in ("-", "\u2013"):
            return None
        return kind
    return None


def clause_marks(verb: Token) -> list[Token]:
    """The markers of the clauses a verb governs: in "calls for X to return", "for"."""
    return [g for c in verb.children if c.dep_ == "advcl" for g in c.children if g.dep_ == "mark"]


def holds(trigger: Trigger, verb: Token) -> bool:
    """Whether a verb meets what its trigger entry asks of it: an object from a list ("lift
    the ban", not "lift the mood"), or a reported clause with advice in it."""
    if trigger.clause_auxiliaries is not None and advised_clause(verb, trigger.clause_auxiliaries) is None:
        return False  # "X says the council should put Zimbabwe on its agenda" is a proposal
    if trigger.party_object and not any(names_party(o) for c in verb.children if c.dep_ in ("dobj", "nsubjpass")
                                        for o in (c, *conjuncts(c))):
        return False  # "hosted the summit": an occasion, no one met
    if trigger.objects is not None and not (trigger.relative_clause_suffices and verb.dep_ == "relcl"):
        objects = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass", "prt")]
        return any(c.lemma_.lower() in trigger.objects or c.lower_ in trigger.objects for c in objects)
    return True


def names_party(noun: Token) -> bool:
    """Whether a noun phrase names someone who can be received: a name the model tagged as
    a person, body or state, a group noun, a title or a guest word; not an occasion, even
    one with a name ("the Munich Security Conference")."""
    vocabulary = words()
    forms = {noun.lower_, noun.lemma_.lower()}
    if forms & vocabulary.occasion_words:
        return False
    return noun.ent_type_ in PARTY_LABELS or bool(forms & (vocabulary.group_nouns | vocabulary.honorifics
                                                           | vocabulary.guest_words))


def advised_clause(verb: Token, auxiliaries: frozenset[str]) -> Token | None:
    """The 'should' clause a speech verb reports, which makes the statement a proposal."""
    for child in verb.children:
        if child.dep_ == "ccomp" and any(a.dep_ == "aux" and a.lower_ in auxiliaries for a in child.children):
            return child
    return None


def candidate_triggers(doc: Doc) -> list[int]:
    """Indexes of the tokens whose lemma or lower-case form a trigger table names, found on
    the parse's arrays: most tokens are not triggers, and building each Token is the cost."""
    if not len(doc):
        return []
    table = doc.to_array([LEMMA, LOWER])
    strings = doc.vocab.strings
    known = triggers()
    wanted = [h for h in numpy.unique(table[:, 0]) if strings[int(h)].lower() in known.words]
    wanted_lower = [h for h in numpy.unique(table[:, 1]) if strings[int(h)] in known.nouns]
    hits = numpy.isin(table[:, 0], wanted) | numpy.isin(table[:, 1], wanted_lower)
    return numpy.flatnonzero(hits).tolist()

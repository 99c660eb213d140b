"""Reading the dependency parse: main-clause subjects, coordination, clefts, a phrase's
text and the tokens of a trigger's own clause. Grammar only; no word lists."""
from __future__ import annotations

import bisect

import numpy
from spacy.attrs import DEP, HEAD
from spacy.tokens import Doc, Span, Token

from kg.lexicon.words import words

CLAUSE_BOUNDARIES = {"relcl", "ccomp", "advcl", "acl", "csubj", "parataxis"}


def is_verbal(token: Token) -> bool:
    """Whether a token reads as a verb: by its part of speech or, when the tagger and the
    parser disagree, by its tag."""
    return token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB")


def root_subjects(doc: Doc) -> list[int]:
    """Indexes of the subjects of main clauses (nsubj or nsubjpass of the ROOT), found on the
    parse's arrays rather than by visiting every token."""
    if not len(doc):
        return []
    table = doc.to_array([DEP, HEAD])
    strings = doc.vocab.strings
    deps = table[:, 0]
    heads = numpy.arange(len(doc)) + table[:, 1].astype(numpy.int64)
    subject = numpy.isin(deps, numpy.array([strings["nsubj"], strings["nsubjpass"]], dtype=numpy.uint64))
    return numpy.flatnonzero(subject & (deps[heads] == numpy.uint64(strings["ROOT"]))).tolist()


def within(indexes: list[int], span: Span) -> list[int]:
    """The sorted indexes that fall inside a span.

    >>> class Range: start, end = 2, 5
    >>> within([0, 2, 4, 5, 9], Range)
    [2, 4]
    """
    return indexes[bisect.bisect_left(indexes, span.start):bisect.bisect_left(indexes, span.end)]


def conjuncts(token: Token) -> list[Token]:
    """'X, Y and Z': the tokens coordinated with X."""
    out = []
    for child in token.children:
        if child.dep_ == "conj":
            if not any(g.dep_ == "case" for g in child.children):  # "Germany's" modifies, not coordinates
                out.append(child)
            out += conjuncts(child)
    return out


def cleft_focus(verb: Token) -> Token | None:
    """In "it was (not) Russia that initiated ...", Russia: the one the cleft puts in focus."""
    head = verb.head
    if verb.dep_ in ("ccomp", "relcl", "acl") and head.lemma_ == "be" and \
            any(c.dep_ == "nsubj" and c.lower_ == "it" for c in head.children):
        for child in head.children:
            if child.dep_ == "attr":
                return child
    return None


def phrase(token: Token) -> str:
    """The text of a token's phrase, without relative clauses ("..., which were cut by NATO")."""
    skip = {t.i for r in token.subtree if r.dep_ == "relcl" and r is not token for t in r.subtree}
    tokens = [t for t in token.subtree if t.i not in skip]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space or tokens[-1].lower_ in words().relative_pronouns):
        tokens.pop()
    if not tokens:
        return token.text
    return token.doc[tokens[0].i: tokens[-1].i + 1].text.strip(" ,\"\u201c\u201d")


def clause_tokens(trigger: Token) -> list[Token]:
    """The tokens of the trigger's clause, nearest first: for a noun trigger, the clause of the
    verb that governs it; nested clauses are left out, except a relative clause on the trigger
    itself ("the talks that will be held on May 10")."""
    root = trigger
    while root.dep_ in ("pobj", "dobj", "prep", "nsubj", "nsubjpass", "compound", "appos") and root.head is not root \
            and root.pos_ not in ("VERB", "AUX"):
        root = root.head
    chain = [root]
    while chain[-1].dep_ in ("xcomp", "conj") and chain[-1].head.pos_ in ("VERB", "AUX") and len(chain) < 4:
        chain.append(chain[-1].head)  # "decided to suspend": the date may sit on "decided"
    found: list[Token] = []
    queue = list(dict.fromkeys([trigger, *chain]))
    seen = set()
    while queue:
        token = queue.pop(0)
        if token.i in seen:
            continue
        seen.add(token.i)
        found.append(token)
        for child in token.children:
            crossing = child.dep_ in CLAUSE_BOUNDARIES or (child.dep_ == "conj" and child.pos_ in ("VERB", "AUX"))
            if not crossing or (token is trigger and child.dep_ in ("relcl", "acl")):
                queue.append(child)
    return found


def prep_objects(token: Token, preps: tuple[str, ...]) -> list[Token]:
    """The objects of the token's prepositions (or passive "by" agent) among `preps`."""
    out = []
    for child in token.children:
        if child.dep_ in ("prep", "agent") and child.lower_ in preps:
            out += [g for g in child.children if g.dep_ == "pobj"]
    return out

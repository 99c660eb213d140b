"""Entity mentions: the spans the model tags, trimmed to the name, and the table of which
token names which entity, which the linker fills and every later reader consults.

The table also counts how often the story names each state, once, for the two questions
that need it: which state "the government" means, and which state an office belongs to
when its title names none.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from kg.lexicon.gazetteer import GazetteerEntry
from kg.lexicon.words import Words
from kg.records import Entity

ENTITY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}
POSSESSIVE_ENDINGS = ("'s", "\u2019s")


def trimmed(span: Span, words: Words) -> Span | None:
    """The name inside an entity span: without leading articles, honorifics and titles
    ("the", "Mr", "Foreign Minister"), or a trailing possessive or line break."""
    doc = span.doc
    start, end = span.start, span.end
    while start < end and (doc[start].lower_ in words.articles or
                           (span.label_ == "PERSON" and doc[start].lower_ in words.honorifics)):
        start += 1
    while end > start and (doc[end - 1].is_space or
                           doc[end - 1].text in (*POSSESSIVE_ENDINGS, "'", "\u2019", ",", ".")):
        end -= 1
    if start >= end:
        return None
    return Span(doc, start, end, label=span.label_, kb_id=span.kb_id_)


def mention_spans(doc: Doc, words: Words) -> list[Span]:
    """The trimmed spans of the entity types worth linking, longer than one character."""
    names = joined_names(doc)
    names = sorted(names + untagged_full_names(doc, names, words), key=lambda span: span.start)
    spans = [trimmed(ent, words) for ent in names if ent.label_ in ENTITY_LABELS]
    return [s for s in spans if s is not None and len(s.text.strip()) > 1]


def joined_names(doc: Doc) -> list[Span]:
    """The model's entities, with a person's name it cut short made whole again: two
    person spans side by side within a line, or a surname left untagged ("Atal Behari" +
    "Vajpayee"). A headline's last name and the lead's first are two people."""
    out: list[Span] = []
    for ent in doc.ents:
        last = out[-1] if out else None
        if last is not None and ent.label_ == last.label_ == "PERSON" and ent.start == last.end \
                and not doc[last.end - 1].is_space and not ent[0].is_sent_start:
            out[-1] = Span(doc, last.start, ent.end, label="PERSON")
        else:
            out.append(ent)
    return [untagged_rest(ent) if ent.label_ == "PERSON" else ent for ent in out]


def untagged_full_names(doc: Doc, names: list[Span], words: Words) -> list[Span]:
    """Full names the model left untagged whose surname it tags as a person elsewhere in
    the story: a lead's "Recep Tayyip Erdogan visited Egypt", read as a person because a
    later sentence names "Erdogan" as one. The name is a run of two to four capitalized
    proper nouns, compounds of its last, none a title word ("Foreign Minister") or in
    capitals ("FM Lavrov"); a surname the story already gives a full name is left to it."""
    people = [span for span in names if span.label_ == "PERSON"]
    surnames = {s[-1].text for s in people if len(s) == 1} - {s[-1].text for s in people if len(s) > 1}
    covered = {i for span in names for i in range(span.start, span.end)}
    titles = words.honorifics | words.state_role_words | words.role_qualifiers | words.portfolio_words
    found: list[Span] = []
    for head in doc:
        if head.text not in surnames or head.i in covered or not name_word(head, titles):
            continue
        start = head.i
        while start > head.sent.start and head.i - start < 3 and name_word(doc[start - 1], titles) \
                and doc[start - 1].dep_ == "compound" and doc[start - 1].head.i in range(start, head.i + 1) \
                and doc[start - 1].i not in covered:
            start -= 1
        before = doc[start - 1] if start > head.sent.start else None
        if start < head.i and (before is None or before.pos_ != "PROPN"):
            found.append(Span(doc, start, head.i + 1, label="PERSON"))
    return found


def name_word(token: Token, titles: frozenset[str]) -> bool:
    """A capitalized proper noun the model left out of every entity, and no title word."""
    return token.pos_ == "PROPN" and token.ent_iob_ == "O" and token.text.istitle() \
        and token.text.isalpha() and token.lower_ not in titles


def untagged_rest(span: Span) -> Span:
    """A person's span with the capitalized proper nouns the model left untagged after it."""
    doc, end = span.doc, span.end
    while end < len(doc) and end - span.end < 2 and doc[end].ent_iob_ == "O" and doc[end].pos_ == "PROPN" \
            and doc[end].text[:1].isupper() and doc[end].text.isalpha() and not doc[end].is_sent_start:
        end += 1
    return span if end == span.end else Span(doc, span.start, end, label="PERSON")


@dataclass
class Mentions:
    """The entities of one document and the tokens that name them."""

    entities: dict[str, Entity] = field(default_factory=dict)
    token_key: dict[int, str] = field(default_factory=dict)
    demonym_key: dict[int, str] = field(default_factory=dict)
    mention_order: list[tuple[int, str]] = field(default_factory=list)
    forms: dict[str, dict[str, None]] = field(default_factory=dict)

    def add(self, key: str, label: str, kind: str, wikidata: str | None = None) -> str:
        """An entity, introduced the first time the document names it."""
        if key not in self.entities:
            self.entities[key] = Entity(key, label, kind, wikidata)
        return key

    def add_known(self, entry: GazetteerEntry) -> str:
        return self.add(entry.key, entry.label, entry.kind, entry.wikidata)

    def name(self, tokens: Span | list[Token], key: str) -> None:
        """Record that these tokens name the entity `key`, in text order."""
        for token in tokens:
            self.token_key[token.i] = key
        self.mention_order.append((tokens[0].i, key))
        self.forms.setdefault(key, {})[tokens[0].doc[tokens[0].i:tokens[-1].i + 1].text] = None

    def described(self) -> tuple[Entity, ...]:
        """The document's entities, each with the names its text used for it."""
        return tuple(replace(entity, forms=tuple(self.forms.get(key, ()))) for key, entity in self.entities.items())

    def entity_at(self, token: Token) -> str | None:
        """The entity a token is part of, if any."""
        return self.token_key.get(token.i)

    def states(self) -> StateMentions:
        """How often the document names each state."""
        counts = Counter(key for _, key in self.mention_order if self.entities[key].kind == "Country")
        return StateMentions(tuple(counts.most_common()))


@dataclass(frozen=True)
class StateMentions:
    """The states a story names, most often first (ties in order of first mention)."""

    ranked: tuple[tuple[str, int], ...]

    def most_mentioned(self) -> str | None:
        """The state the story names most: whom "the government" means.

        >>> StateMentions((("russia", 2), ("ukraine", 2))).most_mentioned(), StateMentions(()).most_mentioned()
        ('russia', None)
        """
        return self.ranked[0][0] if self.ranked else None

    def dominant(self) -> str | None:
        """The state a story names at least twice and half again as often as any other: the
        state of an office whose title names none ("the President").

        >>> StateMentions((("russia", 3), ("ukraine", 2))).dominant(), StateMentions((("russia", 2), ("ukraine", 2))).dominant()
        ('russia', None)
        >>> StateMentions((("russia", 1),)).dominant()
        """
        ranked = self.ranked[:2]
        if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[0][1] < 1.5 * ranked[1][1]):
            return None
        return ranked[0][0]

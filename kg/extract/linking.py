"""Linking mentions to entities: one key per real thing.

Gazetteer names and aliases link to the known entity; full names introduce people, whose
keys fold transliterations ("Sergei"/"Sergey"), and a later surname resolves to the one
person introduced with it. Names the gazetteer does not know get a key from their text and
a class from their entity type (an organization's from the words of its name). A capital
or seat acting as agent stands for its state or body (metonymy).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import numpy
from spacy.attrs import POS
from spacy.tokens import Doc, Span

from kg.extract.mentions import POSSESSIVE_ENDINGS, Mentions, mention_spans
from kg.lexicon.gazetteer import GazetteerEntry, gazetteer
from kg.lexicon.words import Words
from kg.records import Document, Entity

KIND_OF_LABEL = {"PERSON": "Person", "ORG": "Organization", "GPE": "Location", "LOC": "Region",
                 "FAC": "Location", "NORP": "Group"}


@functools.lru_cache(maxsize=1 << 16)
def fold(name: str) -> str:
    """The form names are compared in: no accents, curly quotes, case, 'the' or possessive.

    >>> fold("the North Atlantic Treaty Organization's"), fold("Frank-Walter  Steinmeier")
    ('north atlantic treaty organization', 'frank walter steinmeier')
    """
    name = unicodedata.normalize("NFKD", name)
    name = "".join(c for c in name if not unicodedata.combining(c))
    name = name.replace("\u2019", "'").replace("\u2018", "'").casefold().strip()
    name = re.sub(r"^the\s+", "", name)
    name = re.sub(r"(?:'s|')$", "", name)
    name = re.sub(r"[\s\u2010-\u2015-]+", " ", name)
    return name.strip(" ,;:\"()")


def slug(name: str) -> str:
    """An IRI local name from a label.

    >>> slug("Côte d'Ivoire"), slug("Frank-Walter Steinmeier")
    ('cote-d-ivoire', 'frank-walter-steinmeier')
    """
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", name).strip("-") or "unnamed"


def person_key(name: str) -> str:
    """A person's key, folding common transliteration variants of the same name.

    >>> person_key("Sergei Lavrov") == person_key("Sergey Lavrov")
    True
    >>> person_key("Aleksandr Grushko"), person_key("Dmitri Medvedev")
    ('alexander-grushko', 'dmitry-medvedev')
    """
    words = slug(name).split("-")
    return "-".join([given_name_variant(w) for w in words[:-1]] + words[-1:])


def person_label(name: str) -> str:
    """The label a person is shown with: given names in the spelling their key uses, so
    every document names one person the same way.

    >>> person_label("Sergei Lavrov"), person_label("Frank-Walter Steinmeier")
    ('Sergey Lavrov', 'Frank-Walter Steinmeier')
    """
    words = name.split()
    out = []
    for word in words[:-1]:
        variant = given_name_variant(word.lower())
        out.append(word[0] + variant[1:] if word.isalpha() and variant != word.lower() else word)
    return " ".join(out + words[-1:])


def given_name_variant(word: str) -> str:
    """One spelling for the transliterations of a given name (Sergei/Sergey, Dmitri/Dmitry).

    >>> [given_name_variant(w) for w in ("sergei", "sergey", "aleksandr", "dmitri", "luis", "behari")]
    ['sergey', 'sergey', 'alexander', 'dmitry', 'luis', 'behari']
    """
    word = re.sub(r"xandr$", "xander", word.replace("ks", "x"))
    if len(word) > 3:
        word = re.sub(r"(?:ei|ii)$", lambda m: m.group(0)[0] + "y", word)
        word = re.sub(r"(?<=[^a]r)i$", "y", word)  # Dmitri, Yuri; not Behari
    return word


@dataclass(frozen=True)
class GazetteerIndex:
    """Lookups over the gazetteer: by name, by demonym, capitals and seats."""

    by_key: dict[str, GazetteerEntry]
    by_name: dict[str, str]
    by_demonym: dict[str, str]
    capital_of: dict[str, tuple[str, ...]]
    seat_of: dict[str, tuple[str, ...]]

    def historical(self, key: str) -> bool:
        """States that no longer exist are kept for old news; a capital's state is the current one."""
        entry = self.by_key.get(key)
        return bool(entry and entry.dissolved)

    def capital_state(self, city: str) -> str | None:
        states = self.capital_of.get(city, ())
        current = [s for s in states if not self.historical(s)]
        return (current or list(states) or [None])[0]

    def lookup(self, text: str) -> GazetteerEntry | None:
        key = self.by_name.get(fold(text))
        return self.by_key[key] if key else None


@functools.lru_cache(maxsize=1)
def gazetteer_index() -> GazetteerIndex:
    """Build the lookups once per process."""
    entries = gazetteer()
    by_key = {e.key: e for e in entries}
    by_name: dict[str, str] = {}
    by_demonym: dict[str, str] = {}
    for entry in entries:
        for name in (entry.label, *entry.aliases):
            by_name.setdefault(fold(name), entry.key)
    for entry in entries:
        for demonym in entry.demonyms:
            by_demonym.setdefault(fold(demonym), entry.key)
    capital_of: dict[str, list[str]] = {}
    for entry in entries:
        for capital in entry.capitals:
            capital_of.setdefault(capital, []).append(entry.key)
    seat_of: dict[str, list[str]] = {}
    for entry in entries:
        if entry.seat and entry.kind != "NewsAgency":
            seat_of.setdefault(entry.seat, []).append(entry.key)
    return GazetteerIndex(by_key, by_name, by_demonym, {k: tuple(v) for k, v in capital_of.items()},
                          {k: tuple(v) for k, v in seat_of.items()})


def link_mentions(doc: Doc, document: Document, index: GazetteerIndex, words: Words) -> Mentions:
    """Every entity the document names, and the tokens that name each."""
    mentions = Mentions()
    spans = [retyped(span, index, words) for span in mention_spans(doc, words)]
    names = story_names(spans, index, words)
    for span in spans:
        key = link_span(span, mentions, index, words, names)
        if key is not None:
            mentions.name(span, key)
    link_bare_surnames(doc, mentions, names)
    link_state_governments(doc, mentions, index, words)
    link_state_capitals(doc, mentions, index, words)
    for name in (document.dateline_place, document.publisher):
        entry = index.lookup(name) if name else None
        if entry:
            mentions.add_known(entry)
    return mentions


@dataclass(frozen=True)
class StoryNames:
    """The full names a story introduces, by the shorter forms it may use for them later:
    a person by surname or first name ("Wang", "Sir Allan"), a body by its initials ("TWU")
    or without its state or a trailing generic word ("Treasury" for "U.S. Treasury",
    "Paktika" for "Paktika province")."""

    people: dict[str, str]
    by_surname: dict[str, set[str]]
    by_first_name: dict[str, set[str]]
    by_initials: dict[str, set[Entity]]
    by_short_form: dict[str, set[Entity]]
    by_sound: dict[str, set[str]]

    def person(self, text: str) -> str | None:
        """The one person a surname or a first name names (family names come first in
        Chinese names: "Wang" for Wang Yi), in the story's spelling or another
        transliteration of it ("Qanooni" for Yunus Qanuni)."""
        name = fold(text)
        for table, form in ((self.by_surname, name), (self.by_first_name, name), (self.by_sound, sound(name))):
            if len(table.get(form, ())) == 1:
                return next(iter(table[form]))
        return None

    def body(self, text: str) -> Entity | None:
        """The one body an acronym or a short form of its name names."""
        name = fold(text)
        for found in (self.by_initials.get(name.replace(".", "").upper(), set()) if is_acronym(text) else set(),
                      self.by_short_form.get(name, set())):
            if len(found) == 1:
                return next(iter(found))
        return None


def story_names(spans: list[Span], index: GazetteerIndex, words: Words) -> StoryNames:
    """The tables of a story's full names by their shorter forms."""
    people: dict[str, str] = {}
    full_names = sorted((s.text for s in spans if s.label_ == "PERSON" and len(s) >= 2 and not index.lookup(s.text)),
                        key=lambda name: -len(name.split()))
    for name in full_names:
        if not any(fold(f" {other}").endswith(f" {fold(name)}") for other in people.values() if other != name):
            people.setdefault(person_key(name), person_label(name))
    by_surname: dict[str, set[str]] = {}
    by_first_name: dict[str, set[str]] = {}
    for key, name in people.items():
        parts = name.split()
        for n in range(1, len(parts)):
            by_surname.setdefault(fold(" ".join(parts[n:])), set()).add(key)
        by_first_name.setdefault(fold(parts[0]), set()).add(key)
    by_first_name = {k: v for k, v in by_first_name.items() if k not in by_surname}
    by_initials: dict[str, set[Entity]] = {}
    by_short_form: dict[str, set[Entity]] = {}
    for span in spans:
        if span.label_ in ("PERSON", "NORP") or len(span) < 2 or index.lookup(span.text):
            continue
        entity = unknown_entity(span, index, words)
        by_initials.setdefault(initials(span.text), set()).add(entity)
        if fold(entity.label) != fold(span.text):
            by_short_form.setdefault(fold(span.text), set()).add(entity)
        if index.lookup(span[0].text) or span[0].lower_ in index.by_demonym:
            by_short_form.setdefault(fold(without_state(span).text), set()).add(entity)
        if span[-1].lower_ in words.name_tail_words:
            by_short_form.setdefault(fold(span[:-1].text), set()).add(entity)
    by_sound: dict[str, set[str]] = {}
    for key, name in people.items():
        by_sound.setdefault(sound(fold(name.split()[-1])), set()).add(key)
    return StoryNames(people, by_surname, by_first_name, by_initials, by_short_form, by_sound)


def sound(name: str) -> str:
    """One spelling for the transliterations of a surname: the letters that vary between
    them folded together.

    >>> sound("qanuni") == sound("kanooni") == sound("qanooni"), sound("karzai") == sound("karzay")
    (True, True)
    >>> sound("smith") == sound("smyth"), sound("blair") == sound("blake")
    (True, False)
    """
    name = re.sub(r"ou|oo", "u", name)
    name = re.sub(r"ee|ie", "i", name).replace("y", "i").replace("q", "k").replace("ph", "f")
    return re.sub(r"(.)\1+", r"\1", name)


def without_state(span: Span) -> Span:
    """A name without the state or adjective it starts with ("U.S. Treasury", "Chile's
    Foreign Ministry")."""
    start = span.start + 2 if len(span) > 2 and span[1].text in POSSESSIVE_ENDINGS else span.start + 1
    return span.doc[start:span.end]


def initials(name: str) -> str:
    """The acronym a name may be shortened to.

    >>> initials("Ministry of International Trade and Industry"), initials("Transport Workers' Union")
    ('MITI', 'TWU')
    """
    return "".join(w[0].upper() for w in re.findall(r"[A-Za-z][\w'-]*", name)
                   if w.lower() not in ("of", "and", "the", "for", "on", "in"))


def is_acronym(text: str) -> bool:
    """A name in capitals that may stand for a longer one.

    >>> is_acronym("TWU"), is_acronym("U.S."), is_acronym("Wang"), is_acronym("A")
    (True, True, False, False)
    """
    letters = text.replace(".", "")
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()


def link_bare_surnames(doc: Doc, mentions: Mentions, names: StoryNames) -> None:
    """A surname or first name the model did not tag still names the person introduced by full name.
    Only proper nouns are visited, found on the parse's array (building every Token is the cost)."""
    proper = numpy.flatnonzero(doc.to_array(POS) == doc.vocab.strings["PROPN"]).tolist() if len(doc) else []
    for i in proper:
        token = doc[i]
        if token.i in mentions.token_key or token.ent_type_ in ("GPE", "LOC", "NORP"):
            continue
        key = names.person(token.text)
        if key:
            mentions.add(key, names.people[key], "Person")
            mentions.name([token], key)
    mentions.mention_order.sort()


def link_state_governments(doc: Doc, mentions: Mentions, index: GazetteerIndex, words: Words) -> None:
    """"The Greek government" names a body as much as "the Greek Government" does: a
    demonym before a government noun the model did not tag makes the state's government."""
    for i, state in sorted(mentions.demonym_key.items()):
        noun = doc[i + 1] if i + 1 < len(doc) else None
        entry = index.by_key.get(state)
        if noun is None or noun.i in mentions.token_key or noun.lower_ not in words.government_nouns \
                or noun.pos_ != "NOUN" or entry is None or not entry.demonyms:
            continue
        label = f"{entry.demonyms[0]} {noun.text[:1].upper()}{noun.text[1:]}"
        mentions.add(slug(label), label, "GovernmentOrganization")
        mentions.name([noun], slug(label))
    mentions.mention_order.sort()


def link_state_capitals(doc: Doc, mentions: Mentions, index: GazetteerIndex, words: Words) -> None:
    """"The Egyptian capital" names Cairo as much as "Cairo" does: a demonym before a
    capital noun names the state's capital the gazetteer knows, or the state when it knows none."""
    for i, state in sorted(mentions.demonym_key.items()):
        noun = doc[i + 1] if i + 1 < len(doc) else None
        entry = index.by_key.get(state)
        if noun is None or noun.i in mentions.token_key or noun.lower_ not in words.capital_nouns \
                or noun.pos_ != "NOUN" or entry is None:
            continue
        capitals = [index.by_key[c] for c in entry.capitals if c in index.by_key]
        mentions.name([noun], mentions.add_known(capitals[0] if len(capitals) == 1 else entry))
    mentions.mention_order.sort()


def link_span(span: Span, mentions: Mentions, index: GazetteerIndex, words: Words, names: StoryNames) -> str | None:
    """The entity one trimmed span names, added to the document's entities; None for a
    demonym (recorded as such) or a span that names nothing."""
    text = span.text.strip()
    if not text[:1].isupper() and not text[:1].isdigit():
        return None  # "ex-Soviet", "pro-Russia": not a name
    known = index.by_key.get(span.kb_id_) if span.kb_id_ else None
    known = known or index.lookup(text)
    if known is None and span.label_ == "ORG" and names_a_portfolio(span, words):
        return None
    if known is None and span.label_ == "ORG" and len(span) > 1 and fold(span[0].text) in index.by_demonym \
            and names_a_portfolio(span[1:], words):
        mentions.demonym_key[span.start] = index.by_demonym[fold(span[0].text)]
        return None  # "Greek Foreign Affairs Undersecretary": a state and a minister's field
    if known is None and span.label_ == "PERSON":
        places = [index.lookup(t.text) for t in span]
        places = [p for p in places if p is not None and p.kind in ("Country", "City", "Region")]
        if places:
            return mentions.add_known(places[0])  # "Lugansk People's republics" is no person
    if (known is None or known.kind == "Person") and (len(span) == 1 or span.label_ == "PERSON") \
            and person_key(text) not in names.people:
        person = names.person(text)
        if person:
            return mentions.add(person, names.people[person], "Person")
    if span.label_ == "NORP":
        demonym = index.by_demonym.get(fold(text))
        if demonym:
            for token in span:
                mentions.demonym_key[token.i] = demonym
            return None
        if known is None:
            return None
    if known is not None and not (span.label_ == "PERSON" and known.kind != "Person" and len(span) > 1):
        return mentions.add_known(known)
    if span.label_ == "PERSON" and not (known is None and in_place_context(span, words)):
        key = person_key(text)
        return mentions.add(key, names.people.get(key, text), "Person")
    if span.label_ == "ORG" and (span[0].lower_ in words.role_qualifiers or span[0].lower_ in words.honorifics):
        inner = [index.lookup(t.text) for t in span]
        inner = [e for e in inner if e is not None]
        if inner:
            return mentions.add_known(inner[0])  # "Deputy U.S. Trade" is a title around a state
    entity = names.body(text) or unknown_entity(span, index, words)
    return mentions.add(entity.key, entity.label, entity.kind)


def unknown_entity(span: Span, index: GazetteerIndex, words: Words) -> Entity:
    """An entity the gazetteer does not know, keyed by its name, its class from the words
    of its name and the words around it ("the village of Beitunya", "Woomera Detention
    Centre" are places), a government body is keyed with its state's adjective."""
    text = span.text.strip()
    kind = KIND_OF_LABEL[span.label_]
    if span.label_ == "ORG":
        kind = org_kind(text, words)
    if span.label_ != "GPE" and (span[-1].lower_ in words.facility_words or in_place_context(span, words)):
        kind = "Location"
    if kind == "GovernmentOrganization":
        text = government_body_name(span, index, words)
    return Entity(slug(text), text, kind)


def government_body_name(span: Span, index: GazetteerIndex, words: Words) -> str:
    """A government body's name with its state's adjective in front where the text gives the
    state outside a name that would fit any state ("the Israeli Foreign Ministry",
    "Pakistan's Foreign Ministry") or gives the state's name for its adjective ("Israel
    Government"); a full name ("Ministry of Foreign Affairs", "U.S. Treasury") stays."""
    doc = span.doc
    state = index.lookup(span[0].text)
    if state and state.kind == "Country" and state.demonyms and len(span) > 2 and span[1].text in POSSESSIVE_ENDINGS:
        return f"{state.demonyms[0]} {span[2:].text}"  # "Chile's Foreign Ministry" in one span
    if len(span) == 2 and span[1].lower_ in words.government_nouns:
        return f"{state.demonyms[0]} {span[1].text}" if state and state.kind == "Country" and state.demonyms else span.text
    if state or any(t.lower_ == "of" for t in span):
        return span.text
    before = doc[span.start - 1] if span.start else None
    if before is not None and before.text in POSSESSIVE_ENDINGS and span.start >= 2:
        state = index.lookup(doc[span.start - 2].text)
    elif before is not None:
        key = index.by_demonym.get(fold(before.text))
        state = index.by_key.get(key) if key else None
    if state and state.kind == "Country" and state.demonyms:
        return f"{state.demonyms[0]} {span.text}"
    return span.text


def in_place_context(span: Span, words: Words) -> bool:
    """Whether the words around a name make it a place: "the village of X", "X province",
    "the X region"."""
    doc = span.doc
    first = span.root.head.left_edge.i if span.root.dep_ == "conj" else span.start
    before = doc[first - 2: first] if first >= 2 else doc[0:0]
    after = doc[span.end] if span.end < len(doc) else None
    return (len(before) == 2 and before[1].lower_ == "of" and before[0].lower_ in words.place_nouns) \
        or (after is not None and after.lower_ in words.place_nouns and after.pos_ == "NOUN")


def retyped(span: Span, index: GazetteerIndex, words: Words) -> Span:
    """A name the model tagged as an organization or place, read as a person's where a title
    or honorific stands before it ("envoy Terje Roed-Larsen", "Dr Jones")."""
    doc = span.doc
    if span.label_ not in ("ORG", "GPE") or index.lookup(span.text) or org_kind(span.text, words) != "Organization":
        return span
    start = span.start + 1 if span[0].lower_ in words.honorifics else span.start
    name = doc[start:span.end]
    if start == span.start and (start == 0 or doc[start - 1].lower_ not in words.honorifics or len(name) < 2):
        return span
    if not name or not all((t.pos_ == "PROPN" and t.text[:1].isupper() and t.lower_ not in words.honorifics)
                           or t.text == "-" for t in name):
        return span
    return Span(doc, start, span.end, label="PERSON")


def names_a_portfolio(span: Span, words: Words) -> bool:
    """Whether a span is a minister's field inside a title ("Labor Minister", "Minister of
    International Trade and Industry"), which names no body."""
    doc = span.doc
    if not all(t.lower_ in words.portfolio_words or t.lower_ == "and" for t in span):
        return False
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    before = [t.lower_ for t in doc[max(span.start - 2, 0): span.start]]
    return after in words.portfolio_titles or (len(before) == 2 and before[0] in words.portfolio_titles
                                                and before[1] in ("of", "for"))


def metonym(key: str, mentions: Mentions, index: GazetteerIndex) -> str:
    """A capital acting stands for its state; a seat for the body the story mentions.

    A city that is both (Brussels) stands for its state when the story names the state,
    else for a body seated there that the story names, else for its state.
    """
    states = index.capital_of.get(key, ())
    for state in states:
        if state in mentions.entities:
            return state
    for body in index.seat_of.get(key, ()):
        if body in mentions.entities:
            return body
    if states:
        state = index.capital_state(key)
        mentions.add_known(index.by_key[state])
        return state
    return key


def org_kind(text: str, words: Words) -> str:
    """A class for an organization the gazetteer does not know, from the words of its name;
    a government word wins over a council word, and so on down.

    >>> from kg.lexicon.words import words
    >>> org_kind("Ministry of International Trade and Industry", words()), org_kind("Transport Workers Union", words())
    ('GovernmentOrganization', 'Group')
    >>> org_kind("Contact Group of the Commonwealth", words()), org_kind("Acme", words())
    ('Council', 'Organization')
    """
    low = text.lower()
    for kind, cues in (("GovernmentOrganization", words.government_name_words), ("Council", words.council_name_words),
                       ("Agency", words.agency_name_words), ("Group", words.group_name_words)):
        if any_word(cues).search(low):
            return kind
    return "Organization"


@functools.lru_cache(maxsize=16)
def any_word(cues: frozenset[str]) -> re.Pattern:
    """A pattern for any of these words (or phrases) standing as whole words.

    >>> bool(any_word(frozenset({"bank", "group of"})).search("the group of seven")), bool(any_word(frozenset({"bank"})).search("banking"))
    (True, False)
    """
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(cues)) + r")\b")

"""One IRI per real thing: gazetteer names, surnames, titles, pronouns and metonymy.

Linking works per document. Full names introduce people; a later surname, a title ("the
Russian foreign minister", "his German counterpart") or a pronoun heading a speech verb
resolves to someone already introduced. A capital or seat acting as agent stands for its
state or body, while the same name used as a place stays the city.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from kg.lexicon.gazetteer import GazetteerEntry, gazetteer, roles
from kg.lexicon.words import words
from kg.records import Document, Entity, Position

ENTITY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}
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

    >>> [given_name_variant(w) for w in ("sergei", "sergey", "aleksandr", "dmitri", "luis")]
    ['sergey', 'sergey', 'alexander', 'dmitry', 'luis']
    """
    word = re.sub(r"xandr$", "xander", word.replace("ks", "x"))
    if len(word) > 3:
        word = re.sub(r"(?:ei|ii)$", lambda m: m.group(0)[0] + "y", word)
        word = re.sub(r"(?<=r)i$", "y", word)
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


@functools.lru_cache(maxsize=4)
def role_matcher(vocab) -> tuple[PhraseMatcher, dict[str, str]]:
    """A matcher for office titles and the canonical label of each match id."""
    matcher = PhraseMatcher(vocab, attr="LOWER")
    labels = {"counterpart": "Counterpart"}
    matcher.add("counterpart", [_lower_doc(vocab, "counterpart")])
    for role in roles():
        names = {role.label, *role.aliases}
        matcher.add(role.key, [_lower_doc(vocab, n) for n in names])
        labels[role.key] = role.label
    return matcher, labels


def _lower_doc(vocab, text: str) -> Doc:
    words = re.findall(r"[\w.'\u2019]+|[^\w\s]", text.lower())
    return Doc(vocab, words=words)


@dataclass
class Linker:
    """The entities of one document and how its noun phrases resolve to them."""

    doc: Doc
    document: Document
    index: GazetteerIndex = field(default_factory=gazetteer_index)

    def __post_init__(self) -> None:
        self.words = words()
        self.entities: dict[str, Entity] = {}
        self.token_key: dict[int, str] = {}
        self.demonym_key: dict[int, str] = {}
        self.mention_order: list[tuple[int, str]] = []
        self.positions: list[Position] = []
        self.role_spans: dict[int, tuple[str, Span]] = {}
        self._link_mentions()
        self._find_positions()
        self.home = self._home_country()

    # ---------------------------------------------------------------- mentions

    def _add(self, key: str, label: str, kind: str, wikidata: str | None = None) -> str:
        if key not in self.entities:
            self.entities[key] = Entity(key, label, kind, wikidata)
        return key

    def add_known(self, entry: GazetteerEntry) -> str:
        return self._add(entry.key, entry.label, entry.kind, entry.wikidata)

    def _link_mentions(self) -> None:
        spans = [self._trim(ent) for ent in self.doc.ents if ent.label_ in ENTITY_LABELS]
        spans = [s for s in spans if s is not None and len(s.text.strip()) > 1]
        people = {}
        for span in spans:
            if span.label_ == "PERSON" and len(span) >= 2 and not self.index.lookup(span.text):
                key = person_key(span.text)
                people.setdefault(key, person_label(span.text))
        by_surname: dict[str, set[str]] = {}
        for key, name in people.items():
            by_surname.setdefault(fold(name.split()[-1]), set()).add(key)
        for span in spans:
            key = self._link_span(span, people, by_surname)
            if key is None:
                continue
            for token in span:
                self.token_key[token.i] = key
            self.mention_order.append((span.start, key))
        self._link_bare_surnames(by_surname, people)
        if self.document.dateline_place:
            entry = self.index.lookup(self.document.dateline_place)
            if entry:
                self.add_known(entry)
        if self.document.publisher:
            entry = self.index.lookup(self.document.publisher)
            if entry:
                self.add_known(entry)

    def _link_bare_surnames(self, by_surname: dict[str, set[str]], people: dict[str, str]) -> None:
        """A surname the model did not tag still names the person introduced by full name."""
        for token in self.doc:
            if token.i in self.token_key or token.pos_ != "PROPN" or token.ent_type_ in ("GPE", "LOC", "NORP"):
                continue
            matches = by_surname.get(fold(token.text), set())
            if len(matches) == 1:
                key = next(iter(matches))
                self._add(key, people[key], "Person")
                self.token_key[token.i] = key
                self.mention_order.append((token.i, key))
        self.mention_order.sort()

    def _trim(self, span: Span) -> Span | None:
        """Drop leading determiners, honorifics and titles, and a trailing possessive."""
        start, end = span.start, span.end
        while start < end and (self.doc[start].lower_ in self.words.articles or
                               (span.label_ == "PERSON" and self.doc[start].lower_ in self.words.honorifics)):
            start += 1
        while end > start and self.doc[end - 1].text in ("'s", "\u2019s", "'", "\u2019", ",", "."):
            end -= 1
        if start >= end:
            return None
        return Span(self.doc, start, end, label=span.label_, kb_id=span.kb_id_)

    def _link_span(self, span: Span, people: dict[str, str], by_surname: dict[str, set[str]]) -> str | None:
        text = span.text.strip()
        if not text[:1].isupper() and not text[:1].isdigit():
            return None  # "ex-Soviet", "pro-Russia": not a name
        known = self.index.by_key.get(span.kb_id_) if span.kb_id_ else None
        known = known or self.index.lookup(text)
        if known is None and span.label_ == "PERSON":
            places = [self.index.lookup(t.text) for t in span]
            places = [p for p in places if p is not None and p.kind in ("Country", "City", "Region")]
            if places:
                return self.add_known(places[0])  # "Lugansk People's republics" is no person
        if len(span) == 1 and (known is None or known.kind == "Person"):
            matches = by_surname.get(fold(text), set())
            if len(matches) == 1:
                key = next(iter(matches))
                return self._add(key, people[key], "Person")
        if span.label_ == "NORP":
            demonym = self.index.by_demonym.get(fold(text))
            if demonym:
                for token in span:
                    self.demonym_key[token.i] = demonym
                return None
            if known is None:
                return None
        if known is not None and not (span.label_ == "PERSON" and known.kind != "Person" and len(span) > 1):
            return self.add_known(known)
        if span.label_ == "PERSON":
            if len(span) == 1:
                matches = by_surname.get(fold(text), set())
                if len(matches) == 1:
                    key = next(iter(matches))
                    return self._add(key, people[key], "Person")
            key = person_key(text)
            return self._add(key, people.get(key, text), "Person")
        if span.label_ == "ORG" and (span[0].lower_ in self.words.role_qualifiers or span[0].lower_ in self.words.honorifics):
            inner = [self.index.lookup(t.text) for t in span]
            inner = [e for e in inner if e is not None]
            if inner:
                return self.add_known(inner[0])  # "Deputy U.S. Trade" is a title around a state
        kind = KIND_OF_LABEL[span.label_]
        if span.label_ == "ORG":
            kind = org_kind(text)
        return self._add(slug(text), text, kind)

    # ---------------------------------------------------------------- offices

    def _find_positions(self) -> None:
        matcher, _ = role_matcher(self.doc.vocab)
        matches = sorted(matcher(self.doc), key=lambda m: (m[1], -(m[2] - m[1])))
        taken = -1
        for match_id, start, end in matches:
            if start < taken:
                continue
            taken = end
            span = self.doc[start:end]
            key = self.doc.vocab.strings[match_id]
            for token in span:
                self.role_spans[token.i] = (key, span)
            person = self._role_holder(span) or self._unnamed_holder(span)
            if person is None:
                continue
            of = self._role_of(span)
            role = self.role_text(span)
            if key == "counterpart":
                key, role, of = self._counterpart_role(span, of)
                if key is None:
                    continue
            sent = span.sent
            self.positions.append(Position(person, role, of, sent.text.strip(), sent.start_char, sent.end_char, key))

    def role_text(self, span: Span) -> str:
        """The title as the text gives it, with the words that qualify it ("Deputy U.S. Trade
        Representative" gives Deputy Trade Representative, "acting Finance Minister" Acting
        Finance Minister)."""
        words = [t.text for t in span]
        j = span.start - 1
        while j >= 0 and span.start - j <= 4:
            token = self.doc[j]
            if token.lower_ in self.words.role_qualifiers:
                words.insert(0, token.text)
            elif not (token.i in self.token_key or token.i in self.demonym_key or token.text in ("'s", "\u2019s")
                      or self.index.lookup(token.text)):
                break
            j -= 1
        return " ".join(w if w.isupper() or w.lower() in self.words.title_function_words else w[:1].upper() + w[1:]
                        for w in " ".join(words).split())

    def _role_holder(self, span: Span) -> str | None:
        """The person a title names: right after it ("Foreign Minister Sergey Lavrov", "the
        Defence Minister, Robert Hill", "the head of the Law Institute, John Corcoran"), or
        before it ("Makoto Kuroda, vice minister of ...", "Hamid Karzai as Prime Minister")."""
        doc = self.doc
        i = span.end
        if i < len(doc) and doc[i].text in ("'s", "\u2019s"):
            return None  # "the Prime Minister's office" names no one
        if i < len(doc) and doc[i].lower_ == "of":
            k = i
            while k < len(doc) and k - i < 10 and doc[k].text != "," and not doc[k].is_sent_end:
                k += 1
            if k < len(doc) and doc[k].text == ",":
                i = k
        while i < len(doc) and doc[i].text in (",", "\u2014", "-") and i - span.end < 12:
            i += 1
        while i < len(doc) and (doc[i].lower_ in self.words.honorifics or doc[i].lower_ == "the") and i - span.end < 14:
            i += 1
        if i < len(doc) and i in self.token_key and self.entities[self.token_key[i]].kind == "Person":
            return self.token_key[i]
        j = span.start - 1
        while j >= 0 and (doc[j].lower_ in self.words.articles or doc[j].lower_ in self.words.role_qualifiers
                          or doc[j].i in self.demonym_key
                          or (doc[j].i in self.token_key and self.entities[self.token_key[j]].kind != "Person")
                          or doc[j].text in ("'s", "\u2019s")) and span.start - j < 6:
            j -= 1
        if j >= 1 and doc[j].lower_ in (",", "as"):
            key = self.token_key.get(doc[j - 1].i)
            if key and self.entities[key].kind == "Person":
                return key
        return None

    def _unnamed_holder(self, span: Span) -> str | None:
        """A name the model missed right after a title ("NATO Spokesperson Oana Lungescu's")."""
        words = []
        for token in self.doc[span.end: span.end + 4]:
            if token.pos_ != "PROPN" or not token.text[:1].isupper() or token.i in self.role_spans:
                break
            if token.i in self.token_key and self.entities[self.token_key[token.i]].kind != "Person":
                break
            words.append(token)
        if len(words) < 2:
            return None
        name = " ".join(t.text for t in words)
        key = self._add(person_key(name), person_label(name), "Person")
        for token in words:
            self.token_key[token.i] = key
        self.mention_order.append((words[0].i, key))
        self.mention_order.sort()
        return key

    def _role_of(self, span: Span) -> str | None:
        """The state or body a title belongs to: a demonym or name before it, or 'of X' after."""
        doc = self.doc
        j = span.start - 1
        while j >= 0 and span.start - j <= 5:
            token = doc[j]
            if token.i in self.demonym_key:
                return self.demonym_key[token.i]
            key = self.token_key.get(token.i)
            if key and self.entities[key].kind not in ("Person", "City", "Region", "Location"):
                return key
            if not key and token.lower_ not in self.words.role_qualifiers and token.lower_ not in self.words.title_modifiers \
                    and token.lower_ not in ("'s", "\u2019s", "-"):
                break
            j -= 1
        if span.end + 1 < len(doc) and doc[span.end].lower_ == "of":
            for token in doc[span.end + 1: span.end + 8]:
                if token.i in self.token_key and self.entities[self.token_key[token.i]].kind != "Person":
                    key = self.token_key[token.i]
                    owner = self._owning_state(token)
                    return owner or key
                if token.i in self.demonym_key:
                    return self.demonym_key[token.i]
        return None

    def _owning_state(self, token: Token) -> str | None:
        """For "of Japan's Ministry of ...", the state that owns the named body."""
        if token.i + 1 < len(self.doc) and self.doc[token.i + 1].text in ("'s", "\u2019s"):
            key = self.token_key[token.i]
            if self.entities[key].kind in ("Country", "Location"):
                return key
        return None

    def _counterpart_role(self, span: Span, of: str | None) -> tuple[str | None, str, str | None]:
        """"His German counterpart": the office of the person 'his' refers to, of Germany."""
        for token in span.sent:
            if token.i >= span.start:
                break
            key = self.token_key.get(token.i)
            if key and self.entities[key].kind == "Person":
                for position in reversed(self.positions):
                    if position.person == key and position.role_key != "counterpart":
                        return position.role_key, position.role, of
        return None, "", of

    def _home_country(self) -> str | None:
        """The state the story is mostly about, for titles that name none ("the President")."""
        counts = Counter(key for _, key in self.mention_order if self.entities[key].kind == "Country")

        if not counts:
            return None
        return counts.most_common(1)[0][0]

    def dominant_state(self) -> str | None:
        """The state a story names at least twice and half again as often as any other."""
        counts = Counter(key for _, key in self.mention_order if self.entities[key].kind == "Country")
        ranked = counts.most_common(2)
        if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[0][1] < 1.5 * ranked[1][1]):
            return None
        return ranked[0][0]

    def finish_positions(self) -> list[Position]:
        """Positions with a state filled in for state offices whose text names none, when the
        story is plainly about one state."""
        out = []
        dominant = self.dominant_state()
        for position in self.positions:
            of = position.of
            if of is None and dominant and any(w in position.role.lower() for w in self.words.state_role_words):
                of = dominant
            out.append(replace(position, of=of))
        return out

    # ---------------------------------------------------------------- resolution

    def entity_at(self, token: Token) -> str | None:
        """The entity a token is part of, if any."""
        return self.token_key.get(token.i)

    def actor(self, token: Token, context: dict | None = None) -> str | None:
        """The entity a noun phrase headed by `token` refers to, when it acts.

        Capitals and seats stand for their state or body here; titles, pronouns and
        definite descriptions resolve to what the document has introduced.
        """
        context = context or {}
        key = self.token_key.get(token.i)
        if key is None:
            for child in token.children:
                if child.dep_ == "appos" and child.i in self.token_key:
                    key = self.token_key[child.i]
                    break
        w = self.words
        if key is None and token.lower_ in w.group_nouns:
            key = self.group_owner(token)
        if key is not None:
            return self.metonym(key)
        low = token.lower_
        if low in w.person_pronouns:
            return context.get("person")
        if low in w.body_pronouns or (low in w.plural_pronouns and token.dep_ in ("nsubj", "nsubjpass")):
            return context.get("body")
        if token.i in self.role_spans:
            return self.title_holder(token)
        if low in w.group_nouns or token.lemma_.lower() in w.group_nouns:
            for child in token.children:
                if child.i in self.demonym_key:
                    return self.demonym_key[child.i]
                if child.dep_ == "conj":
                    break
            if low in w.government_nouns and any(c.lower_ == "the" for c in token.children):
                return self.home
        if low in w.body_nouns and any(c.lower_ == "the" for c in token.children):
            return self.last_of_kinds(w.body_nouns[low], token.i)
        if low in w.member_nouns or (low in w.state_nouns and
                                     any(c.lower_ in w.member_modifiers for c in token.children)):
            return self.last_of_kinds(w.member_bodies, token.i)
        if token.i in self.demonym_key and token.pos_ in ("PROPN", "NOUN"):
            return self.demonym_key[token.i]
        return None

    def group_owner(self, token: Token) -> str | None:
        """The body a group noun belongs to: 'CMAG ministers', 'members of the committee'."""
        for child in token.children:
            if child.dep_ in ("compound", "poss", "nmod") and child.i in self.token_key:
                return self.token_key[child.i]
            if child.dep_ == "prep" and child.lower_ in ("of", "from"):
                for obj in child.children:
                    if obj.dep_ == "pobj" and obj.i in self.token_key:
                        key = self.token_key[obj.i]
                        if self.entities[key].kind != "Person":
                            return key
        return None

    def metonym(self, key: str) -> str:
        """A capital acting stands for its state; a seat for the body the story mentions.

        A city that is both (Brussels) stands for its state when the story names the state,
        else for a body seated there that the story names, else for its state.
        """
        states = self.index.capital_of.get(key, ())
        for state in states:
            if state in self.entities:
                return state
        for body in self.index.seat_of.get(key, ()):
            if body in self.entities:
                return body
        if states:
            state = self.index.capital_state(key)
            self.add_known(self.index.by_key[state])
            return state
        return key

    def title_holder(self, token: Token) -> str | None:
        """The person a title without a name refers to ("the Russian foreign minister")."""
        key, span = self.role_spans[token.i]
        of = self._role_of(span)
        word = span[-1].lower_
        tests = (lambda p: p.role_key == key and (of is None or p.of == of),
                 lambda p: key == "counterpart" and of is not None and p.of == of,
                 lambda p: word in p.role.lower() and (of is None or p.of == of))
        for wanted in tests:
            found = [p for p in self.positions if wanted(p)]
            if found:
                before = [p for p in found if p.start <= span.start_char]
                return (before or found)[-1].person
        return None

    def last_of_kinds(self, kinds: frozenset[str], before: int) -> str | None:
        """The most recent entity of one of `kinds` mentioned before token `before`."""
        for start, key in reversed(self.mention_order):
            if start < before and self.entities[key].kind in kinds:
                return key
        return None


def org_kind(text: str) -> str:
    """A class for an organization the gazetteer does not know, from its name.

    >>> org_kind("Ministry of International Trade and Industry"), org_kind("Transport Workers Union")
    ('GovernmentOrganization', 'Group')
    """
    low = text.lower()
    if re.search(r"\b(ministry|department|government|administration|office|treasury|embassy|cabinet|parliament|congress|senate|house)\b", low):
        return "GovernmentOrganization"
    if re.search(r"\b(council|committee|commission|subcommittee|group of)\b", low):
        return "Council"
    if re.search(r"\b(agency|programme|program|fund|bank)\b", low):
        return "Agency"
    if re.search(r"\b(party|union|movement|front|brigades?|army|company|corporation|inc|ltd|group)\b", low):
        return "Group"
    return "Organization"

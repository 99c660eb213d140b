"""Offices: the titles a text gives people ("Foreign Minister Sergey Lavrov", "Makoto
Kuroda, vice minister of ..."), the state or body each belongs to, and the person a bare
title later refers to ("the Russian foreign minister", "his German counterpart").
"""
from __future__ import annotations

import functools
import re
from dataclasses import replace

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from kg.extract.linking import GazetteerIndex, org_kind, person_key, person_label
from kg.extract.mentions import POSSESSIVE_ENDINGS, Mentions
from kg.lexicon.gazetteer import roles
from kg.lexicon.words import Words
from kg.records import Position


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


class Offices:
    """The offices one document gives its people, and the title spans it uses."""

    def __init__(self, doc: Doc, mentions: Mentions, index: GazetteerIndex, words: Words):
        self.doc = doc
        self.mentions = mentions
        self.index = index
        self.words = words
        self.positions: list[Position] = []
        self.role_spans: dict[int, tuple[str, Span]] = {}
        self._find_positions()

    def _find_positions(self) -> None:
        matcher, _ = role_matcher(self.doc.vocab)
        matches = sorted(matcher(self.doc), key=lambda m: (m[1], -(m[2] - m[1])))
        taken = -1
        titles = []
        for match_id, start, end in matches:
            if start < taken:
                continue
            taken = end
            span = self.doc[start:end]
            key = self.doc.vocab.strings[match_id]
            for token in span:
                self.role_spans[token.i] = (key, span)
            titles.append((key, span))
        for key, span in titles:
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
        self.positions = [self._with_owner_named_elsewhere(p) for p in self.positions]

    def _with_owner_named_elsewhere(self, position: Position) -> Position:
        """A title whose text names no state takes the one the story gives the same person's
        same office elsewhere ("Prime Minister Vajpayee" after "Indian Prime Minister ...")."""
        if position.of is not None:
            return position
        owners = {p.of for p in self.positions if p.person == position.person and p.role_key == position.role_key and p.of}
        return replace(position, of=owners.pop()) if len(owners) == 1 else position

    def role_text(self, span: Span) -> str:
        """The title as the text gives it, with the words that qualify it and without the
        state it names ("Deputy U.S. Trade Representative" gives Deputy Trade Representative,
        "acting Finance Minister" Acting Finance Minister, "Industry Minister" Industry
        Minister, "vice minister of international trade and industry" all of it)."""
        kept = [t for t in span if not self._names_state(t)] or list(span)
        j = span.start - 1
        while j >= 0 and span.start - j <= 4:
            token = self.doc[j]
            if (token.lower_ in self.words.role_qualifiers and token.i not in self.mentions.token_key) \
                    or self._portfolio_word(token, span):
                kept.insert(0, token)
            elif not (self._names_owner(token) or token.text in POSSESSIVE_ENDINGS):
                break
            j -= 1
        kept += self._portfolio_complement(span)
        text = "".join(t.text + (" " if t.whitespace_ or k + 1 == len(kept) or kept[k + 1].i != t.i + 1 else "")
                       for k, t in enumerate(kept)).strip()
        return " ".join(w if w.isupper() or w.lower() in self.words.title_function_words else w[:1].upper() + w[1:]
                        for w in text.split())

    def _names_state(self, token: Token) -> bool:
        """Whether a token names a known state or body, as a name or a demonym ("U.S.")."""
        return token.i in self.mentions.demonym_key or self.mentions.token_key.get(token.i) in self.index.by_key

    def _names_owner(self, token: Token) -> bool:
        """Whether a token names a state or body, as a name or a demonym."""
        return token.i in self.mentions.token_key or token.i in self.mentions.demonym_key or bool(self.index.lookup(token.text))

    def _portfolio_word(self, token: Token, title: Span) -> bool:
        """A word naming a minister's field ("Industry", "Tourism") before a minister's title,
        part of the title even where the model tagged it as an organization ("Labor")."""
        return token.lower_ in self.words.portfolio_words and title[-1].lower_ in self.words.portfolio_titles

    def _portfolio_complement(self, title: Span) -> list[Token]:
        """The field after a minister's title ("minister of international trade and
        industry"): only field words, else nothing."""
        doc = self.doc
        if title[-1].lower_ not in self.words.portfolio_titles or title.end + 1 >= len(doc) \
                or doc[title.end].lower_ not in ("of", "for"):
            return []
        field = []
        for token in doc[title.end + 1: title.end + 8]:
            if token.lower_ in self.words.portfolio_words or (field and token.lower_ == "and"):
                field.append(token)
            else:
                break
        while field and field[-1].lower_ == "and":
            field.pop()
        return [doc[title.end], *field] if field else []

    def _role_holder(self, span: Span) -> str | None:
        """The person a title names: right after it ("Foreign Minister Sergey Lavrov", "the
        Defence Minister, Robert Hill", "the head of the Law Institute, John Corcoran"), or
        before it ("Makoto Kuroda, vice minister of ...", "Hamid Karzai as Prime Minister")."""
        doc = self.doc
        i = span.end
        if i < len(doc) and doc[i].text in POSSESSIVE_ENDINGS:
            return None  # "the Prime Minister's office" names no one
        if i < len(doc) and doc[i].lower_ in self.words.title_prepositions:
            i = self._after_title_complement(i)
        while i < len(doc) and doc[i].text in (",", "\u2014", "-") and i - span.end < 12:
            i += 1
        while i < len(doc) and (doc[i].lower_ in self.words.honorifics or doc[i].lower_ == "the") and i - span.end < 14:
            i += 1
        if i < len(doc) and self._person_name_at(doc[i]):
            return self.mentions.token_key[i]
        j = span.start - 1
        while j >= 0 and (doc[j].lower_ in self.words.articles or doc[j].lower_ in self.words.role_qualifiers
                          or doc[j].i in self.mentions.demonym_key
                          or (doc[j].i in self.mentions.token_key and self.mentions.entities[self.mentions.token_key[j]].kind != "Person")
                          or doc[j].text in POSSESSIVE_ENDINGS) and span.start - j < 6:
            j -= 1
        if j >= 1 and doc[j].lower_ in (",", "as") and self._person_name_at(doc[j - 1]):
            return self.mentions.token_key[j - 1]
        return self._predicated_holder(span)

    def _person_name_at(self, token: Token) -> bool:
        """Whether a token names a person where a title's holder stands; a name the model
        took for a place or a body there ("Makoto Kuroda, Japan's deputy minister") is a
        person's when the gazetteer does not know it and it has no organization word."""
        key = self.mentions.token_key.get(token.i)
        if key is None or key in self.index.by_key:
            return self._names_person(token)
        entity = self.mentions.entities[key]
        if entity.kind == "Person":
            return True
        name = [t for t in self.doc[max(token.i - 4, 0): token.i + 5] if self.mentions.token_key.get(t.i) == key]
        if len(name) < 2 or org_kind(entity.label, self.words) != "Organization" \
                or not all((t.pos_ == "PROPN" and t.text[:1].isupper()) or t.text == "-" for t in name):
            return False
        self.mentions.entities[key] = replace(entity, kind="Person")
        return True

    def _predicated_holder(self, span: Span) -> str | None:
        """The subject a title is said of: "X was elected Prime Minister", "X became Foreign
        Minister", "X is the Defence Minister"."""
        head = span.root
        if head.dep_ not in ("oprd", "attr"):
            return None
        for child in head.head.children:
            if child.dep_ in ("nsubj", "nsubjpass") and self._names_person(child):
                return self.mentions.token_key[child.i]
        return None

    def _after_title_complement(self, i: int) -> int:
        """Where the name may follow a title's complement: at the comma that ends it ("the
        envoy to Afghanistan, Ahmed Fawzi"), or right after a complement that is only a name
        ("the envoy for Afghanistan Lakhdar Brahimi"); else where the complement starts."""
        doc = self.doc
        k, only_names = i + 1, True
        while k < len(doc) and k - i < 10 and doc[k].text != "," and not doc[k].is_sent_end and not self._names_person(doc[k]):
            if k in self.role_spans:
                return i  # "a spokesman for the Interior Minister, X": X holds the inner title
            only_names = only_names and (k in self.mentions.token_key or doc[k].lower_ in self.words.articles)
            k += 1
        if k < len(doc) and (doc[k].text == "," or (only_names and k > i + 1 and self._names_person(doc[k]))):
            return k
        return i

    def _names_person(self, token: Token) -> bool:
        key = self.mentions.token_key.get(token.i)
        return key is not None and self.mentions.entities[key].kind == "Person"

    def _unnamed_holder(self, span: Span) -> str | None:
        """A name the model missed right after a title ("NATO Spokesperson Oana Lungescu's")."""
        words = []
        for token in self.doc[span.end: span.end + 4]:
            if token.pos_ != "PROPN" or not token.text[:1].isupper() or token.i in self.role_spans:
                break
            if token.i in self.mentions.token_key and self.mentions.entities[self.mentions.token_key[token.i]].kind != "Person":
                break
            words.append(token)
        if len(words) < 2:
            return None
        name = " ".join(t.text for t in words)
        key = self.mentions.add(person_key(name), person_label(name), "Person")
        self.mentions.name(words, key)
        self.mentions.mention_order.sort()
        return key

    def _role_of(self, span: Span) -> str | None:
        """The state or body a title belongs to: one the title names ("U.S. Secretary of
        State"), a body right after 'of' ("the New South Wales secretary of the TWU"), a
        demonym or name before it ("Russian Foreign Minister"), or one later in 'of ...'."""
        return (self._named_in_title(span) or self._named_after_of(span, directly=True)
                or self._named_before(span) or self._named_after_of(span, directly=False))

    def _named_in_title(self, span: Span) -> str | None:
        for token in span:
            if token.i in self.mentions.demonym_key:
                return self.mentions.demonym_key[token.i]
            key = self.mentions.token_key.get(token.i)
            if key in self.index.by_key and self.mentions.entities[key].kind not in ("Person", "City"):
                return key
        return None

    def _named_before(self, span: Span) -> str | None:
        doc = self.doc
        j = span.start - 1
        while j >= 0 and span.start - j <= 5:
            token = doc[j]
            if token.i in self.mentions.demonym_key:
                return self.mentions.demonym_key[token.i]
            key = self.mentions.token_key.get(token.i)
            if key and j >= 2 and doc[j - 1].text == "-" and doc[j - 2].is_lower:
                break  # "anti-Taliban commander": an attribute, not the owner
            if key and self.mentions.entities[key].kind not in ("Person", "City", "Region", "Location") \
                    and not self._portfolio_word(token, span):
                return key
            if token.lower_ == "and":
                return self._conjoined_title_of(token)
            if token.lower_ in self.words.person_possessives:
                return self._possessor_title_of(token)
            if not key and token.lower_ not in self.words.role_qualifiers and token.lower_ not in self.words.title_modifiers \
                    and token.lower_ not in (*POSSESSIVE_ENDINGS, "-") and not self._portfolio_word(token, span):
                break
            j -= 1
        return None

    def _named_after_of(self, span: Span, directly: bool) -> str | None:
        """The body or state in the 'of' complement of a title: only right after 'of' (and
        the field of a minister), or anywhere in the next words."""
        doc = self.doc
        if span.end + 1 >= len(doc) or doc[span.end].lower_ != "of":
            return None
        for token in doc[span.end + 1: span.end + 8]:
            if self._portfolio_word(token, span) or (directly and token.lower_ in self.words.articles):
                continue
            if token.i in self.mentions.token_key and self.mentions.entities[self.mentions.token_key[token.i]].kind != "Person":
                return self._owning_state(token) or self.mentions.token_key[token.i]
            if token.i in self.mentions.demonym_key:
                return self.mentions.demonym_key[token.i]
            if directly:
                return None
        return None

    def _conjoined_title_of(self, conjunction: Token) -> str | None:
        """A title joined to an earlier one shares its state ("German Chancellor Gerhard
        Schroeder and Foreign Minister Joschka Fischer", "the British Chancellor of the
        Exchequer and central bank governor Robin Leigh-Pemberton")."""
        before = conjunction.i - 1
        if before in self.role_spans:
            return self._role_of(self.role_spans[before][1])
        return self._sentence_position_of(self.mentions.token_key.get(before), conjunction)

    def _possessor_title_of(self, possessive: Token) -> str | None:
        """'his' before a title: the state of the office of the person it refers to, the
        last the sentence gives one ("French Finance Minister Edouard Balladur and his
        central banker Jacques de Larosiere")."""
        return self._sentence_position_of(None, possessive)

    def _sentence_position_of(self, person: str | None, token: Token) -> str | None:
        """The state of the last office the sentence gives before a token (to `person`, if given)."""
        for position in reversed(self.positions):
            if position.start == token.sent.start_char and (person is None or position.person == person):
                return position.of
        return None

    def _owning_state(self, token: Token) -> str | None:
        """For "of Japan's Ministry of ...", the state that owns the named body."""
        if token.i + 1 < len(self.doc) and self.doc[token.i + 1].text in POSSESSIVE_ENDINGS:
            key = self.mentions.token_key[token.i]
            if self.mentions.entities[key].kind in ("Country", "Location"):
                return key
        return None

    def _counterpart_role(self, span: Span, of: str | None) -> tuple[str | None, str, str | None]:
        """"His German counterpart": the office of the person 'his' refers to, of Germany."""
        for token in span.sent:
            if token.i >= span.start:
                break
            key = self.mentions.token_key.get(token.i)
            if key and self.mentions.entities[key].kind == "Person":
                for position in reversed(self.positions):
                    if position.person == key and position.role_key != "counterpart":
                        return position.role_key, position.role, of
        return None, "", of

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


    def with_states(self, dominant: str | None) -> list[Position]:
        """Positions with the story's dominant state filled in for state offices whose text
        names none ("the President")."""
        out = []
        for position in self.positions:
            of = position.of
            if of is None and dominant and any(w in position.role.lower() for w in self.words.state_role_words):
                of = dominant
            out.append(replace(position, of=of))
        return out

"""Coreference: what a noun phrase that is not a name refers to.

A pronoun points to the last person who spoke or acted, or the last body; a bare title to
the person the document gave that office; a group noun ("Afghan officials", "CMAG
ministers") to the state or body it belongs to; "the alliance" or "the allies" to the last
such body named; "the government" to the state the story is mostly about. A name that
acts goes through metonymy: a capital stands for its state.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from kg.extract.linking import GazetteerIndex, metonym
from kg.extract.mentions import Mentions, StateMentions
from kg.extract.offices import Offices
from kg.extract.syntax import conjuncts, prep_objects
from kg.extract.triggers import trigger_kind
from kg.lexicon.words import Words


@dataclass
class Context:
    """Who pronouns point to: the last person who spoke or acted, the last body that acted."""

    person: str | None = None
    body: str | None = None
    group: tuple[str, ...] = ()


class Coreference:
    """How one document's noun phrases resolve to the entities it has introduced."""

    def __init__(self, mentions: Mentions, offices: Offices, index: GazetteerIndex, words: Words):
        self.mentions = mentions
        self.offices = offices
        self.index = index
        self.words = words
        self.states: StateMentions = mentions.states()
        self.home = self.states.most_mentioned()

    def event_actors(self, token: Token, context: Context) -> list[str]:
        """The entities a noun phrase names as an event's party. Beyond `actors`: a pronoun in
        a clause under the main one points to the person its sentence named before it ("Smith
        said he would go"); "the two leaders" to the pair the story named together; a demonym
        to its state ("Indian planes"); ministers from a body's member states to the body; a
        title to the person in apposition to it."""
        keys = self.actors(token, context)
        if token.lower_ in self.words.person_pronouns | self.words.body_pronouns and \
                token.dep_ in ("nsubj", "nsubjpass") and token.head.dep_ != "ROOT" and \
                not (token.lower_ in self.words.body_pronouns and token.head.lemma_ == "be"):  # "it should be safe"
            return [k for k in (self.antecedent(token, context),) if k] or keys
        if keys:
            return keys
        if context.group and self.names_pair(token):
            return list(context.group)
        if token.i in self.mentions.demonym_key:
            return [self.mentions.demonym_key[token.i]]
        if token.lower_ in self.words.group_nouns:
            return self.members_body(token)
        return self.appositive_person(token)

    def antecedent(self, pronoun: Token, context: Context) -> str | None:
        """Whom a pronoun in a clause under the main one stands for: the main clause's subject
        when it is of the pronoun's kind ("Pakistan said it would ban", "Smith says he will
        go"), else, for a person, the last one the sentence named before it."""
        person = pronoun.lower_ in self.words.person_pronouns
        root = pronoun.sent.root
        for child in root.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.i < pronoun.i:
                key = self.actor(child, context)
                entity = self.mentions.entities.get(key) if key else None
                if entity is not None and (entity.kind == "Person") == person:
                    return key
        return self.nearest_person(pronoun) if person else None

    def members_body(self, group: Token) -> list[str]:
        """The body whose member states a group comes from: "ministers from the 15 EU member
        states" act for the EU."""
        members = [o for o in prep_objects(group, ("from", "of")) if o.lower_ in self.words.state_nouns]
        return [k for o in members for c in o.subtree if c.i < o.i and c.dep_ in ("compound", "nmod")
                for k in (self.mentions.entity_at(c),) if k][:1]

    def appositive_person(self, noun: Token) -> list[str]:
        """The person an unresolved title names in apposition, wherever the parse hung the
        apposition: "Turkey's ambassador in Athens, Nazmi Akiman, was due to meet"."""
        for token in noun.subtree:
            key = self.mentions.entity_at(token) if token.dep_ == "appos" else None
            if key and self.mentions.entities[key].kind == "Person":
                return [key]
        return []

    def names_pair(self, token: Token) -> bool:
        """Whether a plural noun phrase is 'the two leaders', 'both sides'; not 'two other
        ministers', who are new to the story."""
        children = {c.lower_ for c in token.children if c.dep_ in ("nummod", "det", "predet")}
        definite = "both" in children or bool(children & {"the", "these", "those"}) or \
            any(c.dep_ == "poss" for c in token.children)  # "their two countries"
        return token.lower_ in self.words.group_nouns and definite and bool(children & self.words.pair_nouns)

    def actors(self, token: Token, context: Context) -> list[str]:
        """Entities a noun phrase names, following 'X and Y' and 'Afghan and British officials'."""
        out: list[str] = []
        w = self.words
        for head in [token, *conjuncts(token)]:
            if head.lower_ in w.first_person_pronouns:
                continue
            if self.names_a_pair(head) and head.dep_ in ("nsubj", "nsubjpass"):
                pair = context.group or self.last_people(head, 2)
                if len(pair) >= 2:
                    out += [k for k in pair if k not in out]
                    continue
            if head.lower_ in w.person_possessives and head.dep_ == "poss":
                key = self.nearest_person(head) or context.person
            elif head.lower_ in w.plural_possessives and head.dep_ == "poss" and trigger_kind(head.head) == "Meeting":
                for key in self.people_before(head):
                    if key not in out:
                        out.append(key)
                continue
            elif head.lower_ in w.body_possessives and head.dep_ == "poss":
                key = self.clause_subject_body(head, context)
            else:
                key = self.actor(head, context)
            if key and key not in out:
                out.append(key)
            if head.lower_ in w.group_nouns:
                for child in head.children:
                    for mod in [child, *conjuncts(child)]:
                        state = self.mentions.demonym_key.get(mod.i)
                        if state and state not in out:
                            out.append(state)
        return out

    def names_a_pair(self, token: Token) -> bool:
        """Whether a noun phrase stands for two people named before: "the two", "the pair",
        "the two leaders", "both ministers"; not "two other crew members"."""
        pair_nouns = self.words.pair_nouns
        children = {c.lower_ for c in token.children if c.dep_ in ("nummod", "det", "predet")}
        definite = "both" in children or bool(children & {"the", "these", "those"})
        return token.lower_ in pair_nouns or (token.tag_ in ("NNS", "NNPS") and definite and bool(children & pair_nouns))

    def last_people(self, token: Token, count: int) -> tuple[str, ...]:
        """The last `count` different people the document names before a token."""
        found: list[str] = []
        for start, key in reversed(self.mentions.mention_order):
            if start < token.i and self.mentions.entities[key].kind == "Person" and key not in found:
                found.append(key)
                if len(found) == count:
                    break
        return tuple(reversed(found))

    def people_before(self, token: Token) -> list[str]:
        """The people a sentence names before a token: who 'their meeting' refers to."""
        found: list[str] = []
        for left in token.sent[: token.i - token.sent.start]:
            key = self.mentions.entity_at(left)
            if key is None and left.i in self.offices.role_spans and left.dep_ in ("nsubj", "nsubjpass", "pobj", "dobj"):
                key = self.offices.title_holder(left)
            if key and self.mentions.entities[key].kind == "Person" and key not in found:
                found.append(key)
        return found

    def nearest_person(self, token: Token) -> str | None:
        """The last person the sentence names before a token: whom 'his' refers to."""
        for left in reversed(list(token.sent[: token.i - token.sent.start])):
            key = self.mentions.entity_at(left)
            if key and self.mentions.entities[key].kind == "Person":
                return key
        return None

    def clause_subject_body(self, token: Token, context: Context) -> str | None:
        """The body that is the subject of the clause around a token: what 'its' refers to."""
        for ancestor in token.ancestors:
            for child in ancestor.children:
                if child.dep_ in ("nsubj", "nsubjpass") and child.i != token.i:
                    key = self.actor(child, context)
                    if key and self.mentions.entities.get(key) and self.mentions.entities[key].kind != "Person":
                        return key
        return context.body

    def actor(self, token: Token, context: Context | None = None) -> str | None:
        """The entity a noun phrase headed by `token` refers to, when it acts.

        Capitals and seats stand for their state or body here; titles, pronouns and
        definite descriptions resolve to what the document has introduced.
        """
        context = context or Context()
        token_key = self.mentions.token_key
        key = token_key.get(token.i)
        if key is None:
            for child in token.children:
                if child.dep_ == "appos" and child.i in token_key:
                    key = token_key[child.i]
                    break
        w = self.words
        if key is None and token.lower_ in w.group_nouns:
            key = self.group_owner(token)
        if key is not None:
            return metonym(key, self.mentions, self.index)
        low = token.lower_
        if low in w.person_pronouns:
            return context.person
        if low in w.body_pronouns or (low in w.plural_pronouns and token.dep_ in ("nsubj", "nsubjpass")):
            return context.body
        if token.i in self.offices.role_spans:
            holder = self.offices.title_holder(token)
            if holder is not None or low not in w.guest_words:
                return holder  # "his Jordanian counterpart" no one holds stands for Jordan, below
        demonym_key = self.mentions.demonym_key
        if {low, token.lemma_.lower()} & (w.group_nouns | w.guest_words):  # "his Turkish counterpart"
            for child in token.children:
                if child.i in demonym_key:
                    return demonym_key[child.i]
                if child.dep_ == "conj":
                    break
            if low in w.government_nouns and any(c.lower_ == "the" for c in token.children):
                return self.home
        body_kinds = w.body_nouns.get(low) or w.body_nouns.get(token.lemma_.lower())
        if body_kinds and any(c.lower_ == "the" for c in token.children):
            return self.last_of_kinds(body_kinds, token.i)  # "the alliance", "the groups"
        if low in w.member_nouns or (low in w.state_nouns and
                                     any(c.lower_ in w.member_modifiers for c in token.children)):
            return self.last_of_kinds(w.member_bodies, token.i)
        if token.i in demonym_key and token.pos_ in ("PROPN", "NOUN"):
            return demonym_key[token.i]
        return None

    def group_owner(self, token: Token) -> str | None:
        """The body a group noun belongs to: 'CMAG ministers', 'members of the committee'."""
        token_key = self.mentions.token_key
        for child in token.children:
            if child.dep_ in ("compound", "poss", "nmod") and child.i in token_key:
                return token_key[child.i]
            if child.dep_ == "prep" and child.lower_ in ("of", "from"):
                for obj in child.children:
                    if obj.dep_ == "pobj" and obj.i in token_key:
                        key = token_key[obj.i]
                        if self.mentions.entities[key].kind != "Person":
                            return key
        return None

    def last_of_kinds(self, kinds: frozenset[str], before: int) -> str | None:
        """The most recent entity of one of `kinds` mentioned before token `before`."""
        for start, key in reversed(self.mentions.mention_order):
            if start < before and self.mentions.entities[key].kind in kinds:
                return key
        return None

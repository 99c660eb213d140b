"""Event frames read from the dependency parse.

A trigger (a verb such as "suspended" or a noun such as "talks") opens a frame; its
arguments come from the parse around it: the subject or a passive "by" phrase is the agent,
the object is the theme, "with" and "between" name the other parties, "in"/"at" the place,
date expressions the date. Negation and modality are read from the trigger's own clause and
the verbs that govern it ("did not propose", "failed to conclude", "is planning to hold").
"""
from __future__ import annotations

import bisect
from dataclasses import replace

import numpy
from spacy.attrs import DEP, HEAD, LEMMA, LOWER
from spacy.tokens import Doc, Span, Token

from kg.extract import dates
from kg.extract.coreference import Context, Coreference
from kg.lexicon.words import Trigger, triggers, words
from kg.records import Event


def cleft_focus(verb: Token) -> Token | None:
    """In "it was (not) Russia that initiated ...", Russia: the one the cleft puts in focus."""
    head = verb.head
    if verb.dep_ in ("ccomp", "relcl", "acl") and head.lemma_ == "be" and \
            any(c.dep_ == "nsubj" and c.lower_ == "it" for c in head.children):
        for child in head.children:
            if child.dep_ == "attr":
                return child
    return None


def advised_clause(verb: Token, auxiliaries: frozenset[str]) -> Token | None:
    """The 'should' clause a speech verb reports, which makes the statement a proposal."""
    for child in verb.children:
        if child.dep_ == "ccomp" and any(a.dep_ == "aux" and a.lower_ in auxiliaries for a in child.children):
            return child
    return None


def trigger_kind(token: Token) -> str | None:
    """The event class a token opens, if it is a trigger."""
    table = triggers()
    lemma = token.lemma_.lower()
    if lemma not in table.words and token.lower_ not in table.nouns:
        return None  # most tokens: no table can name them
    if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"):
        phrasal = table.phrasal.get(lemma, {})
        for child in token.children:
            if child.dep_ in ("prt", "prep", "advmod", "dobj") and child.lower_ in phrasal:
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


def holds(trigger: Trigger, verb: Token) -> bool:
    """Whether a verb meets what its trigger entry asks of it: an object from a list ("lift
    the ban", not "lift the mood"), or a reported clause with advice in it."""
    if trigger.clause_auxiliaries is not None and advised_clause(verb, trigger.clause_auxiliaries) is None:
        return False  # "X says the council should put Zimbabwe on its agenda" is a proposal
    if trigger.objects is not None and not (trigger.relative_clause_suffices and verb.dep_ == "relcl"):
        objects = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass", "prt")]
        return any(c.lemma_.lower() in trigger.objects or c.lower_ in trigger.objects for c in objects)
    return True


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


class EventReader:
    """Reads the event frames of one sentence at a time."""

    def __init__(self, doc: Doc, coreference: Coreference, anchor: str | None, dateline_place: str | None):
        self.coreference = coreference
        self.mentions = coreference.mentions
        self.offices = coreference.offices
        self.index = coreference.index
        self.words = words()
        self.anchor = anchor
        self.dateline_place = dateline_place
        self.date_spans = {i: ent for ent in doc.ents if ent.label_ == "DATE" for i in range(ent.start, ent.end)}
        self.candidates = candidate_triggers(doc)
        self.clauses: dict[int, list[Token]] = {}

    # ---------------------------------------------------------------- actors

    def actors(self, token: Token, context: Context) -> list[str]:
        """Entities a noun phrase names, following 'X and Y' and 'Afghan and British officials'."""
        out: list[str] = []
        w = self.words
        for head in [token, *conjuncts(token)]:
            if head.lower_ in w.first_person_pronouns:
                continue
            if head.lower_ in w.pair_nouns and head.dep_ in ("nsubj", "nsubjpass") and context.group:
                out += [k for k in context.group if k not in out]
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
                key = self.coreference.actor(head, context)
            if key and key not in out:
                out.append(key)
            if head.lower_ in w.group_nouns:
                for child in head.children:
                    for mod in [child, *conjuncts(child)]:
                        state = self.mentions.demonym_key.get(mod.i)
                        if state and state not in out:
                            out.append(state)
        return out

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
        for left in reversed(list(token.sent[: token.i - token.sent.start])):
            key = self.mentions.entity_at(left)
            if key and self.mentions.entities[key].kind == "Person":
                return key
        return None

    def clause_subject_body(self, token: Token, context: Context) -> str | None:
        for ancestor in token.ancestors:
            for child in ancestor.children:
                if child.dep_ in ("nsubj", "nsubjpass") and child.i != token.i:
                    key = self.coreference.actor(child, context)
                    if key and self.mentions.entities.get(key) and self.mentions.entities[key].kind != "Person":
                        return key
        return context.body

    # ---------------------------------------------------------------- frames

    def read(self, sent: Span, context: Context, in_quote: set[int]) -> list[Event]:
        events = []
        nested: set[int] = set()
        doc = sent.doc
        for i in within(self.candidates, sent):
            token = doc[i]
            kind = trigger_kind(token)
            if kind is None or (token.i in nested and token.dep_ != "relcl" and kind not in ("Meeting", "Visit")):
                continue
            theme_root = self._theme_root(token, kind)
            event = self.frame(token, kind, theme_root, sent, context, token.i in in_quote)
            if event is None:
                continue
            if theme_root is not None:
                nested.update(t.i for t in theme_root.subtree)
            if kind in ("Suspension", "Resumption") and len(event.counterparts) > 1 and \
                    theme_root is not None and self.mentions.entity_at(theme_root):
                events += [replace(event, counterparts=(c,)) for c in event.counterparts]
            else:
                events.append(event)
        return events

    def frame(self, trigger: Token, kind: str, theme_root: Token | None, sent: Span, context: Context,
              quoted: bool) -> Event | None:
        verbal = trigger.pos_ in ("VERB", "AUX") or trigger.tag_.startswith("VB")
        agent_tokens, counterpart_tokens, participant_tokens = [], [], []
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in trigger.children)
        if verbal:
            subject = self.subject(trigger)
            by_agent = [g for c in trigger.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            if passive:
                agent_tokens = by_agent
            elif subject is not None:
                agent_tokens = [subject]
        else:
            agent_tokens = [c for c in trigger.children if c.dep_ == "poss"]
            agent_tokens += [g for c in trigger.children if c.dep_ == "prep" and c.lower_ == "by"
                             for g in c.children if g.dep_ == "pobj"]
            if not agent_tokens and trigger.dep_ == "dobj" and trigger.head.lemma_.lower() in self.words.light_verbs:
                subject = self.subject(trigger.head)  # "Morocco made a proposal", "Russia put forward an initiative"
                agent_tokens = [subject] if subject is not None else []
        with_objects = self.prep_objects(trigger, ("with",))
        between = self.prep_objects(trigger, ("between",))
        if theme_root is not None and kind in ("Suspension", "Resumption"):
            with_objects += self.prep_objects(theme_root, ("with",))
            between += self.prep_objects(theme_root, ("between",))
        if kind == "Meeting":
            participant_tokens = agent_tokens + with_objects + between
            if verbal:
                participant_tokens += [c for c in trigger.children if c.dep_ == "dobj"]
            else:
                participant_tokens += self.meeting_hosts(trigger)
                participant_tokens += [o for o in self.prep_objects(trigger, ("of",))
                                       if self.mentions.entity_at(o) or o.lower_ in self.words.group_nouns]
            agent_tokens = []
        elif kind in ("Suspension", "Resumption"):
            counterpart_tokens = with_objects
            participant_tokens = between
            if theme_root is not None and theme_root.dep_ in ("dobj", "nsubjpass") and self.mentions.entity_at(theme_root):
                counterpart_tokens = counterpart_tokens + [theme_root]
            elif theme_root is not None and not counterpart_tokens:
                counterpart_tokens = [c for c in theme_root.children if c.dep_ in ("compound", "nmod")
                                      and self.mentions.entity_at(c) and not c.ent_type_ == "NORP"]
        elif kind == "Proposal":
            counterpart_tokens = self.prep_objects(trigger, ("to",)) + [c for c in trigger.children if c.dep_ == "dative"]
            if not verbal and trigger.dep_ == "dobj" and trigger.head.lemma_.lower() in self.words.light_verbs:
                counterpart_tokens += self.prep_objects(trigger.head, ("to",))
            advice = triggers().clause_auxiliaries(trigger.lemma_.lower())
            advised = advised_clause(trigger, advice) if advice is not None else None
            if advised is not None:
                theme_root = advised
                addressees = [c for c in advised.children if c.dep_ in ("nsubj", "nsubjpass")]
                if not self.resolve(addressees, context):
                    return None  # "it should be safe ...": advice to no one is no proposal
                counterpart_tokens += addressees
            if not verbal and trigger.dep_ == "pobj" and trigger.head.head.lemma_.lower() in self.words.response_verbs:
                responder = self.subject(trigger.head.head)
                if responder is not None:
                    counterpart_tokens.append(responder)
        elif kind == "Visit":
            counterpart_tokens = [c for c in trigger.children if c.dep_ == "dobj"]

        agents = self.resolve(agent_tokens, context)
        participants = self.resolve(participant_tokens, context)
        counterparts = [k for k in self.resolve(counterpart_tokens, context) if k not in agents]
        place = self.place(trigger)
        if kind == "Visit":
            place = place or self.visit_destination(trigger)
            if place:
                state = self.index.capital_state(place) or self.state_of(place)
                if not counterparts:
                    counterparts = [c for c in (state or place,) if c not in agents]
            counterparts = [c for c in counterparts if self.mentions.entities.get(c) is None
                            or self.mentions.entities[c].kind != "City" or c != place] or counterparts
        if kind == "Meeting":
            participants = list(dict.fromkeys(participants))
            if len(participants) < 2:
                return None
            if place is None and self.dateline_place and not quoted and self.on_dateline_day(trigger):
                place = self.dateline_place
        agent = agents[0] if agents else None
        if kind in ("Suspension", "Resumption") and agent and agent in participants:
            others = [p for p in participants if p != agent]
            counterparts = counterparts or others
            participants = []
        if agent is None and not participants and not counterparts:
            return None
        if agent is None and kind in ("Visit", "Proposal") and not counterparts:
            return None
        theme = phrase(theme_root) if theme_root is not None else None
        return Event(
            kind=kind, trigger=trigger.text, sentence=sent.text.strip(), start=sent.start_char,
            end=sent.end_char, agent=agent, participants=tuple(participants),
            counterparts=tuple(dict.fromkeys(counterparts)), theme=theme, date=self.date(trigger),
            place=place, negated=negated(trigger), modality=modality(trigger))

    def on_dateline_day(self, trigger: Token) -> bool:
        """A meeting the story reports as done on its own day happened where it was filed."""
        return modality(trigger) == "Asserted" and self.anchor is not None and self.date(trigger) == self.anchor

    def resolve(self, tokens: list[Token], context: Context) -> list[str]:
        """The entities a list of noun phrases names, each once, in order."""
        out: list[str] = []
        for token in tokens:
            for key in self.actors(token, context):
                if key not in out:
                    out.append(key)
        return out

    def subject(self, verb: Token) -> Token | None:
        """The subject of a verb, inherited through 'decided to suspend' and 'met and agreed'."""
        current = verb
        for _ in range(4):
            for child in current.children:
                if child.dep_ in ("nsubj", "nsubjpass", "csubj"):
                    if child.lower_ in self.words.relative_pronouns and current.dep_ == "relcl":
                        return current.head
                    focus = cleft_focus(current) if child.lower_ in self.words.cleft_pronouns else None
                    return focus if focus is not None else child
            if current.dep_ == "relcl" and current.head.pos_ in ("NOUN", "PROPN"):
                return current.head
            if current.dep_ in ("xcomp", "conj", "advcl") and current.head is not current:
                current = current.head
                continue
            if current.dep_ == "pcomp" and current.head.dep_ == "prep":
                current = current.head.head
                continue
            break
        return None

    def prep_objects(self, token: Token, preps: tuple[str, ...]) -> list[Token]:
        out = []
        for child in token.children:
            if child.dep_ in ("prep", "agent") and child.lower_ in preps:
                out += [g for g in child.children if g.dep_ == "pobj"]
        return out

    def meeting_hosts(self, noun: Token) -> list[Token]:
        """For 'held talks', 'said after a meeting with': those who hold the meeting."""
        out = []
        for child in noun.children:
            verbs = {child.lemma_.lower()} | {g.lemma_.lower() for g in child.children if g.dep_ == "xcomp"}
            if child.dep_ == "relcl" and (verbs & self.words.meeting_verbs or "be" in verbs):
                subject = self.subject(child)
                if subject is not None and subject.lower_ not in self.words.relative_pronouns:
                    out.append(subject)
        head, dep = noun.head, noun.dep_
        for _ in range(3):
            if dep == "pobj":
                dep, head = head.dep_, head.head
                if head.pos_ in ("VERB", "AUX"):
                    dep = "pobj"
                    break
            elif dep == "dobj" and head.pos_ in ("NOUN", "PROPN"):
                dep, head = head.dep_, head.head
            else:
                break
        if head is not noun and head.pos_ in ("VERB", "AUX") and dep in ("dobj", "pobj", "nsubj", "nsubjpass"):
            if dep == "dobj" and head.lemma_.lower() not in self.words.meeting_verbs:
                return out
            subject = self.subject(head)
            if subject is not None:
                out.append(subject)
            out += self.prep_objects(head, ("with",))
        return out

    def _theme_root(self, trigger: Token, kind: str) -> Token | None:
        if kind in ("Meeting", "Visit", "Statement"):
            return None
        verbal = trigger.pos_ in ("VERB", "AUX") or trigger.tag_.startswith("VB")
        if verbal:
            for child in trigger.children:
                if child.dep_ in ("dobj", "nsubjpass", "xcomp", "ccomp") and child.lower_ not in self.words.relative_pronouns:
                    return child
            if trigger.dep_ == "relcl":
                return self.phrase_head(trigger.head)
            return None
        for child in trigger.children:
            if child.dep_ == "prep" and child.lower_ in self.words.theme_prepositions:
                objects = [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
                if objects:
                    return objects[0]
            if child.dep_ in ("acl", "relcl") and child.tag_ in ("VB", "VBG"):
                return child
        return None

    def phrase_head(self, noun: Token) -> Token:
        """What a relative clause is about: in 'contacts between Russia and NATO, which were
        suspended', the contacts, not the party the clause happens to follow."""
        current = noun
        relational = self.words.relational_words
        for _ in range(4):
            if current.dep_ == "conj":
                current = current.head
            elif current.dep_ == "pobj" and current.head.lower_ in ("between", "with") and \
                    (self.mentions.entity_at(current) or current.lower_ in self.words.body_nouns):
                current = current.head.head
            elif current.dep_ == "pobj" and current.lemma_.lower() not in relational and \
                    current.head.head.lemma_.lower() in relational:
                current = current.head.head
            else:
                break
        return current

    def clause(self, trigger: Token) -> list[Token]:
        """`clause_tokens`, worked out once per trigger (place and date both read it)."""
        if trigger.i not in self.clauses:
            self.clauses[trigger.i] = clause_tokens(trigger)
        return self.clauses[trigger.i]

    def place(self, trigger: Token) -> str | None:
        """Where: an 'in'/'at' place within the trigger's own clause."""
        tokens = self.clause(trigger)
        heads = [trigger, tokens[1]] if len(tokens) > 1 and tokens[1].pos_ in ("VERB", "AUX") else [trigger]
        heads += [c for c in trigger.children if c.dep_ in ("relcl", "acl")]
        heads += [g for h in heads[len(heads) - 1:] for g in h.children if g.dep_ == "xcomp" and h is not trigger]
        args = [c for h in heads for c in h.children if c.dep_ in ("dobj", "nsubj", "nsubjpass", "attr")]
        args += [g for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ in ("with", "between")
                 for g in c.children if g.dep_ == "pobj"]
        anchors = {t.i for t in heads + args}
        for token in tokens:
            if token.dep_ == "prep" and token.lower_ == "during" and token.head.i in anchors:
                for obj in token.children:
                    if trigger_kind(obj) == "Visit":
                        key = self.visit_destination(obj)
                        if key:
                            return key
            if token.dep_ == "prep" and token.lower_ in self.words.locative_prepositions and token.head.i in anchors:
                for obj in token.children:
                    key = self.place_entity(obj)
                    if key:
                        return key
        return None

    def place_entity(self, token: Token) -> str | None:
        """A location named by a token, looking through 'the Russian city of Volgograd'."""
        key = self.mentions.entity_at(token)
        if key and self.mentions.entities[key].kind in LOCATION_KINDS:
            return key
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for obj in child.children:
                    key = self.mentions.entity_at(obj)
                    if key and self.mentions.entities[key].kind in LOCATION_KINDS:
                        return key
        return None

    def visit_destination(self, trigger: Token) -> str | None:
        for child in trigger.children:
            if child.dep_ == "dobj" or (child.dep_ == "prep" and child.lower_ in self.words.destination_prepositions):
                candidates = [child] if child.dep_ == "dobj" else [g for g in child.children if g.dep_ == "pobj"]
                for obj in candidates:
                    key = self.place_entity(obj)
                    if key:
                        return key
        return None

    def state_of(self, place: str) -> str | None:
        """The state a known city belongs to."""
        entry = self.index.by_key.get(place)
        state = self.index.by_key.get(entry.part_of) if entry and entry.kind == "City" and entry.part_of else None
        return self.mentions.add_known(state) if state else None

    def date(self, trigger: Token) -> str | None:
        """A date expression within the trigger's own clause, resolved against the document date."""
        for token in self.clause(trigger):
            if token.ent_type_ == "DATE":
                span = self.date_spans.get(token.i)
                value = dates.resolve(span.text, self.anchor) if span is not None else None
                if value:
                    return value
        return None

LOCATION_KINDS = {"Location", "Country", "City", "Region"}


CLAUSE_BOUNDARIES = {"relcl", "ccomp", "advcl", "acl", "csubj", "parataxis"}


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


def conjuncts(token: Token) -> list[Token]:
    """'X, Y and Z': the tokens coordinated with X."""
    out = []
    for child in token.children:
        if child.dep_ == "conj":
            if not any(g.dep_ == "case" for g in child.children):  # "Germany's" modifies, not coordinates
                out.append(child)
            out += conjuncts(child)
    return out


def phrase(token: Token) -> str:
    """The text of a token's phrase, without relative clauses ("..., which were cut by NATO")."""
    skip = {t.i for r in token.subtree if r.dep_ == "relcl" and r is not token for t in r.subtree}
    tokens = [t for t in token.subtree if t.i not in skip]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space or tokens[-1].lower_ in words().relative_pronouns):
        tokens.pop()
    if not tokens:
        return token.text
    return token.doc[tokens[0].i: tokens[-1].i + 1].text.strip(" ,\"\u201c\u201d")


def governing_chain(trigger: Token) -> list[Token]:
    """The trigger and the verbs whose complement it is ('failed to give', 'decided to suspend')."""
    chain = [trigger]
    current = trigger
    while current.dep_ in ("xcomp", "pcomp", "pobj", "acl", "dobj", "ccomp", "prep") and current.head is not current:
        current = current.head
        chain.append(current)
        if len(chain) > 4:
            break
    return chain


def negated(trigger: Token) -> bool:
    """Whether the text denies the event: 'did not', 'never', 'failed to', 'no proposals'."""
    w = words()
    for token in governing_chain(trigger)[:3]:
        if any(c.dep_ == "neg" for c in token.children):
            return True
        if token is not trigger and token.lemma_.lower() in w.negating_verbs:
            return True
        if token.dep_ == "prep" or (token.dep_ == "pobj" and token is not trigger):
            break
    if any(c.lower_ in w.negating_determiners and c.dep_ in ("det", "neg", "advmod") for c in trigger.children):
        return True
    for token in governing_chain(trigger)[:3]:
        if any(c.dep_ == "nsubj" and c.lower_ in w.cleft_pronouns for c in token.children) and cleft_focus(token) is not None:
            return any(c.dep_ == "neg" for c in token.head.children)
    if trigger.dep_ == "relcl" or trigger.head.dep_ == "relcl":
        verb = trigger if trigger.dep_ == "relcl" else trigger.head
        noun = verb.head
        if any(c.dep_ == "neg" for c in noun.children) or any(c.dep_ == "neg" for c in noun.head.children if noun.dep_ == "attr"):
            return True
    return False


def modality(trigger: Token) -> str:
    """How the text presents the event."""
    w = words()
    for child in trigger.children:
        if child.dep_ in ("relcl", "acl"):
            aux = {c.lower_ for c in child.children if c.dep_ in ("aux", "auxpass")}
            if aux & w.future_auxiliaries or child.lemma_.lower() in w.planning_words:
                return "Planned"
    chain = governing_chain(trigger)
    for token in chain:
        if any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in w.conditional_markers for m in c.children)
               for c in token.children):
            return "Conditional"
    for token in chain:
        lemma = token.lemma_.lower()
        aux = {c.lower_ for c in token.children if c.dep_ in ("aux", "auxpass")}
        if any(c.dep_ == "mark" and c.lower_ in w.conditional_markers for c in token.children):
            return "Conditional"
        if token.dep_ == "advcl" and any(c.lower_ in w.conditional_markers for c in token.children):
            return "Conditional"
        if lemma in w.attempting_words and token is not trigger:
            return "Attempted"
        hypothetical = lemma in w.hypothetical_words and (token.pos_ != "NOUN" or lemma in w.hypothetical_nouns)
        if (hypothetical and token is not trigger) or aux & w.modal_auxiliaries:
            return "Hypothetical"
        if lemma in w.planning_words and token is not trigger or aux & w.future_auxiliaries:
            return "Planned"
        if token.lower_ in w.planned_copulas and any(c.dep_ == "xcomp" for c in token.children):
            return "Planned"
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children) and trigger.head.lemma_.lower() == "be":
        return "Planned"
    return "Asserted"

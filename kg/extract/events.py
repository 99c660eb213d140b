"""Event frames read from the dependency parse.

A trigger (a verb such as "suspended" or a noun such as "talks") opens a frame; its
arguments come from the parse around it: the subject or a passive "by" phrase is the agent,
the object is the theme, "with" and "between" name the other parties, "in"/"at" the place,
date expressions the date. How each class reads its agent, participants and counterparts
is its entry in `kg.extract.arguments`; negation and modality come from `kg.extract.modality`.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from kg.extract import dates
from kg.extract.arguments import GENERIC, Cue, Filled, argument_reader
from kg.extract.coreference import Context, Coreference
from kg.extract.mentions import Mentions
from kg.extract.modality import modality, negated
from kg.extract.syntax import clause_tokens, cleft_focus, is_verbal, phrase, prep_objects, within
from kg.extract.triggers import candidate_triggers, trigger_kind
from kg.lexicon.words import words
from kg.records import Event, Rejection

LOCATION_KINDS = {"Location", "Country", "City", "Region"}


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
        self.rejections: list[Rejection] = []
        # who the text reports an event from: the entity, or how it names an unnamed source
        self.reporter: Callable[[Token, Context], tuple[str | None, str | None]] = lambda trigger, context: (None, None)

    # ---------------------------------------------------------------- frames

    def read(self, sent: Span, context: Context, in_quote: set[int]) -> list[Event]:
        """The frames of one sentence. A trigger inside the theme of an earlier one belongs
        to that frame ("proposed to resume talks" is one proposal), unless its class is read
        on its own wherever it stands."""
        events = []
        nested: set[int] = set()
        doc = sent.doc
        for i in within(self.candidates, sent):
            token = doc[i]
            kind = trigger_kind(token)
            if kind is None:
                continue
            arguments = argument_reader(kind)
            if token.i in nested and token.dep_ != "relcl" and not arguments.read_inside_themes:
                self.reject(token, kind, sent, "inside the theme of an earlier frame in the sentence")
                continue
            if self.theme_of_verb_trigger(token) and not arguments.read_inside_themes:
                self.reject(token, kind, sent, f"the theme of the verb trigger '{token.head.text}'")
                continue
            theme_root = self.theme_root(token) if arguments.has_theme else None
            found = self.frames(token, kind, theme_root, sent, context, token.i in in_quote)
            if not found:
                continue
            if theme_root is not None and arguments.theme_nests:
                nested.update(t.i for t in theme_root.subtree)
            for event in found:
                remember_pair(event, self.mentions, context)
                if arguments.one_per_counterpart and len(event.counterparts) > 1:
                    events += [replace(event, counterparts=(c,)) for c in event.counterparts]
                else:
                    events.append(event)
        return events

    def theme_of_verb_trigger(self, token: Token) -> bool:
        """Whether a noun trigger is what a verb trigger acts on: in "Fiji's suspension was
        lifted" the suspension is what the lifting ends, no suspension of its own."""
        head = token.head
        return not is_verbal(token) and token.dep_ in ("dobj", "nsubjpass") and head is not token and \
            is_verbal(head) and trigger_kind(head) is not None

    def frame(self, trigger: Token, kind: str, theme_root: Token | None, sent: Span, context: Context,
              quoted: bool) -> Event | None:
        """The first event a trigger opens, None when its frame is not kept."""
        found = self.frames(trigger, kind, theme_root, sent, context, quoted)
        return found[0] if found else None

    def frames(self, trigger: Token, kind: str, theme_root: Token | None, sent: Span, context: Context,
               quoted: bool) -> list[Event]:
        """The event a trigger opens, its arguments read as its class's entry in the argument
        table says; one per agent when the class says so ("X and Y flew to Z"), none when
        the frame is not kept."""
        arguments = argument_reader(kind)
        cue = self.cue(trigger, theme_root, context, quoted, arguments.parties_on_theme)
        roles = arguments.roles(self, cue)
        if roles is None:
            self.reject(trigger, kind, sent, "the class's argument reader found no party it needs")
            return []
        agents = self.resolve(list(roles.agents), context)
        participants = self.resolve(list(roles.participants), context)
        counterparts = [k for k in self.resolve(list(roles.counterparts), context) if k not in agents]
        filled = arguments.settle(self, cue, Filled(agents, participants, counterparts, self.place(trigger)))
        if filled is None:
            self.reject(trigger, kind, sent, f"{first_line(arguments.settle.__doc__)} "
                        f"(read: agent {agents or '-'}, parties {participants or '-'}, "
                        f"counterparts {counterparts or '-'})")
            return []
        agent = filled.agents[0] if filled.agents else None
        if agent is None and not filled.participants and not filled.counterparts:
            self.reject(trigger, kind, sent, "no agent, party or counterpart resolved to an entity")
            return []
        according_to, anonymous = self.reporter(trigger, context)
        event = Event(
            kind=kind, trigger=trigger.text, sentence=sent.text.strip(), start=sent.start_char,
            end=sent.end_char, agent=agent, participants=tuple(filled.participants),
            counterparts=tuple(dict.fromkeys(filled.counterparts)),
            theme=phrase(roles.theme) if roles.theme is not None else None, date=self.date(trigger),
            place=filled.place, negated=negated(trigger), modality=modality(trigger),
            rule=f"{'verb' if cue.verbal else 'noun'} trigger '{trigger.lemma_.lower()}' read by the "
                 f"{kind if arguments is not GENERIC else 'generic'} argument reader",
            according_to=according_to, anonymous_source=anonymous)
        if arguments.one_per_agent:
            return [replace(event, agent=a) for a in filled.agents] or [event]
        return [event]

    def reject(self, trigger: Token, kind: str, sent: Span, reason: str) -> None:
        """Note a frame that was not kept, and why."""
        self.rejections.append(Rejection(kind, trigger.text, sent.text.strip(), sent.start_char, sent.end_char, reason))

    def cue(self, trigger: Token, theme_root: Token | None, context: Context, quoted: bool,
            parties_on_theme: bool) -> Cue:
        """What every class reads the same way: the agent (the subject, a passive "by"
        phrase, a possessive, the subject of a light verb) and the "with"/"between" parties."""
        verbal = is_verbal(trigger)
        agent_tokens: list[Token] = []
        if verbal:
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in trigger.children)
            subject = self.subject(trigger)
            if passive:
                agent_tokens = [g for c in trigger.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            elif subject is not None:
                agent_tokens = [subject]
        else:
            agent_tokens = [c for c in trigger.children if c.dep_ == "poss"]
            agent_tokens += [g for c in trigger.children if c.dep_ == "prep" and c.lower_ == "by"
                             for g in c.children if g.dep_ == "pobj"]
            if not agent_tokens and trigger.dep_ == "dobj" and trigger.head.lemma_.lower() in self.words.light_verbs:
                subject = self.subject(trigger.head)  # "Morocco made a proposal", "Russia put forward an initiative"
                agent_tokens = [subject] if subject is not None else []
        with_objects = prep_objects(trigger, ("with",))
        between = prep_objects(trigger, ("between",))
        if theme_root is not None and parties_on_theme:
            with_objects += prep_objects(theme_root, ("with",))  # "cut ties with Israel"
            between += prep_objects(theme_root, ("between",))
        return Cue(trigger=trigger, verbal=verbal, agents=tuple(agent_tokens), with_objects=tuple(with_objects),
                   between=tuple(between), theme=theme_root, context=context, quoted=quoted)

    def on_dateline_day(self, trigger: Token) -> bool:
        """A meeting the story reports as done on its own day happened where it was filed."""
        return modality(trigger) == "Asserted" and self.anchor is not None and self.date(trigger) == self.anchor

    def resolve(self, tokens: list[Token], context: Context) -> list[str]:
        """The entities a list of noun phrases names, each once, in order."""
        out: list[str] = []
        for token in tokens:
            out += [k for k in self.coreference.event_actors(token, context) if k not in out]
        return out

    def subject(self, verb: Token) -> Token | None:
        """The subject of a verb, inherited through 'decided to suspend' and 'met and agreed',
        or the object of 'invited Y to visit'."""
        current = verb
        for _ in range(4):
            for child in current.children:
                if child.dep_ in ("nsubj", "nsubjpass", "csubj"):
                    if child.lower_ in self.words.relative_pronouns and current.dep_ == "relcl":
                        return current.head
                    focus = cleft_focus(current) if child.lower_ in self.words.cleft_pronouns else None
                    return focus if focus is not None else child
            infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in current.children)
            if current.dep_ == "relcl" and current.head.pos_ in ("NOUN", "PROPN") and not infinitive:
                return current.head
            if current.dep_ in ("acl", "relcl") and current.head.pos_ in ("NOUN", "PROPN"):
                owner = self.owner(current.head)  # "the government's decision to suspend", "a bill to lift"
                if owner is not None:
                    return owner
            controller = [c for c in current.head.children if c.dep_ == "dobj"] if current.dep_ == "xcomp" else []
            if controller and current.head.pos_ in ("VERB", "AUX"):
                return controller[0]  # "invited Y to visit": Y visits
            if current.dep_ in ("xcomp", "conj", "advcl", "acomp", "acl") and current.head is not current:
                current = current.head
                continue
            if current.dep_ == "pcomp" and current.head.dep_ == "prep":
                current = current.head.head
                continue
            break
        return None

    def owner(self, noun: Token) -> Token | None:
        """Whose a noun is: its possessive ("Israel's decision"), its demonym ("the Indian
        decision"), or the subject of the verb it is the object of ("Israel took a decision",
        "the Senate approved a bill")."""
        for child in noun.children:
            if child.dep_ == "poss" or (child.dep_ == "amod" and child.i in self.mentions.demonym_key):
                return child
        if noun.dep_ == "dobj" and noun.head.pos_ in ("VERB", "AUX"):
            return self.subject(noun.head)
        return None

    def meeting_hosts(self, noun: Token) -> list[Token]:
        """For 'held talks', 'said after a meeting with', 'is to hold two days of meetings',
        'X, in talks with': those who hold the meeting."""
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
                preposition = head
                dep, head = head.dep_, head.head
                if head.pos_ in ("VERB", "AUX"):
                    dep = "pobj"
                    break
                if preposition.lower_ == "of" and head.lemma_.lower() in self.words.sideline_nouns and \
                        not prep_objects(noun, ("with", "between")):
                    return out  # "met on the margins of the G20 meeting": an occasion, not who held it
                if preposition.lower_ == "of" and head.pos_ == "NOUN":
                    dep, head = head.dep_, head.head  # "two days of meetings": the days are held
            elif dep == "dobj" and head.pos_ in ("NOUN", "PROPN"):
                dep, head = head.dep_, head.head
            else:
                break
        if dep == "prep" and head.pos_ in ("NOUN", "PROPN") and self.mentions.entity_at(head):
            out.append(head)  # "Baka, in talks with the IMF, said"
        if head is not noun and head.pos_ in ("VERB", "AUX") and dep in ("dobj", "pobj", "nsubj", "nsubjpass"):
            if dep == "dobj" and head.lemma_.lower() not in self.words.meeting_verbs:
                return out
            if dep == "pobj" and trigger_kind(head) == "Meeting" and not prep_objects(noun, ("with", "between")):
                return out  # "met at the summit": the occasion of the meeting the verb reports
            subject = self.subject(head)
            if subject is not None:
                out.append(subject)
            out += prep_objects(head, ("with",))
        return out

    def theme_root(self, trigger: Token) -> Token | None:
        """What the event is about: the verb's object or complement, the noun's "of"/"on"/"for"
        phrase ("the suspension of flights"), or what a relative clause trigger modifies."""
        if is_verbal(trigger):
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
        anchors = {t.i for t in heads + args + self.occasions(trigger)}
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

    def occasions(self, trigger: Token) -> list[Token]:
        """The meetings a verb's event took place at, whose place is its place: "met on the
        margins of the G20 meeting in Rio", "met at the summit in Bali"."""
        if not is_verbal(trigger):
            return []
        nouns = [g for c in trigger.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
        nouns += [o for n in nouns if n.lemma_.lower() in self.words.sideline_nouns for o in prep_objects(n, ("of",))]
        return [n for n in nouns if not is_verbal(n) and trigger_kind(n) == "Meeting"]

    def place_entity(self, token: Token) -> str | None:
        """A location named by a token, looking through 'the Russian city of Volgograd' ("the
        French capital" is a mention of Paris already)."""
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
        """A date expression within the trigger's own clause, resolved against the document date:
        a weekday of a planned event lies ahead of the story, of a reported one behind it."""
        ahead = modality(trigger) == "Planned"
        for token in self.clause(trigger):
            if token.ent_type_ == "DATE":
                span = self.date_spans.get(token.i)
                value = dates.resolve(span.text, self.anchor, ahead) if span is not None else None
                if value:
                    return value
        return None


def remember_pair(event: Event, mentions: Mentions, context: Context) -> None:
    """Two people an event brings together are who 'the two leaders' means next."""
    people = [k for k in (event.agent, *event.participants, *event.counterparts)
              if k and mentions.entities.get(k) and mentions.entities[k].kind == "Person"]
    if len(set(people)) == 2:
        context.group = tuple(dict.fromkeys(people))


def first_line(text: str | None) -> str:
    """The first sentence of a docstring, as a reason a person reads.

    >>> first_line("It takes two to meet or to agree: one party named is no such event. More.")
    'It takes two to meet or to agree: one party named is no such event.'
    """
    return " ".join((text or "no reason given").split(".")[0].split()) + "."

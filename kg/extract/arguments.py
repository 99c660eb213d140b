"""How each event class reads its arguments: one entry per class, and a generic one for
a class that has none, so that a class added in the ontology and the lexicon is read with
sensible arguments without code.

An entry says which noun phrases are the agent, the participants (parties on an equal
footing), the counterparts (those the agent acts on or towards) and the theme, and may
then check or complete the resolved frame (a meeting needs two participants, a visit
whose destination is a city is a visit to its state).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from spacy.tokens import Token

from kg.extract.coreference import Context
from kg.extract.syntax import is_verbal, prep_objects
from kg.extract.triggers import advised_clause, trigger_kind
from kg.lexicon.words import triggers

if TYPE_CHECKING:
    from kg.extract.events import EventReader


@dataclass(frozen=True)
class Cue:
    """What every class reads the same way around a trigger."""

    trigger: Token
    verbal: bool
    agents: tuple[Token, ...]
    with_objects: tuple[Token, ...]
    between: tuple[Token, ...]
    theme: Token | None
    context: Context
    quoted: bool


@dataclass(frozen=True)
class Roles:
    """The noun phrases that fill a frame, before they are resolved to entities."""

    agents: tuple[Token, ...] = ()
    participants: tuple[Token, ...] = ()
    counterparts: tuple[Token, ...] = ()
    theme: Token | None = None


@dataclass(frozen=True)
class Filled:
    """A frame's arguments resolved to entity keys, and its place."""

    agents: list[str]
    participants: list[str]
    counterparts: list[str]
    place: str | None


def objects(trigger: Token) -> list[Token]:
    return [c for c in trigger.children if c.dep_ == "dobj"]


def generic_roles(reader: EventReader, cue: Cue) -> Roles:
    """The subject acts; it and the "with"/"between" parties take part ("X and Y
    condemned Z together with W"); the objects are acted on."""
    return Roles(agents=cue.agents, participants=(*cue.agents, *cue.with_objects, *cue.between),
                 counterparts=tuple(objects(cue.trigger)) if cue.verbal else (), theme=cue.theme)


def party_roles(reader: EventReader, cue: Cue) -> Roles:
    """Everyone named takes part on an equal footing, no one acts on another: the parties
    to an agreement ("X and Y signed a treaty", "X concluded an accord with Y")."""
    return Roles(participants=(*cue.agents, *cue.with_objects, *cue.between), theme=cue.theme)


def meeting_roles(reader: EventReader, cue: Cue) -> Roles:
    """Everyone who meets is a participant: the subject, whom it meets or talks to, those
    who hold the talks ("held talks with", "their meeting", "a meeting of the council")."""
    trigger = cue.trigger
    sides = [*cue.agents, *cue.between]
    if cue.verbal:
        met = objects(trigger)
        if met and not reader.resolve(met, cue.context):
            return Roles()  # "would meet its obligations": an object that names no one
        sides += met or prep_objects(trigger, ("to",))  # "talking to Qantas"
        sides += [c for c in trigger.children if c.dep_ == "nsubjpass"]  # "he was greeted by X"
    else:
        sides += reader.meeting_hosts(trigger)
        sides += [o for o in prep_objects(trigger, ("of",))
                  if reader.mentions.entity_at(o) or o.lower_ in reader.words.group_nouns]
        sides += purpose_destination(reader, trigger) if not cue.with_objects else []
    if not reader.resolve(sides, cue.context):
        return Roles()  # "talks with X and Y" and no one else: one side named, not who meets it
    return Roles(participants=(*sides, *cue.with_objects))


def purpose_destination(reader: EventReader, noun: Token) -> list[Token]:
    """Where a journey made for a meeting goes, which is the other side of it: "will
    return to Cairo for further negotiations"; not for "the meeting" the story named before."""
    verb = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "for" else None
    if verb is None or trigger_kind(verb) != "Visit" or any(c.dep_ == "det" and c.lower_ == "the" for c in noun.children):
        return []  # "for the summit" is a meeting named before, with its own parties
    return [g for c in verb.children if c.dep_ == "prep" and c.lower_ in reader.words.destination_prepositions
            and c.lower_ != "for" for g in c.children if g.dep_ == "pobj" and reader.place_entity(g)]


def severance_roles(reader: EventReader, cue: Cue) -> Roles:
    """Who suspends or resumes ties acts; the other side is a counterpart ("with Israel",
    "status from Poland", "suspended Zimbabwe"), or both sides take part ("between India and
    Pakistan")."""
    theme = cue.theme
    sources = prep_objects(cue.trigger, ("from",)) + (prep_objects(theme, ("from",)) if theme else [])
    counterparts = [*cue.with_objects, *(o for o in sources if reader.mentions.entity_at(o))]
    if theme is not None and theme.dep_ in ("dobj", "nsubjpass") and reader.mentions.entity_at(theme):
        counterparts.append(theme)
    elif theme is not None and not counterparts:
        counterparts = theme_owners(reader, theme)
    return Roles(agents=cue.agents, participants=cue.between, counterparts=tuple(counterparts), theme=theme)


def theme_owners(reader: EventReader, theme: Token) -> list[Token]:
    """The parties a measure's theme belongs to or is against: "Russian flights", "Indian
    planes", "Fiji's suspension", "the armed wings of Hamas", "sanctions on Cuba"."""
    mentions = reader.mentions
    owners = [c for c in theme.children if (c.dep_ in ("compound", "nmod", "poss") and mentions.entity_at(c)
                                            and not c.ent_type_ == "NORP") or c.i in mentions.demonym_key]
    return owners or [o for o in prep_objects(theme, ("of", "on", "against")) if mentions.entity_at(o)]


def proposal_roles(reader: EventReader, cue: Cue) -> Roles | None:
    """Who proposes acts; whom it is made to ("to Mexico"), whom advice is for ("the
    council should ...") and who responds to it are the counterparts."""
    trigger, theme = cue.trigger, cue.theme
    counterparts = prep_objects(trigger, ("to",)) + [c for c in trigger.children if c.dep_ == "dative"]
    if not cue.verbal and trigger.dep_ == "dobj" and trigger.head.lemma_.lower() in reader.words.light_verbs:
        counterparts += prep_objects(trigger.head, ("to",))
    advice = triggers().clause_auxiliaries(trigger.lemma_.lower())
    advised = advised_clause(trigger, advice) if advice is not None else None
    if advised is not None:
        theme = advised
        addressees = clause_parties(reader, advised)
        people = [a for a in addressees if a.lower_ in reader.words.group_nouns]
        if not reader.resolve(addressees, cue.context) and not people:
            return None  # "it should be safe ...": advice to no one is no proposal; "the leaders should ..." is
        counterparts += addressees
    elif cue.verbal and theme is None:
        for clause in (c for c in trigger.children if c.dep_ == "advcl" and any(m.dep_ == "mark" for m in c.children)):
            theme = clause  # "calls for X to return": X is asked to
            counterparts += [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not cue.verbal and trigger.dep_ == "pobj" and trigger.head.head.lemma_.lower() in reader.words.response_verbs:
        responder = reader.subject(trigger.head.head)
        if responder is not None:
            counterparts.append(responder)
    return Roles(agents=cue.agents or offerers(reader, cue), counterparts=tuple(counterparts), theme=theme)


def clause_parties(reader: EventReader, clause: Token) -> list[Token]:
    """Whom advice is for: the subject of the advised clause, or the parties its subject
    names ("its disputes with Greece should be solved")."""
    subjects = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
    return subjects + [o for s in subjects for o in prep_objects(s, ("with", "between"))]


def offerers(reader: EventReader, cue: Cue) -> tuple[Token, ...]:
    """Who a proposal named by a noun comes from: "offers of a raise from the company"."""
    if cue.verbal:
        return ()
    found = prep_objects(cue.trigger, ("from",))
    if not found and cue.theme is not None:
        found = prep_objects(cue.theme, ("from",))
    return tuple(found)


def visit_roles(reader: EventReader, cue: Cue) -> Roles:
    """The visitor acts: the subject, "the arrival of X", the head of "a visiting delegation
    headed by X" (or the delegation when no head is named). What it visits is the
    counterpart, and so is whom it came to see ("who was there to see Y")."""
    trigger = cue.trigger
    agents = list(cue.agents)
    if trigger.dep_ == "amod" and cue.verbal:
        agents = delegation_heads(trigger.head) or [trigger.head]
    elif not cue.verbal:  # "greeted on arrival by X": the "by" phrase is the greeter's
        agents = [c for c in trigger.children if c.dep_ == "poss"] or prep_objects(trigger, ("of",))
        if not agents and trigger.dep_ == "pobj" and is_verbal(trigger.head.head):
            agents = [s for s in (reader.subject(trigger.head.head),) if s is not None]  # "said during a trip to X"
    counterparts = objects(trigger) + prep_objects(trigger, ("to",)) if cue.verbal else []
    if cue.verbal and not counterparts:
        counterparts = purpose_meeting_parties(trigger)  # "arrived in Cairo for talks with X"; not "went to Y"
    for visitor in [trigger, *agents]:
        counterparts += purpose_objects(visitor, reader.words.purpose_verbs)
    return Roles(agents=tuple(agents), counterparts=tuple(counterparts))


def purpose_meeting_parties(verb: Token) -> list[Token]:
    """Whom a journey made for a meeting is to meet: in "arrived in Cairo for talks with
    al-Sisi", al-Sisi."""
    meetings = [m for m in prep_objects(verb, ("for",)) if trigger_kind(m) == "Meeting"]
    return [p for m in meetings for p in prep_objects(m, ("with",))]


def delegation_heads(noun: Token) -> list[Token]:
    """Who heads a group: the "by" phrase of a participle on it ("headed by X", "led by X")."""
    return [g for c in noun.children if c.dep_ == "acl" and c.tag_ == "VBN"
            for a in c.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]


def purpose_clauses(token: Token, verbs: frozenset[str]) -> list[Token]:
    """The clauses saying whom a token, or the relative clause about it, is there to see or
    to meet: "X, who was there to see Y", "arrived to meet Y"."""
    heads = [token, *(c for c in token.children if c.dep_ == "relcl")]
    return [c for h in heads for c in h.children if c.dep_ in ("advcl", "xcomp") and c.lemma_.lower() in verbs
            and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)]


def purpose_objects(token: Token, verbs: frozenset[str]) -> list[Token]:
    """Whom a token's purpose clauses are to see or to meet: in "X, who was there to see Y", Y."""
    clauses = purpose_clauses(token, verbs)
    return [o for c in clauses for o in c.children if o.dep_ == "dobj"] + \
        [g for c in clauses for p in c.children if p.dep_ == "prep" and p.lower_ == "with"
         for g in p.children if g.dep_ == "pobj"]


def as_read(reader: EventReader, cue: Cue, filled: Filled) -> Filled | None:
    return filled


def needs_two_parties(reader: EventReader, cue: Cue, filled: Filled) -> Filled | None:
    """It takes two to meet or to agree: one party named is no such event."""
    return filled if len(filled.participants) >= 2 else None


def settle_meeting(reader: EventReader, cue: Cue, filled: Filled) -> Filled | None:
    """A meeting needs two participants; one the story reports as done on its own day
    happened where it was filed."""
    if needs_two_parties(reader, cue, filled) is None:
        return None
    if filled.place is None and reader.dateline_place and not cue.quoted and reader.on_dateline_day(cue.trigger):
        return replace(filled, place=reader.dateline_place)
    return filled


def settle_visit(reader: EventReader, cue: Cue, filled: Filled) -> Filled | None:
    """A visit is someone's journey somewhere: its destination is its place, and the state
    of a capital or city it goes to is the counterpart when the text names none; a verb of
    travel that names no traveller or no destination is no visit."""
    agents, counterparts = filled.agents, filled.counterparts
    place = filled.place or reader.visit_destination(cue.trigger)
    if place:
        state = reader.index.capital_state(place) or reader.state_of(place)
        if not counterparts:
            counterparts = [c for c in (state or place,) if c not in agents]
    entities = reader.mentions.entities
    counterparts = [c for c in counterparts if entities.get(c) is None
                    or entities[c].kind != "City" or c != place] or counterparts
    if not agents or (cue.verbal and cue.trigger.dep_ != "amod" and not place and not counterparts):
        return None  # "police arrived": no one named, or a journey to nowhere named, is mere presence
    if cue.trigger.pos_ == "AUX" and not purpose_clauses(cue.trigger, reader.words.purpose_verbs):
        return None  # "is in Paris" is presence; "is in Paris to meet X" a visit
    return replace(filled, counterparts=counterparts, place=place)


def needs_counterpart(reader: EventReader, cue: Cue, filled: Filled) -> Filled | None:
    """Without an agent, a visit or proposal needs at least someone it concerns."""
    return filled if filled.agents or filled.counterparts else None


def settle_severance(reader: EventReader, cue: Cue, filled: Filled) -> Filled | None:
    """When the agent is one of the parties "between" whom ties were cut, the others are
    its counterparts; so are the other subjects that cut ties only with each other."""
    agent = filled.agents[0] if filled.agents else None
    theme = cue.theme
    if len(filled.agents) > 1 and not filled.counterparts and not filled.participants and theme is not None \
            and {theme.lower_, theme.lemma_.lower()} & reader.words.mutual_words:
        return replace(filled, counterparts=filled.agents[1:])  # "Ankara and Cairo restored ties": with each other
    if agent and agent in filled.participants:
        others = [p for p in filled.participants if p != agent]
        return replace(filled, participants=[], counterparts=filled.counterparts or others)
    return filled


@dataclass(frozen=True)
class ArgumentReader:
    """How one event class reads its arguments.

    `roles` picks the noun phrases; `settle` checks or completes the resolved frame.
    `has_theme`: the frame has a theme (the trigger's object or complement).
    `parties_on_theme`: "with"/"between" on the theme name parties too ("cut ties with X").
    `theme_nests`: triggers inside the theme belong to this frame, not frames of their own.
    `one_per_counterpart`: an event whose theme is the counterparts is one event per counterpart.
    `read_inside_themes`: read even inside another frame's theme ("proposed a meeting").
    `one_per_agent`: one event per agent ("X and Y flew to Z" is two journeys).
    """

    roles: Callable[[EventReader, Cue], Roles | None] = generic_roles
    settle: Callable[[EventReader, Cue, Filled], Filled | None] = as_read
    has_theme: bool = True
    parties_on_theme: bool = False
    theme_nests: bool = False
    one_per_counterpart: bool = False
    read_inside_themes: bool = False
    one_per_agent: bool = False


SEVERANCE = ArgumentReader(roles=severance_roles, settle=settle_severance, parties_on_theme=True,
                           theme_nests=True, one_per_counterpart=True)
ARGUMENT_READERS: dict[str, ArgumentReader] = {
    "Meeting": ArgumentReader(roles=meeting_roles, settle=settle_meeting, has_theme=False, read_inside_themes=True),
    "Visit": ArgumentReader(roles=visit_roles, settle=settle_visit, has_theme=False, read_inside_themes=True,
                            one_per_agent=True),
    "Proposal": ArgumentReader(roles=proposal_roles, settle=needs_counterpart, theme_nests=True),
    "Suspension": SEVERANCE,
    "Resumption": SEVERANCE,
    "Agreement": ArgumentReader(roles=party_roles, settle=needs_two_parties, parties_on_theme=True),
}
GENERIC = ArgumentReader()


def argument_reader(kind: str) -> ArgumentReader:
    """The entry for an event class, the generic one when it has none.

    >>> argument_reader("Meeting").has_theme, argument_reader("Recognition") is GENERIC
    (False, True)
    """
    return ARGUMENT_READERS.get(kind, GENERIC)

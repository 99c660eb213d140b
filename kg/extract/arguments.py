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
from kg.extract.triggers import advised_clause
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
    """Everyone who meets is a participant: the subject, whom it meets, those who hold
    the talks ("held talks with", "their meeting", "a meeting of the council")."""
    trigger = cue.trigger
    participants = [*cue.agents, *cue.with_objects, *cue.between]
    if cue.verbal:
        participants += objects(trigger)
    else:
        participants += reader.meeting_hosts(trigger)
        participants += [o for o in reader.prep_objects(trigger, ("of",))
                         if reader.mentions.entity_at(o) or o.lower_ in reader.words.group_nouns]
    return Roles(participants=tuple(participants))


def severance_roles(reader: EventReader, cue: Cue) -> Roles:
    """Who suspends or resumes ties acts; the other side is a counterpart ("with Israel",
    "suspended Zimbabwe", "Russian flights"), or both sides take part ("between India and
    Pakistan")."""
    counterparts = list(cue.with_objects)
    theme = cue.theme
    if theme is not None and theme.dep_ in ("dobj", "nsubjpass") and reader.mentions.entity_at(theme):
        counterparts.append(theme)
    elif theme is not None and not counterparts:
        counterparts = [c for c in theme.children if c.dep_ in ("compound", "nmod")
                        and reader.mentions.entity_at(c) and not c.ent_type_ == "NORP"]
    return Roles(agents=cue.agents, participants=cue.between, counterparts=tuple(counterparts), theme=theme)


def proposal_roles(reader: EventReader, cue: Cue) -> Roles | None:
    """Who proposes acts; whom it is made to ("to Mexico"), whom advice is for ("the
    council should ...") and who responds to it are the counterparts."""
    trigger, theme = cue.trigger, cue.theme
    counterparts = reader.prep_objects(trigger, ("to",)) + [c for c in trigger.children if c.dep_ == "dative"]
    if not cue.verbal and trigger.dep_ == "dobj" and trigger.head.lemma_.lower() in reader.words.light_verbs:
        counterparts += reader.prep_objects(trigger.head, ("to",))
    advice = triggers().clause_auxiliaries(trigger.lemma_.lower())
    advised = advised_clause(trigger, advice) if advice is not None else None
    if advised is not None:
        theme = advised
        addressees = [c for c in advised.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not reader.resolve(addressees, cue.context):
            return None  # "it should be safe ...": advice to no one is no proposal
        counterparts += addressees
    if not cue.verbal and trigger.dep_ == "pobj" and trigger.head.head.lemma_.lower() in reader.words.response_verbs:
        responder = reader.subject(trigger.head.head)
        if responder is not None:
            counterparts.append(responder)
    return Roles(agents=cue.agents, counterparts=tuple(counterparts), theme=theme)


def visit_roles(reader: EventReader, cue: Cue) -> Roles:
    """The visitor acts; what it visits is the counterpart."""
    return Roles(agents=cue.agents, counterparts=tuple(objects(cue.trigger)))


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
    """A visit goes somewhere: its destination is its place, and the state of a capital or
    city it goes to is the counterpart when the text names none."""
    agents, counterparts = filled.agents, filled.counterparts
    place = filled.place or reader.visit_destination(cue.trigger)
    if place:
        state = reader.index.capital_state(place) or reader.state_of(place)
        if not counterparts:
            counterparts = [c for c in (state or place,) if c not in agents]
    entities = reader.mentions.entities
    counterparts = [c for c in counterparts if entities.get(c) is None
                    or entities[c].kind != "City" or c != place] or counterparts
    return needs_counterpart(reader, cue, replace(filled, counterparts=counterparts, place=place))


def needs_counterpart(reader: EventReader, cue: Cue, filled: Filled) -> Filled | None:
    """Without an agent, a visit or proposal needs at least someone it concerns."""
    return filled if filled.agents or filled.counterparts else None


def settle_severance(reader: EventReader, cue: Cue, filled: Filled) -> Filled | None:
    """When the agent is one of the parties "between" whom ties were cut, the others are
    its counterparts."""
    agent = filled.agents[0] if filled.agents else None
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
    """

    roles: Callable[[EventReader, Cue], Roles | None] = generic_roles
    settle: Callable[[EventReader, Cue, Filled], Filled | None] = as_read
    has_theme: bool = True
    parties_on_theme: bool = False
    theme_nests: bool = False
    one_per_counterpart: bool = False
    read_inside_themes: bool = False


SEVERANCE = ArgumentReader(roles=severance_roles, settle=settle_severance, parties_on_theme=True,
                           theme_nests=True, one_per_counterpart=True)
ARGUMENT_READERS: dict[str, ArgumentReader] = {
    "Meeting": ArgumentReader(roles=meeting_roles, settle=settle_meeting, has_theme=False, read_inside_themes=True),
    "Visit": ArgumentReader(roles=visit_roles, settle=settle_visit, has_theme=False, read_inside_themes=True),
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

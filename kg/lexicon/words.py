"""The words extraction reads by: triggers, word lists and body nouns, from
`ontology/lexicon.ttl` (or the copy `KG_ONTOLOGY` names), read once per process.

Keeping them in Turtle lets a user teach extraction a word, or a trigger for a new event
class, without touching code; the rules that read them stay in `kg/extract`.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

import pyoxigraph as ox

from kg.errors import KgError
from kg.vocab import KG, KG_NS, RDF_TYPE, ontology_dir

LEXICON_FILE = "lexicon.ttl"
PARTS_OF_SPEECH = ("verb", "noun")
NOT_LISTS = ("body_nouns", "member_bodies")  # `Words` fields read from other descriptions
Subject = ox.NamedNode | ox.BlankNode


@dataclass(frozen=True)
class Trigger:
    """A word that opens an event frame, with what it needs to do so."""

    lemma: str
    kind: str
    verb: bool
    particle: str | None = None
    objects: frozenset[str] | None = None
    clause_auxiliaries: frozenset[str] | None = None
    relative_clause_suffices: bool = False
    party_object: bool = False


@dataclass(frozen=True)
class Triggers:
    """The triggers arranged for lookup: most tokens are no trigger, so `words` answers
    that first."""

    verbs: Mapping[str, tuple[Trigger, ...]]
    phrasal: Mapping[str, Mapping[str, str]]
    nouns: Mapping[str, str]
    words: frozenset[str]

    def clause_auxiliaries(self, lemma: str) -> frozenset[str] | None:
        """The auxiliaries that make a clause a verb reports count as advice, if the verb
        is a trigger only with such a clause."""
        for trigger in self.verbs.get(lemma, ()):
            if trigger.clause_auxiliaries is not None:
                return trigger.clause_auxiliaries
        return None


@dataclass(frozen=True)
class Words:
    """One field per named word list of the lexicon (`group_nouns` is `kg:groupNouns`),
    plus the nouns that refer back to bodies."""

    severable_words: frozenset[str]
    restriction_words: frozenset[str]
    advice_auxiliaries: frozenset[str]
    guest_words: frozenset[str]
    occasion_words: frozenset[str]
    sideline_nouns: frozenset[str]
    capital_nouns: frozenset[str]
    relational_words: frozenset[str]
    mutual_words: frozenset[str]
    meeting_verbs: frozenset[str]
    light_verbs: frozenset[str]
    response_verbs: frozenset[str]
    purpose_verbs: frozenset[str]
    theme_prepositions: frozenset[str]
    locative_prepositions: frozenset[str]
    destination_prepositions: frozenset[str]
    relative_pronouns: frozenset[str]
    cleft_pronouns: frozenset[str]
    negating_verbs: frozenset[str]
    negating_determiners: frozenset[str]
    planning_words: frozenset[str]
    planned_copulas: frozenset[str]
    future_auxiliaries: frozenset[str]
    attempting_words: frozenset[str]
    hypothetical_words: frozenset[str]
    hypothetical_nouns: frozenset[str]
    modal_auxiliaries: frozenset[str]
    reported_future_auxiliaries: frozenset[str]
    conditional_markers: frozenset[str]
    completed_prepositions: frozenset[str]
    honorifics: frozenset[str]
    role_qualifiers: frozenset[str]
    title_modifiers: frozenset[str]
    title_function_words: frozenset[str]
    state_role_words: frozenset[str]
    portfolio_words: frozenset[str]
    portfolio_titles: frozenset[str]
    title_prepositions: frozenset[str]
    name_tail_words: frozenset[str]
    facility_words: frozenset[str]
    place_nouns: frozenset[str]
    group_nouns: frozenset[str]
    government_nouns: frozenset[str]
    member_nouns: frozenset[str]
    state_nouns: frozenset[str]
    member_modifiers: frozenset[str]
    pair_nouns: frozenset[str]
    person_pronouns: frozenset[str]
    person_possessives: frozenset[str]
    body_pronouns: frozenset[str]
    plural_pronouns: frozenset[str]
    body_possessives: frozenset[str]
    plural_possessives: frozenset[str]
    first_person_pronouns: frozenset[str]
    articles: frozenset[str]
    speech_verbs: frozenset[str]
    anonymous_sources: frozenset[str]
    statement_nouns: frozenset[str]
    government_name_words: frozenset[str]
    council_name_words: frozenset[str]
    agency_name_words: frozenset[str]
    group_name_words: frozenset[str]
    body_nouns: Mapping[str, frozenset[str]]
    member_bodies: frozenset[str]


@dataclass(frozen=True)
class Lexicon:
    """Everything `lexicon.ttl` says, as extraction reads it."""

    triggers: Triggers
    words: Words


def list_name(field_name: str) -> str:
    """The local name of the word list a `Words` field holds.

    >>> list_name("group_nouns"), list_name("articles")
    ('groupNouns', 'articles')
    """
    first, *rest = field_name.split("_")
    return first + "".join(part.capitalize() for part in rest)


def local(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    """A `kg:` term's local name, any other term's value.

    >>> local(ox.NamedNode(KG_NS + "Meeting")), local(ox.Literal("meet"))
    ('Meeting', 'meet')
    """
    value = term.value
    return value[len(KG_NS):] if isinstance(term, ox.NamedNode) and value.startswith(KG_NS) else value


def descriptions(triples: Iterable[ox.Triple]) -> dict[Subject, dict[str, list]]:
    """Each subject's `kg:` properties (and its types, as "type") with their objects, in file order."""
    out: dict[Subject, dict[str, list]] = {}
    for triple in triples:
        predicate = triple.predicate
        if predicate == RDF_TYPE:
            name = "type"
        elif predicate.value.startswith(KG_NS):
            name = local(predicate)
        else:
            continue
        out.setdefault(triple.subject, {}).setdefault(name, []).append(triple.object)
    return out


def is_a(about: Mapping[str, list], kind: str) -> bool:
    """Whether a description types its subject with the `kg:` class `kind`."""
    return any(local(t) == kind for t in about.get("type", ()))


def read_trigger(about: Mapping[str, list], lists: Mapping[str, frozenset[str]]) -> Trigger:
    """One `kg:Trigger` description as a Trigger; a malformed one is the user's error to fix."""
    def one(name: str) -> str | None:
        values = about.get(name, [])
        return local(values[0]) if values else None

    lemma, kind, part = one("lemma"), one("evokes"), one("partOfSpeech")
    if not lemma or not kind or part not in PARTS_OF_SPEECH:
        raise KgError(f"{LEXICON_FILE}: a kg:Trigger needs kg:lemma, kg:evokes and kg:partOfSpeech "
                      f"\"verb\" or \"noun\" (lemma {lemma!r}, class {kind!r}, part of speech {part!r})")

    def word_list(name: str) -> frozenset[str] | None:
        wanted = one(name)
        if wanted is None:
            return None
        if wanted not in lists:
            raise KgError(f"{LEXICON_FILE}: the trigger {lemma!r} names kg:{wanted}, which is no kg:WordList")
        return lists[wanted]

    return Trigger(lemma=lemma.lower(), kind=kind, verb=part == "verb", particle=one("particle"),
                   objects=word_list("objectIn"), clause_auxiliaries=word_list("clauseAuxiliaryIn"),
                   relative_clause_suffices=one("relativeClauseSuffices") == "true",
                   party_object=one("partyObject") == "true")


def arrange(triggers: Iterable[Trigger]) -> Triggers:
    """Triggers by part of speech and lemma, phrasal verbs by their particle."""
    verbs: dict[str, list[Trigger]] = {}
    phrasal: dict[str, dict[str, str]] = {}
    nouns: dict[str, str] = {}
    for trigger in triggers:
        if not trigger.verb:
            nouns.setdefault(trigger.lemma, trigger.kind)
        elif trigger.particle:
            phrasal.setdefault(trigger.lemma, {}).setdefault(trigger.particle.lower(), trigger.kind)
        else:
            verbs.setdefault(trigger.lemma, []).append(trigger)
    return Triggers(verbs={k: tuple(v) for k, v in verbs.items()}, phrasal=phrasal, nouns=nouns,
                    words=frozenset({*verbs, *phrasal, *nouns}))


def read_words(described: Mapping[Subject, Mapping[str, list]], lists: Mapping[str, frozenset[str]]) -> Words:
    """The word lists `Words` names, each required, and the body nouns."""
    wanted = {f.name: list_name(f.name) for f in fields(Words) if f.name not in NOT_LISTS}
    missing = [name for name in wanted.values() if name not in lists]
    if missing:
        raise KgError(f"{LEXICON_FILE} lacks the word lists " + ", ".join(f"kg:{m}" for m in missing))
    body_nouns = {word.value.lower(): frozenset(local(k) for k in about.get("refersTo", ()))
                  for about in described.values() if is_a(about, "BodyNoun") for word in about.get("word", ())}
    members = described.get(ox.NamedNode(KG_NS + "memberNouns"), {})
    return Words(**{field: lists[name] for field, name in wanted.items()}, body_nouns=body_nouns,
                 member_bodies=frozenset(local(k) for k in members.get("refersTo", ())))


def read_lexicon(path: str) -> Lexicon:
    """The lexicon a Turtle file describes."""
    try:
        described = descriptions(ox.parse(path=path, format=ox.RdfFormat.TURTLE))
    except (OSError, SyntaxError) as exc:
        raise KgError(f"{LEXICON_FILE} could not be read: {exc}") from exc
    lists = {local(subject): frozenset(w.value.lower() for w in about.get("word", ()))
             for subject, about in described.items()
             if is_a(about, "WordList") and isinstance(subject, ox.NamedNode) and subject.value.startswith(KG_NS)}
    triggers = [read_trigger(about, lists) for about in described.values() if is_a(about, "Trigger")]
    # a lexicon ahead of its ontology: what kg.ttl does not declare could not be written
    declared = [t for t in triggers if t.kind in KG]
    return Lexicon(triggers=arrange(declared), words=read_words(described, lists))


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lexicon of the ontology folder in use, read once per process."""
    return read_lexicon(str(ontology_dir() / LEXICON_FILE))


def words() -> Words:
    """The word lists and body nouns."""
    return lexicon().words


def triggers() -> Triggers:
    """The triggers, arranged for lookup."""
    return lexicon().triggers

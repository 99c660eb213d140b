"""Counting: which found events support which reference events, story by story, and the
scores that follow for events, quotes, entities and positions."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import PurePath

from kg.evaluate.matching import (FoundEntity, FoundEvent, FoundPosition, Names, carries_quote, closeness,
                                  coarse_type, dates_agree, event_matches, holds_position)
from kg.evaluate.reference import (EVENT_TYPES, Reference, ReferenceDocument, ReferenceEvent,
                                   ReferenceQuote)
from kg.evaluate.report import (Counts, EntityScore, EvaluationReport, Mistake, PositionScore, Tally)

STATEMENT = "Statement"


@dataclass(frozen=True)
class Pairing:
    """A found event (by index) that matches a reference event (by index), and how closely."""

    closeness: float
    found: int
    wanted: int


@dataclass(frozen=True)
class DocumentScore:
    """Event scores of one story."""

    per_type: dict[str, Counts]
    dates: Tally
    places: Tally
    duplicates: int
    misses: tuple[Mistake, ...]
    false_positives: tuple[Mistake, ...]


def reference_document(file_name: str | None, names: list[str]) -> str | None:
    """The reference story a loaded file is: the same file name, or the same name without
    its extension.

    >>> reference_document("lee_005.txt", ["lee_00.txt", "lee_005.txt"]), reference_document("a.txt", ["a"])
    ('lee_005.txt', 'a')
    >>> reference_document("b.txt", ["a.txt"]) is None
    True
    """
    if not file_name:
        return None
    stem = PurePath(file_name).stem
    return next((name for name in names if name == file_name), None) or next(
        (name for name in names if PurePath(name).stem == stem or name == stem), None)


def events_by_document(found: list[FoundEvent], reference: Reference, kinds: tuple[str, ...]) -> dict[str, list[FoundEvent]]:
    """Found events of the given types, by the reference story they were read from."""
    names = [document.name for document in reference.documents]
    grouped: dict[str, list[FoundEvent]] = defaultdict(list)
    for event in found:
        document = reference_document(event.source, names)
        if document is not None and event.type in kinds:
            grouped[document].append(event)
    return grouped


def pairings(wanted: tuple[ReferenceEvent, ...], found: list[FoundEvent], names: Names) -> list[Pairing]:
    """Every matching (found, reference) pair, closest first (ties in reading order)."""
    pairs = [Pairing(closeness(event, candidate, names), n, i)
             for n, candidate in enumerate(found)
             for i, event in enumerate(wanted) if event_matches(event, candidate, names)]
    return sorted(pairs, key=lambda pair: -pair.closeness)


def supporting_events(pairs: list[Pairing], wanted: tuple[ReferenceEvent, ...]) -> tuple[dict[int, list[int]], int]:
    """Which found events support each reference event, and how many are duplicates.

    Each found event supports one reference event. Closest pairs go first, each required
    event taking one found event; what is left supports its closest match, costing nothing
    when it also matches an optional event and counting as a duplicate otherwise.
    """
    support: dict[int, list[int]] = defaultdict(list)
    used: set[int] = set()
    for pair in pairs:
        if pair.found not in used and pair.wanted not in support and not wanted[pair.wanted].optional:
            used.add(pair.found)
            support[pair.wanted].append(pair.found)
    duplicates = 0
    for pair in pairs:
        if pair.found in used:
            continue
        used.add(pair.found)
        if not any(wanted[other.wanted].optional for other in pairs if other.found == pair.found):
            duplicates += 1
        support[pair.wanted].append(pair.found)
    return support, duplicates


def score_document_events(document: ReferenceDocument, found: list[FoundEvent], names: Names) -> DocumentScore:
    counts: dict[str, Counts] = defaultdict(Counts)
    false_positives = []
    for candidate in found:
        if not any(event_matches(event, candidate, names) for event in document.events):
            counts[candidate.type] += Counts(fp=1)
            false_positives.append(found_mistake(document.name, candidate))
    support, duplicates = supporting_events(pairings(document.events, found, names), document.events)
    misses = []
    dates = places = Tally()
    for i, event in enumerate(document.events):
        if event.optional:
            continue
        if i not in support:
            counts[event.type] += Counts(fn=1)
            misses.append(missed_event(document.name, event))
            continue
        counts[event.type] += Counts(tp=1)
        supporters = [found[n] for n in support[i]]
        if event.date:
            dates += Tally(int(any(dates_agree(event.date, s.date) for s in supporters)), 1)
        if event.place:
            wanted_place = names.entity(event.place)
            places += Tally(int(any(names.entity(s.place) == wanted_place for s in supporters)), 1)
    return DocumentScore(dict(counts), dates, places, duplicates, tuple(misses), tuple(false_positives))


def found_mistake(document: str, event: FoundEvent, expected_speaker: str | None = None) -> Mistake:
    return Mistake(document, event.type, event.agent, event.participants,
                   (event.counterpart,) if event.counterpart else (), event.theme, event.negated,
                   event.evidence, expected_speaker)


def missed_event(document: str, event: ReferenceEvent) -> Mistake:
    return Mistake(document, event.type, event.agent, event.participants or event.parties,
                   event.counterparts, event.theme or None, event.negated)


def score_document_quotes(document: ReferenceDocument, statements: list[FoundEvent],
                          names: Names) -> tuple[Counts, list[Mistake], list[Mistake]]:
    """A quote is found when a statement carrying it names its speaker; each statement
    carrying it under another speaker is a false positive."""
    counts = Counts()
    misses, false_positives = [], []
    for quote in document.quotes:
        speaker = names.actor(quote.speaker)
        carrying = [s for s in statements if carries_quote(quote.text, s)]
        if any(names.actor(s.agent) == speaker for s in carrying):
            counts += Counts(tp=1)
        else:
            counts += Counts(fn=1)
            misses.append(missed_quote(document.name, quote))
        wrong = [s for s in carrying if s.agent and names.actor(s.agent) != speaker]
        counts += Counts(fp=len(wrong))
        false_positives += [found_mistake(document.name, s, quote.speaker) for s in wrong]
    return counts, misses, false_positives


def missed_quote(document: str, quote: ReferenceQuote) -> Mistake:
    return Mistake(document, STATEMENT, quote.speaker, text=quote.text)


def score_entities(reference: Reference, found: list[FoundEntity], names: Names) -> EntityScore:
    """Recall of the entities the stories name, those split over several IRIs, and those
    whose class is of the right coarse type."""
    declared = {entity.name: entity.type for entity in reference.entities}
    iris: dict[str, set[str]] = defaultdict(set)
    types: dict[str, set[str]] = defaultdict(set)
    for entity in found:
        name = names.entity(entity.label)
        if name in declared:
            iris[name].add(entity.entity)
            types[name].add(coarse_type(entity.type))
    wanted = sorted({name for document in reference.documents for name in document.entities})
    present = [name for name in wanted if name in iris]
    typed = [name for name in present if declared[name] in types[name]]
    return EntityScore(Tally(len(present), len(wanted)), tuple(name for name in wanted if name not in iris),
                       tuple(name for name in present if len(iris[name]) > 1), Tally(len(typed), len(present)),
                       tuple((name, tuple(sorted(types[name]))) for name in present if name not in typed))


def score_positions(reference: Reference, found: list[FoundPosition], names: Names) -> PositionScore:
    held = [any(holds_position(p, f, names) for f in found) for p in reference.positions]
    return PositionScore(Tally(sum(held), len(held)),
                         tuple(p for p, ok in zip(reference.positions, held) if not ok))


def score(reference: Reference, events: list[FoundEvent], entities: list[FoundEntity],
          positions: list[FoundPosition]) -> EvaluationReport:
    """Everything kg found, scored against the reference."""
    names = Names.of(reference)
    scored = events_by_document(events, reference, EVENT_TYPES)
    statements = events_by_document(events, reference, (STATEMENT,))
    per_type: dict[str, Counts] = {kind: Counts() for kind in (*EVENT_TYPES, STATEMENT)}
    dates = places = Tally()
    duplicates = 0
    misses: list[Mistake] = []
    false_positives: list[Mistake] = []
    for document in reference.documents:
        result = score_document_events(document, scored.get(document.name, []), names)
        for kind, counts in result.per_type.items():
            per_type[kind] += counts
        dates += result.dates
        places += result.places
        duplicates += result.duplicates
        misses += result.misses
        false_positives += result.false_positives
    for document in reference.documents:
        counts, missed, wrong = score_document_quotes(document, statements.get(document.name, []), names)
        per_type[STATEMENT] += counts
        misses += missed
        false_positives += wrong
    micro = sum(per_type.values(), Counts())
    return EvaluationReport(tuple(per_type.items()), micro, dates, places, duplicates,
                            score_entities(reference, entities, names), score_positions(reference, positions, names),
                            tuple(misses), tuple(false_positives))

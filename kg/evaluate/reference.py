"""The hand-annotated reference `kg evaluate` scores against: read once, checked whole.

A mistake in a reference file would silently lower every score it gives, so reading
refuses a file that breaks the format, naming the file and the first problem on one line.
The format is documented in README.md ("The reference format").
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import ReferenceInvalid

EVENT_TYPES = ("Meeting", "Visit", "Proposal", "Suspension", "Resumption")
ENTITY_TYPES = ("Person", "Organization", "Location")
NOTE = "about"  # a free-text note allowed beside the data at the top and among the metonyms


@dataclass(frozen=True)
class ReferenceEntity:
    name: str
    type: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReferenceEvent:
    """One event a story reports; `participants` for a meeting, `agent` (or, when the text
    names none, `parties`) for the others; `counterparts` lists every acceptable addressee."""

    type: str
    participants: tuple[str, ...] = ()
    agent: str | None = None
    parties: tuple[str, ...] = ()
    counterparts: tuple[str, ...] = ()
    theme: str = ""
    negated: bool = False
    date: str | None = None
    place: str | None = None
    optional: bool = False


@dataclass(frozen=True)
class ReferenceQuote:
    speaker: str
    text: str


@dataclass(frozen=True)
class ReferencePosition:
    person: str
    role: str
    of: str | None


@dataclass(frozen=True)
class ReferenceDocument:
    name: str
    entities: tuple[str, ...] = ()
    events: tuple[ReferenceEvent, ...] = ()
    quotes: tuple[ReferenceQuote, ...] = ()


@dataclass(frozen=True)
class Reference:
    """Entities by canonical name with their aliases, the names that stand for another
    entity when it acts (a capital for its state), offices, and what each story reports."""

    entities: tuple[ReferenceEntity, ...]
    metonyms: tuple[tuple[str, str], ...]
    positions: tuple[ReferencePosition, ...]
    documents: tuple[ReferenceDocument, ...]


def read_reference(path: str | Path) -> Reference:
    """The reference in a JSON file, checked: every name it uses is a declared entity."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReferenceInvalid(f"cannot read reference {path}: {getattr(exc, 'strerror', None) or exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReferenceInvalid(f"{path}: not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from exc
    try:
        reference = reference_from_json(data)
        check_names(reference)
    except ValueError as exc:
        raise ReferenceInvalid(f"{path}: {exc}") from exc
    return reference


def reference_from_json(data: Any) -> Reference:
    """The reference a parsed JSON object describes; ValueError names what is wrong.

    >>> reference_from_json({"entities": {}, "documents": {"a.txt": {}}}).documents
    (ReferenceDocument(name='a.txt', entities=(), events=(), quotes=()),)
    >>> reference_from_json({"entities": {}})
    Traceback (most recent call last):
    ValueError: missing key 'documents'
    """
    data = mapping(data, "the reference")
    return Reference(
        tuple(entity_from_json(name, value) for name, value in mapping(required(data, "entities"), "entities").items()),
        tuple((name, text(value, f"metonym {name!r}"))
              for name, value in mapping(data.get("metonyms", {}), "metonyms").items() if name != NOTE),
        tuple(position_from_json(item) for item in sequence(data.get("positions", []), "positions")),
        tuple(document_from_json(name, value) for name, value in mapping(required(data, "documents"), "documents").items()))


def entity_from_json(name: str, data: Any) -> ReferenceEntity:
    where = f"entity {name!r}"
    data = mapping(data, where)
    kind = text(required(data, "type", where), f"{where} type")
    if kind not in ENTITY_TYPES:
        raise ValueError(f"{where} has type {kind!r}, not one of {', '.join(ENTITY_TYPES)}")
    return ReferenceEntity(name, kind, names(data.get("aliases", []), f"{where} aliases"))


def position_from_json(data: Any) -> ReferencePosition:
    data = mapping(data, "a position")
    person = text(required(data, "person", "a position"), "position person")
    where = f"the position of {person!r}"
    of = data.get("of")
    return ReferencePosition(person, text(required(data, "role", where), f"{where} role"),
                             None if of is None else text(of, f"{where} 'of'"))


def document_from_json(name: str, data: Any) -> ReferenceDocument:
    where = f"document {name!r}"
    data = mapping(data, where)
    return ReferenceDocument(
        name, names(data.get("entities", []), f"{where} entities"),
        tuple(event_from_json(item, f"{where} event {n + 1}")
              for n, item in enumerate(sequence(data.get("events", []), f"{where} events"))),
        tuple(quote_from_json(item, f"{where} quote {n + 1}")
              for n, item in enumerate(sequence(data.get("quotes", []), f"{where} quotes"))))


def event_from_json(data: Any, where: str) -> ReferenceEvent:
    data = mapping(data, where)
    kind = text(required(data, "type", where), f"{where} type")
    if kind not in EVENT_TYPES:
        raise ValueError(f"{where} has type {kind!r}, not one of {', '.join(EVENT_TYPES)}")
    if kind == "Meeting":
        required(data, "participants", where)
    agent = data.get("agent")
    return ReferenceEvent(
        kind,
        participants=names(data.get("participants", []), f"{where} participants"),
        agent=None if agent is None else text(agent, f"{where} agent"),
        parties=names(data.get("parties", []), f"{where} parties"),
        counterparts=names(data.get("counterpart", []), f"{where} counterpart"),
        theme=text(data.get("theme") or "", f"{where} theme"),
        negated=flag(data.get("negated", False), f"{where} negated"),
        date=optional_text(data.get("date"), f"{where} date"),
        place=optional_text(data.get("place"), f"{where} place"),
        optional=flag(data.get("optional", False), f"{where} optional"))


def quote_from_json(data: Any, where: str) -> ReferenceQuote:
    data = mapping(data, where)
    return ReferenceQuote(text(required(data, "speaker", where), f"{where} speaker"),
                          text(required(data, "text", where), f"{where} text"))


def check_names(reference: Reference) -> None:
    """Every name used anywhere is a key of `entities`: a misspelt name could never match."""
    declared = {entity.name for entity in reference.entities}
    for name, where in used_names(reference):
        if name not in declared:
            raise ValueError(f"{where} names {name!r}, which is not declared in 'entities'")


def used_names(reference: Reference) -> list[tuple[str, str]]:
    """Each entity name the reference uses, with where it uses it."""
    used = [(name, "metonyms") for pair in reference.metonyms for name in pair]
    used += [(name, f"the position of {p.person!r}") for p in reference.positions for name in (p.person, p.of) if name]
    for document in reference.documents:
        where = f"document {document.name!r}"
        used += [(name, where) for name in document.entities]
        for event in document.events:
            actors = (*event.participants, event.agent, *event.parties, *event.counterparts, event.place)
            used += [(name, f"{where} ({event.type})") for name in actors if name]
        used += [(quote.speaker, f"{where} (quote)") for quote in document.quotes]
    return used


def required(data: dict, key: str, where: str = "the reference") -> Any:
    if key not in data:
        raise ValueError(f"missing key {key!r}" + ("" if where == "the reference" else f" in {where}"))
    return data[key]


def mapping(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f"{where} must be a JSON object")
    return value


def sequence(value: Any, where: str) -> list:
    if not isinstance(value, list):
        raise ValueError(f"{where} must be a JSON list")
    return value


def text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{where} must be a string")
    return value


def optional_text(value: Any, where: str) -> str | None:
    return None if value is None else text(value, where)


def flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{where} must be true or false")
    return value


def names(value: Any, where: str) -> tuple[str, ...]:
    """A list of names; one name alone stands for a list of one.

    >>> names("Russia", "x"), names(["Russia", "NATO"], "x")
    (('Russia',), ('Russia', 'NATO'))
    """
    if isinstance(value, str):
        return (value,)
    return tuple(text(item, where) for item in sequence(value, where))

"""The records the pipeline stages hand to each other.

All are frozen, so a stage can never change what an earlier one produced, and all are
plain data, so they cross process boundaries when extraction runs in parallel.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """A cleaned article, ready for the model.

    `text` keeps the decoded characters at their original offsets: page furniture is
    blanked with spaces rather than cut out, so every offset points into the file as read.
    """

    doc_id: str
    file_name: str
    text: str
    content_hash: str
    published: str | None = None
    publisher: str | None = None
    url: str | None = None
    headline: str | None = None
    dateline: str | None = None
    dateline_place: str | None = None


@dataclass(frozen=True)
class Entity:
    """One real-world thing, with the key its IRI is made from."""

    key: str
    label: str
    kind: str
    wikidata: str | None = None
    forms: tuple[str, ...] = ()  # the names the text used for it, as written, in order of first use


@dataclass(frozen=True)
class Event:
    """One frame read from one sentence; actors are entity keys."""

    kind: str
    trigger: str
    sentence: str
    start: int
    end: int
    agent: str | None = None
    participants: tuple[str, ...] = ()
    counterparts: tuple[str, ...] = ()
    theme: str | None = None
    quote: str | None = None
    date: str | None = None
    place: str | None = None
    negated: bool = False
    modality: str = "Asserted"
    rule: str = ""  # how it was read, for `kg extract --explain`
    according_to: str | None = None  # the entity the text reports the event from
    anonymous_source: str | None = None  # or the unnamed source it cites: "sources", "diplomats"


@dataclass(frozen=True)
class Position:
    """An office the text says a person holds."""

    person: str
    role: str
    of: str | None
    sentence: str
    start: int
    end: int
    role_key: str | None = None
    attested: str | None = None  # the date of the document that states it


@dataclass(frozen=True)
class Rejection:
    """A trigger or a quotation that did not become an event, and why: what `kg extract
    --explain` shows, so that a miss can be traced to the rule that made it."""

    kind: str
    trigger: str
    sentence: str
    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class Extraction:
    """Everything read from one document, and what was read but not kept."""

    document: Document
    entities: tuple[Entity, ...] = ()
    events: tuple[Event, ...] = ()
    positions: tuple[Position, ...] = field(default_factory=tuple)
    rejections: tuple[Rejection, ...] = ()
    outlet: str | None = None  # the entity that published the document


@dataclass(frozen=True)
class DocumentQuads:
    """One document extracted and written out as N-Quads: what the store writer needs and
    nothing more (not the text, which would only cross the process boundary again). A
    document whose extraction failed carries the reason instead of quads."""

    file_name: str
    content_hash: str
    graph: str
    nquads: bytes = b""
    entities: tuple[str, ...] = ()
    events: int = 0
    error: str | None = None

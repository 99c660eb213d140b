"""Records to quads: one named graph per document, deterministic IRIs, no I/O.

Every fact is written twice, as Wikidata does: a direct ("truthy") triple for easy queries
(`ent:sergey-lavrov kg:metWith ent:frank-walter-steinmeier`), written only for asserted,
non-negated events, and an event node that carries the detail and the provenance.
"""
from __future__ import annotations

import functools
import hashlib
import itertools
import re
from urllib.parse import quote

import pyoxigraph as ox

from kg.vocab import DOC_NS, ENT_NS, EVENT_NS, KG, POS_NS, RDF_TYPE, ROLE_NS, XSD, shortcuts
from kg.records import Entity, Event, Extraction, Position

XSD_BOOLEAN = ox.NamedNode(XSD + "boolean")
XSD_INTEGER = ox.NamedNode(XSD + "integer")
XSD_DATETIME = ox.NamedNode(XSD + "dateTime")
SKOS_PREF = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
SOURCE_NS = "https://w3id.org/kg-news/source/"


def document_iri(doc_id: str) -> ox.NamedNode:
    """The IRI of a document, which is also the name of its graph.

    >>> document_iri("000_b46f").value
    'https://w3id.org/kg-news/doc/000_b46f'
    """
    return ox.NamedNode(DOC_NS + doc_id)


def entity_iri(key: str) -> ox.NamedNode:
    return ox.NamedNode(ENT_NS + key)


def event_iri(doc_id: str, event: Event) -> ox.NamedNode:
    """An IRI from the document and what the event is, so a reload mints the same one."""
    basis = "|".join(map(str, (event.kind, event.start, event.end, event.trigger, event.agent,
                               event.participants, event.counterparts, event.theme)))
    return ox.NamedNode(f"{EVENT_NS}{doc_id}-{hashlib.sha1(basis.encode()).hexdigest()[:12]}")


def anonymous_source_iri(doc_id: str, description: str) -> ox.NamedNode:
    """An unnamed source is one per document and description: "officials" in two stories
    need not be the same people.

    >>> anonymous_source_iri("004_9a54", "diplomatic sources").value
    'https://w3id.org/kg-news/source/004_9a54/diplomatic-sources'
    """
    local = re.sub(r"[^\w]+", "-", description.lower()).strip("-") or "source"
    return ox.NamedNode(f"{SOURCE_NS}{doc_id}/{quote(local)}")


def position_iri(position: Position) -> ox.NamedNode:
    basis = "|".join((position.person, position.role.lower(), position.of or ""))
    return ox.NamedNode(POS_NS + hashlib.sha1(basis.encode()).hexdigest()[:16])


@functools.lru_cache(maxsize=4096)
def date_literal(value: str) -> ox.Literal:
    """The XSD type a full or partial date needs.

    >>> [date_literal(v).datatype.value.rsplit("#")[1] for v in ("2015-05-07", "--05-07", "2008-08", "--06", "2014")]
    ['date', 'gMonthDay', 'gYearMonth', 'gMonth', 'gYear']
    """
    if value.startswith("--"):
        kind = "gMonthDay" if len(value) == 7 else "gMonth"
    elif len(value) == 10:
        kind = "date"
    elif len(value) == 7:
        kind = "gYearMonth"
    else:
        kind = "gYear"
    return ox.Literal(value, datatype=ox.NamedNode(XSD + kind))


def text(value: str) -> ox.Literal:
    return ox.Literal(value)


def label(value: str) -> ox.Literal:
    return ox.Literal(value, language="en")


def document_quads(extraction: Extraction, loaded_at: str, version: str) -> list[ox.Quad]:
    """All quads of one document, in its own named graph."""
    document = extraction.document
    graph = document_iri(document.doc_id)
    triples: list[tuple] = []
    add = triples.append
    add((graph, RDF_TYPE, KG.Document))
    add((graph, KG.fileName, text(document.file_name)))
    add((graph, KG.contentHash, text(document.content_hash)))
    add((graph, KG.loadedAt, ox.Literal(loaded_at, datatype=XSD_DATETIME)))
    add((graph, KG.extractorVersion, text(version)))
    if document.published:
        add((graph, KG.published, date_literal(document.published)))
    for field, predicate in (("publisher", KG.publisher), ("headline", KG.headline), ("dateline", KG.dateline)):
        if getattr(document, field):
            add((graph, predicate, text(getattr(document, field))))
    if document.url:
        try:
            add((graph, KG.url, ox.NamedNode(document.url)))
        except ValueError:
            pass
    if extraction.outlet:
        add((graph, KG.outlet, entity_iri(extraction.outlet)))
    for entity in extraction.entities:
        triples += mention_triples(graph, entity)
    for event in extraction.events:
        triples += event_triples(document.doc_id, graph, event)
    for position in extraction.positions:
        triples += position_triples(graph, position)
    return [ox.Quad(s, p, o, graph) for s, p, o in dict.fromkeys(triples)]


def mention_iri(graph: ox.NamedNode, entity_key: str) -> ox.NamedNode:
    """The IRI of a document's mention record of one entity: the document's, with the
    entity's key as its fragment.

    >>> mention_iri(document_iri("000_b46f"), "nato").value
    'https://w3id.org/kg-news/doc/000_b46f#nato'
    """
    return ox.NamedNode(f"{graph.value}#{entity_key}")


def mention_triples(graph: ox.NamedNode, entity: Entity) -> list[tuple]:
    """What a document says about an entity it names: that it names it, and a mention
    record with the names it used, the name it prefers and the class it reads. Labels and
    types live in the entities graph, derived from these records (`kg.derived.entities`),
    so no two documents repeat a statement about the same entity."""
    node, record = entity_iri(entity.key), mention_iri(graph, entity.key)
    return [(node, KG.mentionedIn, graph), (record, RDF_TYPE, KG.EntityMention), (record, KG.entity, node),
            (record, KG.preferredName, label(entity.label)), (record, KG.entityClass, KG[entity.kind]),
            *((record, KG.surfaceForm, label(form)) for form in entity.forms)]


def event_triples(doc_id: str, graph: ox.NamedNode, event: Event) -> list[tuple]:
    node = event_iri(doc_id, event)
    out = [(node, RDF_TYPE, KG[event.kind]), (node, KG.source, graph),
           (node, KG.evidence, text(event.sentence)), (node, KG.trigger, text(event.trigger)),
           (node, KG.charStart, ox.Literal(str(event.start), datatype=XSD_INTEGER)),
           (node, KG.charEnd, ox.Literal(str(event.end), datatype=XSD_INTEGER)),
           (node, KG.negated, ox.Literal("true" if event.negated else "false", datatype=XSD_BOOLEAN)),
           (node, KG.modality, KG[event.modality])]
    if event.agent:
        out.append((node, KG.agent, entity_iri(event.agent)))
    out += [(node, KG.participant, entity_iri(p)) for p in event.participants]
    out += [(node, KG.counterpart, entity_iri(c)) for c in event.counterparts]
    if event.theme:
        out.append((node, KG.theme, text(event.theme)))
    if event.quote:
        out.append((node, KG.quote, text(event.quote)))
    if event.date:
        out.append((node, KG.date, date_literal(event.date)))
    if event.place:
        out.append((node, KG.place, entity_iri(event.place)))
    out += source_triples(doc_id, node, event)
    if not event.negated and event.modality == "Asserted":
        out += shortcut_triples(event)
    return out


def source_triples(doc_id: str, node: ox.NamedNode, event: Event) -> list[tuple]:
    """Who the text reports the event from: an entity, or an unnamed source of its own kind."""
    if event.according_to:
        return [(node, KG.accordingTo, entity_iri(event.according_to))]
    if event.anonymous_source:
        source = anonymous_source_iri(doc_id, event.anonymous_source)
        return [(node, KG.accordingTo, source), (source, RDF_TYPE, KG.AnonymousSource),
                (source, SKOS_PREF, label(event.anonymous_source))]
    return []


def shortcut_triples(event: Event) -> list[tuple]:
    """The direct triples an asserted, non-negated event licenses, formed as its class's
    kg:shortcut, kg:shortcutFrom, kg:shortcutTo and kg:shortcutOtherwiseTo in the ontology say."""
    shortcut = shortcuts().get(event.kind)
    if shortcut is None:
        return []
    subjects = slot_terms(event, shortcut.source)
    target = next((t for t in shortcut.targets if slot_terms(event, t)), None)
    if target is None:
        return []
    predicate = KG[shortcut.predicate]
    if target == shortcut.source:
        return [(a, predicate, b) for a, b in itertools.permutations(subjects, 2)]
    return [(s, predicate, o) for s in subjects for o in slot_terms(event, target)]


SLOTS = {  # event property: the record field that holds its values, and how a value becomes a term
    "agent": ("agent", entity_iri), "participant": ("participants", entity_iri),
    "counterpart": ("counterparts", entity_iri), "place": ("place", entity_iri),
    "theme": ("theme", text), "quote": ("quote", text),
}


def slot_terms(event: Event, prop: str) -> list:
    """The terms an event has for one of its properties, named by local name.

    >>> [t.value for t in slot_terms(Event("Meeting", "met", "", 0, 1, participants=("a", "b")), "participant")]
    ['https://w3id.org/kg-news/entity/a', 'https://w3id.org/kg-news/entity/b']
    >>> slot_terms(Event("Proposal", "proposed", "", 0, 1, theme=""), "theme")
    []
    """
    field, term = SLOTS[prop]
    value = getattr(event, field)
    return [term(v) for v in (value if isinstance(value, tuple) else (value,)) if v]


def position_triples(graph: ox.NamedNode, position: Position) -> list[tuple]:
    node = position_iri(position)
    person = entity_iri(position.person)
    out = [(node, RDF_TYPE, KG.Position), (node, KG.holder, person), (person, KG.holdsPosition, node),
           (node, KG.role, text(position.role)), (node, KG.source, graph),
           (node, KG.evidence, text(position.sentence))]
    if position.of:
        out.append((node, KG.ofOrganization, entity_iri(position.of)))
    if position.role_key and position.role_key != "counterpart":
        out.append((node, KG.roleConcept, ox.NamedNode(ROLE_NS + position.role_key)))
    if position.attested:
        out.append((node, KG.attestedOn, date_literal(position.attested)))
    return out

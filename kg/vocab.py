"""The ontology as Python sees it: a closed vocabulary read from `ontology/*.ttl`.

The Turtle files are the single source of IRIs, labels and classes. `KG.Meeting` resolves
only if `kg:Meeting` is declared in `kg.ttl`, so a misspelt term fails when the module
that uses it is imported, not when a user's query silently returns nothing.
"""
from __future__ import annotations

import functools
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox

KG_NS = "https://w3id.org/kg-news/ontology#"
ENT_NS = "https://w3id.org/kg-news/entity/"
EVENT_NS = "https://w3id.org/kg-news/event/"
DOC_NS = "https://w3id.org/kg-news/doc/"
POS_NS = "https://w3id.org/kg-news/position/"
ROLE_NS = "https://w3id.org/kg-news/role/"
GRAPH_NS = "https://w3id.org/kg-news/graph/"
ONTOLOGY_GRAPH = GRAPH_NS + "ontology"
ENTITIES_GRAPH = GRAPH_NS + "entities"  # each entity's description, derived from the documents
HAPPENINGS_GRAPH = GRAPH_NS + "happenings"  # one node per real-world happening, derived from the documents

PREFIXES: dict[str, str] = {
    "kg": KG_NS,
    "ent": ENT_NS,
    "ev": EVENT_NS,
    "doc": DOC_NS,
    "pos": POS_NS,
    "role": ROLE_NS,
    "kgg": GRAPH_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "https://schema.org/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "wd": "http://www.wikidata.org/entity/",
    "sh": "http://www.w3.org/ns/shacl#",
}

RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
SKOS_PREF = ox.NamedNode(PREFIXES["skos"] + "prefLabel")
SKOS_ALT = ox.NamedNode(PREFIXES["skos"] + "altLabel")
XSD = PREFIXES["xsd"]


def data_folder(name: str) -> Path:
    """A folder of the project's data (`ontology` or `queries`): inside the package once
    installed, beside it in a checkout. Found from this file, never from the current
    directory or the import system, so worker processes that import kg from another place
    still find it.

    >>> data_folder("ontology").joinpath("kg.ttl").is_file()
    True
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / name, here.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"kg's {name} folder is missing beside {here}")


def ontology_dir() -> Path:
    """Where the Turtle files live: `KG_ONTOLOGY` names another folder of them (a copy
    with classes or words of your own), else kg's own."""
    import os

    override = os.environ.get("KG_ONTOLOGY")
    return Path(override) if override else data_folder("ontology")


def ontology_files() -> list[Path]:
    """The files that make up the ontology graph: the ontology, its roles and gazetteer."""
    folder = ontology_dir()
    return [p for p in (folder / n for n in ("kg.ttl", "roles.ttl", "gazetteer.ttl")) if p.exists()]


def shapes_file() -> Path:
    """The SHACL shapes events are validated against."""
    return ontology_dir() / "shapes.ttl"


ONTOLOGY_GRAPH_LAYOUT = b"2: gazetteer entities described in the entities graph only"


@functools.lru_cache(maxsize=None)
def ontology_fingerprint() -> str:
    """A hash of the ontology files and of the way the ontology graph is built from them, so
    a store knows when its ontology graph is stale."""
    import hashlib

    digest = hashlib.sha256(ONTOLOGY_GRAPH_LAYOUT)
    for path in ontology_files():
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _declared_terms(path: Path) -> frozenset[str]:
    """Local names of every `kg:` term that is the subject of a triple in `path`."""
    names = set()
    for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        subject = triple.subject
        if isinstance(subject, ox.NamedNode) and subject.value.startswith(KG_NS):
            names.add(subject.value[len(KG_NS):])
    return frozenset(names)


class Vocabulary:
    """A namespace that only knows the terms its Turtle file declares.

    >>> KG.Meeting.value
    'https://w3id.org/kg-news/ontology#Meeting'
    >>> KG.Meetnig
    Traceback (most recent call last):
    ...
    AttributeError: kg:Meetnig is not declared in ontology/kg.ttl
    """

    def __init__(self, namespace: str, terms: frozenset[str], source: str):
        self._namespace = namespace
        self._terms = terms
        self._source = source

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("_") or name not in self._terms:
            raise AttributeError(f"kg:{name} is not declared in {self._source}")
        node = ox.NamedNode(self._namespace + name)
        setattr(self, name, node)  # later lookups find the attribute without coming here
        return node

    def __getitem__(self, name: str) -> ox.NamedNode:
        return getattr(self, name)

    def __contains__(self, name: str) -> bool:
        return name in self._terms

    @property
    def terms(self) -> frozenset[str]:
        return self._terms


KG = Vocabulary(KG_NS, _declared_terms(ontology_dir() / "kg.ttl"), "ontology/kg.ttl")

MODALITIES = ("Asserted", "Planned", "Attempted", "Conditional", "Hypothetical")
_ = [KG[name] for name in ("Event", "Entity", "EventRole", "EntityGroup") + MODALITIES]  # fail at import on a typo

RDFS_SUBCLASS = ox.NamedNode(PREFIXES["rdfs"] + "subClassOf")
RDFS_LABEL = ox.NamedNode(PREFIXES["rdfs"] + "label")
SKOS_NOTATION = ox.NamedNode(PREFIXES["skos"] + "notation")


# ---------------------------------------------------------------- what the ontology says about its classes
# Read on first use, not at import: `kg query` never needs them.

@functools.lru_cache(maxsize=None)
def ontology_graph() -> ox.Store:
    """`kg.ttl` in memory, read once per process on first use. It is the file `KG` takes its
    terms from, so every class and role below resolves in `KG`."""
    graph = ox.Store()
    graph.load(path=str(ontology_dir() / "kg.ttl"), format=ox.RdfFormat.TURTLE)
    return graph


@dataclass(frozen=True)
class Shortcut:
    """How an asserted, non-negated event yields direct triples: `predicate` from each value
    of the event property `source` to each value of the first of `targets` the event has
    (kg:shortcutTo, then kg:shortcutOtherwiseTo); when that target is `source` itself, every
    pair of its values is linked, both ways.
    Properties are named by their local names (`agent`, `participant`, `theme`)."""

    predicate: str
    source: str
    targets: tuple[str, ...]


@dataclass(frozen=True)
class EventClass:
    """A subclass of kg:Event, as pictures and the loader use it."""

    name: str
    label: str
    colour: str
    cameo: str | None
    shortcut: Shortcut | None


@dataclass(frozen=True)
class Role:
    """An event role property (agent, participant, counterpart, place) and how its links are drawn."""

    name: str
    label: str
    colour: str
    line: str


@dataclass(frozen=True)
class EntityGroup:
    """A group of entity classes pictures draw in one colour and shape."""

    name: str
    label: str
    colour: str
    shape: str


@dataclass(frozen=True)
class EntityClass:
    """A subclass of kg:Entity and the picture group its entities are drawn in."""

    name: str
    label: str
    group: str


def _objects(subject: ox.NamedNode, predicate: ox.NamedNode) -> list:
    return [quad.object for quad in ontology_graph().quads_for_pattern(subject, predicate, None)]


def _value(subject: ox.NamedNode, predicate: ox.NamedNode) -> str | None:
    """One value of a property, the smallest if there are several, so the answer is stable."""
    values = sorted(term.value for term in _objects(subject, predicate))
    return values[0] if values else None


def _local(node: ox.NamedNode) -> str:
    return node.value[len(KG_NS):] if node.value.startswith(KG_NS) else node.value


def _subclasses(root: ox.NamedNode) -> list[ox.NamedNode]:
    """Every `kg:` class below `root`, however deep, sorted by name."""
    rows = ontology_graph().query(f"SELECT DISTINCT ?c WHERE {{ ?c rdfs:subClassOf+ {root} }}", prefixes=PREFIXES)
    return sorted((row["c"] for row in rows if row["c"].value.startswith(KG_NS)), key=lambda c: c.value)


def _inherited(cls: ox.NamedNode, predicate: ox.NamedNode) -> str | None:
    """The value of an annotation on a class or, failing that, on its nearest superclass."""
    seen, level = set(), [cls]
    while level:
        for node in level:
            value = _value(node, predicate)
            if value is not None:
                return value
        seen.update(level)
        level = sorted({s for node in level for s in _objects(node, RDFS_SUBCLASS)
                        if isinstance(s, ox.NamedNode) and s not in seen}, key=lambda s: s.value)
    return None


def _label(node: ox.NamedNode) -> str:
    return _value(node, RDFS_LABEL) or _local(node)


def _shortcut(cls: ox.NamedNode) -> Shortcut | None:
    predicate, source = _objects(cls, KG.shortcut), _objects(cls, KG.shortcutFrom)
    if not predicate or not source:
        return None
    targets = _objects(cls, KG.shortcutTo) + _objects(cls, KG.shortcutOtherwiseTo)
    return Shortcut(_local(predicate[0]), _local(source[0]), tuple(_local(t) for t in targets))


def with_subclasses(iri: str) -> tuple[str, ...]:
    """A class and every `kg:` class below it, as IRIs: what SHACL counts as instances of a
    class when the data names only the most specific one.

    >>> len(with_subclasses(KG_NS + "Event")) == len(event_classes()) + 1
    True
    """
    return (iri, *(c.value for c in _subclasses(ox.NamedNode(iri))))


@functools.lru_cache(maxsize=None)
def event_classes() -> tuple[EventClass, ...]:
    """Every subclass of kg:Event, sorted by name.

    >>> next(c for c in event_classes() if c.name == "Meeting").shortcut
    Shortcut(predicate='metWith', source='participant', targets=('participant',))
    """
    return tuple(EventClass(_local(c), _label(c), _inherited(c, KG.colour), _value(c, KG.cameoCode), _shortcut(c))
                 for c in _subclasses(KG.Event))


def event_class_names() -> tuple[str, ...]:
    """The event classes' names, which `Event.kind` takes.

    >>> event_class_names()[:3]
    ('Accusation', 'Agreement', 'Meeting')
    """
    return tuple(c.name for c in event_classes())


@functools.lru_cache(maxsize=None)
def event_colours() -> dict[str, str]:
    """The colour of each event class, and of kg:Event for an event of no known class.

    >>> event_colours()["Meeting"], event_colours()["Event"]
    ('#2f6fb5', '#666666')
    """
    return {"Event": _value(KG.Event, KG.colour), **{c.name: c.colour for c in event_classes()}}


@functools.lru_cache(maxsize=None)
def shortcuts() -> dict[str, Shortcut]:
    """The shortcut each event class licenses, by class name."""
    return {c.name: c.shortcut for c in event_classes() if c.shortcut is not None}


def shortcut_properties() -> tuple[str, ...]:
    """The local names of the shortcut properties, which link entities directly.

    >>> shortcut_properties()[:2]
    ('agreedWith', 'metWith')
    """
    return tuple(sorted({s.predicate for s in shortcuts().values()}))


@functools.lru_cache(maxsize=None)
def roles() -> tuple[Role, ...]:
    """The event role properties, those typed kg:EventRole, sorted by name.

    >>> [r.name for r in roles()]
    ['agent', 'counterpart', 'participant', 'place']
    """
    found = sorted((q.subject for q in ontology_graph().quads_for_pattern(None, RDF_TYPE, KG.EventRole)),
                   key=lambda r: r.value)
    return tuple(Role(_local(r), _label(r), _value(r, KG.colour), _value(r, KG.lineStyle) or "solid") for r in found)


def role_values() -> str:
    """The role properties written for a SPARQL VALUES block.

    >>> role_values()
    'kg:agent kg:counterpart kg:participant kg:place'
    """
    return " ".join(f"kg:{role.name}" for role in roles())


@functools.lru_cache(maxsize=None)
def entity_groups() -> dict[str, EntityGroup]:
    """The picture's entity groups by name (person, state, body, place, other)."""
    groups = sorted((q.subject for q in ontology_graph().quads_for_pattern(None, RDF_TYPE, KG.EntityGroup)),
                    key=lambda g: g.value)
    return {_value(g, SKOS_NOTATION): EntityGroup(_value(g, SKOS_NOTATION), _label(g), _value(g, KG.colour),
                                                  _value(g, KG.shape)) for g in groups}


@functools.lru_cache(maxsize=None)
def entity_classes() -> tuple[EntityClass, ...]:
    """Every subclass of kg:Entity with its picture group, sorted by name."""
    return tuple(EntityClass(_local(c), _label(c), _group_name(c)) for c in _subclasses(KG.Entity))


def entity_class_names() -> tuple[str, ...]:
    """The entity classes' names, which `Entity.kind` takes."""
    return tuple(c.name for c in entity_classes())


def _group_name(cls: ox.NamedNode) -> str:
    group = _inherited(cls, KG.pictureGroup)
    return _value(ox.NamedNode(group), SKOS_NOTATION)


@functools.lru_cache(maxsize=None)
def entity_group(kind: str) -> EntityGroup:
    """The group a class's entities are drawn in; a class the ontology does not know is drawn
    as an entity of no more specific class.

    >>> [entity_group(k).name for k in ("Person", "Country", "Alliance", "City", "Thing")]
    ['person', 'state', 'body', 'place', 'other']
    """
    groups = {c.name: c.group for c in entity_classes()}
    return entity_groups()[groups.get(kind) or _group_name(KG.Entity)]


@functools.lru_cache(maxsize=None)
def page_vocabulary() -> dict:
    """What the web page and `kg viz` files draw with: each event class, role and entity
    group with its label and colour, as JSON-ready data.

    >>> page_vocabulary()["roles"][0]
    {'name': 'agent', 'label': 'agent', 'colour': '#e07b39', 'line': 'solid'}
    """
    return {"events": [{"name": c.name, "label": c.label, "colour": c.colour} for c in event_classes()],
            "roles": [asdict(r) for r in roles()],
            "groups": [asdict(g) for g in sorted(entity_groups().values(), key=lambda g: g.name)]}

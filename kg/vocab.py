"""The ontology as Python sees it: a closed vocabulary read from `ontology/*.ttl`.

The Turtle files are the single source of IRIs, labels and classes. `KG.Meeting` resolves
only if `kg:Meeting` is declared in `kg.ttl`, so a misspelt term fails when the module
that uses it is imported, not when a user's query silently returns nothing.
"""
from __future__ import annotations

import functools
from pathlib import Path

import pyoxigraph as ox

KG_NS = "https://w3id.org/kg-news/ontology#"
ENT_NS = "https://w3id.org/kg-news/entity/"
EVENT_NS = "https://w3id.org/kg-news/event/"
DOC_NS = "https://w3id.org/kg-news/doc/"
POS_NS = "https://w3id.org/kg-news/position/"
ROLE_NS = "https://w3id.org/kg-news/role/"
ONTOLOGY_GRAPH = "https://w3id.org/kg-news/graph/ontology"

PREFIXES: dict[str, str] = {
    "kg": KG_NS,
    "ent": ENT_NS,
    "ev": EVENT_NS,
    "doc": DOC_NS,
    "pos": POS_NS,
    "role": ROLE_NS,
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


@functools.lru_cache(maxsize=None)
def ontology_fingerprint() -> str:
    """A hash of the ontology files, so a store knows when its ontology graph is stale."""
    import hashlib

    digest = hashlib.sha256()
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

EVENT_KINDS = ("Meeting", "Visit", "Proposal", "Suspension", "Resumption", "Statement",
               "Accusation", "Recognition")
ENTITY_KINDS = ("Person", "Organization", "InternationalOrganization", "Alliance", "Council",
                "Agency", "GovernmentOrganization", "Group", "NewsAgency", "Location", "Country", "City",
                "Region")
MODALITIES = ("Asserted", "Planned", "Attempted", "Conditional", "Hypothetical")
_ = [KG[name] for name in EVENT_KINDS + ENTITY_KINDS + MODALITIES]  # fail at import on a typo

"""The gazetteer and the office titles, read from `ontology/gazetteer.ttl` and
`ontology/roles.ttl` once per process. Only extraction needs them, so commands that only
query never define or read them."""
from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from kg.vocab import ENT_NS, KG_NS, PREFIXES, RDF_TYPE, ROLE_NS, SKOS_ALT, SKOS_PREF, ontology_dir


@dataclass(frozen=True)
class GazetteerEntry:
    """A known entity with every name the gazetteer gives it."""

    key: str
    label: str
    kind: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    wikidata: str | None = None
    capitals: tuple[str, ...] = ()
    seat: str | None = None
    part_of: str | None = None
    dissolved: str | None = None


@dataclass(frozen=True)
class RoleEntry:
    """An office title with its spelling variants."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()


def _local(iri: str, namespace: str) -> str:
    return iri[len(namespace):] if iri.startswith(namespace) else iri


def triples_about(file_name: str, namespace: str) -> Iterator[ox.Triple]:
    """The triples of an ontology file whose subject is in `namespace` (none when the
    file is absent)."""
    path = ontology_dir() / file_name
    if not path.exists():
        return
    for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        if triple.subject.value.startswith(namespace):
            yield triple


@functools.lru_cache(maxsize=1)
def gazetteer() -> tuple[GazetteerEntry, ...]:
    """Every entity `ontology/gazetteer.ttl` lists, read once per process."""
    fields: dict[str, dict] = {}
    single = {"prefLabel": "label", "wikidata": "wikidata", "seat": "seat",
              "partOf": "part_of", "dissolved": "dissolved"}
    for triple in triples_about("gazetteer.ttl", ENT_NS):
        record = fields.setdefault(triple.subject.value, {"aliases": [], "demonyms": [], "capitals": []})
        predicate = triple.predicate.value
        name = predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        value = triple.object.value
        if predicate == RDF_TYPE.value and value.startswith(KG_NS):
            record["kind"] = _local(value, KG_NS)
        elif name == "altLabel":
            record["aliases"].append(value)
        elif name == "demonym":
            record["demonyms"].append(value)
        elif name == "capital":
            record["capitals"].append(_local(value, ENT_NS))
        elif name in single:
            record[single[name]] = _local(_local(value, ENT_NS), PREFIXES["wd"])
    entries = []
    for iri, record in sorted(fields.items()):
        if "label" not in record or "kind" not in record:
            continue
        entries.append(GazetteerEntry(
            key=_local(iri, ENT_NS), label=record["label"], kind=record["kind"],
            aliases=tuple(sorted(set(record["aliases"]))), demonyms=tuple(sorted(set(record["demonyms"]))),
            wikidata=record.get("wikidata"), capitals=tuple(sorted(record["capitals"])), seat=record.get("seat"),
            part_of=record.get("part_of"), dissolved=record.get("dissolved")))
    return tuple(entries)


@functools.lru_cache(maxsize=1)
def roles() -> tuple[RoleEntry, ...]:
    """Every office title `ontology/roles.ttl` lists, read once per process."""
    labels: dict[str, str] = {}
    aliases: dict[str, list[str]] = {}
    for triple in triples_about("roles.ttl", ROLE_NS):
        subject = triple.subject.value
        if triple.predicate == SKOS_PREF:
            labels[subject] = triple.object.value
        elif triple.predicate == SKOS_ALT:
            aliases.setdefault(subject, []).append(triple.object.value)
    return tuple(RoleEntry(_local(iri, ROLE_NS), label, tuple(sorted(set(aliases.get(iri, [])))))
                 for iri, label in sorted(labels.items()))

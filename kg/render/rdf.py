"""Graphs written out in the W3C RDF formats, with only the prefixes they use."""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TypeVar

import pyoxigraph as ox

from kg.errors import UsageError
from kg.rdf.parts import part_count, spilled
from kg.vocab import PREFIXES

RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG,
               "nquads": ox.RdfFormat.N_QUADS, "ntriples": ox.RdfFormat.N_TRIPLES,
               "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}
GRAPH_AWARE = {"trig", "nquads", "jsonld"}
T = TypeVar("T")
PART_TRIPLES = 50_000  # triples of the union formats sorted in memory at once


def used_prefixes(statements: Iterable) -> dict[str, str]:
    """Only the prefixes the data actually uses, so exported Turtle declares no others."""
    used: dict[str, str] = {}
    for _ in noting_prefixes(statements, used):
        pass
    return dict(sorted(used.items()))


def noting_prefixes(statements: Iterable[T], used: dict[str, str]) -> Iterator[T]:
    """The statements, passed on as they come, with the prefixes they use noted in `used`:
    what lets a streamed export learn its prefixes on the same pass that spills the data."""
    for statement in statements:
        for term in (statement.subject, statement.predicate, statement.object):
            if isinstance(term, ox.NamedNode):
                used.update(prefixes_of(namespace_part(term.value)))
            elif isinstance(term, ox.Literal):
                used.update(prefixes_of(namespace_part(term.datatype.value)))
        yield statement


def namespace_part(iri: str) -> str:
    """An IRI up to its last `/` or `#`: every prefix that the IRI starts with, it starts
    with too, since each namespace ends in one of them.

    >>> namespace_part("https://w3id.org/kg-news/ontology#Meeting"), namespace_part("urn:x")
    ('https://w3id.org/kg-news/ontology#', '')
    """
    return iri[:max(iri.rfind("/"), iri.rfind("#")) + 1]


@functools.lru_cache(maxsize=4096)
def prefixes_of(stem: str) -> tuple[tuple[str, str], ...]:
    """The known prefixes whose namespace an IRI stem starts with.

    >>> prefixes_of("https://w3id.org/kg-news/entity/")
    (('ent', 'https://w3id.org/kg-news/entity/'),)
    """
    return tuple((prefix, namespace) for prefix, namespace in PREFIXES.items() if stem.startswith(namespace))


def stream_nquads(quads: Iterable[ox.Quad], out: IO[bytes]) -> None:
    """N-Quads written as the quads arrive, in the store's order: the one export that needs
    no quad in memory but the current one, for stores too large to gather."""
    ox.serialize(quads, output=out, format=ox.RdfFormat.N_QUADS)


def write_streamed(quads: Iterable[ox.Quad], expected: int, fmt: str, out: IO[bytes],
                   beside: Path | None = None) -> None:
    """Quads written in Turtle, TriG, N-Quads or N-Triples, holding a part of them at a time
    (`expected`, about how many quads come, sizes the parts). The data is first spilled to
    temporary files while the prefixes it uses are noted, so the prefixes are declared
    once, at the top; they go beside the file `beside` names, if any (`spilled`).

    TriG keeps the graphs in the order the store gives them (graph by graph on disk and
    from a graph store), one GRAPH block for each run of a graph's quads. Turtle and
    N-Triples hold the union of the graphs, each triple once: the triples are cut into
    parts by subject, and each part is deduplicated and sorted on its own."""
    if fmt == "nquads":
        stream_nquads(quads, out)
        return
    used: dict[str, str] = {}
    if fmt == "trig":
        with spilled(noting_prefixes(quads, used), 1, beside=beside) as paths:
            ox.serialize(ox.parse(path=str(paths[0]), format=ox.RdfFormat.N_QUADS), output=out,
                         format=ox.RdfFormat.TRIG, prefixes=dict(sorted(used.items())))
        return
    triples = (quad.triple for quad in noting_prefixes(quads, used))
    with spilled(triples, part_count(expected, PART_TRIPLES), beside=beside) as paths:
        ox.serialize(union_triples(paths), output=out, format=RDF_FORMATS[fmt],
                     prefixes=dict(sorted(used.items())) if fmt == "turtle" else None)


def union_triples(paths: list[Path]) -> Iterator[ox.Triple]:
    """The triples of N-Triples files, each once and in order within its file, one file
    read at a time: the parts of `spilled`, which hold every triple of their subjects."""
    for path in paths:
        yield from sorted({q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES)}, key=triple_order)


def triple_order(triple: ox.Triple) -> tuple[str, str, str]:
    return str(triple.subject), str(triple.predicate), str(triple.object)


def serialize_rdf(quads: list[ox.Quad], fmt: str) -> bytes:
    """The store's quads in one of the export formats, in memory; graph-less formats
    (Turtle, N-Triples, RDF/XML) hold the union of the graphs, each triple once."""
    if fmt not in RDF_FORMATS:
        raise UsageError(f"unknown export format {fmt!r}")
    quads = sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    if fmt == "jsonld":
        return jsonld(quads)
    if fmt in GRAPH_AWARE:
        return ox.serialize(quads, format=RDF_FORMATS[fmt], prefixes=used_prefixes(quads) if fmt == "trig" else None)
    triples = sorted(dict.fromkeys(q.triple for q in quads), key=triple_order)
    return ox.serialize(triples, format=RDF_FORMATS[fmt], prefixes=used_prefixes(triples) if fmt in ("turtle", "rdfxml") else None)


def jsonld(quads: list[ox.Quad]) -> bytes:
    """JSON-LD with a context of the prefixes it uses, so keys read as `kg:agent`."""
    prefixes = used_prefixes(quads)
    import json  # here, not at the top: `kg query` starts without it

    body = json.loads(ox.serialize(quads, format=ox.RdfFormat.JSON_LD))
    graph = body.get("@graph", body) if isinstance(body, dict) else body
    return json.dumps({"@context": prefixes, "@graph": compact_iris(graph, prefixes)},
                      indent=1, ensure_ascii=False).encode() + b"\n"


def compact_iris(node, prefixes: dict[str, str]):
    """IRIs in keys, `@id` and `@type` written as prefixed names the context defines.

    >>> compact_iris({"@id": "https://w3id.org/kg-news/entity/nato", "@value": "x"}, {"ent": "https://w3id.org/kg-news/entity/"})
    {'@id': 'ent:nato', '@value': 'x'}
    """
    def short(iri: str) -> str:
        for prefix, namespace in prefixes.items():
            rest = iri[len(namespace):]
            if iri.startswith(namespace) and rest and re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", rest):
                return f"{prefix}:{rest}"
        return iri
    if isinstance(node, list):
        return [compact_iris(item, prefixes) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in ("@id", "@type") and isinstance(value, str):
            out[key] = short(value)
        elif key == "@type" and isinstance(value, list):
            out[key] = [short(v) for v in value]
        elif key == "@value":
            out[key] = value
        else:
            out[short(key) if not key.startswith("@") else key] = compact_iris(value, prefixes)
    return out

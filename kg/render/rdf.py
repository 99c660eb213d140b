"""Graphs written out in the W3C RDF formats, with only the prefixes they use."""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import IO

import pyoxigraph as ox

from kg.errors import UsageError
from kg.vocab import PREFIXES

RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG,
               "nquads": ox.RdfFormat.N_QUADS, "ntriples": ox.RdfFormat.N_TRIPLES,
               "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}
GRAPH_AWARE = {"trig", "nquads", "jsonld"}


def used_prefixes(statements: Iterable) -> dict[str, str]:
    """Only the prefixes the data actually uses, so exported Turtle declares no others."""
    used = {}
    for statement in statements:
        for term in (statement.subject, statement.predicate, statement.object):
            iris = [term.value] if isinstance(term, ox.NamedNode) else []
            if isinstance(term, ox.Literal):
                iris.append(term.datatype.value)
            for iri in iris:
                for prefix, namespace in PREFIXES.items():
                    if iri.startswith(namespace):
                        used[prefix] = namespace
    return dict(sorted(used.items()))


def stream_nquads(quads: Iterable[ox.Quad], out: IO[bytes]) -> None:
    """N-Quads written as the quads arrive, in the store's order: the one export that needs
    no quad in memory but the current one, for stores too large to gather."""
    ox.serialize(quads, output=out, format=ox.RdfFormat.N_QUADS)


def serialize_rdf(quads: list[ox.Quad], fmt: str) -> bytes:
    """The store's quads in one of the export formats; graph-less formats (Turtle,
    N-Triples, RDF/XML) hold the union of the graphs, each triple once."""
    if fmt not in RDF_FORMATS:
        raise UsageError(f"unknown export format {fmt!r}")
    quads = sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    if fmt == "jsonld":
        return jsonld(quads)
    if fmt in GRAPH_AWARE:
        return ox.serialize(quads, format=RDF_FORMATS[fmt], prefixes=used_prefixes(quads) if fmt == "trig" else None)
    triples = sorted(dict.fromkeys(q.triple for q in quads), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
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

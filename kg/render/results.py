"""Rendering: query results as a table or a W3C results format, graphs as RDF.

CSV, TSV, JSON and XML results are written by Oxigraph's own serializers, so they follow
the W3C SPARQL results specifications; the table is for people.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox

from kg.errors import UsageError
from kg.vocab import PREFIXES

RESULT_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                  "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}
RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG,
               "nquads": ox.RdfFormat.N_QUADS, "ntriples": ox.RdfFormat.N_TRIPLES,
               "jsonld": ox.RdfFormat.JSON_LD}
GRAPH_AWARE = {"trig", "nquads", "jsonld"}
MAX_CELL = 60


def compact(term) -> str:
    """How a term reads in a table: prefixed names, bare literal values.

    >>> compact(ox.NamedNode("https://w3id.org/kg-news/entity/nato")), compact(ox.Literal("NATO", language="en"))
    ('ent:nato', 'NATO')
    """
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(namespace) and "/" not in term.value[len(namespace):]:
                return f"{prefix}:{term.value[len(namespace):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def table(variables: list[str], rows: list[list[str]]) -> str:
    """A plain-text table with a header rule; long cells are cut with an ellipsis.

    >>> print(table(["a", "bb"], [["1", "x"], ["22", ""]]))
    a   bb
    --  --
    1   x
    22
    """
    def cut(cell: str) -> str:
        cell = " ".join(cell.split())
        return cell if len(cell) <= MAX_CELL else cell[: MAX_CELL - 1] + "\u2026"
    rows = [[cut(c) for c in row] for row in rows]
    widths = [max([len(v)] + [len(r[i]) for r in rows]) for i, v in enumerate(variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(variables, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


def render_solutions(solutions: ox.QuerySolutions, fmt: str) -> bytes:
    if fmt == "table":
        variables = [v.value for v in solutions.variables]
        rows = [[compact(solution[v]) for v in variables] for solution in solutions]
        text = table(variables, rows)
        return (text + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})\n").encode()
    return solutions.serialize(format=result_format(fmt))


def render_boolean(value: ox.QueryBoolean, fmt: str) -> bytes:
    if fmt in ("table", "csv", "tsv"):
        return b"true\n" if bool(value) else b"false\n"
    return value.serialize(format=result_format(fmt))


def render_triples(triples: Iterable[ox.Triple]) -> bytes:
    """Turtle for CONSTRUCT and DESCRIBE results."""
    triples = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used_prefixes(triples))


def result_format(fmt: str) -> ox.QueryResultsFormat:
    try:
        return RESULT_FORMATS[fmt]
    except KeyError:
        raise UsageError(f"unknown result format {fmt!r}") from None


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


def serialize_rdf(quads: list[ox.Quad], fmt: str) -> bytes:
    """The store's quads in one of the export formats; graph-less formats drop graph names."""
    if fmt not in RDF_FORMATS:
        raise UsageError(f"unknown export format {fmt!r}")
    quads = sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    if fmt == "jsonld":
        return jsonld(quads)
    if fmt in GRAPH_AWARE:
        return ox.serialize(quads, format=RDF_FORMATS[fmt], prefixes=used_prefixes(quads) if fmt == "trig" else None)
    triples = sorted(dict.fromkeys(q.triple for q in quads), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return ox.serialize(triples, format=RDF_FORMATS[fmt], prefixes=used_prefixes(triples) if fmt == "turtle" else None)


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


GRAPH_EDGES = ("agent", "participant", "counterpart", "place", "metWith", "visited",
               "suspendedCooperationWith", "resumedCooperationWith", "holdsPosition", "ofOrganization")


def graph_csv(quads: list[ox.Quad]) -> dict[str, bytes]:
    """`nodes.csv` and `edges.csv` for Gephi (Id, Label; Source, Target) and Neo4j's LOAD CSV:
    entities, events and offices as nodes, their links as edges."""
    import csv
    import io

    kg_ns = PREFIXES["kg"]
    labels: dict[str, str] = {}
    types: dict[str, str] = {}
    edges = set()
    for quad in quads:
        s, p, o = quad.subject, quad.predicate.value, quad.object
        if not isinstance(s, ox.NamedNode):
            continue
        if p == PREFIXES["skos"] + "prefLabel":
            labels.setdefault(s.value, o.value)
        elif p == PREFIXES["rdf"] + "type" and o.value.startswith(kg_ns) and o.value != kg_ns + "Document":
            types[s.value] = o.value[len(kg_ns):]
        elif p == kg_ns + "role":
            labels.setdefault(s.value, o.value)
        elif p.startswith(kg_ns) and p[len(kg_ns):] in GRAPH_EDGES and isinstance(o, ox.NamedNode):
            edges.add((s.value, o.value, p[len(kg_ns):]))
    for quad in quads:
        if quad.predicate.value == kg_ns + "trigger" and quad.subject.value in types:
            labels.setdefault(quad.subject.value, f"{types[quad.subject.value]}: {quad.object.value}")
    nodes = io.StringIO()
    writer = csv.writer(nodes, lineterminator="\n")
    writer.writerow(["Id", "Label", "Type"])
    for iri in sorted(types):
        writer.writerow([compact(ox.NamedNode(iri)), labels.get(iri, compact(ox.NamedNode(iri))), types[iri]])
    links = io.StringIO()
    writer = csv.writer(links, lineterminator="\n")
    writer.writerow(["Source", "Target", "Type", "Label"])
    for source, target, kind in sorted(edges):
        if source in types and target in types:
            writer.writerow([compact(ox.NamedNode(source)), compact(ox.NamedNode(target)), "Directed", kind])
    return {"nodes.csv": nodes.getvalue().encode(), "edges.csv": links.getvalue().encode()}


def extraction_json(extraction) -> str:
    """One article's extraction as one line of JSON."""
    import json
    from dataclasses import asdict

    document = extraction.document
    return json.dumps({
        "document": document.file_name, "published": document.published, "dateline": document.dateline,
        "entities": [asdict(e) for e in extraction.entities],
        "events": [asdict(e) for e in extraction.events],
        "positions": [asdict(p) for p in extraction.positions],
    }, ensure_ascii=False)


def extraction_text(extraction) -> str:
    """One article's extraction as tables a person can read."""
    document = extraction.document
    names = {e.key: e.label for e in extraction.entities}
    name = lambda key: names.get(key, key or "")
    head = f"== {document.file_name}" + (f"  (published {document.published})" if document.published else "")
    entities = table(["entity", "type", "label"], [[e.key, e.kind, e.label] for e in extraction.entities])
    events = table(["type", "agent", "participants", "counterpart", "theme", "date", "place", "neg", "modality"],
                   [[e.kind, name(e.agent), ", ".join(map(name, e.participants)), ", ".join(map(name, e.counterparts)),
                     e.theme or "", e.date or "", name(e.place), "yes" if e.negated else "", e.modality.lower()]
                    for e in extraction.events])
    offices = table(["person", "role", "of"], [[name(p.person), p.role, name(p.of)] for p in extraction.positions])
    return "\n\n".join([head, entities, events, offices]) + "\n"

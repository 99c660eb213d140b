"""The graph as CSV node and edge lists, for Gephi and Neo4j's LOAD CSV."""
from __future__ import annotations

import pyoxigraph as ox

from kg.render.results import compact
from kg.vocab import PREFIXES, roles, shortcut_properties

LINKS_OF_OFFICES = ("holdsPosition", "ofOrganization")


def graph_edges() -> frozenset[str]:
    """The properties whose links become edges: an event's roles, the shortcuts between
    entities and the links of offices, by local name. A shortcut to text (kg:said) links to
    no node, so it gives no edge.

    >>> {"agent", "metWith", "holdsPosition"} <= graph_edges()
    True
    """
    return frozenset([r.name for r in roles()] + list(shortcut_properties()) + list(LINKS_OF_OFFICES))


def graph_csv(quads: list[ox.Quad]) -> dict[str, bytes]:
    """`nodes.csv` and `edges.csv` for Gephi (Id, Label; Source, Target) and Neo4j's LOAD CSV:
    entities, events and offices as nodes, their links as edges."""
    import csv
    import io

    kg_ns = PREFIXES["kg"]
    labels: dict[str, str] = {}
    types: dict[str, str] = {}
    edges = set()
    edge_names = graph_edges()
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
        elif p.startswith(kg_ns) and p[len(kg_ns):] in edge_names and isinstance(o, ox.NamedNode):
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

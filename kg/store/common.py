"""What both stores need: the ontology graph they keep beside the documents, the queries
that find documents, N-Quads cut down to one graph's triples, and SPARQL syntax errors
on one line."""
from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox

from kg.errors import StoreError
from kg.keys import label_keys
from kg.vocab import DOC_NS, ENT_NS, KG, ONTOLOGY_GRAPH, RDF_TYPE, SKOS_ALT, SKOS_PREF, ontology_files

ONTOLOGY = ox.NamedNode(ONTOLOGY_GRAPH)
FINGERPRINT = ox.NamedNode(ONTOLOGY_GRAPH + "#fingerprint")

DOCUMENT_HASHES = f"SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?g <{KG.contentHash.value}> ?h }} }}"
DOCUMENTS = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?g a <{KG.Document.value}> }} }} ORDER BY STR(?g)"


def ontology_nquads(fingerprint: str) -> bytes:
    """The ontology graph as N-Quads, with the fingerprint of the Turtle files it came from
    (stored in the graph, so a store knows when its copy is stale) and the keys of the
    gazetteer's names, so a parameter finds an entity by any alias the gazetteer gives it."""
    quads = [ox.Quad(FINGERPRINT, ox.NamedNode(KG.contentHash.value), ox.Literal(fingerprint), ONTOLOGY)]
    for path in ontology_files():
        quads += [ox.Quad(t.subject, t.predicate, t.object, ONTOLOGY)
                  for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
    keys = [ox.Quad(entity, KG.key, ox.Literal(key), ONTOLOGY) for entity, key in name_keys(quads)]
    return ox.serialize([q for q in quads if not is_description(q)] + keys, format=ox.RdfFormat.N_QUADS)


def is_description(quad: ox.Quad) -> bool:
    """Whether a quad of the gazetteer names or classifies an entity: what the entities
    graph says of each entity a document mentions, and must be the only one to say, or a
    hand-written query outside any GRAPH would read each name twice. The gazetteer's keys,
    places and Wikidata ids stay in the ontology graph.

    >>> nato = ox.NamedNode(ENT_NS + "nato")
    >>> is_description(ox.Quad(nato, SKOS_PREF, ox.Literal("NATO"))), is_description(ox.Quad(nato, KG.key, ox.Literal("nato")))
    (True, False)
    """
    return (isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(ENT_NS)
            and quad.predicate in (RDF_TYPE, SKOS_PREF, SKOS_ALT))


def name_keys(quads: list[ox.Quad]) -> list[tuple[ox.NamedNode, str]]:
    """The key of every label the ontology files give an entity.

    >>> nato, label = ox.NamedNode(ENT_NS + "nato"), ox.NamedNode(SKOS_ALT.value)
    >>> name_keys([ox.Quad(nato, label, ox.Literal("North Atlantic Alliance", language="en"))])
    [(<NamedNode value=https://w3id.org/kg-news/entity/nato>, 'north atlantic alliance')]
    """
    labels: dict[ox.NamedNode, list[str]] = {}
    people = set()
    for quad in quads:
        if isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(ENT_NS):
            if quad.predicate in (SKOS_PREF, SKOS_ALT):
                labels.setdefault(quad.subject, []).append(quad.object.value)
            elif quad.predicate == RDF_TYPE and quad.object == KG.Person:
                people.add(quad.subject)
    return [(entity, key) for entity, names in labels.items() for key in sorted(label_keys(names, entity in people))]


def ontology_is_current(fingerprint: str) -> str:
    """An ASK query: does the store hold the ontology graph of these Turtle files?

    >>> ontology_is_current("abc")
    'ASK { GRAPH <https://w3id.org/kg-news/graph/ontology> { <https://w3id.org/kg-news/graph/ontology#fingerprint> ?p "abc" } }'
    """
    return f"ASK {{ GRAPH <{ONTOLOGY.value}> {{ <{FINGERPRINT.value}> ?p {ox.Literal(fingerprint)} }} }}"


def documents_named(name: str) -> str:
    """A query for the graphs and file names of the documents a name matches: a file name,
    a document id or a document IRI. The name goes in as one escaped literal, or as the
    IRIs it can stand for; each is looked up exactly, so removing one document costs the
    same in a store of any size.

    >>> '<https://w3id.org/kg-news/ontology#fileName> "a\\\\"b"' in documents_named('a"b')
    True
    >>> "<https://w3id.org/kg-news/doc/000_b46f>" in documents_named("000_b46f")
    True
    """
    literal = ox.Literal(name)
    iris = " ".join(str(iri) for iri in dict.fromkeys(named_node(n) for n in (name, DOC_NS + name)) if iri)
    by_file = f"{{ GRAPH ?g {{ ?g <{KG.fileName.value}> {literal} }} BIND({literal} AS ?file) }}"
    by_iri = f" UNION {{ VALUES ?g {{ {iris} }} GRAPH ?g {{ ?g <{KG.fileName.value}> ?file }} }}" if iris else ""
    return f"SELECT ?g ?file WHERE {{ {by_file}{by_iri} }}"


def named_node(iri: str) -> ox.NamedNode | None:
    """The IRI a string is, or None when it is none.

    >>> named_node("http://x.org/a"), named_node("a b")
    (<NamedNode value=http://x.org/a>, None)
    """
    try:
        return ox.NamedNode(iri) if ":" in iri and not any(c in iri for c in ' <>"{}|^`\\') else None
    except ValueError:
        return None


def removal(rows: Iterable, name: str, location: str) -> tuple[str, list[str]]:
    """The update that drops the graphs `documents_named` found, and their file names;
    a name that matched nothing is an error."""
    rows = list(rows)
    if not rows:
        raise StoreError(f"no document {name!r} in store {location}")
    return drop_graphs(row["g"].value for row in rows), sorted(row["file"].value for row in rows)


def drop_graphs(graphs: Iterable[str]) -> str:
    """SPARQL Update that drops the named graphs. SILENT, because Virtuoso refuses to drop
    a graph that was filled but never created with CREATE GRAPH (and then drops it anyway
    when told to be silent).

    >>> drop_graphs(["http://g/1", "http://g/2"])
    'DROP SILENT GRAPH <http://g/1> ;\\nDROP SILENT GRAPH <http://g/2>'
    """
    return " ;\n".join(f"DROP SILENT GRAPH <{graph}>" for graph in graphs)


def as_ntriples(nquads: bytes, graph: str) -> bytes:
    """One document's N-Quads as N-Triples: every line of a document ends with its own
    graph name, which is cut off, and what is left of an N-Quads line is an N-Triples line.

    >>> as_ntriples(b'<s> <p> "o" <http://g> .\\n', "http://g")
    b'<s> <p> "o" .\\n'
    """
    return nquads.replace(f" <{graph}> .\n".encode(), b" .\n")


def quad_count(graphs: list[tuple[str, bytes]]) -> int:
    """The number of quads in documents given as N-Quads, one a line.

    >>> quad_count([("http://g", b'<s> <p> "o" <http://g> .\\n<s> <p> "q" <http://g> .\\n')])
    2
    """
    return sum(nquads.count(b"\n") for _, nquads in graphs)


def syntax_message(message: str) -> str:
    """Oxigraph's parser message on one line, with its position spelt out.

    >>> syntax_message('error at 1:22: expected one of "!", "$",\\n| more')
    'SPARQL syntax error at line 1, column 22: expected one of "!", "$", | more'
    """
    flat = " ".join(message.split())
    match = re.match(r"error at (\d+):(\d+): (.*)", flat)
    if match:
        flat = f"at line {match.group(1)}, column {match.group(2)}: {match.group(3)}"
    flat = flat if len(flat) <= 160 else flat[:159] + "\u2026"
    return f"SPARQL syntax error {flat}" if match else f"SPARQL syntax error: {flat}"

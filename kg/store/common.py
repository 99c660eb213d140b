"""What both stores need: the ontology graph they keep beside the documents, and SPARQL
syntax errors on one line."""
from __future__ import annotations

import re

import pyoxigraph as ox

from kg.vocab import KG, ONTOLOGY_GRAPH, ontology_files

ONTOLOGY = ox.NamedNode(ONTOLOGY_GRAPH)
FINGERPRINT = ox.NamedNode(ONTOLOGY_GRAPH + "#fingerprint")


def ontology_quads(fingerprint: str) -> list[ox.Quad]:
    """The ontology graph's quads, with the fingerprint of the Turtle files they came from
    (stored in the graph, so a store knows when its copy is stale)."""
    quads = [ox.Quad(FINGERPRINT, ox.NamedNode(KG.contentHash.value), ox.Literal(fingerprint), ONTOLOGY)]
    for path in ontology_files():
        quads += [ox.Quad(t.subject, t.predicate, t.object, ONTOLOGY)
                  for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
    return quads


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

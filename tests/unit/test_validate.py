"""The load-time shape check and pyshacl agree."""
from __future__ import annotations

import pyoxigraph as ox

from kg.rdf.shacl import validate_nquads, validate_quads

from conftest import store_quads

BROKEN = b"""<https://w3id.org/kg-news/event/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/kg-news/ontology#Meeting> <https://w3id.org/kg-news/doc/b> .
<https://w3id.org/kg-news/event/x> <https://w3id.org/kg-news/ontology#participant> <https://w3id.org/kg-news/entity/nato> <https://w3id.org/kg-news/doc/b> .
<https://w3id.org/kg-news/event/x> <https://w3id.org/kg-news/ontology#negated> "maybe" <https://w3id.org/kg-news/doc/b> .
<https://w3id.org/kg-news/event/x> <https://w3id.org/kg-news/ontology#modality> <https://w3id.org/kg-news/ontology#Sure> <https://w3id.org/kg-news/doc/b> .
<https://w3id.org/kg-news/event/y> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/kg-news/ontology#Statement> <https://w3id.org/kg-news/doc/b> .
"""


def test_compiled_check_and_pyshacl_agree_on_a_broken_graph():
    fast = validate_nquads(BROKEN)
    full = validate_quads(list(ox.parse(BROKEN, format=ox.RdfFormat.N_QUADS)))
    assert not fast.conforms and not full.conforms
    assert fast.counts == full.counts
    assert dict(fast.counts)["kg:MeetingShape"] == 1 and dict(fast.counts)["kg:StatementShape"] == 2


def test_compiled_check_and_pyshacl_agree_on_the_seeds(seeds_store):
    quads = [q for q in store_quads(seeds_store) if "/doc/" in str(q.graph_name)]
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert validate_nquads(data).conforms and validate_quads(quads).conforms

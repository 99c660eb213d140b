"""What the page shows about the store: a node's details, pictures of documents' events or
of a CONSTRUCT result, and the documents to pick from.

Each function opens the store itself, since it runs in the forked child of one request
(`kg.query.limits`); the pictures are `kg.web.pictures`', shared with `kg viz`.
"""
from __future__ import annotations

from collections.abc import Collection

import pyoxigraph as ox

from kg.errors import UsageError
from kg.store import open_store
from kg.vocab import KG_NS, PREFIXES
from kg.web.pictures import described_graph, document_list, graph_from_store, local_name, term_text
from kg.web.protocol import first

NODE_FACTS = """
SELECT DISTINCT ?s ?p ?o ?label WHERE {
  ?s ?p ?o .
  OPTIONAL { ?o skos:prefLabel ?label }
} ORDER BY ?p ?o LIMIT 300
"""
NODE_SOURCE = """
SELECT ?s ?doc (SAMPLE(?f) AS ?file) (SAMPLE(?h) AS ?headline) (SAMPLE(STR(?p)) AS ?published)
       (SAMPLE(?pub) AS ?publisher) WHERE {
  ?s kg:source ?doc .
  OPTIONAL { ?doc kg:fileName ?f } OPTIONAL { ?doc kg:headline ?h }
  OPTIONAL { ?doc kg:published ?p } OPTIONAL { ?doc kg:publisher ?pub }
} GROUP BY ?s ?doc ORDER BY ?file LIMIT 20
"""


def node_details(store_path: str, iri: str, roles_query: str, event_names: Collection[str]) -> dict | None:
    """What the page shows about one node: its facts, the events it takes part in (found by
    `roles_query`), and for an event (a class in `event_names`) the document it was read
    from. None if the store says nothing about it."""
    subject = {ox.Variable("s"): ox.NamedNode(iri)}
    with open_store(store_path) as store:
        facts = [{"predicate": row["p"].value, "value": row["o"].value, "kind": term_kind(row["o"]),
                  **({"label": row["label"].value} if row["label"] is not None else {})}
                 for row in store.query(NODE_FACTS, subject, PREFIXES)]
        roles = [{"event": row["event"].value, "role": local_name(row["role"].value),
                  "type": local_name(row["class"].value), "evidence": term_text(row["evidence"]),
                  "negated": term_text(row["negated"]) == "true", "source": term_text(row["file"])}
                 for row in store.query(roles_query, subject, PREFIXES)]
        sources = [{"iri": row["doc"].value, "file": term_text(row["file"]), "headline": term_text(row["headline"]),
                    "published": term_text(row["published"]), "publisher": term_text(row["publisher"])}
                   for row in store.query(NODE_SOURCE, subject, PREFIXES)]
    if not facts and not roles:
        return None
    types = [f["value"] for f in facts if f["predicate"] == PREFIXES["rdf"] + "type"]
    labels = [f["value"] for f in facts if f["predicate"] == PREFIXES["skos"] + "prefLabel"]
    return {"iri": iri, "label": labels[0] if labels else None, "types": sorted(set(types)),
            "event": any(t.startswith(KG_NS) and local_name(t) in event_names for t in types),
            "facts": facts, "roles": roles, "sources": sources}


def term_kind(term) -> str:
    """How the page should show a term: as a link to a node or as text.

    >>> term_kind(ox.NamedNode("http://x.org/a")), term_kind(ox.Literal("a"))
    ('iri', 'literal')
    """
    if isinstance(term, ox.NamedNode):
        return "iri"
    return "bnode" if isinstance(term, ox.BlankNode) else "literal"


def store_graph(store_path: str, documents: list[str] | None, max_events: int) -> dict:
    """The picture of some documents' events, limited to `max_events` events."""
    with open_store(store_path) as store:
        if documents is not None:
            known = {local_name(g.value): g.value for g in store.documents()}
            known.update({iri: iri for iri in list(known.values())})
            unknown = [d for d in documents if d not in known]
            if unknown:
                raise UsageError(f"no document {unknown[0]!r} in the store")
            documents = [known[d] for d in documents]
        return graph_from_store(store, documents, max_events)


def query_graph(store_path: str, text: str, max_rows: int) -> dict:
    """The picture of a CONSTRUCT or DESCRIBE query's first `max_rows` triples."""
    with open_store(store_path) as store:
        result = store.query(text, prefixes=PREFIXES)
        if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
            raise UsageError("the graph view draws CONSTRUCT or DESCRIBE results")
        triples, truncated = first(result, max_rows)
        return {**described_graph(store, triples), "truncated": truncated}


def documents_of(store_path: str) -> list[dict]:
    """Every loaded document, for the page's document picker."""
    with open_store(store_path) as store:
        return document_list(store)

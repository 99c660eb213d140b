"""The library calls behind `kg query`, `kg export`, `kg stats` and `kg queries`.

Nothing here imports spaCy or rdflib, so these commands start in a fraction of a second.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import KgError, QueryTimeout, UsageError
from kg.render.gephi import graph_csv
from kg.render.rdf import serialize_rdf
from kg.render.results import render_boolean, render_solutions, render_triples
from kg.vocab import KG_NS, PREFIXES
from kg.query.saved import (SavedQuery, check_query, is_update, resolve_query, saved_queries,
                      substitutions)
from kg.store import open_store


def query(spec: str, store_path: str | None = None, params: dict[str, str] | None = None,
          fmt: str = "table", *, update: bool = False, allow_service: bool = False,
          timeout: float | None = None) -> bytes:
    """Run a saved query, a query file or inline SPARQL; return the rendered result.

    With `timeout`, the query runs in a child process that is stopped when time runs out,
    since a running query cannot be interrupted from inside.
    """
    text, saved = resolve_query(spec)
    check_query(text, allow_update=update, allow_service=allow_service)
    params = params or {}
    if saved is not None:
        declared = {p.name for p in saved.params}
        unknown = sorted(set(params) - declared)
        if unknown and declared:
            raise UsageError(f"query {saved.name!r} has no parameter {unknown[0]!r} (it takes: {', '.join(sorted(declared))})")
    if is_update(text):
        if params:
            raise UsageError("--param binds query variables; an update takes none")
        return run_limited(lambda: apply_update(text, store_path), timeout)
    return run_limited(lambda: evaluate(text, store_path, params, fmt), timeout)


def evaluate(text: str, store_path: str | None, params: dict[str, str], fmt: str) -> bytes:
    with open_store(store_path) as store:
        try:
            result = store.query(text, substitutions(params), prefixes=PREFIXES)
        except RuntimeError as exc:
            raise UsageError(f"cannot bind parameters: {exc} (a parameter must be a projected variable)") from exc
        if isinstance(result, ox.QueryBoolean):
            return render_boolean(result, fmt)
        if isinstance(result, ox.QuerySolutions):
            return render_solutions(result, fmt)
        return render_triples(list(result))


def apply_update(text: str, store_path: str | None) -> bytes:
    with open_store(store_path, write=True) as store:
        before = len(store)
        store.update(text, prefixes=PREFIXES)
        return f"update applied: {len(store) - before:+d} quads\n".encode()


def run_limited(work, timeout: float | None) -> bytes:
    """Run `work` here, or in a child process killed after `timeout` seconds."""
    if not timeout:
        return work()
    from kg.query.limits import run_in_child  # only when a time limit is asked for: it costs start-up time

    return run_in_child(work, timeout, " (--timeout)").result()


def export(store_path: str | None = None, fmt: str = "turtle", *, include_ontology: bool = False) -> bytes:
    """Every quad of the store, in one RDF format."""
    with open_store(store_path) as store:
        return serialize_rdf(list(store.quads(include_ontology=include_ontology)), fmt)


def export_graph_csv(store_path: str | None = None) -> dict[str, bytes]:
    """Node and edge tables of the store, by file name."""
    with open_store(store_path) as store:
        return graph_csv(list(store.quads()))


def list_queries() -> list[SavedQuery]:
    return sorted(saved_queries().values(), key=lambda q: q.name)


@dataclass(frozen=True)
class DocumentStats:
    document: str
    file_name: str
    loaded_at: str
    content_hash: str
    entities: int
    events: int
    triples: int


@dataclass(frozen=True)
class Stats:
    classes: tuple[tuple[str, int], ...]
    documents: tuple[DocumentStats, ...]
    quads: int


CLASS_COUNTS = f"""
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  GRAPH ?g {{ ?s a ?class }}
  FILTER(STRSTARTS(STR(?g), "{PREFIXES['doc']}") && STRSTARTS(STR(?class), "{KG_NS}"))
}} GROUP BY ?class ORDER BY DESC(?n) ?class
"""
DOCUMENT_COUNTS = f"""
SELECT ?g ?file ?loaded ?hash
       (COUNT(DISTINCT ?ent) AS ?entities) (COUNT(DISTINCT ?ev) AS ?events) WHERE {{
  GRAPH ?g {{
    ?g <{KG_NS}fileName> ?file ; <{KG_NS}loadedAt> ?loaded ; <{KG_NS}contentHash> ?hash .
    OPTIONAL {{ ?ent <{KG_NS}mentionedIn> ?g }}
    OPTIONAL {{ ?ev <{KG_NS}source> ?g ; <{KG_NS}evidence> ?x }}
  }}
}} GROUP BY ?g ?file ?loaded ?hash ORDER BY ?file
"""
GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def stats(store_path: str | None = None) -> Stats:
    """Counts per class and per document."""
    with open_store(store_path) as store:
        classes = tuple((row["class"].value[len(KG_NS):], int(row["n"].value))
                        for row in store.query(CLASS_COUNTS))
        sizes = {row["g"].value: int(row["n"].value) for row in store.query(GRAPH_SIZES)}
        documents = tuple(
            DocumentStats(row["g"].value[len(PREFIXES["doc"]):], row["file"].value, row["loaded"].value,
                          row["hash"].value, int(row["entities"].value), int(row["events"].value),
                          sizes.get(row["g"].value, 0))
            for row in store.query(DOCUMENT_COUNTS))
        return Stats(classes, documents, len(store))


def validate(store_path: str | None = None):
    """Check every document graph against the SHACL shapes."""
    from kg.rdf.shacl import validate_quads
    with open_store(store_path) as store:
        return validate_quads(list(store.quads()))


def remove(doc: str, store_path: str | None = None) -> list[str]:
    """Delete documents' graphs, named by file name, document id or IRI; returns their file names."""
    with open_store(store_path, write=True) as store:
        return store.remove_documents(doc)

"""The library calls behind `kg query`, `kg export`, `kg stats`, `kg validate`, `kg remove`
and `kg queries`. Each takes the store its command opened; a query and the statistics,
which run in a child process within a time and a memory limit, take the store's location
instead, since the child opens the store itself.

Nothing here imports spaCy or rdflib, so these commands start in a fraction of a second.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import pyoxigraph as ox

from kg import derived
from kg.errors import KgError, UsageError
from kg.query.limits import DEFAULT_MEGABYTES, Child, MemoryLimit, OutOfMemory, checkpoint, run_in_child
from kg.query.params import bind_params, binding_error
from kg.query.safety import check_query, is_update
from kg.query.saved import resolve_query
from kg.render.results import render_boolean, render_solutions, render_triples
from kg.store import Location, Store
from kg.vocab import KG_NS, PREFIXES

if TYPE_CHECKING:
    from kg.rdf.shacl import Report

T = TypeVar("T")
APPLIED = "update applied"
DAMAGE_CHECK_SECONDS = 60.0


@dataclass(frozen=True)
class QueryRequest:
    """A query checked before any store is opened: its SPARQL text, whether it is an update
    (which needs the store opened for writing), and its parameters as name and value."""

    text: str
    is_update: bool
    params: tuple[tuple[str, str], ...] = ()


def prepare_query(spec: str, params: dict[str, str] | None = None, *, update: bool = False,
                  allow_service: bool = False) -> QueryRequest:
    """The query a saved query name, a query file or inline SPARQL stands for, refused if it
    does what was not allowed or takes parameters it does not declare."""
    text, saved = resolve_query(spec)
    check_query(text, allow_update=update, allow_service=allow_service)
    params = params or {}
    if saved is not None:
        declared = {p.name for p in saved.params}
        unknown = sorted(set(params) - declared)
        if unknown and declared:
            raise UsageError(f"query {saved.name!r} has no parameter {unknown[0]!r} (it takes: {', '.join(sorted(declared))})")
    changes_store = is_update(text)
    if changes_store and params:
        raise UsageError("--param binds query variables; an update takes none")
    return QueryRequest(text, changes_store, tuple(params.items()))


def query(request: QueryRequest, store: Store, fmt: str = "table") -> bytes:
    """Run a prepared query on an open store; return the rendered result, or for an update
    how many quads it added or removed."""
    if request.is_update:
        before = len(store)
        store.update(request.text, prefixes=PREFIXES)
        checkpoint(APPLIED)
        return f"update applied: {len(store) - before:+d} quads\n".encode()
    try:
        bound = bind_params(store, request.text, dict(request.params))
        result = store.query(bound.text, bound.substitutions, prefixes=PREFIXES)
    except RuntimeError as exc:
        raise binding_error(exc) from exc
    if isinstance(result, ox.QueryBoolean):
        return render_boolean(result, fmt)
    if isinstance(result, ox.QuerySolutions):
        return render_solutions(result, fmt)
    return render_triples(list(result))


def bounded_query(request: QueryRequest, location: Location, fmt: str, timeout: float | None,
                  memory: MemoryLimit | None) -> bytes:
    """`query` in a child process that is stopped when time runs out or that its memory
    cap stops, since a running query cannot be interrupted from inside; the child opens
    the store itself. An update the store committed is reported as applied whatever
    happens while its quads are counted."""
    def opened_and_run() -> bytes:
        with location.open(write=request.is_update) as store:
            return query(request, store, fmt)
    child = run_in_child(opened_and_run, timeout, " (--timeout)", memory)
    try:
        return bounded(child, location)
    except KgError as exc:
        if APPLIED not in child.reached:
            raise
        return f"update applied (quads not counted: {exc})\n".encode()


def bounded_stats(location: Location) -> Stats:
    """`stats` in a child process within the default memory limit of a query."""
    def opened_and_counted() -> Stats:
        with location.open() as store:
            return stats(store)
    return bounded(run_in_child(opened_and_counted, None, "", MemoryLimit(DEFAULT_MEGABYTES, "")), location)


def bounded(child: Child[T], location: Location) -> T:
    """What the child returns. When its memory cap stopped it, a store on disk is read
    through once (within the same cap, and a time limit): a store with damaged files makes
    the database read garbage lengths and ask for gigabytes, so the damage is what to report."""
    try:
        return child.result()
    except OutOfMemory:
        if not location.remote:
            run_in_child(lambda: read_through(location), DAMAGE_CHECK_SECONDS, " checking the store",
                         child.memory).result()
        raise


def read_through(location: Location) -> None:
    """Read every quad, with its terms: what raises the database's checksum errors."""
    with location.open() as store:
        for _ in store.quads(include_ontology=True):
            pass


def export(store: Store, fmt: str = "turtle", *, include_ontology: bool = False) -> bytes:
    """Every quad of the store, in one RDF format."""
    from kg.render.rdf import serialize_rdf  # here: `kg query` starts without it

    return serialize_rdf(list(store.quads(include_ontology=include_ontology)), fmt)


def export_graph_csv(store: Store) -> dict[str, bytes]:
    """Node and edge tables of the store, by file name."""
    from kg.render.gephi import graph_csv

    return graph_csv(list(store.quads()))


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
  GRAPH ?g {{ {{ ?s a ?class }} UNION {{ ?m <{KG_NS}entity> ?s ; <{KG_NS}entityClass> ?class }} }}
  FILTER(STRSTARTS(STR(?g), "{PREFIXES['doc']}") && STRSTARTS(STR(?class), "{KG_NS}") && ?class != <{KG_NS}EntityMention>)
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


def stats(store: Store) -> Stats:
    """Counts per class and per document."""
    classes = tuple((row["class"].value[len(KG_NS):], int(row["n"].value))
                    for row in store.query(CLASS_COUNTS))
    sizes = {row["g"].value: int(row["n"].value) for row in store.query(GRAPH_SIZES)}
    documents = tuple(
        DocumentStats(row["g"].value[len(PREFIXES["doc"]):], row["file"].value, row["loaded"].value,
                      row["hash"].value, int(row["entities"].value), int(row["events"].value),
                      sizes.get(row["g"].value, 0))
        for row in store.query(DOCUMENT_COUNTS))
    return Stats(classes, documents, len(store))


def validate(store: Store) -> Report:
    """Check every document graph against the SHACL shapes."""
    from kg.rdf.shacl import validate_quads
    return validate_quads(list(store.quads()))


def remove(store: Store, doc: str) -> list[str]:
    """Delete documents' graphs, named by file name, document id or IRI; returns their file names."""
    return derived.remove_documents(store, doc)

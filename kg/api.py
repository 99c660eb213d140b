"""The library behind the command line, and the Python API for notebooks and scripts.

`kg.open(location)` gives a `Graph`: the store at a folder or on a SPARQL server, with
`load`, `query`, `update`, `export`, `remove`, `stats` and `validate`. The functions below
it are what the commands call: each takes the store's `Location`, since a query and the
statistics run in a child process within a time and a memory limit, and the child opens
the store itself.

Nothing here imports spaCy or rdflib at import time, so `kg query` starts in a fraction of
a second.
"""
from __future__ import annotations

import contextlib
import io
import os
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, TypeVar, Union

import pyoxigraph as ox

from kg import derived
from kg.errors import KgError, QueryNote, QueryTimeout, StoreError, UsageError
from kg.query.limits import (DEFAULT_MEGABYTES, DEFAULT_TIMEOUT, Child, MemoryLimit, OutOfMemory, checkpoint, parts_of,
                             run_in_child, stream_in_child)
from kg.query.params import Bound, bind_params, binding_error
from kg.query.safety import check_query, is_update, operation, tokens
from kg.query.saved import resolve_query
from kg.render.results import (Layout, compact, render_boolean, render_solutions, render_triples, rows_line,
                               table_blocks)
from kg.store import Location, Store
from kg.vocab import ENTITIES_GRAPH, KG_NS, POS_NS, PREFIXES

if TYPE_CHECKING:
    from kg.load.loader import LoadOptions, LoadReport, Sources
    from kg.rdf.shacl import Report
    from kg.render.rows import Rows

T = TypeVar("T")
APPLIED = "update applied"
DAMAGE_CHECK_SECONDS = 60.0
PAGED_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class QueryRequest:
    """A query checked before any store is opened: its SPARQL text, whether it is an update
    (which needs the store opened for writing), its parameters as name and value, and the
    page of its answer asked for (`limit` rows or triples after the first `offset`)."""

    text: str
    is_update: bool
    params: tuple[tuple[str, str], ...] = ()
    limit: int | None = None
    offset: int = 0
    columns: tuple[str, ...] | None = None  # a SELECT's variables, known when it is paged


def prepare_query(spec: str, params: dict[str, str] | None = None, *, update: bool = False,
                  allow_service: bool = False, limit: int | None = None, offset: int = 0) -> QueryRequest:
    """The query a saved query name, a query file or inline SPARQL stands for, refused if it
    does what was not allowed or takes parameters it does not declare. `SELECT *` is given
    its variables in the order the query names them."""
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
    paging = limit is not None or offset > 0
    form = query_form(text)
    if paging and (changes_store or form not in PAGED_FORMS):
        raise UsageError("a limit or an offset applies to SELECT, CONSTRUCT and DESCRIBE queries only")
    if limit is not None and limit < 0 or offset < 0:
        raise UsageError("a limit and an offset are numbers of rows: 0 or more")
    text = with_star_named(text)
    columns = projection(text) if paging and form == "SELECT" else None
    return QueryRequest(text, changes_store, tuple(params.items()), limit, offset, columns)


def query_form(text: str) -> str:
    """What a query is, by its first keyword after the prologue: SELECT, ASK, CONSTRUCT,
    DESCRIBE, or that of an update.

    >>> query_form("PREFIX a: <http://x/> select * { ?s ?p ?o }")
    'SELECT'
    """
    first = operation(text)
    return first.text.upper() if first is not None else ""


def projection(text: str) -> tuple[str, ...] | None:
    """The variables a SELECT gives, in its order, as Oxigraph reads them (None when the
    text does not parse: the store reports that, where it runs).

    >>> projection("SELECT ?b (1 AS ?a) WHERE { ?b kg:p ?c }"), projection("SELECT ?x {")
    (('b', 'a'), None)
    """
    try:
        solutions = ox.Store().query(text, prefixes=PREFIXES)
    except (SyntaxError, ValueError, RuntimeError, OSError):
        return None
    return tuple(v.value for v in solutions.variables) if isinstance(solutions, ox.QuerySolutions) else None


def with_star_named(text: str) -> str:
    """A `SELECT *` with its variables named in the order they first appear in the query,
    rather than the alphabetical order the store gives them; any other query as it is.
    Only the `*` token changes, so nothing else the query says can.

    >>> with_star_named("SELECT DISTINCT * WHERE { ?who kg:metWith ?whom . OPTIONAL { ?who kg:x ?at } }")
    'SELECT DISTINCT ?who ?whom ?at WHERE { ?who kg:metWith ?whom . OPTIONAL { ?who kg:x ?at } }'
    """
    first = operation(text)
    if first is None or not first.is_word("SELECT"):
        return text
    following = tokens(text[first.end:])
    star = next(following, None)
    if star is not None and star.is_word("DISTINCT", "REDUCED"):
        star = next(following, None)
    if star is None or star.text != "*":
        return text
    given = projection(text)
    if not given:
        return text
    seen = dict.fromkeys(token.text[1:] for token in following if token.kind == "variable")
    ordered = [name for name in seen if name in given] + [name for name in given if name not in seen]
    start = first.end + star.start
    return f"{text[:start]}{' '.join('?' + name for name in ordered)}{text[start + 1:]}"


def paged(request: QueryRequest, text: str) -> str:
    """A SELECT's text cut to the page asked for: the query inside a sub-select, its
    prologue kept in front, so that its own modifiers (ORDER BY, LIMIT) apply first and no
    part of its text is changed; any other query as it is.

    >>> print(paged(QueryRequest("", False, limit=10, offset=20, columns=("s",)), "PREFIX a: <http://x/>\\nSELECT ?s { ?s a:p ?o } ORDER BY ?s # last"))
    PREFIX a: <http://x/>
    SELECT ?s WHERE { {
    SELECT ?s { ?s a:p ?o } ORDER BY ?s # last
    } } LIMIT 10 OFFSET 20
    """
    if request.columns is None:
        return text
    start = operation(text).start
    named = " ".join("?" + name for name in request.columns) or "*"
    limit = f" LIMIT {request.limit}" if request.limit is not None else ""
    offset = f" OFFSET {request.offset}" if request.offset else ""
    return f"{text[:start]}SELECT {named} WHERE {{ {{\n{text[start:]}\n}} }}{limit}{offset}"


def executed(request: QueryRequest, store: Store, bound: Bound):
    """The store's own answer to a query: solutions, a boolean or triples. Parameters are
    bound first, then the page is cut, so that a page is one of the bound query's answer."""
    try:
        return store.query(paged(request, bound.text), bound.substitutions, prefixes=PREFIXES)
    except RuntimeError as exc:
        raise binding_error(exc) from exc


# ---------------------------------------------------------------- answers, as they come from the child


@dataclass(frozen=True)
class Head:
    """What kind of answer follows, as the child sends it first: `rows` of a SELECT in
    these `columns`, `ask` (its boolean is `value`), `written` bytes of a results format,
    or the `triples` of a CONSTRUCT or DESCRIBE, each once; with the `notes` binding its
    parameters left for the user (a name that matched no entity)."""

    kind: str
    columns: tuple[str, ...] = ()
    value: bool = False
    notes: tuple[str, ...] = ()


def answer_items(request: QueryRequest, store: Store, fmt: str | None) -> Iterator:
    """What a query answers, as the child sends it: what kind of answer, then its rows,
    bytes or triples. A W3C results format is written here, by Oxigraph's own writers;
    rows and triples go back as terms."""
    bound = bind_params(store, request.text, dict(request.params))
    result = executed(request, store, bound)
    notes = bound.notes
    written = fmt not in (None, "table")
    if isinstance(result, ox.QueryBoolean):
        yield Head("written", notes=notes) if written else Head("ask", value=bool(result), notes=notes)
        if written:
            yield render_boolean(result, fmt)
    elif isinstance(result, ox.QuerySolutions):
        if written:
            yield Head("written", notes=notes)
            yield render_solutions(result, fmt)
        else:
            yield Head("rows", tuple(v.value for v in result.variables), notes=notes)
            yield from (tuple(solution) for solution in result)
    else:
        yield Head("triples", notes=notes)
        end = None if request.limit is None else request.offset + request.limit
        triples = (item.triple if isinstance(item, ox.Quad) else item for item in result)  # a server's come as quads
        yield from islice(once_each(triples), request.offset, end)


def once_each(items: Iterable[T]) -> Iterator[T]:
    """Items in their order, each the first time it comes, as they come.

    >>> list(once_each([2, 1, 2, 3, 1]))
    [2, 1, 3]
    """
    seen: set[T] = set()
    for item in items:
        if item not in seen:
            seen.add(item)
            yield item


class Solutions:
    """A SELECT's rows as the query gives them: `columns`, then `parts()`, lists of rows of
    terms (None where a variable is unbound), read once. Closing it stops the query."""

    def __init__(self, columns: tuple[str, ...], parts: Iterator[list], close: Callable[[], None]):
        self.columns = columns
        self._parts = parts
        self._close = close

    def parts(self) -> Iterator[list[tuple]]:
        return self._parts

    def close(self) -> None:
        self._close()

    def __enter__(self) -> Solutions:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


Answer = Union[Solutions, bytes, bool, list]


@dataclass(frozen=True)
class Answered:
    """A query's answer, with the notes binding its parameters left for the user (such as a
    name that matched no entity, which is why the answer is empty): the command line
    prints them on standard error, the Python API keeps them on the rows."""

    answer: Answer
    notes: tuple[str, ...] = ()


def answer_from(parts: Iterator[list], close: Callable[[], None]) -> Answered:
    """The answer a stream of parts holds (its first part says what kind): rows to read as
    they come (a SELECT), or, read whole, written bytes, a boolean or the triples."""
    try:
        head = next(parts)[0]
        if head.kind == "rows":
            return Answered(Solutions(head.columns, parts, close), head.notes)
        items = [item for part in parts for item in part]
    except BaseException:
        close()
        raise
    close()
    if head.kind == "ask":
        return Answered(head.value, head.notes)
    if head.kind == "written":
        return Answered(b"".join(items), head.notes)
    return Answered(items, head.notes)


@dataclass(frozen=True)
class Limits:
    """What one query may take: `timeout` seconds (None: no limit) and `memory` (None: no
    cap); `whose` ends the timeout message, naming the setting that gave it."""

    timeout: float | None = DEFAULT_TIMEOUT
    memory: MemoryLimit | None = field(default_factory=lambda: MemoryLimit(DEFAULT_MEGABYTES, ""))
    whose: str = ""


def answer(request: QueryRequest, location: Location, limits: Limits, fmt: str | None = None) -> Answered:
    """A prepared query run in a child process within its limits, with the notes binding its
    parameters left. A SELECT's rows come back as `Solutions` to read as they are found,
    unless `fmt` names a W3C results format, in which the child writes the whole answer
    (bytes); an ASK gives a boolean (or bytes), a CONSTRUCT or DESCRIBE its triples.
    Closing the solutions, or an interrupt while waiting for them, kills the child."""
    def work() -> Iterator:
        with location.open() as store:
            yield from answer_items(request, store, fmt)
    parts = damage_checked(stream_in_child(work, limits.timeout, limits.whose, limits.memory).parts(),
                           location, limits.memory)
    return answer_from(parts, parts.close)


def damage_checked(parts: Iterator[list], location: Location, memory: MemoryLimit | None) -> Iterator[list]:
    """The parts a child sends; when its memory cap stopped it, a store on disk is read
    through once (within the same cap, and a time limit): a store with damaged files makes
    the database read garbage lengths and ask for gigabytes, so the damage is what to report."""
    try:
        yield from parts
    except OutOfMemory:
        check_for_damage(location, memory)
        raise


def check_for_damage(location: Location, memory: MemoryLimit | None) -> None:
    """Raise the damage a store on disk shows when read through; a read that cannot finish
    in its time or memory (a large, sound store) shows none, and the query's own limit is
    what to report."""
    if not location.remote:
        try:
            run_in_child(lambda: read_through(location), DAMAGE_CHECK_SECONDS, " checking the store", memory).result()
        except (QueryTimeout, OutOfMemory):
            return


def rendered(answer: Answer, fmt: str, layout: Layout = Layout()) -> Iterator[bytes]:
    """An answer as the command line writes it, in chunks as it comes: a SELECT as a table
    (a block of lines per part of its rows, then the number of rows) or the bytes of its
    results format; an ASK as true or false; triples as Turtle."""
    if isinstance(answer, Solutions):
        with answer:
            count = 0
            def cells() -> Iterator[list[list[str]]]:
                nonlocal count
                for part in answer.parts():
                    count += len(part)
                    yield [[compact(term) for term in row] for row in part]
            for block in table_blocks(list(answer.columns), cells(), layout):
                yield block.encode()
            yield f"{rows_line(count)}\n".encode()
    elif isinstance(answer, bytes):
        yield answer
    elif isinstance(answer, bool):
        yield b"true\n" if answer else b"false\n"
    else:
        yield render_triples(answer)


def query(request: QueryRequest, store: Store, fmt: str = "table") -> bytes:
    """A prepared query run here on an open store, without limits; its rendered answer, or
    for an update how many quads it added or removed."""
    if request.is_update:
        return applied_text(Applied(changed(request, store)))
    items = parts_of(answer_items(request, store, fmt))
    return b"".join(rendered(answer_from(items, items.close).answer, fmt))


@dataclass(frozen=True)
class Applied:
    """An update the store committed: the change in its number of quads, or None with the
    reason it could not be counted."""

    quads: int | None
    problem: str = ""


def applied_text(applied: Applied) -> bytes:
    """What `kg query --update` prints.

    >>> applied_text(Applied(-3)), applied_text(Applied(None, "query stopped after 1 s"))
    (b'update applied: -3 quads\\n', b'update applied (quads not counted: query stopped after 1 s)\\n')
    """
    if applied.quads is None:
        return f"update applied (quads not counted: {applied.problem})\n".encode()
    return f"update applied: {applied.quads:+d} quads\n".encode()


def changed(request: QueryRequest, store: Store) -> int:
    """Run an update; the change in the store's number of quads."""
    before = len(store)
    store.update(request.text, prefixes=PREFIXES)
    checkpoint(APPLIED)
    return len(store) - before


def update(request: QueryRequest, location: Location, limits: Limits | None) -> Applied:
    """A prepared update run on the store opened for writing: here and to its end when
    there are no limits, else in a child within them. An update the store committed is
    reported as applied whatever happens while its quads are counted."""
    if limits is None:
        with location.open(write=True) as store:
            return Applied(changed(request, store))

    def opened_and_changed() -> int:
        with location.open(write=True) as store:
            return changed(request, store)
    child = run_in_child(opened_and_changed, limits.timeout, limits.whose, limits.memory)
    try:
        return Applied(bounded(child, location))
    except KgError as exc:
        if APPLIED not in child.reached:
            raise
        return Applied(None, str(exc))


def bounded_stats(location: Location) -> Stats:
    """`stats` in a child process within the default memory limit of a query."""
    def opened_and_counted() -> Stats:
        with location.open() as store:
            return stats(store)
    return bounded(run_in_child(opened_and_counted, None, "", MemoryLimit(DEFAULT_MEGABYTES, "")), location)


def bounded(child: Child[T], location: Location) -> T:
    """What the child returns, its memory cap reported as damage where that is the cause
    (see `damage_checked`)."""
    try:
        return child.result()
    except OutOfMemory:
        check_for_damage(location, child.memory)
        raise


def read_through(location: Location) -> None:
    """Read every quad, with its terms: what raises the database's checksum errors."""
    with location.open() as store:
        for _ in store.quads(include_ontology=True):
            pass


# ---------------------------------------------------------------- export

EXPORT_FORMATS = ("turtle", "trig", "nquads", "ntriples", "jsonld", "rdfxml", "csv")
STREAMED_FORMATS = ("turtle", "trig", "nquads", "ntriples")  # written in flat memory (`streamed_export`)
EXTENSIONS = {".ttl": "turtle", ".trig": "trig", ".nq": "nquads", ".nt": "ntriples", ".jsonld": "jsonld",
              ".rdf": "rdfxml", ".xml": "rdfxml", ".owl": "rdfxml"}


def export_format(fmt: str | None, output: str | os.PathLike | None) -> str:
    """The export format: the one named, else the one the output file's extension means (as
    riot and `oxigraph convert` read it), else Turtle for standard output. An extension
    that means another format than the one named, or that means none, is refused.

    >>> export_format(None, "graph.nq"), export_format("trig", None), export_format(None, None), export_format("nquads", "/dev/stdout")
    ('nquads', 'trig', 'turtle', 'nquads')
    >>> export_format("turtle", "graph.nq")
    Traceback (most recent call last):
    kg.errors.UsageError: --format turtle does not match the extension of graph.nq, which means nquads
    """
    if fmt is not None and fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {fmt!r} (known: {', '.join(EXPORT_FORMATS)})")
    if output is None or fmt == "csv":
        return fmt or "turtle"
    suffix = Path(output).suffix.lower()
    meant = EXTENSIONS.get(suffix)
    if fmt is None and meant is None:
        known = " ".join(sorted(EXTENSIONS))
        raise UsageError(f"cannot tell the format of {output} from its extension (known: {known}); give --format")
    if fmt is not None and meant is not None and meant != fmt:
        raise UsageError(f"--format {fmt} does not match the extension of {output}, which means {meant}")
    return fmt or meant


def export(store: Store, fmt: str = "turtle", *, include_ontology: bool = False) -> bytes:
    """Every quad of the store, in one RDF format."""
    from kg.render.rdf import serialize_rdf  # here: `kg query` starts without it

    if fmt in STREAMED_FORMATS:
        buffer = io.BytesIO()
        streamed_export(store, fmt, buffer, include_ontology)
        return buffer.getvalue()
    return serialize_rdf(list(store.quads(include_ontology=include_ontology)), fmt)


def streamed_export(store: Store, fmt: str, path_or_file: str | os.PathLike | IO[bytes],
                    include_ontology: bool) -> list[Path]:
    """Turtle, TriG, N-Quads or N-Triples written while the store is read, so the export of
    a store of any size (on disk or a server's Graph Store stream) holds a part of it at a
    time (`kg.render.rdf.write_streamed`), its temporary parts beside the file written;
    the files written."""
    from kg.render.rdf import write_streamed  # here: `kg query` starts without it

    expected = len(store) if fmt in ("turtle", "ntriples") else 0
    quads = store.quads(include_ontology=include_ontology)
    if hasattr(path_or_file, "write"):
        write_streamed(quads, expected, fmt, path_or_file)
        return []
    path = Path(path_or_file)
    beside = path if path.is_file() or not path.exists() else None  # not beside /dev/null or a FIFO
    write_file(path, lambda handle: write_streamed(quads, expected, fmt, handle, beside))
    return [path]


def export_graph_csv(store: Store) -> dict[str, bytes]:
    """Node and edge tables of the store, by file name."""
    from kg.render.gephi import graph_csv

    return graph_csv(list(store.quads()))


def write_file(path: str | os.PathLike, data: bytes | Callable[[IO[bytes]], None]) -> None:
    """Write a file whole or not at all: beside its place, then renamed into it, keeping
    the mode of the one it replaces, so a failed write (a full disk) leaves the previous
    file. What is not a regular file (/dev/null, a FIFO) is written in place. `data` is
    the bytes, or a function that writes them to the open file as they are made."""
    path = Path(path)
    write = data if callable(data) else (lambda handle: handle.write(data))
    try:
        if path.exists() and not path.is_file():
            with path.open("wb") as handle:
                write(handle)
            return
        import tempfile  # here: `kg query` starts without it

        mask = os.umask(0)
        os.umask(mask)
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~mask
        handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False)
        try:
            with handle:
                write(handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(handle.name, mode)
            os.replace(handle.name, path)
        except BaseException:
            os.unlink(handle.name)
            raise
    except OSError as exc:
        raise KgError(f"cannot write {path}: {exc.strerror or exc}") from exc


# ---------------------------------------------------------------- statistics, validation, removal


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


# Each count but one is a COUNT(*) of statements that are unique where they are counted (a
# graph is a set; an event's source and evidence are single), so the store keeps one counter
# per group, never the set of what it has seen, and `kg stats` runs in bounded memory at any
# size. Offices are the exception: an office's node is named after its holder and role, so
# documents share it, and it is counted once (a set as large as the offices, not the facts).
CLASS_COUNTS = f"""
SELECT ?class (COUNT(*) AS ?n) WHERE {{
  {{ GRAPH ?g {{ ?s a ?class }} FILTER(STRSTARTS(STR(?g), "{PREFIXES['doc']}") && !STRSTARTS(STR(?s), "{POS_NS}")) }}
  UNION {{ GRAPH <{ENTITIES_GRAPH}> {{ ?s a ?class }} }}
  FILTER(STRSTARTS(STR(?class), "{KG_NS}") && ?class != <{KG_NS}EntityMention>)
}} GROUP BY ?class
"""
SHARED_NODE_COUNTS = f"""
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  GRAPH ?g {{ ?s a ?class }}
  FILTER(STRSTARTS(STR(?g), "{PREFIXES['doc']}") && STRSTARTS(STR(?s), "{POS_NS}") && STRSTARTS(STR(?class), "{KG_NS}"))
}} GROUP BY ?class
"""
DOCUMENTS = f"""
SELECT ?g ?file ?loaded ?hash WHERE {{
  GRAPH ?g {{ ?g <{KG_NS}fileName> ?file ; <{KG_NS}loadedAt> ?loaded ; <{KG_NS}contentHash> ?hash }}
}}
"""
ENTITY_COUNTS = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s <{KG_NS}mentionedIn> ?g }} }} GROUP BY ?g"
EVENT_COUNTS = f"""
SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s <{KG_NS}source> ?g ; <{KG_NS}evidence> ?x }} }} GROUP BY ?g
"""
GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def counts_by_graph(store: Store, sparql: str) -> dict[str, int]:
    return {row["g"].value: int(row["n"].value) for row in store.query(sparql)}


def stats(store: Store) -> Stats:
    """Counts per class and per document, the documents in file-name order."""
    counts: dict[str, int] = {}
    for row in [*store.query(CLASS_COUNTS), *store.query(SHARED_NODE_COUNTS)]:
        name = row["class"].value[len(KG_NS):]
        counts[name] = counts.get(name, 0) + int(row["n"].value)
    classes = tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    sizes, entities, events = (counts_by_graph(store, q) for q in (GRAPH_SIZES, ENTITY_COUNTS, EVENT_COUNTS))
    documents = sorted((
        DocumentStats(row["g"].value[len(PREFIXES["doc"]):], row["file"].value, row["loaded"].value,
                      row["hash"].value, entities.get(row["g"].value, 0), events.get(row["g"].value, 0),
                      sizes.get(row["g"].value, 0))
        for row in store.query(DOCUMENTS)), key=lambda d: (d.file_name, d.document))
    return Stats(classes, tuple(documents), len(store))


def validate(store: Store) -> Report:
    """Check every graph but the ontology's against the SHACL shapes, a part at a time
    (`kg.rdf.shacl.validate_stream`), so a store of any size is checked in bounded memory."""
    from kg.rdf.shacl import validate_stream
    return validate_stream(store.quads(), len(store))


def remove(store: Store, doc: str) -> list[str]:
    """Delete documents' graphs, named by file name, document id or IRI; returns their file names."""
    return derived.remove_documents(store, doc)


# ---------------------------------------------------------------- loading


def load_options(*, date: str | None = None, model: str | None = None, workers: int | None = None,
                 cluster: str | None = None, validate: bool = True, max_size: int | None = None,
                 name: str | None = None) -> LoadOptions:
    """How to load, checked before anything is read: one worker per core unless told, and
    never workers with a cluster, which has its own."""
    from kg.ingest import MAX_SIZE
    from kg.load.loader import LoadOptions
    from kg.load.workers import default_workers
    if cluster and workers:
        raise UsageError("--workers and --cluster do not go together: the cluster has its own workers")
    return LoadOptions(date=date, model=model, workers=workers or default_workers(), cluster=cluster,
                       validate=validate, max_size=MAX_SIZE if max_size is None else max_size, stdin_name=name)


def load(location: Location, sources: Sources, options: LoadOptions,
         progress: Callable[[int, int], None] | None = None) -> LoadReport:
    """Load what was found into the store, opened for writing; with nothing to read, no
    store is opened (or created) and no model loaded."""
    from kg.load.loader import LoadReport
    from kg.load.loader import load as run_load
    if not sources.sources:
        return LoadReport(0, 0, 0, 0, 0, 0.0, sources.failures)
    with location.open(write=True) as store:
        return run_load(sources, store, options, progress=progress)


# ---------------------------------------------------------------- the Python API


class Graph:
    """A kg store, at a folder or on a SPARQL server, for notebooks and scripts.

    Each call opens the store and closes it before it returns, so a `kg load` in a terminal
    can write between two calls. A query runs in a child process within `timeout` seconds
    (300) and `max_memory` MB (1,024), as `kg query` does: a runaway query or one that
    would take the machine's memory then fails with a `KgError` instead of freezing or
    killing the notebook's kernel, and the kernel's interrupt stops it at once. Pass
    `timeout=None` or `max_memory=None` to lift a limit.

    >>> import kg, shutil, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> graph = kg.open(folder)
    >>> graph.update('INSERT DATA { GRAPH doc:a { ent:nato skos:prefLabel "NATO" . '
    ...              'ev:1 a kg:Suspension ; kg:agent ent:nato ; kg:date "2015-04-01"^^xsd:date } }')
    4
    >>> rows = graph.query("SELECT * WHERE { ?event kg:agent ?who ; kg:date ?date . ?who skos:prefLabel ?name }")
    >>> rows.columns
    ('event', 'who', 'date', 'name')
    >>> rows[0]["name"], rows[0]["date"], rows[0].term("who")
    ('NATO', datetime.date(2015, 4, 1), <NamedNode value=https://w3id.org/kg-news/entity/nato>)
    >>> graph.query("SELECT ?name WHERE { ?who skos:prefLabel ?name }", limit=1)
    name
    ----
    NATO
    (1 row)
    >>> graph.query("ASK { ?e a kg:Suspension }")
    True
    >>> graph.close(); shutil.rmtree(folder)
    """

    def __init__(self, location: Location | str | os.PathLike | None = None, *,
                 timeout: float | None = DEFAULT_TIMEOUT, max_memory: int | None = DEFAULT_MEGABYTES):
        self.location = Location.of(location)
        memory = MemoryLimit(max_memory, " (max_memory)") if max_memory is not None else None
        self.limits = Limits(timeout, memory, " (timeout)")
        self.closed = False

    def __repr__(self) -> str:
        return f"kg.open({self.location.public!r})"

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """End the use of the graph: every later call raises."""
        self.closed = True

    def _at(self) -> Location:
        if self.closed:
            raise StoreError(f"the graph at {self.location.public} is closed")
        return self.location

    @contextlib.contextmanager
    def _store(self, write: bool = False) -> Iterator[Store]:
        with self._at().open(write=write) as store:
            yield store

    def query(self, query: str, /, *, limit: int | None = None, offset: int = 0,
              **params: object) -> Rows | bool | list[ox.Triple]:
        """Run a saved query by name, a .rq file or SPARQL: a SELECT gives `Rows`, an ASK a
        bool, a CONSTRUCT or DESCRIBE a list of `pyoxigraph.Triple`. Keyword arguments bind
        parameters as `--param` does (a trailing underscore is dropped, so `from_=` binds
        ?from); `limit` and `offset` give a page of the answer. What the binding found worth
        telling (a name that matched no entity) is in the rows' `notes`, or for an ASK, a
        CONSTRUCT or a DESCRIBE, a `kg.errors.QueryNote` warning."""
        bound = {name[:-1] if name.endswith("_") else name: str(value) for name, value in params.items()}
        request = prepare_query(query, bound, limit=limit, offset=offset)
        answered = answer(request, self._at(), self.limits)
        result = answered.answer
        if isinstance(result, Solutions):
            from kg.render.rows import Rows
            with result:
                return Rows(result.columns, tuple(row for part in result.parts() for row in part), answered.notes)
        for note in answered.notes:
            warnings.warn(note, QueryNote, stacklevel=2)
        return result

    def update(self, sparql: str) -> int:
        """Run SPARQL Update (INSERT, DELETE, DROP ...) on the store; the change in its
        number of quads. It runs here, to its end, as a load does: a database opened for
        writing in a forked child of a process that has written before can wait forever
        for background threads that did not survive the fork."""
        request = prepare_query(sparql, update=True)
        if not request.is_update:
            raise UsageError("update() takes SPARQL Update; run a query with query()")
        return update(request, self._at(), None).quads

    def load(self, paths: str | os.PathLike | Iterable[str | os.PathLike], *, date: str | None = None,
             model: str | None = None, workers: int | None = None, cluster: str | None = None,
             validate: bool = True, max_size: int | None = None, name: str | None = None,
             progress: Callable[[int, int], None] | None = None) -> LoadReport:
        """Read articles (files, folders, "-" for standard input) and store what is
        extracted, with the options of `kg load`; a `LoadReport` says what was done,
        including the inputs that could not be read (`failures`)."""
        from kg.load.loader import gather
        options = load_options(date=date, model=model, workers=workers, cluster=cluster, validate=validate,
                               max_size=max_size, name=name)
        named = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
        return load(self._at(), gather([str(path) for path in named], options), options, progress)

    def export(self, format: str | None = None, path_or_file: str | os.PathLike | IO[bytes] | None = None, *,
               include_ontology: bool = False) -> bytes | dict[str, bytes] | list[Path]:
        """The store in an RDF format (turtle, trig, nquads, ntriples, jsonld, rdfxml) or as
        Gephi's node and edge tables (csv). Without a destination, the bytes (for csv, by
        file name); with a path, the files written (a folder for csv; the format, when not
        named, from the extension); with a binary file object, written there. RDF/XML and
        the other triple formats hold the union of the document graphs, without graph names.
        Turtle, TriG, N-Quads and N-Triples are written a part of the store at a time, in
        flat memory; JSON-LD and RDF/XML are built in memory."""
        destination = None if path_or_file is None or hasattr(path_or_file, "write") else path_or_file
        fmt = export_format(format, destination)
        if fmt == "csv" and path_or_file is not None and destination is None:
            raise UsageError("csv export writes two files, nodes.csv and edges.csv: give a folder, not a file object")
        with self._store() as store:
            if fmt in STREAMED_FORMATS and path_or_file is not None:
                return streamed_export(store, fmt, path_or_file, include_ontology)
            data = export_graph_csv(store) if fmt == "csv" else export(store, fmt, include_ontology=include_ontology)
        if path_or_file is None:
            return data
        if destination is None:
            path_or_file.write(data)
            return []
        return written(data, Path(destination))

    def remove(self, name: str) -> list[str]:
        """Delete documents and everything read from them, named by file name, document id or
        IRI; the file names removed."""
        with self._store(write=True) as store:
            return remove(store, name)

    def stats(self) -> Stats:
        """Counts of entities and events per class, and every loaded document."""
        return bounded_stats(self._at())

    def validate(self) -> Report:
        """The store checked against the SHACL shapes."""
        with self._store() as store:
            return validate(store)


def written(data: bytes | dict[str, bytes], path: Path) -> list[Path]:
    """Export data written to a file, or (node and edge tables) into a folder; the files."""
    if isinstance(data, bytes):
        write_file(path, data)
        return [path]
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KgError(f"cannot write {path}: {exc.strerror or exc}") from exc
    for name, table in data.items():
        write_file(path / name, table)
    return [path / name for name in data]


def open(location: Location | str | os.PathLike | None = None, *, timeout: float | None = DEFAULT_TIMEOUT,
         max_memory: int | None = DEFAULT_MEGABYTES) -> Graph:
    """The graph at a folder (created by the first load) or on a SPARQL server (an http(s)
    URL); none means $KG_STORE, else ./.kg. Use it in a `with` block, or call `close()`."""
    return Graph(location, timeout=timeout, max_memory=max_memory)

"""The SPARQL endpoint and the web page: `kg serve`.

`/sparql` speaks the SPARQL 1.1 Protocol, read-only: queries by GET or POST, results in
the four W3C formats picked by the Accept header (or `format=`), CONSTRUCT and DESCRIBE as
Turtle or N-Triples. `/` is a page to write queries, run the saved ones and look at the
graph; its script and the drawing library are files of this package, so it works offline.

Every request that reads the store runs in a forked child that opens the store read-only,
answers and exits, as `kg query --timeout` does (`kg.api.run_limited`), with the event loop
waiting on the child's pipe. A query cannot be interrupted from inside, so this is what
lets the server stop a runaway query at its time limit; opening the store per request also
means each answer sees every load committed before it (a read-only handle keeps the view
it opened with). Fork, open and answer take about 30 ms for a small query.
"""
from __future__ import annotations

import asyncio
import ipaddress
import multiprocessing
import socket
import sys
from dataclasses import dataclass
from itertools import islice
from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kg.api import list_queries, run_limited
from kg.errors import KgError, QueryRefused, QuerySyntaxError, StoreError, UsageError, message_line
from kg.render.results import RESULT_FORMATS, render_triples
from kg.vocab import EVENT_KINDS, KG_NS, PREFIXES
from kg.query.params import VARIABLE, substitutions
from kg.query.safety import check_query, is_update
from kg.store import open_store
from kg.web.pictures import (DEFAULT_MAX_EVENTS, document_list, graph_from_store, graph_from_triples,
                  local_name, term_text, web_dir)

MAX_BODY_BYTES = 1_000_000
STARTUP_TIMEOUT = 60.0
MAX_GRAPH_EVENTS = 2000
RESULT_MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8"}
GRAPH_MEDIA = {"turtle": "text/turtle; charset=utf-8", "ntriples": "application/n-triples"}
MEDIA_FORMATS = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
    "text/turtle": "turtle", "application/x-turtle": "turtle",
    "application/n-triples": "ntriples", "text/plain": "ntriples",
}
FORMAT_ALIASES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "turtle": "turtle",
                  "ttl": "turtle", "ntriples": "ntriples", "nt": "ntriples"}
READ_ONLY = "this endpoint is read-only: SPARQL Update is refused"
NO_SERVICE = "SERVICE is refused: this endpoint does not query other servers"
LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"]
EVENT_NAMES = EVENT_KINDS + ("Event",)
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
}

NODE_FACTS = """
SELECT DISTINCT ?s ?p ?o ?label WHERE {
  ?s ?p ?o .
  OPTIONAL { ?o skos:prefLabel ?label }
} ORDER BY ?p ?o LIMIT 300
"""
NODE_ROLES = """
SELECT DISTINCT ?s ?event ?role ?class ?evidence ?negated ?file WHERE {
  VALUES ?role { kg:agent kg:participant kg:counterpart kg:place }
  ?event ?role ?s ; a ?class ; kg:source ?doc .
  ?class rdfs:subClassOf+ kg:Event .
  OPTIONAL { ?event kg:evidence ?evidence }
  OPTIONAL { ?event kg:negated ?negated }
  OPTIONAL { ?doc kg:fileName ?file }
} ORDER BY ?file ?event LIMIT 200
"""
NODE_SOURCE = """
SELECT ?s ?doc (SAMPLE(?f) AS ?file) (SAMPLE(?h) AS ?headline) (SAMPLE(STR(?p)) AS ?published)
       (SAMPLE(?pub) AS ?publisher) WHERE {
  ?s kg:source ?doc .
  OPTIONAL { ?doc kg:fileName ?f } OPTIONAL { ?doc kg:headline ?h }
  OPTIONAL { ?doc kg:published ?p } OPTIONAL { ?doc kg:publisher ?pub }
} GROUP BY ?s ?doc ORDER BY ?file LIMIT 20
"""


class Refusal(Exception):
    """A request the endpoint answers with an error status and a one-line message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Answer:
    """What the query child sends back: a response body, or a status and a message."""

    status: int
    body: bytes
    media_type: str
    truncated: bool = False


# ---------------------------------------------------------------- content negotiation

def accepted_types(header: str | None) -> list[str]:
    """The media types of an Accept header, best first; equal weights keep their order.

    >>> accepted_types("text/csv;q=0.5, application/sparql-results+xml, image/png;q=0, */*;q=0.1")
    ['application/sparql-results+xml', 'text/csv', '*/*']
    """
    weighted = []
    for position, part in enumerate((header or "").split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        if not media:
            continue
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if weight > 0:
            weighted.append((-weight, position, media.lower()))
    return [media for _, _, media in sorted(weighted)]


def choose_format(accepted: list[str], kind: str, requested: str | None = None) -> str | None:
    """The format to answer in: `format=` first, then the Accept header, then the default
    (JSON results, Turtle graphs). None when the client accepts nothing we write.

    >>> choose_format(["text/csv"], "solutions"), choose_format(["text/html", "*/*"], "graph")
    ('csv', 'turtle')
    >>> choose_format(["image/png"], "solutions") is None, choose_format([], "graph", "json")
    (True, 'turtle')
    """
    formats = list(GRAPH_MEDIA if kind == "graph" else RESULT_MEDIA)
    if requested:
        return requested if requested in formats else formats[0]
    if not accepted:
        return formats[0]
    for media in accepted:
        if MEDIA_FORMATS.get(media) in formats:
            return MEDIA_FORMATS[media]
        if media == "*/*":
            return formats[0]
        if media.endswith("/*"):
            family = [f for f in formats if media_type(f).startswith(media[:-1])]
            if family:
                return family[0]
    return None


def media_type(fmt: str) -> str:
    """The Content-Type a format is sent with.

    >>> media_type("csv"), media_type("turtle")
    ('text/csv; charset=utf-8', 'text/turtle; charset=utf-8')
    """
    return RESULT_MEDIA.get(fmt) or GRAPH_MEDIA[fmt]


# ---------------------------------------------------------------- answering (in the child)

def tsv_term(term) -> str:
    """A term in the SPARQL TSV results syntax (N-Triples, with RDF 1.2 triple terms).

    >>> tsv_term(ox.Literal("a\\tb", language="en")), tsv_term(None)
    ('"a\\\\tb"@en', '')
    """
    if term is None:
        return ""
    if isinstance(term, ox.Triple):
        return f"<<( {tsv_term(term.subject)} {tsv_term(term.predicate)} {tsv_term(term.object)} )>>"
    return str(term)


def tsv_table(variables: list[ox.Variable], rows: list[ox.QuerySolution]) -> str:
    """Solutions as a SPARQL TSV document, which Oxigraph parses back without loss.

    >>> tsv_table([ox.Variable("x")], [[ox.NamedNode("http://x.org/a")]])
    '?x\\n<http://x.org/a>\\n'
    """
    lines = ["\t".join(str(v) for v in variables)]
    lines += ["\t".join(tsv_term(row[i]) for i in range(len(variables))) for row in rows]
    return "\n".join(lines) + "\n"


def first_solutions(solutions: ox.QuerySolutions, max_rows: int) -> tuple[ox.QuerySolutions, bool]:
    """At most `max_rows` solutions, as solutions Oxigraph can serialize, and whether
    more were left out: rows beyond the limit are never computed."""
    variables = solutions.variables
    rows = list(islice(solutions, max_rows + 1))
    truncated = len(rows) > max_rows
    kept = ox.parse_query_results(tsv_table(variables, rows[:max_rows]), ox.QueryResultsFormat.TSV)
    return kept, truncated


def serialize_result(result, accepted: list[str], requested: str | None, max_rows: int) -> Answer:
    """A query result in the negotiated format, cut at `max_rows` rows or triples."""
    kind = ("boolean" if isinstance(result, ox.QueryBoolean)
            else "solutions" if isinstance(result, ox.QuerySolutions) else "graph")
    fmt = choose_format(accepted, kind, requested)
    if fmt is None:
        offered = ", ".join(media_type(f).split(";")[0] for f in (GRAPH_MEDIA if kind == "graph" else RESULT_MEDIA))
        return Answer(406, f"not acceptable: this result can be sent as {offered}".encode(), "text/plain")
    if kind == "boolean":
        return Answer(200, result.serialize(format=RESULT_FORMATS[fmt]), media_type(fmt))
    if kind == "solutions":
        kept, truncated = first_solutions(result, max_rows)
        return Answer(200, kept.serialize(format=RESULT_FORMATS[fmt]), media_type(fmt), truncated)
    triples = list(islice(result, max_rows + 1))
    truncated = len(triples) > max_rows
    triples = triples[:max_rows]
    body = render_triples(triples) if fmt == "turtle" else ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    return Answer(200, body, media_type(fmt), truncated)


def answer_query(store_path: str, text: str, bindings: dict[str, str], accepted: list[str],
                 requested: str | None, max_rows: int) -> Answer:
    """Run one query against a freshly opened store; every failure becomes a short message."""
    try:
        with open_store(store_path) as store:
            result = store.query(text, substitutions(bindings), prefixes=PREFIXES)
            return serialize_result(result, accepted, requested, max_rows)
    except QuerySyntaxError as exc:
        return Answer(400, str(exc).encode(), "text/plain")
    except UsageError as exc:
        return Answer(400, str(exc).encode(), "text/plain")
    except RuntimeError as exc:
        return Answer(400, f"cannot bind parameters: {message_line(exc)} (a parameter must be a projected variable)".encode(), "text/plain")
    except KgError as exc:
        return Answer(500, str(exc).encode(), "text/plain")
    except Exception as exc:  # reported in one line, never a traceback
        return Answer(500, f"query failed: {message_line(exc)}".encode(), "text/plain")


def node_details(store_path: str, iri: str) -> dict | None:
    """What the page shows about one node: its facts, the events it takes part in, and for
    an event the document it was read from. None if the store says nothing about it."""
    subject = {ox.Variable("s"): ox.NamedNode(iri)}
    with open_store(store_path) as store:
        facts = [{"predicate": row["p"].value, "value": row["o"].value, "kind": term_kind(row["o"]),
                  **({"label": row["label"].value} if row["label"] is not None else {})}
                 for row in store.query(NODE_FACTS, subject, PREFIXES)]
        roles = [{"event": row["event"].value, "role": local_name(row["role"].value),
                  "type": local_name(row["class"].value), "evidence": term_text(row["evidence"]),
                  "negated": term_text(row["negated"]) == "true", "source": term_text(row["file"])}
                 for row in store.query(NODE_ROLES, subject, PREFIXES)]
        sources = [{"iri": row["doc"].value, "file": term_text(row["file"]), "headline": term_text(row["headline"]),
                    "published": term_text(row["published"]), "publisher": term_text(row["publisher"])}
                   for row in store.query(NODE_SOURCE, subject, PREFIXES)]
    if not facts and not roles:
        return None
    types = [f["value"] for f in facts if f["predicate"] == PREFIXES["rdf"] + "type"]
    labels = [f["value"] for f in facts if f["predicate"] == PREFIXES["skos"] + "prefLabel"]
    return {"iri": iri, "label": labels[0] if labels else None, "types": sorted(set(types)),
            "event": any(t.startswith(KG_NS) and local_name(t) in EVENT_NAMES for t in types),
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
        triples = list(islice(result, max_rows + 1))
        graph = graph_from_triples(triples[:max_rows])
        graph["truncated"] = len(triples) > max_rows
        return graph


def documents_of(store_path: str) -> list[dict]:
    """Every loaded document, for the page's document picker."""
    with open_store(store_path) as store:
        return document_list(store)


# ---------------------------------------------------------------- reading requests

async def read_body(request: Request) -> bytes:
    """The request body, refused past MAX_BODY_BYTES so a client cannot exhaust memory."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise Refusal(413, f"request body over {MAX_BODY_BYTES} bytes")
    return body


def decode_text(body: bytes) -> str:
    """A request body as text; SPARQL is UTF-8.

    >>> decode_text("ASK {}".encode())
    'ASK {}'
    """
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refusal(400, "the request body is not UTF-8 text") from None


async def request_fields(request: Request) -> tuple[list[tuple[str, str]], str | None]:
    """The protocol's parameters (URL and form) and a direct-POST query body, if any."""
    fields = list(request.query_params.multi_items())
    if request.method != "POST":
        return fields, None
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/sparql-update":
        raise Refusal(403, READ_ONLY)
    body = await read_body(request)
    if content_type == "application/x-www-form-urlencoded":
        return fields + parse_qsl(decode_text(body), keep_blank_values=True), None
    if content_type == "application/sparql-query":
        return fields, decode_text(body)
    raise Refusal(415, "POST a form (application/x-www-form-urlencoded) or a query (application/sparql-query)")


def protocol_query(fields: list[tuple[str, str]], body: str | None) -> tuple[str, dict[str, str], str | None]:
    """The query text, the `$name=value` bindings and the `format=` of a request.

    >>> protocol_query([("query", "SELECT ?x {}"), ("$x", "ent:nato"), ("format", "csv")], None)
    ('SELECT ?x {}', {'x': 'ent:nato'}, 'csv')
    """
    if any(name == "update" for name, _ in fields):
        raise Refusal(403, READ_ONLY)
    queries = [value for name, value in fields if name == "query"] + ([body] if body is not None else [])
    if not queries or not queries[0].strip():
        raise Refusal(400, "no query: pass query=... (GET or a POSTed form) or POST application/sparql-query")
    if len(queries) > 1:
        raise Refusal(400, "more than one query in the request")
    bindings = {name[1:]: value for name, value in fields if name.startswith("$")}
    for name in bindings:
        if not VARIABLE.match(name):
            raise Refusal(400, f"not a variable name: ${name}")
    formats = [value for name, value in fields if name == "format"]
    requested = None
    if formats:
        requested = FORMAT_ALIASES.get(formats[-1].strip().lower())
        if requested is None:
            raise Refusal(400, f"unknown format {formats[-1]!r} (json, xml, csv, tsv, turtle or ntriples)")
    return queries[0], bindings, requested


def refuse_unsafe(text: str) -> None:
    """Refuse what a public read-only endpoint never does: change the store, call out."""
    if is_update(text):
        raise Refusal(403, READ_ONLY)
    try:
        check_query(text, allow_update=True)
    except QueryRefused:
        raise Refusal(400, NO_SERVICE) from None


def refusal_response(status: int, message: str) -> PlainTextResponse:
    """The short text/plain error every failure is reported as."""
    return PlainTextResponse(message.rstrip("\n") + "\n", status_code=status)


# ---------------------------------------------------------------- the application

class KgApp:
    """The routes of one served store, with its time limit and row limit."""

    def __init__(self, store_path: str, timeout: float, max_rows: int):
        self.store_path = store_path
        self.timeout = timeout
        self.max_rows = max_rows

    async def in_child(self, work):
        """Run store work in a forked child within the time limit. The event loop waits on
        the child's pipe, so a running query holds no thread, and a request cancelled at
        shutdown kills its child instead of waiting for it."""
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=child_main, args=(work, send), daemon=True)
        process.start()
        send.close()
        try:
            if not await readable(receive, self.timeout or None):
                raise Refusal(503, f"query stopped after {self.timeout:g} s, the server's time limit")
            status, payload = receive.recv()
        except (EOFError, OSError):
            raise Refusal(500, "query failed: the query process ended unexpectedly") from None
        except asyncio.CancelledError:  # the server is stopping: answer rather than log a traceback
            raise Refusal(503, "the server is shutting down") from None
        finally:
            if process.is_alive():
                process.kill()
            process.join(5)
            receive.close()
        if status == "ok":
            return payload
        exit_code, message = payload  # 2 is the caller's mistake, as on the command line
        raise Refusal(400 if exit_code == UsageError.exit_code else 500, message)

    async def sparql(self, request: Request) -> Response:
        """The SPARQL 1.1 Protocol query operation."""
        try:
            fields, body = await request_fields(request)
            text, bindings, requested = protocol_query(fields, body)
            refuse_unsafe(text)
            accepted = accepted_types(request.headers.get("accept"))
            store_path, max_rows = self.store_path, self.max_rows
            answer = await self.in_child(lambda: answer_query(store_path, text, bindings, accepted, requested, max_rows))
        except Refusal as refusal:
            return refusal_response(refusal.status, refusal.message)
        if answer.status != 200:
            return refusal_response(answer.status, answer.body.decode("utf-8", "replace"))
        headers = {"X-KG-Truncated": "true"} if answer.truncated else {}
        headers["Vary"] = "Accept"
        return Response(answer.body, media_type=answer.media_type, headers=headers)

    async def page(self, request: Request) -> Response:
        """The web page."""
        return FileResponse(web_dir() / "index.html", media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)

    async def queries(self, request: Request) -> Response:
        """The saved queries, for the page's side list."""
        listed = [{"name": q.name, "title": q.title or q.name, "description": q.description,
                   "params": [{"name": p.name, "description": p.description} for p in q.params],
                   "text": q.text}
                  for q in list_queries()]
        return JSONResponse(listed)

    async def prefixes(self, request: Request) -> Response:
        """The predeclared prefixes, which the page shortens IRIs with."""
        return JSONResponse(PREFIXES)

    async def documents(self, request: Request) -> Response:
        """The loaded documents with headlines and event counts."""
        store_path = self.store_path
        try:
            return JSONResponse(await self.in_child(lambda: documents_of(store_path)))
        except Refusal as refusal:
            return refusal_response(refusal.status, refusal.message)

    async def graph(self, request: Request) -> Response:
        """Graph elements: the events of some documents (`doc=`, repeated; every document
        when absent, up to `limit=` events), or the triples of a CONSTRUCT (`query=`)."""
        params = request.query_params
        store_path, max_rows = self.store_path, self.max_rows
        try:
            limit = bounded_int(params.get("limit"), DEFAULT_MAX_EVENTS, MAX_GRAPH_EVENTS)
            if params.get("query"):
                text = params["query"]
                refuse_unsafe(text)
                work = lambda: query_graph(store_path, text, min(max_rows, limit * 10))
            else:
                documents = params.getlist("doc") or None
                work = lambda: store_graph(store_path, documents, limit)
            return JSONResponse(await self.in_child(work))
        except Refusal as refusal:
            return refusal_response(refusal.status, refusal.message)

    async def node(self, request: Request) -> Response:
        """One node's facts, the events it takes part in and the sentences they came from."""
        iri = request.query_params.get("iri", "")
        store_path = self.store_path
        try:
            ox.NamedNode(iri)
        except ValueError:
            return refusal_response(400, f"not an IRI: {iri!r}")
        try:
            details = await self.in_child(lambda: node_details(store_path, iri))
        except Refusal as refusal:
            return refusal_response(refusal.status, refusal.message)
        if details is None:
            return refusal_response(404, f"the store says nothing about <{iri}>")
        return JSONResponse(details)


def child_main(work, send) -> None:
    """The forked child: run the work and send back its result, or its error in one line."""
    try:
        send.send(("ok", work()))
    except KgError as exc:
        send.send(("error", (exc.exit_code, str(exc))))
    except BaseException as exc:  # reported, never a traceback
        send.send(("error", (1, f"query failed: {message_line(exc)}")))


async def readable(connection, timeout: float | None) -> bool:
    """Wait until the child has written to its pipe (or died); False when time ran out."""
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    fd = connection.fileno()
    loop.add_reader(fd, lambda: ready.done() or ready.set_result(True))
    try:
        await asyncio.wait_for(ready, timeout)
        return True
    except asyncio.TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)


def bounded_int(value: str | None, default: int, maximum: int) -> int:
    """A positive integer parameter, capped; the default when absent.

    >>> bounded_int(None, 300, 2000), bounded_int("5000", 300, 2000), bounded_int("12", 300, 2000)
    (300, 2000, 12)
    """
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise Refusal(400, f"not a number: {value!r}") from None
    if number < 1:
        raise Refusal(400, f"must be at least 1: {value!r}")
    return min(number, maximum)


def check_store(store_path: str) -> None:
    """Open the store once in a child, as every request will, so a wrong path fails at the
    start; the server process itself never opens the store, so the children it forks
    inherit no storage-engine state."""
    def opened() -> bool:
        with open_store(store_path):
            return True
    try:
        run_limited(opened, STARTUP_TIMEOUT)
    except KgError as exc:
        raise StoreError(str(exc)) from None


def create_app(store_path: str, *, timeout: float = 30.0, max_rows: int = 10000) -> Starlette:
    """The web application serving one store; raises StoreError if there is no store there,
    so a mistyped path fails at start and not at the first request."""
    check_store(str(store_path))
    routes_of = KgApp(str(store_path), timeout, max_rows)
    routes = [
        Route("/", routes_of.page, methods=["GET", "HEAD"]),
        Route("/sparql", routes_of.sparql, methods=["GET", "POST"]),
        Route("/api/queries", routes_of.queries, methods=["GET"]),
        Route("/api/prefixes", routes_of.prefixes, methods=["GET"]),
        Route("/api/documents", routes_of.documents, methods=["GET"]),
        Route("/api/graph", routes_of.graph, methods=["GET"]),
        Route("/api/node", routes_of.node, methods=["GET"]),
        Mount("/static", StaticFiles(directory=str(web_dir())), name="static"),
    ]
    return Starlette(routes=routes)


def display_host(host: str) -> str:
    """A host as it appears in a URL: IPv6 addresses in brackets.

    >>> display_host("127.0.0.1"), display_host("::1")
    ('127.0.0.1', '[::1]')
    """
    return f"[{host}]" if ":" in host else host


def is_loopback(host: str) -> bool:
    """Whether the server listens only on this machine.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host and port (0 picks a free port), or a one-line error."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        return socket.create_server((host, port), family=family)
    except OSError as exc:
        raise KgError(f"cannot listen on {display_host(host)}:{port}: {exc.strerror or exc}") from None


def serve(store_path: str, *, host: str = "127.0.0.1", port: int = 7878, timeout: float = 30.0,
          max_rows: int = 10000) -> None:
    """Serve the endpoint and the page until interrupted."""
    import uvicorn

    app = create_app(store_path, timeout=timeout, max_rows=max_rows)
    if is_loopback(host):  # a web page elsewhere cannot reach the store through DNS rebinding
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=LOOPBACK_NAMES + [display_host(host)])
    sock = listening_socket(host, port)
    port = sock.getsockname()[1]
    print(f"kg: serving {store_path} at http://{display_host(host)}:{port}/ (SPARQL at /sparql)",
          file=sys.stderr, flush=True)
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=3)
    uvicorn.Server(config).run(sockets=[sock])

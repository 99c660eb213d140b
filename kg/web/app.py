"""The SPARQL endpoint and the web page: `kg serve`.

`/sparql` speaks the SPARQL 1.1 Protocol, read-only (`kg.web.protocol`). `/` is a page to
write queries, run the saved ones and look at the graph and the timeline (`kg.web.details`),
and `/entity/<name>` everything the store says about one entity; their scripts, the editor
and the drawing library are files of this package, so they work offline.

Every request that reads the store runs in a forked child that opens the store read-only,
answers and exits, as `kg query --timeout` does (`kg.query.limits`), with the event loop
waiting on the child's pipe. A query cannot be interrupted from inside, so this is what
lets the server stop a runaway query at its time limit; opening the store per request also
means each answer sees every load committed before it (a read-only handle keeps the view
it opened with). Fork, open and answer take about 30 ms for a small query.

What one client can take is bounded: each child's memory (`kg.query.limits`), the number
of children running at once (more requests wait in a short queue, then get 503 with
Retry-After), a request whose client hangs up has its child killed, a body over 1 MB or
slower than `BODY_SECONDS` is refused, and a connection whose request headers have not
all arrived `HEADER_SECONDS` after it opened (or after its last answer) is closed.
"""
from __future__ import annotations

import asyncio
import functools
import ipaddress
import re
import socket
import sys

import h11
import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from uvicorn.protocols.http.h11_impl import H11Protocol

from kg.query.saved import list_queries
from kg.errors import KgError, QueryTimeout, StoreError, UsageError
from kg.query.limits import DEFAULT_MEGABYTES, MemoryLimit, OutOfMemory, run_in_child
from kg.store import Location, open_store
from kg.vocab import PREFIXES, event_class_names, page_vocabulary, role_values
from kg.web.details import documents_of, node_details, query_graph, store_graph
from kg.web.pictures import DEFAULT_MAX_EVENTS, web_dir
from kg.web.protocol import (Refusal, accepted_types, answer_query, error_headers, notes_header, protocol_query,
                             refusal_response, refuse_unsafe, request_fields, window_of)

STARTUP_TIMEOUT = 60.0
MAX_GRAPH_EVENTS = 2000
SERVER_LIMIT = ", the server's time limit"
MEMORY_LIMIT = ", the server's memory limit"
HEADER_SECONDS = 10.0
RETRY_AFTER = "5"
STARTUP_LIMIT = " opening the store at start"
LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"]
EVENT_NAMES = event_class_names() + ("Event",)
ENTITY_ID = re.compile(r"^[A-Za-z0-9_.-]+$")
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
}

NODE_ROLES = """
SELECT DISTINCT ?s ?event ?role ?class ?evidence ?negated ?file WHERE {
  VALUES ?role { %s }
  ?event ?role ?s ; a ?class ; kg:source ?doc .
  ?class rdfs:subClassOf+ kg:Event .
  OPTIONAL { ?event kg:evidence ?evidence }
  OPTIONAL { ?event kg:negated ?negated }
  OPTIONAL { ?doc kg:fileName ?file }
} ORDER BY ?file ?event LIMIT 200
""" % role_values()


# ---------------------------------------------------------------- the application

def refusals_answered(route):
    """A route whose refusals are answered as their status and one line of text."""
    @functools.wraps(route)
    async def answered(self, request: Request) -> Response:
        try:
            return await route(self, request)
        except Refusal as refusal:
            return refusal_response(refusal.status, refusal.message, refusal.headers)
    return answered


class KgApp:
    """The routes of one served store, with its limits: time, rows and memory of one query,
    and queries running at once (as many again, twice over, may wait for a turn)."""

    def __init__(self, store_path: str, timeout: float, max_rows: int, max_memory: int = DEFAULT_MEGABYTES,
                 max_queries: int = 4):
        self.store_path = store_path
        self.timeout = timeout
        self.max_rows = max_rows
        self.memory = MemoryLimit(max_memory, MEMORY_LIMIT)
        self.turns = asyncio.Semaphore(max_queries)
        self.admitted = 0
        self.max_admitted = 3 * max_queries

    async def in_child(self, request: Request, work):
        """Run store work in a forked child within the limits, its errors as refusals: the
        caller's mistakes (exit code 2, as on the command line) 400, a limit 503, anything
        else 500. A request waits for a turn in a short queue and is refused when that is
        full; one whose client hangs up, or that is cancelled at shutdown, kills its child."""
        if self.admitted >= self.max_admitted:
            raise Refusal(503, "the server is busy: too many queries at once; try again shortly",
                          {"Retry-After": RETRY_AFTER})
        self.admitted += 1
        try:
            async with self.turns:
                return await until_disconnected(request, self.answered(work))
        finally:
            self.admitted -= 1

    async def answered(self, work):
        try:
            return await run_in_child(work, self.timeout or None, SERVER_LIMIT, self.memory).result_async()
        except (QueryTimeout, OutOfMemory) as exc:
            raise Refusal(503, str(exc)) from None
        except KgError as exc:
            status = 400 if exc.exit_code == UsageError.exit_code else 500
            raise Refusal(status, str(exc), error_headers(str(exc))) from None
        except asyncio.CancelledError:
            raise Refusal(503, "the server is shutting down") from None

    @refusals_answered
    async def sparql(self, request: Request) -> Response:
        """The SPARQL 1.1 Protocol query operation."""
        fields, body = await request_fields(request)
        text, bindings, requested = protocol_query(fields, body)
        window = window_of(fields)
        refuse_unsafe(text)
        accepted = accepted_types(request.headers.get("accept"))
        store_path, max_rows = self.store_path, self.max_rows
        answer = await self.in_child(request, lambda: answer_query(store_path, text, bindings, accepted, requested,
                                                                   max_rows, window))
        if answer.status != 200:
            raise Refusal(answer.status, answer.body.decode("utf-8", "replace"))
        headers = {"X-KG-Truncated": "true"} if answer.truncated else {}
        if answer.more:
            headers["X-KG-More"] = "true"
        headers["Vary"] = "Accept"
        headers.update(notes_header(answer.notes))
        return Response(answer.body, media_type=answer.media_type, headers=headers)

    async def page(self, request: Request) -> Response:
        """The web page."""
        return FileResponse(web_dir() / "index.html", media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)

    async def entity(self, request: Request) -> Response:
        """An entity's own page, which its script fills from the saved query `about`; its
        address is a link to share."""
        if not ENTITY_ID.match(request.path_params["id"]):
            return refusal_response(404, f"not an entity name: {request.path_params['id']!r}")
        return FileResponse(web_dir() / "entity.html", media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)

    async def queries(self, request: Request) -> Response:
        """The saved queries, for the page's side list."""
        listed = [{"name": q.name, "title": q.title or q.name, "description": q.description,
                   "params": [{"name": p.name, "description": p.description} for p in q.params],
                   "text": q.text}
                  for q in list_queries()]
        return JSONResponse(listed)

    async def vocabulary(self, request: Request) -> Response:
        """The event classes, roles and entity groups the page draws with, from the ontology."""
        return JSONResponse(page_vocabulary())

    async def prefixes(self, request: Request) -> Response:
        """The predeclared prefixes, which the page shortens IRIs with."""
        return JSONResponse(PREFIXES)

    @refusals_answered
    async def documents(self, request: Request) -> Response:
        """The loaded documents with headlines and event counts."""
        store_path = self.store_path
        return JSONResponse(await self.in_child(request, lambda: documents_of(store_path)))

    @refusals_answered
    async def graph(self, request: Request) -> Response:
        """Graph elements: the events of some documents (`doc=`, repeated; every document
        when absent, up to `limit=` events), or the triples of a CONSTRUCT (`query=`)."""
        params = request.query_params
        store_path, max_rows = self.store_path, self.max_rows
        limit = bounded_int(params.get("limit"), DEFAULT_MAX_EVENTS, MAX_GRAPH_EVENTS)
        if params.get("query"):
            text = params["query"]
            refuse_unsafe(text)
            work = lambda: query_graph(store_path, text, min(max_rows, limit * 10))
        else:
            documents = params.getlist("doc") or None
            work = lambda: store_graph(store_path, documents, limit)
        return JSONResponse(await self.in_child(request, work))

    @refusals_answered
    async def node(self, request: Request) -> Response:
        """One node's facts, the events it takes part in and the sentences they came from."""
        iri = request.query_params.get("iri", "")
        store_path = self.store_path
        try:
            ox.NamedNode(iri)
        except ValueError:
            raise Refusal(400, f"not an IRI: {iri!r}") from None
        details = await self.in_child(request, lambda: node_details(store_path, iri, NODE_ROLES, EVENT_NAMES))
        if details is None:
            raise Refusal(404, f"the store says nothing about <{iri}>")
        return JSONResponse(details)


async def until_disconnected(request: Request, answer):
    """The answer, unless the client hangs up first: then the answer's task is cancelled,
    which kills its child, and the request ends (with nobody left to tell)."""
    answering = asyncio.ensure_future(answer)
    hang_up = asyncio.ensure_future(disconnected(request))
    try:
        await asyncio.wait({answering, hang_up}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        hang_up.cancel()
    if not answering.done():
        answering.cancel()
        try:
            await answering
        except (asyncio.CancelledError, Refusal):
            pass
        raise Refusal(499, "the client went away")
    return answering.result()


async def disconnected(request: Request) -> None:
    """Return when the client has closed its connection (the request body, if any, has
    been read by then)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


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
        run_in_child(opened, STARTUP_TIMEOUT, STARTUP_LIMIT).result()
    except KgError as exc:
        raise StoreError(str(exc)) from None


def create_app(store_path: Location | str, *, timeout: float = 30.0, max_rows: int = 10000,
               max_memory: int = DEFAULT_MEGABYTES, max_queries: int = 4) -> Starlette:
    """The web application serving one store; raises StoreError if there is no store there,
    so a mistyped path fails at start and not at the first request."""
    address = Location.of(store_path).address
    check_store(address)
    routes_of = KgApp(address, timeout, max_rows, max_memory, max_queries)
    routes = [
        Route("/", routes_of.page, methods=["GET", "HEAD"]),
        Route("/entity/{id}", routes_of.entity, methods=["GET", "HEAD"]),
        Route("/sparql", routes_of.sparql, methods=["GET", "POST"]),
        Route("/api/queries", routes_of.queries, methods=["GET"]),
        Route("/api/prefixes", routes_of.prefixes, methods=["GET"]),
        Route("/api/documents", routes_of.documents, methods=["GET"]),
        Route("/api/graph", routes_of.graph, methods=["GET"]),
        Route("/api/node", routes_of.node, methods=["GET"]),
        Route("/api/vocabulary", routes_of.vocabulary, methods=["GET"]),
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


def exposure_warning(host: str) -> str | None:
    """What listening beyond loopback means, or None on loopback.

    >>> exposure_warning("127.0.0.1") is None
    True
    """
    if is_loopback(host):
        return None
    return (f"kg: warning: listening on {display_host(host)}, not on loopback: the endpoint is public, and "
            "anyone who can reach this address can read the whole store (read-only, within the limits)")


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host and port (0 picks a free port), or a one-line error."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        return socket.create_server((host, port), family=family)
    except OSError as exc:
        raise KgError(f"cannot listen on {display_host(host)}:{port}: {exc.strerror or exc}") from None


class HeadersInTime(H11Protocol):
    """uvicorn's HTTP/1.1 connection, closed when a request's headers have not all arrived
    HEADER_SECONDS after the connection opened or its last answer went out: a client that
    sends headers a byte at a time would otherwise hold a connection for ever."""

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self.header_deadline = self.loop.call_later(HEADER_SECONDS, self.headers_too_slow)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self.header_deadline.cancel()
        self.header_deadline = self.loop.call_later(HEADER_SECONDS, self.headers_too_slow)

    def connection_lost(self, exc) -> None:
        self.header_deadline.cancel()
        super().connection_lost(exc)

    def headers_too_slow(self) -> None:
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def serve(store: Location | str, *, host: str = "127.0.0.1", port: int = 7878, timeout: float = 30.0,
          max_rows: int = 10000, max_memory: int = DEFAULT_MEGABYTES, max_queries: int = 4) -> None:
    """Serve the endpoint and the page until interrupted."""
    import uvicorn

    location = Location.of(store)
    app = create_app(location, timeout=timeout, max_rows=max_rows, max_memory=max_memory, max_queries=max_queries)
    warning = exposure_warning(host)
    if warning is None:  # a web page elsewhere cannot reach the store through DNS rebinding
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=LOOPBACK_NAMES + [display_host(host)])
    else:
        print(warning, file=sys.stderr, flush=True)
    sock = listening_socket(host, port)
    port = sock.getsockname()[1]
    print(f"kg: serving {location.public} at http://{display_host(host)}:{port}/ (SPARQL at /sparql)",
          file=sys.stderr, flush=True)
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=3, http=HeadersInTime,
                            timeout_keep_alive=5, limit_concurrency=200)
    uvicorn.Server(config).run(sockets=[sock])

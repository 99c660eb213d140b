"""The SPARQL 1.1 Protocol of `kg serve`'s `/sparql`, read-only.

Queries come by GET, a POSTed form or a POSTed query; `update=`, an update posted as a
query and SERVICE are refused. Results go out in the four W3C formats picked by `format=`
or the Accept header, CONSTRUCT and DESCRIBE as Turtle or N-Triples, cut at the server's
row limit. Every failure is a status and one line of text/plain, never a traceback; a
syntax error also names its line and column in `X-KG-Error-Line` and `X-KG-Error-Column`,
where the page puts its marker.

Beyond the protocol, `offset=` and `limit=` ask for one page of a SELECT's rows, so a page
can show a result of any size a hundred rows at a time; `X-KG-More: true` says more follow.
What binding a saved query's parameters found worth telling (a name that matched no entity)
goes out in `X-KG-Notes`, a JSON list of strings in ASCII.
"""
from __future__ import annotations

import asyncio
import dataclasses
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from typing import TypeVar
from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import PlainTextResponse

from kg.query.params import VARIABLE, Bound, bind_params, binding_error
from kg.query.safety import DATASET_REFUSED, calls_service, is_update, names_dataset
from kg.render.results import RESULT_FORMATS, render_triples
from kg.store import Store, open_store
from kg.vocab import PREFIXES
from kg.web.solutions import write_solutions

MAX_BODY_BYTES = 1_000_000
BODY_SECONDS = 30.0
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
SYNTAX_POSITION = re.compile(r"^SPARQL syntax error at line (\d+), column (\d+):")
T = TypeVar("T")


class Refusal(Exception):
    """A request the endpoint answers with an error status and a one-line message."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass(frozen=True)
class Answer:
    """What the query child sends back: a response body, or a status and a message."""

    status: int
    body: bytes
    media_type: str
    truncated: bool = False
    more: bool = False
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Window:
    """Which rows of a SELECT to send: from `offset`, at most `limit` (None: up to the
    server's row limit, the protocol's own behaviour)."""

    offset: int = 0
    limit: int | None = None


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

def serialize_result(result, accepted: list[str], requested: str | None, max_rows: int,
                     window: Window = Window()) -> Answer:
    """A query result in the negotiated format, cut at `max_rows` rows or triples; of a
    SELECT, the rows of `window`."""
    kind = ("boolean" if isinstance(result, ox.QueryBoolean)
            else "solutions" if isinstance(result, ox.QuerySolutions) else "graph")
    fmt = choose_format(accepted, kind, requested)
    if fmt is None:
        offered = ", ".join(media_type(f).split(";")[0] for f in (GRAPH_MEDIA if kind == "graph" else RESULT_MEDIA))
        return Answer(406, f"not acceptable: this result can be sent as {offered}".encode(), "text/plain")
    if kind == "boolean":
        return Answer(200, result.serialize(format=RESULT_FORMATS[fmt]), media_type(fmt))
    if kind == "solutions":
        size = max_rows if window.limit is None else min(window.limit, max_rows)
        rows, more = first(islice(result, window.offset, None), size)
        variables = [v.value for v in result.variables]
        body = write_solutions(variables, [tuple(row) for row in rows], fmt)
        return Answer(200, body, media_type(fmt), more and size == max_rows, more)
    triples, truncated = first(result, max_rows)
    body = render_triples(triples) if fmt == "turtle" else ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    return Answer(200, body, media_type(fmt), truncated)


def first(items: Iterable[T], max_rows: int) -> tuple[list[T], bool]:
    """The first `max_rows` items and whether there were more; later items are never
    computed.

    >>> first(iter("abc"), 2), first("ab", 2)
    ((['a', 'b'], True), (['a', 'b'], False))
    """
    kept = list(islice(items, max_rows + 1))
    return kept[:max_rows], len(kept) > max_rows


def answer_query(store_path: str, text: str, bindings: dict[str, str], accepted: list[str],
                 requested: str | None, max_rows: int, window: Window = Window()) -> Answer:
    """Run one query against a freshly opened store. Its errors go back to the server as
    they are (a UsageError, a syntax error among them, is the client's mistake)."""
    with open_store(store_path) as store:
        bound = bind_params(store, text, bindings)
        answer = serialize_result(bound_query(store, bound), accepted, requested, max_rows, window)
        return dataclasses.replace(answer, notes=bound.notes)


def bound_query(store: Store, bound: Bound):
    """The result of a query with its parameters bound as `kg query --param` binds them
    (`bind_params`), so a saved query means the same on the page, at the endpoint and on
    the command line."""
    try:
        return store.query(bound.text, bound.substitutions, prefixes=PREFIXES)
    except RuntimeError as exc:
        raise binding_error(exc) from None


def notes_header(notes: tuple[str, ...]) -> dict[str, str]:
    """The notes of an answer as a header, a JSON list in ASCII (a header carries no other
    characters safely); none without notes.

    >>> print(notes_header(("no entity in the store is named 'Лавров' (parameter name)",))["X-KG-Notes"])
    ["no entity in the store is named '\\u041b\\u0430\\u0432\\u0440\\u043e\\u0432' (parameter name)"]
    >>> notes_header(())
    {}
    """
    return {"X-KG-Notes": json.dumps(list(notes))} if notes else {}


def error_headers(message: str) -> dict[str, str]:
    """The line and column of a syntax error, as headers a page can mark the query with.

    >>> error_headers("SPARQL syntax error at line 3, column 14: expected one of ...")
    {'X-KG-Error-Line': '3', 'X-KG-Error-Column': '14'}
    >>> error_headers("the server is busy")
    {}
    """
    match = SYNTAX_POSITION.match(message)
    return {"X-KG-Error-Line": match.group(1), "X-KG-Error-Column": match.group(2)} if match else {}


# ---------------------------------------------------------------- reading requests

async def read_body(request: Request) -> bytes:
    """The request body, refused past MAX_BODY_BYTES or BODY_SECONDS, so a client can
    neither exhaust memory nor hold a connection by sending slowly."""
    try:
        return await asyncio.wait_for(bounded_body(request), BODY_SECONDS)
    except asyncio.TimeoutError:
        raise Refusal(408, f"request body not received within {BODY_SECONDS:g} s") from None


async def bounded_body(request: Request) -> bytes:
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


def window_of(fields: list[tuple[str, str]]) -> Window:
    """The rows a request asks for by `offset=` and `limit=`; every row when neither is given.

    >>> window_of([("offset", "200"), ("limit", "100")]), window_of([])
    (Window(offset=200, limit=100), Window(offset=0, limit=None))
    """
    values = dict(fields)
    offset = count_field(values.get("offset"), "offset", 0)
    limit = count_field(values.get("limit"), "limit", 1) if values.get("limit") else None
    return Window(offset, limit)


def count_field(value: str | None, name: str, least: int) -> int:
    """A whole-number field of at least `least`; 0 when absent.

    >>> count_field("12", "limit", 1), count_field(None, "offset", 0)
    (12, 0)
    """
    if value is None or value == "":
        return 0
    if not value.isdigit() or int(value) < least:
        raise Refusal(400, f"{name} must be a whole number of at least {least}, not {value!r}")
    return int(value)


def refuse_unsafe(text: str) -> None:
    """Refuse what a public read-only endpoint never does: change the store, call out, or
    read a dataset FROM names (which the store would ignore)."""
    if is_update(text):
        raise Refusal(403, READ_ONLY)
    if calls_service(text):
        raise Refusal(400, NO_SERVICE)
    if names_dataset(text):
        raise Refusal(400, DATASET_REFUSED)


def refusal_response(status: int, message: str, headers: dict[str, str] | None = None) -> PlainTextResponse:
    """The short text/plain error every failure is reported as."""
    return PlainTextResponse(message.rstrip("\n") + "\n", status_code=status, headers=headers)

"""A SPARQL 1.1 server as the store: the methods of the on-disk store, over HTTP.

Queries and updates use the SPARQL 1.1 Protocol; each document's graph is written with
one Graph Store Protocol PUT, which the server applies whole or not at all, and read back
with GETs that are parsed as they arrive, so an export holds no more than a few quads of
the server's at a time. Oxigraph server is the reference (`oxigraph serve`: /query,
/update, /store); Fuseki, GraphDB and Virtuoso put their endpoints elsewhere, which
`KG_SERVER` or the `KG_*_PATH` settings say.

Credentials come from the environment (`KG_STORE_TOKEN`, or `KG_STORE_USER` and
`KG_STORE_PASSWORD`) or the URL, go as HTTP basic or, where the server asks for it, digest,
and never appear in a message: the store is always named by its URL without user information.
"""
from __future__ import annotations

import base64
import concurrent.futures as cf
import email.message
import hashlib
import http.client
import itertools
import os
import re
import secrets
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import QuerySyntaxError, StoreError, UsageError
from kg.query.params import with_values
from kg.query.safety import operation
from kg.store import ServerURL, is_remote, public_url
from kg.store.common import (DOCUMENT_HASHES, DOCUMENTS, ONTOLOGY, as_ntriples, documents_named,
                             ontology_is_current, ontology_nquads, quad_count, removal, syntax_message)
from kg.vocab import DOC_NS, ONTOLOGY_GRAPH, ontology_fingerprint

ATTEMPTS = 4
BACKOFF = 0.25  # seconds before the first retry; doubled each time
TIMEOUT = 60.0
CONCURRENT_PUTS = 4
RETRIED_STATUS = {500, 502, 503, 504}
KG_GRAPHS = os.path.commonprefix([DOC_NS, ONTOLOGY_GRAPH])  # every graph kg writes is named under it


@dataclass(frozen=True)
class Preset:
    """How a kind of server is laid out: its endpoints' paths relative to the store URL,
    what makes its default graph the union of all graphs, whether its graph store hands out
    the whole dataset as N-Quads (else kg reads it graph by graph), whether it takes
    credentials by HTTP digest only, and whether it keeps graphs of its own beside kg's."""

    query: str
    update: str
    graph_store: str
    union: str
    dataset: bool = True
    digest: bool = False
    own_graphs: bool = False


SERVERS = {
    "oxigraph": Preset("/query", "/update", "/store", "union-default-graph"),
    "fuseki": Preset("/query", "/update", "/data", "default-graph-uri=urn:x-arq:UnionGraph"),
    "graphdb": Preset("", "/statements", "/rdf-graphs/service", "", dataset=False),
    # A query without FROM sees every graph, its own system graphs included; updates and
    # graph writes need the authenticated endpoints, which take digest only.
    "virtuoso": Preset("/sparql", "/sparql-auth", "/sparql-graph-crud-auth", "", dataset=False, digest=True,
                       own_graphs=True),
}


@dataclass(frozen=True)
class Endpoints:
    """Where a server answers queries, updates and graph writes, and how it is spoken to."""

    query: str
    update: str
    graph_store: str
    union: str
    preset: Preset


def endpoints(url: str, environ: dict | None = None) -> Endpoints:
    """The endpoints of the server at `url`: a known server's layout, with any path the
    environment gives instead.

    >>> endpoints("http://h:3030/ds", {"KG_SERVER": "fuseki"}).graph_store
    'http://h:3030/ds/data'
    >>> endpoints("http://h:7878", {"KG_SPARQL_QUERY_PATH": "/sparql"}).query
    'http://h:7878/sparql'
    """
    environ = os.environ if environ is None else environ
    kind = environ.get("KG_SERVER", "oxigraph").lower()
    if kind not in SERVERS:
        raise UsageError(f"KG_SERVER must be one of {', '.join(SERVERS)}, got {kind!r}")
    preset = SERVERS[kind]
    base = public_url(url)

    def where(name: str, default: str) -> str:
        path = environ.get(name, default)
        return path if is_remote(path) else base + path

    return Endpoints(where("KG_SPARQL_QUERY_PATH", preset.query), where("KG_SPARQL_UPDATE_PATH", preset.update),
                     where("KG_SPARQL_GRAPH_STORE_PATH", preset.graph_store),
                     environ.get("KG_SPARQL_UNION_PARAM", preset.union), preset)


def login(server: ServerURL, environ: dict | None = None) -> tuple[str, str] | None:
    """User and password, from the environment or from the URL's user information.

    >>> login(ServerURL.of("http://ann:pw@h"), {"KG_STORE_PASSWORD": "other"})
    ('ann', 'other')
    >>> login(ServerURL.of("http://h"), {}) is None
    True
    """
    environ = os.environ if environ is None else environ
    user = environ.get("KG_STORE_USER") or server.user
    return (user, environ.get("KG_STORE_PASSWORD") or server.password) if user else None


def credentials(server: ServerURL, environ: dict | None = None) -> str | None:
    """The Authorization header value sent with every request: a bearer token, else HTTP
    basic from the environment or from the URL's user information.

    >>> credentials(ServerURL.of("http://h"), {"KG_STORE_TOKEN": "t0k"})
    'Bearer t0k'
    >>> credentials(ServerURL.of("http://ann:pw@h"), {})
    'Basic YW5uOnB3'
    """
    environ = os.environ if environ is None else environ
    if environ.get("KG_STORE_TOKEN"):
        return f"Bearer {environ['KG_STORE_TOKEN']}"
    user_password = login(server, environ)
    if user_password is None:
        return None
    return "Basic " + base64.b64encode(":".join(user_password).encode()).decode()


def challenge(header: str) -> dict[str, str] | None:
    """The parameters of a digest challenge in a WWW-Authenticate header, or None when the
    server asks for another scheme.

    >>> challenge('Digest realm="SPARQL", nonce="ab,c", qop="auth", algorithm=MD5')
    {'realm': 'SPARQL', 'nonce': 'ab,c', 'qop': 'auth', 'algorithm': 'MD5'}
    >>> challenge('Basic realm="x"') is None
    True
    """
    scheme, _, rest = header.strip().partition(" ")
    if scheme.lower() != "digest":
        return None
    return {key.lower(): quoted if quoted or not bare else bare
            for key, quoted, bare in re.findall(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))', rest)}


DIGESTS = {"md5": hashlib.md5, "sha-256": hashlib.sha256}


def digest_authorization(asked: dict[str, str], user: str, password: str, method: str, target: str,
                         count: int, cnonce: str) -> str:
    """The answer to a digest challenge for one request (RFC 7616, qop "auth" when offered).

    The example of RFC 2617, section 3.5:
    >>> asked = {"realm": "testrealm@host.com", "nonce": "dcd98b7102dd2f0e8b11d0f600bfb0c093", "qop": "auth,auth-int"}
    >>> 'response="6629fae49393a05397450978507c4ef1"' in digest_authorization(
    ...     asked, "Mufasa", "Circle Of Life", "GET", "/dir/index.html", 1, "0a4f113b")
    True
    """
    algorithm = asked.get("algorithm", "MD5")
    hashed = DIGESTS.get(algorithm.lower())
    if hashed is None:
        raise StoreError(f"the server asks for digest authentication with {algorithm}, which kg does not speak")
    h = lambda text: hashed(text.encode()).hexdigest()  # noqa: E731
    realm, nonce = asked.get("realm", ""), asked.get("nonce", "")
    secret, request = h(f"{user}:{realm}:{password}"), h(f"{method}:{target}")
    fields = [f'username="{user}"', f'realm="{realm}"', f'nonce="{nonce}"', f'uri="{target}"', f"algorithm={algorithm}"]
    if "auth" in [q.strip() for q in asked.get("qop", "").split(",")]:
        response = h(f"{secret}:{nonce}:{count:08x}:{cnonce}:auth:{request}")
        fields += ["qop=auth", f"nc={count:08x}", f'cnonce="{cnonce}"']
    else:
        response = h(f"{secret}:{nonce}:{request}")
    if "opaque" in asked:
        fields.append(f'opaque="{asked["opaque"]}"')
    return "Digest " + ", ".join([*fields, f'response="{response}"'])


def bind_values(sparql: str, substitutions: dict | None) -> str:
    """The query with its parameters bound by a VALUES block at the start of its WHERE
    clause, which is what an embedded store's substitutions do. The clause is found on the
    query's tokens, so a brace or a WHERE in a comment, a string or an IRI is passed over.

    >>> bind_values("# where {a}\\nSELECT ?a WHERE { ?s ?p ?a }", {ox.Variable("a"): ox.Literal("x")})
    '# where {a}\\nSELECT ?a WHERE { VALUES ?a { "x" } ?s ?p ?a }'
    """
    return with_values(sparql, {variable.value: (term,) for variable, term in (substitutions or {}).items()})


def accepted(sparql: str) -> str:
    """The Accept header for a query: N-Triples for one that makes triples, since Virtuoso
    would answer a CONSTRUCT with solutions of ?s ?p ?o if results came first.

    >>> accepted("PREFIX a: <http://x/> CONSTRUCT { ?s a:p ?o } WHERE { ?s a:p ?o }")
    'application/n-triples, text/turtle;q=0.9'
    """
    first = operation(sparql)
    if first is not None and first.is_word("CONSTRUCT", "DESCRIBE"):
        return "application/n-triples, text/turtle;q=0.9"
    return "application/sparql-results+json"


def with_prefixes(sparql: str, prefixes: dict | None) -> str:
    """PREFIX declarations for the given prefixes, before the query's own (which win)."""
    head = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in (prefixes or {}).items())
    return head + sparql


class Connection:
    """Keep-alive HTTP connections, one per thread, with retries for idempotent requests.

    `authorization` goes with every request; `login` answers a digest challenge, whose
    nonce is then reused with a rising count, so a request costs one round trip, not two."""

    def __init__(self, name: str, authorization: str | None, timeout: float,
                 login: tuple[str, str] | None = None, digest: bool = False):
        self.name = name
        self.authorization = authorization
        self.login = login
        self.digest = digest  # the server wants digest, and refuses a body sent without it unread
        self.timeout = timeout
        self.local = threading.local()
        self.asked: dict[str, str] | None = None  # the last digest challenge
        self.count = itertools.count(1)
        self.cnonce = secrets.token_hex(8)

    def _connection(self, parts: urllib.parse.SplitResult) -> http.client.HTTPConnection:
        key = (parts.scheme, parts.hostname, parts.port)
        pool = self.local.__dict__.setdefault("pool", {})
        if key not in pool:
            kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
            pool[key] = kind(parts.hostname, parts.port, timeout=self.timeout)
        return pool[key]

    def _forget(self, parts: urllib.parse.SplitResult) -> None:
        connection = self.local.__dict__.get("pool", {}).pop((parts.scheme, parts.hostname, parts.port), None)
        if connection is not None:
            connection.close()

    def _authorization(self, method: str, target: str) -> str | None:
        asked = self.asked
        if asked is not None and self.login is not None:
            return digest_authorization(asked, *self.login, method, target, next(self.count), self.cnonce)
        return self.authorization

    def _send(self, method: str, url: str, body: bytes | None, headers: dict | None,
              idempotent: bool) -> tuple[urllib.parse.SplitResult, http.client.HTTPResponse]:
        """The response to a request, its body not yet read, with a digest challenge
        answered; connection failures, timeouts and server errors are retried with backoff
        when the request is idempotent."""
        parts = urllib.parse.urlsplit(url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        attempts = ATTEMPTS if idempotent else 1
        for attempt in range(attempts):
            problem = None
            try:
                response = self._answered(parts, method, target, body, dict(headers or {}))
                if response.status not in RETRIED_STATUS:
                    return parts, response
                problem = f"server error {response.status}: {first_line(response.read())}"
            except socket.timeout:
                problem = f"no answer within {self.timeout:g} s"
                self._forget(parts)
            except (ConnectionError, http.client.HTTPException, OSError) as exc:
                problem = connection_problem(exc)
                self._forget(parts)
                if self.digest:
                    self.asked = None  # perhaps a stale nonce: the server hung up without reading
            if attempt + 1 < attempts:
                time.sleep(BACKOFF * 2 ** attempt)
        tried = f" (tried {attempts} times)" if attempts > 1 else ""
        raise StoreError(f"SPARQL server {self.name}: {problem}{tried}")

    def _answered(self, parts: urllib.parse.SplitResult, method: str, target: str, body: bytes | None,
                  headers: dict) -> http.client.HTTPResponse:
        """One request, sent again once with fresh digest credentials if the server asks.
        A body goes to a digest server only once a challenge is known, learnt from a HEAD."""
        if self.digest and self.login is not None and self.asked is None and body is not None:
            self._answered(parts, "HEAD", target, None, {}).read()
        for _ in range(2):
            authorization = self._authorization(method, target)
            if authorization:
                headers["Authorization"] = authorization
            connection = self._connection(parts)
            connection.request(method, target, body=body, headers=headers)
            response = connection.getresponse()
            asked = challenge(response.getheader("WWW-Authenticate", "")) if response.status == 401 else None
            if asked is None or self.login is None or (asked == self.asked and asked.get("stale") != "true"):
                return response
            response.read()
            self.asked = asked
        return response

    def request(self, method: str, url: str, body: bytes | None = None, headers: dict | None = None, *,
                idempotent: bool = True) -> Answer:
        """The status, headers and body of a request."""
        parts, response = self._send(method, url, body, headers, idempotent)
        try:
            data = response.read()
        except (ConnectionError, http.client.HTTPException, OSError) as exc:
            self._forget(parts)
            raise StoreError(f"SPARQL server {self.name}: {connection_problem(exc)}") from exc
        return Answer(response.status, response.getheader("Content-Type", ""), data, response.headers)

    @contextmanager
    def streamed(self, url: str, headers: dict | None = None) -> Iterator[http.client.HTTPResponse]:
        """The response to a GET, read by the block as it arrives; a connection left
        partly read is closed, not reused."""
        parts, response = self._send("GET", url, None, headers, True)
        try:
            yield response
        except (ConnectionError, http.client.HTTPException, OSError) as exc:
            raise StoreError(f"SPARQL server {self.name}: {connection_problem(exc)}") from exc
        finally:
            if not response.isclosed():
                self._forget(parts)

    def close(self) -> None:
        for connection in self.local.__dict__.get("pool", {}).values():
            connection.close()


@dataclass(frozen=True)
class Answer:
    """A server's answer: status, content type, body, and all its headers."""

    status: int
    kind: str
    data: bytes
    headers: email.message.Message


BOOLEAN = re.compile(rb'("datatype"\s*:\s*"http://www\.w3\.org/2001/XMLSchema#boolean"\s*,\s*"value"\s*:\s*)"([01])"')


def canonical_booleans(results: bytes) -> bytes:
    """SPARQL JSON results with xsd:boolean values written true and false: Virtuoso writes
    1 and 0, which are the same values but would print differently from other stores'.

    >>> canonical_booleans(b'{"datatype": "http://www.w3.org/2001/XMLSchema#boolean", "value": "0"}')
    b'{"datatype": "http://www.w3.org/2001/XMLSchema#boolean", "value": "false"}'
    """
    return BOOLEAN.sub(lambda m: m.group(1) + (b'"true"' if m.group(2) == b"1" else b'"false"'), results)


def first_line(data: bytes) -> str:
    """The first line of a server's error text, shortened.

    >>> first_line(b"Parse error\\n  at line 3")
    'Parse error'
    """
    text = data.decode("utf-8", "replace").strip()
    line = text.splitlines()[0] if text else "no details"
    return line if len(line) <= 200 else line[:199] + "\u2026"


def connection_problem(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused (is the server running?)"
    if isinstance(exc, socket.gaierror):
        return "unknown host"
    return str(exc) or type(exc).__name__


class ServerStore:
    """The store on a SPARQL 1.1 server."""

    write_batch = 32  # documents per write: each is its own request, so batches stay small

    def __init__(self, server: ServerURL, *, write: bool = False, timeout: float = TIMEOUT):
        # `write` is the embedded store's: a server takes reads and writes on one connection
        self.location = server.public
        self.endpoints = endpoints(server.public)
        preset = self.endpoints.preset
        self.http = Connection(server.public, None if preset.digest else credentials(server), timeout,
                               None if os.environ.get("KG_STORE_TOKEN") else login(server), preset.digest)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> "ServerStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---------------------------------------------------------------- requests

    def _select(self, sparql: str, union: bool = False) -> ox.QuerySolutions | ox.QueryBoolean | Iterator:
        form = urllib.parse.urlencode({"query": sparql})
        if union and self.endpoints.union:
            form += "&" + self.endpoints.union
        answer = self.http.request(
            "POST", self.endpoints.query, form.encode("ascii"),
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": accepted(sparql)})
        if answer.status == 400:
            raise QuerySyntaxError(syntax_message(first_line(answer.data)))
        if answer.status >= 400:
            raise StoreError(f"SPARQL server {self.location}: query refused ({answer.status}: {first_line(answer.data)})")
        self._refuse_partial(answer)
        kind = answer.kind
        if "n-triples" in kind or "turtle" in kind:
            return iter(list(ox.parse(answer.data, format=ox.RdfFormat.N_TRIPLES if "n-triples" in kind else ox.RdfFormat.TURTLE)))
        return ox.parse_query_results(canonical_booleans(answer.data), format=ox.QueryResultsFormat.JSON)

    def _refuse_partial(self, answer: Answer) -> None:
        """Refuse a result the server cut short and still answered 200 for: Virtuoso stops
        at its row limit or its time limit and says so only in headers."""
        if answer.headers.get("X-SPARQL-MaxRows"):
            raise StoreError(f"SPARQL server {self.location}: the server cut the result at "
                             f"{answer.headers['X-SPARQL-MaxRows']} rows (raise its ResultSetMaxRows)")
        if answer.headers.get("X-SQL-State", "").startswith("S1T"):
            raise StoreError(f"SPARQL server {self.location}: the server stopped the query at its time limit "
                             f"and sent a partial result ({answer.headers.get('X-SQL-Message', 'timeout')})")

    def _update(self, sparql: str) -> None:
        answer = self.http.request(
            "POST", self.endpoints.update, urllib.parse.urlencode({"update": sparql}).encode("ascii"),
            {"Content-Type": "application/x-www-form-urlencoded"}, idempotent=False)
        if answer.status == 400:
            raise QuerySyntaxError(syntax_message(first_line(answer.data)))
        if answer.status >= 400:
            raise StoreError(f"SPARQL server {self.location}: update refused ({answer.status}: {first_line(answer.data)})")

    def _put_graph(self, graph: str, ntriples: bytes) -> None:
        answer = self.http.request("PUT", self.graph_url(graph), ntriples, {"Content-Type": "application/n-triples"})
        if answer.status >= 400:
            raise StoreError(f"SPARQL server {self.location}: could not write graph {graph} "
                             f"({answer.status}: {first_line(answer.data)})")

    def graph_url(self, graph: str) -> str:
        return self.endpoints.graph_store + "?" + urllib.parse.urlencode({"graph": graph})

    def _streamed_quads(self, url: str, graph: str | None) -> Iterator[ox.Quad]:
        """The quads a graph store GET sends, parsed as they arrive: the dataset as
        N-Quads, or one graph as N-Triples (its blank nodes renamed, so that two graphs'
        never meet)."""
        accept = "application/n-quads" if graph is None else "application/n-triples"
        with self.http.streamed(url, {"Accept": accept}) as response:
            if response.status == 404 and graph is not None:
                return  # removed since the graphs were listed
            if response.status >= 400:
                raise StoreError(f"SPARQL server {self.location}: could not read {graph or 'the dataset'} "
                                 f"({response.status}: {first_line(response.read())})")
            try:
                if graph is None:
                    yield from ox.parse(response, format=ox.RdfFormat.N_QUADS)
                    return
                name = ox.NamedNode(graph)
                for triple in ox.parse(response, format=ox.RdfFormat.N_TRIPLES, rename_blank_nodes=True):
                    yield ox.Quad(triple.subject, triple.predicate, triple.object, name)
            except SyntaxError as exc:
                raise StoreError(f"SPARQL server {self.location}: unreadable graph store answer: {first_line(str(exc).encode())}") from exc

    def _graph_names(self) -> list[str]:
        """The named graphs, or where the server keeps graphs of its own, kg's."""
        return [row["g"].value for row in self._select(
            f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._own_graphs('g')} }}")]

    def _own_graphs(self, variable: str) -> str:
        """A filter that keeps kg's graphs, on a server that keeps graphs of its own."""
        if not self.endpoints.preset.own_graphs:
            return ""
        return f"FILTER(STRSTARTS(STR(?{variable}), {ox.Literal(KG_GRAPHS)}))"

    # ---------------------------------------------------------------- writing

    def document_hashes(self) -> dict[str, str]:
        """Content hash of every loaded document, by document IRI."""
        return {row["g"].value: row["h"].value for row in self._select(DOCUMENT_HASHES)}

    def write_documents(self, graphs: list[tuple[str, bytes]]) -> int:
        """Write each document with one PUT of its graph, several at a time. A PUT replaces
        the graph whole, so documents already on the server need nothing more."""
        if not graphs:
            return 0
        with cf.ThreadPoolExecutor(max_workers=min(CONCURRENT_PUTS, len(graphs))) as pool:
            futures = [pool.submit(self._put_graph, graph, as_ntriples(nquads, graph)) for graph, nquads in graphs]
            for future in futures:
                future.result()
        return quad_count(graphs)

    def optimize(self) -> None:
        """Nothing to do: the server compacts its own database."""

    def remove_documents(self, name: str) -> list[str]:
        """Drop, in one update, the graphs of the documents a name matches."""
        drops, files = removal(self._select(documents_named(name)), name, self.location)
        self._update(drops)
        return files

    def ensure_ontology(self) -> None:
        """Put the ontology graph on the server, or replace it when the Turtle files changed."""
        fingerprint = ontology_fingerprint()
        if not self._select(ontology_is_current(fingerprint)):
            self.write_documents([(ONTOLOGY.value, ontology_nquads(fingerprint))])

    # ---------------------------------------------------------------- reading

    def query(self, sparql: str, substitutions: dict | None = None, prefixes: dict | None = None):
        """Run SPARQL over the union of all graphs."""
        return self._select(with_prefixes(bind_values(sparql, substitutions), prefixes), union=True)

    def update(self, sparql: str, prefixes: dict | None = None) -> None:
        """Run SPARQL Update (the server applies it as one transaction)."""
        self._update(with_prefixes(sparql, prefixes))

    def quads(self, *, include_ontology: bool = False) -> Iterator[ox.Quad]:
        """Every quad of the named graphs but the ontology's (unless asked), streamed from
        the graph store: the whole dataset in one GET where the server sends it, else one
        GET per graph."""
        if self.endpoints.preset.dataset:
            streams = [self._streamed_quads(self.endpoints.graph_store, None)]
        else:
            streams = (self._streamed_quads(self.graph_url(graph), graph) for graph in self._graph_names())
        for quad in itertools.chain.from_iterable(streams):
            if isinstance(quad.graph_name, ox.NamedNode) and (include_ontology or quad.graph_name != ONTOLOGY):
                yield quad

    def documents(self) -> list[ox.NamedNode]:
        return [row["g"] for row in self._select(DOCUMENTS)]

    def __len__(self) -> int:
        if self.endpoints.preset.own_graphs:
            counted = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._own_graphs('g')} }}"
        else:
            counted = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
        return next(int(row["n"].value) for row in self._select(counted))

"""A SPARQL 1.1 server as the store: the methods of the on-disk store, over HTTP.

Queries and updates use the SPARQL 1.1 Protocol; each document's graph is written with
one Graph Store Protocol PUT, which the server applies whole or not at all. Oxigraph
server is the reference (`oxigraph serve`: /query, /update, /store); Fuseki and GraphDB
put their endpoints elsewhere, which `KG_SERVER` or the `KG_*_PATH` settings say.

Credentials come from the environment (`KG_STORE_TOKEN`, or `KG_STORE_USER` and
`KG_STORE_PASSWORD`) and never appear in a message: the store is always named by its URL
without user information.
"""
from __future__ import annotations

import base64
import concurrent.futures as cf
import http.client
import os
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import QuerySyntaxError, StoreError, UsageError
from kg.query.params import with_values
from kg.store import ServerURL, is_remote, public_url
from kg.store.common import (DOCUMENT_HASHES, DOCUMENTS, ONTOLOGY, as_ntriples, documents_named,
                             ontology_is_current, ontology_nquads, quad_count, removal, syntax_message)
from kg.vocab import ontology_fingerprint

ATTEMPTS = 4
BACKOFF = 0.25  # seconds before the first retry; doubled each time
TIMEOUT = 60.0
CONCURRENT_PUTS = 4
RETRIED_STATUS = {500, 502, 503, 504}


@dataclass(frozen=True)
class Endpoints:
    """Where a server answers queries, updates and graph writes, and how it is told to
    query the union of all graphs."""

    query: str
    update: str
    graph_store: str
    union: str


SERVERS = {  # paths relative to the store URL
    "oxigraph": ("/query", "/update", "/store", "union-default-graph"),
    "fuseki": ("/query", "/update", "/data", "default-graph-uri=urn:x-arq:UnionGraph"),
    "graphdb": ("", "/statements", "/rdf-graphs/service", ""),
}


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
    query, update, store, union = SERVERS[kind]
    base = public_url(url)

    def where(name: str, default: str) -> str:
        path = environ.get(name, default)
        return path if is_remote(path) else base + path

    return Endpoints(where("KG_SPARQL_QUERY_PATH", query), where("KG_SPARQL_UPDATE_PATH", update),
                     where("KG_SPARQL_GRAPH_STORE_PATH", store), environ.get("KG_SPARQL_UNION_PARAM", union))


def credentials(server: ServerURL, environ: dict | None = None) -> str | None:
    """The Authorization header value: a bearer token, else HTTP basic from the environment
    or from the URL's user information.

    >>> credentials(ServerURL.of("http://h"), {"KG_STORE_TOKEN": "t0k"})
    'Bearer t0k'
    >>> credentials(ServerURL.of("http://ann:pw@h"), {})
    'Basic YW5uOnB3'
    """
    environ = os.environ if environ is None else environ
    if environ.get("KG_STORE_TOKEN"):
        return f"Bearer {environ['KG_STORE_TOKEN']}"
    user = environ.get("KG_STORE_USER") or server.user
    password = environ.get("KG_STORE_PASSWORD") or server.password
    if not user:
        return None
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def bind_values(sparql: str, substitutions: dict | None) -> str:
    """The query with its parameters bound by a VALUES block at the start of its WHERE
    clause, which is what an embedded store's substitutions do. The clause is found on the
    query's tokens, so a brace or a WHERE in a comment, a string or an IRI is passed over.

    >>> bind_values("# where {a}\\nSELECT ?a WHERE { ?s ?p ?a }", {ox.Variable("a"): ox.Literal("x")})
    '# where {a}\\nSELECT ?a WHERE { VALUES ?a { "x" } ?s ?p ?a }'
    """
    return with_values(sparql, {variable.value: (term,) for variable, term in (substitutions or {}).items()})


def with_prefixes(sparql: str, prefixes: dict | None) -> str:
    """PREFIX declarations for the given prefixes, before the query's own (which win)."""
    head = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in (prefixes or {}).items())
    return head + sparql


class Connection:
    """Keep-alive HTTP connections, one per thread, with retries for idempotent requests."""

    def __init__(self, name: str, authorization: str | None, timeout: float):
        self.name = name
        self.authorization = authorization
        self.timeout = timeout
        self.local = threading.local()

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

    def request(self, method: str, url: str, body: bytes | None = None, headers: dict | None = None, *,
                idempotent: bool = True) -> tuple[int, str, bytes]:
        """Status, content type and body of a request; connection failures, timeouts and
        server errors are retried with backoff when the request is idempotent."""
        parts = urllib.parse.urlsplit(url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        headers = dict(headers or {})
        if self.authorization:
            headers["Authorization"] = self.authorization
        attempts = ATTEMPTS if idempotent else 1
        for attempt in range(attempts):
            problem = None
            try:
                connection = self._connection(parts)
                connection.request(method, target, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
                status = response.status
                if status in RETRIED_STATUS:
                    problem = f"server error {status}: {first_line(data)}"
                else:
                    return status, response.getheader("Content-Type", ""), data
            except socket.timeout:
                problem = f"no answer within {self.timeout:g} s"
                self._forget(parts)
            except (ConnectionError, http.client.HTTPException, OSError) as exc:
                problem = connection_problem(exc)
                self._forget(parts)
            if attempt + 1 < attempts:
                time.sleep(BACKOFF * 2 ** attempt)
        tried = f" (tried {attempts} times)" if attempts > 1 else ""
        raise StoreError(f"SPARQL server {self.name}: {problem}{tried}")

    def close(self) -> None:
        for connection in self.local.__dict__.get("pool", {}).values():
            connection.close()


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
        self.http = Connection(server.public, credentials(server), timeout)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> "ServerStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---------------------------------------------------------------- requests

    def _select(self, sparql: str, union: bool = False) -> ox.QuerySolutions | ox.QueryBoolean | Iterator:
        url = self.endpoints.query
        if union and self.endpoints.union:
            url += ("&" if "?" in url else "?") + self.endpoints.union
        status, kind, data = self.http.request(
            "POST", url, sparql.encode("utf-8"),
            {"Content-Type": "application/sparql-query; charset=utf-8",
             "Accept": "application/sparql-results+json, application/n-triples;q=0.9"})
        if status == 400:
            raise QuerySyntaxError(syntax_message(first_line(data)))
        if status >= 400:
            raise StoreError(f"SPARQL server {self.location}: query refused ({status}: {first_line(data)})")
        if "n-triples" in kind or "turtle" in kind:
            return iter(list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES if "n-triples" in kind else ox.RdfFormat.TURTLE)))
        return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)

    def _update(self, sparql: str) -> None:
        status, _, data = self.http.request(
            "POST", self.endpoints.update, sparql.encode("utf-8"),
            {"Content-Type": "application/sparql-update; charset=utf-8"}, idempotent=False)
        if status == 400:
            raise QuerySyntaxError(syntax_message(first_line(data)))
        if status >= 400:
            raise StoreError(f"SPARQL server {self.location}: update refused ({status}: {first_line(data)})")

    def _put_graph(self, graph: str, ntriples: bytes) -> None:
        url = self.endpoints.graph_store + "?" + urllib.parse.urlencode({"graph": graph})
        status, _, data = self.http.request("PUT", url, ntriples, {"Content-Type": "application/n-triples"})
        if status >= 400:
            raise StoreError(f"SPARQL server {self.location}: could not write graph {graph} ({status}: {first_line(data)})")

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
        """Every quad of the document graphs (and the ontology graph if asked)."""
        keep = "" if include_ontology else f"FILTER(?g != <{ONTOLOGY.value}>)"
        for row in self._select(f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {keep} }}"):
            yield ox.Quad(row["s"], row["p"], row["o"], row["g"])

    def documents(self) -> list[ox.NamedNode]:
        return [row["g"] for row in self._select(DOCUMENTS)]

    def __len__(self) -> int:
        rows = self._select("SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")
        return next(int(row["n"].value) for row in rows)

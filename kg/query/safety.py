"""What a query may do: SPARQL Update and federated SERVICE calls are refused unless asked
for, and FROM / FROM NAMED always, since every query runs over the union of the documents.

The decision is taken on the query's tokens, cut the way the SPARQL grammar cuts them
(its terminals: comments end at a carriage return or a line feed, strings and IRIs with
their escapes), so a keyword counts exactly where the parser would see one and never
inside a comment, a string, an IRI, a variable or a prefixed name. The parser itself is
not at hand: pyoxigraph does not expose the parsed algebra, and rdflib's parser costs
`kg query` a second of start-up. Where the text is not valid SPARQL the tokenizer keeps
going character by character, so it sees more keywords than the parser would, never fewer.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.errors import QueryRefused

UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
QUERY_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
LINE_END = "\r\n\x0b\x0c\x85\u2028\u2029"  # the grammar ends a comment at \r or \n; the others only make it end sooner
TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>\#[^LINE_END]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\[\s\S]|"(?!""))*\"\"\"|'''(?:[^'\\]|\\[\s\S]|'(?!''))*'''
               |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<variable>[?$]\w+)
  | (?P<name>(?:[^\W\d_][\w.-]*)?:(?:[\w:%-]|\\.|\.(?=[\w:%-]))*|_:[\w.-]*\w)
  | (?P<word>[^\W\d_]\w*)
  | (?P<other>[\s\S])
""".replace("LINE_END", LINE_END), re.VERBOSE)
DATASET_REFUSED = ("FROM and FROM NAMED are not supported: every query reads the union of the documents; "
                   "read one document with GRAPH <document IRI> { ... }")
SERVICE_REFUSED = "SERVICE and LOAD reach other servers over the network; pass --allow-service to allow them"
UPDATE_REFUSED = "this is SPARQL Update; kg query changes the store only with --update"


@dataclass(frozen=True)
class Token:
    """One terminal of the SPARQL grammar: its kind, its text and where it starts."""

    kind: str
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and self.text.upper() in words


def tokens(text: str) -> Iterator[Token]:
    """The tokens of SPARQL text, without spaces and comments.

    >>> [t.text for t in tokens('SELECT * { # x\\rSERVICE <http://a/#b> { ?s ex:p "#c" } }')]
    ['SELECT', '*', '{', 'SERVICE', '<http://a/#b>', '{', '?s', 'ex:p', '"#c"', '}', '}']
    """
    for match in TOKEN.finditer(text):
        if match.lastgroup not in ("space", "comment"):
            yield Token(match.lastgroup, match.group(0), match.start())


def operation(text: str) -> Token | None:
    """The first token after the prologue (BASE and PREFIX declarations): the keyword that
    says what the text does.

    >>> operation("PREFIX a: <http://x/> BASE <http://y/> ASK {}").text
    'ASK'
    """
    stream = tokens(text)
    for token in stream:
        if token.is_word("BASE"):
            next(stream, None)
        elif token.is_word("PREFIX"):
            next(stream, None)
            next(stream, None)
        else:
            return token
    return None


def is_update(text: str) -> bool:
    """Whether SPARQL text is an update rather than a query, however its prologue is laid
    out.

    >>> is_update("PREFIX a: <http://x/> PREFIX b: <http://y/> INSERT DATA { a:b a:c b:d }")
    True
    >>> is_update("PREFIX a: <http://x/>\\nSELECT ?add WHERE { ?add a:b ?c }")
    False
    """
    first = operation(text)
    return first is not None and first.is_word(*UPDATE_WORDS)


def calls_service(text: str) -> bool:
    """Whether the text reaches out over the network: a SERVICE clause, or an update's
    LOAD of a document from a URL.

    >>> calls_service("SELECT * { # x\\rSERVICE <http://a/> { ?s ?p ?o } }"), calls_service("LOAD <http://a/x.ttl>")
    (True, True)
    >>> calls_service('SELECT * { ?service <http://x/SERVICE> "SERVICE" } # SERVICE')
    False
    """
    return any(token.is_word("SERVICE") or token.is_word("LOAD") for token in tokens(text))


def names_dataset(text: str) -> bool:
    """Whether the query names its dataset with FROM or FROM NAMED.

    >>> names_dataset("SELECT * FROM <urn:x> { ?s ?p ?o }"), names_dataset("SELECT ?from { ?from ?p ?o }")
    (True, False)
    """
    return any(token.is_word("FROM") for token in tokens(text))


def pattern_start(text: str) -> int | None:
    """Where the query's WHERE clause begins: just after its opening brace, past any
    CONSTRUCT template; None when there is none (a DESCRIBE of IRIs).

    >>> text = '# where {a}\\nCONSTRUCT { ?s ?p "{" } WHERE { ?s ?p ?o }'
    >>> text[pattern_start(text):]
    ' ?s ?p ?o }'
    """
    stream = tokens(text)
    in_template = False
    depth = 0
    for token in stream:
        if token.is_word("CONSTRUCT"):
            following = next(stream, None)
            in_template, depth = following is not None and following.text == "{", 1
        elif in_template and token.text in ("{", "}"):
            depth += 1 if token.text == "{" else -1
            in_template = depth > 0
        elif not in_template and token.text == "{":
            return token.end
    return None


def values_start(text: str, name: str) -> int | None:
    """Where a VALUES block that binds ?name goes: the start of the query's WHERE clause or,
    where that clause begins with a sub-select that uses ?name, the start of the
    sub-select's (and so on inward). A query that groups its rows in a sub-select and words
    them outside it is thereby bound where it reads the parameter, before it groups, as a
    one-level query is; None when the query has no WHERE clause.

    >>> text = "SELECT ?s WHERE { { SELECT (MAX(?d) AS ?m) WHERE { ?x :p ?a ; :d ?d } } BIND(?m AS ?s) }"
    >>> text[values_start(text, "a"):][:12], text[values_start(text, "s"):][:9]
    (' ?x :p ?a ; ', ' { SELECT')
    """
    start = pattern_start(text)
    while start is not None:
        inner = leading_subselect(text, start)
        if inner is None or name not in {t.text[1:] for t in tokens(text[inner[0]:inner[1]]) if t.kind == "variable"}:
            return start
        start = inner[0]
    return None


def values_starts(text: str, name: str) -> list[int]:
    """Every place a VALUES block that binds ?name goes: where `values_start` puts it, and the
    start of every other sub-select that projects ?name as it is. Such a sub-select is
    joined on ?name with the rest, so binding it inside changes no answer; it spares the
    engine computing the sub-select for every value before the join keeps one.

    >>> text = "SELECT * { ?a :p ?o OPTIONAL { { SELECT ?a (COUNT(*) AS ?n) { ?a :q ?x } GROUP BY ?a } } }"
    >>> [text[s:][:8] for s in values_starts(text, "a")], values_starts(text, "n") == [text.index("{") + 1]
    ([' ?a :p ?', ' ?a :q ?'], True)
    """
    first = values_start(text, name)
    if first is None:
        return []
    inner = [clause for clause in subselects_projecting(text, name) if not clause[0] <= first <= clause[1]]
    return [first] + [start for start, _ in inner]


def subselects_projecting(text: str, name: str) -> list[tuple[int, int]]:
    """The WHERE clauses (where their content starts and ends) of the sub-selects that
    project ?name as a plain variable, not as the name of an expression.

    >>> text = "SELECT ?a { { SELECT ?a { ?a :p 1 } } { SELECT (1 AS ?a) { } } }"
    >>> [text[s:e] for s, e in subselects_projecting(text, "a")]
    [' ?a :p 1 ']
    """
    found = []
    for token in tokens(text):
        clause = leading_subselect(text, token.start) if token.text == "{" and token.kind == "other" else None
        if clause is None:
            continue
        depth = 0
        for part in tokens(text[token.end:clause[0]]):
            if part.kind == "other" and part.text in "()":
                depth += 1 if part.text == "(" else -1
            elif depth == 0 and part.kind == "variable" and part.text[1:] == name:
                found.append(clause)
                break
    return found


def leading_subselect(text: str, start: int) -> tuple[int, int] | None:
    """The WHERE clause of the sub-select a group pattern begins with, as where its content
    starts and ends in `text`; None when the group at `start` begins otherwise.

    >>> text = "SELECT * WHERE { { SELECT (COUNT(*) AS ?n) { ?s ?p ?o } } }"
    >>> text[slice(*leading_subselect(text, text.index("{") + 1))]
    ' ?s ?p ?o '
    """
    stream = tokens(text[start:])
    opening, keyword = next(stream, None), next(stream, None)
    if opening is None or opening.text != "{" or keyword is None or not keyword.is_word("SELECT"):
        return None
    parens = 0
    for token in stream:
        if token.text in "()" and token.kind == "other":
            parens += 1 if token.text == "(" else -1
        elif token.text == "{" and parens == 0:
            depth = 1
            for inside in stream:
                if inside.kind == "other" and inside.text in "{}":
                    depth += 1 if inside.text == "{" else -1
                    if depth == 0:
                        return start + token.end, start + inside.start
            return None
    return None


def check_query(text: str, *, allow_update: bool = False, allow_service: bool = False) -> None:
    """Refuse what `kg query` does not do unless asked (updates, federated SERVICE calls)
    and what it never does (a dataset named by FROM, which the store would ignore)."""
    if is_update(text) and not allow_update:
        raise QueryRefused(UPDATE_REFUSED)
    if calls_service(text) and not allow_service:
        raise QueryRefused(SERVICE_REFUSED)
    if names_dataset(text):
        raise QueryRefused(DATASET_REFUSED)

"""Saved queries: `queries/*.rq` with a header, and safe binding of `--param` values.

A header is a block of comments at the top of the file:

    # title: Who met whom
    # description: Meetings between people, states and bodies, with place and date.
    # param: actor  Label of the acting entity (default: every actor)

A parameter value is bound as one RDF term through pyoxigraph's substitutions, never
pasted into the query text, so nothing a user types can change what the query does.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import QueryRefused, UnknownQuery, UsageError
from kg.vocab import PREFIXES, data_folder

VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
UPDATE_WORDS = re.compile(r"^\s*(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Param:
    name: str
    description: str


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: str


def query_dirs() -> list[Path]:
    """The packaged queries, then any folders listed in KG_QUERY_PATH."""
    dirs = [data_folder("queries")]
    extra = os.environ.get("KG_QUERY_PATH", "")
    dirs += [Path(p) for p in extra.split(os.pathsep) if p]
    return dirs


def saved_queries() -> dict[str, SavedQuery]:
    """Every saved query by name; a later folder overrides an earlier one."""
    found = {}
    for folder in query_dirs():
        for path in sorted(folder.glob("*.rq")):
            found[path.stem] = parse_saved(path.stem, path.read_text(encoding="utf-8"), str(path))
    return found


def parse_saved(name: str, text: str, path: str = "") -> SavedQuery:
    """Read the header of a saved query.

    >>> q = parse_saved("x", "# title: T\\n# description: D\\n# param: actor  Who acts\\nSELECT ?actor WHERE {}")
    >>> (q.title, q.description, q.params)
    ('T', 'D', (Param(name='actor', description='Who acts'),))
    """
    title = description = ""
    params = []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        body = line.lstrip("#").strip()
        key, _, value = body.partition(":")
        key = key.strip().lower()
        if key == "title":
            title = value.strip()
        elif key == "description":
            description = value.strip()
        elif key == "param":
            pname, _, pdesc = value.strip().partition(" ")
            params.append(Param(pname.lstrip("?"), pdesc.strip()))
    return SavedQuery(name, title, description, tuple(params), text, path)


def resolve_query(spec: str) -> tuple[str, SavedQuery | None]:
    """The SPARQL text for a saved query name, a `.rq` file or inline SPARQL."""
    saved = saved_queries()
    if spec in saved:
        return saved[spec].text, saved[spec]
    path = Path(spec)
    if spec.endswith(".rq") or (len(spec) < 256 and "\n" not in spec and path.is_file()):
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise UnknownQuery(f"cannot read query file {spec}: {exc.strerror or exc}") from exc
        return text, parse_saved(path.stem, text, str(path))
    if re.search(r"[{}?]|\b(select|ask|construct|describe)\b", spec, re.IGNORECASE) or is_update(spec):
        return spec, None
    names = ", ".join(sorted(saved))
    raise UnknownQuery(f"no saved query named {spec!r} (saved queries: {names})")


def code_only(text: str) -> str:
    """The query without comments, strings and IRIs, so keywords are found only where they act.

    >>> code_only('SELECT * # SERVICE\\nWHERE { ?s ?p "SERVICE" . <http://x/SERVICE> ?p ?o }')
    'SELECT * \\nWHERE { ?s ?p "" . <> ?p ?o }'
    """
    pattern = r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
    def blank(match: re.Match) -> str:
        token = match.group(0)
        if token.startswith("#"):
            return ""
        quote = token[:3] if token[:3] in ('"""', "\'\'\'") else token[0]
        return quote + (quote if quote != "<" else ">") if quote != '"""' else '""'
    return re.sub(pattern, blank, text)


def is_update(text: str) -> bool:
    """Whether SPARQL text is an update rather than a query, however its prologue is laid
    out.

    >>> is_update("PREFIX a: <http://x/> PREFIX b: <http://y/> INSERT DATA { a:b a:c b:d }")
    True
    >>> is_update("PREFIX a: <http://x/>\\nSELECT ?add WHERE { ?add a:b ?c }")
    False
    """
    body = re.sub(r"^(?:\s*(?:PREFIX\s+\S*\s*<>|BASE\s*<>))+\s*", "", code_only(text),
                  flags=re.IGNORECASE | re.MULTILINE)
    return bool(UPDATE_WORDS.search(body))


def check_query(text: str, *, allow_update: bool = False, allow_service: bool = False) -> None:
    """Refuse what `kg query` does not do unless asked: updates and federated SERVICE calls."""
    if is_update(text) and not allow_update:
        raise QueryRefused("this is SPARQL Update; kg query changes the store only with --update")
    if re.search(r"\bSERVICE\b", code_only(text), re.IGNORECASE) and not allow_service:
        raise QueryRefused("SERVICE reaches other servers over the network; pass --allow-service to allow it")


def parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    """`name=value` pairs from the command line.

    >>> parse_params(("actor=NATO", "since=2015-01-01"))
    {'actor': 'NATO', 'since': '2015-01-01'}
    """
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("?")
        if not sep or not VARIABLE.match(name):
            raise UsageError(f"--param takes name=value, got {pair!r}")
        out[name] = value
    return out


def term_for(value: str) -> ox.NamedNode | ox.Literal:
    """The RDF term a parameter value stands for: `<iri>` or `prefix:name` is an IRI,
    anything else a plain string literal, whatever characters it holds.

    >>> term_for("<http://x.org/a>").value, term_for("ent:nato").value, term_for('x" } DROP ALL').value
    ('http://x.org/a', 'https://w3id.org/kg-news/entity/nato', 'x" } DROP ALL')
    """
    if value.startswith("<") and value.endswith(">"):
        try:
            return ox.NamedNode(value[1:-1])
        except ValueError as exc:
            raise UsageError(f"not a valid IRI: {value}") from exc
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and re.match(r"^[A-Za-z0-9_.-]*$", local):
        return ox.NamedNode(PREFIXES[prefix] + local)
    return ox.Literal(value)


def substitutions(params: dict[str, str]) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
    return {ox.Variable(name): term_for(value) for name, value in params.items()}

"""Saved queries: `queries/*.rq` with a header, found by name.

A header is a block of comments at the top of the file:

    # title: Who met whom
    # description: Meetings between people, states and bodies, with place and date.
    # param: actor entity  Who acts, by any of its names (default: every actor)

A parameter's kind is `entity`, `date` or `text` (a header without one means text); how
each is bound is `kg.query.params.bind_params`'.
"""
from __future__ import annotations

import os
import sys
import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import UnknownQuery
from kg.query.safety import is_update
from kg.vocab import data_folder


PARAM_KINDS = ("entity", "date", "text")


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    kind: str = "text"

    @property
    def required(self) -> bool:
        """A parameter whose description starts "(required)": the query would answer for
        every actor at once, too slowly to be of use.

        >>> Param("a", "(required) One actor", "entity").required, Param("a", "One actor").required
        (True, False)
        """
        return self.description.startswith("(required)")


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


_warned: set[str] = set()


def saved_queries() -> dict[str, SavedQuery]:
    """Every saved query by name; a later folder overrides an earlier one. A file that
    cannot be read (not UTF-8, not a regular file) is left out with one warning naming it,
    so one bad file does not stop the others or inline SPARQL."""
    found = {}
    for folder in query_dirs():
        for path in sorted(folder.glob("*.rq")):
            try:
                found[path.stem] = parse_saved(path.stem, read_query_file(path), str(path))
            except UnknownQuery as exc:
                warn_once(f"saved query {exc}; skipped")
    return found


def read_query_file(path: Path) -> str:
    """The text of a saved query file; only a regular file is read (a FIFO would hang)."""
    if not path.is_file():
        raise UnknownQuery(f"{path}: not a regular file")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UnknownQuery(f"{path}: not UTF-8 text (invalid byte at offset {exc.start})") from exc
    except OSError as exc:
        raise UnknownQuery(f"{path}: {exc.strerror or exc}") from exc


def warn_once(message: str) -> None:
    """A warning, once per process (the web server lists the queries on every request)."""
    if message not in _warned:
        _warned.add(message)
        print(f"kg: warning: {message}", file=sys.stderr, flush=True)


def list_queries() -> list[SavedQuery]:
    """Every saved query, by name."""
    return sorted(saved_queries().values(), key=lambda q: q.name)


def parse_saved(name: str, text: str, path: str = "") -> SavedQuery:
    """Read the header of a saved query.

    >>> q = parse_saved("x", "# title: T\\n# description: D\\n# param: actor  Who acts\\nSELECT ?actor WHERE {}")
    >>> (q.title, q.description, q.params)
    ('T', 'D', (Param(name='actor', description='Who acts', kind='text'),))
    >>> parse_saved("x", "# param: from date  From this day\\nSELECT * {}").params
    (Param(name='from', description='From this day', kind='date'),)
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
            params.append(parse_param(value))
    return SavedQuery(name, title, description, tuple(params), text, path)


def parse_param(header: str) -> Param:
    """A `param:` header's value: a name, a kind where one is given, a description.

    >>> parse_param(" actor entity  Who suspends"), parse_param("?actor Name of the actor").kind
    (Param(name='actor', description='Who suspends', kind='entity'), 'text')
    """
    name, _, rest = header.strip().partition(" ")
    kind, _, description = rest.strip().partition(" ")
    if kind not in PARAM_KINDS:
        kind, description = "text", rest
    return Param(name.lstrip("?"), description.strip(), kind)


def declared_params(text: str) -> tuple[Param, ...]:
    """The parameters a query's header declares."""
    return parse_saved("", text).params


def resolve_query(spec: str) -> tuple[str, SavedQuery | None]:
    """The SPARQL text for a saved query name, a `.rq` file or inline SPARQL."""
    saved = saved_queries()
    if spec in saved:
        return saved[spec].text, saved[spec]
    path = Path(spec)
    if spec.endswith(".rq") or (len(spec) < 256 and "\n" not in spec and path.is_file()):
        try:
            text = read_query_file(path)
        except UnknownQuery as exc:
            raise UnknownQuery(f"cannot read query file {exc}") from exc
        return text, parse_saved(path.stem, text, str(path))
    if re.search(r"[{}?]|\b(select|ask|construct|describe)\b", spec, re.IGNORECASE) or is_update(spec):
        return spec, None
    names = ", ".join(sorted(saved))
    raise UnknownQuery(f"no saved query named {spec!r} (saved queries: {names})")

"""Binding `--param` values. Nothing a user types is pasted into the query text: each
value becomes RDF terms (IRIs, or one escaped literal), written into a VALUES block.

A query's header declares its parameters (`# param: NAME KIND  Description`), each
optional. For a given parameter, lines that start with `#[NAME] ` take effect, and
`VALUES ?NAME { ... }` at the start of the outermost WHERE binds it: an `entity` to the
IRIs of every entity one of whose names has the value's key (`kg.keys`), found by one exact
lookup; a `date` to an xsd:date; a `text` to a literal. A query whose WHERE begins with a
sub-select that uses the parameter (one that groups its rows there and words them outside)
gets the VALUES inside that sub-select (`kg.query.safety.values_start`). `bind_params`
does it all, for the command line, the Python API and the web page alike.
"""
from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.errors import UsageError, message_line
from kg.keys import name_key
from kg.query.safety import pattern_start, values_starts
from kg.query.saved import declared_params
from kg.vocab import KG, PREFIXES, XSD

VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
PERIOD_ENDS = ("to", "until")  # date parameters that mean the end of the period they give


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


def binding_error(exc: RuntimeError) -> UsageError:
    """What pyoxigraph's refusal of a substitution means to the user: a parameter that names
    no variable the query projects.

    >>> str(binding_error(RuntimeError("no variable ?z in its SELECT projection")))
    'cannot bind parameters: no variable ?z in its SELECT projection (a parameter must be a projected variable)'
    """
    return UsageError(f"cannot bind parameters: {message_line(exc)} (a parameter must be a projected variable)")


@dataclass(frozen=True)
class Bound:
    """A query with its parameters bound: the text to run, the substitutions to run it with
    (for a query whose header declares no parameters, bound as pyoxigraph binds a projected
    variable), and notes for the user, such as a name that matched no entity."""

    text: str
    substitutions: dict = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def bind_params(store, text: str, params: dict[str, str]) -> Bound:
    """The query `text` with the `params` (name: value) its header declares bound, looking
    entities up in `store`. A parameter the header does not declare is refused; a query
    that declares none binds each as a term of its projection, as it always has."""
    declared = {p.name: p for p in declared_params(text)}
    if not declared:
        return Bound(text, substitutions(params))
    unknown = sorted(set(params) - set(declared))
    if unknown:
        raise UsageError(f"the query has no parameter {unknown[0]!r} (it takes: {', '.join(sorted(declared))})")
    missing = [p.name for p in declared.values() if p.required and p.name not in params]
    if missing:
        description = declared[missing[0]].description.removeprefix("(required)").strip()
        raise UsageError(f"the query needs --param {missing[0]}=... ({description})")
    kinds = {name: declared[name].kind for name in params}
    entities = entity_terms(store, {n: v for n, v in params.items() if kinds[n] == "entity"})
    values = {}
    for name, value in params.items():
        if kinds[name] == "entity":
            values[name] = entities[name]
        elif kinds[name] == "date":
            values[name] = (date_term(name, value),)
        else:
            values[name] = (term_for(value),)
    notes = tuple(f"no entity in the store is named {params[n]!r} (parameter {n}); `kg query entities` lists them"
                  for n, found in values.items() if kinds[n] == "entity" and not found)
    return Bound(with_values(enabled_lines(text, params), values, inward=True), {}, notes)


def enabled_lines(text: str, names: Iterable[str]) -> str:
    """The query with the lines kept for these parameters (`#[NAME] ...`) made part of it.

    >>> print(enabled_lines("SELECT * {\\n  #[a] ?s ?p ?a .\\n  #[b] ?s ?q ?b .\\n}", ["a"]))
    SELECT * {
      ?s ?p ?a .
      #[b] ?s ?q ?b .
    }
    """
    given = set(names)
    return re.sub(r"(?m)^([ \t]*)#\[(\w+)\] ?", lambda m: m.group(1) if m.group(2) in given else m.group(0), text)


def with_values(sparql: str, values: dict[str, tuple[ox.NamedNode | ox.Literal, ...]], *,
                inward: bool = False) -> str:
    """The query with a VALUES block per variable at the start of its WHERE clause, or with
    `inward`, where `values_starts` puts it: in a leading sub-select that uses the variable,
    and in every other sub-select that projects it.
    The clause is found on the query's tokens, so a brace or a WHERE in a comment, a string
    or an IRI is passed over.

    >>> with_values("# where {a}\\nSELECT ?a WHERE { ?s ?p ?a }", {"a": (ox.Literal("x"), ox.Literal("y"))})
    '# where {a}\\nSELECT ?a WHERE { VALUES ?a { "x" "y" } ?s ?p ?a }'
    >>> with_values("SELECT ?n WHERE { { SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?a } } }", {"a": (ox.Literal("x"),)}, inward=True)
    'SELECT ?n WHERE { { SELECT (COUNT(*) AS ?n) WHERE { VALUES ?a { "x" } ?s ?p ?a } } }'
    """
    if not values:
        return sparql
    starts: dict[int, str] = {}
    for name, terms in values.items():
        places = values_starts(sparql, name) if inward else [pattern_start(sparql)]
        if not places or places[0] is None:
            raise UsageError("cannot bind parameters: the query has no WHERE clause")
        for start in places:
            starts[start] = starts.get(start, "") + f" VALUES ?{name} {{ {' '.join(str(t) for t in terms)} }}"
    for start in sorted(starts, reverse=True):
        sparql = sparql[:start] + starts[start] + sparql[start:]
    return sparql


def date_term(name: str, value: str) -> ox.Literal:
    """A date parameter as an xsd:date: the first day of the year or month it gives, or the
    last for a parameter that ends a period (`to`).

    >>> [date_term(n, v).value for n, v in (("from", "2015"), ("to", "2015"), ("to", "2016-02"), ("from", "2015-05-07"))]
    ['2015-01-01', '2015-12-31', '2016-02-29', '2015-05-07']
    >>> date_term("from", "May 2015")
    Traceback (most recent call last):
    ...
    kg.errors.UsageError: parameter from takes a date as YYYY, YYYY-MM or YYYY-MM-DD, not 'May 2015'
    """
    match = DATE.match(value.strip())
    try:
        year, month, day = (int(part) if part else None for part in match.groups()) if match else (None,) * 3
        end = name in PERIOD_ENDS
        month = month or (12 if end else 1)
        day = day or (calendar.monthrange(year, month)[1] if end else 1)
        date = datetime.date(year, month, day)
    except (TypeError, ValueError):
        raise UsageError(f"parameter {name} takes a date as YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}") from None
    return ox.Literal(date.isoformat(), datatype=ox.NamedNode(XSD + "date"))


def entity_terms(store, wanted: dict[str, str]) -> dict[str, tuple[ox.NamedNode, ...]]:
    """The entities each value names: the IRI itself for `<iri>` or `ent:name`, else every
    entity with a name of the same key, found in one query of exact key lookups."""
    found: dict[str, set[ox.NamedNode]] = {name: set() for name in wanted}
    lookups = []
    for name, value in wanted.items():
        term = term_for(value)
        if isinstance(term, ox.NamedNode):
            found[name].add(term)
        elif name_key(value):
            lookups.append((name, ox.Literal(name_key(value))))
    if lookups:
        branches = " UNION ".join(f"{{ ?e <{KG.key.value}> {key} BIND({ox.Literal(name)} AS ?param) }}"
                                  for name, key in lookups)
        for row in store.query(f"SELECT DISTINCT ?param ?e WHERE {{ {branches} }}"):
            found[row["param"].value].add(row["e"])
    return {name: tuple(sorted(iris, key=lambda iri: iri.value)) for name, iris in found.items()}

"""Binding `--param` values: each is one RDF term bound through pyoxigraph's substitutions,
never pasted into the query text, so nothing a user types can change what the query does."""
from __future__ import annotations

import re

import pyoxigraph as ox

from kg.errors import UsageError, message_line
from kg.vocab import PREFIXES

VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


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

"""Query results as a table for people or a W3C results format for tools.

CSV, TSV, JSON and XML results are written by Oxigraph's own serializers, so they follow
the W3C SPARQL results specifications; the table is for people.
"""
from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kg.errors import UsageError
from kg.render.rdf import used_prefixes
from kg.vocab import PREFIXES

RESULT_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                  "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}
MAX_CELL = 60


def compact(term) -> str:
    """How a term reads in a table: prefixed names, bare literal values.

    >>> compact(ox.NamedNode("https://w3id.org/kg-news/entity/nato")), compact(ox.Literal("NATO", language="en"))
    ('ent:nato', 'NATO')
    """
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(namespace) and "/" not in term.value[len(namespace):]:
                return f"{prefix}:{term.value[len(namespace):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def table(variables: list[str], rows: list[list[str]]) -> str:
    """A plain-text table with a header rule; long cells are cut with an ellipsis.

    >>> print(table(["a", "bb"], [["1", "x"], ["22", ""]]))
    a   bb
    --  --
    1   x
    22
    """
    def cut(cell: str) -> str:
        cell = " ".join(cell.split())
        return cell if len(cell) <= MAX_CELL else cell[: MAX_CELL - 1] + "\u2026"
    rows = [[cut(c) for c in row] for row in rows]
    widths = [max([len(v)] + [len(r[i]) for r in rows]) for i, v in enumerate(variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(variables, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


def render_solutions(solutions: ox.QuerySolutions, fmt: str) -> bytes:
    if fmt == "table":
        variables = [v.value for v in solutions.variables]
        rows = [[compact(solution[v]) for v in variables] for solution in solutions]
        text = table(variables, rows)
        return (text + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})\n").encode()
    return solutions.serialize(format=result_format(fmt))


def render_boolean(value: ox.QueryBoolean, fmt: str) -> bytes:
    if fmt in ("table", "csv", "tsv"):
        return b"true\n" if bool(value) else b"false\n"
    return value.serialize(format=result_format(fmt))


def render_triples(triples: Iterable[ox.Triple]) -> bytes:
    """Turtle for CONSTRUCT and DESCRIBE results."""
    triples = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used_prefixes(triples))


def result_format(fmt: str) -> ox.QueryResultsFormat:
    try:
        return RESULT_FORMATS[fmt]
    except KeyError:
        raise UsageError(f"unknown result format {fmt!r}") from None

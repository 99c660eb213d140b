"""Query results as a table for people or a W3C results format for tools.

CSV, TSV, JSON and XML results are written by Oxigraph's own serializers, so they follow
the W3C SPARQL results specifications, with a line feed added where they end without one;
the table is for people.

A table is written as its rows come: the column widths are taken from the first part of
the rows, and a later, longer value is cut to its column's width when cutting is asked for
(on a terminal, or with a cell limit), else written whole, so a file or pipe always gets
every value in full.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import UsageError
from kg.render.rdf import used_prefixes
from kg.vocab import PREFIXES

RESULT_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                  "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}
MAX_CELL = 60
NARROWEST = 6  # a column fitted to a terminal keeps at least this many characters


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
    return "".join(table_blocks(variables, [rows], Layout(cell=MAX_CELL))).rstrip("\n")


@dataclass(frozen=True)
class Layout:
    """How much of each value a table shows: `cell` cuts every value to that many
    characters; `line` fits the columns into that many (a terminal's width), cutting the
    widest first; None for either: no such cut."""

    cell: int | None = None
    line: int | None = None

    @property
    def cuts(self) -> bool:
        return self.cell is not None or self.line is not None


def cut(cell: str, width: int) -> str:
    """A value on one line, cut with an ellipsis to `width` characters.

    >>> cut("a  long\\nvalue", 6), cut("short", 6)
    ('a lon\u2026', 'short')
    """
    cell = " ".join(cell.split())
    return cell if len(cell) <= width else cell[: max(width - 1, 0)] + "\u2026"


def fitted(widths: list[int], line: int) -> list[int]:
    """Column widths cut, the widest first, so that the columns and the two spaces between
    them fit in `line` characters (no column narrower than NARROWEST, or its own width).

    >>> fitted([10, 40, 5], 40), fitted([10, 20], 80)
    ([10, 21, 5], [10, 20])
    """
    room = line - 2 * (len(widths) - 1)
    cap = max(widths, default=0)
    while cap > NARROWEST and sum(min(width, cap) for width in widths) > room:
        cap -= 1
    return [min(width, cap) for width in widths]


def table_blocks(variables: list[str], parts: Iterable[list[list[str]]], layout: Layout) -> Iterator[str]:
    """A table whose rows come in parts, written a block of lines per part: the header, its
    rule and the first part's rows, then each part's rows as it arrives, in the column
    widths of the first part.

    >>> print("".join(table_blocks(["a", "b"], [[["1", "xy"]], [["333", "z"]]], Layout())), end="")
    a  b
    -  --
    1  xy
    333  z
    """
    parts = iter(parts)
    first = [[" ".join(cell.split()) for cell in row] for row in next(parts, [])]
    widths = [max([len(name)] + [len(row[i]) for row in first]) for i, name in enumerate(variables)]
    if layout.cell is not None:
        widths = [min(width, max(layout.cell, 1)) for width in widths]
    if layout.line is not None:
        widths = fitted(widths, layout.line)

    def line(cells: list[str]) -> str:
        if layout.cuts:
            cells = [cut(cell, width) for cell, width in zip(cells, widths)]
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip() + "\n"
    yield line(list(variables)) + "  ".join("-" * width for width in widths) + "\n" + "".join(map(line, first))
    for part in parts:
        yield "".join(line([" ".join(cell.split()) for cell in row]) for row in part)


def rows_line(count: int) -> str:
    """The line that ends a table.

    >>> rows_line(1), rows_line(0)
    ('(1 row)', '(0 rows)')
    """
    return f"({count} row{'s' if count != 1 else ''})"


def render_solutions(solutions: ox.QuerySolutions, fmt: str) -> bytes:
    """Solutions in a W3C results format, ended by a line feed."""
    return ended(solutions.serialize(format=result_format(fmt)))


def render_boolean(value: ox.QueryBoolean, fmt: str) -> bytes:
    if fmt in ("table", "csv", "tsv"):
        return b"true\n" if bool(value) else b"false\n"
    return ended(value.serialize(format=result_format(fmt)))


def ended(data: bytes) -> bytes:
    """Output that ends with a line feed, as every text file should.

    >>> ended(b'{"boolean":true}'), ended(b"a\\n"), ended(b"")
    (b'{"boolean":true}\\n', b'a\\n', b'')
    """
    return data if not data or data.endswith(b"\n") else data + b"\n"


def render_triples(triples: Iterable[ox.Triple]) -> bytes:
    """Turtle for CONSTRUCT and DESCRIBE results."""
    triples = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used_prefixes(triples))


def result_format(fmt: str) -> ox.QueryResultsFormat:
    try:
        return RESULT_FORMATS[fmt]
    except KeyError:
        raise UsageError(f"unknown result format {fmt!r}") from None

"""SELECT results as Python values, for notebooks and scripts: rows of dicts whose values
are str, int, float, bool or datetime.date, with the RDF terms still at hand.

A value is converted only where the conversion keeps its meaning: a partial date
(`--05-07`, `2015-05`) stays a string, as does a literal whose text is not valid for its
datatype, and an IRI is its full string (`row.term(name)` gives the term itself).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Union, overload

import pyoxigraph as ox

from kg.errors import UsageError
from kg.render.results import compact, rows_line, table

XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = {"integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "negativeInteger",
            "nonPositiveInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"}
FLOATS = {"double", "float", "decimal"}
SHOWN_ROWS = 20  # rows a result's repr shows

Term = Union[ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple]
Value = Union[str, int, float, bool, dt.date, dt.datetime, None]


def python_value(term: Term | None) -> Value:
    """The Python value of an RDF term: numbers, booleans and full dates as such, IRIs and
    other literals as strings, blank nodes as `_:name`, an unbound variable as None.

    >>> date = ox.Literal("2015-05-07", datatype=ox.NamedNode(XSD + "date"))
    >>> python_value(date), python_value(ox.Literal("--05-07", datatype=ox.NamedNode(XSD + "gMonthDay")))
    (datetime.date(2015, 5, 7), '--05-07')
    >>> python_value(ox.Literal("12", datatype=ox.NamedNode(XSD + "integer"))), python_value(ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")))
    (12, True)
    >>> python_value(ox.NamedNode("https://w3id.org/kg-news/entity/nato")), python_value(None)
    ('https://w3id.org/kg-news/entity/nato', None)
    """
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return literal_value(term)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


def literal_value(literal: ox.Literal) -> Value:
    """A literal's value as Python reads its XSD datatype; its text when the datatype is
    another or the text is not valid for it.

    >>> literal_value(ox.Literal("abc", datatype=ox.NamedNode(XSD + "integer"))), literal_value(ox.Literal("2.5", datatype=ox.NamedNode(XSD + "decimal")))
    ('abc', 2.5)
    """
    datatype = literal.datatype.value
    kind = datatype[len(XSD):] if datatype.startswith(XSD) else ""
    text = literal.value
    try:
        if kind in INTEGERS:
            return int(text)
        if kind in FLOATS:
            return float(text)
        if kind == "boolean" and text in ("true", "false", "1", "0"):
            return text in ("true", "1")
        if kind == "date" and len(text) == 10:
            return dt.date.fromisoformat(text)
        if kind == "dateTime":
            return dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    return text


class Row(dict):
    """One solution: a dict of column name to Python value, in the query's column order,
    whose RDF terms `term(name)` gives."""

    def __init__(self, columns: Sequence[str], terms: Sequence[Term | None]):
        super().__init__((name, python_value(term)) for name, term in zip(columns, terms))
        self._terms = dict(zip(columns, terms))

    def term(self, name: str) -> Term | None:
        """The RDF term bound to a column (a NamedNode, Literal, BlankNode or Triple), or None."""
        return self._terms[name]


@dataclass(frozen=True)
class Rows(Sequence[Row]):
    """The rows of a SELECT query: a sequence of `Row` dicts, with the query's `columns` in
    its own order; `terms()` gives the RDF terms, `to_pandas()` a DataFrame. `notes` says
    what binding the parameters found worth telling: a name that matched no entity, which
    is why there are no rows.

    >>> Rows(("name",), (), ("no entity in the store is named 'Nobody' (parameter name)",))
    name
    ----
    (0 rows)
    note: no entity in the store is named 'Nobody' (parameter name)
    """

    columns: tuple[str, ...]
    solutions: tuple[tuple[Term | None, ...], ...]
    notes: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.solutions)

    @overload
    def __getitem__(self, index: int) -> Row: ...

    @overload
    def __getitem__(self, index: slice) -> Rows: ...

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Rows(self.columns, self.solutions[index], self.notes)
        return Row(self.columns, self.solutions[index])

    def __iter__(self) -> Iterator[Row]:
        return (Row(self.columns, terms) for terms in self.solutions)

    def terms(self) -> list[tuple[Term | None, ...]]:
        """Each row's RDF terms, in the order of `columns` (None where a variable is unbound)."""
        return list(self.solutions)

    def to_pandas(self):
        """The rows as a pandas DataFrame, one column per variable, in the query's order.
        Needs pandas, which the `pandas` extra installs."""
        try:
            import pandas
        except ImportError:
            raise UsageError("to_pandas() needs pandas: pip install 'kg[pandas]'") from None
        return pandas.DataFrame([list(row.values()) for row in self], columns=list(self.columns))

    def __repr__(self) -> str:
        shown = [[compact(term) for term in terms] for terms in self.solutions[:SHOWN_ROWS]]
        more = f"\n... {len(self) - SHOWN_ROWS} more" if len(self) > SHOWN_ROWS else ""
        notes = "".join(f"\nnote: {note}" for note in self.notes)
        return f"{table(list(self.columns), shown)}{more}\n{rows_line(len(self))}{notes}"

"""The endpoint's own writers of the W3C results formats, checked against Oxigraph: what
they write parses back to the same rows, and for ordinary rows is Oxigraph's bytes."""
from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from kg.web.solutions import write_solutions

XSD = "http://www.w3.org/2001/XMLSchema#"
PARSED = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML, "tsv": ox.QueryResultsFormat.TSV}
OXIGRAPH = {**PARSED, "csv": ox.QueryResultsFormat.CSV}
RESULTS_XML = "{http://www.w3.org/2005/sparql-results#}"


def typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


ORDINARY = [
    (ox.NamedNode("http://x.org/a"), ox.Literal("Sergey Lavrov", language="en"), typed("12", "integer")),
    (ox.BlankNode("b0"), ox.Literal("tab\there, line\nthere, \"quoted\" and \\ <&>'"), None),
    (None, typed("2.5", "decimal"), typed("true", "boolean")),
    (ox.NamedNode("http://x.org/b?c=d&e"), typed("1000", "double"), typed("2015-05-07", "date")),
    (ox.Literal("ﺱﻼﻣ", language="ar", direction=ox.BaseDirection.RTL), ox.Literal("plain"),
     ox.Literal("x", datatype=ox.NamedNode("http://x.org/type"))),
    (None, None, None),
    (typed("-5", "integer"), typed("5", "decimal"), typed("abc", "integer")),
]
AWKWARD = [  # where the writers follow the specifications more closely than Oxigraph
    (ox.NamedNode("http://x.org/a,b"), ox.Literal("carriage\rreturn"), ox.Literal("bell\x07 and \x7f")),
    (ox.Triple(ox.NamedNode("http://x.org/s"), ox.NamedNode("http://x.org/p"), ox.Literal("o, \"q\"", language="en")),
     ox.Literal("é ü ✓"), ox.BlankNode("b1")),
]
VARIABLES = ["a", "b", "c"]


def store_of(rows: list[tuple]) -> ox.Store:
    """A store whose query ROWS_QUERY gives back `rows`, so Oxigraph can write them too."""
    store = ox.Store()
    for number, row in enumerate(rows):
        for name, term in zip(VARIABLES, row):
            if term is not None:
                store.add(ox.Quad(ox.NamedNode(f"http://row.org/{number:03d}"), ox.NamedNode(f"http://column.org/{name}"), term))
    return store


ROWS_QUERY = "SELECT ?a ?b ?c WHERE { VALUES ?r { %s } " + " ".join(
    f"OPTIONAL {{ ?r <http://column.org/{name}> ?{name} }}" for name in VARIABLES) + " } ORDER BY ?r"


def rows_query(rows: list[tuple]) -> str:
    return ROWS_QUERY % " ".join(f"<http://row.org/{number:03d}>" for number in range(len(rows)))


def test_the_store_gives_back_the_rows():
    assert [tuple(row) for row in store_of(ORDINARY).query(rows_query(ORDINARY))] == ORDINARY


@pytest.mark.parametrize("fmt", sorted(OXIGRAPH))
def test_ordinary_rows_are_written_as_oxigraph_writes_them(fmt):
    store = store_of(ORDINARY)
    expected = store.query(rows_query(ORDINARY)).serialize(format=OXIGRAPH[fmt])
    assert write_solutions(VARIABLES, ORDINARY, fmt) == expected


@pytest.mark.parametrize("fmt", sorted(PARSED))
@pytest.mark.parametrize("rows", [ORDINARY, AWKWARD, []], ids=["ordinary", "awkward", "empty"])
def test_rows_parse_back_the_same(fmt, rows):
    parsed = ox.parse_query_results(write_solutions(VARIABLES, rows, fmt), PARSED[fmt])
    assert [v.value for v in parsed.variables] == VARIABLES
    assert [tuple(row) for row in parsed] == rows


@pytest.mark.parametrize("fmt", sorted(OXIGRAPH))
def test_no_variables_and_an_empty_row(fmt):
    expected = ox.Store().query("SELECT * WHERE { }").serialize(format=OXIGRAPH[fmt])
    assert write_solutions([], [()], fmt) == expected


def test_csv_reads_back_as_the_plain_values():
    body = write_solutions(VARIABLES, AWKWARD, "csv").decode("utf-8")
    assert body.endswith("\r\n")
    assert list(csv.reader(io.StringIO(body, newline=""))) == [
        VARIABLES,
        ["http://x.org/a,b", "carriage\rreturn", "bell\x07 and \x7f"],
        ["http://x.org/s http://x.org/p o, \"q\"", "é ü ✓", "_:b1"],
    ]


def test_xml_keeps_a_carriage_return_for_any_xml_parser():
    body = write_solutions(["a"], [(ox.Literal("one\rtwo\nthree\tfour"),)], "xml")
    literal = ET.fromstring(body).find(f".//{RESULTS_XML}literal")
    assert literal.text == "one\rtwo\nthree\tfour"

"""SELECT results written in the four W3C results formats from rows held in memory.

Oxigraph writes results only from a query's own iterator, and the endpoint sends the first
rows of a result and drops the rest, so it writes the rows it keeps itself: SPARQL 1.1 Query
Results JSON, XML, CSV and TSV, with RDF 1.2 triple terms and base directions as Oxigraph
writes them. The bytes are Oxigraph's for the same rows but in three places where they
follow the specifications more closely: a CSV field is quoted whenever it holds a quote,
comma or line break (Oxigraph quotes only literals), TSV escapes control characters as
N-Triples does, and XML writes a carriage return as `&#13;`, which XML parsers keep.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
ITS_NS = "http://www.w3.org/2005/11/its"
PLAIN_DATATYPES = {XSD + "string", RDF + "langString", RDF + "dirLangString"}
TURTLE_FORMS = {  # the literals TSV may write bare, as Turtle reads them back
    XSD + "boolean": re.compile(r"true|false"),
    XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD + "double": re.compile(r"[+-]?([0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+"),
}
XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\r": "&#13;"}

Row = Sequence["ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None"]


def write_solutions(variables: Sequence[str], rows: Sequence[Row], fmt: str) -> bytes:
    """Rows (one term or None per variable) in one of `json`, `xml`, `csv` or `tsv`."""
    return WRITERS[fmt](variables, rows)


# ---------------------------------------------------------------- JSON

def json_results(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    """SPARQL 1.1 Query Results JSON; unbound variables are left out of a row.

    >>> json_results(["x", "y"], [(ox.Literal("a", language="en"), None)])
    b'{"head":{"vars":["x","y"]},"results":{"bindings":[{"x":{"type":"literal","value":"a","xml:lang":"en"}}]}}'
    """
    bindings = [{name: json_term(term) for name, term in zip(variables, row) if term is not None} for row in rows]
    document = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def json_term(term) -> dict:
    """One bound value as a JSON results object.

    >>> json_term(ox.Literal("1", datatype=ox.NamedNode(XSD + "integer")))
    {'type': 'literal', 'value': '1', 'datatype': 'http://www.w3.org/2001/XMLSchema#integer'}
    >>> json_term(ox.BlankNode("b0"))
    {'type': 'bnode', 'value': 'b0'}
    """
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": json_term(term.subject), "predicate": json_term(term.predicate),
                                            "object": json_term(term.object)}}
    value = {"type": "literal", "value": term.value}
    if term.language:
        value["xml:lang"] = term.language
        if term.direction is not None:
            value["its:dir"] = term.direction.value
    elif term.datatype.value not in PLAIN_DATATYPES:
        value["datatype"] = term.datatype.value
    return value


# ---------------------------------------------------------------- XML

def xml_results(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    """SPARQL Query Results XML; unbound variables are left out of a result.

    >>> print(xml_results(["x"], [(ox.NamedNode("http://x.org/a?b&c"),), (None,)]).decode())
    <?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="x"/></head><results><result><binding name="x"><uri>http://x.org/a?b&amp;c</uri></binding></result><result></result></results></sparql>
    """
    head = "".join(f'<variable name="{xml_escape(name)}"/>' for name in variables)
    results = "".join(
        "<result>" + "".join(f'<binding name="{xml_escape(name)}">{xml_term(term)}</binding>'
                             for name, term in zip(variables, row) if term is not None) + "</result>"
        for row in rows)
    return (f'<?xml version="1.0"?><sparql xmlns="{RESULTS_NS}"><head>{head}</head>'
            f"<results>{results}</results></sparql>").encode("utf-8")


def xml_term(term) -> str:
    """One bound value as an XML results element.

    >>> xml_term(ox.Literal("a <b>", language="en"))
    '<literal xml:lang="en">a &lt;b&gt;</literal>'
    """
    if isinstance(term, ox.NamedNode):
        return f"<uri>{xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{xml_escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{xml_term(term.subject)}</subject><predicate>{xml_term(term.predicate)}"
                f"</predicate><object>{xml_term(term.object)}</object></triple>")
    attributes = ""
    if term.language:
        attributes = f' xml:lang="{xml_escape(term.language)}"'
        if term.direction is not None:
            attributes += f' its:dir="{term.direction.value}" xmlns:its="{ITS_NS}" its:version="2.0"'
    elif term.datatype.value not in PLAIN_DATATYPES:
        attributes = f' datatype="{xml_escape(term.datatype.value)}"'
    return f"<literal{attributes}>{xml_escape(term.value)}</literal>"


def xml_escape(text: str) -> str:
    """Text safe in XML content and attribute values.

    >>> xml_escape("it's <a & \\"b\\">\\r")
    'it&apos;s &lt;a &amp; &quot;b&quot;&gt;&#13;'
    """
    return re.sub(r"[&<>\"'\r]", lambda m: XML_ESCAPES[m.group()], text)


# ---------------------------------------------------------------- CSV

def csv_results(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    """SPARQL 1.1 Query Results CSV: plain values, every line ended by CRLF.

    >>> csv_results(["x", "y"], [(ox.Literal("a, b"), None)])
    b'x,y\\r\\n"a, b",\\r\\n'
    """
    table = [list(variables)] + [[csv_field(csv_text(term)) for term in row] for row in rows]
    return lines(table, ",", "\r\n")


def csv_text(term) -> str:
    """The text CSV shows of a value: an IRI, `_:` and a blank node's name, a literal's value.

    >>> csv_text(ox.Triple(ox.NamedNode("http://x.org/a"), ox.NamedNode("http://x.org/b"), ox.Literal("c")))
    'http://x.org/a http://x.org/b c'
    """
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return " ".join(csv_text(part) for part in (term.subject, term.predicate, term.object))
    return term.value


def csv_field(text: str) -> str:
    """A CSV field, quoted when it holds a quote, a comma or a line break.

    >>> csv_field('a "b" c'), csv_field("plain")
    ('"a ""b"" c"', 'plain')
    """
    if re.search(r'["\r\n,]', text):
        return '"' + text.replace('"', '""') + '"'
    return text


# ---------------------------------------------------------------- TSV

def tsv_results(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    """SPARQL 1.1 Query Results TSV: terms as in Turtle, every line ended by LF.

    >>> tsv_results(["x", "n"], [(ox.NamedNode("http://x.org/a"), None)])
    b'?x\\t?n\\n<http://x.org/a>\\t\\n'
    """
    table = [[f"?{name}" for name in variables]] + [[tsv_term(term) for term in row] for row in rows]
    return lines(table, "\t", "\n")


def tsv_term(term) -> str:
    """A term in N-Triples form, numbers and booleans bare as Turtle allows, triple terms
    in RDF 1.2's `<<( s p o )>>`.

    >>> tsv_term(ox.Literal("a\\tb", language="en")), tsv_term(ox.Literal("12", datatype=ox.NamedNode(XSD + "integer")))
    ('"a\\\\tb"@en', '12')
    >>> tsv_term(ox.Literal("12", datatype=ox.NamedNode(XSD + "double")))
    '"12"^^<http://www.w3.org/2001/XMLSchema#double>'
    """
    if term is None:
        return ""
    if isinstance(term, ox.Triple):
        return f"<<( {tsv_term(term.subject)} {tsv_term(term.predicate)} {tsv_term(term.object)} )>>"
    if isinstance(term, ox.Literal):
        form = TURTLE_FORMS.get(term.datatype.value)
        if form is not None and form.fullmatch(term.value):
            return term.value
    return str(term)


def lines(table: list[list[str]], separator: str, end: str) -> bytes:
    """The cells of each row joined by `separator`, each line ended by `end`.

    >>> lines([["a", "b"], ["1", ""]], ",", "\\r\\n")
    b'a,b\\r\\n1,\\r\\n'
    """
    return "".join(separator.join(cells) + end for cells in table).encode("utf-8")


WRITERS = {"json": json_results, "xml": xml_results, "csv": csv_results, "tsv": tsv_results}

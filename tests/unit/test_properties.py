"""Properties that hold for any input: a parameter is always one term, and export followed
by import gives back the same quads (that reading never crashes is in
tests/acceptance/test_properties_extraction.py)."""
from __future__ import annotations

import io

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import UsageError
from kg.render.rdf import serialize_rdf, write_streamed
from kg.query.params import substitutions

from conftest import TEXT, canonical


STORE = ox.Store()
for i, value in enumerate(["NATO", "Russia", 'x" } ; DROP ALL ; #', "<http://evil/>", "ent:nato"]):
    STORE.add(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/label"),
                      ox.Literal(value)))


@settings(max_examples=150, deadline=None)
@given(st.one_of(TEXT, st.sampled_from(['x" } ; DROP ALL ; #', 'NATO" || true || "', "?s", "} UNION { ?s ?p ?o"])))
def test_a_parameter_is_always_exactly_one_term(value):
    query = "SELECT ?s ?name WHERE { ?s <http://example.org/label> ?name }"
    try:
        bound = substitutions({"name": value})[ox.Variable("name")]
    except UsageError as refused:  # `<...>` asks for an IRI: one that is not valid is refused, never pasted
        assert value.startswith("<") and value.endswith(">") and "not a valid IRI" in str(refused)
        return
    found = [(r["s"], r["name"]) for r in STORE.query(query, substitutions={ox.Variable("name"): bound})]
    expected = [(q.subject, q.object) for q in STORE.quads_for_pattern(None, None, bound)]
    assert sorted(map(str, found)) == sorted(map(str, expected))
    assert all(name == bound for _, name in found)
    assert len(STORE) == 5


IRIS = st.sampled_from([f"https://w3id.org/kg-news/entity/e{i}" for i in range(6)])
LITERALS = st.one_of(TEXT.map(ox.Literal), st.integers().map(lambda n: ox.Literal(str(n), datatype=ox.NamedNode(
    "http://www.w3.org/2001/XMLSchema#integer"))), TEXT.map(lambda t: ox.Literal(t, language="en")))
QUADS = st.lists(st.builds(ox.Quad, IRIS.map(ox.NamedNode), IRIS.map(ox.NamedNode),
                           st.one_of(IRIS.map(ox.NamedNode), LITERALS),
                           st.sampled_from(["https://w3id.org/kg-news/doc/a", "https://w3id.org/kg-news/doc/b"]).map(ox.NamedNode)),
                 max_size=30)


@settings(max_examples=80, deadline=None)
@given(QUADS)
def test_export_then_import_is_the_identity(quads):
    for fmt, rdf_format in (("trig", ox.RdfFormat.TRIG), ("nquads", ox.RdfFormat.N_QUADS),
                            ("jsonld", ox.RdfFormat.JSON_LD)):
        data = serialize_rdf(quads, fmt)
        back = list(ox.parse(data, format=rdf_format))
        assert canonical(back) == canonical(quads), fmt


@settings(max_examples=60, deadline=None)
@given(QUADS)
def test_a_streamed_export_in_parts_reads_back_as_the_quads(quads):
    for fmt, rdf_format in (("trig", ox.RdfFormat.TRIG), ("turtle", ox.RdfFormat.TURTLE),
                            ("ntriples", ox.RdfFormat.N_TRIPLES)):
        out = io.BytesIO()
        write_streamed(iter(quads), 10**6, fmt, out)  # as many parts as there can be
        back = list(ox.parse(out.getvalue(), format=rdf_format))
        if fmt == "trig":
            assert canonical(back) == canonical(quads), fmt
        else:
            assert sorted(str(q.triple) for q in back) == sorted(str(t) for t in {q.triple for q in quads}), fmt

"""The ontology is the single source of terms: everything the code names exists in the Turtle."""
from __future__ import annotations

import re

import pyoxigraph as ox
import rdflib

from kg import vocab as ontology
from kg.vocab import KG, KG_NS

from conftest import ROOT

RDFS = "http://www.w3.org/2000/01/rdf-schema#"


def code_terms() -> set[str]:
    """Every kg: term the Python code and the saved queries use."""
    names = set()
    for path in list((ROOT / "kg").rglob("*.py")):
        text = "\n".join(line for line in path.read_text().splitlines() if ">>>" not in line)
        names |= set(re.findall(r"\bKG\.([A-Za-z]+)", text))
        names |= set(re.findall(r"\bKG\[\"([A-Za-z]+)\"\]", text))
    for path in (ROOT / "queries").glob("*.rq"):
        names |= set(re.findall(r"\bkg:([A-Za-z]+)", path.read_text()))
    names |= set(ontology.event_class_names() + ontology.entity_class_names() + ontology.MODALITIES)
    names.discard("terms")
    return names


def test_every_term_the_code_uses_is_declared():
    missing = sorted(code_terms() - KG.terms)
    assert missing == []


def test_every_term_has_a_label_and_a_comment():
    graph = rdflib.Graph().parse(ROOT / "ontology" / "kg.ttl", format="turtle")
    for name in KG.terms:
        iri = rdflib.URIRef(KG_NS + name)
        assert graph.value(iri, rdflib.RDFS.label) is not None, name
        assert graph.value(iri, rdflib.RDFS.comment) is not None, name


def test_a_misspelt_term_fails():
    try:
        KG.Meetnig
    except AttributeError as exc:
        assert "kg:Meetnig" in str(exc)
    else:
        raise AssertionError("a misspelt term resolved")


def test_ontology_files_parse():
    for path in ontology.ontology_files() + [ontology.shapes_file()]:
        assert len(list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))) > 10, path


def test_alignments_to_standard_vocabularies():
    text = (ROOT / "ontology" / "kg.ttl").read_text()
    for namespace in ("https://schema.org/", "http://semanticweb.cs.vu.nl/2009/11/sem/",
                      "http://www.w3.org/ns/prov#", "http://www.w3.org/ns/org#"):
        assert namespace in text

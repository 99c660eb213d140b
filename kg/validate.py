"""SHACL validation of document graphs against `ontology/shapes.ttl`, with pyshacl.

The report groups violations by shape and keeps a few examples of each, so a user sees at
a glance what is wrong and where, instead of a wall of RDF.
"""
from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field

import pyoxigraph as ox

from .ontology import PREFIXES, shapes_file

SH = "http://www.w3.org/ns/shacl#"
EXAMPLES = 3


@dataclass(frozen=True)
class Violation:
    shape: str
    focus: str
    path: str
    message: str


@dataclass(frozen=True)
class Report:
    """What validation found: counts per shape and a few examples of each."""

    conforms: bool
    checked: int
    counts: tuple[tuple[str, int], ...] = ()
    examples: tuple[Violation, ...] = field(default_factory=tuple)

    @property
    def violations(self) -> int:
        return sum(n for _, n in self.counts)

    def text(self) -> str:
        """The report as a person reads it."""
        if self.conforms:
            return f"valid: {self.checked} triples conform to the shapes in ontology/shapes.ttl"
        lines = [f"{self.violations} violation(s) in {self.checked} triples:"]
        for shape, n in self.counts:
            lines.append(f"  {shape}: {n}")
            for example in (e for e in self.examples if e.shape == shape):
                lines.append(f"    {example.focus} {example.path}: {example.message}")
        return "\n".join(lines)


def short(iri: str) -> str:
    """A prefixed name where a known prefix fits.

    >>> short("https://w3id.org/kg-news/ontology#MeetingShape")
    'kg:MeetingShape'
    """
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and "/" not in iri[len(namespace):]:
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


def validate_nquads(data: bytes) -> Report:
    """Validate document graphs given as N-Quads."""
    return validate_quads(list(ox.parse(data, format=ox.RdfFormat.N_QUADS)))


def validate_quads(quads: list[ox.Quad]) -> Report:
    """Validate the triples of some document graphs (graph names are ignored)."""
    import pyshacl
    import rdflib

    triples = [q.triple for q in quads]
    data = rdflib.Graph()
    if triples:
        data.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes_graph(), inference="none",
                                            abort_on_first=False, allow_warnings=True)
    if conforms:
        return Report(True, len(triples))
    found = []
    sh = rdflib.Namespace(SH)
    for result in results.subjects(rdflib.RDF.type, sh.ValidationResult):
        source = results.value(result, sh.sourceShape)
        shape = next((s for s in shapes_graph().subjects(sh.property, source)), source)
        found.append(Violation(
            shape=short(str(shape)) if isinstance(shape, rdflib.URIRef) else short(str(results.value(result, sh.sourceConstraintComponent))),
            focus=short(str(results.value(result, sh.focusNode))),
            path=short(str(results.value(result, sh.resultPath))) if results.value(result, sh.resultPath) else "",
            message=str(results.value(result, sh.resultMessage) or "")))
    counts = Counter(v.shape for v in found)
    examples = []
    for shape in counts:
        examples += sorted((v for v in found if v.shape == shape), key=lambda v: v.focus)[:EXAMPLES]
    return Report(False, len(triples), tuple(sorted(counts.items())), tuple(examples))


@functools.lru_cache(maxsize=1)
def shapes_graph():
    """The shapes, parsed once per process."""
    import rdflib
    return rdflib.Graph().parse(str(shapes_file()), format="turtle")


def merge(reports: list[Report]) -> Report:
    """One report for several batches."""
    counts: Counter = Counter()
    examples: list[Violation] = []
    for report in reports:
        counts.update(dict(report.counts))
        examples += [e for e in report.examples if sum(x.shape == e.shape for x in examples) < EXAMPLES]
    return Report(not counts, sum(r.checked for r in reports), tuple(sorted(counts.items())), tuple(examples))

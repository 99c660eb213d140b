"""SHACL validation of document graphs against `ontology/shapes.ttl`, with pyshacl.

The report groups violations by shape and keeps a few examples of each, so a user sees at
a glance what is wrong and where, instead of a wall of RDF.
"""
from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.vocab import PREFIXES, shapes_file, with_subclasses

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
    """Check freshly extracted document graphs (N-Quads) against the shapes, fast.

    The shapes use only SHACL Core's cardinality, datatype, node-kind, value-list and range
    constraints, so each is compiled once into a SPARQL query that Oxigraph answers over the
    batch in memory; `kg validate` runs the full pyshacl engine on the same shapes.
    """
    batch = ox.Store()
    batch.load(data, format=ox.RdfFormat.N_QUADS)
    found = []
    for check in compiled_shapes():
        for row in batch.query(check.query, use_default_graph_as_union=True):
            found.append(Violation(check.shape, short(row["f"].value), check.path, check.message))
    return report(found, data.count(b"\n"))


def report(found: list[Violation], checked: int) -> Report:
    """Counts per shape and, for each shape, the first few violations by focus node."""
    counts = Counter(v.shape for v in found)
    examples = []
    for shape in sorted(counts):
        examples += sorted((v for v in found if v.shape == shape), key=lambda v: (v.focus, v.path))[:EXAMPLES]
    return Report(not found, checked, tuple(sorted(counts.items())), tuple(examples))


@dataclass(frozen=True)
class Check:
    shape: str
    path: str
    message: str
    query: str


@functools.lru_cache(maxsize=1)
def compiled_shapes() -> tuple[Check, ...]:
    """One SPARQL query per property constraint of `ontology/shapes.ttl`."""
    shapes = ox.Store()
    shapes.load(path=str(shapes_file()), format=ox.RdfFormat.TURTLE)
    rows = shapes.query(f"""
        PREFIX sh: <{SH}>
        SELECT ?shape ?path ?prop WHERE {{ ?shape a sh:NodeShape ; sh:property ?prop . ?prop sh:path ?path }}
        ORDER BY ?shape ?path""")
    checks = []
    for row in rows:
        shape, path, prop = row["shape"], row["path"], row["prop"]
        targets = " ".join(f"<{c}>" for t in shapes.quads_for_pattern(shape, ox.NamedNode(SH + "targetClass"), None)
                           for c in with_subclasses(t.object.value))
        value = lambda name: next((q.object for q in shapes.quads_for_pattern(prop, ox.NamedNode(SH + name), None)), None)
        message = value("message")
        head = f"VALUES ?t {{ {targets} }} ?f a ?t ."
        tests = []
        if value("minCount") is not None:
            tests.append(f"SELECT DISTINCT ?f WHERE {{ {head} OPTIONAL {{ ?f <{path.value}> ?v }} }} "
                         f"GROUP BY ?f HAVING (COUNT(DISTINCT ?v) < {value('minCount').value})")
        if value("maxCount") is not None:
            tests.append(f"SELECT DISTINCT ?f WHERE {{ {head} ?f <{path.value}> ?v }} "
                         f"GROUP BY ?f HAVING (COUNT(DISTINCT ?v) > {value('maxCount').value})")
        filters = []
        if value("datatype") is not None:
            filters.append(f"!isLiteral(?v) || datatype(?v) != <{value('datatype').value}>")
        kind = value("nodeKind")
        if kind is not None and kind.value == SH + "IRI":
            filters.append("!isIRI(?v)")
        if value("minInclusive") is not None:
            filters.append(f"?v < {value('minInclusive').value}")
        if value("minLength") is not None:
            filters.append(f"STRLEN(STR(?v)) < {value('minLength').value}")
        allowed = value("in")
        if allowed is not None:
            members = list_members(shapes, allowed)
            filters.append(f"?v NOT IN ({', '.join(f'<{m.value}>' for m in members)})")
        for condition in filters:
            tests.append(f"SELECT DISTINCT ?f WHERE {{ {head} ?f <{path.value}> ?v FILTER({condition}) }}")
        for query in tests:
            checks.append(Check(short(shape.value), short(path.value), message.value if message else "", query))
    return tuple(checks)


def list_members(store: ox.Store, head) -> list:
    """The members of an RDF list, in order."""
    first, rest, nil = (ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#" + n) for n in ("first", "rest", "nil"))
    out = []
    while head is not None and head != nil:
        out += [q.object for q in store.quads_for_pattern(head, first, None)]
        head = next((q.object for q in store.quads_for_pattern(head, rest, None)), None)
    return out


def validate_quads(quads: list[ox.Quad]) -> Report:
    """Validate the triples of some document graphs (graph names are ignored)."""
    import pyshacl
    import rdflib

    triples = [q.triple for q in quads]
    data = rdflib.Graph()
    if triples:
        data.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes_graph(), ont_graph=class_hierarchy(),
                                            inference="none", abort_on_first=False, allow_warnings=True)
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
    return report(found, len(triples))


@functools.lru_cache(maxsize=1)
def shapes_graph():
    """The shapes, parsed once per process."""
    import rdflib
    return rdflib.Graph().parse(str(shapes_file()), format="turtle")


@functools.lru_cache(maxsize=1)
def class_hierarchy():
    """The ontology's subclasses of every class a shape targets, mixed into the data, so a
    shape on kg:Event applies to a meeting as SHACL's instance rule says."""
    import rdflib
    hierarchy = rdflib.Graph()
    for target in set(shapes_graph().objects(None, rdflib.URIRef(SH + "targetClass"))):
        for below in with_subclasses(str(target))[1:]:
            hierarchy.add((rdflib.URIRef(below), rdflib.RDFS.subClassOf, target))
    return hierarchy


def merge(reports: list[Report]) -> Report:
    """One report for several batches."""
    counts: Counter = Counter()
    shown: Counter = Counter()
    examples: list[Violation] = []
    for part in reports:
        counts.update(dict(part.counts))
        for example in part.examples:
            if shown[example.shape] < EXAMPLES:
                shown[example.shape] += 1
                examples.append(example)
    return Report(not counts, sum(r.checked for r in reports), tuple(sorted(counts.items())), tuple(examples))

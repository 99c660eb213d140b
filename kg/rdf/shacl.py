"""SHACL validation of document graphs against `ontology/shapes.ttl`, with pyshacl.

The report groups violations by shape and keeps a few examples of each, so a user sees at
a glance what is wrong and where, instead of a wall of RDF.
"""
from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.rdf.parts import part_count, spilled
from kg.vocab import PREFIXES, shapes_file, with_subclasses

SH = "http://www.w3.org/ns/shacl#"
SUBCLASS_OF = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
EXAMPLES = 3
PART_TRIPLES = 20_000  # triples checked by pyshacl at once


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
    import rdflib

    triples = [q.triple for q in quads]
    data = rdflib.Graph()
    if triples:
        data.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    conforms, found = checked_graph(data, class_hierarchy())
    return report(found, len(triples)) if not conforms else Report(True, len(triples))


def validate_stream(quads: Iterable[ox.Quad], expected: int) -> Report:
    """Validate quads of any number, graph names ignored, as `validate_quads` does, holding
    a part of them at a time (`expected`, about how many quads come, sizes the parts).

    The shapes look at a node's own statements only (`node_local`): its types and its
    values for the shapes' paths. So the triples are cut into parts by subject, which puts
    every statement about a node in one part wherever its graphs are (an office named by
    several documents, a node described across graphs), and each part is checked alone
    with the class hierarchy and any subclass statements of the data; the parts' reports
    add up to the report of the whole. Shapes that look further are checked on all the
    triples at once."""
    total = Counter()
    subclasses: set[ox.Triple] = set()
    triples = counted((q.triple for q in quads), total, subclasses)
    parts = part_count(expected, PART_TRIPLES) if node_local(shapes_graph()) else 1
    with spilled(triples, parts) as paths:
        hierarchy = with_statements(class_hierarchy(), subclasses)
        results = [checked_graph(graph_of(path), hierarchy) for path in paths]
    conforms = all(ok for ok, _ in results)
    return Report(True, total["triples"]) if conforms else combined([found for _, found in results], total["triples"])


def counted(triples: Iterable[ox.Triple], total: Counter, subclasses: set[ox.Triple]) -> Iterator[ox.Triple]:
    """The triples, passed on as they come, counted in `total` and with the subclass
    statements among them kept in `subclasses`: SHACL reads those from the whole data graph."""
    for triple in triples:
        total["triples"] += 1
        if triple.predicate == SUBCLASS_OF:
            subclasses.add(triple)
        yield triple


def graph_of(path: Path):
    """An N-Triples file as an rdflib graph."""
    import rdflib
    return rdflib.Graph().parse(str(path), format="nt")


def with_statements(graph, triples: set[ox.Triple]):
    """An rdflib graph with these triples added, or the graph itself when there are none."""
    if not triples:
        return graph
    import rdflib
    return graph + rdflib.Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")


def checked_graph(data, hierarchy) -> tuple[bool, list[Violation]]:
    """Whether an rdflib graph conforms to the shapes, and every result pyshacl gave
    (warnings too, which a graph that conforms may have)."""
    import pyshacl
    import rdflib

    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes_graph(), ont_graph=hierarchy,
                                            inference="none", abort_on_first=False, allow_warnings=True)
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
    return conforms, found


def combined(parts: list[list[Violation]], checked: int) -> Report:
    """The report of the whole from what each part found: the counts added up and, for
    each shape, the first few violations by focus node of all the parts.

    >>> a, b = Violation("kg:S", "ev:b", "kg:p", "m"), Violation("kg:S", "ev:a", "kg:p", "m")
    >>> r = combined([[a], [b]], 10)
    >>> r.conforms, r.checked, r.counts, [v.focus for v in r.examples]
    (False, 10, (('kg:S', 2),), ['ev:a', 'ev:b'])
    """
    return report([violation for part in parts for violation in part], checked)


NODE_LOCAL = {SH + name for name in (
    "targetClass", "property", "path", "minCount", "maxCount", "datatype", "nodeKind", "in", "minLength",
    "maxLength", "minInclusive", "maxInclusive", "minExclusive", "maxExclusive", "pattern", "flags", "hasValue",
    "languageIn", "uniqueLang", "message", "name", "description", "severity", "deactivated", "order", "group")} | {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2000/01/rdf-schema#comment"}
SHAPE_TYPES = {SH + "NodeShape", SH + "PropertyShape"}


def node_local(shapes) -> bool:
    """Whether every shape (an rdflib graph of them) judges a node by its own statements
    alone: targets by class, paths of one predicate, and constraints on the values' count,
    kind, datatype, length, range or list. Such shapes can check the data in parts, each
    with every statement of its subjects (`validate_stream`).

    >>> import rdflib
    >>> head = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://x/> . "
    >>> node_local(rdflib.Graph().parse(data=head + "ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
    ...            "sh:property [ sh:path ex:p ; sh:minCount 1 ] .", format="turtle"))
    True
    >>> node_local(rdflib.Graph().parse(data=head + "ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
    ...            "sh:property [ sh:path ex:p ; sh:class ex:D ] .", format="turtle"))
    False
    """
    import rdflib

    sh = rdflib.Namespace(SH)
    shapes_in = set(shapes.subjects(rdflib.RDF.type, sh.NodeShape)) | set(shapes.subjects(rdflib.RDF.type, sh.PropertyShape))
    shapes_in |= set(shapes.objects(None, sh.property)) | {s for p in (sh.path, sh.targetClass) for s in shapes.subjects(p, None)}
    for shape in shapes_in:
        for predicate, value in shapes.predicate_objects(shape):
            if str(predicate) not in NODE_LOCAL:
                return False
            if predicate == rdflib.RDF.type and str(value) not in SHAPE_TYPES:
                return False
            if predicate == sh.path and not isinstance(value, rdflib.URIRef):
                return False
    return True


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

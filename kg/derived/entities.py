"""The entities graph: one description per entity, derived from the documents' mention
records, so a label or a class is stated once however many documents name the entity.

For each entity the graph holds every class some document reads it as (rdf:type), one
skos:prefLabel picked from the names documents prefer, a skos:altLabel for every other name
any document used, and a kg:key per name (`kg.keys`). A key of the deriver is one thing a
version of a document says about an entity: a name it used or prefers, or a class it
reads. Refreshing reads the entities' descriptions (a few triples each); what a document in
the store says now is known without a lookup, and what only an earlier version or a
removed document said is looked up, one exact lookup each: the cost of a write follows the
written documents, never the number of documents that name a popular entity.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from kg.derived import LOOKUPS_PER_QUERY, chunks
from kg.keys import label_keys
from kg.store import Store
from kg.vocab import ENTITIES_GRAPH, KG, RDF_TYPE, SKOS_ALT, SKOS_PREF

GRAPH = ox.NamedNode(ENTITIES_GRAPH)
SAID = {"surfaceForm": KG.surfaceForm, "preferredName": KG.preferredName, "entityClass": KG.entityClass}
DESCRIBED_BY = (RDF_TYPE, SKOS_PREF, SKOS_ALT, KG.key)
GRAPHS_PER_QUERY = 64  # documents read in one query
NAMES = ("surfaceForm", "preferredName")


def key_of(graph: str, version: str, entity: str, said: str, value: ox.NamedNode | ox.Literal) -> str:
    """The key for one thing one version (content hash) of a document says about an entity.

    >>> key_of("https://w3id.org/kg-news/doc/a", "h1", "https://w3id.org/kg-news/entity/nato", "surfaceForm",
    ...        ox.Literal("Nato", language="en"))
    '["https://w3id.org/kg-news/doc/a", "h1", "https://w3id.org/kg-news/entity/nato", "surfaceForm", "\\\\"Nato\\\\"@en"]'
    """
    return json.dumps([graph, version, entity, said, str(value)])


def term(text: str) -> ox.NamedNode | ox.Literal:
    """A term back from its N-Triples form, as `key_of` wrote it.

    >>> term('"Nato"@en'), term("<https://w3id.org/kg-news/ontology#Person>").value
    (<Literal value=Nato language=en>, 'https://w3id.org/kg-news/ontology#Person')
    """
    return next(iter(ox.parse(f"<urn:s> <urn:p> {text} .".encode(), format=ox.RdfFormat.N_TRIPLES))).object


def affected(store: Store, graphs: list[str]) -> frozenset[str]:
    """Every name and class these documents' mention records give an entity, with the
    version of the document that gives it. Each document is read by its own graph name."""
    local = {p.value: name for name, p in SAID.items()}
    keys = set()
    for part in chunks(sorted(graphs), GRAPHS_PER_QUERY):
        branches = " UNION ".join(
            f"{{ GRAPH <{g}> {{ <{g}> <{KG.contentHash.value}> ?h . ?m <{KG.entity.value}> ?x ; ?p ?o }} "
            f"BIND(<{g}> AS ?g) }}" for g in part)
        rows = store.query(f"SELECT ?g ?h ?x ?p ?o WHERE {{ {branches} "
                           f"FILTER(?p IN ({', '.join(str(p) for p in SAID.values())})) }}")
        keys |= {key_of(r["g"].value, r["h"].value, r["x"].value, local[r["p"].value], r["o"]) for r in rows}
    return frozenset(keys)


@dataclass(frozen=True)
class Said:
    """Names used, names preferred and classes read, of one entity."""

    names: frozenset = frozenset()
    preferred: frozenset = frozenset()
    classes: frozenset = frozenset()

    @classmethod
    def of(cls, sayings: Iterable[tuple[str, str, ox.NamedNode | ox.Literal]]) -> Said:
        sayings = list(sayings)
        return cls(frozenset(v for _, s, v in sayings if s in NAMES),
                   frozenset(v for _, s, v in sayings if s == "preferredName"),
                   frozenset(v for _, s, v in sayings if s == "entityClass"))

    @classmethod
    def described(cls, description: set[ox.Triple]) -> Said:
        """What an entity's present description says."""
        return cls(frozenset(t.object for t in description if t.predicate in (SKOS_PREF, SKOS_ALT)),
                   frozenset(t.object for t in description if t.predicate == SKOS_PREF),
                   frozenset(t.object for t in description if t.predicate == RDF_TYPE))

    def updated(self, settled: Said, found: Said) -> Said:
        """This, with what was looked up (`settled`) replaced by what was found."""
        return Said((self.names - settled.names) | found.names, (self.preferred - settled.preferred) | found.preferred,
                    (self.classes - settled.classes) | found.classes)

    def description(self, entity: ox.NamedNode) -> set[ox.Triple]:
        """The entity's triples in the entities graph; none once no document names it."""
        if not self.names:
            return set()
        preferred = preferred_label(self.preferred or self.names)
        out = {ox.Triple(entity, RDF_TYPE, c) for c in self.classes}
        out.add(ox.Triple(entity, SKOS_PREF, preferred))
        out |= {ox.Triple(entity, SKOS_ALT, n) for n in self.names - {preferred}}
        person = KG.Person in self.classes
        out |= {ox.Triple(entity, KG.key, ox.Literal(k)) for k in label_keys((n.value for n in self.names), person)}
        return out


def preferred_label(names: Iterable[ox.Literal]) -> ox.Literal:
    """The one label an entity is shown with, whatever order its documents came in: a name
    not all in capitals before one that is, then the longest, then the first in code-point
    order.

    >>> preferred_label([ox.Literal(n) for n in ("SERGEY LAVROV", "Lavrov", "Sergey Lavrov")]).value
    'Sergey Lavrov'
    """
    return min(names, key=lambda n: (n.value.isupper() and len(n.value) > 1, -len(n.value), n.value))


def refresh(store: Store, before: frozenset[str], graphs: list[str]) -> None:
    """Bring the described entities in line with what the documents now say of them.

    What a document in the store says now needs no lookup; what an earlier version or a
    removed document said is looked up, a name both as used and as preferred. Any other
    name or class of an entity is still said by the documents that said it before, so it
    is not looked at."""
    keys = before | (affected(store, graphs) if graphs else frozenset())
    if not keys:
        return
    sayings = [json.loads(key) for key in keys]
    current = current_versions(store, {(graph, version) for graph, version, *_ in sayings})
    said_now = {(e, s, term(v)) for g, h, e, s, v in sayings if (g, h) in current}
    doubtful = {(e, s, term(v)) for g, h, e, s, v in sayings if (g, h) not in current}
    doubtful = {(e, s, v) for e, _, v in doubtful for s in (NAMES if isinstance(v, ox.Literal) else ("entityClass",))}
    doubtful -= said_now
    found = said_now | still_said(store, doubtful)
    entities = sorted({e for e, _, _ in said_now | doubtful})
    present = descriptions(store, entities)
    now = {e: Said.described(present.get(e, set())).updated(Said.of(x for x in said_now | doubtful if x[0] == e),
                                                              Said.of(x for x in found if x[0] == e))
           for e in entities}
    orphaned = {(e, "preferredName", n) for e, said in now.items() if not said.preferred for n in said.names}
    if orphaned:  # an entity whose preferred label went with the change: which of its names are preferred
        again = still_said(store, orphaned)
        now = {e: Said(said.names, Said.of(x for x in again if x[0] == e).preferred, said.classes) if
               not said.preferred else said for e, said in now.items()}
    removed, added = set(), set()
    for entity, said in now.items():
        wanted, before = said.description(ox.NamedNode(entity)), present.get(entity, set())
        removed |= before - wanted
        added |= wanted - before
    if removed or added:
        store.update(change(removed, added))


def current_versions(store: Store, versions: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of these (document, content hash) pairs the store holds now."""
    found = set()
    for part in chunks(sorted(versions), LOOKUPS_PER_QUERY):
        branches = " UNION ".join(f"{{ GRAPH <{g}> {{ <{g}> <{KG.contentHash.value}> {ox.Literal(h)} }} BIND({n} AS ?i) }}"
                                  for n, (g, h) in enumerate(part))
        found |= {part[int(row["i"].value)] for row in store.query(f"SELECT ?i WHERE {{ {branches} }}")}
    return found


def descriptions(store: Store, entities: list[str]) -> dict[str, set[ox.Triple]]:
    """The entities graph's triples about these entities, by entity."""
    found: dict[str, set[ox.Triple]] = defaultdict(set)
    for part in chunks(entities, LOOKUPS_PER_QUERY):
        rows = store.query(f"""
            SELECT ?x ?p ?o WHERE {{
              VALUES ?x {{ {" ".join(f"<{e}>" for e in part)} }}
              GRAPH <{GRAPH.value}> {{ ?x ?p ?o }}
              FILTER(?p IN ({", ".join(str(p) for p in DESCRIBED_BY)}))
            }}""")
        for row in rows:
            found[row["x"].value].add(ox.Triple(row["x"], row["p"], row["o"]))
    return found


def still_said(store: Store, sayings: set[tuple[str, str, ox.NamedNode | ox.Literal]]) -> set[tuple]:
    """Which of these (entity, what, value) some document in the store says. Exact lookups,
    each stopped at its first match: a name is looked up by the name first (few records
    carry it), a class from the entity's records."""
    checks = sorted(sayings, key=str)
    found = set()
    for part in chunks(checks, LOOKUPS_PER_QUERY):
        branches = " UNION ".join(f"{{ SELECT ({n} AS ?i) WHERE {{ GRAPH ?g {{ {lookup(*saying)} }} }} LIMIT 1 }}"
                                  for n, saying in enumerate(part))
        found |= {part[int(row["i"].value)] for row in store.query(f"SELECT ?i WHERE {{ {branches} }}")}
    return found


def lookup(entity: str, said: str, value: ox.NamedNode | ox.Literal) -> str:
    """The pattern that finds a mention record saying this, in the order that finds it fast.

    >>> lookup("http://e/x", "surfaceForm", ox.Literal("X"))
    '?m <https://w3id.org/kg-news/ontology#surfaceForm> "X" ; <https://w3id.org/kg-news/ontology#entity> <http://e/x>'
    """
    if said == "entityClass":
        return f"?m <{KG.entity.value}> <{entity}> ; <{KG.entityClass.value}> {value}"
    return f"?m <{SAID[said].value}> {value} ; <{KG.entity.value}> <{entity}>"


def change(removed: set[ox.Triple], added: set[ox.Triple]) -> str:
    """One update that takes these triples out of the entities graph and puts those in.

    >>> t = ox.Triple(ox.NamedNode("http://e/x"), ox.NamedNode("http://p"), ox.Literal("x"))
    >>> print(change({t}, set()))
    DELETE DATA { GRAPH <https://w3id.org/kg-news/graph/entities> {
    <http://e/x> <http://p> "x" .
    } }
    """
    def block(verb: str, triples: set[ox.Triple]) -> str:
        lines = "".join(f"{t} .\n" for t in sorted(triples, key=str))
        return f"{verb} DATA {{ GRAPH <{GRAPH.value}> {{\n{lines}}} }}"
    return " ;\n".join(block(verb, triples) for verb, triples in (("DELETE", removed), ("INSERT", added)) if triples)

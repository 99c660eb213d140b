"""The entities graph: one description per entity, derived from the documents' mention
records, so a label or a class is stated once however many documents name the entity.

For each entity the graph holds every class some document reads it as (rdf:type), one
skos:prefLabel picked from the names documents prefer, a skos:altLabel for every other name
any document used, and a kg:key per name (`kg.keys`). A key of the deriver is one thing a
document says about an entity: a name it used or prefers, or a class it reads. Refreshing
an entity reads its description (a few triples) and asks, one exact lookup per name or
class, whether some document still says it: the cost of a write follows the written
documents, never the number of documents that name a popular entity.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from kg.keys import label_keys
from kg.store import Store
from kg.vocab import ENTITIES_GRAPH, KG, RDF_TYPE, SKOS_ALT, SKOS_PREF

GRAPH = ox.NamedNode(ENTITIES_GRAPH)
SAID = {"surfaceForm": KG.surfaceForm, "preferredName": KG.preferredName, "entityClass": KG.entityClass}
DESCRIBED_BY = (RDF_TYPE, SKOS_PREF, SKOS_ALT, KG.key)
CHECKS_PER_QUERY = 500  # lookups in one query: a batch of new documents asks thousands


def key_of(entity: str, said: str, value: ox.NamedNode | ox.Literal) -> str:
    """The key for one thing a document says about an entity.

    >>> key_of("https://w3id.org/kg-news/entity/nato", "surfaceForm", ox.Literal("Nato", language="en"))
    '["https://w3id.org/kg-news/entity/nato", "surfaceForm", "\\\\"Nato\\\\"@en"]'
    """
    return json.dumps([entity, said, str(value)])


def term(text: str) -> ox.NamedNode | ox.Literal:
    """A term back from its N-Triples form, as `key_of` wrote it.

    >>> term('"Nato"@en'), term("<https://w3id.org/kg-news/ontology#Person>").value
    (<Literal value=Nato language=en>, 'https://w3id.org/kg-news/ontology#Person')
    """
    return next(iter(ox.parse(f"<urn:s> <urn:p> {text} .".encode(), format=ox.RdfFormat.N_TRIPLES))).object


def affected(store: Store, graphs: list[str]) -> frozenset[str]:
    """Every name and class these documents' mention records give an entity."""
    rows = store.query(f"""
        SELECT ?x ?p ?o WHERE {{
          VALUES ?g {{ {" ".join(f"<{g}>" for g in graphs)} }}
          VALUES ?p {{ {" ".join(str(p) for p in SAID.values())} }}
          GRAPH ?g {{ ?m <{KG.entity.value}> ?x ; ?p ?o }}
        }}""")
    local = {p.value: name for name, p in SAID.items()}
    return frozenset(key_of(row["x"].value, local[row["p"].value], row["o"]) for row in rows)


@dataclass(frozen=True)
class Said:
    """What some document still says about an entity: the names used, the names preferred,
    the classes read."""

    names: frozenset[ox.Literal]
    preferred: frozenset[ox.Literal]
    classes: frozenset[ox.NamedNode]

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

    def over(self, description: set[ox.Triple], looked_up: set[tuple[str, ox.NamedNode | ox.Literal]]) -> Said:
        """What is said now: this, found among the names and classes looked up, and what
        the present description says beyond them (its preferred label stays a candidate
        unless it was looked up)."""
        asked = {value for _, value in looked_up}
        labels = {t.object for t in description if t.predicate in (SKOS_PREF, SKOS_ALT)} - asked
        classes = {t.object for t in description if t.predicate == RDF_TYPE} - asked
        preferred = {t.object for t in description if t.predicate == SKOS_PREF} - asked
        return Said(frozenset(labels | self.names), frozenset(preferred | self.preferred),
                    frozenset(classes | self.classes))


def preferred_label(names: Iterable[ox.Literal]) -> ox.Literal:
    """The one label an entity is shown with, whatever order its documents came in: a name
    not all in capitals before one that is, then the longest, then the first in code-point
    order.

    >>> preferred_label([ox.Literal(n) for n in ("SERGEY LAVROV", "Lavrov", "Sergey Lavrov")]).value
    'Sergey Lavrov'
    """
    return min(names, key=lambda n: (n.value.isupper() and len(n.value) > 1, -len(n.value), n.value))


def refresh(store: Store, keys: frozenset[str]) -> None:
    """Bring the described entities in line with what the documents now say of them. Only
    what the changed documents said is looked up: any other name or class of an entity is
    still said by the documents that said it before."""
    candidates: dict[str, set[tuple[str, ox.NamedNode | ox.Literal]]] = defaultdict(set)
    for key in keys:
        entity, said, value = json.loads(key)
        candidates[entity].add(("class" if said == "entityClass" else "name", term(value)))
    current = descriptions(store, sorted(candidates))
    found = still_said(store, candidates)
    now = {entity: found[entity].over(current.get(entity, set()), candidates[entity]) for entity in candidates}
    orphaned = {entity: {("name", name) for name in said.names} for entity, said in now.items()
                if said.names and not said.preferred}  # its preferred label went with the change
    for entity, said in still_said(store, orphaned).items():
        now[entity] = Said(now[entity].names, said.preferred, now[entity].classes)
    removed, added = set(), set()
    for entity, said in now.items():
        wanted, present = said.description(ox.NamedNode(entity)), current.get(entity, set())
        removed |= present - wanted
        added |= wanted - present
    if removed or added:
        store.update(change(removed, added))


def descriptions(store: Store, entities: list[str]) -> dict[str, set[ox.Triple]]:
    """The entities graph's triples about these entities, by entity."""
    found: dict[str, set[ox.Triple]] = defaultdict(set)
    rows = store.query(f"""
        SELECT ?x ?p ?o WHERE {{
          VALUES ?x {{ {" ".join(f"<{e}>" for e in entities)} }}
          VALUES ?p {{ {" ".join(str(p) for p in DESCRIBED_BY)} }}
          GRAPH <{GRAPH.value}> {{ ?x ?p ?o }}
        }}""")
    for row in rows:
        found[row["x"].value].add(ox.Triple(row["x"], row["p"], row["o"]))
    return found


def still_said(store: Store, candidates: dict[str, set[tuple[str, ox.NamedNode | ox.Literal]]]) -> dict[str, Said]:
    """Which of the candidate names and classes some document still gives each entity.

    One query of exact lookups, each stopped at its first match: a name is looked up by the
    name first (few records carry it), a class from the entity's records."""
    checks = []
    for entity, terms in candidates.items():
        for kind, value in terms:
            if kind == "name":
                checks.append((entity, "surfaceForm", value, f"?m <{KG.surfaceForm.value}> {value} ; <{KG.entity.value}> <{entity}>"))
                checks.append((entity, "preferredName", value, f"?m <{KG.preferredName.value}> {value} ; <{KG.entity.value}> <{entity}>"))
            else:
                checks.append((entity, "entityClass", value, f"?m <{KG.entity.value}> <{entity}> ; <{KG.entityClass.value}> {value}"))
    found = set()
    for first in range(0, len(checks), CHECKS_PER_QUERY):
        branches = " UNION ".join(f"{{ SELECT ({n} AS ?i) WHERE {{ GRAPH ?g {{ {pattern} }} }} LIMIT 1 }}"
                                  for n, (*_, pattern) in enumerate(checks[first:first + CHECKS_PER_QUERY], first))
        found |= {int(row["i"].value) for row in store.query(f"SELECT ?i WHERE {{ {branches} }}")}
    kept: dict[str, dict[str, set]] = {e: {"surfaceForm": set(), "preferredName": set(), "entityClass": set()}
                                       for e in candidates}
    for n, (entity, said, value, _) in enumerate(checks):
        if n in found:
            kept[entity][said].add(value)
    return {e: Said(frozenset(k["surfaceForm"] | k["preferredName"]), frozenset(k["preferredName"]),
                    frozenset(k["entityClass"])) for e, k in kept.items()}


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

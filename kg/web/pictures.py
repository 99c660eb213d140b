"""Pictures of the graph: the events in the store and the entities they link.

One function reads the picture's nodes and edges from the store (`graph_from_store`), one
from the triples of a CONSTRUCT query (`graph_from_triples`); `kg viz` and the web page
(`kg.web.app`) draw the same elements, so what a page shows and what a file shows agree.
The elements are Cytoscape's JSON form, and each node carries its colour and shape, so the
browser and Graphviz share one palette: the ontology's, read through `kg.vocab`. Nothing
here imports spaCy or rdflib.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError, QueryRefused, UsageError
from kg.render.results import compact
from kg.vocab import (KG_NS, PREFIXES, RDF_TYPE, entity_class_names, entity_group, event_class_names,
                      event_colours, page_vocabulary, role_values, roles)
from kg.query.safety import calls_service, check_query, is_update
from kg.store import Store, open_store

DEFAULT_MAX_EVENTS = 300
DOT_TIMEOUT = 300

DOT_SHAPES = {"ellipse": "ellipse", "round-rectangle": "box", "hexagon": "hexagon",
              "diamond": "diamond", "rectangle": "box"}
LABEL_PREDICATES = (PREFIXES["skos"] + "prefLabel", PREFIXES["rdfs"] + "label", PREFIXES["schema"] + "name")

EVENTS_QUERY = """
SELECT ?event (SAMPLE(?c) AS ?class) (SAMPLE(?d) AS ?doc) (SAMPLE(?f) AS ?file)
       (SAMPLE(?n) AS ?negated) (SAMPLE(?m) AS ?modality) (SAMPLE(STR(?when)) AS ?date)
       (SAMPLE(?t) AS ?theme) (SAMPLE(?tr) AS ?trigger) (SAMPLE(?ev) AS ?evidence)
       (MIN(?s) AS ?start)
WHERE {
  %s
  ?event kg:source ?d ; a ?c .
  ?c rdfs:subClassOf+ kg:Event .
  OPTIONAL { ?d kg:fileName ?f }
  OPTIONAL { ?event kg:negated ?n }
  OPTIONAL { ?event kg:modality ?m }
  OPTIONAL { ?event kg:date ?when }
  OPTIONAL { ?event kg:theme ?t }
  OPTIONAL { ?event kg:trigger ?tr }
  OPTIONAL { ?event kg:evidence ?ev }
  OPTIONAL { ?event kg:charStart ?s }
}
GROUP BY ?event
ORDER BY ?file ?start ?event
%s
"""
LINKS_QUERY = """
SELECT ?event ?role ?entity (MIN(?l) AS ?label) (MIN(?c) AS ?class)
WHERE {
  VALUES ?event { %s }
  VALUES ?role { %s }
  ?event ?role ?entity .
  OPTIONAL { ?entity skos:prefLabel ?l }
  OPTIONAL { ?entity a ?c FILTER(STRSTARTS(STR(?c), STR(kg:))) }
}
GROUP BY ?event ?role ?entity
"""
DESCRIPTIONS_QUERY = """
SELECT DISTINCT ?x ?label ?class
WHERE {
  VALUES ?x { %s }
  { ?x skos:prefLabel ?label }
  UNION
  { ?x a ?class FILTER(STRSTARTS(STR(?class), STR(kg:))) }
}
"""
DESCRIBED_AT_ONCE = 500
DOCUMENTS_QUERY = """
SELECT ?doc (SAMPLE(?f) AS ?file) (SAMPLE(?h) AS ?headline) (SAMPLE(STR(?p)) AS ?published)
       (SAMPLE(?pub) AS ?publisher) (COUNT(DISTINCT ?event) AS ?events)
WHERE {
  GRAPH ?doc { ?doc a kg:Document . OPTIONAL { ?doc kg:fileName ?f } OPTIONAL { ?doc kg:headline ?h }
               OPTIONAL { ?doc kg:published ?p } OPTIONAL { ?doc kg:publisher ?pub } }
  OPTIONAL { ?event kg:source ?doc ; a ?c . ?c rdfs:subClassOf+ kg:Event }
}
GROUP BY ?doc
ORDER BY ?file
"""


# ---------------------------------------------------------------- pure helpers

def local_name(iri: str) -> str:
    """The part of an IRI after its last `#` or `/`, which names classes and roles.

    >>> local_name("https://w3id.org/kg-news/ontology#Meeting"), local_name("http://x.org/a/b")
    ('Meeting', 'b')
    """
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def event_label(kind: str, date: str | None = None, negated: bool = False) -> str:
    """The short caption of an event node: its type, its date, and whether it was denied.

    >>> event_label("Meeting", "2015-05-07"), event_label("Suspension", None, True)
    ('Meeting\\n2015-05-07', 'not Suspension')
    """
    caption = ("not " if negated else "") + kind
    return f"{caption}\n{date}" if date else caption


def shorten(text: str, limit: int = 40) -> str:
    """Text cut to fit a node label, with an ellipsis when cut.

    >>> shorten("Frank-Walter Steinmeier", 12), shorten("NATO")
    ('Frank-Walte…', 'NATO')
    """
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def entity_node(iri: str, label: str | None, kind: str | None) -> dict:
    """The Cytoscape node of an entity, with the colour and shape of its group.

    >>> entity_node("https://w3id.org/kg-news/entity/nato", "NATO", "Alliance")["data"]["group"]
    'body'
    """
    kind = kind or "Entity"
    group = entity_group(kind)
    return {"data": {"id": iri, "label": label or compact_iri(iri), "kind": "entity", "type": kind,
                     "group": group.name, "color": group.colour, "shape": group.shape}}


def event_node(iri: str, kind: str, facts: dict) -> dict:
    """The Cytoscape node of an event; `facts` are its date, evidence, source and so on.

    >>> event_node("ev:x", "Meeting", {"date": "--05-07", "negated": False})["data"]["label"]
    'Meeting\\n--05-07'
    """
    negated = bool(facts.get("negated"))
    data = {"id": iri, "label": event_label(kind, facts.get("date"), negated), "kind": "event",
            "type": kind, "group": "event", "color": event_colours().get(kind, event_colours()["Event"]),
            "shape": "round-rectangle", "negated": negated}
    data.update({k: v for k, v in facts.items() if v not in (None, "") and k not in data})
    return {"data": data}


def edge(source: str, target: str, label: str) -> dict:
    """The Cytoscape edge between two nodes, named so the same link is drawn once.

    >>> edge("a", "b", "agent")["data"]
    {'id': 'a|agent|b', 'source': 'a', 'target': 'b', 'label': 'agent'}
    """
    return {"data": {"id": f"{source}|{label}|{target}", "source": source, "target": target, "label": label}}


def compact_iri(iri: str) -> str:
    """An IRI with its predeclared prefix, as tables show it.

    >>> compact_iri("https://w3id.org/kg-news/entity/nato")
    'ent:nato'
    """
    try:
        return compact(ox.NamedNode(iri))
    except ValueError:
        return iri


def iri_values(iris: Iterable[str]) -> str:
    """IRIs written for a SPARQL VALUES block; each is checked, so none can break out of it.

    >>> iri_values(["http://x.org/a", "http://x.org/b"])
    '<http://x.org/a> <http://x.org/b>'
    """
    return " ".join(str(ox.NamedNode(iri)) for iri in iris)


def term_text(term) -> str | None:
    """A query result cell as plain text: the IRI or the literal's value.

    >>> term_text(ox.Literal("x")), term_text(None)
    ('x', None)
    """
    return None if term is None else term.value


# ---------------------------------------------------------------- from the store

def document_list(store: Store) -> list[dict]:
    """Every loaded document with its file name, headline and number of events."""
    return [{"iri": row["doc"].value, "id": local_name(row["doc"].value), "file": term_text(row["file"]),
             "headline": term_text(row["headline"]), "published": term_text(row["published"]),
             "publisher": term_text(row["publisher"]), "events": int(row["events"].value)}
            for row in store.query(DOCUMENTS_QUERY, prefixes=PREFIXES)]


def graph_from_store(store: Store, documents: list[str] | None = None,
                     max_events: int | None = None) -> dict:
    """The events of the given documents (every document if None), at most `max_events`
    of them in document order, with the entities they link; `truncated` tells whether
    some events were left out, so a page can say the picture is partial."""
    scope = f"VALUES ?d {{ {iri_values(documents)} }}" if documents is not None else ""
    limit = f"LIMIT {int(max_events) + 1}" if max_events is not None else ""
    rows = list(store.query(EVENTS_QUERY % (scope, limit), prefixes=PREFIXES))
    truncated = max_events is not None and len(rows) > max_events
    rows = rows[:max_events] if max_events is not None else rows
    nodes = [event_node(row["event"].value, local_name(row["class"].value), event_facts(row))
             for row in rows if row["event"] is not None]
    edges, entities = [], {}
    if nodes:
        links = store.query(LINKS_QUERY % (iri_values(n["data"]["id"] for n in nodes), role_values()),
                            prefixes=PREFIXES)
        for row in links:
            entity = row["entity"].value
            if entity not in entities:
                kind = local_name(row["class"].value) if row["class"] is not None else None
                entities[entity] = entity_node(entity, term_text(row["label"]), kind)
            edges.append(edge(row["event"].value, entity, local_name(row["role"].value)))
    edges.sort(key=lambda e: e["data"]["id"])
    entity_nodes = sorted(entities.values(), key=lambda n: n["data"]["label"].lower())
    return {"nodes": entity_nodes + nodes, "edges": edges, "truncated": truncated}


def event_facts(row: ox.QuerySolution) -> dict:
    """What an event node shows when clicked, read from one row of EVENTS_QUERY."""
    modality = row["modality"]
    return {"date": term_text(row["date"]), "negated": term_text(row["negated"]) == "true",
            "modality": local_name(modality.value).lower() if modality is not None else None,
            "theme": term_text(row["theme"]), "trigger": term_text(row["trigger"]),
            "evidence": term_text(row["evidence"]), "source": term_text(row["file"]),
            "doc": term_text(row["doc"])}


def graph_from_triples(triples: Iterable[ox.Triple], described: Description | None = None) -> dict:
    """The picture of any set of triples (a CONSTRUCT result): resources become nodes,
    links between them edges, and literal values facts shown on the node. Names and
    classes the triples do not carry come from `described` (the store's), so a picture of
    links alone still shows who is who, in the colours of their kinds."""
    triples = list(triples)
    described = described or Description({}, {})
    types: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    facts: dict[str, dict[str, str]] = {}
    links: list[tuple[str, str, str]] = []
    for triple in triples:
        subject, predicate, obj = node_id(triple.subject), triple.predicate.value, triple.object
        facts.setdefault(subject, {})
        if predicate == RDF_TYPE.value and isinstance(obj, ox.NamedNode):
            types.setdefault(subject, []).append(local_name(obj.value))
        elif isinstance(obj, ox.Literal):
            if predicate in LABEL_PREDICATES:
                labels.setdefault(subject, obj.value)
            name = local_name(predicate) if predicate.startswith(KG_NS) else compact_iri(predicate)
            facts[subject].setdefault(name, obj.value)
        else:
            target = node_id(obj)
            facts.setdefault(target, {})
            role = local_name(predicate) if predicate.startswith(KG_NS) else compact_iri(predicate)
            links.append((subject, target, role))
    nodes = [triple_node(iri, sorted(types.get(iri) or described.classes.get(iri, [])),
                         labels.get(iri) or described.labels.get(iri), facts[iri]) for iri in facts]
    edges = sorted({edge(*link)["data"]["id"]: edge(*link) for link in links}.values(), key=lambda e: e["data"]["id"])
    nodes.sort(key=lambda n: (n["data"]["kind"], n["data"]["label"].lower()))
    return {"nodes": nodes, "edges": edges, "truncated": False}


@dataclass(frozen=True)
class Description:
    """What the store says of the resources in a picture: a name, and the kg classes."""

    labels: dict[str, str]
    classes: dict[str, list[str]]


def describe_resources(store: Store, iris: Iterable[str]) -> Description:
    """The prefLabel and kg classes of some resources, read wherever they are stated (no
    GRAPH block: in document graphs or in the graph of entities alike)."""
    labels: dict[str, str] = {}
    classes: dict[str, set[str]] = {}
    named = sorted({iri for iri in iris if not iri.startswith("_:")})
    for start in range(0, len(named), DESCRIBED_AT_ONCE):
        chunk = iri_values(named[start:start + DESCRIBED_AT_ONCE])
        for row in store.query(DESCRIPTIONS_QUERY % chunk, prefixes=PREFIXES):
            iri = row["x"].value
            if row["label"] is not None:
                labels[iri] = min(labels.get(iri, row["label"].value), row["label"].value)
            if row["class"] is not None:
                classes.setdefault(iri, set()).add(local_name(row["class"].value))
    return Description(labels, {iri: sorted(found) for iri, found in classes.items()})


def described_graph(store: Store, triples: list[ox.Triple]) -> dict:
    """The picture of triples, with the store's names and classes for their resources."""
    resources = {node_id(t.subject) for t in triples} | {node_id(t.object) for t in triples
                                                          if not isinstance(t.object, ox.Literal)}
    return graph_from_triples(triples, describe_resources(store, resources))


def node_id(term) -> str:
    """The identity a term has in the picture: an IRI, `_:b` for a blank node.

    >>> node_id(ox.NamedNode("http://x.org/a")), node_id(ox.BlankNode("b1"))
    ('http://x.org/a', '_:b1')
    """
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


def triple_node(iri: str, kinds: list[str], label: str | None, facts: dict[str, str]) -> dict:
    """A node of a CONSTRUCT picture: an event if it has an event class, else an entity.

    >>> triple_node("http://x.org/e", ["Meeting"], None, {"evidence": "They met."})["data"]["kind"]
    'event'
    """
    events = [k for k in kinds if k in event_class_names()]
    if events:
        facts = {**facts, "negated": facts.get("negated") == "true"}
        return event_node(iri, events[0], facts)
    entities = [k for k in kinds if k in entity_class_names()]
    node = entity_node(iri, label, entities[0] if entities else (kinds[0] if kinds else None))
    node["data"].update({k: v for k, v in facts.items() if k not in node["data"]})
    return node


def construct_graph(store: Store, text: str) -> dict:
    """The picture of a CONSTRUCT or DESCRIBE query's result."""
    if is_update(text):
        raise QueryRefused("a picture is drawn from a CONSTRUCT or DESCRIBE query; this is SPARQL Update")
    if calls_service(text):
        raise QueryRefused("a picture is drawn from this store only; SERVICE calls are refused")
    check_query(text, allow_update=True, allow_service=True)  # a dataset named by FROM: its own message
    result = store.query(text, prefixes=PREFIXES)
    if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
        raise UsageError("a picture needs a CONSTRUCT or DESCRIBE query, which gives triples")
    return described_graph(store, list(result))


def picture(store_path: str, construct: str | None) -> dict:
    """The whole graph of the store, or the result of `construct`."""
    with open_store(store_path) as store:
        return construct_graph(store, construct) if construct else graph_from_store(store)


# ---------------------------------------------------------------- HTML

def web_dir() -> Path:
    """Where the page, its script and the vendored drawing library live."""
    return Path(__file__).resolve().parent / "static"


def inline_json(data) -> str:
    """JSON safe to put inside a <script> element: no `<` can close it.

    >>> inline_json({"a": "</script>"})
    '{"a": "\\\\u003c/script>"}'
    """
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def fill_template(template: str, parts: dict[str, str]) -> str:
    """The template with each `<!--kg:NAME-->` marker replaced, in one pass, so the
    inserted text is never searched for markers itself.

    >>> fill_template("<b><!--kg:x--></b>", {"x": "<!--kg:x-->"})
    '<b><!--kg:x--></b>'
    """
    return re.sub(r"<!--kg:(\w+)-->", lambda m: parts[m.group(1)], template)


def render_html(store_path: str, construct: str | None = None) -> bytes:
    """A single HTML file picturing the whole graph or a CONSTRUCT result, with the
    drawing library and the data inlined, so it opens anywhere without a network."""
    graph = picture(store_path, construct)
    folder = web_dir()
    title = "kg: CONSTRUCT result" if construct else f"kg: {Path(store_path).name}"
    html = fill_template((folder / "viz.html").read_text(encoding="utf-8"), {
        "title": escape_html(title),
        "style": (folder / "app.css").read_text(encoding="utf-8"),
        "library": script_text(folder / "vendor" / "cytoscape.min.js"),
        "graph": script_text(folder / "graph.js"),
        "data": inline_json({"nodes": graph["nodes"], "edges": graph["edges"]}),
        "vocabulary": inline_json(page_vocabulary()),
    })
    return html.encode("utf-8")


def script_text(path: Path) -> str:
    """A script's source, made safe to inline in an HTML <script> element."""
    return re.sub(r"</(script)", r"<\\/\1", path.read_text(encoding="utf-8"), flags=re.IGNORECASE)


def escape_html(text: str) -> str:
    """Text safe inside HTML.

    >>> escape_html('<a & "b">')
    '&lt;a &amp; &quot;b&quot;&gt;'
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# ---------------------------------------------------------------- SVG through Graphviz

def dot_quote(text: str) -> str:
    """A DOT string literal; line breaks become DOT's centred `\\n`.

    >>> print(dot_quote('say "hi"\\nnow'))
    "say \\"hi\\"\\nnow"
    """
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "")
    return '"' + body.replace("\n", "\\n") + '"'


def dot_source(graph: dict) -> str:
    """The picture in Graphviz's DOT language, in the same colours and shapes as the page.

    >>> print(dot_source({"nodes": [entity_node("ent:a", "A", "Person")], "edges": []}))  # doctest: +ELLIPSIS
    digraph kg {
    ...
      "ent:a" [label="A", shape=ellipse, fillcolor="#f4b183", style="filled", tooltip="Person"];
    }
    """
    lines = ["digraph kg {",
             '  graph [rankdir=LR, fontname="Helvetica", nodesep=0.2, ranksep=0.8, bgcolor="white"];',
             '  node [fontname="Helvetica", fontsize=10, color="#555555", penwidth=0.8];',
             '  edge [fontname="Helvetica", fontsize=8, color="#999999", fontcolor="#666666", arrowsize=0.6];']
    for node in graph["nodes"]:
        data = node["data"]
        event = data["kind"] == "event"
        style = "filled,rounded" if event or data["shape"] == "round-rectangle" else "filled"
        if data.get("negated"):
            style += ",dashed"
        label = data["label"] if event else shorten(data["label"])
        tooltip = data.get("evidence") or data.get("type", "")
        attributes = [f"label={dot_quote(label)}", f"shape={DOT_SHAPES.get(data['shape'], 'ellipse')}",
                      f"fillcolor={dot_quote(data['color'])}", f"style={dot_quote(style)}",
                      f"tooltip={dot_quote(shorten(tooltip, 300))}"]
        if event:
            attributes.append('fontcolor="white"')
        lines.append(f"  {dot_quote(data['id'])} [{', '.join(attributes)}];")
    styles = role_styles()
    for link in graph["edges"]:
        data = link["data"]
        colour, style = styles.get(data["label"], ("#999999", ""))
        lines.append(f"  {dot_quote(data['source'])} -> {dot_quote(data['target'])} "
                     f"[label={dot_quote(data['label'])}, color={dot_quote(colour)}{style}];")
    lines.append("}")
    return "\n".join(lines)


def role_styles() -> dict[str, tuple[str, str]]:
    """The DOT colour and extra attributes of each role's edges, as the page draws them.

    >>> role_styles()["place"]
    ('#5a9e48', ', style="dashed"')
    """
    return {role.name: (role.colour, f', style="{role.line}"' if role.line != "solid" else "") for role in roles()}


def run_dot(source: str) -> bytes:
    """SVG from Graphviz's `dot`, which must be installed."""
    dot = shutil.which("dot")
    if dot is None:
        raise KgError("Graphviz 'dot' is not installed (apt-get install graphviz)")
    try:
        done = subprocess.run([dot, "-Tsvg"], input=source.encode("utf-8"), capture_output=True,
                              timeout=DOT_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise KgError(f"Graphviz 'dot' took longer than {DOT_TIMEOUT} s; picture fewer nodes") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise KgError(f"Graphviz 'dot' failed: {message[0] if message else f'exit {done.returncode}'}")
    return done.stdout


def render_svg(store_path: str, construct: str | None = None) -> bytes:
    """An SVG picture of the whole graph or a CONSTRUCT result, laid out by Graphviz."""
    return run_dot(dot_source(picture(store_path, construct)))

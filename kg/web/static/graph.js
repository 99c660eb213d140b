/* kg graph drawing: Cytoscape styles, layout and the node description panel.
 *
 * Shared by the served page (app.js) and the single-file pictures `kg viz` writes, so both
 * draw the same elements the same way. Nodes carry their own colour and shape (chosen in
 * kg/web/pictures.py, which Graphviz pictures use too); the colours and lines of links, and
 * the names in the legend, come from the vocabulary the ontology defines (kg/vocab.py), which
 * the page fetches from /api/vocabulary and a `kg viz` file carries inline.
 */
(function () {
  "use strict";

  var vocabulary = { events: [], roles: [], groups: [] };
  var NO_COLOUR = "#999999";

  /* Use the vocabulary ({events, roles, groups}, each entry with name, label and colour)
   * for every drawing made after this call. */
  function setVocabulary(value) {
    vocabulary = value;
  }

  function entry(list, name) {
    return list.filter(function (item) { return item.name === name; })[0] || null;
  }

  function roleColour(name) {
    var role = entry(vocabulary.roles, name);
    return role ? role.colour : NO_COLOUR;
  }

  /* An event type's colour, as the drawing and the legend show it (a denied one's too). */
  function eventColour(name) {
    var known = entry(vocabulary.events, String(name).replace(/^not /, ""));
    return known ? known.colour : NO_COLOUR;
  }

  /* A link's role as a small badge in its colour. */
  function roleBadge(name) {
    var badge = el("span", "role", name);
    badge.style.background = roleColour(name);
    return badge;
  }

  var NODE_STYLE = [
    { selector: "node", style: {
      "background-color": "data(color)", "shape": "data(shape)", "label": "data(label)",
      "width": 26, "height": 26, "border-width": 1, "border-color": "#6b6b6b",
      "font-family": "system-ui, sans-serif", "font-size": 10, "color": "#2b2b2b",
      "text-valign": "bottom", "text-margin-y": 4, "text-wrap": "wrap", "text-max-width": 120,
      "text-background-color": "#ffffff", "text-background-opacity": 0.7, "text-background-padding": 1,
      "min-zoomed-font-size": 7 } },
    { selector: "node[kind = 'event']", style: {
      "width": 16, "height": 16, "font-size": 8, "color": "#555555", "border-color": "#ffffff", "border-width": 1.5 } },
    { selector: "node.leader", style: {
      "font-size": "data(labelSize)", "font-weight": "bold", "z-index": 10, "min-zoomed-font-size": 0,
      "width": 34, "height": 34,
      "text-background-opacity": 0.85, "color": "#111111" } },
    { selector: "node:parent", style: {
      "background-color": "#eef2f7", "background-opacity": 0.55, "border-color": "#b8c2cc", "border-width": 1,
      "border-style": "dashed", "shape": "round-rectangle", "text-valign": "top", "text-margin-y": -2,
      "font-size": 11, "font-weight": "bold", "color": "#44505c", "padding": 8 } },
    { selector: "node[?negated]", style: { "border-style": "dashed", "border-width": 2, "border-color": "#c0392b" } },
    { selector: "node[modality = 'hypothetical'], node[modality = 'conditional']", style: { "opacity": 0.6 } },
    { selector: "edge", style: {
      "width": 1.2, "line-color": "#c4c4c4", "target-arrow-color": "#c4c4c4", "target-arrow-shape": "triangle",
      "arrow-scale": 0.6, "curve-style": "bezier", "font-size": 8, "color": "#555555",
      "text-rotation": "autorotate", "text-background-color": "#ffffff", "text-background-opacity": 0.85,
      "min-zoomed-font-size": 7 } }
  ];
  var STATE_STYLE = [
    { selector: ".faded", style: { "opacity": 0.12 } },
    { selector: "edge.near", style: { "label": "data(label)", "width": 2 } },
    { selector: ".hit", style: { "border-width": 4, "border-color": "#f2b705", "border-style": "solid" } },
    { selector: "node:selected", style: { "border-width": 4, "border-color": "#1a5fb4", "border-style": "solid" } }
  ];

  /* Each role's links in the role's colour and line. */
  function roleStyle() {
    return vocabulary.roles.map(function (role) {
      return { selector: "edge[label = " + JSON.stringify(role.name) + "]",
               style: { "line-color": role.colour, "target-arrow-color": role.colour, "line-style": role.line } };
    });
  }

  /* Cose is Cytoscape's own force layout: no extension to vendor, fine for hundreds of nodes. */
  function layoutOptions(count) {
    return { name: "cose", animate: false, fit: true, padding: 24, randomize: true,
             nodeRepulsion: function () { return 9000; }, idealEdgeLength: function () { return 55; },
             nodeOverlap: 12, gravity: 0.6, numIter: count > 200 ? 400 : 1000 };
  }

  /* Draw `graph` ({nodes, edges}) in `container`; `onSelect(node)` runs when a node is
   * tapped, and with null when the background is. Returns the Cytoscape instance. */
  function create(container, graph, onSelect) {
    var cy = cytoscape({
      container: container,
      elements: { nodes: graph.nodes || [], edges: graph.edges || [] },
      style: NODE_STYLE.concat(roleStyle(), STATE_STYLE),
      layout: layoutOptions((graph.nodes || []).length),
      minZoom: 0.1, maxZoom: 4, boxSelectionEnabled: false
    });
    cy.on("tap", "node:childless", function (event) {
      focus(cy, event.target);
      if (onSelect) onSelect(event.target);
    });
    cy.on("tap", function (event) {
      if (event.target === cy) {
        unfocus(cy);
        if (onSelect) onSelect(null);
      }
    });
    return cy;
  }

  /* The entities most linked in the drawing, labelled large enough to read when the whole
   * graph is in view, so the first sight of a big graph names its main actors; the rest
   * keep their labels for when one zooms in. Returns how many were labelled. */
  function labelLeaders(cy) {
    var entities = cy.nodes("[kind = 'entity']").sort(function (a, b) {
      return b.degree() - a.degree() || String(a.data("label")).localeCompare(String(b.data("label")));
    });
    var count = Math.min(entities.length, Math.max(5, Math.min(15, Math.round(entities.length / 6))));
    var size = Math.max(10, Math.min(40, 13 / cy.zoom()));  // 13 px on screen, never below the others
    cy.batch(function () {
      cy.nodes().removeClass("leader");
      entities.slice(0, count).forEach(function (node) {
        node.data("labelSize", size);
        node.addClass("leader");
      });
    });
    return count;
  }

  /* The elements grouped in boxes: events by the document they were read from (`document`),
   * or by their main actor (`actor`: the most linked agent, else the most linked party),
   * who is drawn inside its own box. */
  function grouped(graph, mode) {
    var nodes = graph.nodes.map(function (n) { return { data: Object.assign({}, n.data) }; });
    var byId = {};
    nodes.forEach(function (n) { byId[n.data.id] = n; });
    var degree = {};
    var links = {};
    graph.edges.forEach(function (e) {
      var d = e.data;
      degree[d.target] = (degree[d.target] || 0) + 1;
      (links[d.source] = links[d.source] || []).push(d);
    });
    var groups = {};
    nodes.forEach(function (n) {
      if (n.data.kind !== "event") return;
      var key = null;
      var label = null;
      if (mode === "document") {
        key = n.data.doc;
        label = n.data.source || n.data.doc;
      } else {
        var actor = mainActor(links[n.data.id] || [], degree);
        if (actor && byId[actor]) { key = actor; label = byId[actor].data.label; }
      }
      if (!key) return;
      var id = "group:" + key;
      if (!groups[id]) groups[id] = { data: { id: id, label: String(label), kind: "group", group: "group",
                                              color: "#eef2f7", shape: "round-rectangle" } };
      n.data.parent = id;
    });
    if (mode === "actor") {
      nodes.forEach(function (n) {
        if (n.data.kind === "entity" && groups["group:" + n.data.id]) n.data.parent = "group:" + n.data.id;
      });
    }
    var parents = Object.keys(groups).sort().map(function (id) { return groups[id]; });
    return { nodes: parents.concat(nodes), edges: graph.edges, truncated: graph.truncated };
  }

  var GROUPINGS = [["", "not grouped"], ["document", "by document"], ["actor", "by actor"]];

  /* Fill a picker with the ways `grouped` can group a drawing. */
  function fillGroupPicker(select) {
    GROUPINGS.forEach(function (grouping) {
      var option = el("option", null, grouping[1]);
      option.value = grouping[0];
      select.appendChild(option);
    });
  }

  function mainActor(eventLinks, degree) {
    var best = function (list) {
      return list.slice().sort(function (a, b) {
        return (degree[b.target] || 0) - (degree[a.target] || 0) || (a.target < b.target ? -1 : 1);
      })[0];
    };
    var agents = eventLinks.filter(function (d) { return d.label === "agent"; });
    var parties = eventLinks.filter(function (d) { return d.label !== "place"; });
    var chosen = best(agents.length ? agents : parties.length ? parties : eventLinks);
    return chosen ? chosen.target : null;
  }

  /* Fade everything but a node and its neighbours, and name the links around it. */
  function focus(cy, node) {
    var near = node.closedNeighborhood();
    cy.batch(function () {
      cy.elements().removeClass("near").addClass("faded");
      near.removeClass("faded");
      near.edges().addClass("near");
    });
  }

  function unfocus(cy) {
    cy.batch(function () { cy.elements().removeClass("faded near"); });
  }

  /* Bring some elements into view, no closer than a comfortable reading size. */
  function showElements(cy, eles) {
    var box = eles.boundingBox();
    var padding = 60;
    var zoom = Math.min((cy.width() - 2 * padding) / Math.max(box.w, 1), (cy.height() - 2 * padding) / Math.max(box.h, 1));
    zoom = Math.max(cy.minZoom(), Math.min(zoom, 1.25));
    cy.animate({ zoom: zoom, pan: {
      x: cy.width() / 2 - zoom * (box.x1 + box.w / 2),
      y: cy.height() / 2 - zoom * (box.y1 + box.h / 2)
    } }, { duration: 250 });
  }

  /* Mark the nodes whose IRI or label is among `keys` (a Set), such as a query's results. */
  function highlight(cy, keys) {
    var hits = 0;
    cy.batch(function () {
      cy.nodes().forEach(function (node) {
        var hit = keys.has(node.id()) || keys.has(node.data("label"));
        node.toggleClass("hit", hit);
        if (hit) hits += 1;
      });
    });
    return hits;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  /* The evidence sentence with the word that triggered the event marked. */
  function evidenceBlock(sentence, trigger) {
    var quote = el("blockquote", "evidence");
    var at = trigger ? sentence.toLowerCase().indexOf(trigger.toLowerCase()) : -1;
    if (at < 0) {
      quote.textContent = sentence;
      return quote;
    }
    quote.appendChild(document.createTextNode(sentence.slice(0, at)));
    quote.appendChild(el("mark", null, sentence.slice(at, at + trigger.length)));
    quote.appendChild(document.createTextNode(sentence.slice(at + trigger.length)));
    return quote;
  }

  function row(list, name, value) {
    if (value === undefined || value === null || value === "") return;
    list.appendChild(el("dt", null, name));
    list.appendChild(el("dd", null, String(value)));
  }

  /* What a node's own data says, plus its links in the drawing: enough to read a picture
   * with no server behind it. */
  function describe(node) {
    var data = node.data();
    var box = el("div", "node-card");
    box.appendChild(el("div", "kind kind-" + (data.kind === "event" ? "event" : data.group), data.type || data.kind));
    box.appendChild(el("h3", null, String(data.label || data.id).replace(/\n/g, " \u00b7 ")));
    box.appendChild(el("div", "iri", data.id));
    if (data.evidence) box.appendChild(evidenceBlock(data.evidence, data.trigger));
    var facts = el("dl", "facts");
    if (data.kind === "event") {
      row(facts, "date", data.date);
      row(facts, "modality", data.modality);
      row(facts, "negated", data.negated ? "yes (denied or not done)" : null);
      row(facts, "theme", data.theme);
      row(facts, "source", data.source);
    }
    Object.keys(data).forEach(function (key) {
      var known = ["id", "label", "kind", "type", "group", "color", "shape", "negated", "evidence", "trigger",
                   "date", "modality", "theme", "source", "doc", "labelSize", "parent"];
      if (known.indexOf(key) < 0) row(facts, key, data[key]);
    });
    if (facts.childNodes.length) box.appendChild(facts);
    var links = node.connectedEdges();
    if (links.length) {
      box.appendChild(el("h4", null, data.kind === "event" ? "Who and where" : "Takes part in"));
      var list = el("ul", "links");
      links.forEach(function (link) {
        var other = link.source().id() === node.id() ? link.target() : link.source();
        var item = el("li");
        item.appendChild(roleBadge(link.data("label")));
        item.appendChild(document.createTextNode(" " + String(other.data("label")).replace(/\n/g, " \u00b7 ")));
        list.appendChild(item);
      });
      box.appendChild(list);
    }
    return box;
  }

  /* Legend entries for what is drawn: each event type and entity group with its colour. */
  function legend(cy) {
    var seen = {};
    var entries = [];
    cy.nodes(":childless").forEach(function (node) {
      var data = node.data();
      var known = data.kind === "event" ? entry(vocabulary.events, data.type) : entry(vocabulary.groups, data.group);
      var name = known ? known.label : (data.kind === "event" ? data.type : data.group);
      var key = data.kind + ":" + name;
      if (!seen[key]) {
        seen[key] = true;
        entries.push({ kind: data.kind, name: name, color: data.color, shape: data.shape });
      }
    });
    entries.sort(function (a, b) { return (a.kind + a.name).localeCompare(b.kind + b.name); });
    vocabulary.roles.forEach(function (role) {
      entries.push({ kind: "role", name: role.label, color: role.colour });
    });
    return entries;
  }

  var LEGEND_HEADINGS = { entity: "Entities", event: "Events", role: "Links" };

  function legendElement(cy) {
    var box = el("div", "legend");
    var kind = null;
    legend(cy).forEach(function (entry) {
      if (entry.kind !== kind) {
        kind = entry.kind;
        box.appendChild(el("span", "legend-heading", LEGEND_HEADINGS[kind] || kind));
      }
      var item = el("span", "legend-item");
      var swatch = el("span", "swatch swatch-" + entry.kind);
      swatch.style.background = entry.color;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(entry.name));
      box.appendChild(item);
    });
    return box;
  }

  /* Fit the drawing again after the page around it changed size. */
  function refit(cy) {
    cy.resize();
    cy.fit(undefined, 24);
  }

  window.kgGraph = {
    setVocabulary: setVocabulary, roleBadge: roleBadge, eventColour: eventColour, create: create, focus: focus,
    showElements: showElements, labelLeaders: labelLeaders, grouped: grouped, fillGroupPicker: fillGroupPicker,
    unfocus: unfocus, highlight: highlight, describe: describe, evidenceBlock: evidenceBlock, legend: legend, legendElement: legendElement, layoutOptions: layoutOptions, refit: refit
  };
})();

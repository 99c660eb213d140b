/* The kg page: a SPARQL editor with the saved queries one click away, results as a table
 * a page of rows at a time, a graph of events and entities whose nodes open their facts and
 * evidence, and a timeline of dated events, of one actor or of a pair.
 * Plain DOM; the editor is the vendored CodeMirror bundle (window.kgEditor), the shared
 * views are views.js (window.kgViews). It talks to the server's /sparql and /api/* routes.
 */
(function () {
  "use strict";

  var PAGE_ROWS = 100;
  var HISTORY_KEY = "kg.history";
  var HISTORY_SIZE = 30;
  var state = {
    prefixes: {},
    queries: [],
    documents: [],
    active: null,       // the saved query loaded in the editor, if any
    editor: null,
    params: [],         // the parameters the editor's query declares, as boxes show them
    page: null,         // the query whose rows are shown: {text, bindings, offset}
    resultKeys: new Set(),
    cy: null,
    graph: null,        // the elements drawn, before grouping
    graphKey: null,     // what the drawn graph shows, so it is fetched only when that changes
    pair: null,         // the first actor picked for a relation timeline
    timeline: null      // the timeline last asked for
  };
  var $ = function (id) { return document.getElementById(id); };
  var el = kgViews.el;
  var getJSON = kgViews.getJSON;

  /* An IRI with the longest predeclared prefix that fits, as the command line shows it. */
  function compact(iri) {
    var best = null;
    Object.keys(state.prefixes).forEach(function (prefix) {
      var ns = state.prefixes[prefix];
      if (iri.indexOf(ns) === 0 && iri.slice(ns.length).indexOf("/") < 0 && (!best || ns.length > state.prefixes[best].length)) {
        best = prefix;
      }
    });
    return best ? best + ":" + iri.slice(state.prefixes[best].length) : "<" + iri + ">";
  }

  /* ------------------------------------------------------------ saved queries */

  function renderSaved() {
    var list = $("saved");
    list.textContent = "";
    state.queries.forEach(function (query) {
      var item = el("li");
      var button = el("button", "saved-query");
      button.type = "button";
      button.dataset.name = query.name;
      button.title = query.description || "";
      button.appendChild(el("span", "saved-title", query.title));
      button.appendChild(el("span", "saved-name", query.name));
      button.addEventListener("click", function () { loadSaved(query); });
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  function loadSaved(query) {
    state.editor.setValue(query.text);
    state.active = query;
    markActive();
    showTab("table");
    run();
  }

  function markActive() {
    var text = state.editor.getValue();
    if (state.active && state.active.text !== text) state.active = null;
    document.querySelectorAll(".saved-query").forEach(function (b) {
      b.classList.toggle("active", !!state.active && b.dataset.name === state.active.name);
    });
  }

  /* One box per parameter the query in the editor declares, read again whenever the text
   * changes; what was typed in a box stays while its parameter does. */
  function renderParams(text) {
    var params = kgViews.headerParams(text);
    var key = function (list) { return JSON.stringify(list); };
    if (key(params) === key(state.params)) return;
    var typed = {};
    document.querySelectorAll("#params input").forEach(function (input) { typed[input.name] = input.value; });
    state.params = params;
    var box = $("params");
    box.textContent = "";
    params.forEach(function (param) {
      var label = el("label", "param param-" + param.kind);
      label.appendChild(el("span", null, "?" + param.name));
      var input = el("input");
      input.name = param.name;
      input.value = typed[param.name] || "";
      input.placeholder = param.description || (param.kind === "date" ? "YYYY[-MM[-DD]]" : param.kind);
      input.title = param.kind + (param.description ? ": " + param.description : "");
      if (param.kind === "date") input.pattern = "\\d{4}(-\\d{2}(-\\d{2})?)?";
      input.addEventListener("keydown", function (event) { if (event.key === "Enter") run(); });
      label.appendChild(input);
      box.appendChild(label);
    });
  }

  /* The `$name=value` bindings typed into the boxes of the parameters the query declares. */
  function bindings() {
    var pairs = [];
    document.querySelectorAll("#params input").forEach(function (input) {
      if (input.value !== "") pairs.push(["$" + input.name, input.value]);
    });
    return pairs;
  }

  /* ------------------------------------------------------------ history */

  function readHistory() {
    try {
      var list = JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]");
      return Array.isArray(list) ? list.filter(function (t) { return typeof t === "string"; }) : [];
    } catch (error) {
      return [];
    }
  }

  function remember(text) {
    var list = readHistory().filter(function (t) { return t !== text; });
    list.unshift(text);
    try { localStorage.setItem(HISTORY_KEY, JSON.stringify(list.slice(0, HISTORY_SIZE))); } catch (error) { /* full */ }
    renderHistory();
  }

  /* A query as one short line: what it asks, without its prefixes and comments. */
  function summary(text) {
    var lines = text.split("\n").map(function (l) { return l.trim(); }).filter(function (l) {
      return l && l.charAt(0) !== "#" && !/^prefix\s/i.test(l);
    });
    var line = lines.join(" ");
    return line.length > 70 ? line.slice(0, 69) + "\u2026" : line;
  }

  function renderHistory() {
    var select = $("history");
    select.length = 1;
    readHistory().forEach(function (text, index) {
      var option = el("option", null, summary(text));
      option.value = String(index);
      select.appendChild(option);
    });
  }

  /* ------------------------------------------------------------ running queries */

  /* Run the editor's query with the parameters its header declares; a SELECT's rows come
   * PAGE_ROWS at a time. */
  function run() {
    var text = state.editor.getValue();
    if (!text.trim()) return;
    renderParams(text);
    state.page = { text: text, bindings: bindings(), offset: 0 };
    remember(text);
    fetchPage();
  }

  function fetchPage() {
    var page = state.page;
    setStatus("running\u2026", "busy");
    $("run").disabled = true;
    state.editor.clearError();
    kgViews.runQuery(page.text, page.bindings, { offset: page.offset, limit: PAGE_ROWS }).then(function (answer) {
      if (page !== state.page) return;
      if (!answer.ok) {
        showError(answer.body.trim() || ("error " + answer.status), answer.status);
        if (answer.line) state.editor.markError(answer.line, answer.column, answer.body.trim());
        setStatus("error " + answer.status, "error");
        return;
      }
      var solutions = answer.type.indexOf("json") >= 0;
      if (solutions) {
        showResults(JSON.parse(answer.body), answer.elapsed, answer.truncated, answer.more);
      } else {
        showTriples(answer.body, answer.elapsed, answer.truncated, page.text);
      }
      showNotes(answer.notes);
      renderDownloads(page.text, page.bindings, !solutions);
      if (!state.active || state.active.text !== page.text) history.replaceState(null, "", "#query=" + encodeURIComponent(page.text));
      else history.replaceState(null, "", "#saved=" + encodeURIComponent(state.active.name));
    }).catch(function (error) {
      showError(String(error.message || error), 0);
      setStatus("error", "error");
    }).finally(function () {
      $("run").disabled = false;
    });
  }

  function setStatus(text, kind) {
    var status = $("status");
    status.textContent = text;
    status.className = "status " + (kind || "");
  }

  /* An error replaces the result it followed, with its download links and pages. */
  function showError(message, status) {
    var box = $("results");
    box.textContent = "";
    $("downloads").textContent = "";
    $("pager").hidden = true;
    state.resultKeys = new Set();
    var error = el("div", "error-box");
    error.appendChild(el("strong", null, status === 403 ? "Refused" : status === 503 ? "Stopped" : "Error"));
    error.appendChild(el("pre", null, message));
    box.appendChild(error);
  }

  function showResults(data, elapsed, truncated, more) {
    var box = $("results");
    box.textContent = "";
    state.resultKeys = new Set();
    $("pager").hidden = true;
    if (data.boolean !== undefined) {
      box.appendChild(el("div", "boolean " + (data.boolean ? "yes" : "no"), data.boolean ? "true" : "false"));
      setStatus("ASK \u00b7 " + elapsed + " ms", "ok");
      return;
    }
    var offset = state.page ? state.page.offset : 0;
    var vars = data.head.vars || [];
    var rows = data.results.bindings || [];
    var table = el("table", "results");
    var head = el("tr");
    head.appendChild(el("th", "rownum", "#"));
    vars.forEach(function (name) { head.appendChild(el("th", null, name)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    rows.forEach(function (binding, index) {
      var tr = el("tr");
      tr.appendChild(el("td", "rownum", String(offset + index + 1)));
      vars.forEach(function (name) { tr.appendChild(cell(binding[name])); });
      body.appendChild(tr);
    });
    table.appendChild(body);
    box.appendChild(rows.length ? table : el("p", "empty", "No rows."));
    var note = rows.length + " row" + (rows.length === 1 ? "" : "s") + " \u00b7 " + elapsed + " ms";
    if (offset > 0 || more) {
      note = "rows " + (rows.length ? offset + 1 : offset) + "\u2013" + (offset + rows.length) +
             (more ? " of more" : " of " + (offset + rows.length)) + " \u00b7 " + elapsed + " ms";
      $("pager").hidden = false;
      $("page-note").textContent = "rows " + (offset + 1) + "\u2013" + (offset + rows.length);
      $("page-previous").disabled = offset === 0;
      $("page-next").disabled = !more;
    }
    if (truncated) {
      note += " \u00b7 cut at the server's row limit";
      box.insertBefore(el("p", "warning", "Only the first " + rows.length + " rows are shown: the server's row limit. Add a LIMIT or narrow the query."), box.firstChild);
    }
    setStatus(note, truncated ? "warn" : "ok");
    if (state.cy) kgGraph.highlight(state.cy, state.resultKeys);
  }

  /* What binding the parameters found worth telling, above the result it explains. */
  function showNotes(notes) {
    var box = $("results");
    notes.slice().reverse().forEach(function (note) {
      box.insertBefore(el("p", "warning", note), box.firstChild);
    });
  }

  /* One result cell: IRIs shortened and clickable, literals as their text. */
  function cell(term) {
    var td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      state.resultKeys.add(term.value);
      var link = el("a", "iri", compact(term.value));
      link.href = "#";
      link.title = term.value;
      link.addEventListener("click", function (event) { event.preventDefault(); showNode(term.value); });
      td.appendChild(link);
    } else if (term.type === "bnode") {
      td.appendChild(el("span", "bnode", "_:" + term.value));
    } else if (term.type === "triple") {
      td.appendChild(el("span", "triple", "<< \u2026 >>"));
    } else {
      state.resultKeys.add(term.value);
      td.textContent = term.value;
      if (term["xml:lang"]) td.title = "@" + term["xml:lang"];
      else if (term.datatype) td.title = compact(term.datatype);
      if (term.value.length > 140) td.className = "long";
    }
    return td;
  }

  function showTriples(turtle, elapsed, truncated, text) {
    var box = $("results");
    box.textContent = "";
    var bar = el("div", "triples-bar");
    var draw = el("button", "secondary", "Draw in the graph view");
    draw.type = "button";
    draw.addEventListener("click", function () {
      $("graph-doc").value = "";
      loadGraph({ query: text });
      showTab("graph");
    });
    bar.appendChild(draw);
    box.appendChild(bar);
    box.appendChild(el("pre", "turtle", turtle));
    setStatus("triples \u00b7 " + elapsed + " ms" + (truncated ? " \u00b7 cut at the server's row limit" : ""), truncated ? "warn" : "ok");
  }

  function renderDownloads(text, given, graph) {
    var box = $("downloads");
    box.textContent = "";
    var formats = graph ? ["turtle", "ntriples"] : ["json", "xml", "csv", "tsv"];
    if (text.length > 6000) return;  // too long for a link; the POSTed form still works
    box.appendChild(document.createTextNode("download: "));
    formats.forEach(function (format) {
      var params = new URLSearchParams([["query", text]].concat(given).concat([["format", format]]));
      var link = el("a", null, format);
      link.href = "sparql?" + params.toString();
      link.target = "_blank";
      link.rel = "noopener";
      box.appendChild(link);
    });
  }

  /* ------------------------------------------------------------ node details */

  function showNode(iri, drawn) {
    if (state.pair && drawn && drawn.data("kind") === "entity" && iri !== state.pair.iri) {
      finishPair({ iri: iri, label: String(drawn.data("label")) });
      return;
    }
    var panel = $("details");
    var body = $("details-body");
    var opening = panel.hidden;
    panel.hidden = false;
    if (state.cy && opening) state.cy.resize();
    if (drawn && !$("graph-view").hidden) {
      kgGraph.showElements(state.cy, drawn.closedNeighborhood());
    }
    body.textContent = "";
    if (drawn) body.appendChild(kgGraph.describe(drawn));
    else body.appendChild(el("p", "loading", "Loading " + compact(iri) + "\u2026"));
    getJSON("api/node?iri=" + encodeURIComponent(iri)).then(function (node) {
      body.textContent = "";
      body.appendChild(nodeCard(node, drawn));
    }).catch(function (error) {
      if (!drawn) { body.textContent = ""; body.appendChild(el("p", "error-text", error.message)); }
    });
  }

  function nodeCard(node, drawn) {
    var card = el("div", "node-card");
    var types = node.types.map(compact);
    var kind = drawn ? drawn.data("group") : (node.event ? "event" : "");
    card.appendChild(el("div", "kind kind-" + (node.event ? "event" : kind), types.join(", ") || "resource"));
    card.appendChild(el("h3", null, node.label || (drawn ? String(drawn.data("label")).replace(/\n/g, " \u00b7 ") : compact(node.iri))));
    card.appendChild(el("div", "iri", node.iri));
    if (!node.event) card.appendChild(entityActions(node, node.label || compact(node.iri)));
    var evidence = node.facts.filter(function (f) { return compact(f.predicate) === "kg:evidence"; })[0];
    var trigger = node.facts.filter(function (f) { return compact(f.predicate) === "kg:trigger"; })[0];
    if (evidence) card.appendChild(kgGraph.evidenceBlock(evidence.value, trigger && trigger.value));
    node.sources.forEach(function (source) {
      var doc = el("div", "source");
      doc.appendChild(el("span", "source-label", "from "));
      doc.appendChild(el("strong", null, source.file || compact(source.iri)));
      var about = [source.publisher, source.published].filter(Boolean).join(", ");
      if (about) doc.appendChild(el("span", "muted", " (" + about + ")"));
      if (source.headline) doc.appendChild(el("div", "headline", source.headline));
      card.appendChild(doc);
    });
    if (node.roles.length) {
      card.appendChild(el("h4", null, "Takes part in " + node.roles.length + " event" + (node.roles.length === 1 ? "" : "s")));
      var list = el("ul", "events");
      node.roles.forEach(function (role) {
        var item = el("li");
        var head = el("div");
        head.appendChild(kgGraph.roleBadge(role.role));
        var link = el("a", null, (role.negated ? "not " : "") + role.type);
        link.href = "#";
        link.addEventListener("click", function (event) { event.preventDefault(); selectNode(role.event); });
        head.appendChild(document.createTextNode(" "));
        head.appendChild(link);
        if (role.source) head.appendChild(el("span", "muted", " \u00b7 " + role.source));
        item.appendChild(head);
        if (role.evidence) item.appendChild(el("div", "snippet", role.evidence));
        list.appendChild(item);
      });
      card.appendChild(list);
    }
    var facts = el("table", "facts-table");
    var hidden = ["kg:evidence"];
    node.facts.forEach(function (fact) {
      var predicate = compact(fact.predicate);
      if (hidden.indexOf(predicate) >= 0) return;
      var tr = el("tr");
      tr.appendChild(el("th", null, predicate));
      var td = el("td");
      if (fact.kind === "iri") {
        var link = el("a", "iri", fact.label || compact(fact.value));
        link.href = "#";
        link.title = fact.value;
        link.addEventListener("click", function (event) { event.preventDefault(); selectNode(fact.value); });
        td.appendChild(link);
      } else {
        td.textContent = fact.value;
      }
      tr.appendChild(td);
      facts.appendChild(tr);
    });
    card.appendChild(el("h4", null, "Facts"));
    card.appendChild(facts);
    return card;
  }

  /* What can be asked about an entity from its card: its own page, its timeline, and the
   * history of its relation with another actor picked next in the graph. */
  function entityActions(node, label) {
    var bar = el("div", "entity-actions");
    var local = entityLocal(node.iri);
    if (local) {
      var page = el("a", "entity-page", "Entity page");
      page.href = "entity/" + encodeURIComponent(local);
      bar.appendChild(page);
    }
    var dated = el("button", "secondary", "Timeline");
    dated.type = "button";
    dated.addEventListener("click", function () {
      $("timeline-actor").value = entityValue(node.iri);
      showTab("timeline");
      runTimeline();
    });
    bar.appendChild(dated);
    var relation = el("button", "secondary pair-start", "Relation with\u2026");
    relation.type = "button";
    relation.addEventListener("click", function () { startPair({ iri: node.iri, label: label }); });
    bar.appendChild(relation);
    return bar;
  }

  /* An entity's name in the entity namespace, or null for other IRIs. */
  function entityLocal(iri) {
    var ns = state.prefixes.ent;
    if (!ns || iri.indexOf(ns) !== 0) return null;
    var local = iri.slice(ns.length);
    return /^[A-Za-z0-9_.-]+$/.test(local) ? local : null;
  }

  /* An entity as an `entity` parameter's value: `ent:name`, or the IRI in brackets. */
  function entityValue(iri) {
    var local = entityLocal(iri);
    return local ? "ent:" + local : "<" + iri + ">";
  }

  /* Show a node's details, and select it in the drawing when it is drawn. */
  function selectNode(iri) {
    var drawn = state.cy ? state.cy.getElementById(iri) : null;
    if (drawn && drawn.length) {
      state.cy.elements().unselect();
      drawn.select();
      kgGraph.focus(state.cy, drawn);
      showNode(iri, drawn);
    } else {
      showNode(iri);
    }
  }

  /* ------------------------------------------------------------ the graph view */

  function renderDocuments() {
    var picker = $("graph-doc");
    var list = $("docs");
    list.textContent = "";
    state.documents.forEach(function (doc) {
      var option = el("option", null, doc.file + (doc.headline ? " \u2014 " + doc.headline : ""));
      option.value = doc.id;
      picker.appendChild(option);
      var item = el("li");
      var button = el("button", "doc");
      button.type = "button";
      button.title = doc.headline || doc.file;
      button.appendChild(el("span", "doc-file", doc.file));
      button.appendChild(el("span", "doc-count", doc.events + " events"));
      if (doc.headline) button.appendChild(el("span", "doc-headline", doc.headline));
      button.addEventListener("click", function () {
        picker.value = doc.id;
        showTab("graph");
      });
      item.appendChild(button);
      list.appendChild(item);
    });
    $("doc-count").textContent = state.documents.length + " document" + (state.documents.length === 1 ? "" : "s");
  }

  function graphRequest() {
    var doc = $("graph-doc").value;
    var limit = $("graph-limit").value;
    return { doc: doc, limit: limit };
  }

  function loadGraph(request) {
    var key = JSON.stringify(request);
    if (key === state.graphKey && state.cy) return;
    state.graphKey = key;
    var params = new URLSearchParams();
    if (request.query) params.set("query", request.query);
    if (request.doc) params.set("doc", request.doc);
    if (request.limit) params.set("limit", request.limit);
    $("graph-note").textContent = "loading\u2026";
    getJSON("api/graph?" + params.toString()).then(function (graph) {
      drawGraph(graph);
    }).catch(function (error) {
      $("graph-note").textContent = error.message;
      state.graphKey = null;
    });
  }

  function drawGraph(graph) {
    state.graph = graph;
    if (state.cy) state.cy.destroy();
    var started = performance.now();
    var group = $("graph-group").value;
    state.cy = kgGraph.create($("cy"), group ? kgGraph.grouped(graph, group) : graph, function (node) {
      if (node) showNode(node.id(), node);
    });
    window.kgCy = state.cy;  // for the browser test and the console
    var events = graph.nodes.filter(function (n) { return n.data.kind === "event"; }).length;
    var note = events + " events, " + (graph.nodes.length - events) + " entities, " + graph.edges.length + " links";
    if (graph.truncated) note += " \u00b7 only the first events: pick a document or raise the limit";
    note += " \u00b7 laid out in " + Math.round(performance.now() - started) + " ms";
    $("graph-note").textContent = note;
    var legend = $("legend");
    legend.textContent = "";
    legend.appendChild(kgGraph.legendElement(state.cy));
    kgGraph.refit(state.cy);
    kgGraph.labelLeaders(state.cy);
    var hits = kgGraph.highlight(state.cy, state.resultKeys);
    if (hits) $("graph-note").textContent += " \u00b7 " + hits + " from the last results marked";
  }

  /* ------------------------------------------------------------ pairs */

  function startPair(first) {
    state.pair = first;
    $("pair-text").textContent = "Relation of " + first.label + " with\u2026 click a second actor in the graph";
    $("pair-banner").hidden = false;
    showTab("graph");
  }

  function cancelPair() {
    state.pair = null;
    $("pair-banner").hidden = true;
  }

  function finishPair(second) {
    var first = state.pair;
    cancelPair();
    showTab("timeline");
    runRelation(first, second);
  }

  /* ------------------------------------------------------------ timelines */

  function savedQuery(name) {
    return state.queries.filter(function (q) { return q.name === name; })[0] || null;
  }

  /* Bindings for the parameters a saved query declares; a value for one it does not
   * declare is reported, not sent. */
  function declaredBindings(query, values, note) {
    var declared = kgViews.headerParams(query.text).map(function (p) { return p.name; });
    var pairs = [];
    Object.keys(values).forEach(function (name) {
      if (!values[name]) return;
      if (declared.indexOf(name) >= 0) pairs.push(["$" + name, values[name]]);
      else note.push("the saved query " + query.name + " takes no " + name);
    });
    return pairs;
  }

  /* The saved `timeline`, limited to an actor and a period when they are given. */
  function runTimeline() {
    timelineOf("timeline", { actor: $("timeline-actor").value.trim(), from: $("timeline-from").value.trim(),
                             to: $("timeline-to").value.trim() }, null);
  }

  /* The saved `relation` of two actors, as a timeline of its steps and states. */
  function runRelation(first, second, on) {
    timelineOf("relation", { a: entityValue(first.iri), b: entityValue(second.iri), on: on || "" },
               pairHeader(first, second, on));
  }

  /* The pair's names, and a date to ask the state of their relation on. */
  function pairHeader(first, second, on) {
    var head = el("form", "pair-head");
    head.appendChild(el("h2", "pair-title", first.label + " \u2013 " + second.label));
    var label = el("label", null, "state on ");
    var input = el("input", "pair-on");
    input.name = "on";
    input.placeholder = "YYYY[-MM[-DD]]";
    input.size = 11;
    input.value = on || "";
    label.appendChild(input);
    head.appendChild(label);
    var show = el("button", "secondary", "Show");
    show.type = "submit";
    head.appendChild(show);
    head.addEventListener("submit", function (event) {
      event.preventDefault();
      runRelation(first, second, input.value.trim());
    });
    return head;
  }

  /* The rows of a saved query, with the parameters it declares among `values`, drawn in the
   * timeline view under `header`. */
  function timelineOf(name, values, header) {
    var query = savedQuery(name);
    var box = $("timeline");
    box.textContent = "";
    if (!query) {
      box.appendChild(el("p", "error-text", "This server has no saved query named " + name + "."));
      return;
    }
    var notes = [];
    var given = declaredBindings(query, values, notes);
    showTimeline(name, kgViews.savedRows(query, given), given, notes, header);
  }

  function showTimeline(kind, rows, given, notes, header) {
    var box = $("timeline");
    var note = $("timeline-note");
    var asked = state.timeline = {};  // only the last timeline asked for is drawn
    note.textContent = "loading\u2026";
    box.dataset.kind = kind;
    rows.then(function (answer) {
      if (asked !== state.timeline) return;
      box.textContent = "";
      if (header) box.appendChild(header);
      var hide = given.map(function (pair) { return pair[0].slice(1); });
      box.appendChild(kgViews.timeline(answer.vars, answer.rows,
                                       { colour: kgGraph.eventColour, hide: hide, entities: state.prefixes.ent }));
      var noun = kind === "relation" ? "step" : "dated event";
      note.textContent = answer.rows.length + " " + noun + (answer.rows.length === 1 ? "" : "s") +
        (answer.more ? " (the first)" : "") + (notes.length ? " \u00b7 " + notes.join("; ") : "");
    }).catch(function (error) {
      if (asked !== state.timeline) return;
      box.textContent = "";
      box.appendChild(el("div", "error-box", error.message));
      note.textContent = "";
    });
  }

  function showTab(name) {
    document.querySelectorAll(".tab").forEach(function (tab) {
      var on = tab.dataset.tab === name;
      tab.classList.toggle("active", on);
      tab.setAttribute("aria-selected", on ? "true" : "false");
    });
    $("table-view").hidden = name !== "table";
    $("graph-view").hidden = name !== "graph";
    $("timeline-view").hidden = name !== "timeline";
    if (name === "graph") {
      var request = graphRequest();
      if (!state.graphKey || JSON.parse(state.graphKey).query === undefined || request.doc) loadGraph(request);
      if (state.cy) { state.cy.resize(); }
    }
    if (name === "timeline" && !$("timeline").childNodes.length && !state.timeline) runTimeline();
  }

  /* ------------------------------------------------------------ start */

  function overview() {
    var box = $("results");
    box.textContent = "";
    var intro = el("div", "intro");
    intro.appendChild(el("p", null, "Pick a saved query on the left, or write SPARQL above and press Ctrl+Enter. " +
      "The prefixes kg:, ent:, ev:, doc:, skos:, rdfs:, schema: and others are predeclared."));
    var table = el("table", "results");
    var head = el("tr");
    ["document", "headline", "published", "events"].forEach(function (name) { head.appendChild(el("th", null, name)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    state.documents.forEach(function (doc) {
      var tr = el("tr");
      [doc.file, doc.headline || "", [doc.publisher, doc.published].filter(Boolean).join(", "), String(doc.events)]
        .forEach(function (value) { tr.appendChild(el("td", null, value)); });
      body.appendChild(tr);
    });
    table.appendChild(body);
    intro.appendChild(table);
    box.appendChild(intro);
  }

  function restore() {
    var hash = location.hash.slice(1);
    var params = new URLSearchParams(hash);
    if (params.get("saved")) {
      var saved = savedQuery(params.get("saved"));
      if (saved) { loadSaved(saved); return; }
    }
    if (params.get("query")) {
      state.editor.setValue(params.get("query"));
      run();
      return;
    }
    state.editor.setValue("SELECT ?type (COUNT(?event) AS ?events)\nWHERE {\n  ?event a ?class ; kg:source ?doc .\n" +
      "  ?class rdfs:subClassOf+ kg:Event .\n  BIND(STRAFTER(STR(?class), \"#\") AS ?type)\n}\nGROUP BY ?type\nORDER BY DESC(?events)\n");
    overview();
  }

  /* The local names the editor completes after each prefix: the ontology's classes and roles. */
  function editorTerms(vocabulary) {
    var names = vocabulary.events.map(function (e) { return e.name; })
      .concat(vocabulary.roles.map(function (r) { return r.name; }))
      .concat(["Event", "Document", "Quote", "source", "evidence", "trigger", "date", "negated", "modality", "theme",
               "fileName", "headline", "published", "publisher", "charStart", "charEnd"]);
    return { kg: names.filter(function (n, i) { return names.indexOf(n) === i; }).sort(),
             skos: ["prefLabel", "altLabel", "notation"], rdfs: ["label", "subClassOf", "comment"], rdf: ["type"] };
  }

  /* The SPARQL editor in place of the plain text box, which stays only if the editor's
   * script could not be loaded. */
  function createEditor() {
    var area = $("query-text");
    var onChange = function (text) {
      markActive();
      renderParams(text);
    };
    if (window.kgEditor) {
      area.remove();
      state.editor = kgEditor.create($("query"), { doc: "", onRun: run, onChange: onChange });
    } else {
      state.editor = plainEditor(area, onChange);
    }
    window.kgQueryEditor = state.editor;  // for the browser test and the console
  }

  function plainEditor(area, onChange) {
    area.addEventListener("input", function () { onChange(area.value); });
    area.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && event.key === "Enter") { event.preventDefault(); run(); }
    });
    var nothing = function () {};
    return { getValue: function () { return area.value; },
             setValue: function (text) { area.value = text; onChange(text); },
             markError: nothing, clearError: nothing, setTerms: nothing, setPrefixes: nothing,
             focus: function () { area.focus(); } };
  }

  function bind() {
    kgGraph.fillGroupPicker($("graph-group"));
    $("run").addEventListener("click", run);
    $("history").addEventListener("change", function () {
      var list = readHistory();
      var chosen = list[Number($("history").value)];
      $("history").value = "";
      if (chosen !== undefined) { state.editor.setValue(chosen); state.editor.focus(); }
    });
    $("page-previous").addEventListener("click", function () {
      if (!state.page) return;
      state.page = { text: state.page.text, bindings: state.page.bindings, offset: Math.max(0, state.page.offset - PAGE_ROWS) };
      fetchPage();
    });
    $("page-next").addEventListener("click", function () {
      if (!state.page) return;
      state.page = { text: state.page.text, bindings: state.page.bindings, offset: state.page.offset + PAGE_ROWS };
      fetchPage();
    });
    document.querySelectorAll(".tab").forEach(function (tab) {
      tab.addEventListener("click", function () { showTab(tab.dataset.tab); });
    });
    $("timeline-form").addEventListener("submit", function (event) { event.preventDefault(); runTimeline(); });
    $("pair-cancel").addEventListener("click", cancelPair);
    $("graph-doc").addEventListener("change", function () { loadGraph(graphRequest()); });
    $("graph-limit").addEventListener("change", function () { loadGraph(graphRequest()); });
    $("graph-group").addEventListener("change", function () { if (state.graph) drawGraph(state.graph); });
    $("graph-fit").addEventListener("click", function () { if (state.cy) { kgGraph.unfocus(state.cy); state.cy.fit(undefined, 24); } });
    $("graph-relayout").addEventListener("click", function () {
      if (state.cy) state.cy.layout(kgGraph.layoutOptions(state.cy.nodes().length)).run();
    });
    $("details-close").addEventListener("click", function () {
      $("details").hidden = true;
      if (state.cy) { state.cy.elements().unselect(); kgGraph.unfocus(state.cy); kgGraph.refit(state.cy); }
    });
  }

  function start() {
    createEditor();
    bind();
    renderHistory();
    Promise.all([getJSON("api/prefixes"), getJSON("api/queries"), getJSON("api/documents"),
                 getJSON("api/vocabulary")]).then(function (answers) {
      state.prefixes = answers[0];
      state.queries = answers[1];
      state.documents = answers[2];
      kgGraph.setVocabulary(answers[3]);
      state.editor.setPrefixes(state.prefixes);
      state.editor.setTerms(editorTerms(answers[3]));
      renderSaved();
      renderDocuments();
      restore();
      document.body.classList.add("ready");
    }).catch(function (error) {
      showError("The server did not answer: " + error.message, 0);
    });
  }

  document.addEventListener("DOMContentLoaded", start);
})();

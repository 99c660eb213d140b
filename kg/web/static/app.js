/* The kg page: a SPARQL editor with the saved queries one click away, results as a table,
 * and a graph of events and entities whose nodes open their facts and evidence.
 * Plain DOM, no build step; it talks to the server's /sparql and /api/* routes.
 */
(function () {
  "use strict";

  var state = {
    prefixes: {},
    queries: [],
    documents: [],
    active: null,       // the saved query loaded in the editor, if any
    resultKeys: new Set(),
    cy: null,
    graphKey: null       // what the drawn graph shows, so it is fetched only when that changes
  };
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) return response.text().then(function (text) { throw new Error(text.trim()); });
      return response.json();
    });
  }

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
    state.active = query;
    $("query").value = query.text;
    document.querySelectorAll(".saved-query").forEach(function (b) {
      b.classList.toggle("active", b.dataset.name === query.name);
    });
    renderParams(query);
    showTab("table");
    run();
  }

  function renderParams(query) {
    var box = $("params");
    box.textContent = "";
    (query && query.params || []).forEach(function (param) {
      var label = el("label", "param");
      label.appendChild(el("span", null, "?" + param.name));
      var input = el("input");
      input.name = param.name;
      input.placeholder = param.description || "";
      input.addEventListener("keydown", function (event) { if (event.key === "Enter") run(); });
      label.appendChild(input);
      box.appendChild(label);
    });
  }

  /* The `$name=value` bindings typed into the parameter boxes. */
  function bindings() {
    var pairs = [];
    document.querySelectorAll("#params input").forEach(function (input) {
      if (input.value !== "") pairs.push(["$" + input.name, input.value]);
    });
    return pairs;
  }

  /* ------------------------------------------------------------ running queries */

  function run() {
    var text = $("query").value;
    if (!text.trim()) return;
    var form = new URLSearchParams([["query", text]].concat(bindings()));
    var started = performance.now();
    setStatus("running\u2026", "busy");
    $("run").disabled = true;
    fetch("sparql", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded",
                 "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
      body: form
    }).then(function (response) {
      var elapsed = Math.round(performance.now() - started);
      var truncated = response.headers.get("X-KG-Truncated") === "true";
      var type = response.headers.get("Content-Type") || "";
      return response.text().then(function (body) {
        if (!response.ok) {
          showError(body.trim() || response.statusText, response.status);
          setStatus("error " + response.status, "error");
          return;
        }
        if (type.indexOf("json") >= 0) {
          showResults(JSON.parse(body), elapsed, truncated);
        } else {
          showTriples(body, elapsed, truncated, text);
        }
        renderDownloads(text, type.indexOf("json") < 0);
        if (!state.active || state.active.text !== text) history.replaceState(null, "", "#query=" + encodeURIComponent(text));
        else history.replaceState(null, "", "#saved=" + encodeURIComponent(state.active.name));
      });
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

  function showError(message, status) {
    var box = $("results");
    box.textContent = "";
    var error = el("div", "error-box");
    error.appendChild(el("strong", null, status === 403 ? "Refused" : status === 503 ? "Stopped" : "Error"));
    error.appendChild(el("pre", null, message));
    box.appendChild(error);
  }

  function showResults(data, elapsed, truncated) {
    var box = $("results");
    box.textContent = "";
    state.resultKeys = new Set();
    if (data.boolean !== undefined) {
      box.appendChild(el("div", "boolean " + (data.boolean ? "yes" : "no"), data.boolean ? "true" : "false"));
      setStatus("ASK \u00b7 " + elapsed + " ms", "ok");
      return;
    }
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
      tr.appendChild(el("td", "rownum", String(index + 1)));
      vars.forEach(function (name) { tr.appendChild(cell(binding[name])); });
      body.appendChild(tr);
    });
    table.appendChild(body);
    box.appendChild(rows.length ? table : el("p", "empty", "No rows."));
    var note = rows.length + " row" + (rows.length === 1 ? "" : "s") + " \u00b7 " + elapsed + " ms";
    if (truncated) {
      note += " \u00b7 cut at the server's row limit";
      box.insertBefore(el("p", "warning", "Only the first " + rows.length + " rows are shown: the server's row limit. Add a LIMIT or narrow the query."), box.firstChild);
    }
    setStatus(note, truncated ? "warn" : "ok");
    if (state.cy) kgGraph.highlight(state.cy, state.resultKeys);
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

  function renderDownloads(text, graph) {
    var box = $("downloads");
    box.textContent = "";
    var formats = graph ? ["turtle", "ntriples"] : ["json", "xml", "csv", "tsv"];
    if (text.length > 6000) return;  // too long for a link; the POSTed form still works
    box.appendChild(document.createTextNode("download: "));
    formats.forEach(function (format) {
      var params = new URLSearchParams([["query", text]].concat(bindings()).concat([["format", format]]));
      var link = el("a", null, format);
      link.href = "sparql?" + params.toString();
      link.target = "_blank";
      link.rel = "noopener";
      box.appendChild(link);
    });
  }

  /* ------------------------------------------------------------ node details */

  function showNode(iri, drawn) {
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
    if (state.cy) state.cy.destroy();
    var started = performance.now();
    state.cy = kgGraph.create($("cy"), graph, function (node) {
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
    var hits = kgGraph.highlight(state.cy, state.resultKeys);
    if (hits) $("graph-note").textContent += " \u00b7 " + hits + " from the last results marked";
  }

  function showTab(name) {
    document.querySelectorAll(".tab").forEach(function (tab) {
      var on = tab.dataset.tab === name;
      tab.classList.toggle("active", on);
      tab.setAttribute("aria-selected", on ? "true" : "false");
    });
    $("table-view").hidden = name !== "table";
    $("graph-view").hidden = name !== "graph";
    if (name === "graph") {
      var request = graphRequest();
      if (!state.graphKey || JSON.parse(state.graphKey).query === undefined || request.doc) loadGraph(request);
      if (state.cy) { state.cy.resize(); }
    }
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
      var saved = state.queries.filter(function (q) { return q.name === params.get("saved"); })[0];
      if (saved) { loadSaved(saved); return; }
    }
    if (params.get("query")) {
      $("query").value = params.get("query");
      run();
      return;
    }
    $("query").value = "SELECT ?type (COUNT(?event) AS ?events)\nWHERE {\n  ?event a ?class ; kg:source ?doc .\n" +
      "  ?class rdfs:subClassOf+ kg:Event .\n  BIND(STRAFTER(STR(?class), \"#\") AS ?type)\n}\nGROUP BY ?type\nORDER BY DESC(?events)\n";
    overview();
  }

  function bind() {
    $("run").addEventListener("click", run);
    $("query").addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
        event.preventDefault();
        run();
      } else if (event.key === "Tab" && !event.shiftKey) {
        event.preventDefault();
        var area = event.target;
        var at = area.selectionStart;
        area.setRangeText("  ", at, area.selectionEnd, "end");
      }
    });
    $("query").addEventListener("input", function () {
      if (state.active && $("query").value !== state.active.text) {
        document.querySelectorAll(".saved-query.active").forEach(function (b) { b.classList.remove("active"); });
      }
    });
    document.querySelectorAll(".tab").forEach(function (tab) {
      tab.addEventListener("click", function () { showTab(tab.dataset.tab); });
    });
    $("graph-doc").addEventListener("change", function () { loadGraph(graphRequest()); });
    $("graph-limit").addEventListener("change", function () { loadGraph(graphRequest()); });
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
    bind();
    Promise.all([getJSON("api/prefixes"), getJSON("api/queries"), getJSON("api/documents"),
                 getJSON("api/vocabulary")]).then(function (answers) {
      state.prefixes = answers[0];
      state.queries = answers[1];
      state.documents = answers[2];
      kgGraph.setVocabulary(answers[3]);
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

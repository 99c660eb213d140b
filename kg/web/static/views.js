/* What the page and an entity's page share: the parameters a query's header declares,
 * running a query a page of rows at a time, and drawing dated rows as a timeline.
 */
(function () {
  "use strict";

  var DATE_COLUMNS = ["date", "when", "day", "start", "since"];
  var KIND_COLUMNS = ["type", "kind", "step", "what", "category"];
  var SOURCE_COLUMNS = ["source", "sources", "file", "files", "document"];
  var TEXT_COLUMNS = ["evidence", "quote", "text", "sentence"];

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  /* A JSON answer of the server; rejects with its one-line message. */
  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) return response.text().then(function (text) { throw new Error(text.trim()); });
      return response.json();
    });
  }

  /* The parameters a query declares in its header: `# param: NAME KIND  Description`, KIND
   * one of entity, date or text (a header without a kind means text). Only the comment
   * block at the top counts, as on the command line. */
  function headerParams(text) {
    var params = [];
    var lines = text.split("\n");
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i].trim();
      if (!line) continue;
      if (line.charAt(0) !== "#") break;
      var match = /^#+\s*param\s*:\s*\??([A-Za-z_][A-Za-z0-9_]*)\s*(.*)$/i.exec(line);
      if (!match) continue;
      var rest = match[2];
      var kind = /^(entity|date|text)\b\s*(.*)$/.exec(rest);
      params.push({ name: match[1], kind: kind ? kind[1] : "text", description: (kind ? kind[2] : rest).trim() });
    }
    return params;
  }

  /* Run a query at the endpoint with `$name=value` bindings; for a SELECT, `page` ({offset,
   * limit}) asks for one page of rows. Resolves to {ok, status, type, body, more, truncated,
   * notes, line, column, elapsed}; `notes` are what binding the parameters found worth telling
   * (a name that matched no entity). */
  function runQuery(text, bindings, page) {
    var fields = [["query", text]].concat(bindings || []);
    if (page) fields.push(["offset", String(page.offset)], ["limit", String(page.limit)]);
    var started = performance.now();
    return fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded",
                 "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
      body: new URLSearchParams(fields)
    }).then(function (response) {
      return response.text().then(function (body) {
        var line = response.headers.get("X-KG-Error-Line");
        return {
          ok: response.ok, status: response.status, body: body,
          type: response.headers.get("Content-Type") || "",
          more: response.headers.get("X-KG-More") === "true",
          truncated: response.headers.get("X-KG-Truncated") === "true",
          notes: JSON.parse(response.headers.get("X-KG-Notes") || "[]"),
          line: line ? Number(line) : null,
          column: line ? Number(response.headers.get("X-KG-Error-Column")) : null,
          elapsed: Math.round(performance.now() - started)
        };
      });
    });
  }

  /* A saved query's rows as {vars, rows: [{name: value}]}; rejects with the server's message. */
  function savedRows(query, bindings, limit) {
    return runQuery(query.text, bindings, { offset: 0, limit: limit || 1000 }).then(function (answer) {
      if (!answer.ok) throw new Error(answer.body.trim() || ("error " + answer.status));
      var data = JSON.parse(answer.body);
      var rows = data.results.bindings.map(function (binding) {
        var row = {};
        Object.keys(binding).forEach(function (name) { row[name] = binding[name].value; });
        return row;
      });
      return { vars: data.head.vars, rows: rows, more: answer.more };
    });
  }

  function pick(vars, names) {
    for (var i = 0; i < names.length; i++) {
      if (vars.indexOf(names[i]) >= 0) return names[i];
    }
    return null;
  }

  /* The year a date starts with, or null: `2015-05-07`, `2015`, not `--05-07`. */
  function yearOf(value) {
    var match = /^(\d{4})/.exec(value || "");
    return match ? match[1] : null;
  }

  /* Rows with a date drawn as a timeline: years as headings, each row a dot with its date,
   * its kind as a badge, the sentence it was read from and its sources. The columns are
   * found by name, so any query with a date column can be drawn. `options.colour(kind)`
   * colours the badges; `options.hide` names columns not to show (the parameters given,
   * the same on every row); an IRI in `options.entities` (the entity namespace) links to
   * its entity's page. */
  function timeline(vars, rows, options) {
    options = options || {};
    var date = pick(vars, DATE_COLUMNS);
    var kind = pick(vars, KIND_COLUMNS);
    var source = pick(vars, SOURCE_COLUMNS);
    var text = pick(vars, TEXT_COLUMNS);
    var state = vars.indexOf("state") >= 0 ? "state" : null;
    var hidden = [date, kind, source, text, state].concat(options.hide || []);
    var others = vars.filter(function (name) { return hidden.indexOf(name) < 0; });
    var box = el("div", "timeline");
    if (!rows.length) {
      box.appendChild(el("p", "empty", "Nothing dated."));
      return box;
    }
    var year = undefined;
    rows.forEach(function (row) {
      var rowYear = yearOf(row[date]) || "undated";
      if (rowYear !== year) {
        year = rowYear;
        box.appendChild(el("h3", "timeline-year", year));
      }
      var item = el("div", "timeline-item");
      item.appendChild(el("span", "timeline-dot"));
      var head = el("div", "timeline-head");
      head.appendChild(el("span", "timeline-date", row[date] || "no date"));
      if (kind && row[kind]) {
        var badge = el("span", "timeline-kind", row[kind]);
        if (options.colour) badge.style.background = options.colour(row[kind]);
        head.appendChild(badge);
      }
      if (state && row[state]) head.appendChild(el("span", "timeline-state", row[state]));
      item.appendChild(head);
      others.forEach(function (name) {
        if (!row[name]) return;
        var line = el("div", "timeline-field");
        line.appendChild(el("span", "timeline-name", name + " "));
        line.appendChild(valueNode(row[name], options.entities));
        item.appendChild(line);
      });
      if (text && row[text]) item.appendChild(el("div", "timeline-text", row[text]));
      if (source && row[source]) item.appendChild(el("div", "timeline-source", "from " + row[source]));
      box.appendChild(item);
    });
    return box;
  }

  /* A value as text, or as a link to the page of the entity it names. */
  function valueNode(value, entities) {
    if (entities && value.indexOf(entities) === 0 && /^[A-Za-z0-9_.-]+$/.test(value.slice(entities.length))) {
      var link = el("a", "iri", "ent:" + value.slice(entities.length));
      link.href = "/entity/" + value.slice(entities.length);
      return link;
    }
    return document.createTextNode(value);
  }

  window.kgViews = { el: el, getJSON: getJSON, headerParams: headerParams, runQuery: runQuery, savedRows: savedRows,
                     timeline: timeline, yearOf: yearOf };
})();

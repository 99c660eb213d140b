/* An entity's page, /entity/<name>: its names and kinds, then what the saved query `about`
 * says of it (events, quotes, offices, each with its sources) in date order, drawn as
 * timelines, one per kind of row. */
(function () {
  "use strict";

  var el = kgViews.el;
  var getJSON = kgViews.getJSON;
  var $ = function (id) { return document.getElementById(id); };
  var KIND_COLUMNS = ["what", "kind", "type", "category"];
  var SAME_ON_EVERY_ROW = ["name", "about"];  // the entity itself

  function entityName() {
    return decodeURIComponent(location.pathname.replace(/\/+$/, "").split("/").pop());
  }

  function head(node, name) {
    var box = $("entity-head");
    box.textContent = "";
    var shorten = function (iri) { return iri.replace(/^.*[#/]/, ""); };
    box.appendChild(el("div", "kind", node ? node.types.map(shorten).join(", ") || "resource" : "unknown"));
    box.appendChild(el("h2", null, node && node.label ? node.label : "ent:" + name));
    if (node) {
      box.appendChild(el("div", "iri", node.iri));
      var names = node.facts.filter(function (f) { return /altLabel$/.test(f.predicate); })
        .map(function (f) { return f.value; });
      if (names.length) box.appendChild(el("p", "names", "Also named: " + names.join(", ")));
    }
    document.title = "kg \u00b7 " + (node && node.label ? node.label : name);
  }

  /* Rows in three parts, as the kind column names them (statements are quotes, positions
   * offices, anything else an event), each in the query's own (date) order. */
  function sections(vars, rows) {
    var column = KIND_COLUMNS.filter(function (name) { return vars.indexOf(name) >= 0; })[0];
    var parts = { Events: [], Quotes: [], Offices: [] };
    rows.forEach(function (row) {
      var kind = column ? row[column] || "" : "";
      parts[/statement|quote/i.test(kind) ? "Quotes" : /position|office/i.test(kind) ? "Offices" : "Events"].push(row);
    });
    return Object.keys(parts).filter(function (title) { return parts[title].length; })
      .map(function (title) { return { title: title, rows: parts[title] }; });
  }

  function about(query, name, entities) {
    var box = $("entity-about");
    if (!query) {
      box.appendChild(el("p", "error-text", "This server has no saved query named about."));
      return Promise.resolve();
    }
    return kgViews.savedRows(query, [["$name", "ent:" + name]], 2000).then(function (answer) {
      box.textContent = "";
      if (!answer.rows.length) box.appendChild(el("p", "empty", "The saved query about finds nothing on this entity."));
      sections(answer.vars, answer.rows).forEach(function (part) {
        var section = el("section", "about-section");
        section.appendChild(el("h3", "section", part.title + " (" + part.rows.length + ")"));
        section.appendChild(kgViews.timeline(answer.vars, part.rows, { colour: kgGraph.eventColour,
                                                                       hide: SAME_ON_EVERY_ROW, entities: entities }));
        box.appendChild(section);
      });
      if (answer.more) box.appendChild(el("p", "warning", "Only the first " + answer.rows.length + " rows are shown."));
    });
  }

  function start() {
    var name = entityName();
    Promise.all([getJSON("/api/prefixes"), getJSON("/api/queries"), getJSON("/api/vocabulary")]).then(function (answers) {
      kgGraph.setVocabulary(answers[2]);
      var iri = answers[0].ent + name;
      var query = answers[1].filter(function (q) { return q.name === "about"; })[0];
      var node = getJSON("/api/node?iri=" + encodeURIComponent(iri)).catch(function () { return null; });
      return node.then(function (found) {
        head(found, name);
        return about(query, name, answers[0].ent);
      });
    }).catch(function (error) {
      $("entity-about").appendChild(el("div", "error-box", error.message));
    }).finally(function () {
      document.body.classList.add("ready");
    });
  }

  document.addEventListener("DOMContentLoaded", start);
})();

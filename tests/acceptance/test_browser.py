"""The page in a real browser: Debian's chromium, headless, driven by Playwright, against
`kg.web.app.serve` running in its own process over the seed store. Each test drives one
feature and keeps screenshots under test-artifacts/.

Chromium is a system package (`apt-get install chromium`); Playwright's own browser
download is never used. Without chromium this test fails and says how to install it.

The timeline, the entity page and the pair timeline run the saved queries `timeline` (with
`actor`), `about` and `relation`. Where the packaged queries do not have them yet, the
server is given stand-ins written for these tests (through KG_QUERY_PATH), so the page is
tested either way; the assertions hold for any query with those parameters.
"""
from __future__ import annotations

import os
import re
import shutil
import time
from contextlib import contextmanager

import pytest

from conftest import ROOT, running_server

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOT = ARTIFACTS / "browser.png"
LAVROV = "https://w3id.org/kg-news/entity/sergey-lavrov"
MEETING_IN_VOLGOGRAD = "https://w3id.org/kg-news/event/000_b46fa97775ddf137-dc1d1ef59e9c"


NATO = "https://w3id.org/kg-news/entity/nato"
RUSSIA = "https://w3id.org/kg-news/entity/russia"
PREFIXES = """PREFIX kg:   <https://w3id.org/kg-news/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
STAND_INS = {
    "timeline": ("actor", """# title: Timeline
# description: Dated events of one actor (a stand-in written for the browser tests).
# param: actor entity  Who takes part
""" + PREFIXES + """SELECT DISTINCT ?date ?type ?who ?source ?evidence ?actor WHERE {
  GRAPH ?doc {
    ?event a ?class ; kg:date ?when ; kg:source ?doc ; kg:evidence ?evidence ; kg:negated false ;
           kg:agent|kg:participant ?actor .
    ?doc kg:fileName ?source .
  }
  ?actor skos:prefLabel ?who .
  ?class rdfs:subClassOf* kg:Event .
  BIND(STR(?when) AS ?date) BIND(STRAFTER(STR(?class), "#") AS ?type)
} ORDER BY ?date ?source
"""),
    "about": ("name", """# title: About
# description: The events and statements of one entity (a stand-in written for the browser tests).
# param: name entity  The entity
""" + PREFIXES + """SELECT DISTINCT ?date ?kind ?type ?evidence ?source ?name WHERE {
  GRAPH ?doc {
    ?event ?role ?name ; a ?class ; kg:source ?doc ; kg:evidence ?evidence .
    ?doc kg:fileName ?source .
    OPTIONAL { ?event kg:date ?when }
  }
  ?class rdfs:subClassOf+ kg:Event .
  BIND(STRAFTER(STR(?class), "#") AS ?type)
  BIND(IF(?class = kg:Statement, "quotes", "events") AS ?kind)
  BIND(STR(?when) AS ?date)
} ORDER BY ?date ?source
"""),
    "relation": ("a", """# title: Relation
# description: What passed between two actors (a stand-in written for the browser tests).
# param: a entity  One actor
# param: b entity  The other
""" + PREFIXES + """SELECT DISTINCT ?date ?step ?state ?sources ?a ?b WHERE {
  GRAPH ?doc {
    ?event a ?class ; kg:source ?doc ; kg:agent|kg:participant|kg:counterpart ?a, ?b .
    ?doc kg:fileName ?sources .
    OPTIONAL { ?event kg:date ?when }
  }
  FILTER(?a != ?b)
  ?class rdfs:subClassOf+ kg:Event .
  BIND(STRAFTER(STR(?class), "#") AS ?step)
  BIND(STR(?when) AS ?date)
  BIND(IF(?class = kg:Suspension, "suspended", "no reported break") AS ?state)
} ORDER BY ?date ?sources
"""),
}


def stand_ins(folder) -> str | None:
    """A folder of stand-ins for the saved queries the package does not have yet (or has
    without the parameter the page uses), or None when it has them all."""
    from kg.query.saved import saved_queries
    saved = saved_queries()
    missing = {name: text for name, (param, text) in STAND_INS.items()
               if name not in saved or param not in {p.name for p in saved[name].params}}
    for name, text in missing.items():
        (folder / f"{name}.rq").write_text(text)
    return str(folder) if missing else None


def declared_params(name: str) -> set[str]:
    """The parameters a packaged saved query takes (none if there is no such query)."""
    from kg.query.saved import saved_queries
    saved = saved_queries().get(name)
    return {p.name for p in saved.params} if saved is not None else set()


@pytest.fixture(scope="module")
def server(seeds_store, tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    extra = stand_ins(folder)
    before = os.environ.get("KG_QUERY_PATH")
    if extra:
        os.environ["KG_QUERY_PATH"] = extra
    try:
        with running_server(seeds_store, folder / "server.log", timeout=20.0) as url:
            yield url
    finally:
        if before is None:
            os.environ.pop("KG_QUERY_PATH", None)
        else:
            os.environ["KG_QUERY_PATH"] = before


@contextmanager
def chromium():
    """Debian's chromium under Playwright; a missing browser or driver fails the test with
    the command that installs it, since a skipped browser test would hide a broken page."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(f"chromium is not installed at {CHROMIUM}: run `apt-get install -y chromium` "
                    "(or point KG_CHROMIUM at a Chromium binary)", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the Python package playwright is not installed: pip install playwright", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def click_node(page, iri: str) -> None:
    """Click a drawn node with the mouse, where Cytoscape rendered it."""
    page.wait_for_function("(iri) => window.kgCy && window.kgCy.getElementById(iri).length > 0 && "
                           "!window.kgCy.animated()", arg=iri)
    x, y = page.evaluate("""(iri) => {
        const node = window.kgCy.getElementById(iri);
        const box = window.kgCy.container().getBoundingClientRect();
        const at = node.renderedPosition();
        return [box.left + at.x, box.top + at.y];
    }""", iri)
    page.mouse.click(x, y)


def test_page_runs_a_saved_query_and_draws_the_graph(server):
    with chromium() as browser:
        check_page(browser, server)


def check_page(browser, server: str) -> None:
    """Run met-with, open the graph, click a person and an event, keep a screenshot."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda message: problems.append(f"console {message.type}: {message.text}")
            if message.type == "error" else None)
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith((server, "data:")) else None)
    try:
        page.goto(server)
        page.click("button.saved-query[data-name='met-with']")
        page.wait_for_selector("#status.ok")
        table = page.inner_text("table.results")
        assert "Sergey Lavrov" in table and "Frank-Walter Steinmeier" in table
        assert "Volgograd" in table
        assert "7 rows" in page.inner_text("#status")

        page.click("button.tab[data-tab='graph']")
        page.wait_for_function("() => window.kgCy && window.kgCy.nodes().length > 0")
        counts = page.evaluate("() => ({nodes: window.kgCy.nodes().length, edges: window.kgCy.edges().length, "
                               "events: window.kgCy.nodes('[kind = \"event\"]').length})")
        assert counts["events"] > 40 and counts["nodes"] > counts["events"] + 10 and counts["edges"] > 50
        assert page.evaluate("() => window.kgCy.nodes('.hit').length") > 0  # the met-with rows are marked

        click_node(page, LAVROV)
        page.wait_for_selector("#details:not([hidden]) .node-card h3")
        assert page.inner_text("#details .node-card h3") == "Sergey Lavrov"
        page.wait_for_selector("#details ul.events li")
        assert re.search(r"takes part in \d+ events", page.inner_text("#details").lower())

        click_node(page, MEETING_IN_VOLGOGRAD)
        page.wait_for_selector("#details .source")
        details = page.inner_text("#details")
        assert "shakes hands with his German counterpart" in page.inner_text("#details blockquote.evidence")
        assert "000_b46fa97775ddf137.txt" in details
        assert "kg:participant" in details
        page.wait_for_timeout(300)
        SCREENSHOT.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))
    finally:
        page.close()
    assert problems == []
    assert outside == []
    assert SCREENSHOT.stat().st_size > 10_000


@contextmanager
def opened(server: str, width: int = 1400, height: int = 900, path: str = ""):
    """A page of the server in chromium, failing the test on any script error or any
    request beyond the server."""
    with chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": height})
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        outside: list[str] = []
        page.on("request", lambda request: outside.append(request.url)
                if not request.url.startswith((server, "data:")) else None)
        page.goto(server + path)
        page.wait_for_selector("body.ready")
        yield page
        assert problems == []
        assert outside == []


def shot(page, name: str) -> None:
    """Keep a screenshot of the page under test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(200)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000


def set_query(page, text: str) -> None:
    page.evaluate("(text) => window.kgQueryEditor.setValue(text)", text)


def run_query(page) -> None:
    page.click("#run")
    page.wait_for_selector("#status.ok, #status.warn, #status.error")


def test_editor_highlights_completes_and_marks_errors(server):
    with opened(server) as page:
        page.click("#query .cm-content")
        page.keyboard.press("Control+a")
        page.keyboard.type("SELECT ?who WHERE {\n?e kg:agent ?x .\n?x sko")
        page.wait_for_selector(".cm-tooltip-autocomplete")
        assert "skos:" in page.inner_text(".cm-tooltip-autocomplete")
        page.wait_for_timeout(150)  # the editor takes no Enter at once from a list that just opened
        page.keyboard.press("Enter")
        page.keyboard.type("prefLab")
        page.wait_for_selector(".cm-tooltip-autocomplete >> text=prefLabel")
        page.wait_for_timeout(150)
        page.keyboard.press("Enter")
        page.keyboard.type(" ?who")
        assert "?x skos:prefLabel ?who" in page.evaluate("() => window.kgQueryEditor.getValue()")
        page.keyboard.press("Escape")
        page.keyboard.type(" }\nORD")
        page.wait_for_selector(".cm-tooltip-autocomplete >> text=ORDER BY")
        shot(page, "editor-completion")
        page.keyboard.press("Escape")
        colours = page.evaluate("""() => [...document.querySelectorAll('#query .cm-line span')]
            .map(span => getComputedStyle(span).color)""")
        assert len(set(colours)) >= 3  # keywords, variables and names each in their colour

        set_query(page, "SELECT ?x\nWHERE {\n  ?x ?y ?z .\n  ?x nosuch:name ?z .\n}")
        run_query(page)
        assert "line 4, column 17" in page.inner_text("#results .error-box")
        page.wait_for_selector("#query .cm-lintRange-error")
        marked = page.evaluate("""() => {
            const range = document.querySelector('#query .cm-lintRange-error');
            const line = range.closest('.cm-line');
            return [...document.querySelectorAll('#query .cm-content .cm-line')].indexOf(line) + 1;
        }""")
        assert marked == 4
        assert page.locator("#query .cm-lint-marker-error").count() == 1
        shot(page, "editor-error-marker")
        before_marker = "() => { const v = window.kgQueryEditor.view; return v.state.doc.sliceString(0, v.state.selection.main.head); }"
        assert page.evaluate(before_marker).endswith("?x nosuch:name")
        set_query(page, 'SELECT * WHERE { ?s ?p "\U0001F600 Сергей" . ?s nosuch:x ?o }')
        run_query(page)
        page.wait_for_selector("#query .cm-lintRange-error")
        assert page.evaluate(before_marker).endswith("?s nosuch:x")  # columns count characters, not UTF-16 units

        set_query(page, "SELECT (COUNT(*) AS ?quads) WHERE { ?s ?p ?o }")
        run_query(page)
        assert page.locator("#query .cm-lintRange-error").count() == 0
        page.reload()
        page.wait_for_selector("body.ready")
        options = page.eval_on_selector_all("#history option", "options => options.map(o => o.textContent)")
        assert any("COUNT(*)" in option for option in options)
        assert any("nosuch:name" in option for option in options)
        chosen = [i for i, option in enumerate(options) if "COUNT(*)" in option][0]
        page.select_option("#history", index=chosen)
        assert page.evaluate("() => window.kgQueryEditor.getValue()").startswith("SELECT (COUNT(*) AS ?quads)")


def test_parameter_boxes_follow_the_query_and_errors_clear_results(server):
    with opened(server) as page:
        page.click("button.saved-query[data-name='suspensions']")
        page.wait_for_selector("#status.ok")
        assert page.locator("#params input[name='actor']").count() == 1
        page.fill("#params input[name='actor']", "NATO")
        assert page.locator("#downloads a").count() == 4

        set_query(page, "CONSTRUCT { ?a kg:metWith ?b }\nWHERE { ?m a kg:Meeting ; kg:participant ?a, ?b FILTER(?a != ?b) }")
        assert page.locator("#params input").count() == 0
        sent: list[str] = []
        page.on("request", lambda request: sent.append(request.post_data or "") if "/sparql" in request.url else None)
        run_query(page)
        assert page.get_attribute("#status", "class") == "status ok"
        assert "metWith" in page.inner_text("#results pre.turtle")
        assert sent and "%24actor" not in sent[-1] and "$actor" not in sent[-1]

        set_query(page, "# param: who entity  Anyone\n# param: since date  From when\nSELECT ?who ?since WHERE {}")
        kinds = page.eval_on_selector_all("#params label", "labels => labels.map(l => l.className)")
        assert kinds == ["param param-entity", "param param-date"]
        shot(page, "parameters-from-header")

        set_query(page, "SELECT ?x WHERE { ?x ?y }")
        run_query(page)
        assert page.locator("#results .error-box").count() == 1
        assert page.locator("#results pre.turtle, #results table").count() == 0
        assert page.inner_text("#downloads") == ""
        shot(page, "error-clears-result")


@pytest.mark.parametrize("width", [800, 820])
def test_layout_keeps_the_table_usable_when_narrow(server, width):
    with opened(server, width=width, height=900) as page:
        set_query(page, "SELECT ?person ?name ?class WHERE { ?person a kg:Person, ?class ; skos:prefLabel ?name }")
        run_query(page)
        page.click("table.results a.iri >> nth=0")
        page.wait_for_selector("#details:not([hidden]) .node-card h3")
        sizes = page.evaluate("""() => ({
            table: document.querySelector('table.results').getBoundingClientRect().width,
            main: document.querySelector('main').getBoundingClientRect().width,
            details: document.querySelector('#details').getBoundingClientRect().width,
            page: document.documentElement.scrollWidth,
            run: document.querySelector('#run').getBoundingClientRect().right })""")
        assert sizes["table"] >= 440 and sizes["main"] >= 440
        assert sizes["details"] >= 260
        assert sizes["page"] <= width and sizes["run"] <= width
        shot(page, f"layout-{width}px-details-open")
        page.click("button.tab[data-tab='graph']")
        page.wait_for_function("() => window.kgCy && window.kgCy.nodes('.leader').length > 0")
        graph = page.evaluate("() => document.querySelector('#cy').getBoundingClientRect().width")
        assert graph >= 440 and page.evaluate("() => document.documentElement.scrollWidth") <= width
        shot(page, f"layout-{width}px-graph")


def test_construct_is_drawn_with_names_and_class_colours(server):
    with opened(server) as page:
        set_query(page, "CONSTRUCT { ?a kg:metWith ?b }\nWHERE { ?m a kg:Meeting ; kg:participant ?a, ?b FILTER(?a != ?b) }")
        run_query(page)
        page.click("text=Draw in the graph view")
        page.wait_for_function("(iri) => window.kgCy && window.kgCy.getElementById(iri).length > 0", arg=LAVROV)
        node = page.evaluate("(iri) => window.kgCy.getElementById(iri).data()", LAVROV)
        assert node["label"] == "Sergey Lavrov"
        assert node["group"] == "person"
        colours = page.evaluate("() => new Set(window.kgCy.nodes().map(n => n.data('color'))).size")
        assert colours >= 2
        legend = page.inner_text("#legend")
        assert "person" in legend.lower()
        shot(page, "construct-drawn")


def test_whole_graph_names_its_main_actors_and_groups(server):
    with opened(server) as page:
        page.click("button.tab[data-tab='graph']")
        page.wait_for_function("() => window.kgCy && window.kgCy.nodes('.leader').length > 0")
        leaders = page.evaluate("""() => {
            const entities = window.kgCy.nodes("[kind = 'entity']").sort((a, b) => b.degree() - a.degree());
            return {top: entities[0].id(), leaders: window.kgCy.nodes('.leader').map(n => n.id()),
                    sizes: window.kgCy.nodes('.leader').map(n => parseFloat(n.renderedStyle('font-size')))};
        }""")
        assert len(leaders["leaders"]) >= 5 and leaders["top"] in leaders["leaders"]
        assert min(leaders["sizes"]) >= 10  # readable without zooming
        shot(page, "graph-leaders")

        page.select_option("#graph-group", "document")
        page.wait_for_function("() => window.kgCy.nodes(':parent').length > 0")
        groups = page.evaluate("""() => ({parents: window.kgCy.nodes(':parent').map(n => n.data('label')),
            orphans: window.kgCy.nodes("[kind = 'event']").filter(n => !n.isChild()).length})""")
        assert len(groups["parents"]) == 5 and all(p.endswith(".txt") for p in groups["parents"])
        assert groups["orphans"] == 0
        shot(page, "graph-by-document")

        page.select_option("#graph-group", "actor")
        page.wait_for_function("() => window.kgCy.nodes(':parent').length > 0 && "
                               "window.kgCy.nodes(':parent')[0].id().indexOf('.txt') < 0")
        parents = page.evaluate("() => window.kgCy.nodes(':parent').map(n => n.data('label'))")
        assert "Sergey Lavrov" in parents and len(parents) >= 3
        assert page.evaluate("(iri) => window.kgCy.getElementById(iri).parent().id()", LAVROV) == "group:" + LAVROV
        shot(page, "graph-by-actor")


def test_timeline_of_dated_events_filtered_by_actor(server):
    with opened(server) as page:
        page.click("button.tab[data-tab='timeline']")
        page.wait_for_selector("#timeline .timeline-item")
        everything = page.locator("#timeline .timeline-item").count()
        years = page.eval_on_selector_all("#timeline .timeline-year", "h => h.map(x => x.textContent)")
        assert everything >= 5 and "2015" in years
        shot(page, "timeline")

        page.click("button.tab[data-tab='graph']")
        click_node(page, LAVROV)
        page.wait_for_selector("#details .entity-actions")
        page.click("#details .entity-actions button:text('Timeline')")
        page.wait_for_function("(n) => document.querySelectorAll('#timeline .timeline-item').length > 0 && "
                               "document.querySelectorAll('#timeline .timeline-item').length < n", arg=everything)
        assert page.input_value("#timeline-actor") == "ent:sergey-lavrov"
        items = page.eval_on_selector_all("#timeline .timeline-item", "items => items.map(i => i.innerText)")
        assert items and all("Lavrov" in item for item in items)
        shot(page, "timeline-lavrov")

        page.fill("#timeline-actor", "")
        page.fill("#timeline-from", "2015")
        page.fill("#timeline-to", "2015")
        page.click("#timeline-form button[type='submit']")
        page.wait_for_function("() => document.querySelector('#timeline-note').textContent.indexOf('dated') >= 0")
        if {"from", "to"} <= declared_params("timeline"):
            page.wait_for_function("(n) => document.querySelectorAll('#timeline .timeline-item').length < n",
                                   arg=everything)
            dates = page.eval_on_selector_all("#timeline .timeline-date", "d => d.map(x => x.textContent)")
            assert dates and all(date.startswith("2015") for date in dates)
        else:  # a period the saved query cannot take is said, not sent
            assert "takes no from" in page.inner_text("#timeline-note")
        shot(page, "timeline-2015")


def test_entity_page_says_everything_about_one_entity(server):
    with opened(server, path="entity/sergey-lavrov") as page:
        page.wait_for_selector("#entity-about .timeline-item, #entity-about .error-box, #entity-about .empty")
        assert page.inner_text("#entity-head h2") == "Sergey Lavrov"
        items = page.locator("#entity-about .timeline-item")
        assert items.count() >= 5
        assert page.locator("#entity-about .timeline-source").count() >= 5
        assert "000_b46fa97775ddf137.txt" in page.inner_text("#entity-about")
        assert page.locator("#entity-about h3.section").count() >= 1
        shot(page, "entity-page")
    with opened(server) as page:
        page.click("button.tab[data-tab='graph']")
        click_node(page, LAVROV)
        page.wait_for_selector("#details a.entity-page")
        assert page.get_attribute("#details a.entity-page", "href") == "entity/sergey-lavrov"


def test_pair_picked_in_the_graph_shows_its_relation_as_a_timeline(server):
    with opened(server) as page:
        page.click("button.tab[data-tab='graph']")
        click_node(page, NATO)
        page.wait_for_selector("#details .pair-start")
        page.click("#details .pair-start")
        page.wait_for_selector("#pair-banner:not([hidden])")
        click_node(page, RUSSIA)
        page.wait_for_selector("#timeline .pair-title")
        page.wait_for_selector("#timeline .timeline-item")
        assert page.inner_text("#timeline .pair-title") == "NATO \u2013 Russia"
        assert page.locator("#timeline .timeline-date").count() >= 2
        assert page.locator("#timeline .timeline-state").count() >= 1
        assert page.locator("#timeline .timeline-source").count() >= 1
        assert page.is_hidden("#pair-banner")
        shot(page, "pair-timeline")

        sent: list[str] = []
        page.on("request", lambda request: sent.append(request.post_data or "") if "/sparql" in request.url else None)
        page.fill("#timeline .pair-on", "2015-06-01")
        page.click("#timeline .pair-head button")
        page.wait_for_function("() => document.querySelector('#timeline .pair-on') && "
                               "document.querySelector('#timeline .pair-on').value === '2015-06-01' && "
                               "document.querySelector('#timeline-note').textContent.indexOf('step') >= 0")
        if "on" in declared_params("relation"):
            assert "%24on=2015-06-01" in sent[-1]
        else:  # a date the saved query cannot take is said, not sent
            assert "takes no on" in page.inner_text("#timeline-note") and "%24on" not in sent[-1]
        assert page.inner_text("#timeline .pair-title") == "NATO \u2013 Russia"


def test_results_come_a_page_at_a_time(server):
    with opened(server) as page:
        sent: list[str] = []
        page.on("request", lambda request: sent.append(request.post_data or "") if "/sparql" in request.url else None)
        set_query(page, "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?s ?p ?o LIMIT 250")
        run_query(page)
        assert "offset=0" in sent[-1] and "limit=100" in sent[-1]
        assert page.locator("table.results tbody tr").count() == 100
        assert page.is_visible("#pager") and page.is_disabled("#page-previous")
        first = page.inner_text("table.results tbody tr >> nth=0")
        page.click("#page-next")
        page.wait_for_function("() => document.querySelector('#page-note').textContent.startsWith('rows 101')")
        assert page.inner_text("table.results tbody tr td.rownum >> nth=0") == "101"
        page.click("#page-next")
        page.wait_for_function("() => document.querySelector('#page-note').textContent.startsWith('rows 201')")
        assert page.locator("table.results tbody tr").count() == 50
        assert page.is_disabled("#page-next")
        shot(page, "results-paged")
        page.click("#page-previous")
        page.click("#page-previous")
        page.wait_for_function("() => document.querySelector('#page-note').textContent.startsWith('rows 1\u2013')")
        assert page.inner_text("table.results tbody tr >> nth=0") == first
        assert "offset=0" in sent[-1]

        digits = "VALUES ?%s { 0 1 2 3 4 5 6 7 8 9 }"
        set_query(page, "SELECT ?a ?b ?c ?d ?e WHERE { " + " ".join(digits % v for v in "abcde") + " }")
        started = time.monotonic()
        run_query(page)  # 100,000 rows: the page gets the first hundred
        assert page.locator("table.results tbody tr").count() == 100
        assert "of more" in page.inner_text("#status")
        page.click("#page-next")
        page.wait_for_function("() => document.querySelector('#page-note').textContent.startsWith('rows 101')")
        assert time.monotonic() - started < 10


def test_kg_viz_picture_names_leaders_and_groups(seeds_store, tmp_path):
    from kg.web.pictures import render_html
    picture = tmp_path / "graph.html"
    picture.write_bytes(render_html(str(seeds_store)))
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("request", lambda request: problems.append(request.url)
                if not request.url.startswith(("file:", "data:")) else None)
        page.goto(picture.as_uri())
        page.wait_for_function("() => window.kgCy && window.kgCy.nodes('.leader').length >= 5")
        shot(page, "viz-leaders")
        page.select_option("#graph-group", "document")
        page.wait_for_function("() => window.kgCy.nodes(':parent').length === 5")
        shot(page, "viz-by-document")
        assert problems == []

"""The page in a real browser: Debian's chromium, headless, driven by Playwright, against
`kg.web.app.serve` running in its own process over the seed store.

Chromium is a system package (`apt-get install chromium`); Playwright's own browser
download is never used. Without chromium this test fails and says how to install it.
"""
from __future__ import annotations

import os
import re
import shutil
from contextlib import contextmanager

import pytest

from conftest import ROOT, running_server

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOT = ROOT / "test-artifacts" / "browser.png"
LAVROV = "https://w3id.org/kg-news/entity/sergey-lavrov"
MEETING_IN_VOLGOGRAD = "https://w3id.org/kg-news/event/000_b46fa97775ddf137-dc1d1ef59e9c"


@pytest.fixture(scope="module")
def server(seeds_store, tmp_path_factory):
    with running_server(seeds_store, tmp_path_factory.mktemp("browser") / "server.log", timeout=20.0) as url:
        yield url


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

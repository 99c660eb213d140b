"""The page's vocabulary in a real browser: a `kg viz` file carries the ontology's colours."""
from __future__ import annotations

import pytest

from kg import vocab
from kg.web.pictures import render_html

pytestmark = pytest.mark.slow


def test_a_viz_file_draws_links_in_the_ontology_colours_offline(seeds_store, tmp_path):
    """The file carries the vocabulary with it: opened from disk, links take their role's colour."""
    from test_browser import chromium  # the one way the suite starts Chromium
    picture = tmp_path / "picture.html"
    picture.write_bytes(render_html(str(seeds_store)))
    with chromium() as browser:
        page = browser.new_page()
        outside: list[str] = []
        page.on("request", lambda request: outside.append(request.url)
                if not request.url.startswith(("file:", "data:")) else None)
        page.goto(picture.as_uri())
        page.wait_for_function("() => window.kgCy && window.kgCy.edges().length > 0")
        colours = page.evaluate("""() => Object.fromEntries(["agent", "participant", "place"].map(
            (role) => [role, window.kgCy.edges('[label = "' + role + '"]')[0].style("line-color")]))""")
        legend = page.inner_text("#legend")
        page.close()
    rgb = lambda colour: "rgb({},{},{})".format(*(int(colour[i:i + 2], 16) for i in (1, 3, 5)))
    assert colours == {r.name: rgb(r.colour) for r in vocab.roles() if r.name in colours}
    assert all(role.label in legend for role in vocab.roles())
    assert outside == []

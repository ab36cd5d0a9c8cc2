"""Nothing a page loads comes from anywhere but the app itself (127.0.0.1).

Every test of this folder is guarded the same way (conftest.py); this one walks
through the main pages on purpose, with each page's scripts given time to run.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.support.browser import MAP_VIEWPORT, expect


def test_the_main_pages_load_only_from_127_0_0_1(new_page, guard):
    page = new_page(viewport=MAP_VIEWPORT)
    page.goto("/")
    page.goto("/concept/lead")
    expect(page.locator(".mini-map canvas")).to_be_visible()
    page.goto("/map")
    # data-nodes is set once the map's data has arrived and is handed to vis-network:
    # every request of the map is made by then (its layout need not settle here)
    expect(page.locator("#concept-map[data-nodes]")).to_have_count(1)
    page.goto("/sparql")
    expect(page.locator("#yasgui .CodeMirror")).to_be_visible()
    page.goto("/index")
    page.goto("/tree")
    page.goto("/-/about")
    page.goto("/collection/funnel-stages")
    page.goto("/quiz")
    page.wait_for_load_state("networkidle")

    hosts = {urlsplit(url).hostname for url in guard.requests if url.startswith("http")}
    assert hosts == {"127.0.0.1"}, hosts
    assert guard.foreign_requests == []
    paths = {urlsplit(url).path for url in guard.requests}
    # the pages, their scripts and their data were all seen (and so checked)
    for path in ("/", "/concept/lead", "/map", "/map/data.json", "/sparql", "/index", "/tree",
                 "/-/about", "/static/app.js", "/static/map.js",
                 "/static/vendor/vis-network/vis-network.min.js",
                 "/static/vendor/yasgui/yasgui.min.js"):
        assert path in paths, f"{path} was not requested"

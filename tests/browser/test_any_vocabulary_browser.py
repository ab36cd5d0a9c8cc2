"""Another vocabulary in a real browser: a long level of the tree, the map, a concept page.

The app serves a generated vocabulary (``scripts/generate_vocabulary.py``): a few
top concepts with 250 narrower concepts each, in German, outside our namespace.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from graph.config import PROJECT_ROOT
from tests.support.browser import MAP_VIEWPORT, expect, open_map
from tests.support.servers import LiveServer


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """This module's pages come from the generated vocabulary, not from ours."""
    from webapp import create_app

    path = tmp_path_factory.mktemp("vocabulary") / "wide.nt"
    subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / "generate_vocabulary.py"),
                    str(path), "--tops", "4", "--children", "250", "--depth", "5"],
                   check=True, capture_output=True)
    application = create_app({"TESTING": True, "SPARQL_WORKERS": 1, "DATA_FILES": [str(path)]})
    server = LiveServer(application)
    yield server
    server.stop()
    application.extensions["crmkg"].engine.close()


def test_a_long_level_loads_its_first_page_and_links_to_the_rest(page):
    page.goto("/tree")
    # a closed branch of the ARIA tree (static/tree.js): its children come when it opens
    first = page.locator("li[data-children='250']:has(> a[aria-expanded='false'])").first
    item = page.locator(f'li[data-uri="{first.get_attribute("data-uri")}"]')
    expect(item.locator(":scope > a[role=treeitem] .count")).to_contain_text("250")
    with page.expect_response(lambda r: "/tree.json" in r.url) as answer:
        item.locator(":scope > .twisty").click()
    assert answer.value.ok
    expect(item.locator(":scope > a[role=treeitem]")).to_have_attribute("aria-expanded", "true")
    expect(item.locator("ul.tree > li:not(.tree-more)")).to_have_count(200)
    more = item.locator("ul.tree > li.tree-more > a")
    expect(more).to_have_text("… et 50 autres")
    more.click()
    page.wait_for_url(lambda url: "/tree?node=" in url and "page=2" in url)
    expect(page.locator(".tree-root ul.tree > li")).to_have_count(50)
    first = page.locator(".tree-root ul.tree > li > a").first
    assert first.get_attribute("href").startswith("/entity?uri=")


def test_the_map_opens_on_a_neighbourhood_and_settles(new_page):
    page = open_map(new_page(viewport=MAP_VIEWPORT))
    summary = page.locator("#map-summary")
    expect(summary).to_contain_text("Voisinage de")
    expect(summary).to_contain_text("sur 1009")


def test_a_concept_page_of_another_vocabulary(page):
    page.goto("/search?q=tiefe 05&go=1")
    expect(page.locator("h1")).to_have_text("Tiefe 05")
    assert "/entity?uri=" in page.url
    broader = page.locator(".relations .relation-broader + dd a")
    expect(broader).to_have_text("Tiefe 04")
    broader.click()
    expect(page.locator("h1")).to_have_text("Tiefe 04")

"""The injection corpus in a real browser: every kind of page, the map's tooltips.

The app serves the hostile copy of our vocabulary (tests/fixtures/hostile.py).
Chromium loads each kind of page; a ``dialog`` handler records any ``alert()``,
and the corpus holds a payload that would set ``window.__xss`` if it ran. No
dialog may open, ``window.__xss`` must stay unset, the guard of conftest.py sees
no console error (a blocked inline script would report a CSP violation there),
and each payload must be on the page as text. On the map, hovering a hostile node
shows its label and definition as text in the tooltip.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

import pytest

from tests.browser.test_map import PICK_NODE
from tests.fixtures.hostile import ALL, COLLECTION_LABEL, LABELS, LONG, english, make_hostile_data
from tests.support.browser import MAP_VIEWPORT, expect, open_map
from tests.support.servers import LiveServer


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """This module's pages come from the hostile vocabulary (overrides the session one)."""
    from webapp import create_app

    data, ontology = make_hostile_data(tmp_path_factory.mktemp("hostile-browser"))
    application = create_app({"TESTING": True, "DATA_DIR": str(data),
                              "ONTOLOGY_DIR": str(ontology), "SPARQL_WORKERS": 1})
    application.extensions["crmkg"].engine.start()
    server = LiveServer(application)
    yield server
    server.stop()
    application.extensions["crmkg"].engine.close()


class Watched:
    """A page with a dialog handler: every alert/confirm/prompt is recorded and dismissed."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.dialogs: list[str] = []
        page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def visit(self, path: str) -> str:
        response = self.page.goto(path)
        assert response is not None and response.status == 200, (path, response and
                                                                 response.status)
        self.page.wait_for_load_state("load")
        self.assert_nothing_ran(path)
        return self.page.inner_text("body")

    def assert_nothing_ran(self, where: str) -> None:
        assert self.dialogs == [], f"{where}: a dialog opened: {self.dialogs}"
        assert self.page.evaluate("typeof window.__xss") == "undefined", \
            f"{where}: a payload ran (window.__xss)"
        assert self.page.locator("img[src='x'], body script:not([src])"
                                 ":not([type='application/ld+json'])").count() == 0, where


def shown(label: str) -> str:
    """What innerText gives back of a label: whitespace collapsed as CSS does."""
    return " ".join(label.split())


PAGES = ["/", "/?lang=en", "/index", "/tree", "/search?q=alert", "/search?q=script&lang=en",
         "/collection/funnel-stages", "/collection/sales-cycle-steps?lang=en",
         "/collection/nps-scale", "/quiz?seed=1&mode=definition", "/quiz?seed=2&mode=term",
         "/-/about", "/sparql",
         "/sparql?format=html&query=" + urllib.parse.quote(
             "SELECT ?l WHERE { ?c <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }"),
         "/entity?uri=" + urllib.parse.quote("https://w3id.org/crmkg/id/mql")]


def test_every_kind_of_page_shows_the_payloads_as_text(new_page):
    watched = Watched(new_page())
    for path in PAGES:
        watched.visit(path)
    home = watched.visit("/")
    assert shown(COLLECTION_LABEL) in home
    for concept_id, label in LABELS.items():
        text = watched.visit(f"/concept/{concept_id}")
        if label != LONG:
            assert shown(label) in text, (concept_id, label)
            assert shown(ALL) in text
        else:
            assert shown(label)[:200] in text
        # the neighbourhood mini-map draws without running anything
        watched.page.wait_for_selector('.mini-map[data-ready="true"]', timeout=20_000)
        watched.assert_nothing_ran(f"/concept/{concept_id} (mini-map)")
    text = watched.visit("/concept/mql?lang=en")
    assert shown(english(LABELS["mql"])) in text
    for letter in ("<", '"', "'", "J", "{", "]", "&", "=", "+", "@", "L", "A"):
        watched.visit("/index?letter=" + urllib.parse.quote(letter))


def test_the_quiz_answer_page(new_page):
    watched = Watched(new_page())
    for seed in range(3):
        watched.visit(f"/quiz?seed={seed}&mode=term")
        watched.page.locator("input[name='choice']").first.check()
        watched.page.locator("form[method='post'] button[type='submit'], "
                             "form[method='post'] input[type='submit']").first.click()
        watched.page.wait_for_load_state("load")
        watched.assert_nothing_ran(f"quiz answer {seed}")


def test_map_tooltips_show_hostile_labels_as_text(new_page):
    page = open_map(new_page(viewport=MAP_VIEWPORT), "/map?focus=mql&depth=1")
    watched = Watched(page)
    nodes = page.request.get("/map.json?focus=mql&depth=1").json()["nodes"]
    hostile = [n for n in nodes if n["label"] in LABELS.values()]
    assert hostile, "no hostile concept on the map"
    found = page.evaluate(PICK_NODE, [n["id"] for n in hostile])
    assert found, "no hostile node can be hovered on its own"
    node = next(n for n in hostile if n["id"] == found["id"])
    box = page.locator("#concept-map canvas").bounding_box()
    page.mouse.move(box["x"] + found["x"], box["y"] + found["y"])
    tooltip = page.locator(".vis-tooltip")
    expect(tooltip).to_be_visible()
    text = tooltip.inner_text()
    assert shown(node["label"]) in " ".join(text.split())
    assert shown(ALL)[:300] in " ".join(text.split())
    assert tooltip.locator("script, img, iframe, svg, a").count() == 0
    watched.assert_nothing_ran("map tooltip")
    # the list under the map (for keyboard users) holds the labels as text too
    listed = page.locator("#map-list, .map-list").first.inner_text()
    assert shown(node["label"]) in " ".join(listed.split())


def test_search_suggestions_show_hostile_labels_as_text(new_page):
    """The search box's suggestions (app.js) hold the labels as text."""
    watched = Watched(new_page())
    watched.visit("/")
    search = watched.page.locator("#site-search")
    for typed, label in (("alert", None), ("onerror", None), ("calc", None),
                         ("dcba", LABELS["negociation"]), ("cmd", LABELS["close"])):
        search.fill("")
        search.press_sequentially(typed, delay=20)
        options = watched.page.locator("#site-search-list .autocomplete-option[role=option]")
        expect(options.first).to_be_visible()
        texts = " ".join(" ".join(options.all_inner_texts()).split())
        assert options.locator("script, img, svg, iframe").count() == 0
        if label is not None:
            assert shown(label) in texts, texts
        watched.assert_nothing_ran(f"suggestions for {typed}")
    search.fill("")
    search.press_sequentially("<script>", delay=20)
    search.press("Enter")
    watched.page.wait_for_load_state("load")
    watched.assert_nothing_ran("search for <script>")


@pytest.fixture(scope="module")
def other_server(tmp_path_factory):
    """Another vocabulary (Turtle): odd IRIs, javascript: IRIs as seeAlso/page/exactMatch."""
    from tests.fixtures.hostile import write_hostile_turtle
    from webapp import create_app

    path = write_hostile_turtle(tmp_path_factory.mktemp("hostile-ttl-browser") / "h.ttl")
    application = create_app({"TESTING": True, "DATA_FILES": [str(path)],
                              "SPARQL_WORKERS": 1})
    server = LiveServer(application)
    yield server
    server.stop()
    application.extensions["crmkg"].engine.close()


def test_another_hostile_vocabulary_in_the_browser(new_page, other_server):
    from tests.fixtures.hostile import BASE, LINK_IRIS, PAYLOADS

    watched = Watched(new_page())
    for path in ("/", "/tree", "/index", "/search?q=alert", "/map"):
        watched.visit(other_server.url + path)
    for name in ("template", "marker", "rtl-zero-width"):
        uri = BASE + f"c-{name}"
        text = watched.visit(other_server.url + "/entity?uri=" + urllib.parse.quote(uri, safe=""))
        assert shown(PAYLOADS[name]) in " ".join(text.split())
        for iri in LINK_IRIS:
            assert iri in text
        hrefs = watched.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        assert not [h for h in hrefs if h.lower().startswith(("javascript:", "vbscript:",
                                                              "data:text"))], hrefs
    for uri in (BASE + "c-amp&x=1", BASE + "c-quote'x", BASE + "c-paren(1)"):
        watched.visit(other_server.url + "/entity?uri=" + urllib.parse.quote(uri, safe=""))
        # every link of the page leads somewhere that answers (odd characters survive)
        hrefs = watched.page.eval_on_selector_all(
            "main a[href]", "links => links.map(a => a.href)")
        for href in hrefs:
            if href.startswith(other_server.url) and "format=" not in href:
                response = watched.page.request.get(href)
                assert response.status == 200, href


def test_map_path_and_filters_redraw_hostile_labels_as_text(new_page):
    """The path form and the filters refresh the summary, path and list regions from the
    server's HTML (map.js): the hostile labels stay text there too."""
    page = open_map(new_page(viewport=MAP_VIEWPORT), "/map")
    watched = Watched(page)
    page.fill("#map-from", "suspect")
    page.fill("#map-to", "client")
    page.locator("#map-form").evaluate("form => form.requestSubmit()")
    page.wait_for_url("**/map?*from=suspect*")
    page.wait_for_selector('#concept-map[data-ready="true"]', timeout=20_000)
    result = page.locator("#map-path-result")
    expect(result).to_contain_text(shown(LABELS["suspect"]))
    expect(result).to_contain_text(shown(LABELS["client"]))
    assert result.locator("script, img, svg, iframe").count() == 0
    watched.assert_nothing_ran("map path")
    page.locator("#map-form input[type=checkbox]").first.uncheck()
    page.wait_for_selector('#concept-map[data-ready="true"]', timeout=20_000)
    watched.assert_nothing_ran("map filter")

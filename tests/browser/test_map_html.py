"""The map-html export opened from a file, with the network cut: it draws the whole map,
asks for nothing outside itself, switches language, and a click shows a definition."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from graph.export import exporter_for
from graph.files import write_atomically
from tests.support.browser import expect

SIZES = [{"width": 1366, "height": 900}, {"width": 390, "height": 844}]


@pytest.fixture(scope="module")
def map_file(tmp_path_factory, graph, vocabulary) -> Path:
    path = tmp_path_factory.mktemp("export") / "map.html"
    write_atomically(path, exporter_for("map-html").render(graph, vocabulary))
    return path


def embedded(path: Path, lang: str) -> dict[str, Any]:
    """The data the file carries for ``lang``, read from the file itself."""
    text = path.read_text(encoding="utf-8")
    found = re.search(rf'<script type="application/json" id="map-data-{lang}">(.*?)</script>',
                      text, re.S)
    assert found, f"no data for {lang}"
    return json.loads(found.group(1))


def open_file(browser, path: Path, viewport: dict[str, int]) -> tuple[Any, list[str], list]:
    """The file in a fresh context where every request but the file itself is refused."""
    context = browser.new_context(viewport=viewport, is_mobile=viewport["width"] < 500,
                                  has_touch=viewport["width"] < 500, service_workers="block")
    asked: list[str] = []
    problems: list[str] = []

    def route(request_route):
        asked.append(request_route.request.url)
        if request_route.request.url == path.as_uri():
            request_route.continue_()
        else:
            request_route.abort("blockedbyclient")

    context.route("**/*", route)
    context.on("request", lambda request: asked.append(request.url))
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_selector('#concept-map[data-ready="true"]', timeout=20_000)
    return page, asked, problems


@pytest.mark.parametrize("viewport", SIZES, ids=lambda v: f"{v['width']}x{v['height']}")
def test_the_file_draws_the_whole_map_offline(browser, map_file, vocabulary, viewport):
    page, asked, problems = open_file(browser, map_file, viewport)
    data = embedded(map_file, "fr")
    try:
        count = page.evaluate("Object.keys(window.crmkgNetwork.getPositions()).length")
        assert count == len(data["nodes"]) == len(vocabulary.concepts)
        seen = page.evaluate("window.crmkgMaps[0].labels.drawn()")
        assert len(seen) >= 8
        labels = {node["id"]: node["label"] for node in data["nodes"]}
        assert all(" ".join(label["lines"]) == labels[label["id"]] for label in seen)
        assert page.locator("#concept-map canvas").is_visible()
        assert {url for url in asked} == {map_file.as_uri()}, asked
        assert problems == []
    finally:
        page.context.close()


def test_the_file_switches_language_and_a_click_shows_the_definition(browser, map_file):
    page, asked, problems = open_file(browser, map_file, SIZES[0])
    english = embedded(map_file, "en")
    try:
        page.locator('[data-map-language="en"]').click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.wait_for_selector('#concept-map[data-ready="true"]')
        expect(page.locator(".export-legend [lang=en]")).to_be_visible()
        expect(page.locator(".export-legend [lang=fr]")).to_be_hidden()
        for relation in english["relations"]:
            expect(page.locator(".export-legend [lang=en]")).to_contain_text(
                relation["explanation"])
        labels = {node["id"]: node["label"] for node in english["nodes"]}
        seen = page.evaluate("window.crmkgMaps[0].labels.drawn()")
        assert seen and all(" ".join(s["lines"]) == labels[s["id"]] for s in seen)

        # a click (no page to open in a file) shows the concept's card
        target = seen[0]
        box = page.locator("#concept-map canvas").bounding_box()
        at = page.evaluate("(id) => window.crmkgNetwork.canvasToDOM("
                           "window.crmkgNetwork.getPosition(id))", target["id"])
        page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
        card = page.locator(".map-card")
        expect(card).to_be_visible()
        node = next(n for n in english["nodes"] if n["id"] == target["id"])
        expect(card).to_contain_text(node["title"])
        assert page.url == map_file.as_uri()
        assert {url for url in asked} == {map_file.as_uri()}, asked
        assert problems == []
    finally:
        page.context.close()

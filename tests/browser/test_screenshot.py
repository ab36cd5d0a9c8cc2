"""A screenshot of the concept map: README's picture, and a check that the map is drawn.

``CRMKG_SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser -k screenshot``
writes it to docs/concept-map.png; otherwise it goes to a temporary folder.
"""

from __future__ import annotations

from graph.config import PROJECT_ROOT
from tests.support.browser import MAP_VIEWPORT, distinct_colours, open_map

README_PICTURE = PROJECT_ROOT / "docs" / "concept-map.png"


def test_screenshot_of_the_map(new_page, tmp_path, screenshots_wanted):
    target = README_PICTURE if screenshots_wanted else tmp_path / "concept-map.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page = open_map(new_page(viewport=MAP_VIEWPORT))
    page.mouse.move(0, 0)  # no hover highlight or tooltip in the picture
    page.screenshot(path=str(target))

    blank = new_page(viewport=MAP_VIEWPORT)
    blank.set_content("<html><body></body></html>")
    empty = blank.screenshot()
    data = target.read_bytes()
    assert len(data) > 10 * len(empty), "the screenshot is about as small as an empty page"
    # counted in the map's own frame (a subset of the page), since the page around
    # it (swatches, text) has colours of its own; a blank frame is background and border
    frame = page.locator("#concept-map").bounding_box()
    colours = distinct_colours(data, frame)
    assert colours > 50, f"only {colours} colours in the map's frame: the map is not drawn"

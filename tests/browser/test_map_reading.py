"""The concept map is read without zooming: labels never overlap, words are never cut,
the important concepts are named first, and zooming in names the others; on a phone the
page scrolls past the map, a first tap shows a definition and a second opens the concept.

The labels counted are those map-labels.js actually drew on the canvas (their boxes in
screen pixels, measured with the font they were drawn in).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.browser import expect, open_map

DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
SIZES = {"1366x900": DESKTOP, "390x844": PHONE}
VIEWS = ["/map", "/map?focus=mql&depth=2", "/map?from=lead%20qualifie&to=crm"]

#: the labels drawn, the pairs of them that overlap, the nodes on screen
DRAWN = """
() => {
  const view = window.crmkgMaps[0];
  const drawn = view.labels.drawn();
  const canvas = view.container.querySelector("canvas");
  const width = canvas.clientWidth, height = canvas.clientHeight;
  const overlap = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width
    && a.y < b.y + b.height && b.y < a.y + a.height;
  const pairs = [];
  for (let i = 0; i < drawn.length; i++) {
    for (let j = i + 1; j < drawn.length; j++) {
      if (overlap(drawn[i].box, drawn[j].box)) { pairs.push([drawn[i].id, drawn[j].id]); }
    }
  }
  const positions = view.network.getPositions();
  const visible = Object.keys(positions).filter((id) => {
    const at = view.network.canvasToDOM(positions[id]);
    return at.x >= 0 && at.y >= 0 && at.x <= width && at.y <= height;
  });
  return { labels: drawn.map((d) => ({ id: d.id, lines: d.lines, box: d.box })),
           pairs: pairs, visible: visible, width: width, height: height };
}
"""


def drawn(page) -> dict[str, Any]:
    return page.evaluate(DRAWN)


def payload(page, path: str) -> dict[str, Any]:
    query = path.partition("?")[2]
    shape = page.evaluate("window.crmkgMaps[0].shape()")
    url = "/map.json?" + query + ("&shape=tall" if shape == "tall" and "focus" not in query
                                  and "from" not in query else "")
    response = page.request.get(url)
    assert response.ok
    return response.json()


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("path", VIEWS)
def test_no_two_labels_overlap_and_no_word_is_cut(new_page, path, size):
    page = open_map(new_page(**SIZES[size]), path)
    data = payload(page, path)
    labels = {node["id"]: node["label"] for node in data["nodes"]}
    seen = drawn(page)
    assert seen["pairs"] == [], f"{len(seen['pairs'])} overlapping pairs: {seen['pairs'][:5]}"
    # read without zooming: a good share of the concepts on screen are named
    assert len(seen["labels"]) >= min(8, len(seen["visible"])), seen["labels"]
    for label in seen["labels"]:
        # cut between words only: the lines put back together are the label
        assert " ".join(label["lines"]) == labels[label["id"]], label
        assert len(label["lines"]) <= 2
        assert label["box"]["height"] >= 11 * len(label["lines"])  # legible, ≥ 11 px a line
    named = {label["id"] for label in seen["labels"]}
    # the focus, the path, or else the most linked concept on screen, is named first
    if data["focus"]:
        assert data["focus"] in named
    for step in data["path"]:
        if step["uri"] in seen["visible"]:
            assert step["uri"] in named, step
    boxes = {label["id"]: label["box"] for label in seen["labels"]}
    for first in [data["focus"], *(step["uri"] for step in data["path"])]:
        if first in boxes:  # whole, inside the frame
            box = boxes[first]
            assert box["x"] >= 0 and box["x"] + box["width"] <= seen["width"], first
            assert box["y"] >= 0 and box["y"] + box["height"] <= seen["height"], first
    on_screen = [n for n in data["nodes"] if n["id"] in seen["visible"]]
    most_linked = min(on_screen, key=lambda n: n["rank"])
    assert most_linked["id"] in named, most_linked["label"]


@pytest.mark.parametrize("size", sorted(SIZES))
def test_zooming_in_names_the_hidden_concepts_and_still_no_label_overlaps(new_page, size):
    page = open_map(new_page(**SIZES[size]), "/map")
    before = drawn(page)
    hidden = set(before["visible"]) - {label["id"] for label in before["labels"]}
    assert hidden, "every concept is named at once: nothing to check"
    zoom_in = page.locator('[data-zoom="1.5"]')
    for _ in range(3):
        zoom_in.click()
    after = drawn(page)
    assert after["pairs"] == []
    named_now = {label["id"] for label in after["labels"]}
    assert named_now & hidden, "zooming in named none of the concepts hidden before"
    share = lambda seen: len(seen["labels"]) / max(1, len(seen["visible"]))  # noqa: E731
    assert share(after) > share(before)


def test_the_map_comes_before_the_forms_on_a_phone(new_page):
    page = open_map(new_page(**PHONE), "/map")
    map_box = page.locator("#concept-map").bounding_box()
    for form in (".map-focus", ".map-path", ".map-groups"):
        assert map_box["y"] < page.locator(form).bounding_box()["y"], form
    assert map_box["width"] >= 300
    # a phone held upright gets the map packed for a tall frame
    assert page.evaluate("window.crmkgMaps[0].shape()") == "tall"


def test_a_vertical_swipe_on_the_map_scrolls_the_page(new_page):
    page = open_map(new_page(**PHONE), "/map")
    box = page.locator("#concept-map").bounding_box()
    assert box["y"] + box["height"] > 844, "the map fits the screen: nothing to scroll past"
    canvas_style = page.evaluate(
        "getComputedStyle(document.querySelector('#concept-map canvas')).touchAction")
    assert canvas_style == "pan-y"
    before = page.evaluate("window.scrollY")
    # a finger put on the map and moved up 300 px, as Chromium receives a real touch
    session = page.context.new_cdp_session(page)
    x = box["x"] + box["width"] / 2
    y = box["y"] + min(box["height"], 844 - box["y"]) / 2 + 100
    session.send("Input.dispatchTouchEvent", {"type": "touchStart",
                                               "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 21):
        session.send("Input.dispatchTouchEvent", {"type": "touchMove",
                                                   "touchPoints": [{"x": x, "y": y - 15 * step}]})
    session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    scrolled = before
    for _ in range(50):  # the page may still be moving (a fling)
        scrolled = page.evaluate("window.scrollY")
        if scrolled > before + 100:
            break
        page.wait_for_timeout(100)
    assert scrolled > before + 100, (before, scrolled)
    # and the map did not move instead
    assert page.evaluate("window.crmkgMaps[0].labels.drawn().length") > 0


#: a node alone at its place, well inside the visible part of the map: its page position
PICK = """
(ids) => {
  const view = window.crmkgMaps[0], network = view.network;
  const canvas = view.container.querySelector("canvas");
  const box = canvas.getBoundingClientRect();
  for (const id of ids) {
    const at = network.canvasToDOM(network.getPosition(id));
    if (at.x < 30 || at.y < 60 || at.x > box.width - 30 || at.y > box.height - 30) { continue; }
    const x = box.left + at.x, y = box.top + at.y;
    if (y > window.innerHeight - 200) { continue; }
    if (network.getNodeAt(at) !== id || document.elementFromPoint(x, y) !== canvas) { continue; }
    return { id: id, x: x, y: y };
  }
  return null;
}
"""


def test_a_first_tap_shows_the_definition_and_a_second_opens_the_concept(new_page,
                                                                         live_server):
    page = open_map(new_page(**PHONE), "/map?focus=mql&depth=1")
    nodes = {n["id"]: n for n in payload(page, "/map?focus=mql&depth=1")["nodes"]}
    ordered = sorted((n for n in nodes.values() if n["title"]), key=lambda n: n["rank"])
    found = page.evaluate(PICK, [n["id"] for n in ordered])
    assert found, "no node to tap"
    node = nodes[found["id"]]
    address = page.url
    page.touchscreen.tap(found["x"], found["y"])
    card = page.locator(".map-card")
    expect(card).to_be_visible()
    expect(card).to_contain_text(node["label"])
    expect(card).to_contain_text(node["title"])
    assert page.url == address  # not opened yet
    expect(card.locator("a.map-card-open")).to_have_attribute("href", node["url"])
    page.wait_for_timeout(700)  # the time to read it (two quick taps are a double tap)
    page.touchscreen.tap(found["x"], found["y"])
    page.wait_for_url(live_server.url + node["url"])
    expect(page.locator("article.concept")).to_have_attribute("data-uri", node["id"])


def test_the_card_closes_and_its_button_opens_the_concept(new_page, live_server):
    page = open_map(new_page(**PHONE), "/map?focus=mql&depth=1")
    nodes = {n["id"]: n for n in payload(page, "/map?focus=mql&depth=1")["nodes"]}
    found = page.evaluate(PICK, sorted(nodes, key=lambda i: nodes[i]["rank"]))
    page.touchscreen.tap(found["x"], found["y"])
    card = page.locator(".map-card")
    card.locator(".map-card-close").tap()
    expect(card).to_be_hidden()
    page.touchscreen.tap(found["x"], found["y"])
    card.locator("a.map-card-open").tap()
    page.wait_for_url(live_server.url + nodes[found["id"]]["url"])


def test_the_path_form_takes_words_as_search_does_and_the_map_zooms_to_the_path(new_page):
    page = open_map(new_page(**DESKTOP), "/map")
    whole_scale = page.evaluate("window.crmkgNetwork.getScale()")
    page.fill("#map-from", "lead qualifie")  # no accent, as search takes it
    page.fill("#map-to", "CRM")
    page.click("#map-path-submit")
    page.wait_for_url("**/map?from=lead+qualifie&to=CRM")
    page.wait_for_selector('#concept-map[data-ready="true"][data-path]:not([data-path=""])')
    expected = page.request.get("/map.json?from=lead+qualifie&to=CRM").json()
    uris = [step["uri"] for step in expected["path"]]
    assert len(uris) >= 2
    assert page.locator("#concept-map").get_attribute("data-path") == " ".join(uris)
    expect(page.locator("#map-path-result ol li")).to_have_count(len(uris))
    seen = drawn(page)
    assert set(uris) <= set(seen["visible"]), "the path is not all in the frame"
    assert set(uris) <= {label["id"] for label in seen["labels"]}
    assert page.evaluate("window.crmkgNetwork.getScale()") > whole_scale  # zoomed in on it

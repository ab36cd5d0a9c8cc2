"""The concept map: it renders, a node's tooltip shows its definition, a click opens it.

The map (webapp/static/map.js) sets ``data-ready="true"`` on ``#concept-map`` once
the layout has settled, and exposes the vis-network instance as
``window.crmkgNetwork``.
"""

from __future__ import annotations

from typing import Any

from tests.support.browser import MAP_VIEWPORT, expect
from tests.support.browser import open_map as wait_for_map

#: In the page: the first of ``ids`` whose node is drawn well inside the canvas, is
#: the node vis-network finds at its own centre, and is not under anything else of
#: the page. Returns its id and its position in the canvas's CSS pixels.
PICK_NODE = """
(ids) => {
  const network = window.crmkgNetwork;
  const canvas = document.querySelector("#concept-map canvas");
  const box = canvas.getBoundingClientRect();
  const margin = 40;
  for (const id of ids) {
    const at = network.canvasToDOM(network.getPosition(id));
    if (at.x < margin || at.y < margin || at.x > box.width - margin
        || at.y > box.height - margin) { continue; }
    if (network.getNodeAt(at) !== id) { continue; }
    const x = box.left + at.x, y = box.top + at.y;
    if (x < 0 || y < 0 || x > window.innerWidth || y > window.innerHeight) { continue; }
    if (document.elementFromPoint(x, y) !== canvas) { continue; }
    return { id: id, x: at.x, y: at.y };
  }
  return null;
}
"""


def node_count(page) -> int:
    return page.evaluate("Object.keys(window.crmkgNetwork.getPositions()).length")


def map_json(page, query: str = "") -> dict[str, Any]:
    response = page.request.get(f"/map.json{query}")
    assert response.ok, response.status
    return response.json()


def open_map(new_page, path: str = "/map"):
    page = wait_for_map(new_page(viewport=MAP_VIEWPORT), path)
    assert page.evaluate("!!window.crmkgNetwork"), "window.crmkgNetwork is not set"
    return page


def pick_node(page, nodes: list[dict[str, Any]]) -> dict[str, Any]:
    # concepts near the centre first: the least likely to sit under a label or an edge
    middle = page.evaluate("""() => {
      const n = window.crmkgNetwork, c = document.querySelector('#concept-map canvas');
      return n.DOMtoCanvas({x: c.clientWidth / 2, y: c.clientHeight / 2});
    }""")
    positions = page.evaluate("window.crmkgNetwork.getPositions()")
    ordered = sorted(nodes, key=lambda n: (positions[n["id"]]["x"] - middle["x"]) ** 2
                     + (positions[n["id"]]["y"] - middle["y"]) ** 2)
    found = page.evaluate(PICK_NODE, [n["id"] for n in ordered])
    assert found, "no node of the map can be clicked on its own"
    return {**next(n for n in nodes if n["id"] == found["id"]), "x": found["x"], "y": found["y"]}


def test_the_map_draws_every_node_of_map_json(new_page):
    page = open_map(new_page)
    expected = map_json(page)
    assert len(expected["nodes"]) > 50
    assert node_count(page) == len(expected["nodes"])
    expect(page.locator("#concept-map")).to_have_attribute("data-nodes",
                                                           str(len(expected["nodes"])))
    expect(page.locator("#concept-map canvas")).to_be_visible()
    expect(page.locator("#map-progress")).to_be_hidden()
    expect(page.locator("#map-message")).to_be_hidden()


def test_hover_shows_the_definition_and_a_click_opens_the_concept(new_page, live_server):
    page = open_map(new_page)
    nodes = [n for n in map_json(page)["nodes"] if n.get("title") and n.get("url")]
    node = pick_node(page, nodes)
    canvas = page.locator("#concept-map canvas")
    box = canvas.bounding_box()

    page.mouse.move(box["x"] + node["x"], box["y"] + node["y"])
    tooltip = page.locator(".vis-tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text(node["label"])
    expect(tooltip).to_contain_text(node["title"])
    # as text: the definition is not parsed as markup
    assert tooltip.locator("script, img, iframe").count() == 0

    canvas.click(position={"x": node["x"], "y": node["y"]})
    page.wait_for_url(live_server.url + node["url"])
    expect(page.locator("article.concept")).to_have_attribute("data-uri", node["id"])
    expect(page.locator("h1")).to_contain_text(node["label"])


def test_a_focus_view_shows_fewer_nodes(new_page):
    page = open_map(new_page, "/map?focus=dsp&depth=1")
    focused = map_json(page, "?focus=dsp&depth=1")
    whole = map_json(page)
    count = node_count(page)
    assert count == len(focused["nodes"])
    assert 1 < count < len(whole["nodes"])
    positions = page.evaluate("window.crmkgNetwork.getPositions()")
    assert focused["focus"] in positions
    expect(page.locator("#map-summary")).to_contain_text(focused["focus_label"])
    expect(page.locator("#map-list li[data-id]")).to_have_count(count)


def test_the_list_under_the_map_works_from_the_keyboard(new_page, live_server):
    page = new_page(viewport=MAP_VIEWPORT)
    page.goto("/map")  # the list is there whether or not the map has settled
    nodes = map_json(page)["nodes"]
    entries = page.locator("#map-list li[data-id]")
    expect(entries).to_have_count(len(nodes))

    skip = page.locator("a.map-skip")
    expect(skip).to_have_attribute("href", "#map-list")
    skip.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#map-list'")
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => {
      const a = document.activeElement;
      return { inList: !!a.closest('#map-list'), tag: a.tagName, href: a.getAttribute('href') };
    }""")
    assert focused["inList"] and focused["tag"] == "A", focused
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + focused["href"])
    expect(page.locator("article.concept")).to_be_visible()


def test_the_list_under_the_map_works_without_the_canvas(new_page, live_server):
    page = new_page(java_script_enabled=False)
    page.goto("/map")
    expect(page.locator("#concept-map canvas")).to_have_count(0)
    expect(page.locator("#concept-map .map-fallback")).to_be_visible()
    links = page.locator("#map-list li[data-id] > a")
    assert links.count() > 50
    link = links.filter(has_text="lead qualifié marketing").first
    href = link.get_attribute("href")
    assert href == "/concept/mql"
    link.click()
    page.wait_for_url(live_server.url + href)
    expect(page.locator("h1")).to_contain_text("lead qualifié marketing")

    # the focus form works without JavaScript too: a plain GET
    page.goto("/map?focus=dsp&depth=1")
    assert 1 < page.locator("#map-list li[data-id]").count() < 50

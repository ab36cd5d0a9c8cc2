"""The neighbourhood mini-map of a concept page: legible labels (at least 11 px), none
over another, and a sensible view whatever the concept has around it: many neighbours,
one, or none at all.

The app serves a small vocabulary written here, with such concepts: a hub with many
narrower concepts, a pair linked to each other only, and a concept linked to nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.servers import LiveServer

BASE = "https://w3id.org/crmkg/id/"
HUB_CHILDREN = 14
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}


def turtle() -> str:
    lines = ["@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
             f"<{BASE}scheme> a skos:ConceptScheme ; skos:prefLabel \"Essai\"@fr .",
             f"<{BASE}hub> a skos:Concept ; skos:inScheme <{BASE}scheme> ; "
             "skos:prefLabel \"concept central de démonstration\"@fr ; "
             "skos:definition \"Le concept qui a beaucoup de voisins.\"@fr ."]
    for number in range(HUB_CHILDREN):
        lines.append(f"<{BASE}child-{number}> a skos:Concept ; skos:inScheme <{BASE}scheme> ; "
                     f"skos:prefLabel \"sous-concept numéro {number} de l'essai\"@fr ; "
                     f"skos:broader <{BASE}hub> .")
    lines += [f"<{BASE}alone> a skos:Concept ; skos:inScheme <{BASE}scheme> ; "
              "skos:prefLabel \"concept isolé\"@fr ; skos:definition \"Sans lien.\"@fr .",
              f"<{BASE}left> a skos:Concept ; skos:inScheme <{BASE}scheme> ; "
              f"skos:prefLabel \"moitié gauche\"@fr ; skos:related <{BASE}right> .",
              f"<{BASE}right> a skos:Concept ; skos:inScheme <{BASE}scheme> ; "
              "skos:prefLabel \"moitié droite\"@fr ."]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """This module's pages come from the small vocabulary above."""
    from webapp import create_app

    path = tmp_path_factory.mktemp("vocabulary") / "small.ttl"
    path.write_text(turtle(), encoding="utf-8")
    application = create_app({"TESTING": True, "SPARQL_WORKERS": 1, "DATA_FILES": [str(path)]})
    server = LiveServer(application)
    yield server
    server.stop()
    application.extensions["crmkg"].engine.close()


#: the mini-map as drawn: its size, its nodes on screen, its labels and their overlaps
MINI = """
() => {
  const view = window.crmkgMaps.find((v) => v.mini);
  const network = view.network;
  const width = view.container.clientWidth, height = view.container.clientHeight;
  const positions = network.getPositions();
  const nodes = Object.keys(positions).map((id) => {
    const at = network.canvasToDOM(positions[id]);
    return { id: id, x: at.x, y: at.y };
  });
  const labels = view.labels.drawn();
  const overlap = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width
    && a.y < b.y + b.height && b.y < a.y + a.height;
  let pairs = 0;
  labels.forEach((a, i) => labels.slice(i + 1).forEach((b) => { pairs += overlap(a.box, b.box); }));
  return { width: width, height: height, scale: network.getScale(), nodes: nodes,
           labels: labels.map((l) => ({ id: l.id, lines: l.lines, box: l.box })), pairs: pairs };
}
"""


def mini_map(page, concept: str) -> dict[str, Any]:
    page.goto(f"/concept/{concept}")
    page.wait_for_selector('.mini-map[data-ready="true"]', timeout=20_000)
    return page.evaluate(MINI)


def check_legible(drawn: dict[str, Any]) -> None:
    assert drawn["pairs"] == 0
    for label in drawn["labels"]:
        assert label["box"]["height"] >= 11 * len(label["lines"]), label
        box = label["box"]
        assert box["x"] >= 0 and box["y"] >= 0, label  # inside the frame, not cut off
        assert box["x"] + box["width"] <= drawn["width"] + 1, label
    for node in drawn["nodes"]:
        assert 0 <= node["x"] <= drawn["width"] and 0 <= node["y"] <= drawn["height"], node


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_many_neighbours_fill_the_mini_map_legibly(new_page, size):
    drawn = mini_map(new_page(**size), "hub")
    assert len(drawn["nodes"]) == HUB_CHILDREN + 1
    check_legible(drawn)
    assert BASE + "hub" in {label["id"] for label in drawn["labels"]}
    xs = [n["x"] for n in drawn["nodes"]]
    ys = [n["y"] for n in drawn["nodes"]]
    # spread over the frame, not a cluster of dots in a corner
    assert max(xs) - min(xs) >= 0.5 * drawn["width"] or max(ys) - min(ys) >= 0.5 * drawn["height"]
    middle = ((max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2)
    assert abs(middle[0] - drawn["width"] / 2) <= 0.15 * drawn["width"]


@pytest.mark.parametrize("concept, count", [("left", 2), ("alone", 1)])
def test_one_neighbour_or_none_is_centred_and_named(new_page, concept, count):
    drawn = mini_map(new_page(**DESKTOP), concept)
    assert len(drawn["nodes"]) == count
    check_legible(drawn)
    assert {label["id"] for label in drawn["labels"]} == {n["id"] for n in drawn["nodes"]}
    xs = [n["x"] for n in drawn["nodes"]]
    assert abs((max(xs) + min(xs)) / 2 - drawn["width"] / 2) <= 0.1 * drawn["width"]
    assert drawn["scale"] <= 1.0  # not blown up to fill the frame

"""Collection pages and their drawings: the funnel, the sales cycle, the NPS scale …"""

from __future__ import annotations

import html as html_module
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from graph.text import first_sentence
from graph.training import diagrams, kinds

SVG = "{http://www.w3.org/2000/svg}"
COLLECTIONS = ["funnel-stages", "funnel-phases", "customer-lifecycle", "sales-cycle-steps",
               "nps-scale", "lead-temperatures", "data-parties"]
KINDS = {"funnel-stages": "funnel", "nps-scale": "scale", "sales-cycle-steps": "steps",
         "lead-temperatures": "cards", "data-parties": "cards", "funnel-phases": "cards",
         "customer-lifecycle": "cards"}


def _labels(vocabulary, collection_id: str, lang: str) -> list[str]:
    return [vocabulary.concepts[m].pref_label[lang]
            for m in vocabulary.collections[collection_id].members]


def _names(vocabulary, collection_id: str, lang: str) -> list[str]:
    """The members as the page and the drawings name them: with their acronyms."""
    found = []
    for m in vocabulary.collections[collection_id].members:
        concept = vocabulary.concepts[m]
        acronyms = concept.acronyms(lang)
        label = concept.pref_label[lang]
        found.append(f"{label} ({', '.join(acronyms)})" if acronyms else label)
    return found


def _text(element: ET.Element) -> str:
    """A <text>'s words, its lines (<tspan>) joined by spaces."""
    return " ".join(" ".join(element.itertext()).split())


def _svg(client, collection_id: str, lang: str | None = None) -> ET.Element:
    query = {"lang": lang} if lang else {}
    response = client.get(f"/collection/{collection_id}.svg", query_string=query)
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == "image/svg+xml"
    return ET.fromstring(response.data)


def _by_class(root: ET.Element, tag: str, css_class: str) -> list[ET.Element]:
    return [e for e in root.iter(SVG + tag) if css_class in e.get("class", "").split()]


def test_every_collection_of_the_data_is_tested(vocabulary):
    assert set(COLLECTIONS) == {c.id for c in vocabulary.collections.values() if not c.group}


# --- the page -------------------------------------------------------------------------------

@pytest.mark.parametrize("collection_id", COLLECTIONS)
def test_page_lists_every_member_in_order_with_links(client, vocabulary, collection_id):
    html = client.get(f"/collection/{collection_id}").get_data(as_text=True)
    listed = html.split('<ol class="stages">', 1)[1].split("</ol>", 1)[0]
    links = re.findall(r'<li><a href="([^"]+)" data-uri="([^"]+)">([^<]*)</a>', listed)
    members = vocabulary.collections[collection_id].members
    assert [uri.rsplit("/", 1)[-1] for _, uri, _ in links] == members
    assert [href for href, _, _ in links] == [f"/concept/{m}" for m in members]
    assert [html_module.unescape(label) for _, _, label in links] == _names(
        vocabulary, collection_id, "fr")
    for href, _, _ in links:
        assert client.get(href).status_code == 200


@pytest.mark.parametrize("collection_id", COLLECTIONS)
def test_page_shows_the_short_definitions(client, vocabulary, collection_id):
    data = client.get(f"/collection/{collection_id}.json").get_json()
    html = client.get(f"/collection/{collection_id}").get_data(as_text=True)
    for member in data["members"]:
        short = member["short_definition"]
        assert short and member["definition"].startswith(short)
        assert short.endswith((".", "!", "?", "…")) or short == member["definition"]
        assert f"<p>{short}</p>".replace("'", "&#39;") in html


@pytest.mark.parametrize("collection_id", COLLECTIONS)
def test_page_has_the_drawing_inline_and_download_links(client, vocabulary, collection_id):
    response = client.get(f"/collection/{collection_id}")
    html = response.get_data(as_text=True)
    inline = html[html.index("<svg"): html.index("</svg>") + len("</svg>")]
    root = ET.fromstring(inline)  # well-formed, also inside the HTML page
    # each stage is a link to its concept, named with its acronyms: a group of links
    assert root.get("role") == "group" and root.get("lang") == "fr"
    stage_links = [a for a in root.iter(SVG + "a") if "stage-link" in a.get("class", "")]
    members = vocabulary.collections[collection_id].members
    assert [a.get("href") for a in stage_links] == [f"/concept/{m}" for m in members]
    assert [_text(_by_class(a, "text", "stage-label")[0]) for a in stage_links] == _names(
        vocabulary, collection_id, "fr")
    assert root.find(SVG + "title") is not None and root.find(SVG + "desc") is not None
    assert "<script" not in inline
    assert not [a for e in root.iter() for a in e.attrib if a.lower().startswith("on")]
    assert f'href="/collection/{collection_id}.svg?lang=fr"' in html
    assert f'href="/collection/{collection_id}.png?lang=fr"' in html
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert all('src="/static/' in tag for tag in scripts)  # no inline script (CSP)


def test_the_json_twin_still_works(client, vocabulary):
    for collection_id in COLLECTIONS:
        response = client.get(f"/collection/{collection_id}.json", query_string={"lang": "en"})
        assert response.status_code == 200 and response.mimetype == "application/json"
        data = response.get_json()
        assert [m["label"] for m in data["members"]] == _labels(vocabulary, collection_id, "en")
        assert [m["name"] for m in data["members"]] == _names(vocabulary, collection_id, "en")
        assert data["diagram_kind"] == KINDS[collection_id]
        assert data["downloads"]["svg"] == f"/collection/{collection_id}.svg?lang=en"
        assert "diagram_svg" not in data


def test_nps_score_ranges_come_from_the_data(client):
    data = client.get("/collection/nps-scale.json").get_json()
    assert [m["scores"] for m in data["members"]] == [[0, 6], [7, 8], [9, 10]]
    english = client.get("/collection/nps-scale.json?lang=en").get_json()
    assert [m["scores"] for m in english["members"]] == [[0, 6], [7, 8], [9, 10]]


# --- the SVG --------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("collection_id", COLLECTIONS)
def test_svg_shows_every_label_in_order(client, vocabulary, collection_id, lang):
    response = client.get(f"/collection/{collection_id}.svg", query_string={"lang": lang})
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="{collection_id}.{lang}.svg"'
    root = ET.fromstring(response.data)
    assert root.tag == SVG + "svg" and root.get("role") == "img"
    assert root.get("lang") == lang
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    title = root.find(SVG + "title").text
    assert title == vocabulary.collections[collection_id].pref_label[lang]
    assert root.get("aria-labelledby").split() == [root.find(SVG + "title").get("id"),
                                                   root.find(SVG + "desc").get("id")]
    expected = _names(vocabulary, collection_id, lang)
    labels = [_text(t) for t in _by_class(root, "text", "stage-label")]
    assert labels == expected
    texts = [_text(t) for t in root.iter(SVG + "text")]  # document order
    positions = [next(i for i, t in enumerate(texts) if t == label) for label in expected]
    assert positions == sorted(positions)
    desc = root.find(SVG + "desc").text
    places = [desc.index(f"{i + 1}. {label}") for i, label in enumerate(expected)]
    assert places == sorted(places)
    stages = _by_class(root, "g", "stage")
    assert [g.get("data-position") for g in stages] == [str(i + 1) for i in
                                                        range(len(expected))]
    assert [g.get("data-uri").rsplit("/", 1)[-1] for g in stages] == \
        vocabulary.collections[collection_id].members


def _points(polygon: ET.Element) -> list[tuple[float, float]]:
    return [tuple(float(v) for v in p.split(",")) for p in polygon.get("points").split()]


def _width_at(points, edge: float) -> float:
    xs = [x for x, y in points if abs(y - edge) < 0.01]
    return max(xs) - min(xs)


def test_the_funnel_narrows_downwards(client, vocabulary):
    root = _svg(client, "funnel-stages")
    assert "diagram-funnel" in root.get("class")
    shapes = _by_class(root, "polygon", "stage-shape")
    assert len(shapes) == len(vocabulary.collections["funnel-stages"].members)
    tops, bottoms, widths = [], [], []
    for shape in shapes:
        points = _points(shape)
        top, bottom = min(y for _, y in points), max(y for _, y in points)
        tops.append(top)
        bottoms.append(bottom)
        widths.append((_width_at(points, top), _width_at(points, bottom)))
    assert tops == sorted(tops) and all(b <= t2 for b, t2 in zip(bottoms, tops[1:],
                                                                 strict=False))
    for (top_width, bottom_width), (next_top, _) in zip(widths, widths[1:] + [(0, 0)],
                                                         strict=True):
        assert bottom_width < top_width
        assert next_top < top_width
    flat = [w for pair in widths for w in pair]
    assert flat == sorted(flat, reverse=True)


def test_the_sales_cycle_is_drawn_as_steps_in_rows(client, vocabulary):
    root = _svg(client, "sales-cycle-steps", "en")
    assert "diagram-steps" in root.get("class")
    shapes = _by_class(root, "polygon", "stage-shape")
    assert len(shapes) == len(vocabulary.collections["sales-cycle-steps"].members) == 8
    boxes = [(min(x for x, _ in _points(s)), min(y for _, y in _points(s))) for s in shapes]
    rows = sorted({y for _, y in boxes})
    assert len(rows) == 2  # 8 steps: two rows of four, read left to right
    for row in rows:
        xs = [x for x, y in boxes if y == row]
        assert len(xs) == 4 and xs == sorted(xs)
    assert all(len(_points(s)) in (5, 6) for s in shapes)  # chevrons
    assert _by_class(root, "polyline", "row-link")  # the arrow from one row to the next


def test_the_nps_scale_is_coloured_in_segments_of_its_score_ranges(client):
    root = _svg(client, "nps-scale", "en")
    assert "diagram-scale" in root.get("class")
    segments = _by_class(root, "rect", "stage-shape")
    assert len(segments) == 3
    widths = [float(r.get("width")) for r in segments]
    assert widths[0] / widths[1] == pytest.approx(7 / 2, rel=1e-2)
    assert widths[1] == pytest.approx(widths[2], rel=1e-2)
    xs = [float(r.get("x")) for r in segments]
    assert xs == sorted(xs)
    assert len({r.get("fill") for r in segments}) == 3
    assert [t.text for t in _by_class(root, "text", "score")] == [str(n) for n in range(11)]
    assert [t.text for t in _by_class(root, "text", "stage-range")] == \
        ["scores 0–6", "scores 7–8", "scores 9–10"]


# --- the PNG --------------------------------------------------------------------------------

@pytest.mark.parametrize("collection_id", COLLECTIONS)
def test_png_decodes_with_the_expected_size_and_is_not_blank(client, collection_id):
    root = _svg(client, collection_id, "en")
    response = client.get(f"/collection/{collection_id}.png", query_string={"lang": "en"})
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="{collection_id}.en.png"'
    image = Image.open(io.BytesIO(response.data))
    image.load()
    assert image.format == "PNG"
    assert image.size == (round(float(root.get("width")) * 2),
                          round(float(root.get("height")) * 2))
    grey = image.convert("L")
    histogram = grey.histogram()
    ink = sum(histogram[:200]) / (image.width * image.height)
    assert 0.05 < ink < 0.9  # drawn on, but not a solid block
    assert len(image.convert("RGB").getcolors(1 << 20) or []) > 50  # colours and text


def test_png_follows_the_language(client):
    french = client.get("/collection/funnel-stages.png?lang=fr")
    english = client.get("/collection/funnel-stages.png?lang=en")
    assert french.status_code == english.status_code == 200
    assert french.data != english.data
    assert 'filename="funnel-stages.fr.png"' in french.headers["Content-Disposition"]


# --- languages and errors -------------------------------------------------------------------

def test_english_labels_with_lang_en(client, vocabulary):
    html = client.get("/collection/funnel-stages?lang=en").get_data(as_text=True)
    for label in _names(vocabulary, "funnel-stages", "en"):
        assert f">{label}</a>" in html
    assert '<svg' in html and 'lang="en"' in html
    assert "/collection/funnel-stages.png?lang=en" in html
    assert "marketing qualified lead (MQL)" in [_text(t) for t in _by_class(
        _svg(client, "funnel-stages", "en"), "text", "stage-label")]
    # the language remembered in the cookie is used by the downloads too
    client.get("/collection/nps-scale?lang=en")
    root = ET.fromstring(client.get("/collection/nps-scale.svg").data)
    assert root.get("lang") == "en"


@pytest.mark.parametrize("url", ["/collection/nope", "/collection/nope.svg",
                                 "/collection/nope.png", "/collection/nope.json",
                                 "/collection/mql.svg", "/collection/mql.png",
                                 "/collection/funnel-stages.gif"])
def test_unknown_collections_are_not_found(client, url):
    assert client.get(url).status_code == 404


# --- hostile labels -------------------------------------------------------------------------

HOSTILE_LABEL = '<script>alert("label")</script> & "quoted" \'single\''
#: one per concept (labels are unique), short enough for a narrow segment or chevron
HOSTILE_LABELS = {"mql": HOSTILE_LABEL, "passif": '<script> & "q" </script>',
                  "negociation": "<b>bold</b> & 'x'"}
HOSTILE_MEMBER = {"funnel-stages": "mql", "nps-scale": "passif",
                  "sales-cycle-steps": "negociation"}
HOSTILE_DEFINITION = 'Score of 7 or 8 with </desc><img src=x onerror=alert(1)> & <b>bold</b>.'
HOSTILE_TITLE = 'funnel </title><script>alert(2)</script> & co'


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    from tests.support.data import DataCopy
    from webapp import create_app

    copy = DataCopy(tmp_path_factory.mktemp("hostile-collections") / "data")
    for concept_id, hostile in HOSTILE_LABELS.items():
        path = copy.term(concept_id)
        text = path.read_text(encoding="utf-8")
        label = json.dumps(hostile)
        text = re.sub(r"prefLabel:\n  fr: .*\n  en: .*\n",
                      f"prefLabel:\n  fr: {label}\n  en: {label}\n", text, count=1)
        text = re.sub(r"definition:\n  fr: >-\n(    .*\n)+",
                      "definition:\n  fr: " + json.dumps(HOSTILE_DEFINITION) + "\n", text,
                      count=1)
        path.write_text(text, encoding="utf-8")
    collections = copy.root / "collections.yaml"
    copy.replace(collections, "fr: étapes de l'entonnoir de conversion",
                 "fr: " + json.dumps(HOSTILE_TITLE))
    app = create_app({"DATA_DIR": str(copy.root), "SPARQL_WORKERS": 1})
    app.extensions["crmkg"].engine.start()
    yield app.test_client()
    app.extensions["crmkg"].engine.close()


@pytest.mark.parametrize("collection_id", ["funnel-stages", "nps-scale", "sales-cycle-steps"])
def test_hostile_labels_are_text_in_the_svg(hostile_client, collection_id):
    response = hostile_client.get(f"/collection/{collection_id}.svg?lang=fr")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<script" not in body and "<img" not in body and "<b>" not in body
    root = ET.fromstring(response.data)  # never breaks the XML
    assert not [e for e in root.iter() if e.tag.split("}")[-1] in ("script", "img", "b")]
    labels = [_text(t) for t in _by_class(root, "text", "stage-label")]
    hostile = HOSTILE_LABELS[HOSTILE_MEMBER[collection_id]]
    assert any(_named(label, hostile) for label in labels)
    assert hostile in root.find(SVG + "desc").text
    stage = next(g for g in _by_class(root, "g", "stage")
                 if _named(_text(_by_class(g, "text", "stage-label")[0]), hostile))
    assert stage.find(SVG + "title").text.startswith(hostile)
    png = hostile_client.get(f"/collection/{collection_id}.png?lang=fr")
    assert png.status_code == 200 and Image.open(io.BytesIO(png.data)).size[0] == 1920


def test_hostile_title_is_text_in_the_svg(hostile_client):
    root = ET.fromstring(hostile_client.get("/collection/funnel-stages.svg?lang=fr").data)
    assert root.find(SVG + "title").text == HOSTILE_TITLE
    assert _text(_by_class(root, "text", "diagram-title")[0]) == \
        HOSTILE_TITLE[0].upper() + HOSTILE_TITLE[1:]


@pytest.mark.parametrize("collection_id", ["funnel-stages", "nps-scale"])
def test_hostile_labels_are_text_in_the_page(hostile_client, collection_id):
    html = hostile_client.get(f"/collection/{collection_id}?lang=fr").get_data(as_text=True)
    assert '<script>alert("label")' not in html and "<script>alert(2)" not in html
    assert "<img src=x" not in html and "<b>bold</b>" not in html
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert all('src="/static/' in tag for tag in scripts)
    inline = html[html.index("<svg"): html.index("</svg>") + len("</svg>")]
    root = ET.fromstring(inline)
    hostile = HOSTILE_LABELS[HOSTILE_MEMBER[collection_id]]
    assert any(_named(_text(t), hostile) for t in _by_class(root, "text", "stage-label"))
    assert "&lt;script&gt;" in inline


def _named(shown: str, label: str) -> bool:
    """The stage shows this label, alone or with its acronyms: "label (MQL)"."""
    return shown == label or (shown.startswith(label + " (") and shown.endswith(")"))



# --- the drawing model ----------------------------------------------------------------------

def test_first_sentence():
    assert first_sentence("One. Two three.") == "One."
    assert first_sentence("Prix, délais, etc. et conditions. Puis") == \
        "Prix, délais, etc. et conditions."
    assert first_sentence("  No full stop  here ") == "No full stop here"
    assert first_sentence("") == ""


def test_score_ranges_read_from_text():
    assert diagrams.score_range("gives a score from 0 to 6, showing") == (0, 6)
    assert diagrams.score_range("une note de 7 ou 8 : plutôt") == (7, 8)
    assert diagrams.score_range("9–10") == (9, 10)
    assert diagrams.score_range("B2B, version 2.5 to 3") is None
    assert diagrams.score_range("") is None


def test_kind_is_chosen_from_the_depicted_concept_then_the_members():
    kind = kinds.collection_kind
    assert kind(["funnel"], size=7, stages=True) == "funnel"
    assert kind(["nps"], size=3) == "scale"
    assert kind(["cycle-de-vente"], size=8, stages=True) == "steps"
    assert kind([], size=3, stages=True) == "cards"  # a short process: side by side
    assert kind(["donnees-de-ciblage"], size=3) == "cards"  # siblings, not a process
    assert kind([], size=6) == "list"
    assert kind([], size=3, ordered=False) == "list"
    assert kind([], size=kinds.MAX_STEPS + 1, stages=True) == "list"
    assert set(kinds.KINDS) == set(diagrams.DRAWINGS)


def test_page_and_deck_agree_on_every_kind(client, vocabulary):
    for collection in vocabulary.collections.values():
        data = client.get(f"/collection/{collection.id}.json").get_json()
        expected = "list" if collection.group else KINDS[collection.id]
        assert data["diagram_kind"] == kinds.kind_of(collection) == expected


def test_xml_escape_removes_what_xml_forbids():
    assert diagrams.xml_escape('a\x00b\x1f<&>"\'') == "ab&lt;&amp;&gt;&quot;&#39;"
    stage = diagrams.Stage("bad\x0bchar <x>", "d\x01ef & more")
    for draw in diagrams.DRAWINGS.values():
        ET.fromstring(draw([stage], "en", title="t\x08itle").svg())


@pytest.mark.parametrize("kind", diagrams.KINDS)
@pytest.mark.parametrize("count", [0, 1, 5, 13])
def test_every_kind_draws_any_number_of_stages(kind, count):
    stages = [diagrams.Stage(f"stage {i} with a rather long label to wrap", "A definition.")
              for i in range(count)]
    drawing = diagrams.draw(kind, stages, "en", title="Title")
    root = ET.fromstring(drawing.svg())
    drawn = [_text(t) for t in _by_class(root, "text", "stage-label")]
    assert len(drawn) == count
    for text, stage in zip(drawn, stages, strict=True):  # whole, or cut with an ellipsis
        assert text == stage.label or (text.endswith("…") and stage.label.startswith(
            text[:-1].rstrip()))
    assert drawing.width == 960 and drawing.height > 0
    if count:
        image = Image.open(io.BytesIO(drawing.png(scale=1)))
        assert image.size == (drawing.width, drawing.height)


def test_scale_without_ranges_has_equal_segments():
    stages = [diagrams.Stage(name) for name in ("low", "middle", "high", "top")]
    root = ET.fromstring(diagrams.draw("scale", stages, "en").svg())
    widths = {round(float(r.get("width")), 3) for r in _by_class(root, "rect", "stage-shape")}
    assert len(widths) == 1
    assert not _by_class(root, "text", "score")


def test_accented_letters_are_drawn_in_the_png():
    """Pillow's bundled font has no "é": the PNG draws the accent itself."""
    plain = diagrams.Diagram("t", 80, 40, "", "", "fr", [diagrams.Text(10, 30, ["e"], 24)])
    accent = diagrams.Diagram("t", 80, 40, "", "", "fr", [diagrams.Text(10, 30, ["é"], 24)])

    def ink_above_the_letter(drawing):
        image = Image.open(io.BytesIO(drawing.png(scale=1))).convert("L")
        return sum(image.crop((0, 0, 80, 16)).histogram()[:160])

    assert ink_above_the_letter(plain) == 0 < ink_above_the_letter(accent)
    assert diagrams.text_width("é", 24) == diagrams.text_width("e", 24)

"""The injection corpus (tests/fixtures/hostile.py) shows as text everywhere.

Every label, definition and note of a copy of our vocabulary carries a payload
(script tags, attribute breaking, ``javascript:`` URLs, SVG, template syntax,
``]]>``, RTL and zero-width characters, a 10,000-character label, CSV formulas);
a Turtle vocabulary adds odd IRIs and ``javascript:`` link targets. Then every
route of ``app.url_map``, with real ids, is requested in both languages:

- HTML: parsed; no script but ours, no ``on*`` attribute, no ``javascript:``/
  ``vbscript:``/``data:`` URL in any link, and every label of the page's JSON twin
  is in the page's text, exactly;
- JSON twins and the map's data: the exact text;
- the collection SVG: parsed as XML, no ``script``/``foreignObject`` element, no
  ``on*`` attribute, no ``javascript:`` link, and the labels in its text;
- the PNG: drawn (no crash); the slides: every run's text as given, no ``javascript:``
  hyperlink; the exports (CSV, flashcards, Turtle …): parse back to the same text,
  with CSV formulas neutralised by a leading ``'`` (OWASP's advice) in the CSV cells.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import urllib.parse
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.fixtures.hostile import (
    ALL,
    BASE,
    COLLECTION_LABEL,
    CONTROL,
    LABELS,
    LINK_IRIS,
    LONG,
    PAYLOADS,
    SCHEME_TITLE,
    SOURCE_TITLE,
    english,
    make_hostile_data,
    write_hostile_turtle,
)
from tests.support.routes import every_url, with_languages

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background",
                  "data-copy-url", "srcset"}


# --- the two hostile apps --------------------------------------------------------------------

@pytest.fixture(scope="module")
def own_app(tmp_path_factory):
    from webapp import create_app

    data, ontology = make_hostile_data(tmp_path_factory.mktemp("hostile"))
    application = create_app({"TESTING": True, "DATA_DIR": str(data),
                              "ONTOLOGY_DIR": str(ontology), "SPARQL_WORKERS": 1})
    application.extensions["crmkg"].engine.start()
    yield application
    application.extensions["crmkg"].engine.close()


@pytest.fixture(scope="module")
def other_app(tmp_path_factory):
    from webapp import create_app

    path = write_hostile_turtle(tmp_path_factory.mktemp("hostile-ttl") / "hostile.ttl")
    application = create_app({"TESTING": True, "DATA_FILES": [str(path)],
                              "SPARQL_WORKERS": 1})
    application.extensions["crmkg"].engine.start()
    yield application
    application.extensions["crmkg"].engine.close()


# --- reading HTML as a browser would ---------------------------------------------------------

class Page(HTMLParser):
    """Tags, attributes, scripts and the visible text of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in: str | None = None
        self._script_attrs: dict[str, str | None] = {}
        self._script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in = tag
            self._script_attrs = dict(attrs)
            self._script_text = []

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            if tag == "script":
                self.scripts.append((self._script_attrs, "".join(self._script_text)))
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self._script_text.append(data)
        else:
            self.text.append(data)

    @property
    def visible(self) -> str:
        return "".join(self.text)


def read_html(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def dangerous_url(value: str) -> bool:
    # browsers ignore leading spaces and control characters, and tabs/newlines inside
    cleaned = re.sub(r"[\x00-\x20]", "", value).lower()
    return cleaned.startswith(DANGEROUS_SCHEMES) and cleaned != "data:,"


def assert_safe_html(html: str, where: str) -> Page:
    page = read_html(html)
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{where}: <{tag} {name}=…>"
            if name in URL_ATTRIBUTES and value:
                assert not dangerous_url(value), f"{where}: <{tag} {name}={value!r}>"
        assert tag not in ("img", "iframe", "object", "embed", "x", "foreignobject", "base"), \
            f"{where}: a <{tag}> element from the data: {attrs}"
        if tag == "svg":
            assert "onload" not in attrs, where
    for attrs, body in page.scripts:
        if attrs.get("src"):
            assert attrs["src"].startswith("/static/"), f"{where}: script {attrs}"
            assert not body.strip(), where
        else:
            assert attrs.get("type") == "application/ld+json", f"{where}: inline script {body[:80]}"
            assert "</" not in body and "<!--" not in body, where
            json.loads(body)  # a data block, whole
    # outside the JSON-LD data blocks (JSON, where a quote needs no escaping)
    markup = re.sub(r'<script type="application/ld\+json">.*?</script>', "", html, flags=re.S)
    for raw in ("<script>alert(1)", '"><img src=x', "' onmouseover='", "<svg onload"):
        assert raw not in markup, f"{where}: {raw!r} unescaped in the source"
    return page


def labels_in(data: Any) -> list[str]:
    """Every ``label`` value of a JSON twin (but the schemes', which pages do not all show)."""
    found: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("schemes", "top_concept_of"):
                continue
            if key == "label" and isinstance(value, str):
                found.append(value)
            else:
                found.extend(labels_in(value))
    elif isinstance(data, list):
        for item in data:
            found.extend(labels_in(item))
    return found


def strings_in(data: Any) -> set[str]:
    """Every string value of a JSON document."""
    if isinstance(data, dict):
        return set().union(*(strings_in(v) for v in data.values())) if data else set()
    if isinstance(data, list):
        return set().union(*(strings_in(v) for v in data)) if data else set()
    return {data} if isinstance(data, str) else set()


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text)


#: every text of the corpus as a label can be, in either language
KNOWN = {*LABELS.values(), *map(english, LABELS.values()),
         *(f"alt {label}" for label in LABELS.values()),
         COLLECTION_LABEL, english(COLLECTION_LABEL), SCHEME_TITLE, SOURCE_TITLE}


# --- every route, with real parameters -------------------------------------------------------

OWN_IDS = list(LABELS)
COLLECTIONS = ["funnel-stages", "sales-cycle-steps", "nps-scale"]


def own_urls(app) -> list[str]:
    """One or more real URLs for every rule of the app's URL map (static files aside)."""
    return every_url(app, OWN_IDS, COLLECTIONS)


def test_every_route_of_the_hostile_vocabulary_is_safe(own_app):
    """Every page (both languages), its JSON twin and its downloads, checked."""
    client = own_app.test_client()
    checked = {"html": 0, "json": 0, "svg": 0, "other": 0}
    for url in with_languages(own_urls(own_app)):
        response = client.get(url)
        assert response.status_code in (200, 303), (url, response.status_code,
                                                    response.get_data(as_text=True)[:300])
        mimetype = response.mimetype
        if mimetype == "text/html":
            page = assert_safe_html(response.get_data(as_text=True), url)
            twin = client.get(url, headers={"Accept": "application/json"})
            if twin.status_code == 200 and twin.mimetype == "application/json":
                visible = normalise(page.visible)
                for label in labels_in(twin.get_json()):
                    assert normalise(label) in visible, (url, label[:100])
            checked["html"] += 1
        elif mimetype == "application/json":
            for label in labels_in(json.loads(response.get_data(as_text=True))):
                if any(marker in label for marker in ("alert", "<", "{{", "cmd|", "\u202e")):
                    assert label in KNOWN, (url, label[:120])  # whole, never cut or changed
            checked["json"] += 1
        elif mimetype == "image/svg+xml":
            assert_safe_svg(response.get_data(), url)
            checked["svg"] += 1
        else:
            checked["other"] += 1
    assert checked["html"] >= 150 and checked["svg"] == 6, checked


def test_quiz_answers_are_safe(own_app):
    client = own_app.test_client()
    for seed in range(4):
        for mode in ("definition", "term"):
            html = client.get(f"/quiz?seed={seed}&mode={mode}").get_data(as_text=True)
            form = re.search(r'<form[^>]*action="([^"]*)"[^>]*method="post"', html, re.I) or \
                re.search(r'<form[^>]*method="post"[^>]*action="([^"]*)"', html, re.I)
            assert form, html[:500]
            fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"',
                                     html))
            choice = re.search(r'name="choice" value="([^"]+)"', html)
            assert choice
            fields["choice"] = choice.group(1)
            fields = {k: v.replace("&#34;", '"').replace("&amp;", "&") for k, v in fields.items()}
            answer = client.post(form.group(1).replace("&amp;", "&"), data=fields,
                                 follow_redirects=True)
            assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
            assert_safe_html(answer.get_data(as_text=True), f"answer {seed} {mode}")


# --- exact text ------------------------------------------------------------------------------

@pytest.mark.parametrize("concept_id", OWN_IDS)
def test_json_twins_keep_every_payload_exact(own_app, concept_id):
    client = own_app.test_client()
    label = LABELS[concept_id]
    fr = client.get(f"/concept/{concept_id}.json?lang=fr").get_json()
    en = client.get(f"/concept/{concept_id}.json?lang=en").get_json()
    assert fr["label"] == label and en["label"] == english(label)
    assert json.dumps(fr, ensure_ascii=False).count(json.dumps(ALL, ensure_ascii=False)[1:-1]) >= 3
    html = client.get(f"/concept/{concept_id}?lang=fr").get_data(as_text=True)
    visible = read_html(html).visible
    assert label in visible and ALL in visible
    jsonld = [json.loads(body) for attrs, body in read_html(html).scripts if attrs.get("type")]
    assert label in strings_in(jsonld)
    nodes = client.get(f"/map/data.json?focus={concept_id}").get_json()["nodes"]
    node = next(n for n in nodes if n["id"].endswith("/" + concept_id))
    assert node["label"] == label
    assert ALL in node["title"]


def test_search_finds_the_payloads_as_text(own_app):
    client = own_app.test_client()
    for name, label in PAYLOADS.items():
        query = label[:60] if name != "rtl-zero-width" else "dcba"
        results = client.get("/search.json", query_string={"q": query}).get_json()["results"]
        assert any(r["label"] == label for r in results), (name, [r["label"] for r in results])


def test_scheme_title_and_collection_labels(own_app):
    client = own_app.test_client()
    home = client.get("/").get_data(as_text=True)
    visible = read_html(home).visible
    assert SCHEME_TITLE in visible or SCHEME_TITLE in read_html(home).visible.replace("\n", "")
    assert COLLECTION_LABEL in visible
    data = client.get("/collection/funnel-stages.json").get_json()
    assert COLLECTION_LABEL in labels_in(data) or data.get("title") == COLLECTION_LABEL


# --- SVG and PNG -----------------------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"


def assert_safe_svg(body: bytes, where: str) -> ET.Element:
    root = ET.fromstring(body)  # well-formed XML, or this raises
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1].lower()
        assert name not in ("script", "foreignobject", "iframe", "img", "image", "x", "handler"), \
            f"{where}: <{name}>"
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1].lower()
            assert not local.startswith("on"), f"{where}: {attribute}={value!r}"
            if local == "href":
                assert not dangerous_url(value), f"{where}: {attribute}={value!r}"
    return root


@pytest.mark.parametrize("collection", COLLECTIONS)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_collection_svg_is_safe_and_holds_the_labels(own_app, collection, lang):
    client = own_app.test_client()
    response = client.get(f"/collection/{collection}.svg?lang={lang}")
    assert response.status_code == 200
    root = assert_safe_svg(response.get_data(), collection)
    text = "".join(root.itertext())
    members = client.get(f"/collection/{collection}.json?lang={lang}").get_json()
    for label in labels_in(members):
        if label in LABELS.values() or label in map(english, LABELS.values()):
            if label in (LONG, english(LONG)):
                assert label[:40] in text  # a drawing may cut a long label
            else:
                assert label in normalise(text) or label in text, (collection, label)
    # the drawing embedded in the HTML page is the same, safe
    page = client.get(f"/collection/{collection}?lang={lang}").get_data(as_text=True)
    assert_safe_html(page, collection)


@pytest.mark.parametrize("kind", ["funnel", "steps", "scale", "cards", "list"])
def test_every_kind_of_drawing_keeps_any_text_as_text(kind):
    """graph.training.diagrams draws whatever it is given (labels, link, title, even the language
    code and characters XML forbids) as escaped text, in the SVG and in the PNG."""
    from graph.training.diagrams import Stage, draw

    values = [*PAYLOADS.values(), "nul\x00 escape\x1b bell\x07"]
    stages = [Stage(label=value, definition=ALL, uri="javascript:alert(1)",
                    scores=(i, i) if kind == "scale" else None)
              for i, value in enumerate(values[:11])]
    diagram = draw(kind, stages, '"><script>alert(1)</script>', title=SCHEME_TITLE,
                   description=COLLECTION_LABEL)
    root = assert_safe_svg(diagram.svg().encode("utf-8"), kind)
    text = normalise("".join(root.itertext()))
    assert SCHEME_TITLE in text and COLLECTION_LABEL in text
    for stage in stages:
        if stage.label != LONG and "\x00" not in stage.label:
            assert normalise(stage.label) in text or stage.label.split()[0] in text, stage.label
    inline = diagram.svg(standalone=False, id_prefix='x" onload="alert(1)')
    assert_safe_svg(inline.encode("utf-8"), kind + " inline")
    assert diagram.png(scale=0.5, supersample=1).startswith(b"\x89PNG")


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_collection_png_is_drawn(own_app, collection):
    response = own_app.test_client().get(f"/collection/{collection}.png?lang=en")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.get_data().startswith(b"\x89PNG\r\n\x1a\n")


# --- slides ----------------------------------------------------------------------------------

def test_slides_hold_the_payloads_as_plain_text(own_app):
    from pptx import Presentation

    for lang in ("fr", "en"):
        response = own_app.test_client().get(f"/slides.pptx?lang={lang}")
        assert response.status_code == 200
        deck = Presentation(io.BytesIO(response.get_data()))
        runs: list[str] = []
        paragraphs: list[str] = []
        for slide in deck.slides:
            shapes = list(slide.shapes)
            if slide.has_notes_slide:
                shapes += list(slide.notes_slide.shapes)
            for shape in shapes:
                if not shape.has_text_frame:
                    continue
                assert shape.click_action.hyperlink.address is None or not dangerous_url(
                    shape.click_action.hyperlink.address)
                for paragraph in shape.text_frame.paragraphs:
                    paragraphs.append("".join(run.text for run in paragraph.runs))
                    for run in paragraph.runs:
                        runs.append(run.text)
                        address = run.hyperlink.address
                        assert address is None or not dangerous_url(address), address
        text = "\n".join(paragraphs)
        expected = [label if lang == "fr" else english(label) for label in LABELS.values()]
        for label in expected:
            if label in (LONG, english(LONG)):
                assert label[:60] in text
                continue
            assert label in text, (lang, label)
        # the stages and steps drawn on the slides: a run holds the label exactly
        for concept_id in list(LABELS)[:15]:
            label = LABELS[concept_id] if lang == "fr" else english(LABELS[concept_id])
            assert label in runs, (lang, concept_id, label)


def test_slides_take_control_characters(own_app):
    """A label holding a control character made the deck fail (lxml refuses them in a
    shape's name); the text keeps them, in OOXML's escaped form (``_x001B_``)."""
    from pptx import Presentation

    from graph.training.slides import deck_bytes
    from graph.vocabulary.load import load_vocabulary

    vocabulary = load_vocabulary(Path(own_app.config["DATA_DIR"]))
    vocabulary.concepts["sql"].pref_label["fr"] = CONTROL
    vocabulary.concepts["close"].pref_label["fr"] = CONTROL + " 2"
    deck = Presentation(io.BytesIO(deck_bytes(vocabulary, lang="fr")))
    texts = [shape.text_frame.text for slide in deck.slides for shape in slide.shapes
             if shape.has_text_frame]
    names = [shape.name for slide in deck.slides for shape in slide.shapes]
    escaped = CONTROL.replace("\x1b", "_x001B_").replace("\x07", "_x0007_")
    assert any(CONTROL in text or escaped in text for text in texts)
    assert any("ctrl[31m bell end" in name for name in names), names
    assert max(len(name) for name in names) <= 120


# --- exports ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_graph(own_app):
    from graph.config import Settings
    from graph.vocabulary.build import build_graph
    from graph.vocabulary.load import load_vocabulary

    settings = Settings(Path(own_app.config["DATA_DIR"]), Path(own_app.config["ONTOLOGY_DIR"]),
                        own_app.config["BASE_URI"])
    vocabulary = load_vocabulary(settings.data_dir)
    return vocabulary, build_graph(vocabulary, settings)


@pytest.mark.parametrize("fmt, parse_as", [("turtle", "turtle"), ("rdfxml", "xml"),
                                           ("jsonld", "json-ld"), ("ntriples", "nt")])
def test_rdf_exports_give_the_payloads_back_exactly(hostile_graph, fmt, parse_as):
    from rdflib import Graph, Literal
    from rdflib.compare import isomorphic
    from rdflib.namespace import SKOS

    from graph.export import exporter_for as get_exporter

    vocabulary, graph = hostile_graph
    data = get_exporter(fmt).render(graph, vocabulary)
    back = Graph().parse(data=data, format=parse_as)
    assert isomorphic(back, graph)
    labels = {str(o) for o in back.objects(None, SKOS.prefLabel) if isinstance(o, Literal)}
    assert set(LABELS.values()) <= labels


def _csv_rows(data: bytes | str) -> list[dict[str, str]]:
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text, newline="")))


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def test_csv_glossary_neutralises_formulas_and_keeps_the_text(hostile_graph):
    from graph.export import exporter_for as get_exporter

    vocabulary, graph = hostile_graph
    rows = _csv_rows(get_exporter("csv").render(graph, vocabulary))
    cells = [value for row in rows for value in row.values() if value]
    for cell in cells:
        assert not cell.startswith(FORMULA_START), f"a cell a spreadsheet would run: {cell[:60]}"
    by_id = {row["id"]: row for row in rows}
    for concept_id, label in LABELS.items():
        shown = "'" + label if label.startswith(FORMULA_START) else label
        assert by_id[concept_id]["label_fr"] == shown, label[:80]
        assert by_id[concept_id]["label_en"] == english(shown)
        assert by_id[concept_id]["definition_en"] == f"Definition {ALL}"


def test_flashcards_keep_the_text_exact(hostile_graph):
    """Anki shows fields as text (``#html:false``) and runs no formula: no apostrophe
    is added there, the cards say exactly what the vocabulary says."""
    from graph.export import exporter_for

    vocabulary, graph = hostile_graph
    text = exporter_for("flashcards").render(graph, vocabulary).decode("utf-8")
    assert "#html:false" in text
    lines = [line for line in text.split("\r\n") if not line.startswith("#")]
    rows = list(csv.reader(io.StringIO("\r\n".join(lines), newline="")))
    fronts = {row[0] for row in rows if row}
    for label in LABELS.values():
        assert any(front == label or front.startswith(label + " (") for front in fronts), \
            label[:80]


# --- another vocabulary: odd IRIs, javascript: link targets ----------------------------------

def other_urls(app) -> list[str]:
    from rdflib import Graph

    path = app.config["DATA_FILES"][0]
    graph = Graph().parse(path, format="turtle")
    subjects = sorted({str(s) for s in graph.subjects() if str(s).startswith(BASE)})
    urls = []
    for uri in subjects:
        quoted = urllib.parse.quote(uri, safe="")
        urls += [f"/entity?uri={quoted}", f"/entity?uri={quoted}&format=json",
                 f"/map?focus={quoted}", f"/map/data.json?focus={quoted}",
                 f"/tree?node={quoted}", f"/tree.json?node={quoted}"]
        urls += [f"/entity?uri={quoted}&format={fmt}" for fmt in ("ttl", "rdf", "jsonld", "nt")]
    for iri in LINK_IRIS:
        urls.append("/entity?uri=" + urllib.parse.quote(iri, safe=""))
    urls += ["/", "/.json", "/tree", "/tree.json", "/map", "/map/data.json", "/index",
             "/index.json", "/search?q=alert", "/search.json?q=alert", "/-/about",
             "/sparql?format=html&query=" + urllib.parse.quote(
                 "SELECT * WHERE { ?s ?p ?o } LIMIT 2000")]
    urls += [f"/index?letter={letter}" for letter in "<\"'J{]A=+@L"]
    return urls


def test_every_page_of_another_hostile_vocabulary_is_safe(other_app):
    client = other_app.test_client()
    checked = 0
    for url in with_languages(other_urls(other_app)):
        # /map?focus= a resource that is no concept: the whole map and a message (303)
        response = client.get(url, follow_redirects=url.startswith("/map?"))
        if response.status_code == 406:  # the control character, or a neighbour's: below
            assert "format=rdf" in url and "XML 1.0" in response.get_data(as_text=True), url
            continue
        assert response.status_code in (200, 404), (url, response.status_code)
        if response.mimetype == "application/rdf+xml":
            ET.fromstring(response.get_data())  # well-formed
        if response.mimetype == "text/html":
            page = assert_safe_html(response.get_data(as_text=True), url)
            checked += 1
            if response.status_code == 200:
                twin = client.get(url, headers={"Accept": "application/json"})
                if twin.mimetype == "application/json":
                    visible = normalise(page.visible)
                    for label in labels_in(twin.get_json()):
                        assert normalise(label) in visible, (url, label[:80])
    assert checked >= 100


def test_link_iris_are_shown_never_linked(other_app):
    client = other_app.test_client()
    uri = BASE + "c-template"
    html = client.get("/entity", query_string={"uri": uri}).get_data(as_text=True)
    page = assert_safe_html(html, uri)
    for iri in LINK_IRIS:
        assert iri in page.visible
    hrefs = [attrs.get("href") or "" for _, attrs in page.tags]
    assert not any(dangerous_url(h) for h in hrefs)
    data = client.get("/entity", query_string={"uri": uri, "format": "json"}).get_json()
    assert data["label"] == PAYLOADS["template"]


def test_json_twin_link_of_an_entity_page_works(other_app):
    """The page's "JSON" download link leads to its JSON twin (it was /entity.json, a 404)."""
    client = other_app.test_client()
    uri = BASE + "c-amp&x=1"
    html = client.get("/entity", query_string={"uri": uri}).get_data(as_text=True)
    page = read_html(html)
    links = [attrs["href"] for tag, attrs in page.tags if tag == "a" and (
        (attrs.get("href") or "").split("?")[0].endswith(".json")
        or re.search(r"format=json(&|$)", attrs.get("href") or ""))]
    assert links, "no JSON link"
    for link in links:
        response = client.get(link)
        assert response.status_code == 200 and response.mimetype == "application/json", link
        assert response.get_json()["uri"] == uri


def test_rdfxml_of_a_resource_with_control_characters_is_refused_not_malformed(other_app):
    """XML 1.0 cannot hold U+001B even as &#x1b;: a 406 naming the formats that can,
    rather than a document no XML parser reads; the other formats give the text exactly."""
    from rdflib import Graph, Literal
    from rdflib.namespace import SKOS

    client = other_app.test_client()
    uri = BASE + "c-control"
    response = client.get("/entity", query_string={"uri": uri, "format": "rdf"})
    assert response.status_code == 406 and "text/turtle" in response.get_data(as_text=True)
    for fmt, parse_as in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")):
        response = client.get("/entity", query_string={"uri": uri, "format": fmt})
        assert response.status_code == 200
        graph = Graph().parse(data=response.get_data(), format=parse_as)
        assert Literal(CONTROL, lang="en") in set(graph.objects(None, SKOS.prefLabel))
    ET.fromstring(client.get("/entity", query_string={
        "uri": BASE + "c-template", "format": "rdf"}).get_data())  # the others: well-formed


@pytest.mark.parametrize(("query", "fmt"), [
    (f"SELECT ?l WHERE {{ <{BASE}c-control> ?p ?l FILTER(isLiteral(?l)) }}", "xml"),
    (f"CONSTRUCT {{ <{BASE}c-control> ?p ?l }} WHERE {{ <{BASE}c-control> ?p ?l }}", "rdfxml"),
])
def test_sparql_xml_results_with_control_characters_are_refused_not_malformed(
        other_app, query, fmt):
    """The same at /sparql: a 406 that names the character and the formats that work."""
    client = other_app.test_client()
    response = client.get("/sparql", query_string={"query": query, "format": fmt})
    assert response.status_code == 406
    assert "U+001B" in response.get_data(as_text=True)
    other = client.get("/sparql", query_string={
        "query": query, "format": "json" if fmt == "xml" else "turtle"})
    assert other.status_code == 200
    if fmt == "xml":
        values = [b["l"]["value"] for b in other.get_json()["results"]["bindings"]]
    else:
        from rdflib import Graph
        values = [str(o) for o in Graph().parse(data=other.data, format="turtle").objects()]
    assert CONTROL in values  # the other formats carry the text exactly
    clean = query.replace("c-control", "c-template")
    ET.fromstring(client.get("/sparql", query_string={"query": clean, "format": fmt}).data)


def test_rdfxml_export_refuses_control_characters_with_a_message(own_app, tmp_path):
    """rdflib wrote U+001B as it is, a file no XML parser reads: the export now says why
    it cannot be done (the other formats hold the text exactly)."""
    from rdflib import Graph, Literal
    from rdflib.namespace import SKOS

    from graph.config import Settings
    from graph.export import exporter_for
    from graph.export.rdf import NotXmlError
    from graph.vocabulary.build import build_graph
    from graph.vocabulary.load import load_vocabulary

    settings = Settings(Path(own_app.config["DATA_DIR"]), Path(own_app.config["ONTOLOGY_DIR"]),
                        own_app.config["BASE_URI"])
    vocabulary = load_vocabulary(settings.data_dir)
    vocabulary.concepts["sql"].pref_label["en"] = CONTROL
    graph = build_graph(vocabulary, settings)
    with pytest.raises(NotXmlError, match="U\\+001B"):
        exporter_for("rdfxml").render(graph, vocabulary)
    for fmt, parse_as in (("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld")):
        back = Graph().parse(data=exporter_for(fmt).render(graph, vocabulary), format=parse_as)
        assert Literal(CONTROL, lang="en") in set(back.objects(None, SKOS.prefLabel)), fmt


def test_rdfxml_export_command_says_why_and_writes_nothing(own_app, tmp_path):
    import shutil
    import subprocess
    import sys

    from graph.config import PROJECT_ROOT

    data = tmp_path / "data"
    shutil.copytree(own_app.config["DATA_DIR"], data)
    path = data / "terms" / "sql.yaml"
    term = yaml.safe_load(path.read_text(encoding="utf-8"))
    term["prefLabel"]["en"] = CONTROL
    path.write_text(yaml.safe_dump(term, allow_unicode=True), encoding="utf-8")
    target = tmp_path / "v.rdf"
    result = subprocess.run([sys.executable, "-m", "graph", "--data-dir", str(data), "export",
                             "--format", "rdfxml", "-o", str(target)],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, check=False,
                            env={**os.environ, "CRMKG_ONTOLOGY_DIR": own_app.config[
                                "ONTOLOGY_DIR"]})
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "U+001B" in result.stderr or "control" in result.stderr.lower(), result.stderr
    assert not target.exists()

"""The results page (``/sparql?format=html``) shows values as a reader reads them: our IRIs
as links to our pages, other IRIs marked as leaving the site, typed literals as values,
a literal's language as a tag; and its query opens in the editor."""

from __future__ import annotations

import json
from urllib.parse import quote, unquote

import lxml.html
import pytest

from webapp.views.sparql_cells import tag, typed_value

XSD = "http://www.w3.org/2001/XMLSchema#"
#: a value as shown (not a tag beside it)
VALUE = ".//span[contains(concat(' ', @class, ' '), ' value ')]"
PREFIXES = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
            "PREFIX dct: <http://purl.org/dc/terms/>\n")
#: concepts with a count, a source, a type and a label
MIXED = PREFIXES + (
    "SELECT ?concept (COUNT(DISTINCT ?narrower) AS ?count) (MIN(?source) AS ?cited) "
    "(MIN(?kind) AS ?type) (MIN(?name) AS ?label)\n"
    "WHERE { ?concept skos:narrower ?narrower ; dct:source ?source ; a ?kind ; "
    "skos:prefLabel ?name FILTER(LANG(?name) = 'fr') }\n"
    "GROUP BY ?concept ORDER BY DESC(?count) ?concept LIMIT 8")


def _results(client, query: str, lang: str):
    """The endpoint's JSON answer and its results page's table (cells), for ``query``."""
    answer = client.post("/sparql", data={"query": query},
                         headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200
    document = json.loads(answer.data)
    page = client.get(f"/sparql?format=html&lang={lang}&query=" + quote(query, safe=""))
    assert page.status_code == 200
    tree = lxml.html.fromstring(page.data)
    rows = tree.xpath("//table[contains(@class, 'results')]/tbody/tr")
    return document, tree, [row.xpath("./td") for row in rows]


def _exists(client, uri: str) -> bool:
    answer = client.post("/sparql", data={"query": f"ASK {{ <{uri}> ?p ?o }}"},
                         headers={"Accept": "application/sparql-results+json"})
    return json.loads(answer.data)["boolean"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_results_page_links_to_our_pages_and_shows_values(client, vocabulary, lang):
    document, _, rows = _results(client, MIXED, lang)
    bindings = document["results"]["bindings"]
    assert len(rows) == len(bindings) >= 3
    names = document["head"]["vars"]
    for binding, cells in zip(bindings, rows, strict=True):
        cell = dict(zip(names, cells, strict=True))
        concept = binding["concept"]["value"]
        local = concept.rsplit("/", 1)[1]
        assert local in vocabulary.concepts
        link = cell["concept"].xpath(".//a")[0]
        assert link.get("href") == f"/concept/{local}" and link.get("target") is None
        assert link.text_content() == concept
        # a number, its exact form in the title
        count = int(binding["count"]["value"])
        shown = cell["count"].xpath(VALUE)[0]
        group = "\u202f" if lang == "fr" else ","
        assert shown.text_content() == f"{count:,}".replace(",", group)
        assert shown.get("title") == f'"{count}"^^xsd:integer'
        assert "number" in shown.get("class").split()
        # the label, its language a tag beside it (an HTML lang for screen readers)
        label = cell["label"].xpath(VALUE)[0]
        assert label.text_content() == binding["label"]["value"]
        assert label.get("lang") == "fr"
        assert cell["label"].xpath(".//span[@class='value-tag']")[0].text_content() == "fr"
        for name in ("cited", "type"):
            uri = binding[name]["value"]
            link = cell[name].xpath(".//a")[0]
            if _exists(client, uri):
                assert unquote(link.get("href")) == f"/entity?uri={uri}"
                assert "external" not in link.get("class")
            else:
                assert link.get("href") == uri and "external" in link.get("class")
                assert link.get("rel") == "external noopener noreferrer"


def test_results_page_opens_its_query_in_the_editor(client):
    _, tree, _ = _results(client, MIXED, "fr")
    edit = tree.xpath("//p[@class='results-actions']/a")[0]
    path, fragment = edit.get("href").split("#", 1)
    assert path == "/sparql"
    assert fragment.startswith("query=") and unquote(fragment[len("query="):]) == MIXED


def test_results_page_of_an_ask_says_true_or_false_in_its_language(client):
    query = PREFIXES + "ASK { ?c skos:prefLabel ?l }"
    for lang, word in (("fr", "vrai"), ("en", "true")):
        page = client.get(f"/sparql?format=html&lang={lang}&query=" + quote(query, safe=""))
        tree = lxml.html.fromstring(page.data)
        assert tree.xpath("//p[@class='boolean']")[0].text_content() == word


@pytest.mark.parametrize(("value", "datatype", "fr", "en"), [
    ("1", "integer", "1", "1"),
    ("0042", "int", "42", "42"),
    ("-1234567", "integer", "-1\u202f234\u202f567", "-1,234,567"),
    ("3.25", "decimal", "3,25", "3.25"),
    ("2.5E3", "double", "2,5E3", "2.5E3"),
    ("NaN", "double", None, None),
    ("true", "boolean", "vrai", "true"),
    ("0", "boolean", "faux", "false"),
    ("2024-03-05", "date", "5 mars 2024", "5 March 2024"),
    ("2024-03-05Z", "date", "5 mars 2024 (UTC)", "5 March 2024 (UTC)"),
    ("2024-03-05T14:30:00+01:00", "dateTime", "5 mars 2024 à 14:30 (UTC+01:00)",
     "5 March 2024, 14:30 (UTC+01:00)"),
    ("2024-13-05", "date", None, None),
    ("1999", "gYear", None, None),
])
def test_typed_values_read_as_values(value, datatype, fr, en):
    assert typed_value(value, XSD + datatype, "fr") == fr
    assert typed_value(value, XSD + datatype, "en") == en


def test_datatype_tags_are_short_where_a_prefix_is_known():
    assert tag(XSD + "gYear") == "xsd:gYear"
    assert tag("http://example.org/unit#metre") == "<http://example.org/unit#metre>"

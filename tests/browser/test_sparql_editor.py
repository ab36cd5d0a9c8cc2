"""The query page's editor as a reader meets it: a failed query says why (the server's
message, in the page's language where it is ours), results link to our pages and show
values, a share link or a reload gives the query back, and the French page speaks French."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pytest

from tests.support.browser import expect
from tests.support.sparql_page import (
    EDITOR_QUERY,
    ERROR,
    ROWS,
    endpoint_json,
    endpoint_refusal,
    open_page,
    run_failing,
    run_select,
)

SKOS = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
#: a closing brace too many: the parser's message names the line and column
SYNTAX_ERROR = "SELECT ?concept WHERE { ?concept ?p ?o }}"
SERVICE = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
#: concepts, how many narrower concepts each has, a source and a type
CONCEPTS_AND_COUNTS = SKOS + (
    "PREFIX dct: <http://purl.org/dc/terms/>\n"
    "SELECT ?concept (COUNT(DISTINCT ?narrower) AS ?count) (MIN(?source) AS ?cited) "
    "(MIN(?kind) AS ?type)\n"
    "WHERE { ?concept skos:narrower ?narrower ; dct:source ?source ; a ?kind }\n"
    "GROUP BY ?concept ORDER BY DESC(?count) ?concept LIMIT 6")


def _server_message(text: str) -> str:
    """The message of a plain-text refusal, without its reason ("Bad Request: …")."""
    return text.strip().split(": ", 1)[1]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_syntax_error_shows_the_parsers_message(page, guard, live_server, lang):
    status, text = endpoint_refusal(live_server.url, SYNTAX_ERROR)
    assert status == 400
    open_page(page, lang)
    run_failing(page, guard, SYNTAX_ERROR, 400)
    error = page.locator(ERROR)
    expect(error).to_have_attribute("role", "alert")
    expect(error.locator(".query-error-message")).to_have_text(_server_message(text))
    expect(error.locator(".query-error-status")).to_contain_text("400")
    expect(page.locator(ROWS)).to_have_count(0)
    # the message's position ("at 1:40") takes the cursor there
    line, column = (int(n) for n in text.split(" at ", 1)[1].split(":")[:2])
    error.locator(".query-error-goto").click()
    cursor = page.evaluate("window.crmkgYasgui.getTab().getYasqe().getCursor()")
    assert (cursor["line"] + 1, cursor["ch"] + 1) == (line, column)


def test_a_service_query_shows_the_403_message_in_english(page, guard, live_server):
    status, text = endpoint_refusal(live_server.url, SERVICE)
    assert status == 403
    open_page(page, "en")
    run_failing(page, guard, SERVICE, 403)
    error = page.locator(ERROR)
    expect(error.locator(".query-error-message")).to_have_text(_server_message(text))
    expect(error.locator(".query-error-status")).to_contain_text("403")
    expect(error.locator(".query-error-text")).to_have_count(0)  # no French on the English page


def test_a_service_query_shows_the_403_message_in_french(page, guard, live_server):
    _, text = endpoint_refusal(live_server.url, SERVICE)
    open_page(page, "fr")
    run_failing(page, guard, SERVICE, 403)
    error = page.locator(ERROR)
    # ours, so said in French, with the server's words kept beside it (marked English)
    expect(error.locator(".query-error-text")).to_contain_text("SERVICE")
    expect(error.locator(".query-error-text")).to_contain_text("désactivées")
    message = error.locator(".query-error-message")
    expect(message).to_have_text(_server_message(text))
    expect(message).to_have_attribute("lang", "en")


def test_results_link_to_our_pages_and_show_numbers(page, live_server, vocabulary):
    expected = endpoint_json(live_server.url, CONCEPTS_AND_COUNTS)["results"]["bindings"]
    assert len(expected) >= 3
    open_page(page, "fr")
    run_select(page, CONCEPTS_AND_COUNTS)
    rows = page.locator(ROWS)
    expect(rows).to_have_count(len(expected))
    ids = set(vocabulary.concepts)
    for index, binding in enumerate(expected):
        cells = rows.nth(index).locator("td")
        # the concept: a link to its page here, in the same tab, its IRI written whole
        concept = binding["concept"]["value"]
        local = concept.rsplit("/", 1)[1]
        assert local in ids
        link = cells.nth(1).locator("a")
        expect(link).to_have_attribute("href", f"/concept/{local}")
        expect(link).not_to_have_attribute("target", "_blank")
        expect(link).to_have_text(concept)
        # the count: a number, not "5"^^xsd:integer
        count = int(binding["count"]["value"])
        expect(cells.nth(2)).to_have_text(f"{count:,}".replace(",", "\u202f"))
        # a source: a page here when the store describes it; a type from elsewhere: marked
        for column, name in ((3, "cited"), (4, "type")):
            _check_other_iri(cells.nth(column), binding[name]["value"], live_server.url)


def _check_other_iri(cell, uri: str, base: str) -> None:
    described = endpoint_json(base, f"ASK {{ <{uri}> ?p ?o }}")["boolean"]
    link = cell.locator("a")
    if described:
        expect(link).to_have_attribute("href", f"/entity?uri={quote(uri, safe='')}")
        expect(link).not_to_have_class("iri external")
    else:
        expect(link).to_have_attribute("href", uri)
        expect(link).to_have_class("iri external")
        expect(link.locator(".visually-hidden")).to_have_text("(site extérieur)")
    expect(link).not_to_have_attribute("target", "_blank")


def test_a_clicked_result_opens_our_page_in_the_same_tab(page):
    open_page(page, "en")
    run_select(page, CONCEPTS_AND_COUNTS)
    link = page.locator(ROWS).first.locator("td a").first
    href = link.get_attribute("href")
    with page.expect_navigation():
        link.click()
    assert urlsplit(page.url).path == href
    assert len(page.context.pages) == 1


def test_a_share_link_restores_its_query_and_runs_it(page):
    query = SKOS + "SELECT ?concept ?label WHERE { ?concept skos:prefLabel ?label } LIMIT 4"
    open_page(page, "en", "#query=" + quote(query, safe=""))
    expect(page.locator(ROWS)).to_have_count(4)  # run as it opens
    assert page.evaluate(EDITOR_QUERY) == query
    # the fragment is read once: a reload opens the query as edited since
    assert urlsplit(page.url).fragment == ""
    # and the page's own share button gives a link to the same query
    share = page.locator(".share-query")
    expect(share).to_be_visible()
    link = share.get_attribute("data-copy")
    assert link.split("#query=", 1)[1] == quote(query, safe="")


def test_the_results_page_opens_its_query_in_the_editor(page):
    query = SKOS + "SELECT ?concept WHERE { ?concept skos:prefLabel ?label } LIMIT 3"
    page.goto("/sparql?format=html&query=" + quote(query, safe=""))
    with page.expect_navigation():
        page.locator(".results-actions a.button").first.click()
    expect(page.locator("#yasgui .CodeMirror")).to_be_visible()
    expect(page.locator(ROWS)).to_have_count(3)
    assert page.evaluate(EDITOR_QUERY) == query


def test_a_reload_restores_the_last_query(page):
    open_page(page, "fr")
    query = SKOS + "SELECT ?concept WHERE { ?concept skos:broader ?wider } # kept"
    page.evaluate("q => { window.crmkgYasgui.getTab().getYasqe().setValue(q); }", query)
    page.wait_for_function("q => localStorage.getItem('crmkg.sparql.query') === q", arg=query)
    page.reload()
    expect(page.locator("#yasgui .CodeMirror")).to_be_visible()
    assert page.evaluate(EDITOR_QUERY) == query
    expect(page.locator(ROWS)).to_have_count(0)  # given back, not run


def test_the_french_page_speaks_french(page):
    open_page(page, "fr")
    run_select(page, CONCEPTS_AND_COUNTS)
    yasr = page.locator("#yasgui .yasr")
    expect(yasr.locator(".select_table")).to_contain_text("Tableau")
    expect(yasr.locator(".select_response")).to_contain_text("Réponse brute")
    expect(yasr.locator(".yasr_response_chip")).to_contain_text("résultat")
    expect(yasr.locator("input.tableFilter")).to_have_attribute("placeholder",
                                                               "Filtrer les résultats")
    expect(yasr.locator("label[for=yasr-page-size]")).to_have_text("Lignes par page :")
    expect(yasr.locator(".dt-info")).to_contain_text("Lignes 1 à")
    expect(page.locator("#yasgui .yasqe_queryButton")).to_have_attribute(
        "title", "Exécuter la requête")
    english = page.locator("#yasgui").inner_text()
    for word in ("Showing", "entries", "Filter query", "Simple view", "Page size"):
        assert word not in english, f"{word!r} left in English on the French page"
    # the editor's own check of a line, on its mark's tooltip
    page.evaluate("q => { window.crmkgYasgui.getTab().getYasqe().setValue(q); }", SYNTAX_ERROR)
    page.locator("#yasgui .parseErrorIcon").hover()
    expect(page.locator("#yasgui .yasqe_tooltip")).to_contain_text("Ligne incorrecte. Attendu :")


def test_the_english_page_keeps_english(page):
    open_page(page, "en")
    run_select(page, CONCEPTS_AND_COUNTS)
    yasr = page.locator("#yasgui .yasr")
    expect(yasr.locator(".select_table")).to_contain_text("Table")
    expect(yasr.locator("label[for=yasr-page-size]")).to_have_text("Rows per page:")
    assert "Tableau" not in page.locator("#yasgui").inner_text()


#: values of every kind the two pages write: numbers, booleans, dates, other datatypes,
#: labels with a language, plain strings, our IRIs and others
TYPED = ("PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
         "SELECT ?value WHERE { VALUES ?value { 1 -1234567 3.25 2.5E3 true "
         '"2024-03-05"^^xsd:date "2024-03-05T14:30:00Z"^^xsd:dateTime "1999"^^xsd:gYear '
         '"chat"@fr "plain" <https://w3id.org/crmkg/id/lead> '
         "<http://www.w3.org/2004/02/skos/core#Concept> } }")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_editor_and_the_results_page_show_the_same_values(page, live_server, lang):
    """sparql-values.js (the editor) and sparql_cells.py (the results page) are one set of
    rules written twice: the same query reads the same on both."""
    open_page(page, lang)
    run_select(page, TYPED)
    in_editor = [_markup(cell) for cell in page.locator(ROWS + " td:nth-child(2) > div").all()]
    page.goto(f"/sparql?format=html&lang={lang}&query=" + quote(TYPED, safe=""))
    on_page = [_markup(cell) for cell in page.locator("table.results tbody td").all()]
    assert in_editor == on_page
    assert len(on_page) == len(endpoint_json(live_server.url, TYPED)["results"]["bindings"])
    assert not any("^^" in text for text, _ in on_page)


def _markup(cell) -> tuple[str, list[tuple[str, str | None, str | None]]]:
    """A cell's text and its parts: (class, href, title) of each element in it."""
    parts = cell.evaluate("""cell => [...cell.querySelectorAll("*")].map(
        e => [e.className, e.getAttribute("href"), e.getAttribute("title")])""")
    return " ".join(cell.inner_text().split()), [tuple(part) for part in parts]


def test_values_are_written_as_text_never_as_markup(page):
    payload = '<img src=x onerror="window.__xss=1">&amp;"\''
    query = ('SELECT ?value ?typed ?tagged WHERE { BIND("%s" AS ?value) '
             'BIND(STRDT("%s", <http://example.org/%%22%%3E%%3Cb%%3E>) AS ?typed) '
             'BIND(STRLANG("%s", "fr") AS ?tagged) }') % ((payload.replace('"', '\\"'),) * 3)
    open_page(page, "en")
    run_select(page, query)
    cells = page.locator(ROWS + " td .value")
    expect(cells).to_have_count(3)
    assert cells.all_inner_texts() == [payload] * 3
    assert page.locator("#yasgui img, #yasgui b").count() == 0
    assert page.evaluate("typeof window.__xss") == "undefined"


def test_the_share_button_copies_a_link_that_opens_the_query(new_page, live_server):
    page = new_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"],
                                   origin=live_server.url)
    open_page(page, "fr")
    query = SKOS + 'SELECT ?label WHERE { ?c skos:prefLabel ?label FILTER(LANG(?label) = "fr") }'
    page.evaluate("q => { window.crmkgYasgui.getTab().getYasqe().setValue(q); }", query)
    share = page.locator(".share-query")
    expect(share).to_have_attribute("data-copy", re.compile(re.escape("#query=")))
    page.wait_for_function("q => document.querySelector('.share-query').dataset.copy"
                           ".endsWith(encodeURIComponent(q))", arg=query)
    share.click()
    expect(share).to_have_text("Copié !")
    link = page.evaluate("navigator.clipboard.readText()")
    other = new_page()
    other.goto(link)
    expect(other.locator(ROWS).first).to_be_visible()
    assert other.evaluate(EDITOR_QUERY) == query


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_query_too_long_says_how_long_it_may_be(page, guard, live_server, app, lang):
    limit = int(app.config["SPARQL_MAX_QUERY_LENGTH"])
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 1\n#" + "x" * limit
    status, text = endpoint_refusal(live_server.url, query)
    assert status == 413
    open_page(page, lang)
    run_failing(page, guard, query, 413)
    error = page.locator(ERROR)
    expect(error.locator(".query-error-message")).to_have_text(_server_message(text))
    if lang == "fr":  # our message, in French, with the figures in French
        expect(error.locator(".query-error-text")).to_contain_text(
            f"{limit:,}".replace(",", "\u202f"))
        expect(error.locator(".query-error-text")).to_contain_text(
            f"{len(query):,}".replace(",", "\u202f"))

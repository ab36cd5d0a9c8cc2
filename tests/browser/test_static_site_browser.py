"""The static site in Chromium, opened from disk (file://) and from a plain static server.

Each test runs under the guard of every browser test (no request off 127.0.0.1 — and
here no request at all outside the site —, no console error, no page error).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.browser import MAP_READY, MAP_TIMEOUT_MS, expect

OPTIONS = "#site-search-list .autocomplete-option[role=option]"
QUERIES = ("mql", "qualifie", "SQL", "entonnoir", "fidélisation", "lead", "dsp", "nps",
           "churn", "données", "first party", "ambassadeur")


@pytest.fixture(scope="module")
def static_server(static_site) -> Iterator[str]:
    """``python -m http.server`` on 127.0.0.1 over the built site."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(static_site.folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(params=["file", "http"])
def site_root(request, static_site) -> str:
    if request.param == "file":
        return static_site.folder.as_uri() + "/"
    return request.getfixturevalue("static_server")


@pytest.fixture
def site_page(new_page, guard, site_root) -> Any:
    page = new_page(base_url=None)
    yield page
    outside = [url for url in guard.requests
               if not (url.startswith(site_root) or url.startswith(("data:", "blob:", "about:")))]
    assert outside == [], "the site asked for something outside its folder"


def test_a_concept_page_and_the_language_switch(site_page, site_root):
    site_page.goto(site_root + "concept/mql.html")
    expect(site_page.locator("h1")).to_contain_text("lead qualifié marketing")
    site_page.get_by_role("link", name="EN", exact=True).click()
    site_page.wait_for_url(site_root + "en/concept/mql.html")
    expect(site_page.locator("h1")).to_contain_text("marketing qualified lead")
    assert site_page.evaluate("document.documentElement.lang") == "en"
    site_page.get_by_role("link", name="FR", exact=True).click()
    site_page.wait_for_url(site_root + "concept/mql.html")


def test_autocomplete_finds_a_term_by_its_acronym_without_accents(site_page, site_root):
    site_page.goto(site_root + "index.html")
    site_page.locator("#site-search").fill("qualifie")
    expect(site_page.locator(OPTIONS).first).to_be_visible()
    labels = site_page.locator(OPTIONS).all_inner_texts()
    assert any("lead qualifié marketing" in label for label in labels)
    site_page.goto(site_root + "index.html")
    site_page.locator("#site-search").fill("mql")
    expect(site_page.locator(OPTIONS).first).to_contain_text("lead qualifié marketing")
    site_page.keyboard.press("ArrowDown")
    site_page.keyboard.press("Enter")
    site_page.wait_for_url(site_root + "concept/mql.html")


def test_the_search_page_lists_what_the_server_would(site_page, site_root, client):
    for query in QUERIES[:4]:
        site_page.goto(site_root + "search.html?q=" + query)
        shown = site_page.locator("ol.results > li > a").all_inner_texts()
        served = client.get(f"/search.json?q={query}&lang=fr").get_json()["results"]
        assert shown == [r["label"] for r in served], query


def test_the_pages_fold_and_rank_as_the_server_does(site_page, site_root, client):
    site_page.goto(site_root + "en/index.html")
    for query in QUERIES:
        local = site_page.evaluate(
            "q => window.crmkgLocalSearch(q, 20).then(d => d.results.map(r => r.matched))",
            query)
        served = client.get(f"/search.json?q={query}&limit=20&lang=en").get_json()["results"]
        assert local == [r["matched"] for r in served], query
    samples = client.get("/index.json?letter=all&lang=fr").get_json()["entries"]
    labels = [e["label"] for e in samples] + ["Œuvre d’art — ÉTÉ", "straße", "e-CRM", "x_y"]
    folded = site_page.evaluate("labels => labels.map(window.crmkgFold)", labels)
    from graph.text import fold_search

    assert folded == [fold_search(label) for label in labels]


def test_the_map_is_drawn_from_its_precomputed_layout(site_page, site_root):
    site_page.goto(site_root + "map.html")
    site_page.wait_for_selector(MAP_READY, timeout=MAP_TIMEOUT_MS)
    nodes = site_page.evaluate("document.querySelector('#concept-map').dataset.nodes")
    assert nodes and int(nodes) > 100


def test_the_sparql_link_says_a_server_is_needed(site_page, site_root):
    site_page.goto(site_root + "index.html")
    site_page.get_by_role("link", name="SPARQL").first.click()
    expect(site_page.locator("main")).to_contain_text("crmkg serve")


def test_the_search_index_is_loaded_as_a_script(site_page, site_root):
    site_page.goto(site_root + "index.html")
    count = site_page.evaluate("window.CRMKG_SEARCH.labels.length")
    assert count > 300
    assert json.dumps(site_page.evaluate("window.CRMKG_SEARCH.concepts[0]"))


def test_the_quiz_asks_and_checks_in_the_page(site_page, site_root):
    site_page.goto(site_root + "index.html")
    site_page.get_by_role("link", name="Quiz").first.click()
    site_page.wait_for_url(site_root + "quiz.html")
    expect(site_page.locator(".quiz-score strong")).to_have_text("0 / 0")
    prompt = site_page.locator(".quiz-prompt").inner_text()
    quiz = site_page.evaluate("window.CRMKG_QUIZ.definition")
    asked = next(q for q in quiz if q["prompt"] == prompt)
    site_page.locator("input[name=choice]").nth(asked["answer"]).check()
    site_page.locator("form.quiz-question button[type=submit]").click()
    expect(site_page.locator(".quiz-feedback")).to_contain_text("Bonne réponse")
    expect(site_page.locator(".quiz-score strong")).to_have_text("1 / 1")
    answer = asked["choices"][asked["answer"]]["concept"]
    expect(site_page.locator(".quiz-feedback a")).to_have_text(answer["label"])
    site_page.locator("form.quiz-question button[type=submit]").click()  # next question
    expect(site_page.locator(".quiz-feedback")).to_be_hidden()
    # the score stays for the tab, from page to page
    site_page.goto(site_root + "quiz--mode-term.html")
    expect(site_page.locator(".quiz-score strong")).to_have_text("1 / 1")


def test_the_quiz_asks_what_the_servers_quiz_asks(site_page, site_root, client):
    site_page.goto(site_root + "en/quiz.html")
    quiz = site_page.evaluate("window.CRMKG_QUIZ")
    for mode in ("definition", "term"):
        for asked in quiz[mode][:5]:
            served = client.get(f"/quiz.json?mode={mode}&seed={asked['seed']}&lang=en")
            question = served.get_json()
            assert question["prompt"] == asked["prompt"]
            assert [c["text"] for c in question["choices"]] == \
                [c["text"] for c in asked["choices"]]


@pytest.mark.parametrize("path", ["index.html", "map.html", "quiz.html", "site/sparql.html",
                                  "en/concept/mql.html", "search.html?q=lead"])
def test_no_axe_violation_on_the_static_pages(new_page, static_server, path):
    from tests.support.axe import axe_violations

    for viewport in ({"width": 1366, "height": 900}, {"width": 390, "height": 844}):
        page = new_page(base_url=None, viewport=viewport, bypass_csp=True)
        page.goto(static_server + path)
        if path == "map.html":
            page.wait_for_selector(MAP_READY, timeout=MAP_TIMEOUT_MS)
        assert axe_violations(page) == [], (path, viewport)

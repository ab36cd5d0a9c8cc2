"""The smaller holes of the security review (issue 15, findings 2 to 8), each kept shut.

Resource exhaustion (an HTML table built in the web process, a deck cache bypassed at
will, a huge body buffered to disk, slow clients holding every connection), and the
web's usual traps (cross-site POSTs, a replayable quiz, a reflected Host header).
"""

from __future__ import annotations

import re

# --- 2. HTML results are capped, the rest is a download ------------------------------------

MANY_ROWS = "SELECT ?a ?b WHERE { ?a ?p ?x . ?b ?q ?y } LIMIT 5000"


def test_an_html_table_shows_at_most_a_thousand_rows(client):
    from webapp.views.sparql import HTML_MAX_ROWS

    response = client.get("/sparql", query_string={"query": MANY_ROWS},
                          headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert page.count("<tr>") == HTML_MAX_ROWS + 1  # the header row, then the rows
    assert f"first {HTML_MAX_ROWS}" in page or f"{HTML_MAX_ROWS} premières" in page
    for name in ("json", "csv", "tsv"):
        assert f'name="format" value="{name}"' in page


def test_the_download_gives_every_row(client):
    response = client.post("/sparql", data={"query": MANY_ROWS, "format": "csv"})
    assert response.status_code == 200
    assert len(response.get_data(as_text=True).splitlines()) == 1 + 5000


def test_a_short_answer_is_shown_whole(client):
    response = client.get("/sparql", query_string={
        "query": "SELECT ?c WHERE { ?c a <http://www.w3.org/2004/02/skos/core#Concept> } "
                 "LIMIT 7", "format": "html"})
    page = response.get_data(as_text=True)
    assert page.count("<tr>") == 8 and not re.search(r"first \d+ rows", page)


# --- 3. the deck cache cannot be bypassed, one heavy build at a time ---------------------

def test_a_deck_is_cached_by_its_selection_not_by_how_it_is_asked(app, client):
    decks = app.extensions.setdefault("crmkg.decks", {})
    decks.clear()
    first = client.get("/slides.pptx?lang=en&collection=funnel-stages&collection=nps-scale")
    assert first.status_code == 200
    for query in ("collection=nps-scale&collection=funnel-stages",
                  "collection=funnel-stages&collection=nps-scale&collection=funnel-stages",
                  "collection=nps-scale,funnel-stages,nps-scale"):
        again = client.get(f"/slides.pptx?lang=en&{query}")
        assert again.status_code == 200 and again.data == first.data
    assert len(decks) == 1
    assert client.get("/slides.pptx?lang=en&collection=no-such").status_code == 400
    assert len(decks) == 1


def test_a_second_heavy_build_waits_its_turn_then_is_sent_away(app, client):
    """While a deck (or a PNG) is being built, another build is not started beside it."""
    from webapp.pages import heavy_build

    app.extensions.setdefault("crmkg.decks", {}).clear()
    app.extensions.setdefault("crmkg.collection-drawings", {}).clear()
    with app.test_request_context(), heavy_build():  # a build in progress
        deck = client.get("/slides.pptx?lang=fr&collection=sales-cycle-steps")
        png = client.get("/collection/nps-scale.png")
    for response in (deck, png):
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "5"
    assert client.get("/slides.pptx?lang=fr&collection=sales-cycle-steps").status_code == 200

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

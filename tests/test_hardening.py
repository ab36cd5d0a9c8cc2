"""The smaller holes of the security review (issue 15, findings 2 to 8), each kept shut.

Resource exhaustion (an HTML table built in the web process, a deck cache bypassed at
will, a huge body buffered to disk, slow clients holding every connection), and the
web's usual traps (cross-site POSTs, a replayable quiz, a reflected Host header).
"""

from __future__ import annotations

import re

import pytest

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
    app_state = app.extensions["crmkg"]
    app_state.forget("deck")
    first = client.get("/slides.pptx?lang=en&collection=funnel-stages&collection=nps-scale")
    assert first.status_code == 200
    for query in ("collection=nps-scale&collection=funnel-stages",
                  "collection=funnel-stages&collection=nps-scale&collection=funnel-stages",
                  "collection=nps-scale,funnel-stages,nps-scale"):
        again = client.get(f"/slides.pptx?lang=en&{query}")
        assert again.status_code == 200 and again.data == first.data
    assert len(app_state.kept("deck")) == 1
    assert client.get("/slides.pptx?lang=en&collection=no-such").status_code == 400
    assert len(app_state.kept("deck")) == 1


@pytest.mark.slow  # waits for the build slot, twice
def test_a_second_heavy_build_waits_its_turn_then_is_sent_away(app, client):
    """While a deck (or a PNG) is being built, another build is not started beside it."""
    from webapp.pages import heavy_build

    app.extensions["crmkg"].forget("deck")
    app.extensions["crmkg"].forget("collection-png")
    with app.test_request_context(), heavy_build():  # a build in progress
        deck = client.get("/slides.pptx?lang=fr&collection=sales-cycle-steps")
        png = client.get("/collection/nps-scale.png")
    for response in (deck, png):
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "5"
    assert client.get("/slides.pptx?lang=fr&collection=sales-cycle-steps").status_code == 200


# --- 4 and 5. the production server's limits: body size, slow clients -------------------

def _raw_exchange(url: str, data: bytes, wait: float) -> bytes | None:
    """Send bytes on one connection, then read until the server closes it (None: it did
    not within ``wait`` seconds)."""
    import socket

    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=wait) as connection:
        connection.sendall(data)
        received = b""
        try:
            while chunk := connection.recv(65536):
                received += chunk
        except TimeoutError:
            return None
        return received


def test_a_huge_body_is_refused_before_it_is_sent(app, live_server):
    """A 300 MB POST was written to a temporary file before Flask refused it."""
    head = (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/sparql-query\r\n"
            b"Content-Length: 300000000\r\n\r\nASK {}\n")
    answer = _raw_exchange(live_server.url, head, wait=5) or b""
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"X-Content-Type-Options: nosniff" in answer  # our headers, on waitress's answer


def test_the_server_limits_are_settings_given_to_waitress(app):
    from webapp.serving import waitress_options

    options = waitress_options(app.config)
    assert options["max_request_body_size"] == 2 * app.config["MAX_CONTENT_LENGTH"]
    assert options["connection_limit"] == app.config["SERVER_CONNECTION_LIMIT"] == 500
    assert options["channel_timeout"] == app.config["SERVER_CHANNEL_TIMEOUT"] == 30.0


def test_a_slow_client_is_dropped_after_the_channel_timeout():
    """A client that sends half a request and waits is closed, not kept for two minutes."""
    from tests.support.servers import LiveServer
    from webapp import create_app

    application = create_app({"TESTING": True, "SERVER_CHANNEL_TIMEOUT": 1.0,
                              "SPARQL_WORKERS": 1})
    server = LiveServer(application)
    try:
        answer = _raw_exchange(server.url, b"GET /-/health HTTP/1.1\r\nHost: x", wait=8)
        assert answer == b""  # closed by the server, with nothing said, well before 8 s
    finally:
        server.stop()
        application.extensions["crmkg"].engine.close()


# --- 6. the session cookie stays home, and so do the quiz's POSTs -----------------------

def test_the_session_cookie_is_same_site(client):
    response = client.get("/quiz")
    cookie = response.headers["Set-Cookie"]
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie
    assert "Secure" not in cookie  # plain HTTP in a training room, unless told otherwise


def test_the_secure_flag_is_a_setting():
    from webapp import create_app

    application = create_app({"TESTING": True, "SESSION_COOKIE_SECURE": True,
                              "SPARQL_WORKERS": 1})
    try:
        cookie = application.test_client().get("/quiz").headers["Set-Cookie"]
        assert "Secure" in cookie and "SameSite=Lax" in cookie
    finally:
        application.extensions["crmkg"].engine.close()


def test_a_cross_site_post_is_refused(client):
    client.get("/quiz")
    for origin in ("https://evil.example", "http://localhost.evil.example", "null"):
        response = client.post("/quiz/reset", headers={"Origin": origin})
        assert response.status_code == 403, origin
    # the learner's own pages, and clients that send no Origin, still work
    assert client.post("/quiz/reset", headers={"Origin": "http://localhost"}).status_code == 303
    assert client.post("/quiz/reset").status_code == 303


def test_the_sparql_endpoint_still_takes_posts_from_anywhere(client):
    response = client.post("/sparql", data={"query": "ASK {}"},
                           headers={"Origin": "https://elsewhere.example"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] in ("*", "https://elsewhere.example")


# --- 7. a quiz answer counts once ----------------------------------------------------------

def _pending_token(client) -> str:
    page = client.get("/quiz.json?mode=definition&lang=en").get_json()
    return page["token"]


def test_an_old_cookie_cannot_answer_again(app):
    client = app.test_client()
    token = _pending_token(client)
    before = client.get_cookie("session").value  # the cookie with the question pending
    first = client.post("/quiz/answer.json", data={"token": token, "choice": "0"})
    assert first.status_code == 200
    assert first.get_json()["score"]["answered"] == 1
    for choice in ("1", "2", "3"):  # the old cookie again, with each other choice
        client.set_cookie("session", before)
        again = client.post("/quiz/answer.json", data={"token": token, "choice": choice})
        assert again.status_code == 409, again.get_json()
        assert again.get_json()["score"]["answered"] == 0


def test_the_same_form_sent_twice_shows_the_same_result_once(app):
    client = app.test_client()
    token = _pending_token(client)
    first = client.post("/quiz/answer.json", data={"token": token, "choice": "2"}).get_json()
    second = client.post("/quiz/answer.json", data={"token": token, "choice": "2"}).get_json()
    assert first == second and second["score"]["answered"] == 1


# --- 8. no answer depends on the Host header; PUBLIC_URL names the app -------------------

FORGED = "evil.example"


def test_a_forged_host_changes_nothing_that_is_sent(app):
    """Every route, answered for a forged Host and for the real one: the same bytes."""
    from tests.support.routes import every_url

    client = app.test_client()
    concept_ids = ["mql", "sql", "dsp", "funnel"]
    collections = ["funnel-stages", "nps-scale"]
    for url in every_url(app, concept_ids, collections) + [
            "/sparql?query=" + "SELECT%20(%3Cx%3E%20AS%20%3Fb)%20%7B%7D"]:
        if url.startswith(("/quiz", "/slides")):
            continue  # a fresh question (random) or a dated deck: compared below
        honest = client.get(url, headers={"Host": "localhost"})
        forged = client.get(url, headers={"Host": FORGED})
        assert FORGED.encode() not in forged.data, url
        assert FORGED not in str(forged.headers), url
        assert forged.status_code == honest.status_code, url
    for url in ("/quiz", "/quiz.json", "/-/about"):
        response = client.get(url, headers={"Host": FORGED})
        assert FORGED.encode() not in response.data, url
        assert FORGED not in str(response.headers), url


def test_without_public_url_the_queries_resolve_against_the_base_uri(app, client):
    response = client.get("/sparql", query_string={"query": "SELECT (<x> AS ?b) {}"},
                          headers={"Host": FORGED})
    value = response.get_json()["results"]["bindings"][0]["b"]["value"]
    assert value == app.extensions["crmkg"].base_uri + "x"


def test_the_service_description_without_public_url_has_no_host(client):
    from rdflib import Graph, Namespace, URIRef

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    response = client.get("/sparql", headers={"Host": FORGED, "Accept": "text/turtle"})
    assert FORGED.encode() not in response.data
    graph = Graph().parse(data=response.data, format="turtle",
                          publicID="http://where-it-was-fetched/sparql")
    here = URIRef("http://where-it-was-fetched/sparql")
    assert (here, sd.endpoint, here) in graph
    # N-Triples has no relative IRIs: offered only with PUBLIC_URL
    assert client.get("/sparql", headers={"Accept": "application/n-triples"}).status_code == 406


def test_public_url_names_the_endpoint_everywhere():
    from rdflib import Graph, Namespace, URIRef

    from webapp import create_app

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    application = create_app({"TESTING": True, "PUBLIC_URL": "https://vocab.example.org",
                              "SPARQL_WORKERS": 1})
    try:
        client = application.test_client()
        endpoint = "https://vocab.example.org/sparql"
        for accept, fmt in (("text/turtle", "turtle"), ("application/n-triples", "nt")):
            response = client.get("/sparql", headers={"Host": FORGED, "Accept": accept})
            graph = Graph().parse(data=response.data, format=fmt)
            assert (URIRef(endpoint), sd.endpoint, URIRef(endpoint)) in graph
        page = client.get("/sparql", headers={"Host": FORGED, "Accept": "text/html"})
        assert endpoint in page.get_data(as_text=True)
        bound = client.get("/sparql", query_string={"query": "SELECT (<x> AS ?b) {}"})
        assert bound.get_json()["results"]["bindings"][0]["b"]["value"] == \
            "https://vocab.example.org/x"
        assert client.post("/quiz/reset", headers={
            "Origin": "https://vocab.example.org"}).status_code == 303
        assert client.post("/quiz/reset", headers={
            "Origin": "http://localhost"}).status_code == 403
    finally:
        application.extensions["crmkg"].engine.close()


def test_public_url_must_be_a_plain_address():
    import pytest

    from webapp import create_app

    for bad in ("https://user:secret@vocab.example.org", "javascript:alert(1)",
                "https://vocab.example.org/?q=1", "https://vocab.example.org/a>b"):
        with pytest.raises(ValueError, match="PUBLIC_URL"):
            create_app({"TESTING": True, "PUBLIC_URL": bad})

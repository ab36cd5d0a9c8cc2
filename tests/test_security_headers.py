"""Security headers on every response: pages, JSON, downloads, static files, errors.

Every rule of ``app.url_map`` is requested with real parameters, by GET, HEAD and
OPTIONS, and so are every static file and every error status the app gives (400,
403, 404, 405, 406, 413, 415, 503). Each response must carry a Content-Security-Policy
that names no outside source, ``X-Content-Type-Options: nosniff`` and a
``Referrer-Policy``. Then the same through a real waitress server, including the
errors waitress answers itself, before the app sees the request (a malformed request
line, a header too large, a body too large).
"""

from __future__ import annotations

import socket
import time
import urllib.parse
from pathlib import Path

import pytest

from tests.support.servers import LiveServer

STATIC = Path(__file__).resolve().parent.parent / "webapp" / "static"
#: the only sources a directive may name
ALLOWED_SOURCES = {"'self'", "'none'"}
#: exceptions, directive → sources also allowed there
ALSO_ALLOWED = {"img-src": {"data:"}, "style-src": {"'unsafe-inline'"}}
REQUIRED = {"default-src": {"'self'"}, "object-src": {"'none'"}, "base-uri": {"'none'"},
            "frame-ancestors": {"'none'"}, "form-action": {"'self'"}, "script-src": {"'self'"}}


def check_csp(policy: str | None, where: str) -> dict[str, list[str]]:
    assert policy, f"{where}: no Content-Security-Policy"
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    for name, sources in directives.items():
        for source in sources:
            assert source in ALLOWED_SOURCES | ALSO_ALLOWED.get(name, set()), \
                f"{where}: {name} allows {source}"
            assert not source.startswith(("http:", "https:", "*", "ws:", "wss:")), where
    for name, wanted in REQUIRED.items():
        assert set(directives.get(name, [])) == wanted, f"{where}: {name} {directives.get(name)}"
    assert "'unsafe-eval'" not in policy
    return directives


def check_headers(headers, where: str) -> None:
    check_csp(headers.get("Content-Security-Policy"), where)
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "same-origin", where
    assert headers.get("X-Frame-Options") == "DENY", where


def static_files() -> list[str]:
    return sorted("/static/" + path.relative_to(STATIC).as_posix()
                  for path in STATIC.rglob("*") if path.is_file())


SELECT = "SELECT ?c WHERE { ?c a <http://www.w3.org/2004/02/skos/core#Concept> } LIMIT 3"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"


def route_urls(app) -> list[str]:
    """Real URLs for every rule of the app (static files aside: see static_files)."""
    by_rule = {
        "/sparql": ["/sparql", "/sparql?query=" + urllib.parse.quote(SELECT),
                    "/sparql?format=csv&query=" + urllib.parse.quote(SELECT),
                    "/sparql?format=html&query=" + urllib.parse.quote(SELECT),
                    "/sparql?query=" + urllib.parse.quote(CONSTRUCT)],
        "/id/<concept_id>": ["/id/mql"],
        "/concept/<concept_id>.<ext>": [f"/concept/mql.{e}" for e in
                                        ("json", "ttl", "rdf", "jsonld", "nt")],
        "/concept/<concept_id>": ["/concept/mql", "/concept/theme-leads"],
        "/entity": ["/entity?uri=" + urllib.parse.quote("https://w3id.org/crmkg/id/mql"),
                    "/entity?uri=" + urllib.parse.quote("https://w3id.org/crmkg/source/hubyup")],
        "/": ["/", "/?lang=en"], "/.json": ["/.json"],
        "/index": ["/index", "/index?letter=M"], "/index.json": ["/index.json?letter=M"],
        "/tree": ["/tree"], "/tree.json": ["/tree.json"],
        "/search": ["/search?q=mql"], "/search.json": ["/search.json?q=mql"],
        "/collection/<collection_id>": ["/collection/funnel-stages"],
        "/collection/<collection_id>.json": ["/collection/funnel-stages.json"],
        "/collection/<collection_id>.svg": ["/collection/funnel-stages.svg"],
        "/collection/<collection_id>.png": ["/collection/nps-scale.png"],
        "/map": ["/map", "/map?focus=mql&depth=1"], "/map.json": ["/map.json"],
        "/map/data.json": ["/map/data.json?focus=mql"],
        "/quiz": ["/quiz", "/quiz?seed=3&mode=term"], "/quiz.json": ["/quiz.json?seed=3"],
        "/quiz/answer": ["/quiz/answer"], "/quiz/answer.json": ["/quiz/answer.json"],
        "/quiz/reset": ["/quiz/reset"],
        "/slides.pptx": ["/slides.pptx?collection=nps-scale"],
        "/-/about": ["/-/about"], "/-/about.json": ["/-/about.json"], "/-/health": ["/-/health"],
    }
    rules = {rule.rule for rule in app.url_map.iter_rules()} - {"/static/<path:filename>"}
    # a route added since: requested as it is if it takes no parameter, else cover it here
    added = rules - set(by_rule)
    assert not [rule for rule in added if "<" in rule], ("cover the new routes here", added)
    return [url for rule, urls in by_rule.items() if rule in rules for url in urls] + \
        sorted(added)


@pytest.fixture(scope="module")
def limited_app():
    """Our app with small limits, so that 413 and 503 are easy to reach."""
    from webapp import create_app

    application = create_app({"TESTING": True, "SPARQL_WORKERS": 1, "SPARQL_TIMEOUT": 1.0,
                              "MAX_CONTENT_LENGTH": 2048})
    application.extensions["crmkg"].engine.start()
    yield application
    application.extensions["crmkg"].engine.close()


def test_every_route_by_every_method(limited_app):
    client = limited_app.test_client()
    checked = 0
    for url in route_urls(limited_app):
        for method in ("GET", "HEAD", "OPTIONS", "POST"):
            response = client.open(url, method=method)
            assert response.status_code < 500, (method, url, response.status_code)
            check_headers(response.headers, f"{method} {url} → {response.status_code}")
            checked += 1
        # and with an Accept header asking for JSON, and for something we cannot serve
        for accept in ("application/json", "image/gif"):
            response = client.get(url, headers={"Accept": accept})
            check_headers(response.headers, f"GET {url} (Accept: {accept})")
            checked += 1
    assert checked >= 250


def test_every_static_file(limited_app):
    client = limited_app.test_client()
    files = static_files()
    assert "/static/vendor/vis-network/vis-network.min.js" in files
    assert "/static/vendor/yasgui/yasgui.min.css" in files
    for url in files:
        for method in ("GET", "HEAD"):
            response = client.open(url, method=method)
            assert response.status_code == 200, url
            check_headers(response.headers, f"{method} {url}")
        response.close()
    check_headers(client.get("/static/nothing-here.js").headers, "missing static file")


FOREVER = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: status → a request that gives it
ERRORS = {
    400: ("GET", "/sparql?query=%7D", None, {}),
    403: ("GET", "/sparql?update=CLEAR%20ALL", None, {}),
    404: ("GET", "/no/such/page", None, {}),
    405: ("DELETE", "/concept/mql", None, {}),
    406: ("GET", "/sparql?format=klingon&query=ASK%7B%7D", None, {}),
    413: ("POST", "/sparql", b"query=" + b"x" * 4096, {
        "Content-Type": "application/x-www-form-urlencoded"}),
    415: ("POST", "/sparql", b"ASK {}", {"Content-Type": "text/klingon"}),
    503: ("GET", "/sparql?query=" + urllib.parse.quote(FOREVER), None, {}),
}


@pytest.mark.parametrize("status", sorted(ERRORS))
def test_error_responses(limited_app, status):
    method, url, body, headers = ERRORS[status]
    response = limited_app.test_client().open(url, method=method, data=body, headers=headers)
    assert response.status_code == status, response.get_data(as_text=True)[:200]
    check_headers(response.headers, f"{status}")
    assert "Traceback" not in response.get_data(as_text=True)


def test_a_server_error_has_the_headers_too(limited_app):
    """A 500 (an exception in a view) goes through the same after-request hook."""
    from flask import Flask

    from webapp.security import register_security_headers

    app = Flask("broken")
    app.config["CORS"] = False
    register_security_headers(app)

    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    check_headers(response.headers, "500")


def test_only_the_sparql_page_allows_inline_styles(limited_app):
    client = limited_app.test_client()
    page = check_csp(client.get("/sparql", headers={"Accept": "text/html"}).headers[
        "Content-Security-Policy"], "/sparql")
    assert page["style-src"] == ["'self'", "'unsafe-inline'"]
    for url in ("/", "/concept/mql", "/map", "/sparql?query=ASK%7B%7D"):
        directives = check_csp(client.get(url).headers["Content-Security-Policy"], url)
        assert directives["style-src"] == ["'self'"], url


# --- through waitress, with the errors waitress gives itself --------------------------------

@pytest.fixture(scope="module")
def waitress_server(limited_app):
    server = LiveServer(limited_app)
    yield server
    server.stop()


def raw_exchange(port: int, request: bytes, timeout: float = 5.0) -> tuple[int, dict[str, str]]:
    """Send bytes as they are; the status and headers of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(request)
        received = b""
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in received and time.monotonic() < deadline:
            chunk = connection.recv(65536)
            if not chunk:
                break
            received += chunk
    head = received.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    lines = head.split("\r\n")
    assert lines and lines[0].startswith("HTTP/1."), received[:200]
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().title()] = value.strip()
    return int(lines[0].split()[1]), headers


class Headers(dict):
    """Case-insensitive enough for check_headers (names as str.title() gives them)."""

    def get(self, name, default=None):
        return super().get(name.title(), default)


#: requests that waitress answers itself, and what it answers
WAITRESS_ERRORS = {
    "malformed-request-line": (b"GARBAGE\r\n\r\n", 400),
    "bad-header-line": (b"GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n", 400),
    "header-too-large": (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 300_000 + b"\r\n\r\n",
                         431),
    "bad-content-length": (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
                           400),
    "bad-chunked": (b"POST /sparql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    b"zz\r\n", 400),
    "unsupported-transfer-encoding": (b"POST /sparql HTTP/1.1\r\nHost: x\r\n"
                                      b"Transfer-Encoding: gzip\r\n\r\n", 501),
}


@pytest.mark.parametrize("case", list(WAITRESS_ERRORS), ids=str)
def test_errors_waitress_gives_itself_carry_the_headers(waitress_server, case):
    request, expected = WAITRESS_ERRORS[case]
    status, headers = raw_exchange(waitress_server.port, request)
    assert status == expected, (case, status, headers)
    check_headers(Headers(headers), f"waitress {case} → {status}")


def test_pages_through_waitress(waitress_server, limited_app):
    for url in ["/", "/concept/mql", "/static/app.js", "/no/such/page", "/sparql",
                *route_urls(limited_app)[:10]]:
        for method in (b"GET", b"HEAD", b"OPTIONS"):
            status, headers = raw_exchange(
                waitress_server.port,
                method + b" " + url.encode() + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            check_headers(Headers(headers), f"waitress {method.decode()} {url} → {status}")


def test_the_query_string_cannot_add_links_to_the_link_header(limited_app):
    """The JSON twin's Link header repeats the query string: raw "<", ">", '"' and
    spaces in it are percent-encoded, so it cannot close the URI and add a stylesheet."""
    client = limited_app.test_client()
    for raw in ('x>;rel=stylesheet,<//evil.example/x.css', 'x" onload="y', "x<y>z w"):
        response = client.get("/search?q=" + raw)
        assert response.status_code == 200
        link = response.headers["Link"]
        inside = link[link.index("<") + 1:link.index(">")]
        assert not set(inside) & set('<>" '), link
        assert link.count("<") == 1 and link.endswith('>; rel="alternate"; '
                                                      'type="application/json"'), link
        twin = client.get(inside)
        assert twin.status_code == 200 and twin.get_json()["q"] == raw

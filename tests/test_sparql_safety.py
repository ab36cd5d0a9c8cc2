"""The endpoint never reaches out, never writes, and stays up whatever it is sent.

A loopback "canary" listener stands for any server a query could make us
contact: every query that would make a naive endpoint connect to it must be
refused (or, for dataset parameters, answered without fetching), and the
canary must see no connection. Then the limits: time (a query that runs
forever is stopped, others are answered meanwhile, the worker is replaced),
rows, query length, body size; and odd inputs that must never give a 500.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest

from tests.canary import Canary
from tests.conftest import LiveServer

PASSWD = Path("/etc/passwd")
#: what would show that /etc/passwd was read
PASSWD_MARKERS = ["root:x:", "root:*:", "/bin/bash", "/usr/sbin/nologin", "daemon:"]


@pytest.fixture(scope="module")
def canary():
    listener = Canary()
    yield listener
    listener.close()


@pytest.fixture
def quiet_canary(canary):
    """The canary, checked to have seen nothing during the test."""
    canary.connections.clear()
    yield canary
    assert canary.seen() == [], "the endpoint connected to the canary"


@dataclass
class Reply:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def media_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip()


def fetch(url: str, *, method: str | None = None, data: bytes | None = None,
          headers: dict[str, str] | None = None, timeout: float = 15) -> Reply:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.headers, error.read())


def get(base: str, params: list[tuple[str, str]] | dict[str, str]) -> Reply:
    return fetch(base + "/sparql?" + urllib.parse.urlencode(params))


def post_form(base: str, params: list[tuple[str, str]] | dict[str, str]) -> Reply:
    return fetch(base + "/sparql", data=urllib.parse.urlencode(params).encode())


def post_body(base: str, body: str, content_type: str) -> Reply:
    return fetch(base + "/sparql", data=body.encode("utf-8"),
                 headers={"Content-Type": content_type})


def assert_no_file_content(reply: Reply) -> None:
    for marker in PASSWD_MARKERS:
        assert marker not in reply.text, f"{marker!r} in the response"


# --- the canary works, and a naive engine would reach it -----------------------------------

def test_the_canary_records_a_connection(canary):
    canary.connections.clear()
    with socket.create_connection(("127.0.0.1", canary.port), timeout=2) as connection:
        connection.sendall(b"hello")
    assert canary.seen() == [b"hello"]
    canary.connections.clear()


def test_pyoxigraph_alone_would_reach_the_canary(canary):
    """The premise: evaluated as is, SERVICE makes pyoxigraph connect."""
    import pyoxigraph

    canary.connections.clear()
    query = f"SELECT * WHERE {{ SERVICE SILENT <{canary.url}/sparql> {{ ?s ?p ?o }} }}"
    list(pyoxigraph.Store().query(query))
    seen = canary.seen()
    assert seen, "pyoxigraph did not connect: the SERVICE tests below prove nothing"
    assert seen[0].split(b" ")[:2] in ([b"GET", b"/sparql"], [b"POST", b"/sparql"]), seen
    canary.connections.clear()


def test_rdflib_alone_would_reach_the_canary(canary):
    """The premise for FROM: rdflib, querying a Dataset, fetches the graph FROM names."""
    import rdflib
    from rdflib.plugins import sparql

    canary.connections.clear()
    previous = sparql.SPARQL_LOAD_GRAPHS
    sparql.SPARQL_LOAD_GRAPHS = True
    try:
        query = f"SELECT * FROM <{canary.url}/g> WHERE {{ ?s ?p ?o }}"
        with contextlib.suppress(Exception):  # the canary answers nothing
            list(rdflib.Dataset().query(query))
    finally:
        sparql.SPARQL_LOAD_GRAPHS = previous
    assert canary.seen()
    canary.connections.clear()


# --- refused before evaluation ----------------------------------------------------------

#: id → (how it is sent, the query or update text with {canary}, expected status)
REACHING_OUT = {
    "service": ("query", "SELECT * WHERE {{ SERVICE <{canary}/sparql> {{ ?s ?p ?o }} }}"),
    "service-silent": ("query",
                       "SELECT * WHERE {{ SERVICE SILENT <{canary}/sparql> {{ ?s ?p ?o }} }}"),
    "service-lowercase": ("query",
                          "select * where {{ service silent <{canary}/sparql> {{ ?s ?p ?o }} }}"),
    "service-prefixed": ("query", "PREFIX c: <{canary}/>\n"
                                  "SELECT * WHERE {{ SERVICE c:sparql {{ ?s ?p ?o }} }}"),
    "service-variable": ("query", "SELECT * WHERE {{ VALUES ?e {{ <{canary}/sparql> }}\n"
                                  "  SERVICE SILENT ?e {{ ?s ?p ?o }} }}"),
    "service-no-space": ("query", "SELECT*{{FILTER(?x<1)SERVICE<{canary}/sparql>{{?s?p?o}}}}"),
    "service-in-ask": ("query", "ASK {{ SERVICE <{canary}/sparql> {{ ?s ?p ?o }} }}"),
    "service-in-construct": ("query", "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE "
                                      "<{canary}/sparql> {{ ?s ?p ?o }} }}"),
    "load-as-query": ("query", "LOAD <{canary}/x>"),
    "load-silent-as-query": ("query", "LOAD SILENT <{canary}/x> INTO GRAPH <http://g>"),
    "load-as-update-form": ("update-form", "LOAD <{canary}/x>"),
    "load-as-update-get": ("update-get", "LOAD <{canary}/x>"),
    "load-as-update-body": ("update-body", "LOAD <{canary}/x>"),
    "load-after-insert": ("update-body", "INSERT DATA {{ <http://a> <http://b> 1 }} ;\n"
                                         "LOAD <{canary}/x>"),
    "from": ("query", "SELECT * FROM <{canary}/g> WHERE {{ ?s ?p ?o }}"),
    "from-named": ("query", "SELECT * FROM NAMED <{canary}/g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"),
    "from-prefixed": ("query", "PREFIX c: <{canary}/>\nSELECT * FROM c:g WHERE {{ ?s ?p ?o }}"),
    "from-relative": ("query", "BASE <{canary}/>\nSELECT * FROM <g> WHERE {{ ?s ?p ?o }}"),
    "from-escaped": ("query", "SELECT * FROM <http\\u003A//127.0.0.1:{port}/g> "
                              "WHERE {{ ?s ?p ?o }}"),
    "from-in-ask": ("query", "ASK FROM <{canary}/g> {{ ?s ?p ?o }}"),
    "from-in-construct": ("query", "CONSTRUCT {{ ?s ?p ?o }} FROM <{canary}/g> "
                                   "WHERE {{ ?s ?p ?o }}"),
    "from-in-describe": ("query", "DESCRIBE ?s FROM <{canary}/g> WHERE {{ ?s ?p ?o }}"),
}

READING_FILES = {
    "from-file": ("query", "SELECT * FROM <file:///etc/passwd> WHERE {{ ?s ?p ?o }}"),
    "from-named-file": ("query", "SELECT * FROM NAMED <file:///etc/passwd> "
                                 "WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"),
    "from-file-uppercase": ("query", "SELECT * FROM <FILE:///etc/passwd> WHERE {{ ?s ?p ?o }}"),
    "from-file-escaped": ("query", "SELECT * FROM <file\\u003A///etc/passwd> "
                                   "WHERE {{ ?s ?p ?o }}"),
    "from-file-base": ("query", "BASE <file:///etc/>\nSELECT * FROM <passwd> WHERE {{ ?s ?p ?o }}"),
    "from-file-prefixed": ("query", "PREFIX etc: <file:///etc/>\n"
                                    "SELECT * FROM etc:passwd WHERE {{ ?s ?p ?o }}"),
    "load-file": ("update-body", "LOAD <file:///etc/passwd>"),
    "load-file-as-query": ("query", "LOAD <file:///etc/passwd>"),
}

UPDATES = {
    "insert-data": ("query", "INSERT DATA {{ <http://example.org/s> <http://example.org/p> 1 }}"),
    "insert-data-prefixed": ("query", "PREFIX ex: <http://example.org/>\n"
                                      "INSERT DATA {{ ex:s ex:p 1 }}"),
    "delete-where": ("query", "DELETE WHERE {{ ?s ?p ?o }}"),
    "with-delete-insert": ("query", "WITH <http://g> DELETE {{ ?s ?p ?o }} "
                                    "INSERT {{ ?s ?p 1 }} WHERE {{ ?s ?p ?o }}"),
    "clear-all": ("query", "CLEAR ALL"),
    "drop-all": ("query", "DROP ALL"),
    "update-form": ("update-form", "DELETE WHERE {{ ?s ?p ?o }}"),
    "update-get": ("update-get", "CLEAR ALL"),
    "update-body": ("update-body", "INSERT DATA {{ <http://example.org/s> "
                                   "<http://example.org/p> 1 }}"),
    "update-body-delete-where": ("update-body", "DELETE WHERE {{ ?s ?p ?o }}"),
}


def send(base: str, how: str, text: str) -> Reply:
    if how == "query":
        return get(base, {"query": text})
    if how == "update-form":
        return post_form(base, {"update": text})
    if how == "update-get":
        return get(base, {"update": text})
    assert how == "update-body"
    return post_body(base, text, "application/sparql-update")


def _fill(template: str, canary: Canary) -> str:
    return template.format(canary=canary.url, port=canary.port)


@pytest.mark.parametrize("case", list(REACHING_OUT), ids=str)
def test_reaching_out_is_refused(live_server, quiet_canary, case):
    how, template = REACHING_OUT[case]
    text = _fill(template, quiet_canary)
    reply = send(live_server.url, how, text)
    assert reply.status == 403, (text, reply.status, reply.text)
    assert reply.media_type == "text/plain"
    assert reply.text.startswith("Forbidden:")
    if how == "query":  # the same by POST, form and direct
        assert post_form(live_server.url, {"query": text}).status == 403
        assert post_body(live_server.url, text, "application/sparql-query").status == 403


@pytest.mark.parametrize("case", list(READING_FILES), ids=str)
def test_reading_files_is_refused(live_server, quiet_canary, case):
    how, template = READING_FILES[case]
    reply = send(live_server.url, how, _fill(template, quiet_canary))
    assert reply.status == 403, (case, reply.status, reply.text)
    assert_no_file_content(reply)


@pytest.mark.parametrize("param", ["default-graph-uri", "named-graph-uri"])
def test_dataset_parameters_naming_a_file_are_refused(live_server, quiet_canary, param):
    for iri in ("file:///etc/passwd", "FILE:///etc/passwd"):
        reply = get(live_server.url, {"query": "SELECT * WHERE { ?s ?p ?o }", param: iri})
        assert reply.status == 403, reply.text
        assert_no_file_content(reply)
        reply = fetch(live_server.url + "/sparql?" + urllib.parse.urlencode({param: iri}),
                      data=b"SELECT * WHERE { ?s ?p ?o }",
                      headers={"Content-Type": "application/sparql-query"})
        assert reply.status == 403, reply.text
        assert_no_file_content(reply)
        reply = post_form(live_server.url, {"query": "ASK { ?s ?p ?o }", param: iri})
        assert reply.status == 403, reply.text


@pytest.mark.parametrize("case", list(UPDATES), ids=str)
def test_updates_are_refused(live_server, quiet_canary, case):
    how, template = UPDATES[case]
    reply = send(live_server.url, how, _fill(template, quiet_canary))
    assert reply.status == 403, (case, reply.status, reply.text)
    assert "read-only" in reply.text


def test_updates_changed_nothing(app, live_server):
    """After all the refused updates, the store still holds the whole vocabulary."""
    reply = get(live_server.url, {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                  "format": "csv"})
    assert reply.status == 200
    assert int(reply.text.splitlines()[1]) == app.extensions["crmkg"].counts["triples"]
    ask = get(live_server.url, {"query": "ASK { <http://example.org/s> ?p ?o }"})
    assert b'"boolean":false' in ask.body


def test_dataset_parameters_naming_a_remote_graph_are_not_fetched(live_server, quiet_canary):
    """Allowed by the protocol, but an unknown graph is an empty graph: never fetched."""
    graph_iri = f"{quiet_canary.url}/g"
    reply = get(live_server.url, [("query", "SELECT * WHERE { ?s ?p ?o }"),
                                  ("default-graph-uri", graph_iri)])
    assert reply.status == 200 and b'"bindings":[]' in reply.body
    reply = get(live_server.url, [("query", "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"),
                                  ("named-graph-uri", graph_iri)])
    assert reply.status == 200 and b'"bindings":[]' in reply.body
    reply = fetch(live_server.url + "/sparql?" + urllib.parse.urlencode(
        [("default-graph-uri", graph_iri), ("named-graph-uri", graph_iri + "2")]),
        data=b"ASK { ?s ?p ?o }", headers={"Content-Type": "application/sparql-query"})
    assert reply.status == 200 and b'"boolean":false' in reply.body


def test_service_as_a_word_in_data_is_no_false_alarm(live_server, quiet_canary):
    """The checks are lexical: SERVICE in a string, a comment or a variable name is fine."""
    for query in ("SELECT ?service WHERE { ?service ?p ?o } LIMIT 1",
                  f"SELECT * WHERE {{ ?s ?p 'SERVICE <{quiet_canary.url}>' }}",
                  f"# SERVICE <{quiet_canary.url}/sparql>\nASK {{ }}",
                  "SELECT * WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), \"LOAD\")) } LIMIT 1"):
        reply = get(live_server.url, {"query": query})
        assert reply.status == 200, (query, reply.text)


# --- the time limit ------------------------------------------------------------------------

FOREVER = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TIME_LIMIT = 2.0


def worker_pids(engine) -> set[int]:
    """The live worker processes of one engine (their command line names its data dump)."""
    marker = str(engine.dump_path).encode()
    found: set[int] = set()
    if not Path("/proc").is_dir():
        return found
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"graph.query.worker" in command and marker in command:
            found.add(int(entry.name))
    return found


def wait_for_workers(engine, timeout: float = 10.0) -> set[int]:
    """The engine's worker pids, once there are as many as it should have (or at timeout)."""
    deadline = time.monotonic() + timeout
    pids = worker_pids(engine)
    while len(pids) != engine.size and time.monotonic() < deadline:
        time.sleep(0.05)
        pids = worker_pids(engine)
    return pids


@pytest.fixture(scope="module")
def limited_server():
    from webapp import create_app

    application = create_app({"TESTING": True, "SPARQL_TIMEOUT": TIME_LIMIT,
                              "SPARQL_WORKERS": 2})
    engine = application.extensions["crmkg"].engine
    engine.start()
    server = LiveServer(application)
    yield server, engine
    server.stop()
    engine.close()


def test_a_query_that_runs_forever_is_stopped(limited_server):
    server, engine = limited_server
    assert get(server.url, {"query": "ASK {}"}).status == 200  # the workers are up
    has_proc = Path("/proc/self/cmdline").exists()
    before = wait_for_workers(engine)
    if has_proc:
        assert len(before) == 2

    finished: dict[str, tuple[float, Reply]] = {}

    def slow() -> None:
        started = time.monotonic()
        reply = get(server.url, {"query": FOREVER})
        finished["slow"] = (time.monotonic() - started, reply)
        finished["slow-at"] = (time.monotonic(), reply)

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)  # the slow query is with a worker now
    fast = get(server.url, {"query": "ASK { ?s ?p ?o }"})
    fast_at = time.monotonic()
    page = fetch(server.url + "/concept/lead", headers={"Accept": "text/html"})
    page_at = time.monotonic()
    thread.join(15)
    assert not thread.is_alive(), "the slow query was not stopped"

    assert fast.status == 200 and b'"boolean":true' in fast.body
    assert page.status == 200 and page.media_type == "text/html"
    elapsed, reply = finished["slow"]
    slow_at, _ = finished["slow-at"]
    assert fast_at < slow_at and page_at < slow_at  # answered while the slow one ran
    assert reply.status == 503, reply.text
    assert reply.media_type == "text/plain"
    assert "time limit" in reply.text and f"{TIME_LIMIT:g} s" in reply.text
    assert elapsed >= TIME_LIMIT

    # the endpoint still answers, and the stopped worker was replaced by a new one
    assert get(server.url, {"query": "ASK { ?s ?p ?o }"}).status == 200
    if has_proc:
        after = wait_for_workers(engine)
        assert len(after) == 2 and len(after & before) == 1, (before, after)
    replies = []
    threads = [threading.Thread(target=lambda: replies.append(
        get(server.url, {"query": "ASK { ?s ?p ?o }"}))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(15)
    assert [r.status for r in replies] == [200] * 4


# --- row, length and size limits ---------------------------------------------------------

@pytest.fixture(scope="module")
def five_rows_client():
    from webapp import create_app

    application = create_app({"TESTING": True, "SPARQL_MAX_ROWS": 5, "SPARQL_WORKERS": 1})
    yield application.test_client()
    application.extensions["crmkg"].engine.close()


CONCEPTS = "SELECT ?c WHERE { ?c a <http://www.w3.org/2004/02/skos/core#Concept> }"


def test_row_limit(five_rows_client):
    response = five_rows_client.get("/sparql", query_string={"query": CONCEPTS})
    assert response.status_code == 200
    assert len(response.get_json()["results"]["bindings"]) == 5
    assert response.headers["X-Result-Truncated"] == "max-rows=5"
    csv_lines = five_rows_client.get("/sparql", query_string={
        "query": CONCEPTS, "format": "csv"}).get_data(as_text=True).splitlines()
    assert len(csv_lines) == 1 + 5


def test_row_limit_on_construct(five_rows_client):
    from rdflib import Graph

    response = five_rows_client.get("/sparql", query_string={
        "query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "format": "nt"})
    assert response.status_code == 200
    assert "X-Result-Truncated" in response.headers
    assert len(Graph().parse(data=response.get_data(), format="nt")) == 5


@pytest.mark.parametrize("limit, truncated", [(4, False), (5, False), (6, True)])
def test_row_limit_boundary(five_rows_client, limit, truncated):
    response = five_rows_client.get("/sparql", query_string={"query": f"{CONCEPTS} LIMIT {limit}"})
    assert len(response.get_json()["results"]["bindings"]) == min(limit, 5)
    assert ("X-Result-Truncated" in response.headers) is truncated


def test_query_length_limit(app, client):
    limit = app.config["SPARQL_MAX_QUERY_LENGTH"]
    at_limit = "ASK {}\n#" + "x" * (limit - len("ASK {}\n#"))
    assert len(at_limit) == limit
    assert client.post("/sparql", data={"query": at_limit}).status_code == 200
    response = client.post("/sparql", data={"query": at_limit + "x"})
    assert response.status_code == 413
    assert f"{limit:,}" in response.get_data(as_text=True)
    response = client.post("/sparql", data=(at_limit + "x").encode(),
                           content_type="application/sparql-query")
    assert response.status_code == 413


def test_request_body_limit(app, live_server):
    limit = app.config["MAX_CONTENT_LENGTH"]
    body = b"ASK {}\n#" + b"x" * limit
    reply = fetch(live_server.url + "/sparql", data=body,
                  headers={"Content-Type": "application/sparql-query"})
    assert reply.status == 413
    reply = fetch(live_server.url + "/sparql", data=b"query=" + body)
    assert reply.status == 413


# --- odd inputs: never a 500 -------------------------------------------------------------

ODD_REQUESTS = {
    # id: (method, query string, body, content type, expected status)
    "invalid-utf8-body": ("POST", {}, b"ASK { \xff\xfe }", "application/sparql-query", 400),
    "invalid-utf8-form": ("POST", {}, b"query=ASK%20%7B%FF%7D",
                          "application/x-www-form-urlencoded", 400),
    "invalid-utf8-url": ("GET", "query=ASK%20%7B%FF%7D", None, None, 400),
    "utf16-body": ("POST", {}, "ASK {}".encode("utf-16"),
                   "application/sparql-query; charset=UTF-16", 415),
    "unknown-charset": ("POST", {}, b"ASK {}", "application/sparql-query; charset=klingon", 415),
    "empty-query": ("GET", {"query": ""}, None, None, 400),
    "blank-query": ("GET", {"query": " \n\t "}, None, None, 400),
    "empty-body": ("POST", {}, b"", "application/sparql-query", 400),
    "empty-form": ("POST", {}, b"", "application/x-www-form-urlencoded", 400),
    "query-twice": ("GET", [("query", "ASK {}"), ("query", "ASK {}")], None, None, 400),
    "query-in-url-and-form": ("POST", {"query": "ASK {}"}, b"query=ASK%20%7B%7D",
                              "application/x-www-form-urlencoded", 400),
    "query-in-url-and-body": ("POST", {"query": "ASK {}"}, b"ASK {}",
                              "application/sparql-query", 400),
    "query-and-update": ("GET", {"query": "ASK {}", "update": "CLEAR ALL"}, None, None, 400),
    "unknown-format": ("GET", {"query": "ASK {}", "format": "klingon"}, None, None, 406),
    "empty-format": ("GET", {"query": "ASK {}", "format": ""}, None, None, 200),
    "format-twice": ("GET", [("query", "ASK {}"), ("format", "klingon"), ("format", "xml")],
                     None, None, 200),
    "no-content-type": ("POST", {}, b"ASK {}", None, 415),
    "multipart": ("POST", {}, b"--x--", "multipart/form-data; boundary=x", 415),
    "default-graph-not-an-iri": ("GET", {"query": "ASK {}", "default-graph-uri": "not an iri"},
                                 None, None, 400),
    "named-graph-empty": ("GET", {"query": "ASK {}", "named-graph-uri": ""}, None, None, 400),
    "deep-braces": ("POST", {}, ("SELECT * " + "{" * 5000 + "}" * 5000).encode(),
                    "application/sparql-query", 400),
    "deep-parentheses": ("POST", {}, ("SELECT * { FILTER(" + "(" * 5000 + "1" + ")" * 5000
                                      + ") }").encode(), "application/sparql-query", 400),
    "huge-limit": ("GET", {"query": "SELECT * { ?s ?p ?o } LIMIT 99999999999999999999999"},
                   None, None, 400),
    "nul": ("GET", {"query": "ASK {\x00}"}, None, None, 400),
    "lone-brace": ("GET", {"query": "}"}, None, None, 400),
    "prefix-only": ("GET", {"query": "PREFIX ex: <http://example.org/>"}, None, None, 400),
    "unterminated-string": ("GET", {"query": "ASK { ?s ?p \"abc }"}, None, None, 400),
    "unterminated-iri": ("GET", {"query": "ASK { <http://example.org/ ?p ?o }"}, None, None, 400),
    "bad-accept": ("GET", {"query": "ASK {}"}, None, None, None),
}


@pytest.mark.parametrize("case", list(ODD_REQUESTS), ids=str)
def test_odd_input_is_never_a_server_error(app, client, case):
    method, query_string, body, content_type, expected = ODD_REQUESTS[case]
    headers = {"Accept": ";;q=x, */*;q=nope, =="} if case == "bad-accept" else {}
    engine = app.extensions["crmkg"].engine
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    before = wait_for_workers(engine)
    response = client.open("/sparql", method=method, query_string=query_string, data=body,
                           content_type=content_type, headers=headers)
    assert response.status_code < 500, response.get_data(as_text=True)
    if expected is not None:
        assert response.status_code == expected, response.get_data(as_text=True)
    if response.status_code >= 400:
        assert response.mimetype == "text/plain"
        assert "Traceback" not in response.get_data(as_text=True)
    # and no worker died of it
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    assert worker_pids(engine) == before


# --- https, and a local file with a secret in it -------------------------------------------
#
# An https URL to the canary would show as a TLS hello in what it records; a file: IRI
# names a temporary file holding a unique secret. Reading a file leaves no trace a test
# can rely on (atime is often off), so "never read" is shown by what can be observed:
# the refusal, and the secret in no response, no graph, no output.

HTTPS_CASES = {
    "service-https": "SELECT * WHERE {{ SERVICE <{https}/sparql> {{ ?s ?p ?o }} }}",
    "service-silent-https": "SELECT * WHERE {{ SERVICE SILENT <{https}/sparql> {{ ?s ?p ?o }} }}",
    "from-https": "SELECT * FROM <{https}/g> WHERE {{ ?s ?p ?o }}",
    "from-named-https": "SELECT * FROM NAMED <{https}/g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "load-https": "LOAD <{https}/x>",
}


@pytest.mark.parametrize("case", list(HTTPS_CASES), ids=str)
def test_https_urls_are_refused(live_server, quiet_canary, case):
    https = f"https://127.0.0.1:{quiet_canary.port}"
    text = HTTPS_CASES[case].format(https=https)
    reply = get(live_server.url, {"query": text})
    assert reply.status == 403, (text, reply.status, reply.text)
    reply = post_body(live_server.url, text, "application/sparql-update"
                      if text.startswith("LOAD") else "application/sparql-query")
    assert reply.status == 403, (text, reply.status, reply.text)


@pytest.fixture
def secret_file(tmp_path) -> tuple[Path, str]:
    """A Turtle file whose only content is a unique secret (as a literal and an IRI)."""
    import uuid

    secret = f"secret-{uuid.uuid4().hex}"
    path = tmp_path / f"{secret}.ttl"
    path.write_text(f'<http://example.org/{secret}> <http://example.org/p> "{secret}" .\n',
                    encoding="utf-8")
    return path, secret


SECRET_QUERIES = {
    "from": ("query", "SELECT * FROM <{file}> WHERE {{ ?s ?p ?o }}"),
    "from-named": ("query", "SELECT * FROM NAMED <{file}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"),
    "from-construct": ("query", "CONSTRUCT {{ ?s ?p ?o }} FROM <{file}> WHERE {{ ?s ?p ?o }}"),
    "from-localhost": ("query", "SELECT * FROM <{localhost}> WHERE {{ ?s ?p ?o }}"),
    "load": ("update-body", "LOAD <{file}>"),
    "load-into": ("update-body", "LOAD <{file}> INTO GRAPH <http://example.org/g>"),
    "load-as-query": ("query", "LOAD <{file}>"),
    "service": ("query", "SELECT * WHERE {{ SERVICE <{file}> {{ ?s ?p ?o }} }}"),
}


@pytest.mark.parametrize("case", list(SECRET_QUERIES), ids=str)
def test_a_local_file_named_in_a_query_is_never_read(live_server, quiet_canary, secret_file,
                                                     case):
    path, secret = secret_file
    how, template = SECRET_QUERIES[case]
    text = template.format(file=path.as_uri(), localhost="file://localhost" + str(path))
    reply = send(live_server.url, how, text)
    assert reply.status == 403, (case, reply.status, reply.text)
    assert secret not in reply.text.replace(str(path), "").replace(path.as_uri(), "")


@pytest.mark.parametrize("param", ["default-graph-uri", "named-graph-uri"])
def test_a_local_file_as_a_dataset_parameter_is_never_read(live_server, quiet_canary,
                                                           secret_file, param):
    path, secret = secret_file
    for query in ("SELECT * WHERE { ?s ?p ?o }", "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
                  "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"):
        reply = get(live_server.url, {"query": query, param: path.as_uri()})
        assert reply.status == 403, reply.text
        assert secret not in reply.text.replace(path.as_uri(), "")


@pytest.mark.parametrize("param", ["default-graph-uri", "named-graph-uri"])
def test_an_https_dataset_parameter_is_never_fetched(live_server, quiet_canary, param):
    iri = f"https://127.0.0.1:{quiet_canary.port}/g"
    reply = get(live_server.url, {"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
                                  param: iri})
    assert reply.status == 200 and b'"bindings":[]' in reply.body, reply.text


# --- inputs: serve, import, extra graphs; JSON-LD contexts, XML entities, @base/@prefix -------

SKOS = "http://www.w3.org/2004/02/skos/core#"


def _urls(canary: Canary, secret_path: Path) -> list[str]:
    return [f"{canary.url}/x.ttl", f"https://127.0.0.1:{canary.port}/x.ttl",
            f"HTTP://127.0.0.1:{canary.port}/x.nt", secret_path.as_uri(),
            "file://localhost" + str(secret_path), f"ftp://127.0.0.1:{canary.port}/x.ttl"]


def test_serve_refuses_urls_without_connecting(quiet_canary, secret_file):
    """``crmkg serve --data URL``: refused with a message, before anything listens."""
    from click.testing import CliRunner

    from graph.cli import main

    path, secret = secret_file
    for url in _urls(quiet_canary, path):
        result = CliRunner().invoke(main, ["serve", "--port", "1", "--data", url])
        assert result.exit_code == 2, (url, result.output)
        assert "never downloads" in result.output, result.output
        assert secret not in result.output.replace(url, "")


def test_the_store_loader_refuses_urls_without_connecting(quiet_canary, secret_file):
    from graph.query.store import Source, StoreError
    from webapp import create_app

    path, secret = secret_file
    for url in _urls(quiet_canary, path):
        with pytest.raises(StoreError, match="never downloads"):
            Source.file(url)
        with pytest.raises(ValueError, match="never downloads"):
            create_app({"TESTING": True, "DATA_FILES": [url]})
        with pytest.raises(ValueError, match="never downloads"):
            create_app({"TESTING": True, "EXTRA_NAMED_GRAPHS": [[url, "http://example.org/g"]]})


def test_import_refuses_urls_without_connecting(quiet_canary, secret_file, tmp_path):
    from click.testing import CliRunner

    from graph.cli import main

    path, secret = secret_file
    for number, url in enumerate(_urls(quiet_canary, path)):
        target = tmp_path / f"out{number}"
        result = CliRunner().invoke(main, ["import", url, "--to", str(target)])
        assert result.exit_code != 0, (url, result.output)
        assert "never downloads" in result.output, result.output
        assert secret not in result.output.replace(url, "")
        assert not target.exists() or not any(target.iterdir())


def _jsonld_documents(canary: Canary) -> dict[str, dict]:
    remote = f"{canary.url}/context.jsonld"
    concept = {"@id": "http://example.org/v/c1", "@type": f"{SKOS}Concept",
               f"{SKOS}prefLabel": {"@value": "x", "@language": "en"}}
    return {
        "remote": {**concept, "@context": remote},
        "remote-https": {**concept, "@context": f"https://127.0.0.1:{canary.port}/c.jsonld"},
        "remote-in-list": {**concept, "@context": [{"skos": SKOS}, remote]},
        "import": {**concept, "@context": {"@import": remote, "skos": SKOS}},
        "nested": {**concept, f"{SKOS}related": {"@context": remote,
                                                 "@id": "http://example.org/v/c2"}},
        "scoped": {**concept, "@context": {"skos": SKOS, "rel": {
            "@id": f"{SKOS}related", "@context": remote}}, "rel": {"@id": "http://x/y"}},
    }


@pytest.mark.parametrize("case", ["remote", "remote-https", "remote-in-list", "import",
                                  "nested", "scoped"])
def test_jsonld_remote_contexts_are_never_fetched(quiet_canary, tmp_path, case):
    """Served (pyoxigraph's loader) and imported (crmkg import): refused, no connection."""
    import json

    from graph.importer import ImportFailure, import_vocabulary
    from webapp import create_app

    path = tmp_path / "v.jsonld"
    path.write_text(json.dumps(_jsonld_documents(quiet_canary)[case]), encoding="utf-8")
    with pytest.raises(ValueError, match="context|JSON-LD|not valid"):
        create_app({"TESTING": True, "DATA_FILES": [str(path)]})
    with pytest.raises(ImportFailure, match="context|JSON-LD|not valid"):
        import_vocabulary(path, tmp_path / "out")


def _rdfxml_documents(canary: Canary, secret_path: Path) -> dict[str, str]:
    body = (f'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            f'xmlns:skos="{SKOS}">\n  <skos:Concept rdf:about="http://example.org/v/c1">\n'
            '    <skos:prefLabel xml:lang="en">a &e; b</skos:prefLabel>\n'
            "  </skos:Concept>\n</rdf:RDF>\n")
    head = '<?xml version="1.0"?>\n'
    return {
        "entity-canary": f'{head}<!DOCTYPE rdf:RDF [ <!ENTITY e SYSTEM "{canary.url}/e"> ]>\n'
                         + body,
        "entity-file": f'{head}<!DOCTYPE rdf:RDF [ <!ENTITY e SYSTEM "{secret_path.as_uri()}"> ]>'
                       "\n" + body,
        "entity-file-relative": f'{head}<!DOCTYPE rdf:RDF [ <!ENTITY e SYSTEM '
                                f'"{secret_path.name}"> ]>\n' + body,
        "entity-public": f'{head}<!DOCTYPE rdf:RDF [ <!ENTITY e PUBLIC "-//x//y" '
                         f'"{canary.url}/p"> ]>\n' + body,
        "parameter-entity": f'{head}<!DOCTYPE rdf:RDF [ <!ENTITY % p SYSTEM "{canary.url}/p"> '
                            '%p; <!ENTITY e "x"> ]>\n' + body,
        "external-dtd": f'{head}<!DOCTYPE rdf:RDF SYSTEM "{canary.url}/rdf.dtd">\n'
                        + body.replace("&e;", "e"),
        "external-dtd-file": f'{head}<!DOCTYPE rdf:RDF SYSTEM "{secret_path.as_uri()}">\n'
                             + body.replace("&e;", "e"),
    }


RDFXML_CASES = ["entity-canary", "entity-file", "entity-file-relative", "entity-public",
                "parameter-entity", "external-dtd", "external-dtd-file"]


@pytest.mark.parametrize("case", RDFXML_CASES)
def test_rdfxml_external_entities_and_dtds_are_never_read(quiet_canary, secret_file, case):
    """Refused (entities), or loaded without the DTD (a DTD alone names nothing we use);
    never a connection, never the secret in the data."""
    from graph.importer import ImportFailure, import_vocabulary
    from webapp import create_app

    secret_path, secret = secret_file
    path = secret_path.parent / "v.rdf"
    path.write_text(_rdfxml_documents(quiet_canary, secret_path)[case], encoding="utf-8")
    try:
        application = create_app({"TESTING": True, "DATA_FILES": [str(path)]})
    except ValueError as exc:
        assert secret not in str(exc).replace(str(secret_path), "").replace(
            secret_path.as_uri(), "").replace(secret_path.name, "")
    else:
        assert case.startswith("external-dtd"), "an external entity was accepted"
        dump = application.test_client().get("/sparql", query_string={
            "query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "format": "nt"})
        assert secret not in dump.get_data(as_text=True)
        application.extensions["crmkg"].engine.close()
    try:
        outcome = import_vocabulary(path, secret_path.parent / f"out-{case}")
    except ImportFailure as exc:
        assert secret not in str(exc).replace(str(secret_path), "").replace(
            secret_path.as_uri(), "").replace(secret_path.name, "")
    else:
        assert case.startswith("external-dtd"), "an external entity was accepted"
        written = "".join(p.read_text(encoding="utf-8", errors="replace")
                          for p in (secret_path.parent / f"out-{case}").rglob("*")
                          if p.is_file())
        assert secret not in written.replace(secret_path.name, "")
        assert outcome is not None


def test_turtle_base_and_prefixes_naming_the_canary_are_only_iris(quiet_canary, tmp_path):
    """``@base``, ``@prefix``, ``BASE``/``PREFIX`` and ``xml:base``: IRIs, never fetched."""
    from graph.importer import import_vocabulary
    from webapp import create_app

    turtle = tmp_path / "v.ttl"
    turtle.write_text(f"""@base <{quiet_canary.url}/base/> .
@prefix c: <{quiet_canary.url}/prefix/> .
PREFIX skos: <{SKOS}>
BASE <https://127.0.0.1:{quiet_canary.port}/again/>
<c1> a skos:Concept ; skos:prefLabel "eins"@de ; skos:related c:c2 .
c:c2 a skos:Concept ; skos:prefLabel "zwei"@de ; skos:exactMatch <{quiet_canary.url}/m> .
""", encoding="utf-8")
    rdfxml = tmp_path / "w.rdf"
    rdfxml.write_text(f"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:skos="{SKOS}"
         xml:base="{quiet_canary.url}/xmlbase/">
  <skos:Concept rdf:about="c3"><skos:prefLabel xml:lang="de">drei</skos:prefLabel>
  <skos:related rdf:resource="{quiet_canary.url}/r"/></skos:Concept>
</rdf:RDF>
""", encoding="utf-8")
    application = create_app({"TESTING": True, "DATA_FILES": [str(turtle), str(rdfxml)]})
    client = application.test_client()
    uris = {r["uri"] for q in ("eins", "zwei", "drei")
            for r in client.get("/search.json", query_string={"q": q}).get_json()["results"]}
    assert uris == {f"https://127.0.0.1:{quiet_canary.port}/again/c1",
                    f"{quiet_canary.url}/prefix/c2", f"{quiet_canary.url}/xmlbase/c3"}
    for uri in uris:
        assert client.get("/entity", query_string={"uri": uri}).status_code == 200
        assert client.get("/map/data.json", query_string={"focus": uri}).status_code == 200
    application.extensions["crmkg"].engine.close()
    import_vocabulary(turtle, tmp_path / "imported")
    assert (tmp_path / "imported").is_dir()

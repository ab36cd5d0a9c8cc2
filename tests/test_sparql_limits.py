"""The endpoint's limits: time (a query that runs forever is stopped, others are answered
meanwhile, the worker is replaced), rows, query length, request body size."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from tests.support.http import Reply, fetch, get
from tests.support.servers import LiveServer
from tests.support.workers import wait_for_workers

# --- the time limit ------------------------------------------------------------------------

FOREVER = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TIME_LIMIT = 2.0


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



"""Hostile SPARQL never gets a 500, a traceback, or kills a query worker (issue 6).

Hypothesis draws queries of two kinds — random text and SPARQL-ish token soup, and
queries that follow the grammar with odd terms (unicode and bad escapes in IRIs and
literals, 1,000-deep groups, 40-way unions, sizes just under and over the length
limit) — and sends them as the protocol allows (GET, POST form, POST
``application/sparql-query``), with invalid UTF-8 appended in each way, every
``format=`` and odd ``Accept`` headers. Answers may be 200, 400 (the parser's
message), 403 (refused kinds), 406, 413, 414, 415 or 503 (the time limit), in plain
text; a 503 saying a worker *stopped* means the query crashed it, and fails.

The examples below are what this fuzzing found: each killed a worker before the
inspector refused it (67b1b9c, e9b09a1, and the long chains of || && | , ; UNION
MINUS BIND in the commit after them).
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings

from tests.support.fuzz_strategies import (
    CHAINS,
    chain_queries,
    check_sparql_answer,
    garbage_queries,
    shaped_queries,
    sparql_requests,
)

FUZZ = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

#: each overflowed the engine's stack and killed the worker: now a 400 from the inspector
CRASHERS = [
    "ASK { FILTER(" + "!" * 20_000 + "true) }",
    "SELECT (" + "+".join(["1"] * 8000) + " AS ?x) {}",
    "SELECT (" + "*".join(["1"] * 8000) + " AS ?x) {}",
    "SELECT * WHERE { ?s " + "/".join(["<p>"] * 10_000) + " ?o } LIMIT 1",
    # long chains (each a tree as deep) found after the first fixes
    "ASK { FILTER(" + "||".join(["1"] * 21_000) + ") }",
    "ASK { FILTER(" + "&&".join(["1"] * 21_000) + ") }",
    "SELECT * WHERE { ?s " + "|".join(["a"] * 30_000) + " ?o } LIMIT 1",
    "SELECT * WHERE { ?s ?p " + ",".join(["1"] * 30_000) + " } LIMIT 1",
    "SELECT * WHERE { ?s " + ";".join(["a 1"] * 15_000) + " } LIMIT 1",
    "SELECT * WHERE { " + "UNION".join(["{}"] * 9000) + " }",
    "SELECT * WHERE { " + " ".join(["MINUS{}"] * 8000) + " }",
    "SELECT * WHERE { " + " ".join(f"BIND(1 AS ?v{i})" for i in range(3000)) + " }",
]


def _send(client, request: dict) -> tuple[int, str]:
    response = client.open(request["url"], method=request["method"],
                           headers=request["headers"], data=request["body"])
    body = response.get_data()
    check_sparql_answer(response.status_code, response.headers, body, request["method"])
    return response.status_code, body.decode("utf-8", "replace")


def _form(query: str) -> dict:
    return {"method": "POST", "url": "/sparql", "body": b"query=" + quote(query).encode(),
            "headers": {"Content-Type": "application/x-www-form-urlencoded"}}


@FUZZ
@given(request=sparql_requests())
def test_any_sparql_request_gets_a_protocol_answer(app, request):
    _send(app.test_client(), request)


@FUZZ
@given(query=shaped_queries())
@example(query=CRASHERS[0])
@example(query=CRASHERS[1])
@example(query=CRASHERS[3])
def test_grammar_shaped_queries(app, query):
    status, text = _send(app.test_client(), _form(query))
    if status == 400:
        assert text.startswith("Bad Request: "), text[:200]


@settings(FUZZ, max_examples=60)
@given(query=garbage_queries())
def test_garbage_is_a_bad_request(app, query):
    status, text = _send(app.test_client(), _form(query))
    assert status in (200, 400, 403, 413), (status, text[:200])


@pytest.mark.parametrize("query", CRASHERS)
def test_stack_overflowing_queries_are_refused_before_they_run(app, query):
    status, text = _send(app.test_client(), _form(query))
    assert status == 400 and "operators" in text, text[:200]


def test_chains_just_under_the_limit_still_run(app):
    for query in ("SELECT * WHERE { " + " ".join(f"BIND(1 AS ?v{i})" for i in range(1990)) + " }",
                  "SELECT * WHERE { " + "UNION".join(["{}"] * 1900) + " }",
                  "ASK { FILTER(1 IN (" + ",".join(["1"] * 1900) + ")) }"):
        assert _send(app.test_client(), _form(query))[0] == 200


@pytest.mark.parametrize("request_", [
    {"method": "GET", "url": "/sparql?query=%ff", "headers": {}, "body": b""},
    {"method": "GET", "url": "/sparql?query=ASK%7B%7D%ff%fe", "headers": {}, "body": b""},
    {"method": "POST", "url": "/sparql", "body": b"query=ASK{}\xff\xfe",
     "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
    {"method": "POST", "url": "/sparql", "body": b"ASK {}\xff",
     "headers": {"Content-Type": "application/sparql-query"}},
    {"method": "POST", "url": "/sparql", "body": b"\xef\xbb\xbfASK {}",
     "headers": {"Content-Type": "application/sparql-query"}},
    {"method": "POST", "url": "/sparql", "body": "ASK {}".encode("utf-16"),
     "headers": {"Content-Type": "application/sparql-query; charset=utf-16"}},
], ids=["get-ff", "get-tail", "form", "body", "body-bom", "utf-16"])
def test_invalid_utf8_is_a_client_error(app, request_):
    status, _ = _send(app.test_client(), request_)
    assert status in (200, 400, 415)


def test_length_limit_edges(app):
    limit = app.config["SPARQL_MAX_QUERY_LENGTH"]
    query = "ASK {}"
    at_limit = query + " " * (limit - len(query))
    assert _send(app.test_client(), _form(at_limit))[0] == 200
    assert _send(app.test_client(), _form(at_limit + " "))[0] == 413


@settings(FUZZ, max_examples=25)
@given(query=chain_queries())
def test_long_chains_never_kill_a_worker(app, query):
    _send(app.test_client(), _form(query))


@pytest.mark.parametrize("kind", sorted(CHAINS))
def test_every_chain_at_the_length_limit(app, kind):
    """Each kind of chain as long as the length limit allows: refused or answered."""
    template, joint, piece = CHAINS[kind]
    count = (app.config["SPARQL_MAX_QUERY_LENGTH"] - len(template)) // (len(joint) + len(piece))
    _send(app.test_client(), _form(template.format(joint.join([piece] * count))))

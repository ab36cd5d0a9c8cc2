"""Odd requests to the endpoint (bad encodings, repeated or clashing parameters, unknown
formats and content types …) never give a 500."""

from __future__ import annotations

import pytest

from tests.support.workers import wait_for_workers, worker_pids

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



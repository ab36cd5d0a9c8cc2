"""The endpoint never reaches out and never reads a file, whatever a query names.

A loopback "canary" listener stands for any server a query could make us contact:
every query that would make a naive endpoint connect to it must be refused (or, for
dataset parameters, answered without fetching), and the canary must see no
connection. The same for https URLs and for a local file holding a secret.
"""

from __future__ import annotations

import contextlib
import socket
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.support.canary import Canary
from tests.support.http import Reply, fetch, get, post_body, post_form

PASSWD = Path("/etc/passwd")
#: what would show that /etc/passwd was read
PASSWD_MARKERS = ["root:x:", "root:*:", "/bin/bash", "/usr/sbin/nologin", "daemon:"]


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



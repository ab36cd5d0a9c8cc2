"""The app in front of a real external triple store: Oxigraph's server and Virtuoso.

Each server (tests/support/triple_stores.py) is started on 127.0.0.1 in a temporary folder,
filled with our vocabulary by ``crmkg push`` (one Graph Store Protocol PUT into a
named graph), then the app is built with ``SPARQL_ENDPOINT``; every test of the
pages and of the SPARQL endpoint runs once per server, as on the embedded store.
The server is stopped by its own PID.
"""

from __future__ import annotations

import json
import socket
import time

import pytest
from click.testing import CliRunner

from graph.cli import main as cli
from graph.query.remote import RemoteError, RemoteStore, normalise_document, push_graph
from tests.support.triple_stores import free_port

GRAPH = "https://w3id.org/crmkg/graph"
SKOS = "http://www.w3.org/2004/02/skos/core#"


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def pushed(request, triple_store, remote_app):
    remote_app(request.param)  # starts the server and pushes our vocabulary (crmkg push)
    return triple_store(request.param)


@pytest.fixture(scope="module")
def app_on_store(pushed, remote_app):
    return remote_app(pushed.name)


@pytest.fixture()
def client(app_on_store):
    return app_on_store.test_client()


# --- the store itself ----------------------------------------------------------------------


def test_the_push_fills_one_named_graph(pushed):
    store = RemoteStore(pushed.query, GRAPH)
    assert GRAPH in store.named_graphs()
    assert len(store) > 3000
    assert store.ask(f"ASK {{ <https://w3id.org/crmkg/id/mql> <{SKOS}prefLabel> ?l }}")
    assert not store.ask("ASK { <urn:nothing> ?p ?o }")
    rows = store.select(f'SELECT ?l WHERE {{ <https://w3id.org/crmkg/id/mql> <{SKOS}prefLabel> '
                        f'?l FILTER(lang(?l) = "en") }}')
    assert rows and rows[0]["l"]["type"] == "literal" and rows[0]["l"]["xml:lang"] == "en"
    # the vocabulary is only in its named graph (Virtuoso's default graph is the union of all)
    in_default_graph = RemoteStore(pushed.query, None).ask("ASK { ?s ?p ?o }")
    assert in_default_graph == pushed.default_graph_is_union


def test_a_second_push_replaces_the_graph(pushed):
    store = RemoteStore(pushed.query, "urn:test:replaced")
    push_graph(b"<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> <urn:d> .\n", "urn:test:replaced",
               graph_store=pushed.graph_store)
    assert len(store) == 2
    push_graph(b"<urn:x> <urn:y> <urn:z> .\n", "urn:test:replaced",
               graph_store=pushed.graph_store)
    assert len(store) == 1
    push_graph(b"<urn:x> <urn:y> <urn:w> .\n", "urn:test:replaced", update=pushed.update)
    assert store.select_values("SELECT ?o WHERE { ?s ?p ?o }") == [("urn:w",)]


def test_an_unreachable_store_is_a_clear_error():
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/query", GRAPH, timeout=2)
    with pytest.raises(RemoteError, match="cannot be reached"):
        store.ask("ASK {}")
    with pytest.raises(ValueError, match="http"):
        RemoteStore("file:///etc/passwd", GRAPH)


def test_virtuoso_quirks_are_read():
    ask_as_row = {"head": {"vars": ["__ask_retval"]},
                  "results": {"bindings": [{"__ask_retval": {
                      "type": "typed-literal", "value": "1",
                      "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}
    assert normalise_document(ask_as_row, ask=True)["boolean"] is True
    assert normalise_document({"boolean": False}, ask=True)["boolean"] is False
    typed = {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {
        "type": "typed-literal", "value": "3",
        "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}
    assert normalise_document(typed)["results"]["bindings"][0]["n"]["type"] == "literal"


def test_push_needs_a_store_url():
    result = CliRunner().invoke(cli, ["push"], env={"CRMKG_GRAPH_STORE_ENDPOINT": "",
                                                     "CRMKG_SPARQL_UPDATE_ENDPOINT": ""})
    assert result.exit_code != 0 and "--graph-store" in result.output


# --- the pages, read from the store --------------------------------------------------------


def test_the_app_reads_the_remote_store(app_on_store):
    state = app_on_store.extensions["crmkg"]
    assert isinstance(state.store, RemoteStore)
    assert state.counts["concepts"] > 100
    assert state.store.info.kind == "remote"


@pytest.mark.parametrize("url", ["/", "/concept/mql", "/index?letter=M", "/tree",
                                 "/search?q=qualifie", "/collection/funnel-stages", "/map",
                                 "/-/about"])
def test_pages(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.data[:500]
    assert response.mimetype == "text/html"


def test_concept_page_and_its_formats(client):
    page = client.get("/concept/mql?lang=en").get_data(as_text=True)
    assert "MQL" in page and "SQL" in page
    data = client.get("/concept/mql.json").get_json()
    assert json.dumps(data).count("mql") > 0
    turtle = client.get("/concept/mql.ttl")
    assert turtle.status_code == 200 and turtle.mimetype == "text/turtle"
    assert b"skos" in turtle.data or SKOS.encode() in turtle.data


def test_search_finds_accentless_and_acronyms(client):
    found = client.get("/search.json?q=mql").get_json()
    assert "mql" in json.dumps(found).lower()


def test_map_data(client):
    response = client.get("/map.json")
    assert response.status_code == 200
    assert response.get_json()


# --- SPARQL, forwarded to the store --------------------------------------------------------

SELECT = (f"SELECT ?label WHERE {{ <https://w3id.org/crmkg/id/mql> <{SKOS}prefLabel> ?label "
          "} ORDER BY ?label")


def test_select_json(client):
    response = client.get("/sparql", query_string={"query": SELECT})
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    bindings = response.get_json()["results"]["bindings"]
    assert {b["label"]["xml:lang"] for b in bindings} == {"fr", "en"}


def test_select_csv(client):
    response = client.post("/sparql", data={"query": SELECT}, headers={"Accept": "text/csv"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.get_data(as_text=True).splitlines()[0] == "label"


def test_ask(client):
    response = client.get("/sparql", query_string={
        "query": "ASK { ?c a <http://www.w3.org/2004/02/skos/core#Concept> }"})
    assert response.status_code == 200
    assert response.get_json()["boolean"] is True


def test_construct(client):
    response = client.get("/sparql", query_string={
        "query": "CONSTRUCT { <https://w3id.org/crmkg/id/mql> ?p ?o } WHERE "
                 "{ <https://w3id.org/crmkg/id/mql> ?p ?o }"},
        headers={"Accept": "application/n-triples"})
    assert response.status_code == 200 and response.mimetype == "application/n-triples"
    assert b"<https://w3id.org/crmkg/id/mql>" in response.data


def test_row_limit_applies(app_on_store, client):
    engine = app_on_store.extensions["crmkg"].engine
    limit = engine.max_rows
    engine.max_rows = 3
    try:
        response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    finally:
        engine.max_rows = limit
    assert response.status_code == 200
    assert len(response.get_json()["results"]["bindings"]) == 3
    assert response.headers["X-Result-Truncated"]


def test_service_still_refused(client):
    response = client.get("/sparql", query_string={
        "query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"})
    assert response.status_code == 403


def test_update_still_refused(client):
    response = client.post("/sparql", data={"update": f"DROP GRAPH <{GRAPH}>"})
    assert response.status_code == 403


def test_syntax_error_is_400_with_a_message(client):
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p "})
    assert response.status_code == 400
    assert "error" in response.get_data(as_text=True).lower()


def test_a_store_that_does_not_answer_in_time_gives_503():
    from graph.query.engine import QueryRequest
    from graph.query.remote import RemoteQueryEngine

    with socket.socket() as silent:  # accepts connections (backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        engine = RemoteQueryEngine(RemoteStore(f"http://127.0.0.1:{port}/query", GRAPH),
                                   timeout=0.5)
        started = time.monotonic()
        response = engine.execute(QueryRequest("SELECT * WHERE { ?s ?p ?o }", "json"))
    assert response.status == 503 and b"time limit" in response.body
    assert time.monotonic() - started < 5


# --- the same answers as the embedded store ------------------------------------------------

SAME_AS_EMBEDDED = ["/index.json", "/index.json?letter=M", "/tree.json",
                    "/concept/mql.json", "/concept/dsp.json?lang=en", "/concept/nps.json",
                    "/collection/funnel-stages.json", "/collection/nps-scale.json?lang=en",
                    "/search.json?q=lead", "/search.json?q=qualifie", "/map.json",
                    "/map.json?focus=dsp&depth=2", "/map.json?from=mql&to=crm"]


@pytest.mark.parametrize("url", SAME_AS_EMBEDDED)
def test_json_pages_equal_the_embedded_stores(app, client, url):
    """Every page's data, read over the protocol, is what the embedded store gives."""
    remote = client.get(url)
    embedded = app.test_client().get(url)
    assert remote.status_code == embedded.status_code == 200
    assert remote.get_json() == embedded.get_json()


# --- a store that asks for authentication --------------------------------------------------

def test_push_authenticates_to_a_store_that_asks(pushed):
    """Virtuoso's /sparql-graph-crud-auth asks HTTP Digest; Basic is answered the same way."""
    if pushed.graph_store_auth is None:
        pytest.skip(f"{pushed.name}: no Graph Store URL that asks for authentication")
    url, user, password = pushed.graph_store_auth
    graph = "urn:test:authenticated"
    refused = CliRunner().invoke(cli, ["push", "--graph-store", url, "--graph", graph,
                                       "--user", user],
                                 env={"CRMKG_STORE_PASSWORD": password + "-wrong"})
    assert refused.exit_code == 1 and "401" in refused.output
    assert password not in refused.output
    without = CliRunner().invoke(cli, ["push", "--graph-store", url, "--graph", graph])
    assert without.exit_code == 1 and "401" in without.output
    assert not RemoteStore(pushed.query, graph).ask("ASK { ?s ?p ?o }")
    accepted = CliRunner().invoke(cli, ["push", "--graph-store", url, "--graph", graph,
                                        "--user", user], env={"CRMKG_STORE_PASSWORD": password})
    assert accepted.exit_code == 0, accepted.output
    assert len(RemoteStore(pushed.query, graph)) == len(RemoteStore(pushed.query, GRAPH))


def test_a_chunked_push_replaces_the_graph_with_the_same_triples(pushed):
    """--chunk-triples: the first request replaces the graph, the next ones add to it."""
    graph = "urn:test:chunked"
    push_graph(b"<urn:old> <urn:b> <urn:c> .\n", graph, graph_store=pushed.graph_store)
    result = CliRunner().invoke(cli, ["push", "--graph-store", pushed.graph_store,
                                      "--graph", graph, "--chunk-triples", "700"])
    assert result.exit_code == 0, result.output
    assert "requests of at most 700 triples" in result.output
    chunked, whole = RemoteStore(pushed.query, graph), RemoteStore(pushed.query, GRAPH)
    assert len(chunked) == len(whole) > 700 * 3
    assert not chunked.ask("ASK { <urn:old> ?p ?o }")
    assert chunked.select_values("SELECT ?l WHERE { <https://w3id.org/crmkg/id/mql> "
                                 f"<{SKOS}definition> ?l }} ORDER BY ?l") == \
        whole.select_values("SELECT ?l WHERE { <https://w3id.org/crmkg/id/mql> "
                            f"<{SKOS}definition> ?l }} ORDER BY ?l")
    # by update requests too: DROP + INSERT DATA, then INSERT DATA
    result = CliRunner().invoke(cli, ["push", "--update", pushed.update, "--graph", graph,
                                      "--chunk-triples", "1500"])
    if pushed.name == "virtuoso":  # it refuses blank nodes (our lists) in INSERT DATA
        assert result.exit_code == 1 and "Blank node" in result.output
        assert "Traceback" not in result.output
        return
    assert result.exit_code == 0, result.output
    assert len(chunked) == len(whole)


def test_extra_named_graphs_are_for_the_embedded_store(pushed, tmp_path):
    from webapp import create_app

    extra = tmp_path / "extra.nt"
    extra.write_text("<urn:a> <urn:b> <urn:c> .\n")
    with pytest.raises(ValueError, match="crmkg push --graph IRI --data FILE"):
        create_app({"TESTING": True, "SPARQL_ENDPOINT": pushed.query,
                    "EXTRA_NAMED_GRAPHS": [[str(extra), "urn:extra"]]})


def test_long_lists_of_iris_are_read_in_batches(app_on_store):
    """Virtuoso refuses a VALUES block of a few thousand IRIs: the reader cuts them.

    (YSA's tree, thousands of concepts without a broader one, gave a 500 through Virtuoso.)
    """
    reader = app_on_store.extensions["crmkg"].reader
    asked = reader.concepts() + [f"https://example.org/none/{n}" for n in range(5000)]
    labels = reader.labels(asked, "en")
    assert set(labels) == set(asked)
    assert labels["https://w3id.org/crmkg/id/mql"] != "mql"  # a label, not the local name
    assert set(reader.descendant_counts(asked)) == set(asked)


def test_a_store_that_goes_away_gives_503_pages(tmp_path):
    """Pages whose queries the store cannot answer get a 503 in the error shape, not a 500."""
    from tests.support.triple_stores import NotInstalled, start_oxigraph
    from webapp import create_app

    try:
        server = start_oxigraph(tmp_path)
    except NotInstalled as missing:
        pytest.skip(str(missing))
    try:
        assert CliRunner().invoke(cli, ["push", "--graph-store", server.graph_store]).exit_code == 0
        application = create_app({"TESTING": True, "SPARQL_ENDPOINT": server.query})
    finally:
        server.stop()
    client = application.test_client()
    for url in ("/concept/mql", "/concept/mql.json", "/tree"):
        response = client.get(url)
        assert response.status_code == 503, (url, response.status_code)
        assert b"Traceback" not in response.data
    assert client.get("/concept/mql.json").get_json()["status"] == 503

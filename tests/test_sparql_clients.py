"""The SPARQL endpoint as clients nobody here wrote see it, over real HTTP (waitress).

SPARQLWrapper and rdflib's ``SPARQLStore`` query the live server; plain
``urllib`` requests check the protocol's edges (negotiation, errors, the query
page and service description, CORS). Expected values come from the data
files themselves, not from another query.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import textwrap
import urllib.error
import urllib.parse
import urllib.request
import warnings

import pytest
import yaml
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS
from SPARQLWrapper import (
    CSV,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)
from SPARQLWrapper import RDF as RDF_FORMAT  # rdflib's RDF namespace has the short name
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from graph.config import PROJECT_ROOT
from tests.support.http import Reply, fetch

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
DATA = PROJECT_ROOT / "data"
FUNNEL_QUERY = (PROJECT_ROOT / "webapp" / "queries" / "01-funnel-in-order.rq").read_text(
    encoding="utf-8")

COUNT_CONCEPTS = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
                  "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a skos:Concept }")
CONCEPTS_WITH_LABELS = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT { ?c a skos:Concept ; skos:prefLabel ?label }
WHERE { ?c a skos:Concept ; skos:prefLabel ?label }"""
LABELLED = "opportunite"  # a concept whose French label has an accent


# --- what the data files say -------------------------------------------------------------

def concept_count() -> int:
    return len(list((DATA / "terms").glob("*.yaml")))


def funnel_members() -> list[str]:
    collections = yaml.safe_load((DATA / "collections.yaml").read_text(encoding="utf-8"))
    return collections["funnel-stages"]["members"]


def pref_labels(concept_id: str) -> dict[str, str]:
    term = yaml.safe_load((DATA / "terms" / f"{concept_id}.yaml").read_text(encoding="utf-8"))
    return term["prefLabel"]


@pytest.fixture(scope="module")
def endpoint(live_server) -> str:
    return live_server.url + "/sparql"


@pytest.fixture(scope="module")
def namespace(app) -> str:
    return app.extensions["crmkg"].concept_namespace


def test_the_expectations_are_not_empty():
    assert concept_count() > 100
    assert funnel_members()[:2] == ["suspect", "lead"]
    assert "é" in pref_labels(LABELLED)["fr"]


# --- SPARQLWrapper -----------------------------------------------------------------------

#: SPARQLWrapper's ways of sending a query: GET, POST form, POST application/sparql-query
METHODS = ["GET", "POST", "POSTDIRECTLY"]


def wrapper(endpoint: str, query: str, return_format: str, method: str) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(return_format)
    if method != "GET":
        client.setMethod(POST)
    if method == "POSTDIRECTLY":
        client.setRequestMethod(POSTDIRECTLY)
    return client


def run(client: SPARQLWrapper):
    with warnings.catch_warnings():
        # SPARQLWrapper warns (RuntimeWarning) on a content type it did not expect
        warnings.simplefilter("error", RuntimeWarning)
        # … but not on its own request (an RDF format for a SELECT: it sends Accept: */*)
        warnings.filterwarnings("ignore", message="Sending Accept header",
                                category=RuntimeWarning)
        warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's ConjunctiveGraph
        result = client.query()
        return result.response.headers.get("Content-Type", ""), result.convert()


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("return_format", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select(endpoint, return_format, method):
    content_type, converted = run(wrapper(endpoint, COUNT_CONCEPTS, return_format, method))
    expected = str(concept_count())
    if return_format == JSON:
        assert content_type.startswith("application/sparql-results+json")
        assert converted["head"]["vars"] == ["n"]
        assert converted["results"]["bindings"][0]["n"]["value"] == expected
    elif return_format == XML:
        assert content_type.startswith("application/sparql-results+xml")
        literal = converted.getElementsByTagName("literal")[0]
        assert literal.firstChild.data == expected
    elif return_format == CSV:
        assert content_type.startswith("text/csv")
        assert list(csv.reader(io.StringIO(converted.decode("utf-8")))) == [["n"], [expected]]
    else:
        assert content_type.startswith("text/tab-separated-values")
        assert converted.decode("utf-8").splitlines() == ["?n", expected]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("return_format", [JSON, XML])
def test_sparqlwrapper_ask(endpoint, namespace, return_format, method):
    query = f"ASK {{ <{namespace}lead> a <{SKOS.Concept}> }}"
    _, converted = run(wrapper(endpoint, query, return_format, method))
    if return_format == JSON:
        assert converted["boolean"] is True
    else:
        assert converted.getElementsByTagName("boolean")[0].firstChild.data == "true"
    _, converted = run(wrapper(endpoint, query.replace("lead>", "no-such-concept>"),
                               JSON, method))
    assert converted["boolean"] is False


def test_sparqlwrapper_funnel_in_order(endpoint, namespace):
    _, converted = run(wrapper(endpoint, FUNNEL_QUERY, JSON, "GET"))
    rows = converted["results"]["bindings"]
    assert [row["stage"]["value"] for row in rows] == [namespace + m for m in funnel_members()]
    assert [int(row["position"]["value"]) for row in rows] == list(
        range(1, len(funnel_members()) + 1))


def _check_concepts_graph(graph: Graph, namespace: str) -> None:
    assert len(set(graph.subjects(RDF.type, SKOS.Concept))) == concept_count()
    labels = set(graph.objects(URIRef(namespace + LABELLED), SKOS.prefLabel))
    assert labels == {Literal(text, lang=lang) for lang, text in pref_labels(LABELLED).items()}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("return_format", [TURTLE, RDFXML, JSONLD, "ntriples"])
def test_sparqlwrapper_construct(endpoint, namespace, return_format, method):
    if return_format == "ntriples":  # SPARQLWrapper has no N-Triples format: ask for it
        client = wrapper(endpoint, CONCEPTS_WITH_LABELS, N3, method)
        client.setOnlyConneg(True)
        client.addCustomHttpHeader("Accept", "application/n-triples")
    else:
        client = wrapper(endpoint, CONCEPTS_WITH_LABELS, return_format, method)
    content_type, converted = run(client)
    expected_type, rdflib_format = {
        TURTLE: ("text/turtle", "turtle"), RDFXML: ("application/rdf+xml", None),
        JSONLD: ("application/ld+json", None), "ntriples": ("application/n-triples", "nt"),
    }[return_format]
    assert content_type.split(";")[0] == expected_type
    if rdflib_format:  # SPARQLWrapper hands back the bytes
        assert isinstance(converted, bytes)
        converted = Graph().parse(data=converted, format=rdflib_format)
    _check_concepts_graph(converted, namespace)


#: every return format SPARQLWrapper knows, with every query form
EVERY_FORMAT = [JSON, XML, TURTLE, N3, RDF_FORMAT, RDFXML, CSV, TSV, JSONLD]
RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")
FORMS = {
    "SELECT": "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
              "SELECT ?c ?l WHERE { ?c a skos:Concept ; skos:prefLabel ?l FILTER(lang(?l) = 'fr')"
              " } ORDER BY ?c LIMIT 5",
    "ASK": "ASK { ?c a <http://www.w3.org/2004/02/skos/core#Concept> }",
    "CONSTRUCT": CONCEPTS_WITH_LABELS,
    "DESCRIBE": "DESCRIBE ?c WHERE { ?c a <http://www.w3.org/2004/02/skos/core#Concept> }",
}


def _as_graph(converted) -> Graph:
    """What SPARQLWrapper hands back for an RDF answer: a graph, or the bytes of Turtle."""
    if isinstance(converted, bytes):
        return Graph().parse(data=converted, format="turtle")
    graph = Graph()
    for triple in converted.triples((None, None, None)):
        graph.add(triple)
    return graph


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("return_format", EVERY_FORMAT)
@pytest.mark.parametrize("form", list(FORMS))
def test_sparqlwrapper_every_format_and_form(endpoint, namespace, form, return_format, method):
    """Each of SPARQLWrapper's formats on each query form: answered, as Fuseki would.

    SELECT and ASK asked for RDF get the result-set vocabulary; a CONSTRUCT or DESCRIBE
    asked for XML gets RDF/XML and for JSON gets JSON-LD (SPARQLWrapper sends format=xml
    beside Accept: application/rdf+xml); asked for CSV or TSV, a table of ?s ?p ?o.
    """
    content_type, converted = run(wrapper(endpoint, FORMS[form], return_format, method))
    media_type = content_type.split(";")[0]
    graph_query = form in ("CONSTRUCT", "DESCRIBE")
    if return_format in (CSV, TSV):
        table = converted.decode("utf-8").splitlines()
        if graph_query:
            assert table[0].replace("?", "").replace("\t", ",") == "s,p,o"
            assert len(table) > concept_count()
        elif form == "SELECT":
            assert len(table) == 6
        else:
            assert table[-1].lower() in ("true", "1")
    elif return_format == JSON and not graph_query:
        assert media_type == "application/sparql-results+json"
        assert converted.get("boolean") is True or len(converted["results"]["bindings"]) == 5
    elif return_format == XML and not graph_query:
        assert media_type == "application/sparql-results+xml"
        assert converted.getElementsByTagName("sparql")
    else:  # an RDF answer
        graph = _as_graph(converted)
        if form == "SELECT":
            assert len(set(graph.objects(None, RS.solution))) == 5
            assert {str(v) for v in graph.objects(None, RS.resultVariable)} == {"c", "l"}
        elif form == "ASK":
            assert Literal(True) in set(graph.objects(None, RS.boolean))
        else:
            assert len(set(graph.subjects(RDF.type, SKOS.Concept))) == concept_count()
            if form == "CONSTRUCT":
                _check_concepts_graph(graph, namespace)
        expected = {XML: "application/rdf+xml", RDF_FORMAT: "application/rdf+xml",
                    RDFXML: "application/rdf+xml", JSON: "application/ld+json",
                    JSONLD: "application/ld+json", TURTLE: "text/turtle", N3: "text/turtle"}
        assert media_type == expected[return_format]


def test_sparqlwrapper_errors(endpoint):
    client = wrapper(endpoint, "SELECT * WHERE { ?s ?p }", JSON, "GET")
    with pytest.raises(QueryBadFormed, match=r"error at \d+:\d+"):
        client.query()
    client = SPARQLWrapper(endpoint)
    client.setQuery("INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }")
    client.setMethod(POST)
    with pytest.raises(urllib.error.HTTPError) as refused:
        client.query()
    assert refused.value.code == 403


# --- rdflib's SPARQLStore, under several hash seeds ----------------------------------------

SPARQLSTORE_SCRIPT = textwrap.dedent('''
    import json, sys
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF, SKOS
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    endpoint, namespace, funnel_query, construct_query = sys.argv[1:5]
    found = {}
    for return_format, method in (("xml", "GET"), ("json", "POST_FORM"), ("xml", "POST")):
        store = SPARQLStore(endpoint, returnFormat=return_format, method=method)
        graph = Graph(store)
        count = graph.query("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a skos:Concept }",
                            initNs={"skos": SKOS})
        # with returnFormat="json", SPARQLStore accepts only SPARQL JSON results: a
        # CONSTRUCT is then rightly refused (406), so it is asked with "xml" only
        constructed = graph.query(construct_query).graph if return_format == "xml" else None
        found[return_format + " " + method] = {
            "accept": store.response_mime_types(),
            "concepts": int(next(iter(count))[0]),
            "typed": len(set(graph.subjects(RDF.type, SKOS.Concept))),
            "funnel": [str(row.stage) for row in graph.query(funnel_query)],
            "labels": sorted([str(o), o.language] for o in
                             graph.objects(URIRef(namespace + "opportunite"), SKOS.prefLabel)),
            "ask": graph.query("ASK { ?s a skos:Concept }", initNs={"skos": SKOS}).askAnswer,
            "constructed": None if constructed is None else
                           len(set(constructed.subjects(RDF.type, SKOS.Concept))),
        }
    print(json.dumps(found))
''')


@pytest.mark.parametrize("seed", ["0", "1", "2", "3"])
def test_rdflib_sparqlstore(endpoint, namespace, seed):
    environment = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", SPARQLSTORE_SCRIPT, endpoint, namespace, FUNNEL_QUERY,
         CONCEPTS_WITH_LABELS],
        capture_output=True, text=True, env=environment, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    expected_labels = sorted([text, lang] for lang, text in pref_labels(LABELLED).items())
    for variant, found in json.loads(done.stdout).items():
        assert found["concepts"] == concept_count(), (variant, found["accept"])
        assert found["typed"] == concept_count(), variant
        assert found["funnel"] == [namespace + m for m in funnel_members()], variant
        assert found["labels"] == expected_labels, variant
        assert found["ask"] is True, variant
        assert found["constructed"] in (None, concept_count()), variant
    assert json.loads(done.stdout)["xml GET"]["constructed"] == concept_count()


@pytest.mark.parametrize("accept", ["application/rdf+xml, application/sparql-results+xml",
                                    "application/sparql-results+xml, application/rdf+xml"])
def test_both_orders_of_sparqlstores_accept_header(endpoint, accept):
    """The two orders SPARQLStore's default Accept takes, whatever the hash seed."""
    select = fetch(endpoint + "?" + urllib.parse.urlencode({"query": COUNT_CONCEPTS}),
                   headers={"Accept": accept})
    assert select.status == 200 and select.media_type == "application/sparql-results+xml"
    construct = fetch(endpoint + "?" + urllib.parse.urlencode({"query": CONCEPTS_WITH_LABELS}),
                      headers={"Accept": accept})
    assert construct.status == 200 and construct.media_type == "application/rdf+xml"


# --- plain urllib ------------------------------------------------------------------------

def get(endpoint: str, accept: str | None = None, **params: str) -> Reply:
    return fetch(endpoint + "?" + urllib.parse.urlencode(params),
                 headers={"Accept": accept} if accept else {})


def count_in_json(reply: Reply) -> int:
    assert reply.status == 200, reply.body
    assert reply.media_type == "application/sparql-results+json"
    return int(json.loads(reply.body)["results"]["bindings"][0]["n"]["value"])


def test_get(endpoint):
    reply = get(endpoint, query=COUNT_CONCEPTS)
    assert count_in_json(reply) == concept_count()
    assert "Accept" in reply.headers.get("Vary", "")
    assert reply.headers.get_content_charset() == "utf-8"


def test_post_form(endpoint):
    reply = fetch(endpoint, data=urllib.parse.urlencode({"query": COUNT_CONCEPTS}).encode())
    assert count_in_json(reply) == concept_count()


def test_post_sparql_query(endpoint):
    reply = fetch(endpoint, data=COUNT_CONCEPTS.encode("utf-8"),
                  headers={"Content-Type": "application/sparql-query"})
    assert count_in_json(reply) == concept_count()
    reply = fetch(endpoint, data=COUNT_CONCEPTS.encode("utf-8"),
                  headers={"Content-Type": "application/sparql-query; charset=utf-8"})
    assert count_in_json(reply) == concept_count()


def test_post_sparql_query_keeps_accents(endpoint, namespace):
    label = pref_labels(LABELLED)["fr"]
    query = (f'ASK {{ <{namespace}{LABELLED}> <{SKOS.prefLabel}> "{label}"@fr }}')
    reply = fetch(endpoint, data=query.encode("utf-8"),
                  headers={"Content-Type": "application/sparql-query"})
    assert json.loads(reply.body)["boolean"] is True
    assert json.loads(get(endpoint, query=query).body)["boolean"] is True


@pytest.mark.parametrize("fmt, media_type", [
    ("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
    ("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
    ("text/csv", "text/csv"), ("application/sparql-results+xml", "application/sparql-results+xml"),
])
def test_format_parameter_overrides_accept(endpoint, fmt, media_type):
    reply = get(endpoint, accept="application/sparql-results+json", query=COUNT_CONCEPTS,
                format=fmt)
    assert reply.status == 200 and reply.media_type == media_type
    assert str(concept_count()) in reply.text


@pytest.mark.parametrize("fmt, media_type", [
    ("turtle", "text/turtle"), ("ttl", "text/turtle"), ("nt", "application/n-triples"),
    ("rdfxml", "application/rdf+xml"), ("jsonld", "application/ld+json"),
    ("json", "application/ld+json"),
])
def test_format_parameter_on_construct(endpoint, namespace, fmt, media_type):
    reply = get(endpoint, accept="text/turtle", query=CONCEPTS_WITH_LABELS, format=fmt)
    assert reply.status == 200 and reply.media_type == media_type
    rdflib_format = {"text/turtle": "turtle", "application/n-triples": "nt",
                     "application/rdf+xml": "xml", "application/ld+json": "json-ld"}[media_type]
    _check_concepts_graph(Graph().parse(data=reply.body, format=rdflib_format), namespace)


@pytest.mark.parametrize("accept, media_type", [
    (None, "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("application/json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/sparql-results+xml;q=0.5, text/tab-separated-values",
     "text/tab-separated-values"),
    ("text/html;q=0.1, text/csv;q=0.9", "text/csv"),
])
def test_accept_negotiation_for_select(endpoint, accept, media_type):
    reply = get(endpoint, accept=accept, query=COUNT_CONCEPTS)
    assert reply.status == 200 and reply.media_type == media_type


@pytest.mark.parametrize("accept, media_type", [
    (None, "text/turtle"),
    ("*/*", "text/turtle"),
    ("application/n-triples", "application/n-triples"),
    ("application/rdf+xml", "application/rdf+xml"),
    ("application/ld+json", "application/ld+json"),
    ("application/json", "application/ld+json"),
    ("text/turtle;q=0.5, application/n-triples", "application/n-triples"),
])
def test_accept_negotiation_for_construct(endpoint, accept, media_type):
    reply = get(endpoint, accept=accept, query=CONCEPTS_WITH_LABELS)
    assert reply.status == 200 and reply.media_type == media_type


def test_406_lists_what_can_be_served(endpoint):
    reply = get(endpoint, accept="image/png", query=COUNT_CONCEPTS)
    assert reply.status == 406 and reply.media_type == "text/plain"
    for media_type in ("application/sparql-results+json", "application/sparql-results+xml",
                       "text/csv", "text/tab-separated-values"):
        assert media_type in reply.text
    reply = get(endpoint, accept="image/png", query=CONCEPTS_WITH_LABELS)
    assert reply.status == 406
    for media_type in ("text/turtle", "application/n-triples", "application/rdf+xml",
                       "application/ld+json"):
        assert media_type in reply.text
    # a format that no query form has
    assert get(endpoint, query=CONCEPTS_WITH_LABELS, format="image/png").status == 406


def test_415_for_another_content_type(endpoint):
    reply = fetch(endpoint, data=COUNT_CONCEPTS.encode(), headers={"Content-Type": "text/plain"})
    assert reply.status == 415 and reply.media_type == "text/plain"
    assert "application/sparql-query" in reply.text


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_405_with_allow(endpoint, method):
    reply = fetch(endpoint + "?" + urllib.parse.urlencode({"query": "ASK {}"}), method=method,
                  data=b"ASK {}", headers={"Content-Type": "application/sparql-query"})
    assert reply.status == 405
    allowed = {m.strip() for m in reply.headers["Allow"].split(",")}
    assert {"GET", "POST"} <= allowed and method not in allowed


def test_400_gives_the_parsers_message_and_position(endpoint):
    query = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nSELECT * WHERE {\n" \
            "  ?c a skos:Concept\n} LIMT 3"
    reply = get(endpoint, query=query)
    assert reply.status == 400 and reply.media_type == "text/plain"
    position = re.search(r"\b(\d+):(\d+)\b", reply.text)
    assert position, reply.text
    assert int(position.group(1)) == 4  # the line of LIMT
    assert "Traceback" not in reply.text


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_get_without_query_as_a_browser(endpoint):
    reply = fetch(endpoint, headers={"Accept": BROWSER_ACCEPT})
    assert reply.status == 200 and reply.media_type == "text/html"
    assert "<form" in reply.text and "SPARQL" in reply.text


@pytest.mark.parametrize("accept, rdflib_format", [
    ("text/turtle", "turtle"), ("application/rdf+xml", "xml"),
    ("application/ld+json", "json-ld"),
])
def test_get_without_query_as_a_client(endpoint, accept, rdflib_format):
    """The endpoint names itself by a relative IRI, resolved against the URL fetched (as
    a client does): the description never repeats the Host header it was sent."""
    reply = fetch(endpoint, headers={"Accept": accept})
    assert reply.status == 200 and reply.media_type == accept
    description = Graph().parse(data=reply.body, format=rdflib_format, publicID=endpoint)
    service = URIRef(endpoint)
    assert (service, SD.endpoint, service) in description
    assert (service, RDF.type, SD.Service) in description
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in description
    assert len(set(description.objects(service, SD.resultFormat))) >= 8


def test_cors(endpoint):
    reply = get(endpoint, query="ASK {}")
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    reply = fetch(endpoint + "?" + urllib.parse.urlencode({"query": "ASK {}"}),
                  headers={"Origin": "https://elsewhere.example"})
    assert reply.headers["Access-Control-Allow-Origin"] in ("*", "https://elsewhere.example")


def test_cors_preflight(endpoint):
    reply = fetch(endpoint, method="OPTIONS", headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type"})
    assert reply.status in (200, 204)
    assert reply.headers["Access-Control-Allow-Origin"] in ("*", "https://elsewhere.example")
    methods = {m.strip() for m in reply.headers["Access-Control-Allow-Methods"].split(",")}
    assert {"GET", "POST"} <= methods
    assert "content-type" in reply.headers["Access-Control-Allow-Headers"].lower()

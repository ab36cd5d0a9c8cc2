"""The W3C SPARQL 1.1 Protocol tests, replayed over HTTP against our endpoint.

The manifest (``../shared/conformance/sparql11-protocol/manifest.ttl``, third
party, unmodified) describes each test as one or more HTTP requests and the
class of status, the result format and, for ASK, the boolean expected. Each
``mf:ProtocolTest`` is one test here, numbered as in the manifest. The graphs
of ``ut:graphData`` are served as named graphs through the app's
``EXTRA_NAMED_GRAPHS`` setting, so that the query workers hold them too. Every
test runs on the embedded store and again with the app in front of Oxigraph's
server and of Virtuoso (tests/support/triple_stores.py), the graphs pushed there.

Tests that do not apply to a read-only endpoint are listed in
:data:`NOT_APPLICABLE` with the reason; for those, we still check what a
read-only endpoint must do instead: refuse the update with 403 and leave the
data unchanged.
"""

from __future__ import annotations

import http.client
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection

from graph.cli import main as cli
from tests.support.data import SHARED, needs_shared
from tests.support.servers import LiveServer
from tests.support.triple_stores import STORES

PROTOCOL_DIR = SHARED / "conformance" / "sparql11-protocol"
MANIFEST = PROTOCOL_DIR / "manifest.ttl"

if not MANIFEST.is_file():
    pytest.skip(needs_shared.kwargs["reason"], allow_module_level=True)

READ_ONLY = "read-only endpoint (403 by design): the test needs SPARQL Update to succeed"

#: manifest test name → why it does not apply (numbers as in the manifest's mf:entries)
NOT_APPLICABLE: dict[str, str] = {
    "update_dataset_default_graph": READ_ONLY,  # 13
    "update_dataset_default_graphs": READ_ONLY,  # 14
    "update_dataset_named_graphs": READ_ONLY,  # 15
    "update_dataset_full": READ_ONLY,  # 16
    "update_post_form": READ_ONLY,  # 17
    "update_post_direct": READ_ONLY,  # 18
    "update_base_uri": READ_ONLY,  # 19
}

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
SRX = "{http://www.w3.org/2005/sparql-results#}"

#: media types that carry each mf:expectedFormat (RDFa is not one we serve)
FORMATS = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {"application/sparql-results+json", "application/sparql-results+xml",
                "text/csv", "text/tab-separated-values"},
    "RDF": {"text/turtle", "application/n-triples", "application/rdf+xml",
            "application/ld+json"},
}
RDFLIB_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt",
                  "application/rdf+xml": "xml", "application/ld+json": "json-ld"}


@dataclass
class ProtocolRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[int]  # expected status classes: 2, 3, 4
    result_format: str | None = None
    boolean: bool | None = None

    @property
    def is_update(self) -> bool:
        content_type = self.headers.get("content-type", "")
        return (content_type.startswith("application/sparql-update")
                or (self.body or b"").startswith(b"update=") or "update=" in self.path)


@dataclass
class ProtocolTest:
    number: int
    name: str
    title: str
    requests: list[ProtocolRequest]
    graph_data: list[tuple[Path, str]] = field(default_factory=list)


def _list(graph: Graph, head) -> list:
    return list(Collection(graph, head)) if head is not None else []


def load_manifest() -> list[ProtocolTest]:
    graph = Graph().parse(MANIFEST, format="turtle")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    found = []
    for number, test in enumerate(_list(graph, graph.value(manifest, MF.entries)), start=1):
        if (test, RDF.type, MF.ProtocolTest) not in graph:
            continue
        action = graph.value(test, MF.action)
        requests = []
        for req in _list(graph, graph.value(action, HT.requests)):
            headers = {str(graph.value(h, HT.fieldName)).lower(): str(graph.value(h, HT.fieldValue))
                       for h in _list(graph, graph.value(req, HT.headers))}
            body_node = graph.value(req, HT.body)
            body = None
            if body_node is not None:
                encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(graph.value(body_node, CNT.chars)).encode(encoding)
            resp = graph.value(req, HT.resp)
            statuses = {int(str(s)[-3]) for s in graph.objects(resp, MF.expectedStatus)}
            fmt = graph.value(resp, MF.expectedFormat)
            boolean = graph.value(resp, MF.expectedBoolean)
            path = str(graph.value(req, HT.absolutePath))
            assert path.startswith("/sparql/"), path
            requests.append(ProtocolRequest(
                method=str(graph.value(req, HT.methodName)),
                path="/sparql" + path[len("/sparql/"):], headers=headers, body=body,
                statuses=statuses, result_format=str(fmt) if fmt is not None else None,
                boolean=boolean.toPython() if boolean is not None else None))
        graph_data = [(Path(url2pathname(urlparse(str(graph.value(d, UT.graph))).path)),
                       str(graph.value(d, RDFS.label)))
                      for d in graph.objects(test, UT.graphData)]
        name = str(test).rsplit("#", 1)[-1]
        found.append(ProtocolTest(number, name, str(graph.value(test, MF.name)), requests,
                                  sorted(graph_data, key=lambda pair: pair[1])))
    return found


TESTS = load_manifest()


def all_graph_data() -> list[tuple[str, str]]:
    pairs = {(str(path), label) for test in TESTS for path, label in test.graph_data}
    return sorted(pairs)


@pytest.fixture(scope="module", params=STORES)
def protocol_server(request, triple_store):
    """An app whose store also holds the protocol tests' graphs (data1-3), under waitress.

    On the embedded store they are ``EXTRA_NAMED_GRAPHS``; on an external store
    (Oxigraph's server, Virtuoso) each is pushed into its named graph beside ours.
    """
    from graph.query.remote import push_graph
    from webapp import create_app

    config = {"TESTING": True, "SPARQL_WORKERS": 2, "SPARQL_TIMEOUT": 5.0}
    if request.param == "embedded":
        config["EXTRA_NAMED_GRAPHS"] = all_graph_data()
    else:
        server = triple_store(request.param)
        result = CliRunner().invoke(cli, ["push", "--graph-store", server.graph_store])
        assert result.exit_code == 0, result.output
        for path, label in all_graph_data():
            triples = Graph().parse(path, publicID=label).serialize(format="nt", encoding="utf-8")
            push_graph(triples, label, graph_store=server.graph_store)
        config["SPARQL_ENDPOINT"] = server.query
    application = create_app(config)
    engine = application.extensions["crmkg"].engine
    engine.start()
    server = LiveServer(application)
    yield server
    server.stop()
    engine.close()


@dataclass
class Answer:
    status: int
    media_type: str
    body: bytes


def replay(server: LiveServer, requests: list[ProtocolRequest]):
    """Send the requests in order on one connection; yield (request, answer) pairs."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=15)
    try:
        for req in requests:
            connection.request(req.method, req.path, body=req.body, headers=req.headers)
            response = connection.getresponse()
            body = response.read()
            media_type = (response.getheader("Content-Type") or "").split(";")[0].strip()
            yield req, Answer(response.status, media_type.lower(), body)
    finally:
        connection.close()


def boolean_of(answer: Answer) -> bool:
    if answer.media_type == "application/sparql-results+json":
        document = json.loads(answer.body)
        assert isinstance(document.get("boolean"), bool), document
        return document["boolean"]
    root = ET.fromstring(answer.body)
    element = root.find(f"{SRX}boolean")
    assert element is not None, answer.body
    return element.text.strip() == "true"


def check_format(answer: Answer, expected: str) -> None:
    assert answer.media_type in FORMATS[expected], (
        f"{answer.media_type!r} is not a {expected} format; expected one of "
        f"{sorted(FORMATS[expected])}")
    if expected == "RDF":  # it must also parse as what it says it is
        Graph().parse(data=answer.body, format=RDFLIB_FORMATS[answer.media_type])
    elif expected == "boolean":
        boolean_of(answer)
    elif answer.media_type == "application/sparql-results+json":
        document = json.loads(answer.body)
        assert "vars" in document["head"] and "bindings" in document["results"], document
    elif answer.media_type == "application/sparql-results+xml":
        assert ET.fromstring(answer.body).find(f"{SRX}results") is not None
    else:  # CSV / TSV: a header line at least
        assert answer.body.decode("utf-8").splitlines(), answer.body


def _id(test: ProtocolTest) -> str:
    return f"{test.number:02d}-{test.name}"


def test_manifest_is_complete():
    assert len(TESTS) == 34
    assert set(NOT_APPLICABLE) <= {t.name for t in TESTS}
    assert [t.number for t in TESTS if t.name in NOT_APPLICABLE] == list(range(13, 20))


@pytest.mark.parametrize("test", TESTS, ids=_id)
def test_protocol(protocol_server, test: ProtocolTest):
    if test.name in NOT_APPLICABLE:
        pytest.skip(NOT_APPLICABLE[test.name])
    for req, answer in replay(protocol_server, test.requests):
        where = f"{test.title}: {req.method} {req.path}"
        assert answer.status // 100 in req.statuses, (
            f"{where}: status {answer.status}, expected {sorted(req.statuses)}xx; "
            f"{answer.body[:300]!r}")
        if req.result_format:
            check_format(answer, req.result_format)
        if req.boolean is not None:
            assert boolean_of(answer) is req.boolean, where


UPDATE_TESTS = [t for t in TESTS if t.name in NOT_APPLICABLE]


@pytest.mark.parametrize("test", UPDATE_TESTS, ids=_id)
def test_read_only_refuses_the_update_tests(protocol_server, test: ProtocolTest):
    """What a read-only endpoint answers instead: 403 to the update, and no change.

    The ASK that follows each update (expected true on a writable endpoint)
    must be false here: the graphs the update would have written do not exist.
    """
    assert any(req.is_update for req in test.requests)
    for req, answer in replay(protocol_server, test.requests):
        if req.is_update:
            assert answer.status == 403, (req.path, answer.status, answer.body)
            assert b"read-only" in answer.body
        else:
            assert answer.status == 200, answer.body
            check_format(answer, "boolean")
            assert boolean_of(answer) is False
    # and the protocol graphs are all still there
    ask = ("ASK { " + " ".join(f"GRAPH <{label}> {{ <{label}> a ?type }}"
                               for _, label in all_graph_data()) + " }")
    (_, answer), = replay(protocol_server, [ProtocolRequest(
        "POST", "/sparql", {"content-type": "application/sparql-query"}, ask.encode(), {2})])
    assert answer.status == 200 and boolean_of(answer) is True


def test_extra_named_graphs_are_in_the_service_description(protocol_server):
    SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
    connection = http.client.HTTPConnection("127.0.0.1", protocol_server.port, timeout=15)
    connection.request("GET", "/sparql", headers={"Accept": "text/turtle"})
    response = connection.getresponse()
    assert response.status == 200
    description = Graph().parse(data=response.read(), format="turtle")
    connection.close()
    names = {str(name) for name in description.objects(None, SD.name)}
    assert {label for _, label in all_graph_data()} <= names
    assert URIRef("http://kasei.us/2009/09/sparql/data/data1.rdf") in set(
        description.objects(None, SD.name))


def test_extra_named_graphs_setting_from_the_environment(monkeypatch):
    from webapp.settings import load_settings

    assert load_settings()["EXTRA_NAMED_GRAPHS"] == []
    monkeypatch.setenv("CRMKG_EXTRA_NAMED_GRAPHS", '[["data1.nt", "http://example.org/g"]]')
    assert load_settings()["EXTRA_NAMED_GRAPHS"] == [["data1.nt", "http://example.org/g"]]
    monkeypatch.setenv("CRMKG_EXTRA_NAMED_GRAPHS", "data1.nt")
    with pytest.raises(ValueError, match="CRMKG_EXTRA_NAMED_GRAPHS"):
        load_settings()


def test_extra_named_graphs_refuse_a_file_of_quads(tmp_path):
    from webapp import create_app

    quads = tmp_path / "g.nq"
    quads.write_text("<http://a> <http://b> <http://c> <http://g> .\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a file of triples"):
        create_app({"EXTRA_NAMED_GRAPHS": [(str(quads), "http://example.org/g")]})

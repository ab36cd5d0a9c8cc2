"""The SPARQL 1.1 Protocol endpoint at /sparql, and its query page.

Queries arrive by GET, by POST form or by POST ``application/sparql-query``;
they are inspected (:mod:`graph.query.sparql`) before anything evaluates them, then
run by the worker pool (:mod:`graph.query.engine`, :mod:`graph.query.worker`) under
the time and row limits.
Errors are plain text, as other endpoints give them: 400 with the parser's
message and position, 403 for updates and anything that would reach out,
405, 406, 413, 415, and 503 past the time limit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from flask import Blueprint, Response, current_app, render_template, request, url_for
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from graph.formats import RESULTS_FORMATS, SERVED
from graph.query.answers import GRAPH_FORMATS, RESULT_FORMATS, QueryRequest
from graph.query.sparql import QueryRefused, check_dataset_parameters, inspect_query
from webapp.negotiation import choose, wants_html
from webapp.pages import current_language, public_url_for, query_base_iri, state
from webapp.security import CONTENT_SECURITY_POLICY_INLINE_STYLES
from webapp.views.sparql_cells import shown_rows

blueprint = Blueprint("sparql", __name__)

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
VOID = Namespace("http://rdfs.org/ns/void#")

RESULT_TYPES = [*RESULT_FORMATS.values(), "application/json", "text/html",
                # the results as a graph (graph/query/answers.py), as Fuseki and Virtuoso
                *GRAPH_FORMATS.values()]
GRAPH_TYPES = [*GRAPH_FORMATS.values(), "application/json", "text/html",
    # the triples as a table of ?s ?p ?o, as Virtuoso gives a CONSTRUCT asked for CSV
    RESULT_FORMATS["csv"], RESULT_FORMATS["tsv"]]
#: rows (or triples) an HTML results page shows at most; the whole answer is a download
HTML_MAX_ROWS = 1000
#: format names accepted in ?format= / ?output=, beside media types: the RDF syntaxes'
#: names, then the results formats' (so "xml" names SPARQL XML, see GRAPH_MEANING)
FORMAT_NAMES = {**{name: s.media_type for s in SERVED for name in s.names},
                **{name: f.media_type for f in RESULTS_FORMATS for name in (f.name, *f.aliases)},
                "html": "text/html"}
#: what a results format named in ?format= means on a graph query (CONSTRUCT, DESCRIBE):
#: "xml" is RDF/XML and "json" JSON-LD there, as Fuseki and Virtuoso read them, and as
#: SPARQLWrapper sends them (format=xml beside Accept: application/rdf+xml)
GRAPH_MEANING = {"application/sparql-results+json": "application/ld+json",
                 "application/sparql-results+xml": "application/rdf+xml"}
NAME_OF_TYPE = {**{v: k for k, v in RESULT_FORMATS.items()},
                **{v: k for k, v in GRAPH_FORMATS.items()}}


@dataclass
class Example:
    slug: str
    title_fr: str
    title_en: str
    query: str


def examples() -> list[Example]:
    found = []
    for path in sorted(QUERIES_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        titles = {line[2:4]: line[5:].strip() for line in text.splitlines()[:2]
                  if line.startswith(("# fr:", "# en:"))}
        body = "\n".join(line for line in text.splitlines()
                         if not line.startswith(("# fr:", "# en:")))
        found.append(Example(path.stem, titles.get("fr", path.stem), titles.get("en", path.stem),
                             body.strip() + "\n"))
    return found


def _plain(status: int, message: str, **headers: str) -> Response:
    response = Response(message.rstrip("\n") + "\n", status=status,
                        mimetype="text/plain")
    response.headers.update(headers)
    return response


@dataclass
class ProtocolRequest:
    """A request as the SPARQL 1.1 Protocol reads it: the query or update texts, and the
    dataset parameters, from a GET, a POST form or a POST application/sparql-query."""

    queries: list[str]
    updates: list[str]
    default_graphs: list[str]
    named_graphs: list[str]


class ProtocolError(Exception):
    """A request the protocol does not allow; the plain-text answer to give."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


_READ_ONLY = "Forbidden: this endpoint is read-only; SPARQL Update is not allowed."


def _read_request() -> ProtocolRequest:
    if request.method == "GET":
        params = request.args
        return ProtocolRequest(params.getlist("query"), params.getlist("update"),
                               params.getlist("default-graph-uri"),
                               params.getlist("named-graph-uri"))
    mimetype = request.mimetype
    if mimetype == "application/x-www-form-urlencoded":
        if request.args.getlist("query"):
            raise ProtocolError(400, "Bad Request: send the query in the body or in the URL, "
                                     "not both.")
        params = request.form
        # dataset parameters may come in the body or in the URL (as Fuseki reads them)
        return ProtocolRequest(
            params.getlist("query"), params.getlist("update"),
            params.getlist("default-graph-uri") or request.args.getlist("default-graph-uri"),
            params.getlist("named-graph-uri") or request.args.getlist("named-graph-uri"))
    if mimetype == "application/sparql-query":
        return ProtocolRequest([_query_body()], [], request.args.getlist("default-graph-uri"),
                               request.args.getlist("named-graph-uri"))
    if mimetype == "application/sparql-update":
        raise ProtocolError(403, _READ_ONLY)
    raise ProtocolError(415, "Unsupported Media Type: POST a query as "
                             "application/x-www-form-urlencoded (query=…) or as "
                             f"application/sparql-query, not {mimetype or 'no type'}.")


def _query_body() -> str:
    """The query of a POST ``application/sparql-query``: the body, in UTF-8 only."""
    if request.args.getlist("query"):
        raise ProtocolError(400, "Bad Request: a query posted as application/sparql-query "
                                 "cannot also have a 'query' parameter.")
    charset = request.mimetype_params.get("charset", "utf-8")
    if charset.lower().replace("-", "") != "utf8":
        # the protocol (2.1.3) makes the body UTF-8; its tests expect UTF-16 refused
        raise ProtocolError(415, f"Unsupported Media Type: a query posted as "
                                 f"application/sparql-query must be UTF-8, not {charset}.")
    try:
        return request.get_data(as_text=False).decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "Bad Request: the query is not valid UTF-8.") from None


def _the_query(asked: ProtocolRequest) -> str:
    """The one query of the request, within the length limit."""
    if asked.updates and asked.queries:
        raise ProtocolError(400, "Bad Request: a request has either 'query' or 'update', "
                                 "not both.")
    if asked.updates:
        raise ProtocolError(403, _READ_ONLY)
    if not asked.queries:
        raise ProtocolError(400, "Bad Request: no query: send 'query=' (form) or a body of "
                                 "type application/sparql-query.")
    if len(asked.queries) > 1:
        raise ProtocolError(400, "Bad Request: more than one 'query' parameter.")
    query = asked.queries[0]
    limit = int(current_app.config["SPARQL_MAX_QUERY_LENGTH"])
    if len(query) > limit:
        raise ProtocolError(413, f"Payload Too Large: the query has {len(query):,} "
                                 f"characters; this endpoint accepts up to {limit:,}.")
    if not query.strip():
        raise ProtocolError(400, "Bad Request: the query is empty.")
    return query


@blueprint.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    try:
        asked = _read_request()
        if request.method == "GET" and not asked.queries and not asked.updates:
            return query_page() if wants_html() else service_description()
        query = _the_query(asked)
    except ProtocolError as refused:
        return _plain(refused.status, refused.message)
    app_state = state()
    try:
        info = inspect_query(query, known_graphs=app_state.store.named_graphs(),
                             base_iri=query_base_iri())
        check_dataset_parameters(asked.default_graphs, asked.named_graphs)
    except QueryRefused as refused:
        title = {400: "Bad Request", 403: "Forbidden"}.get(refused.status, "Error")
        return _plain(refused.status, f"{title}: {refused.message}")
    offered = GRAPH_TYPES if info.returns_graph else RESULT_TYPES
    media_type = choose(offered, _explicit_format(offered, info.returns_graph))
    as_html = media_type == "text/html"
    if media_type == "application/json" or as_html:
        media_type = GRAPH_FORMATS["jsonld"] if info.returns_graph else RESULT_FORMATS["json"]
    if as_html and info.returns_graph:
        media_type = GRAPH_FORMATS["turtle"]
    result = app_state.engine.execute(QueryRequest(
        query=query, result_format=NAME_OF_TYPE[media_type],
        default_graphs=asked.default_graphs, named_graphs=asked.named_graphs,
        base_iri=query_base_iri(),
        # a page is read, not processed: the rest is a download away, and a table of
        # 10,000 rows took seconds and a gigabyte to build in the web process
        max_rows=HTML_MAX_ROWS if as_html else 0))
    if result.status != 200:
        title = {400: "Bad Request", 503: "Service Unavailable"}.get(result.status, "Error")
        return _plain(result.status, f"{title}: {result.body.decode('utf-8', 'replace')}")
    if as_html:
        return results_page(query, info.form, result.media_type, result.body, result.truncated)
    response = Response(result.body, status=200, content_type=_with_charset(result.media_type))
    response.vary.add("Accept")
    if result.truncated:
        # the limit that cut them: the rows, or the size (a few huge values)
        response.headers["X-Result-Truncated"] = result.limit or \
            f"max-rows={app_state.engine.max_rows}"
    return response


def _explicit_format(offered: list[str], returns_graph: bool) -> str | None:
    """The media type named by ``?format=`` / ``?output=``, if any.

    Clients may repeat them (SPARQLWrapper sends ``format=rdf+xml&format=application/rdf+xml``
    and the same as ``output``): the first value we can serve wins; if none can be
    served, the first one is returned, for a 406 that lists what can.
    """
    names = request.values.getlist("format") + request.values.getlist("output")
    wanted = []
    for name in names:
        media_type = FORMAT_NAMES.get(name.strip().lower(), name.strip().lower())
        if returns_graph:  # as Fuseki and Virtuoso read them on CONSTRUCT and DESCRIBE
            media_type = GRAPH_MEANING.get(media_type, media_type)
        wanted.append(media_type)
    return next((m for m in wanted if m in offered), wanted[0] if wanted else None)


def _with_charset(media_type: str) -> str:
    return f"{media_type}; charset=utf-8" if "charset" not in media_type else media_type


def query_page() -> Response:
    response = Response(render_template("sparql/query.html", title="SPARQL",
                                        examples=examples(),
                                        endpoint=url_for("sparql.endpoint"),
                                        public_endpoint=public_url_for("sparql.endpoint"),
                                        concept_namespace=state().concept_namespace),
                        mimetype="text/html")
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY_INLINE_STYLES
    return response


def results_page(query: str, form: str, media_type: str, body: bytes,
                 truncated: bool) -> Response:
    """The results as an HTML table, for the query form that works without JavaScript."""
    table = None
    boolean = None
    text = None
    if media_type == RESULT_FORMATS["json"]:
        document = json.loads(body)
        if "boolean" in document:
            boolean = document["boolean"]
        else:
            names = document["head"]["vars"]
            table = {"vars": names, "rows": shown_rows(document["results"]["bindings"], names,
                                                       current_language())}
    else:
        text = body.decode("utf-8")
    downloads = (["json", "csv", "tsv", "xml"] if form in ("SELECT", "ASK")
                 else ["turtle", "ntriples", "jsonld", "rdfxml"])
    return Response(render_template(
        "sparql/results.html", title="SPARQL", query=query, form=form, table=table,
        boolean=boolean, text=text, truncated=truncated, examples=examples(),
        endpoint=url_for("sparql.endpoint"), lang_code=current_language(),
        shown_at_most=HTML_MAX_ROWS, downloads=downloads,
        # the query page opens the query from its address's fragment (sparql.js)
        editor_url=url_for("sparql.endpoint") + "#query=" + quote(query, safe="")),
        mimetype="text/html")


#: stands for the endpoint's own IRI while the description is serialised without
#: PUBLIC_URL; replaced by the empty relative reference, which a client resolves against
#: the URL it fetched
_SELF = "http://crmkg.invalid/sparql-endpoint-itself"
_SD_FORMATS = {syntax.media_type: syntax.rdflib for syntax in SERVED}


def service_description() -> Response:
    """The SPARQL 1.1 service description; its IRIs never come from the Host header.

    With PUBLIC_URL the endpoint is named by its absolute URL. Without, by the empty
    relative IRI (``<>`` in Turtle: "this document's URL", which is the endpoint's), so
    N-Triples, which has no relative IRIs, is offered only with PUBLIC_URL.
    """
    app_state = state()
    public = public_url_for("sparql.endpoint")
    endpoint_iri = URIRef(public or _SELF)
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("formats", FORMATS)
    graph.bind("void", VOID)
    graph.add((endpoint_iri, RDF.type, SD.Service))
    graph.add((endpoint_iri, SD.endpoint, endpoint_iri))
    graph.add((endpoint_iri, SD.supportedLanguage, SD.SPARQL11Query))
    for fmt in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                "SPARQL_Results_TSV", "Turtle", "N-Triples", "RDF_XML", "JSON-LD"):
        graph.add((endpoint_iri, SD.resultFormat, FORMATS[fmt]))
    graph.add((endpoint_iri, SD.feature, SD.EmptyGraphs))
    dataset = BNode("dataset")
    default = BNode("default")
    graph.add((endpoint_iri, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(app_state.counts["triples"], datatype=XSD.integer)))
    for name in sorted(app_state.store.named_graphs()):
        named = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, SD.name, URIRef(name)))
    offered = [t for t in _SD_FORMATS if public or t != "application/n-triples"]
    media_type = choose(offered)
    body = graph.serialize(format=_SD_FORMATS[media_type], encoding="utf-8")
    if not public:
        body = body.replace(_SELF.encode(), b"")
    response = Response(body, content_type=_with_charset(media_type))
    response.vary.add("Accept")
    return response

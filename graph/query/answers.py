"""What a query answers, in the format asked for: shared by the query workers and the
external store's engine.

Every query form is answered in every format a client may ask, as Fuseki and Virtuoso
answer it: SELECT and ASK results as RDF (the result-set vocabulary of the W3C SPARQL
tests) when asked for Turtle, RDF/XML or JSON-LD,

    [] a rs:ResultSet ; rs:resultVariable "c" ;
       rs:solution [ rs:index 1 ; rs:binding [ rs:variable "c" ; rs:value <…> ] ] .

an ASK as ``[] a rs:ResultSet ; rs:boolean true``, and a CONSTRUCT asked for CSV or TSV
as a table of ``?s ?p ?o``. The result set's blank nodes are named by their place in the
results, so the same results give the same bytes. An XML answer that would hold a
character XML cannot hold is a 406 instead.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from graph.formats import RESULTS_BY_NAME, RESULTS_FORMATS, SERVED, SERVED_BY_NAME
from graph.text import first_non_xml_char

#: bytes of results (estimated as JSON) a worker returns at most; more rows are cut
#: (``truncated``), as at the row limit. 10,000 ordinary rows take 1-5 MB.
MAX_RESULT_BYTES = 32 * 1024 * 1024

#: results formats (SELECT, ASK) and RDF syntaxes (CONSTRUCT, DESCRIBE) by name, with their
#: media type (graph/formats.py)
RESULT_FORMATS = {f.name: f.media_type for f in RESULTS_FORMATS}
GRAPH_FORMATS = {s.name: s.media_type for s in SERVED}


@dataclass
class QueryRequest:
    query: str
    result_format: str  # a key of RESULT_FORMATS or GRAPH_FORMATS
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)
    #: IRI against which relative IRIs of the query resolve (the endpoint's own URL)
    base_iri: str | None = None
    #: rows (or triples) wanted at most, below the engine's own limit (0: the engine's)
    max_rows: int = 0

    def row_limit(self, engine_limit: int) -> int:
        return min(engine_limit, self.max_rows) if self.max_rows > 0 else engine_limit


@dataclass
class QueryResponse:
    status: int
    media_type: str
    body: bytes
    truncated: bool = False
    elapsed: float = 0.0
    #: the limit that cut the results, as in the X-Result-Truncated header ("max-rows=N")
    limit: str = ""

    @classmethod
    def error(cls, status: int, message: str) -> QueryResponse:
        return cls(status, "text/plain; charset=utf-8", message.encode("utf-8"))


def graph_answer(ox: Any, triples: list[Any], request: QueryRequest) -> QueryResponse:
    """A CONSTRUCT's or DESCRIBE's triples in the format asked for: an RDF syntax, or, for
    CSV and TSV, a table of subject, predicate and object (as Virtuoso gives it)."""
    if request.result_format in ("csv", "tsv"):
        out = io.BytesIO()
        ox.parse_query_results(triples_as_table(triples), ox.QueryResultsFormat.JSON).serialize(
            out, results_format(ox, request.result_format))
        return QueryResponse(200, RESULT_FORMATS[request.result_format], out.getvalue())
    fmt = request.result_format if request.result_format in GRAPH_FORMATS else "turtle"
    body = ox.serialize(triples, format=graph_format(ox, fmt),
                        **({"prefixes": request.prefixes} if fmt == "turtle" else {}))
    return unless_not_xml(QueryResponse(200, GRAPH_FORMATS[fmt], body or b""))


def results_as_graph(ox: Any, results: Any, request: QueryRequest) -> QueryResponse:
    """SELECT or ASK results written as RDF (the result-set vocabulary), in the graph
    format asked for: what Fuseki and Virtuoso answer to a SELECT asked for Turtle."""
    fmt = request.result_format
    body = ox.serialize(results_as_triples(results), format=graph_format(ox, fmt),
                        **({"prefixes": {"rs": RS}} if fmt == "turtle" else {}))
    return unless_not_xml(QueryResponse(200, GRAPH_FORMATS[fmt], body or b""))


def unless_not_xml(response: QueryResponse) -> QueryResponse:
    """The response; or a 406 if it is XML holding a character XML 1.0 cannot hold."""
    if "xml" not in response.media_type:
        return response
    char = first_non_xml_char(response.body.decode("utf-8", "replace"))
    if char is None:
        return response
    return QueryResponse.error(
        406, f"The result holds the control character {char}, which XML 1.0 cannot hold: "
             "it has no XML form. Ask for JSON, CSV or TSV results (or Turtle, N-Triples "
             "for a graph).")


def results_format(_ox: Any, name: str) -> Any:
    return RESULTS_BY_NAME[name].ox


def graph_format(_ox: Any, name: str) -> Any:
    return SERVED_BY_NAME[name].ox


RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"
_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")


def _rs(name: str) -> ox.NamedNode:
    return ox.NamedNode(RS + name)


def results_as_triples(results: Any) -> list[ox.Triple]:
    """``results`` (pyoxigraph's QuerySolutions or QueryBoolean) as result-set triples."""
    root = ox.BlankNode("rs-results")
    triples = [ox.Triple(root, _TYPE, _rs("ResultSet"))]
    if isinstance(results, ox.QueryBoolean):
        triples.append(ox.Triple(root, _rs("boolean"),
                                 ox.Literal("true" if bool(results) else "false",
                                            datatype=_BOOLEAN)))
        return triples
    names = [variable.value for variable in results.variables]
    triples += [ox.Triple(root, _rs("resultVariable"), ox.Literal(name)) for name in names]
    for index, solution in enumerate(results, start=1):
        node = ox.BlankNode(f"rs-solution{index}")
        triples.append(ox.Triple(root, _rs("solution"), node))
        triples.append(ox.Triple(node, _rs("index"), ox.Literal(str(index), datatype=_INTEGER)))
        for position, name in enumerate(names):
            value = solution[name]
            if value is None:
                continue
            binding = ox.BlankNode(f"rs-solution{index}-{position}")
            triples += [ox.Triple(node, _rs("binding"), binding),
                        ox.Triple(binding, _rs("variable"), ox.Literal(name)),
                        ox.Triple(binding, _rs("value"), value)]
    return triples


def triples_as_table(triples: list[ox.Triple]) -> bytes:
    """Triples as SPARQL JSON results of ``?s ?p ?o``: a CONSTRUCT asked for CSV or TSV."""
    from graph.query.store import term_to_json

    rows = [{"s": term_to_json(t.subject), "p": term_to_json(t.predicate),
             "o": term_to_json(t.object)} for t in triples]
    return json.dumps({"head": {"vars": ["s", "p", "o"]}, "results": {"bindings": rows}},
                      ensure_ascii=False).encode("utf-8")

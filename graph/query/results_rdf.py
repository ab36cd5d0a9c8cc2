"""SELECT and ASK results as RDF (the result-set vocabulary of the W3C SPARQL tests), and
a graph as a table: each query form in each format a client may ask, as Fuseki and
Virtuoso answer it.

A client that asks a SELECT for Turtle, RDF/XML or JSON-LD (SPARQLWrapper with
``setReturnFormat(TURTLE)``, a spreadsheet-to-graph pipeline) gets from Jena Fuseki
and Virtuoso the solutions written as a graph:

    [] a rs:ResultSet ; rs:resultVariable "c" ;
       rs:solution [ rs:index 1 ; rs:binding [ rs:variable "c" ; rs:value <…> ] ] .

and an ASK as ``[] a rs:ResultSet ; rs:boolean true``. This endpoint answers the same
way rather than with a 406. The result set's blank nodes are named by their place in the
results, so the same results give the same bytes.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

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
    import json

    from graph.query.store import term_to_json

    rows = [{"s": term_to_json(t.subject), "p": term_to_json(t.predicate),
             "o": term_to_json(t.object)} for t in triples]
    return json.dumps({"head": {"vars": ["s", "p", "o"]}, "results": {"bindings": rows}},
                      ensure_ascii=False).encode("utf-8")

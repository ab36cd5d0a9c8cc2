"""Turtle, N-Triples and RDF/XML: the same data gives the same bytes, run after run.

A diff of two exports must show only what changed in the data, and a checksum must
not change when nothing did. rdflib's Turtle is written in sorted order; its N-Triples
and RDF/XML came out in an order that changed with Python's hash seed. So N-Triples is
sorted line by line, and RDF/XML is written by pyoxigraph from the sorted triples (one
``rdf:Description`` a subject; rdflib's pretty writer also warned on every ordered
collection). Blank nodes are named by the build (``list-funnel-stages``), never drawn
at random. JSON-LD has a module of its own (:mod:`graph.export.jsonld`).
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from graph.export import Exporter, register
from graph.export.jsonld import JSONLD
from graph.formats import SERVED_BY_NAME
from graph.text import first_non_xml_char
from graph.vocabulary.model import Vocabulary


def _render_turtle(graph: Graph, _vocabulary: Vocabulary) -> bytes:
    return graph.serialize(format="turtle", encoding="utf-8")


def _render_ntriples(graph: Graph, _vocabulary: Vocabulary) -> bytes:
    lines = graph.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)
    return b"".join(sorted(line for line in lines if line.strip()))


TURTLE = register(Exporter.of(SERVED_BY_NAME["turtle"], _render_turtle))
NTRIPLES = register(Exporter.of(SERVED_BY_NAME["ntriples"], _render_ntriples))


class NotXmlError(ValueError):
    """The graph holds a text that no XML 1.0 document can hold."""


def _term(node: object) -> object:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    assert isinstance(node, Literal)
    if node.language:
        return ox.Literal(str(node), language=node.language)
    return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)) if node.datatype
                      else None)


def _render_rdfxml(graph: Graph, _vocabulary: Vocabulary) -> bytes:
    """RDF/XML, or an error naming the text that XML cannot hold (written as it is, it
    would make a file no XML parser reads)."""
    for subject, predicate, obj in graph:
        char = first_non_xml_char(str(obj)) if isinstance(obj, Literal) else None
        if char:
            raise NotXmlError(
                f"<{subject}> <{predicate}> holds the control character {char}, "
                "which XML 1.0 cannot hold: RDF/XML is impossible. Remove it from the data, "
                "or export Turtle, N-Triples or JSON-LD.")
    triples = sorted(graph, key=lambda t: tuple((type(n).__name__, n.n3()) for n in t))
    predicates = {str(p) for _s, p, _o in triples}
    prefixes = {prefix: str(namespace) for prefix, namespace in graph.namespaces()
                if prefix and any(p.startswith(str(namespace)) for p in predicates)}
    return ox.serialize([ox.Triple(*map(_term, t)) for t in triples],
                        format=ox.RdfFormat.RDF_XML, prefixes=prefixes)


RDFXML = register(Exporter.of(SERVED_BY_NAME["rdfxml"], _render_rdfxml))

#: formats that parse back into the same graph: export name → rdflib's parser
RDF_FORMATS = {name: SERVED_BY_NAME[name].rdflib for name in (TURTLE.name, NTRIPLES.name,
                                                               RDFXML.name, JSONLD.name)}

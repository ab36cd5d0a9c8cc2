"""The RDF serialisations, all written by rdflib from the same graph.

Turtle is the reference format: deterministic (same data, same bytes), so
that a diff of two exports shows only what changed in the data.
"""

from __future__ import annotations

from rdflib import Graph, Literal

from graph.export import Exporter, register
from graph.model import Vocabulary
from graph.xmlchars import first_non_xml_char


def _serializer(rdflib_format: str, **options: object):
    def render(graph: Graph, _vocabulary: Vocabulary) -> bytes:
        text = graph.serialize(format=rdflib_format, encoding="utf-8", **options)
        return text if isinstance(text, bytes) else text.encode("utf-8")
    return render


TURTLE = register(Exporter("turtle", "text/turtle", ".ttl", _serializer("turtle"), ("ttl",)))
NTRIPLES = register(Exporter("ntriples", "application/n-triples", ".nt",
                             _serializer("nt"), ("nt", "n-triples")))


class NotXmlError(ValueError):
    """The graph holds a text that no XML 1.0 document can hold."""


def _render_rdfxml(graph: Graph, vocabulary: Vocabulary) -> bytes:
    """RDF/XML, or an error naming the text that XML cannot hold (rdflib would write it
    as it is, a file no XML parser reads)."""
    for subject, predicate, obj in graph:
        char = first_non_xml_char(str(obj)) if isinstance(obj, Literal) else None
        if char:
            raise NotXmlError(
                f"<{subject}> <{predicate}> holds the control character {char}, "
                "which XML 1.0 cannot hold: RDF/XML is impossible. Remove it from the data, "
                "or export Turtle, N-Triples or JSON-LD.")
    return _serializer("pretty-xml")(graph, vocabulary)


RDFXML = register(Exporter("rdfxml", "application/rdf+xml", ".rdf", _render_rdfxml,
                           ("xml", "rdf")))
JSONLD = register(Exporter("jsonld", "application/ld+json", ".jsonld",
                           _serializer("json-ld", auto_compact=True, indent=2),
                           ("json-ld",)))

#: formats that parse back into the same graph
RDF_FORMATS = {TURTLE.name: "turtle", NTRIPLES.name: "nt", RDFXML.name: "xml",
               JSONLD.name: "json-ld"}

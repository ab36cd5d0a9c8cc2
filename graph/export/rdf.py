"""The RDF serialisations, all written by rdflib from the same graph.

Turtle is the reference format: deterministic (same data, same bytes), so
that a diff of two exports shows only what changed in the data.
"""

from __future__ import annotations

from rdflib import Graph

from graph.export import Exporter, register
from graph.model import Vocabulary


def _serializer(rdflib_format: str, **options: object):
    def render(graph: Graph, _vocabulary: Vocabulary) -> bytes:
        text = graph.serialize(format=rdflib_format, encoding="utf-8", **options)
        return text if isinstance(text, bytes) else text.encode("utf-8")
    return render


TURTLE = register(Exporter("turtle", "text/turtle", ".ttl", _serializer("turtle"), ("ttl",)))
NTRIPLES = register(Exporter("ntriples", "application/n-triples", ".nt",
                             _serializer("nt"), ("nt", "n-triples")))
RDFXML = register(Exporter("rdfxml", "application/rdf+xml", ".rdf",
                           _serializer("pretty-xml"), ("xml", "rdf")))
JSONLD = register(Exporter("jsonld", "application/ld+json", ".jsonld",
                           _serializer("json-ld", auto_compact=True, indent=2),
                           ("json-ld",)))

#: formats that parse back into the same graph
RDF_FORMATS = {TURTLE.name: "turtle", NTRIPLES.name: "nt", RDFXML.name: "xml",
               JSONLD.name: "json-ld"}

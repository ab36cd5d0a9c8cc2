"""Every RDF syntax and SPARQL results format, in two tables that every part reads.

A format has a name (``crmkg export --format``, ``?format=``), aliases, a media type,
the suffix of a page or a download (``/concept/mql.ttl``), the file suffixes it is
read from (``--data thesaurus.rdf``), and its names in rdflib and pyoxigraph. The
exports, the file loader, the query engine and the external store, the concept pages,
the SPARQL endpoint and its service description, content negotiation and the OpenAPI
description all read them here: a new syntax the web serves is a row with
``served=True`` (and a writer in :mod:`graph.export` for ``crmkg export``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class RdfSyntax:
    name: str
    media_type: str
    #: the suffix of a page or a download of this syntax, without the dot
    suffix: str
    #: other names accepted for it (``?format=``, ``--format``)
    aliases: tuple[str, ...]
    #: the suffixes of files read in this syntax
    file_suffixes: tuple[str, ...]
    #: rdflib's parser and serializer name
    rdflib: str
    #: pyoxigraph's name (an ``RdfFormat`` attribute)
    oxigraph: str
    #: the web serves it: concept pages, SPARQL graph answers, the service description
    served: bool = False
    #: other media types that mean it (in an answer from another server)
    also_media_types: tuple[str, ...] = ()

    @property
    def ox(self) -> ox.RdfFormat:
        return getattr(ox.RdfFormat, self.oxigraph)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, self.suffix, *self.aliases)


#: served ones first, in the order of preference (the first is the default)
RDF_SYNTAXES: tuple[RdfSyntax, ...] = (
    RdfSyntax("turtle", "text/turtle", "ttl", ("n3",), ("ttl", "turtle"), "turtle", "TURTLE",
              served=True, also_media_types=("application/x-turtle",)),
    RdfSyntax("ntriples", "application/n-triples", "nt", ("n-triples",), ("nt", "ntriples"),
              "nt", "N_TRIPLES", served=True, also_media_types=("text/plain",)),
    RdfSyntax("rdfxml", "application/rdf+xml", "rdf", ("xml", "rdf+xml"), ("rdf", "xml", "owl"),
              "xml", "RDF_XML", served=True),
    RdfSyntax("jsonld", "application/ld+json", "jsonld", ("json-ld",), ("jsonld", "json"),
              "json-ld", "JSON_LD", served=True),
    RdfSyntax("nquads", "application/n-quads", "nq", (), ("nq", "nquads"), "nquads", "N_QUADS"),
    RdfSyntax("trig", "application/trig", "trig", (), ("trig",), "trig", "TRIG"),
    RdfSyntax("n3", "text/n3", "n3", (), ("n3",), "n3", "N3"),
)
#: what the web serves (pages, SPARQL graph answers), the default first
SERVED: tuple[RdfSyntax, ...] = tuple(s for s in RDF_SYNTAXES if s.served)


def syntax_named(name: str) -> RdfSyntax | None:
    """The served syntax a name, an alias or a page suffix stands for (``ttl``, ``xml``)."""
    name = name.strip().lower()
    return next((s for s in SERVED if name in s.names), None)


def syntax_of_media_type(media_type: str) -> RdfSyntax | None:
    media_type = media_type.strip().lower()
    return next((s for s in RDF_SYNTAXES
                 if media_type == s.media_type or media_type in s.also_media_types), None)


def syntax_of_file(suffix: str) -> RdfSyntax | None:
    """The syntax a file is read in, by its suffix (``rdf``, ``ttl``; no dot, no ``.gz``)."""
    return next((s for s in RDF_SYNTAXES if suffix.lower() in s.file_suffixes), None)


def file_suffixes() -> list[str]:
    return [suffix for s in RDF_SYNTAXES for suffix in s.file_suffixes]


@dataclass(frozen=True)
class ResultsFormat:
    """A SPARQL results format (SELECT and ASK)."""

    name: str
    media_type: str
    aliases: tuple[str, ...]
    #: pyoxigraph's name (a ``QueryResultsFormat`` attribute)
    oxigraph: str

    @property
    def ox(self) -> ox.QueryResultsFormat:
        return getattr(ox.QueryResultsFormat, self.oxigraph)


RESULTS_FORMATS: tuple[ResultsFormat, ...] = (
    ResultsFormat("json", "application/sparql-results+json", ("srj",), "JSON"),
    ResultsFormat("xml", "application/sparql-results+xml", ("srx",), "XML"),
    ResultsFormat("csv", "text/csv", (), "CSV"),
    ResultsFormat("tsv", "text/tab-separated-values", (), "TSV"),
)
RESULTS_BY_NAME = {f.name: f for f in RESULTS_FORMATS}
SERVED_BY_NAME = {s.name: s for s in SERVED}

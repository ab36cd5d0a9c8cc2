"""Reading the source file: an RDF file on disk (never a URL), by its suffix, gzip or not,
into an rdflib graph, with the prefixes it declares; the first stage of ``crmkg import``."""

from __future__ import annotations

import contextlib
import gzip
import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graph.importer.errors import ImportFailure
from graph.query.store import StoreError, is_url, rdf_file_format

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def file_format(path: Path) -> tuple[ox.RdfFormat, bool]:
    """The RDF format of a file by its suffix, as the app reads it (see graph.query.store)."""
    try:
        return rdf_file_format(path)
    except StoreError as exc:
        raise ImportFailure(str(exc)) from None


@dataclass
class SourceFile:
    """The file read: its graph, the prefixes it declares, and what it held."""

    path: Path
    graph: Graph
    prefixes: dict[str, str]
    format_name: str
    named_graphs: int = 0


def read_rdf(location: str | Path) -> SourceFile:
    """Parse a local RDF file into an rdflib graph (never fetching anything)."""
    text = str(location)
    if is_url(text):
        raise ImportFailure(f"{text}: a URL; crmkg never downloads anything. Download the "
                            "file yourself and give its local path.")
    path = Path(text).expanduser()
    if not path.is_file():
        raise ImportFailure(f"{text}: no such file")
    fmt, compressed = file_format(path)
    try:
        raw = path.read_bytes()
        data = gzip.decompress(raw) if compressed else raw
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise ImportFailure(f"{path}: could not be read: {exc}") from None
    if fmt == ox.RdfFormat.RDF_XML and re.search(rb"<!ENTITY[^>]*\b(SYSTEM|PUBLIC)\b", data):
        raise ImportFailure(f"{path}: declares an external XML entity; crmkg never reads "
                            "anything but the file itself. Remove the entity declaration.")
    base = path.resolve().as_uri()
    graph = Graph()
    names: set[str] = set()
    term = _converter()
    try:
        parser = ox.parse(io.BytesIO(data), format=fmt, base_iri=base)
        with _quiet_rdflib():
            add = graph.add
            for quad in parser:
                add((term(quad.subject), term(quad.predicate), term(quad.object)))
                if not isinstance(quad.graph_name, ox.DefaultGraph):
                    names.add(str(quad.graph_name))
        prefixes = dict(getattr(parser, "prefixes", None) or {})
    except SyntaxError as exc:
        message = str(exc)
        if "LoadDocumentCallback" in message or "remote context" in message.lower():
            raise ImportFailure(f"{path}: its JSON-LD refers to a remote @context, and crmkg "
                                "never fetches anything. Put the context inline in the file "
                                f"(or convert it to Turtle). ({message})") from None
        raise ImportFailure(f"{path}: not valid {fmt.name.replace('_', '-')}: {message}") \
            from None
    return SourceFile(path, graph, prefixes, fmt.name.replace("_", "-") +
                      (", gzip" if compressed else ""), len(names))


@contextlib.contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """rdflib logs a warning for each ill-formed typed literal (YSA has some); the
    literal is kept as it is, so say nothing."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _converter() -> Any:
    """pyoxigraph term → rdflib term (one URIRef object per IRI, to save memory)."""
    iris: dict[str, URIRef] = {}

    def term(value: Any) -> Node:
        if isinstance(value, ox.NamedNode):
            text = value.value
            iri = iris.get(text)
            if iri is None:
                iri = iris[text] = URIRef(text)
            return iri
        if isinstance(value, ox.BlankNode):
            return BNode(value.value)
        if isinstance(value, ox.Literal):
            if value.language:
                return Literal(value.value, lang=value.language)
            datatype = value.datatype.value
            # RDF 1.1: a plain literal is an xsd:string; rdflib keeps them apart, so one form
            return Literal(value.value,
                           datatype=None if datatype == XSD_STRING else URIRef(datatype))
        raise ImportFailure(f"RDF-star triples cannot be imported ({value})")

    return term

"""JSON-LD, compact and the same from run to run.

rdflib's writer put its nodes in an order that changed with Python's hash seed, and a
context of every prefix rdflib knows (32, 21 of them unused). This one writes one node
object a subject, subjects and properties in sorted order, IRIs as compact IRIs of the
prefixes the graph binds, and a context of just the prefixes used. An RDF list that
hangs from one property (a collection's ``skos:memberList``) is written as a JSON-LD
``@list``. Parsed back (rdflib, pyld), it gives the graph it was written from.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph.export import Exporter, register
from graph.formats import SERVED_BY_NAME
from graph.vocabulary.model import Vocabulary


class _Compactor:
    """IRIs written as ``prefix:local`` with the graph's prefixes; remembers those used."""

    def __init__(self, graph: Graph):
        # longest namespaces first, so that the most specific prefix wins
        self.prefixes = sorted(((str(ns), prefix) for prefix, ns in graph.namespaces()
                                if prefix and str(ns).endswith(("/", "#"))),
                               key=lambda item: (-len(item[0]), item[1]))
        self.used: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        for namespace, prefix in self.prefixes:
            local = iri[len(namespace):]
            if iri.startswith(namespace) and local and not local.startswith("//"):
                self.used[prefix] = namespace
                return f"{prefix}:{local}"
        return iri


def _lists(graph: Graph) -> dict[BNode, list[Any]]:
    """Well-formed RDF lists, by their head: cells that have exactly rdf:first and rdf:rest
    and are pointed at once (the first by a property, the next by the rest)."""
    pointed: dict[Any, int] = defaultdict(int)
    for _s, _p, o in graph:
        pointed[o] += 1
    found: dict[BNode, list[Any]] = {}
    for head in {s for s in graph.subjects(RDF.first, None) if isinstance(s, BNode)}:
        if (None, RDF.rest, head) in graph:
            continue  # not a head
        items, cell, cells = [], head, set()
        while isinstance(cell, BNode) and cell not in cells and pointed[cell] == 1:
            properties = set(graph.predicate_objects(cell))
            firsts = [o for p, o in properties if p == RDF.first]
            rests = [o for p, o in properties if p == RDF.rest]
            if len(properties) != 2 or len(firsts) != 1 or len(rests) != 1:
                break
            cells.add(cell)
            items.append(firsts[0])
            cell = rests[0]
        if cell == RDF.nil and items:
            found[head] = items
    return found


def render_jsonld(graph: Graph, _vocabulary: Vocabulary) -> bytes:
    compact = _Compactor(graph)
    lists = _lists(graph)
    in_lists = set()
    for head, _items in lists.items():
        cell = head
        while cell != RDF.nil:
            in_lists.add(cell)
            cell = graph.value(cell, RDF.rest)

    def value(node: Any) -> dict[str, Any]:
        if isinstance(node, BNode) and node in lists:
            return {"@list": [value(item) for item in lists[node]]}
        if isinstance(node, URIRef):
            return {"@id": compact(str(node))}
        if isinstance(node, BNode):
            return {"@id": f"_:{node}"}
        assert isinstance(node, Literal)
        written: dict[str, Any] = {"@value": str(node)}
        if node.language:
            written["@language"] = node.language
        elif node.datatype and node.datatype != XSD.string:
            written["@type"] = compact(str(node.datatype))
        return written

    def sort_key(node: Any) -> tuple:
        return (type(node).__name__, str(node), getattr(node, "language", None) or "",
                str(getattr(node, "datatype", None) or ""))

    nodes = []
    for subject in sorted(set(graph.subjects()) - in_lists, key=sort_key):
        node: dict[str, Any] = {"@id": value(subject)["@id"]}
        types = sorted(compact(str(t)) for t in graph.objects(subject, RDF.type))
        if types:
            node["@type"] = types
        by_property: dict[str, list[Any]] = defaultdict(list)
        for predicate, obj in graph.predicate_objects(subject):
            if predicate != RDF.type:
                by_property[compact(str(predicate))].append(obj)
        for name in sorted(by_property):
            node[name] = [value(obj) for obj in sorted(by_property[name], key=sort_key)]
        nodes.append(node)
    document = {"@context": dict(sorted(compact.used.items())), "@graph": nodes}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


JSONLD = register(Exporter.of(SERVED_BY_NAME["jsonld"], render_jsonld))

"""The embedded triple store (pyoxigraph) that the web app reads from.

rdflib builds and serialises the graph; pyoxigraph answers queries, two to
three orders of magnitude faster on large vocabularies (see
``../shared/design/MEASURED.md``). Rows come back as plain dicts in the shape
of SPARQL JSON results, so that a remote store can answer the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

#: one binding: {"type": "uri"|"literal"|"bnode", "value": ..., "xml:lang"?, "datatype"?}
Term = dict[str, str]
Row = dict[str, Term]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def term_to_json(term: Any) -> Term:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        result = {"type": "literal", "value": term.value}
        if term.language:
            result["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            result["datatype"] = term.datatype.value
        return result
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {  # type: ignore[dict-item]
            "subject": term_to_json(term.subject),
            "predicate": term_to_json(term.predicate),
            "object": term_to_json(term.object)}}
    raise TypeError(f"not an RDF term: {term!r}")


class EmbeddedStore:
    """A pyoxigraph store holding the vocabulary in its default graph."""

    def __init__(self, store: ox.Store | None = None):
        self.store = store if store is not None else ox.Store()

    @classmethod
    def from_graph(cls, graph: Graph) -> EmbeddedStore:
        embedded = cls()
        embedded.load_graph(graph)
        return embedded

    def load_graph(self, graph: Graph, named_graph: str | None = None) -> None:
        data = graph.serialize(format="nt", encoding="utf-8")
        target = ox.NamedNode(named_graph) if named_graph else ox.DefaultGraph()
        self.store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=target)

    def load_file(self, path: Path, media_type: str, named_graph: str | None = None) -> None:
        target = ox.NamedNode(named_graph) if named_graph else ox.DefaultGraph()
        fmt = ox.RdfFormat.from_media_type(media_type)
        self.store.bulk_load(path=str(path), format=fmt, to_graph=target)

    def named_graphs(self) -> set[str]:
        return {g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)}

    def __len__(self) -> int:
        return len(self.store)

    def select(self, query: str) -> list[Row]:
        """Rows of a trusted SELECT (the app's own queries, not users')."""
        results = self.store.query(query)
        names = [v.value for v in results.variables]
        return [{name: term_to_json(solution[name]) for name in names
                 if solution[name] is not None} for solution in results]

    def ask(self, query: str) -> bool:
        return bool(self.store.query(query))

    def dump(self, path: Path) -> None:
        """Every quad as N-Quads, for the query workers to load."""
        self.store.dump(str(path), format=ox.RdfFormat.N_QUADS)

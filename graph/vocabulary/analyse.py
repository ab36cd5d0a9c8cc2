"""The vocabulary as a networkx graph: counts, central terms, components, paths.

Works on any SKOS graph (not only ours), so that the same figures can be
computed for a vocabulary loaded from elsewhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import networkx as nx
from rdflib import Graph, Literal, URIRef

from graph.namespaces import DCTERMS, ISOTHES, RDF, SKOS
from graph.relations import DRAWN, RELATIONS

#: a typed relation also states skos:related; the typed name is the one to show
TYPED = {key for key, relation in DRAWN.items() if relation.typed}

#: a node of the network: a URIRef (from an rdflib graph) or a str (from the store)
Node = TypeVar("Node")


def concept_graph(graph: Graph) -> nx.MultiDiGraph:
    """Concepts as nodes; one edge per stated relation, keyed by relation name."""
    concepts = list(graph.subjects(RDF.type, SKOS.Concept))
    pairs = {name: graph.subject_objects(relation.iri) for name, relation in DRAWN.items()}
    pairs["narrower"] = graph.subject_objects(SKOS.narrower)
    network = network_from_pairs(concepts, pairs)
    for concept in concepts:
        network.nodes[concept]["label"] = pref_label(graph, concept)
    return network


def network_from_pairs(concepts: Iterable[Node],
                       pairs: Mapping[str, Iterable[tuple[Node, Node]]]) -> nx.MultiDiGraph:
    """The concept network from the stated links, by relation name (those the map draws,
    :data:`graph.relations.DRAWN`, plus ``narrower``): from an rdflib graph, or from the
    rows of a store.

    Typed relations win over the plain ``skos:related`` stated beside them, a
    symmetric relation is drawn once, and a ``narrower`` stated without its
    ``broader`` becomes a ``broader`` edge.
    """
    network = nx.MultiDiGraph()
    network.add_nodes_from(concepts)
    typed_pairs: set[frozenset[Node]] = set()
    for name, relation in DRAWN.items():
        if name == "related":
            continue
        for a, b in pairs.get(name, ()):
            if a in network and b in network:
                if name in TYPED:
                    typed_pairs.add(frozenset((a, b)))
                if not (relation.symmetric and network.has_edge(b, a, key=name)):
                    network.add_edge(a, b, key=name)
    for a, b in pairs.get("narrower", ()):  # narrower stated without broader
        if b in network and a in network and not network.has_edge(b, a, key="broader"):
            network.add_edge(b, a, key="broader")
    for a, b in pairs.get("related", ()):
        if (a in network and b in network and frozenset((a, b)) not in typed_pairs
                and not network.has_edge(b, a, key="related")):
            network.add_edge(a, b, key="related")
    return network


def main_group(network: nx.MultiDiGraph, tops: Iterable[Node],
             members: Mapping[Node, Iterable[Node]]) -> dict[Node, Node]:
    """The group of every concept that has one, for colours and "same subject" tests.

    In a vocabulary with concept groups (``members``: concept → the groups that list it),
    a concept's group is the first of its groups by IRI. A vocabulary without groups
    (YSA) is grouped by its top concepts instead: each concept goes with the nearest
    top concept above it (ties: the first by IRI), found in one breadth-first walk
    down from all of them, so in linear time on a vocabulary of any size.
    """
    if members:
        return {node: min(groups, key=str) for node, groups in members.items()
                if node in network and groups}
    ordered = sorted(set(tops) & set(network.nodes), key=str)
    narrower: dict[Node, list[Node]] = {}
    for a, b, key in network.edges(keys=True):
        if key == "broader":
            narrower.setdefault(b, []).append(a)
    group = {top: top for top in ordered}
    frontier = ordered
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(narrower.get(node, ()), key=str):
                if child not in group:
                    group[child] = group[node]
                    following.append(child)
        frontier = following
    return group


def group_members(graph: Graph) -> dict[URIRef, list[URIRef]]:
    """Concept → the concept groups (isothes:ConceptGroup) that list it as a member."""
    members: dict[URIRef, list[URIRef]] = {}
    for group in sorted(graph.subjects(RDF.type, ISOTHES.ConceptGroup)):
        for concept in graph.objects(group, SKOS.member):
            members.setdefault(concept, []).append(group)
    return members


def tops_as_groups(graph: Graph) -> set[URIRef]:
    """The top concepts, when they stand for the groups: in a vocabulary without concept
    groups (our themes were such top concepts once). Empty when there are groups: top
    concepts are then terms like any other."""
    if (None, RDF.type, ISOTHES.ConceptGroup) in graph:
        return set()
    return set(graph.subjects(SKOS.topConceptOf, None)) | set(
        graph.objects(None, SKOS.hasTopConcept))


def pref_label(graph: Graph, concept: URIRef, language: str = "fr") -> str:
    labels = {getattr(o, "language", None): str(o)
              for o in graph.objects(concept, SKOS.prefLabel) if isinstance(o, Literal)}
    return labels.get(language) or labels.get("en") or next(iter(labels.values()), "") or \
        str(concept).rsplit("/", 1)[-1]


def statistics(graph: Graph, top: int = 10) -> dict[str, Any]:
    network = concept_graph(graph)
    undirected = nx.Graph(network.to_undirected())
    concepts = list(network.nodes)
    tops = set(graph.subjects(SKOS.topConceptOf, None)) | set(
        graph.objects(None, SKOS.hasTopConcept))

    def per_language(predicate: URIRef) -> dict[str, int]:
        counter = Counter(getattr(o, "language", None) or "-"
                          for s in concepts for o in graph.objects(s, predicate))
        return dict(sorted(counter.items()))

    groups: dict[str, int] = {}
    for group in sorted(set(graph.subjects(RDF.type, ISOTHES.ConceptGroup)),
                        key=lambda g: pref_label(graph, g)):
        groups[pref_label(graph, group)] = len(set(graph.objects(group, SKOS.member)))
    if not groups:  # the top concepts stand for the groups
        for top in sorted(tops, key=lambda t: pref_label(graph, t)):
            groups[pref_label(graph, top)] = len(nx.ancestors(_broader_graph(network), top))

    relation_counts = Counter(key for _, _, key in network.edges(keys=True))
    sources = Counter(graph.namespace_manager.normalizeUri(o) for s in concepts
                      for o in graph.objects(s, DCTERMS.source))
    centrality = nx.pagerank(undirected) if undirected.number_of_edges() else {}
    # top concepts that stand for groups are central by construction: rank the terms
    hubs = tops_as_groups(graph)
    central = sorted(((c, score) for c, score in centrality.items() if c not in hubs),
                     key=lambda kv: (-kv[1], str(kv[0])))[:top]
    components = list(nx.connected_components(undirected))
    collections = sorted(set(graph.subjects(RDF.type, SKOS.Collection))
                         | set(graph.subjects(RDF.type, SKOS.OrderedCollection)))
    return {
        "concepts": len(concepts),
        "top_concepts": len(tops),
        "concepts_per_group": groups,
        "labels": {
            "prefLabel": per_language(SKOS.prefLabel),
            "altLabel": per_language(SKOS.altLabel),
            "hiddenLabel": per_language(SKOS.hiddenLabel),
        },
        "definitions": per_language(SKOS.definition),
        "notes": {
            "scopeNote": per_language(SKOS.scopeNote),
            "editorialNote": per_language(SKOS.editorialNote),
        },
        "relations": dict(sorted(relation_counts.items())),
        "collections": {pref_label(graph, c): len(list(graph.objects(c, SKOS.member)))
                        for c in collections},
        "concepts_per_source": dict(sorted(sources.items())),
        "components": len(components),
        "largest_component": max((len(c) for c in components), default=0),
        "hierarchy_depth": _depth(network),
        "most_central": [{"concept": str(c), "label": pref_label(graph, c),
                          "pagerank": round(score, 4)} for c, score in central],
    }


def _broader_graph(network: nx.MultiDiGraph) -> nx.DiGraph:
    view = nx.DiGraph()
    view.add_nodes_from(network.nodes)
    view.add_edges_from((a, b) for a, b, key in network.edges(keys=True) if key == "broader")
    return view


def _depth(network: nx.MultiDiGraph) -> int:
    hierarchy = _broader_graph(network)
    if not nx.is_directed_acyclic_graph(hierarchy):
        return -1
    return nx.dag_longest_path_length(hierarchy) + 1 if hierarchy.number_of_nodes() else 0


@dataclass(frozen=True)
class Step:
    source: URIRef
    relation: str  # broader, narrower, related, precedes, follows …
    target: URIRef


def path_graph(network: nx.MultiDiGraph, hubs: Iterable[Any]) -> nx.Graph:
    """The weighted, undirected graph :func:`shortest_path` searches (build it once for
    many); a link to one of the ``hubs`` costs more."""
    tops = set(hubs)
    weighted = nx.Graph()
    weighted.add_nodes_from(network.nodes)
    for a, b, key in network.edges(keys=True):
        weight = 1.0 if key in TYPED or key == "broader" else 1.2
        if a in tops or b in tops:
            weight += 2.0
        if not weighted.has_edge(a, b) or weighted[a][b]["weight"] > weight:
            weighted.add_edge(a, b, weight=weight, key=key, forward=(a, b))
    return weighted


def shortest_path(graph: Graph | None, start: Any, end: Any,
                  network: nx.MultiDiGraph | None = None, *,
                  weighted: nx.Graph | None = None) -> list[Step] | None:
    """The shortest chain of relations between two concepts, in either direction.

    Typed relations are preferred to plain ``related`` links and to climbing the
    hierarchy through a top concept that stands for a group (:func:`tops_as_groups`):
    such a path says little. Without an
    rdflib ``graph``, give the ``weighted`` graph (:func:`path_graph`).
    """
    if weighted is None:
        if graph is None:
            raise ValueError("shortest_path needs the graph or the weighted path graph")
        network = network if network is not None else concept_graph(graph)
        weighted = path_graph(network, tops_as_groups(graph))
    try:
        nodes = nx.shortest_path(weighted, start, end, weight="weight")
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None
    steps = []
    for a, b in zip(nodes, nodes[1:], strict=False):
        data = weighted[a][b]
        name = data["key"] if data["forward"] == (a, b) else RELATIONS[data["key"]].inverse
        steps.append(Step(a, name, b))
    return steps

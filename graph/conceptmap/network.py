"""The concept network the map draws, read from a store: the web map and the
map-html export read it here, so that both have the same concepts, links and groups
(and so the same places, from :mod:`graph.conceptmap.layout`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

    from graph.query.reader import VocabularyReader


@dataclass
class ConceptNetwork:
    """Every drawn link between concepts, and each concept's group."""

    graph: nx.MultiDiGraph
    undirected: nx.Graph
    #: the top concepts that stand for groups (a vocabulary without concept groups)
    hubs: list[str]
    #: the groups the legend lists: the concept groups, else the hubs
    groups: list[str]
    #: each concept's group, when it has one
    group_of: dict[str, str]


def read_network(reader: VocabularyReader, group_sizes: dict[str, int] | None = None,
                 top_concepts: list[str] | None = None) -> ConceptNetwork:
    """The network of the store behind ``reader`` (its group sizes and top concepts may be
    given when the caller has them already)."""
    import networkx as nx

    from graph.vocabulary.analyse import main_group, network_from_pairs

    graph = network_from_pairs(reader.concepts(), reader.link_pairs())
    members = reader.group_members()
    groups = sorted(reader.group_sizes() if group_sizes is None else group_sizes)
    tops = reader.top_concepts() if top_concepts is None else top_concepts
    hubs = [] if groups else [t for t in tops if t in graph]
    undirected = nx.Graph()
    undirected.add_nodes_from(graph)
    undirected.add_edges_from(graph.edges())
    return ConceptNetwork(graph=graph, undirected=undirected, hubs=hubs,
                          groups=groups or hubs, group_of=main_group(graph, hubs, members))

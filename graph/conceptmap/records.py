"""The map's nodes and links as vis-network draws them, built with pyvis.

The web map (``/map/data.json``, the mini-maps) and the map-html export build
their records here, so that both draw the same colours, sizes, places and link
styles. pyvis builds the node records (``from_nx``); its HTML, which loads from
a CDN, is never used.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.relations import DRAWN, TABLE
from graph.text import local_name

#: colour-blind-friendly palette (Okabe–Ito, then Paul Tol's) for groups; yellow and grey
#: come last: a yellow dot hardly shows on white, and grey is the colour of "no group"
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#882255",
           "#999933", "#332288", "#44AA99", "#999999", "#F0E442"]
#: the colour of a concept in no group (or when there are too many groups to colour)
NO_GROUP = "#bbbbbb"
#: with more groups than this, nodes are not coloured by group (too many to tell apart)
MAX_GROUPS = 2 * len(PALETTE)
#: a step of a path named by its inverse → the relation drawn on the map
FORWARD = {r.key: r.inverse for r in TABLE if not r.drawn}
#: the radius of a dot (canvas units): the most linked concepts are the biggest
SMALLEST, LARGEST, FOCUS = 9, 20, 22


def group_colours(groups: Iterable[str]) -> dict[str, str]:
    """Each group's colour, by its URI's order, so that it is the same in both languages."""
    return {uri: PALETTE[i % len(PALETTE)] for i, uri in enumerate(sorted(groups))}


def group_entries(groups: Iterable[str], labels: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """Each group with its id, label and colour, in the order of their labels; none when
    there are too many to tell apart by colour (the legend and the nodes read it)."""
    groups = list(groups)
    if len(groups) > MAX_GROUPS:
        return {}
    colours = group_colours(groups)
    return {uri: {"id": local_name(uri), "uri": uri, "label": labels[uri],
                  "color": colours[uri]}
            for uri in sorted(groups, key=lambda g: labels[g].casefold())}


def dot_size(degree: int, most: int) -> int:
    """A dot's radius, growing with the square root of its number of links."""
    if most <= 1:
        return SMALLEST
    return round(SMALLEST + (LARGEST - SMALLEST) * ((degree - 1) / (most - 1)) ** 0.5)


@dataclass
class NodeStyle:
    """What a node shows besides its place: its group and colour, its label and text."""

    group: str | None
    colour: str
    label: str
    definition: str
    url: str


def node_records(styles: Mapping[Hashable, NodeStyle],
                 positions: Mapping[Hashable, tuple[float, float]],
                 ranks: Mapping[Hashable, int], degrees: Mapping[Hashable, int],
                 focus: Hashable | None = None, hubs: Iterable[Hashable] = ()) -> list[dict]:
    """The nodes as vis-network wants them (built with pyvis), each at its place, with
    its rank (0: the most linked, whose label is shown first)."""
    from pyvis.network import Network

    shown = sorted(styles, key=str)
    hub_set = set(hubs)
    most = max((degrees.get(node, 0) for node in shown), default=0)
    builder = Network(directed=True, cdn_resources="remote")
    simple = nx.DiGraph()
    for node in shown:
        style = styles[node]
        x, y = positions.get(node, (0.0, 0.0))
        simple.add_node(node, label=style.label, title=style.definition,
                        group=style.group or "other", color=style.colour, url=style.url,
                        shape="box" if node in hub_set else "dot",
                        size=FOCUS if node == focus else dot_size(degrees.get(node, 0), most),
                        x=x, y=y, physics=False, rank=ranks.get(node, len(ranks)),
                        links=degrees.get(node, 0))
    builder.from_nx(simple)
    records = builder.nodes
    for record in records:  # pyvis drops ``color`` when a node has a ``group``
        style = styles[record["id"]]
        record["group"] = style.group
        record["color"] = style.colour
    return records


def edge_records(edges: Iterable[tuple[Hashable, Hashable, str]], shown: Iterable[str],
                 path_steps: Iterable[tuple[Hashable, Hashable, str]], lang: str,
                 ) -> list[dict]:
    """The links drawn (those of ``shown`` relations, and every step of the path, in
    bold black), each with its relation's style and name."""
    wanted = set(shown)
    # the relation each step of the path follows, in the direction the map draws it
    path_links = {(frozenset((a, b)), FORWARD.get(key, key)) for a, b, key in path_steps}
    records = []
    for a, b, key in sorted(edges, key=lambda e: (str(e[0]), str(e[1]), e[2])):
        on_path = (frozenset((a, b)), key) in path_links
        if key not in DRAWN or (key not in wanted and not on_path):
            continue
        relation = DRAWN[key]
        edge = {"id": f"{a} {key} {b}", "from": a, "to": b, "relation": key,
                "title": relation.label[lang == "en"], **relation.style}
        if on_path:
            edge.update({"width": 5, "color": "#000000", "path": True})
        records.append(edge)
    return records


def relation_legend(lang: str) -> list[dict[str, Any]]:
    """The relations the map draws, each with its name, its style and one plain sentence."""
    english = lang == "en"
    return [{"id": key, "label": r.label[english], "explanation": r.explanation[english],
             **r.style} for key, r in DRAWN.items()]

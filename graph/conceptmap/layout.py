"""Where each concept goes on the map, computed once on the server with networkx.

A browser that lays out 160 concepts with physics takes seconds and draws a
different map on every visit; here the positions are computed before the page
asks, the same ones every time (a fixed seed, every input sorted), so a concept
is where it was last time and the map is drawn at once.

- The whole map (:func:`grouped_layout`): each group's concepts are laid out
  together (a spring layout of the links inside the group), each group becomes
  a disc, the discs are packed into the shape of the frame (``wide`` for a
  screen, ``tall`` for a phone) with linked groups side by side, and each disc is
  turned so that its concepts face the groups they link to.
- A neighbourhood (:func:`local_layout`): the concepts around a focus, laid out
  by their distances in the graph (Kamada–Kawai), the focus in the middle.

Both then spread their concepts so that no two are closer than a label needs
(wider than high, as labels are), in canvas units of :data:`UNIT`.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import networkx as nx
import numpy as np

#: the seed of every random start: the same map on every visit
SEED = 7
#: canvas units between two neighbouring concepts
UNIT = 100.0
#: width / height of the frames the whole map is packed for
SHAPES = {"wide": 1.65, "tall": 0.6}
#: the smallest distance between two concepts, across and down, in UNITs: a label is
#: about three times as wide as it is high, so concepts are kept further apart sideways
ACROSS, DOWN = 1.5, 0.75
#: the room left between two groups' discs, in UNITs
GROUP_GAP = 0.6
#: above this size a neighbourhood is laid out by springs, not by its distances
KAMADA_KAWAI_LIMIT = 90

Positions = dict[Hashable, tuple[float, float]]


def importance(graph: nx.Graph) -> dict[Hashable, int]:
    """Each concept's rank, 0 for the most linked: labels are shown in this order."""
    ordered = sorted(graph.nodes, key=lambda n: (-graph.degree(n), str(n)))
    return {node: rank for rank, node in enumerate(ordered)}


def _sorted_graph(graph: nx.Graph, nodes: Iterable[Hashable]) -> nx.Graph:
    """The subgraph on ``nodes``, built in sorted order: networkx layouts depend on it."""
    keep = sorted(set(nodes), key=str)
    sub = nx.Graph()
    sub.add_nodes_from(keep)
    chosen = set(keep)
    sub.add_edges_from(sorted(((a, b) for a, b in graph.edges(keep) if a in chosen and b in chosen),
                              key=lambda e: (str(e[0]), str(e[1]))))
    return sub


def spread(points: np.ndarray, rounds: int = 200) -> np.ndarray:
    """Push apart points closer than ACROSS sideways and DOWN downwards (in UNITs),
    after scaling them so that a point's nearest neighbour is a UNIT away (median)."""
    count = len(points)
    if count < 2:
        return np.zeros((count, 2))
    points = points - points.mean(axis=0)
    gaps = np.linalg.norm(points[:, None, :] - points[None, :, :], axis=2)
    np.fill_diagonal(gaps, np.inf)
    nearest = float(np.median(gaps.min(axis=1)))
    points = points / nearest if nearest > 0 else points
    scale = np.array([ACROSS, DOWN])
    # coincident points would never part: a tiny nudge, the same every time
    index = np.arange(count)
    points = points + 1e-4 * np.stack([np.cos(index), np.sin(index)], axis=1)
    for _ in range(rounds):
        scaled = points / scale  # an ellipse of ACROSS × DOWN becomes a unit circle
        delta = scaled[:, None, :] - scaled[None, :, :]
        distance = np.linalg.norm(delta, axis=2)
        np.fill_diagonal(distance, np.inf)
        close = distance < 1.0
        if not close.any():
            break
        with np.errstate(invalid="ignore", divide="ignore"):
            push = np.where(close, (1.0 - distance) / 2 / distance, 0.0)
        scaled = scaled + (delta * push[:, :, None]).sum(axis=1)
        points = scaled * scale
    return points


def _spiral(count: int) -> np.ndarray:
    """``count`` places filling a disc evenly (Vogel's sunflower), a UNIT apart, the
    first in the middle."""
    k = np.arange(count)
    radius = 0.55 * np.sqrt(k + 0.5) * (k > 0)
    angle = k * math.pi * (3 - math.sqrt(5))
    return np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)


def _group_links(graph: nx.Graph, group_of: Mapping[Hashable, str]) -> dict[tuple, int]:
    links: dict[tuple, int] = {}
    for a, b in graph.edges():
        ga, gb = group_of[a], group_of[b]
        if ga != gb:
            key = tuple(sorted((ga, gb)))
            links[key] = links.get(key, 0) + 1
    return links


def _sketch(graph: nx.Graph, group_of: Mapping[Hashable, str]) -> dict[Hashable, np.ndarray]:
    """A force layout of the whole network, each group held together by a hidden hub:
    where concepts stand relative to each other, before the places are made even."""
    sketch = _sorted_graph(graph, graph.nodes)
    for a, b in sketch.edges():
        sketch[a][b]["weight"] = 1.0 if group_of[a] == group_of[b] else 0.3
    for node in list(sketch.nodes):
        sketch.add_edge(("group", group_of[node]), node, weight=0.8)
    pos = nx.spring_layout(sketch, seed=SEED, iterations=200, weight="weight")
    return {node: np.asarray(pos[node]) for node in graph.nodes}


def _pack(names: list[str], radii: np.ndarray, start: np.ndarray, aspect: float,
          ) -> np.ndarray:
    """Discs of the given radii moved from ``start`` until none overlaps, drawn together
    into roughly ``aspect`` (width / height)."""
    if len(names) == 1:
        return np.zeros((1, 2))
    centres = start - start.mean(axis=0)
    spanned = np.abs(centres).max() or 1.0
    centres = centres / spanned * radii.sum() / 2
    need = radii[:, None] + radii[None, :] + GROUP_GAP
    gravity = np.array([1 / aspect, aspect]) / math.sqrt(aspect + 1 / aspect)
    for step in range(800):
        delta = centres[:, None, :] - centres[None, :, :]
        distance = np.linalg.norm(delta, axis=2)
        np.fill_diagonal(distance, np.inf)
        overlap = np.clip(need - distance, 0, None)
        push = (delta / np.maximum(distance, 1e-6)[:, :, None]
                * overlap[:, :, None] / 2).sum(axis=1)
        settling = 0.03 if step < 650 else 0.0  # the last rounds only remove overlaps
        centres = centres + push - settling * centres * gravity
    return centres - (centres.min(axis=0) + centres.max(axis=0)) / 2


def _aspect(centres: np.ndarray, radii: np.ndarray) -> float:
    width = (centres[:, 0] + radii).max() - (centres[:, 0] - radii).min()
    height = (centres[:, 1] + radii).max() - (centres[:, 1] - radii).min()
    return float(width / max(height, 1e-9))


def _fit_shape(names: list[str], radii: np.ndarray, middles: np.ndarray,
               aspect: float) -> np.ndarray:
    """The discs packed, the pull sideways and downwards tuned until their outline has
    about the ``aspect`` asked for."""
    pull = aspect
    centres = _pack(names, radii, middles, pull)
    for _ in range(4):
        got = _aspect(centres, radii)
        if len(names) < 3 or abs(math.log(got / aspect)) < 0.1:
            break
        pull *= aspect / got
        centres = _pack(names, radii, middles, pull)
    return centres


def _edge_length(graph: nx.Graph, place: dict[Hashable, np.ndarray], node: Hashable) -> float:
    return sum(float(np.linalg.norm(place[node] - place[other])) for other in graph[node])


def _improve(graph: nx.Graph, members: list[Hashable],
             place: dict[Hashable, np.ndarray], rounds: int = 3) -> None:
    """Swap two concepts of a group whenever that shortens their links."""
    for _ in range(rounds):
        changed = False
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                before = _edge_length(graph, place, a) + _edge_length(graph, place, b)
                place[a], place[b] = place[b], place[a]
                after = _edge_length(graph, place, a) + _edge_length(graph, place, b)
                if after < before - 1e-9:
                    changed = True
                else:
                    place[a], place[b] = place[b], place[a]
        if not changed:
            return


def grouped_layout(graph: nx.Graph, group_of: Mapping[Hashable, Any],
                   shape: str = "wide") -> Positions:
    """The whole map: each group's concepts together on an even disc, the discs packed
    for ``shape``, linked concepts near each other."""
    from scipy.optimize import linear_sum_assignment

    groups = {node: str(group_of.get(node)) for node in graph.nodes}
    members: dict[str, list[Hashable]] = {}
    for node in sorted(graph.nodes, key=str):
        members.setdefault(groups[node], []).append(node)
    names = sorted(members)
    sketch = _sketch(graph, groups)
    # in label space (ACROSS × DOWN is a unit circle) every place is a disc
    scale = np.array([ACROSS, DOWN])
    slots = {name: _spiral(len(members[name])) for name in names}
    radii = np.array([float(np.linalg.norm(slots[name], axis=1).max()) + 0.5 for name in names])
    middles = np.array([np.mean([sketch[n] for n in members[name]], axis=0) for name in names])
    aspect = SHAPES.get(shape, 1.0) * DOWN / ACROSS
    centres = _fit_shape(names, radii, middles, aspect)
    place: dict[Hashable, np.ndarray] = {}
    for i, name in enumerate(names):
        offsets = np.array([sketch[n] for n in members[name]]) - middles[i]
        reach = np.linalg.norm(offsets, axis=1).max() or 1.0
        wanted = offsets / reach * (radii[i] - 0.5)
        cost = ((wanted[:, None, :] - slots[name][None, :, :]) ** 2).sum(axis=2)
        rows, cols = linear_sum_assignment(cost)
        for row, col in zip(rows, cols, strict=True):
            place[members[name][row]] = centres[i] + slots[name][col]
    for name in names:
        _improve(graph, members[name], place)
    return {node: (round(float(place[node][0] * scale[0]) * UNIT, 1),
                   round(float(place[node][1] * scale[1]) * UNIT, 1)) for node in graph.nodes}


def local_layout(graph: nx.Graph, nodes: Iterable[Hashable],
                 focus: Hashable | None = None, shape: str = "wide") -> Positions:
    """A neighbourhood (or a path and what touches it), laid out by its own links, turned
    so that its longer side lies along the frame's (``wide``, or ``tall`` on a phone)."""
    sub = _sorted_graph(graph, nodes)
    order = list(sub.nodes)
    if not order:
        return {}
    if len(order) == 1:
        return {order[0]: (0.0, 0.0)}
    if len(order) <= KAMADA_KAWAI_LIMIT and nx.is_connected(sub):
        pos = nx.kamada_kawai_layout(sub)
    else:
        pos = nx.spring_layout(sub, seed=SEED, iterations=100)
    points = np.array([pos[n] for n in order])
    spans = np.ptp(points, axis=0)
    if (shape == "tall") == (spans[0] > spans[1]):  # a quarter turn: distances are kept
        points = points[:, ::-1] * np.array([1.0, -1.0])
    points = spread(points)
    if focus in sub:
        points = points - points[order.index(focus)]
    return {node: (round(float(x) * UNIT, 1), round(float(y) * UNIT, 1))
            for node, (x, y) in zip(order, points, strict=True)}

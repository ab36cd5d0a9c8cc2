"""The concept map: nodes, places and edges computed on the server with networkx and pyvis.

pyvis builds the node and edge records (``from_nx``, in graph/conceptmap/records.py),
but its HTML template loads assets from the internet, so the page is ours and draws
the records with the vendored vis-network, at the places given (no physics: the map
is drawn at once, the same on every visit). ``/map.json`` takes ``focus``/``depth``
(a neighbourhood), ``groups`` and ``relations`` (filters), ``from``/``to`` (the path
to highlight) and ``shape`` (``wide`` or ``tall``: the frame the whole map is packed
for; a phone asks for ``tall``).

The network is read from the store (every broader, narrower, related and typed
link, by SPARQL) once, on first use, and kept with what every request needs
(each concept's group, the undirected graph, the weighted graph of paths), so
that a request on YSA's 35k concepts costs what its neighbourhood costs. Above
``WHOLE_MAP_LIMIT`` concepts the map opens on a neighbourhood, and a
neighbourhood is cut at ``MAX_NODES`` (a browser lays out a few hundred nodes
in a second, thousands in minutes; see MEASURED.md).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, abort, request, url_for

from graph.conceptmap.records import (
    FORWARD,
    MAX_GROUPS,
    NO_GROUP,
    NodeStyle,
    edge_records,
    group_entries,
    node_records,
    relation_legend,
)
from graph.relations import DRAWN, TABLE
from graph.text import local_name
from webapp.pages import concept_url, current_language, page_route, render_page, state, text

if TYPE_CHECKING:  # networkx and pyvis take a third of a second to import: on first use
    import networkx as nx

blueprint = Blueprint("conceptmap", __name__)

#: above this size the map opens on a neighbourhood, not the whole vocabulary
WHOLE_MAP_LIMIT = 400
#: a neighbourhood is cut at this many concepts (the nearest ones kept)
MAX_NODES = 300
#: the frames the whole map is packed for (graph.conceptmap.layout.SHAPES)
SHAPES = ("wide", "tall")
#: neighbourhood layouts kept in the app's cache
KEEP_LAYOUTS = 200


@dataclass
class MapNetwork:
    """The concept network of the served data, and what requests derive from it."""

    graph: nx.MultiDiGraph
    undirected: nx.Graph
    #: the top concepts that stand for groups (a vocabulary without concept groups)
    hubs: list[str]
    #: the groups the legend lists: the concept groups, else the hubs
    groups: list[str]
    #: each concept's group, when it has one
    group_of: dict[str, str]
    _weighted: nx.Graph | None = None
    _busiest: str | None = None
    _ranks: dict[str, int] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def from_store(cls) -> MapNetwork:
        from graph.conceptmap.network import read_network

        reader = state().reader
        read = read_network(reader, state().cached("group-sizes", reader.group_sizes),
                            state().cached("top-concepts", reader.top_concepts))
        return cls(graph=read.graph, undirected=read.undirected, hubs=read.hubs,
                   groups=read.groups, group_of=read.group_of)

    def weighted(self) -> nx.Graph:
        """The graph that paths are searched in, built on the first path asked."""
        from graph.vocabulary.analyse import path_graph

        with self._lock:
            if self._weighted is None:
                self._weighted = path_graph(self.graph, self.hubs)
            return self._weighted

    def neighbourhood(self, focus: str, depth: int, limit: int = MAX_NODES,
                      ) -> tuple[set[str], bool]:
        """The concepts at most ``depth`` links away, nearest first, cut at ``limit``."""
        seen = {focus}
        frontier = [focus]
        for _ in range(depth):
            following = []
            for node in frontier:
                for neighbour in sorted(self.undirected[node]):
                    if neighbour in seen:
                        continue
                    if len(seen) >= limit:
                        return seen, True
                    seen.add(neighbour)
                    following.append(neighbour)
            frontier = following
        return seen, False

    def ranks(self) -> dict[str, int]:
        """Each concept's rank, 0 for the most linked: the order labels are shown in."""
        from graph.conceptmap.layout import importance

        with self._lock:
            if self._ranks is None:
                self._ranks = importance(self.undirected)
            return self._ranks

    def whole_layout(self, shape: str) -> dict[str, tuple[float, float]]:
        """The places of the whole map, packed for ``shape``: computed once, then cached."""
        from graph.conceptmap.layout import grouped_layout

        return state().cached(("map-layout", shape), lambda: grouped_layout(
            self.undirected, self.group_of, shape))

    def local_layout(self, nodes: set[str], focus: str | None, key: tuple, shape: str,
                     ) -> dict[str, tuple[float, float]]:
        """The places of a neighbourhood (or a path's surroundings), cached by ``key``."""
        from graph.conceptmap.layout import local_layout

        return state().cached(("map-local", shape, *key), lambda: local_layout(
            self.undirected, nodes, focus, shape), keep=KEEP_LAYOUTS)

    def default_focus(self) -> str | None:
        """Where a map too big to show whole opens: the first hub, else the busiest concept."""
        if self.hubs:
            return sorted(self.hubs)[0]
        with self._lock:
            if self._busiest is None and self.undirected.number_of_nodes():
                degree = self.undirected.degree
                self._busiest = min(self.undirected.nodes, key=lambda n: (-degree[n], n))
            return self._busiest


def network() -> MapNetwork:
    return state().cached("map-network", MapNetwork.from_store)


def _groups(lang: str) -> dict[str, dict[str, Any]]:
    """Each group with its colour (none when there are too many to tell apart)."""
    groups = network().groups
    if len(groups) > MAX_GROUPS:
        return {}
    return group_entries(groups, state().reader.labels(groups, lang))


def lookup(value: str | None) -> tuple[str | None, list[str]]:
    """The concept a user means, found as search finds it (an id, a URI, any label,
    case and accents aside, "lead qualifie"), and the other concepts search offers."""
    if not value:
        return None, []
    app_state = state()
    graph = network().graph
    # a label ("churn rate") is no URI
    candidates = [] if any(c in value for c in ' <>"{}|^`\\') else [
        value, app_state.concept_namespace + value]
    for candidate in candidates:
        if graph.has_node(candidate):
            return candidate, []
    found = app_state.index.resolve(value)
    if found is not None and graph.has_node(str(found)):
        return str(found), []
    matches = [str(m.concept) for m in app_state.index.search(value[:200], limit=6)
               if graph.has_node(str(m.concept))]
    return (matches[0], matches[1:]) if matches else (None, [])


def _resolve(value: str | None) -> str | None:
    return lookup(value)[0]


def _param_list(name: str) -> list[str]:
    """``?name=a,b`` (links, scripts) or ``?name=a&name=b`` (the page's form)."""
    return [v.strip() for value in request.args.getlist(name) for v in value.split(",")
            if v.strip()]


def relation_labels(lang: str) -> dict[str, str]:
    """Every relation name a path or the list can use, in the page's language."""
    return {r.key: r.label[lang == "en"] for r in TABLE}


@dataclass
class MapRequest:
    """What a map view asks for, read from the query string."""

    focus: str | None
    depth: int
    relations: list[str]
    groups: set[str]
    asked_from: str
    asked_to: str
    shape: str = "wide"

    @classmethod
    def read(cls) -> MapRequest:
        focus = _resolve(request.args.get("focus"))
        if request.args.get("focus") and focus is None:
            abort(404, description=f"No concept matches focus={request.args.get('focus')!r}.")
        try:
            depth = max(0, min(int(request.args.get("depth", 2)), 6))
        except ValueError:
            depth = 2
        shape = request.args.get("shape", "wide")
        return cls(focus, depth, _param_list("relations") or list(DRAWN),
                   set(_param_list("groups")), request.args.get("from", "").strip(),
                   request.args.get("to", "").strip(), shape if shape in SHAPES else "wide")


@dataclass
class MapPath:
    """The path asked for (?from=…&to=…): its steps, its nodes, or why there is none."""

    start: str | None
    end: str | None
    steps: list[Any] | None
    nodes: list[str]
    error: str | None
    #: for each end given as words, the other concepts search found ("did you mean")
    others: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def find(cls, net: MapNetwork, asked_from: str, asked_to: str) -> MapPath:
        from graph.vocabulary.analyse import shortest_path

        (start, from_others), (end, to_others) = lookup(asked_from), lookup(asked_to)
        steps = shortest_path(None, start, end, weighted=net.weighted()) \
            if start and end else None
        nodes = [start] + [s.target for s in steps] if steps is not None else []
        error = None
        if asked_from or asked_to:
            if not (asked_from and asked_to):
                error = "missing"
            elif start is None or end is None:
                error = "unknown"
            elif not nodes:
                error = "none"
        others = {asked: found for asked, found in ((asked_from, from_others),
                                                    (asked_to, to_others)) if found}
        return cls(start, end, steps, nodes, error, others)


@dataclass
class MapView:
    """The part of the network a request shows, and where its concepts go."""

    graph: Any
    focus: str | None
    depth: int
    truncated: bool
    group_of_node: dict[str, str | None]
    positions: dict[str, tuple[float, float]]


def _view(net: MapNetwork, asked: MapRequest, path: MapPath,
          groups: dict[str, Any]) -> MapView:
    """The concepts to show (the whole map, a neighbourhood, or a path's surroundings in
    a big vocabulary), their places (computed before any filter, so that a filter moves
    nothing), and each one's group."""
    full = net.graph
    focus, depth, truncated = asked.focus, asked.depth, False
    keep: set[str] | None = None
    key: tuple = ()
    if focus is None and full.number_of_nodes() > WHOLE_MAP_LIMIT:
        if path.nodes:  # the path and what touches it, not the whole vocabulary
            keep = set(path.nodes)
            for node in path.nodes:
                near, cut = net.neighbourhood(node, 1, limit=max(20, MAX_NODES // len(path.nodes)))
                keep |= near
                truncated |= cut
            key = ("path", path.start, path.end)
        else:
            focus = net.default_focus()
            depth = min(depth, 1)
    if focus is not None:
        keep, truncated = net.neighbourhood(focus, depth)
        keep |= set(path.nodes)
        key = ("focus", focus, depth, path.start, path.end)
    if keep is None:
        positions = net.whole_layout(asked.shape)
    else:
        positions = net.local_layout(keep, focus, key, asked.shape)
    view = full.subgraph(keep) if keep is not None else full
    group_of_node = {node: (net.group_of.get(node) if net.group_of.get(node) in groups else None)
                     for node in view.nodes}
    if asked.groups:
        kept = {n for n, t in group_of_node.items()
                if (t and groups[t]["id"] in asked.groups) or n == focus or n in path.nodes}
        view = view.subgraph(kept)
    return MapView(view, focus, depth, truncated, group_of_node, positions)


def _node_records(net: MapNetwork, view: MapView, groups: dict[str, Any],
                  labels: dict[str, str], lang: str) -> list[dict]:
    shown = sorted(view.graph.nodes)
    definitions = state().reader.definitions(shown, lang)
    styles = {}
    for node in shown:
        group = view.group_of_node.get(node)
        styles[node] = NodeStyle(groups[group]["id"] if group else None,
                                 groups[group]["color"] if group else NO_GROUP,
                                 labels[node], definitions.get(node, ""), concept_url(node))
    degree = net.undirected.degree
    return node_records(styles, view.positions, net.ranks(), {n: degree[n] for n in shown},
                        view.focus, net.hubs)


#: map views kept, whole (a neighbourhood's layout costs tens of milliseconds of CPU)
PAYLOADS_KEPT = 512


def map_payload(lang: str) -> dict[str, Any]:
    """The data of the map view the query string asks for, kept once built: the same
    view asked again (the mini-map of a popular concept) costs a dictionary lookup."""
    asked = MapRequest.read()
    key = ("map-payload", lang, asked.focus, asked.depth, tuple(asked.relations),
           tuple(sorted(asked.groups)), asked.asked_from, asked.asked_to, asked.shape)
    return state().cached(key, lambda: _build_payload(lang, asked), keep=PAYLOADS_KEPT)


def _build_payload(lang: str, asked: MapRequest) -> dict[str, Any]:
    net = network()
    groups = _groups(lang)
    path = MapPath.find(net, asked.asked_from, asked.asked_to)
    view = _view(net, asked, path, groups)
    focus = view.focus
    labels = state().reader.labels(sorted(view.graph.nodes), lang)
    others = sorted({uri for found in path.others.values() for uri in found})
    path_labels = state().reader.labels(sorted(set(path.nodes) | set(others)), lang)
    steps = [(s.source, s.target, s.relation) for s in path.steps or []]
    return {
        "focus": focus,
        "focus_id": local_name(focus) if focus is not None else None,
        "focus_label": labels.get(focus) if focus is not None else None,
        "depth": view.depth,
        "shape": asked.shape,
        "nodes": _node_records(net, view, groups, labels, lang),
        "edges": edge_records(view.graph.edges(keys=True), asked.relations, steps, lang),
        "groups": list(groups.values()),
        "hubs": bool(net.hubs),
        "relations": relation_legend(lang),
        "relation_labels": relation_labels(lang),
        "active_groups": sorted(asked.groups),
        "active_relations": [r for r in asked.relations if r in DRAWN],
        "path": [{"uri": n, "label": path_labels[n], "url": concept_url(n)}
                 for n in path.nodes],
        "path_relations": [s.relation for s in path.steps] if path.steps else [],
        "path_error": path.error,
        "path_unresolved": [value for value, found in ((asked.asked_from, path.start),
                                                       (asked.asked_to, path.end))
                            if value and found is None],
        "path_others": [{"asked": asked_text, "concepts": [
            {"uri": uri, "id": local_name(uri), "label": path_labels[uri],
             "url": concept_url(uri)} for uri in found]}
            for asked_text, found in path.others.items()],
        "total_concepts": net.graph.number_of_nodes(),
        "truncated": view.truncated,
        "max_nodes": MAX_NODES,
    }


def concept_list(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The concepts of a map view by group, each with its links: the map as a list.

    Both directions of every link drawn are listed, the reverse one under its
    inverse name (``SQL — previous stage: MQL``).
    """
    names = data["relation_labels"]
    by_id = {node["id"]: {"id": node["id"], "label": node["label"], "url": node["url"]}
             for node in data["nodes"]}
    links: dict[str, list[dict[str, Any]]] = {uri: [] for uri in by_id}
    inverse = {forward: back for back, forward in FORWARD.items()}
    for edge in data["edges"]:
        a, b, key = edge["from"], edge["to"], edge["relation"]
        links[a].append({"relation": key, "label": names[key], "target": by_id[b],
                         "path": edge.get("path", False)})
        back = inverse.get(key, key)
        links[b].append({"relation": back, "label": names[back], "target": by_id[a],
                         "path": edge.get("path", False)})
    listing = []
    for group in [*data["groups"], {"id": None, "label": None, "color": "#bbbbbb"}]:
        members = sorted((n for n in data["nodes"] if n["group"] == group["id"]),
                         key=lambda n: (n["shape"] != "box", n["label"].casefold()))
        if members:
            listing.append({**group, "concepts": [
                {"id": n["id"], "label": n["label"], "url": n["url"],
                 "links": sorted(links[n["id"]], key=lambda link: (
                     list(names).index(link["relation"]), link["target"]["label"].casefold()))}
                for n in members]})
    return listing



@page_route(blueprint, "/map", endpoint="map_page")
def map_page(suffix: str | None) -> Response:
    from webapp.views.map_notice import focus_notice, unknown_focus

    lang = current_language()
    unknown = unknown_focus(suffix, _resolve)  # the whole map and a message, not a 404 page
    if unknown is not None:
        return unknown
    data = dict(map_payload(lang))  # a copy: the kept payload stays as built
    data["focus_notice"] = focus_notice()
    data["data_url"] = url_for("conceptmap.map_data", **request.args.to_dict(flat=False))
    data["listing"] = concept_list(data)
    return render_page("map/map.html", data, suffix, title=text("Carte des concepts",
                                                                "Concept map"))


@blueprint.route("/map/data.json", endpoint="map_data")
def map_data() -> Response:
    from flask import jsonify

    response = jsonify(map_payload(current_language()))
    response.vary.add("Accept")
    return response

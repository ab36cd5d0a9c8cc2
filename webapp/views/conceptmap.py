"""The concept map: nodes and edges built on the server with networkx and pyvis.

pyvis builds the node and edge records (``from_nx``), but its HTML template
loads assets from the internet, so the page is ours and draws the records with
the vendored vis-network. ``/map.json`` takes ``focus``/``depth`` (a
neighbourhood), ``groups`` and ``relations`` (filters) and ``from``/``to`` (the
path to highlight).

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

from graph.relations import DRAWN, TABLE
from graph.text import local_name
from webapp.pages import concept_url, current_language, page_route, render_page, state, text

if TYPE_CHECKING:  # networkx and pyvis take a third of a second to import: on first use
    import networkx as nx

blueprint = Blueprint("conceptmap", __name__)

#: colour-blind-friendly palette (Okabe–Ito, then Paul Tol's) for groups; yellow and grey
#: come last: a yellow dot hardly shows on white, and grey is the colour of "no group"
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#882255",
           "#999933", "#332288", "#44AA99", "#999999", "#F0E442"]
#: a step of a path named by its inverse → the relation drawn on the map
FORWARD = {r.key: r.inverse for r in TABLE if not r.drawn}
#: above this size the map opens on a neighbourhood, not the whole vocabulary
WHOLE_MAP_LIMIT = 400
#: a neighbourhood is cut at this many concepts (the nearest ones kept)
MAX_NODES = 300
#: with more groups than this, nodes are not coloured by group (too many to tell apart)
MAX_GROUPS = 2 * len(PALETTE)


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
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def from_store(cls) -> MapNetwork:
        import networkx as nx

        from graph.vocabulary.analyse import main_group, network_from_pairs

        reader = state().reader
        graph = network_from_pairs(reader.concepts(), reader.link_pairs())
        members = reader.group_members()
        groups = sorted(state().cached("group-sizes", reader.group_sizes))
        hubs = [] if groups else [t for t in state().cached("top-concepts", reader.top_concepts)
                                  if t in graph]
        undirected = nx.Graph()
        undirected.add_nodes_from(graph)
        undirected.add_edges_from(graph.edges())
        return cls(graph=graph, undirected=undirected, hubs=hubs, groups=groups or hubs,
                   group_of=main_group(graph, hubs, members))

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
    labels = state().reader.labels(groups, lang)
    # colours by URI, so that a group keeps its colour in both languages; listed by label
    colours = {uri: PALETTE[i % len(PALETTE)] for i, uri in enumerate(sorted(groups))}
    ordered = sorted(groups, key=lambda t: labels[t].casefold())
    return {uri: {"id": local_name(uri), "uri": uri, "label": labels[uri],
                  "color": colours[uri]} for uri in ordered}


def _resolve(value: str | None) -> str | None:
    if not value:
        return None
    app_state = state()
    graph = network().graph
    # a label ("churn rate") is no URI
    candidates = [] if any(c in value for c in ' <>"{}|^`\\') else [
        value, app_state.concept_namespace + value]
    for candidate in candidates:
        if graph.has_node(candidate):
            return candidate
    found = app_state.index.resolve(value)
    return str(found) if found is not None and graph.has_node(str(found)) else None


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

    @classmethod
    def read(cls) -> MapRequest:
        focus = _resolve(request.args.get("focus"))
        if request.args.get("focus") and focus is None:
            abort(404, description=f"No concept matches focus={request.args.get('focus')!r}.")
        try:
            depth = max(0, min(int(request.args.get("depth", 2)), 6))
        except ValueError:
            depth = 2
        return cls(focus, depth, _param_list("relations") or list(DRAWN),
                   set(_param_list("groups")), request.args.get("from", "").strip(),
                   request.args.get("to", "").strip())


@dataclass
class MapPath:
    """The path asked for (?from=…&to=…): its steps, its nodes, or why there is none."""

    start: str | None
    end: str | None
    steps: list[Any] | None
    nodes: list[str]
    error: str | None

    @classmethod
    def find(cls, net: MapNetwork, asked_from: str, asked_to: str) -> MapPath:
        from graph.vocabulary.analyse import shortest_path

        start, end = _resolve(asked_from), _resolve(asked_to)
        steps = shortest_path(None, start, end, weighted=net.weighted()) \
            if start and end else None
        nodes = [start] + [s.target for s in steps] if steps else []
        error = None
        if asked_from or asked_to:
            if not (asked_from and asked_to):
                error = "missing"
            elif start is None or end is None:
                error = "unknown"
            elif not nodes:
                error = "none"
        return cls(start, end, steps, nodes, error)


def _view(net: MapNetwork, asked: MapRequest, path: MapPath,
          groups: dict[str, Any]) -> tuple[Any, str | None, int, bool, dict[str, Any]]:
    """The part of the network to show: the view, its focus and depth, whether it was cut,
    and each node's group."""
    full = net.graph
    focus, depth, truncated = asked.focus, asked.depth, False
    keep: set[str] | None = None
    if focus is None and full.number_of_nodes() > WHOLE_MAP_LIMIT:
        if path.nodes:  # the path and what touches it, not the whole vocabulary
            keep = set(path.nodes)
            for node in path.nodes:
                near, cut = net.neighbourhood(node, 1, limit=max(20, MAX_NODES // len(path.nodes)))
                keep |= near
                truncated |= cut
        else:
            focus = net.default_focus()
            depth = min(depth, 1)
    if focus is not None:
        keep, truncated = net.neighbourhood(focus, depth)
        keep |= set(path.nodes)
    view = full.subgraph(keep) if keep is not None else full
    group_of_node = {node: (net.group_of.get(node) if net.group_of.get(node) in groups else None)
                for node in view.nodes}
    if asked.groups:
        kept = {n for n, t in group_of_node.items()
                if (t and groups[t]["id"] in asked.groups) or n == focus or n in path.nodes}
        view = view.subgraph(kept)
    return view, focus, depth, truncated, group_of_node


def _node_records(view: Any, focus: str | None, hubs: set[str], group_of_node: dict[str, Any],
                  groups: dict[str, Any], labels: dict[str, str], lang: str) -> list[dict]:
    """The nodes as vis-network wants them, built with pyvis."""
    import networkx as nx
    from pyvis.network import Network

    shown = sorted(view.nodes)
    definitions = state().reader.definitions(shown, lang)
    builder = Network(directed=True, cdn_resources="remote")
    simple = nx.DiGraph()
    for node in shown:
        group = group_of_node.get(node)
        simple.add_node(node, label=labels[node], title=definitions.get(node, ""),
                        group=groups[group]["id"] if group else "other",
                        color=groups[group]["color"] if group else "#bbbbbb",
                        url=concept_url(node),
                        shape="box" if node in hubs else "dot",
                        size=22 if node == focus else 14)
    builder.from_nx(simple)
    nodes = builder.nodes
    for record in nodes:  # pyvis drops ``color`` when a node has a ``group``
        group = group_of_node.get(record["id"])
        record["group"] = groups[group]["id"] if group else None
        record["color"] = groups[group]["color"] if group else "#bbbbbb"
    return nodes


def _edge_records(view: Any, relations: list[str], path: MapPath, lang: str) -> list[dict]:
    """The links drawn, those of the path in bold black."""
    edges = []
    # the relation each step of the path follows, in the direction the map draws it
    path_links = {(frozenset((s.source, s.target)), FORWARD.get(s.relation, s.relation))
                  for s in path.steps or []}
    for a, b, key in sorted(view.edges(keys=True)):
        on_path = (frozenset((a, b)), key) in path_links
        if key not in DRAWN or (key not in relations and not on_path):
            continue
        relation = DRAWN[key]
        edge = {"id": f"{a} {key} {b}", "from": a, "to": b, "relation": key,
                "title": relation.label[lang == "en"], **relation.style}
        if on_path:
            edge.update({"width": 5, "color": "#000000", "path": True})
        edges.append(edge)
    return edges


def map_payload(lang: str) -> dict[str, Any]:
    net = network()
    groups = _groups(lang)
    asked = MapRequest.read()
    path = MapPath.find(net, asked.asked_from, asked.asked_to)
    view, focus, depth, truncated, group_of_node = _view(net, asked, path, groups)
    labels = state().reader.labels(sorted(view.nodes), lang)
    path_labels = state().reader.labels(path.nodes, lang)
    return {
        "focus": focus,
        "focus_id": local_name(focus) if focus is not None else None,
        "focus_label": labels.get(focus) if focus is not None else None,
        "depth": depth,
        "nodes": _node_records(view, focus, set(net.hubs), group_of_node, groups, labels, lang),
        "edges": _edge_records(view, asked.relations, path, lang),
        "groups": list(groups.values()),
        "hubs": bool(net.hubs),
        "relations": [{"id": key, "label": r.label[lang == "en"], **r.style}
                      for key, r in DRAWN.items()],
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
        "total_concepts": net.graph.number_of_nodes(),
        "truncated": truncated,
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
    lang = current_language()
    data = map_payload(lang)
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

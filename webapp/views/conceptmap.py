"""The concept map: nodes and edges built on the server with networkx and pyvis.

pyvis builds the node and edge records (``from_nx``), but its HTML template
loads assets from the internet, so the page is ours and draws the records with
the vendored vis-network. ``/map.json`` takes ``focus``/``depth`` (a
neighbourhood), ``themes`` and ``relations`` (filters) and ``from``/``to`` (the
path to highlight).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import networkx as nx
from flask import Blueprint, Response, abort, request, url_for
from pyvis.network import Network
from rdflib import URIRef

from graph.analyse import concept_graph, shortest_path
from graph.namespaces import CRMKG, SKOS
from graph.reader import local_name, pick
from webapp.pages import concept_url, current_language, page_route, render_page, state, text

blueprint = Blueprint("conceptmap", __name__)

#: colour-blind-friendly palette (Okabe–Ito, then Tableau) for themes
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#999999", "#882255", "#44AA99", "#117733", "#AA4499"]
#: relation → (label fr, label en, vis-network edge style)
EDGE_STYLES: dict[str, tuple[str, str, dict[str, Any]]] = {
    "broader": ("plus générique", "broader", {"arrows": "to", "color": "#555555"}),
    "related": ("associé", "related", {"dashes": True, "color": "#9a9a9a"}),
    "precedes": ("étape suivante", "next stage", {"arrows": "to", "color": "#D55E00",
                                                  "width": 3}),
    "counterpart": ("pendant", "counterpart", {"color": "#0072B2", "width": 2}),
    "distinguishedFrom": ("à distinguer de", "to tell apart", {"dashes": [2, 6],
                                                              "color": "#CC79A7", "width": 2}),
    "measuredBy": ("mesuré par", "measured by", {"arrows": "to", "color": "#009E73",
                                                 "width": 2}),
}
#: above this size the map opens on a neighbourhood, not the whole vocabulary
WHOLE_MAP_LIMIT = 400


@lru_cache(maxsize=4)
def _network(state_id: int) -> nx.MultiDiGraph:
    del state_id  # the cache key: one network per loaded vocabulary
    return concept_graph(state().graph)


def network() -> nx.MultiDiGraph:
    return _network(id(state()))


def _themes(lang: str) -> dict[str, dict[str, Any]]:
    """Each top concept with its colour, and the theme of every concept."""
    app_state = state()
    graph = app_state.graph
    tops = sorted({str(t) for t in graph.subjects(SKOS.topConceptOf, None)}
                  | {str(t) for t in graph.objects(None, SKOS.hasTopConcept)})
    labels = app_state.reader.labels(tops, lang)
    ordered = sorted(tops, key=lambda t: labels[t].casefold())
    return {uri: {"id": local_name(uri), "uri": uri, "label": labels[uri],
                  "color": PALETTE[i % len(PALETTE)]} for i, uri in enumerate(ordered)}


def _theme_of(node: URIRef, themes: dict[str, dict[str, Any]]) -> str | None:
    if str(node) in themes:
        return str(node)
    found = sorted(str(t) for t in state().graph.objects(node, CRMKG.theme) if str(t) in themes)
    if found:
        return found[0]
    hierarchy = network()
    for ancestor in nx.descendants(nx.DiGraph(
            (a, b) for a, b, k in hierarchy.edges(keys=True) if k == "broader"), node) \
            if hierarchy.has_node(node) else []:
        if str(ancestor) in themes:
            return str(ancestor)
    return None


def _resolve(value: str | None) -> URIRef | None:
    if not value:
        return None
    app_state = state()
    candidates = [value, app_state.concept_namespace + value]
    for candidate in candidates:
        if network().has_node(URIRef(candidate)):
            return URIRef(candidate)
    return app_state.index.resolve(value)


def map_payload(lang: str) -> dict[str, Any]:
    full = network()
    themes = _themes(lang)
    focus = _resolve(request.args.get("focus"))
    if request.args.get("focus") and focus is None:
        abort(404, description=f"No concept matches focus={request.args.get('focus')!r}.")
    try:
        depth = max(0, min(int(request.args.get("depth", 2)), 6))
    except ValueError:
        depth = 2
    wanted_relations = [r for r in request.args.get("relations", "").split(",") if r] or list(
        EDGE_STYLES)
    wanted_themes = {t for t in request.args.get("themes", "").split(",") if t}

    start, end = _resolve(request.args.get("from")), _resolve(request.args.get("to"))
    path_steps = shortest_path(state().graph, start, end, full) if start and end else None
    path_nodes = [start] + [s.target for s in path_steps] if path_steps else []

    view = full
    if focus is None and full.number_of_nodes() > WHOLE_MAP_LIMIT and not path_nodes:
        focus = URIRef(next(iter(themes))) if themes else None
        depth = min(depth, 1)
    if focus is not None:
        undirected = nx.Graph(full.to_undirected(as_view=True))
        keep = set(nx.ego_graph(undirected, focus, radius=depth)) | set(path_nodes)
        view = full.subgraph(keep)
    theme_of = {node: _theme_of(node, themes) for node in view.nodes}
    if wanted_themes:
        keep = {n for n, t in theme_of.items()
                if (t and themes[t]["id"] in wanted_themes) or n == focus or n in path_nodes}
        view = view.subgraph(keep)

    definitions = _definitions([str(n) for n in view.nodes], lang)
    labels = state().reader.labels([str(n) for n in view.nodes], lang)
    builder = Network(directed=True, cdn_resources="remote")
    simple = nx.DiGraph()
    for node in sorted(view.nodes, key=str):
        theme = theme_of.get(node)
        simple.add_node(str(node), label=labels[str(node)], title=definitions.get(str(node), ""),
                        group=themes[theme]["id"] if theme else "other",
                        color=themes[theme]["color"] if theme else "#bbbbbb",
                        url=concept_url(str(node)),
                        shape="box" if str(node) in themes else "dot",
                        size=22 if node == focus else 14)
    builder.from_nx(simple)
    nodes = builder.nodes
    edges = []
    path_pairs = {frozenset((str(a), str(b))) for a, b in zip(path_nodes, path_nodes[1:],
                                                              strict=False)}
    for a, b, key in sorted(view.edges(keys=True), key=lambda e: (str(e[0]), str(e[1]), e[2])):
        if key not in wanted_relations or key not in EDGE_STYLES:
            continue
        fr, en, style = EDGE_STYLES[key]
        edge = {"from": str(a), "to": str(b), "relation": key,
                "title": en if lang == "en" else fr, **style}
        if frozenset((str(a), str(b))) in path_pairs:
            edge.update({"width": 5, "color": "#000000", "path": True})
        edges.append(edge)
    return {
        "focus": str(focus) if focus is not None else None,
        "depth": depth,
        "nodes": nodes,
        "edges": edges,
        "themes": list(themes.values()),
        "relations": [{"id": key, "label": en if lang == "en" else fr, **style}
                      for key, (fr, en, style) in EDGE_STYLES.items()],
        "path": [{"uri": str(n), "label": state().reader.labels([str(n)], lang)[str(n)],
                  "url": concept_url(str(n))} for n in path_nodes],
        "path_relations": [s.relation for s in path_steps] if path_steps else [],
        "total_concepts": full.number_of_nodes(),
    }


def _definitions(uris: list[str], lang: str) -> dict[str, str]:
    graph = state().graph
    result = {}
    for uri in uris:
        texts: dict[str, list[str]] = {}
        for literal in graph.objects(URIRef(uri), SKOS.definition):
            texts.setdefault(getattr(literal, "language", None) or "", []).append(str(literal))
        result[uri] = pick(texts, lang)
    return result


@page_route(blueprint, "/map", endpoint="map_page")
def map_page(suffix: str | None) -> Response:
    lang = current_language()
    data = map_payload(lang)
    data["data_url"] = url_for("conceptmap.map_data", **request.args.to_dict())
    return render_page("map/map.html", data, suffix, title=text("Carte des concepts",
                                                                "Concept map"))


@blueprint.route("/map/data.json", endpoint="map_data")
def map_data() -> Response:
    from flask import jsonify

    response = jsonify(map_payload(current_language()))
    response.vary.add("Accept")
    return response

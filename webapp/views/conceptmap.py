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
from graph.reader import local_name
from webapp.pages import concept_url, current_language, page_route, render_page, state, text

blueprint = Blueprint("conceptmap", __name__)

#: colour-blind-friendly palette (Okabe–Ito, then Paul Tol's) for themes; yellow and grey
#: come last: a yellow dot hardly shows on white, and grey is the colour of "no theme"
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#882255",
           "#999933", "#332288", "#44AA99", "#999999", "#F0E442"]
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
#: the inverse direction of a relation, as a path or the list under the map reads it
INVERSE_LABELS: dict[str, tuple[str, str]] = {
    "narrower": ("plus spécifique", "narrower"),
    "follows": ("étape précédente", "previous stage"),
    "measures": ("mesure", "measures"),
}
#: a step of a path named by its inverse → the relation drawn on the map
FORWARD = {"narrower": "broader", "follows": "precedes", "measures": "measuredBy"}
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
    # colours by URI, so that a theme keeps its colour in both languages; listed by label
    colours = {uri: PALETTE[i % len(PALETTE)] for i, uri in enumerate(tops)}
    ordered = sorted(tops, key=lambda t: labels[t].casefold())
    return {uri: {"id": local_name(uri), "uri": uri, "label": labels[uri],
                  "color": colours[uri]} for uri in ordered}


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
    # a label ("churn rate") is no URI: rdflib would warn about it
    candidates = [] if any(c in value for c in ' <>"{}|^`\\') else [
        value, app_state.concept_namespace + value]
    for candidate in candidates:
        if network().has_node(URIRef(candidate)):
            return URIRef(candidate)
    return app_state.index.resolve(value)


def _param_list(name: str) -> list[str]:
    """``?name=a,b`` (links, scripts) or ``?name=a&name=b`` (the page's form)."""
    return [v.strip() for value in request.args.getlist(name) for v in value.split(",")
            if v.strip()]


def relation_labels(lang: str) -> dict[str, str]:
    """Every relation name a path or the list can use, in the page's language."""
    names = {key: (fr, en) for key, (fr, en, _) in EDGE_STYLES.items()} | INVERSE_LABELS
    return {key: en if lang == "en" else fr for key, (fr, en) in names.items()}


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
    wanted_relations = _param_list("relations") or list(EDGE_STYLES)
    wanted_themes = set(_param_list("themes"))

    asked_from, asked_to = request.args.get("from", "").strip(), request.args.get("to", "").strip()
    start, end = _resolve(asked_from), _resolve(asked_to)
    path_steps = shortest_path(state().graph, start, end, full) if start and end else None
    path_nodes = [start] + [s.target for s in path_steps] if path_steps else []
    path_error = None
    if asked_from or asked_to:
        if not (asked_from and asked_to):
            path_error = "missing"
        elif start is None or end is None:
            path_error = "unknown"
        elif not path_nodes:
            path_error = "none"

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

    definitions = state().reader.definitions([str(n) for n in view.nodes], lang)
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
    for record in nodes:  # pyvis drops ``color`` when a node has a ``group``
        theme = theme_of.get(URIRef(record["id"]))
        record["theme"] = themes[theme]["id"] if theme else None
        record["color"] = themes[theme]["color"] if theme else "#bbbbbb"
    edges = []
    # the relation each step of the path follows, in the direction the map draws it
    path_links = {(frozenset((str(s.source), str(s.target))), FORWARD.get(s.relation, s.relation))
                  for s in path_steps or []}
    for a, b, key in sorted(view.edges(keys=True), key=lambda e: (str(e[0]), str(e[1]), e[2])):
        on_path = (frozenset((str(a), str(b))), key) in path_links
        if key not in EDGE_STYLES or (key not in wanted_relations and not on_path):
            continue
        fr, en, style = EDGE_STYLES[key]
        edge = {"id": f"{a} {key} {b}", "from": str(a), "to": str(b), "relation": key,
                "title": en if lang == "en" else fr, **style}
        if on_path:
            edge.update({"width": 5, "color": "#000000", "path": True})
        edges.append(edge)
    path_labels = state().reader.labels([str(n) for n in path_nodes], lang)
    return {
        "focus": str(focus) if focus is not None else None,
        "focus_id": local_name(str(focus)) if focus is not None else None,
        "focus_label": labels.get(str(focus)) if focus is not None else None,
        "depth": depth,
        "nodes": nodes,
        "edges": edges,
        "themes": list(themes.values()),
        "relations": [{"id": key, "label": en if lang == "en" else fr, **style}
                      for key, (fr, en, style) in EDGE_STYLES.items()],
        "relation_labels": relation_labels(lang),
        "active_themes": sorted(wanted_themes),
        "active_relations": [r for r in wanted_relations if r in EDGE_STYLES],
        "path": [{"uri": str(n), "label": path_labels[str(n)], "url": concept_url(str(n))}
                 for n in path_nodes],
        "path_relations": [s.relation for s in path_steps] if path_steps else [],
        "path_error": path_error,
        "path_unresolved": [value for value, found in ((asked_from, start), (asked_to, end))
                            if value and found is None],
        "total_concepts": full.number_of_nodes(),
    }


def concept_list(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The concepts of a map view by theme, each with its links: the map as a list.

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
    groups = []
    for theme in [*data["themes"], {"id": None, "label": None, "color": "#bbbbbb"}]:
        members = sorted((n for n in data["nodes"] if n["theme"] == theme["id"]),
                         key=lambda n: (n["shape"] != "box", n["label"].casefold()))
        if members:
            groups.append({**theme, "concepts": [
                {"id": n["id"], "label": n["label"], "url": n["url"],
                 "links": sorted(links[n["id"]], key=lambda link: (
                     list(names).index(link["relation"]), link["target"]["label"].casefold()))}
                for n in members]})
    return groups



@page_route(blueprint, "/map", endpoint="map_page")
def map_page(suffix: str | None) -> Response:
    lang = current_language()
    data = map_payload(lang)
    data["data_url"] = url_for("conceptmap.map_data", **request.args.to_dict(flat=False))
    data["groups"] = concept_list(data)
    return render_page("map/map.html", data, suffix, title=text("Carte des concepts",
                                                                "Concept map"))


@blueprint.route("/map/data.json", endpoint="map_data")
def map_data() -> Response:
    from flask import jsonify

    response = jsonify(map_payload(current_language()))
    response.vary.add("Accept")
    return response

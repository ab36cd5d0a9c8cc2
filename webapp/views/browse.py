"""Finding terms: home page, alphabetical index, hierarchy tree, search.

The index and the tree load one part at a time (a letter, a node's children),
so that they stay fast on vocabularies of tens of thousands of concepts; each
part is a page of its own and a JSON twin that the page's script fetches.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, request, url_for

from graph.reader import SKOS, iri, local_name, pick
from graph.search import fold
from webapp.pages import concept_url, current_language, page_route, render_page, state, text

blueprint = Blueprint("browse", __name__)

#: below this size the whole tree is sent at once
FULL_TREE_LIMIT = 400


def _schemes(lang: str) -> list[dict[str, Any]]:
    reader = state().reader
    rows = reader.store.select(
        f"SELECT ?scheme ?p ?o WHERE {{ ?scheme a <{SKOS}ConceptScheme> . "
        f"OPTIONAL {{ ?scheme ?p ?o FILTER(?p IN (<{SKOS}prefLabel>, <{SKOS}definition>)) }} }}")
    schemes: dict[str, dict[str, dict[str, list[str]]]] = {}
    for row in rows:
        entry = schemes.setdefault(row["scheme"]["value"], {"prefLabel": {}, "definition": {}})
        if "p" in row:
            key = local_name(row["p"]["value"])
            entry[key].setdefault(row["o"].get("xml:lang", ""), []).append(row["o"]["value"])
    return [{"uri": uri, "label": pick(v["prefLabel"], lang) or local_name(uri),
             "definition": pick(v["definition"], lang)} for uri, v in sorted(schemes.items())]


def _themes(lang: str) -> list[dict[str, Any]]:
    reader = state().reader
    rows = reader.store.select(
        f"SELECT ?top (COUNT(DISTINCT ?c) AS ?n) WHERE {{ "
        f"{{ ?scheme <{SKOS}hasTopConcept> ?top }} UNION {{ ?top <{SKOS}topConceptOf> ?scheme }} "
        f"OPTIONAL {{ ?c <{SKOS}broader>+ ?top }} }} GROUP BY ?top")
    counts = {r["top"]["value"]: int(r["n"]["value"]) for r in rows}
    labels = reader.labels(list(counts), lang)
    return sorted(({"uri": u, "label": labels[u], "url": concept_url(u), "concepts": n}
                   for u, n in counts.items()), key=lambda t: t["label"].casefold())


def _collections(lang: str) -> list[dict[str, Any]]:
    reader = state().reader
    rows = reader.store.select(
        f"SELECT ?c (COUNT(?m) AS ?n) WHERE {{ ?c <{SKOS}member> ?m }} GROUP BY ?c")
    labels = reader.labels([r["c"]["value"] for r in rows], lang)
    prefix = state().base_uri + "collection/"
    return sorted(({"uri": r["c"]["value"], "label": labels[r["c"]["value"]],
                    "members": int(r["n"]["value"]),
                    "url": url_for("collections.collection_page",
                                   collection_id=r["c"]["value"][len(prefix):])
                    if r["c"]["value"].startswith(prefix) else None}
                   for r in rows), key=lambda c: c["label"].casefold())


@page_route(blueprint, "/")
def home(suffix: str | None) -> Response:
    lang = current_language()
    data = {
        "schemes": _schemes(lang),
        "themes": _themes(lang),
        "collections": _collections(lang),
        "counts": state().counts,
    }
    return render_page("browse/home.html", data, suffix,
                       title=text("Accueil", "Home"))


def _initial(label: str) -> str:
    folded = fold(label)
    return folded[0].upper() if folded and folded[0].isalpha() else "#"


@page_route(blueprint, "/index")
def alphabetical(suffix: str | None) -> Response:
    """Concepts by the first letter of their label in the page's language, one letter a page."""
    lang = current_language()
    reader = state().reader
    rows = reader.store.select(
        f"SELECT ?c ?label WHERE {{ ?c a <{SKOS}Concept> ; <{SKOS}prefLabel> ?label }}")
    by_concept: dict[str, dict[str, list[str]]] = {}
    for row in rows:
        by_concept.setdefault(row["c"]["value"], {}).setdefault(
            row["label"].get("xml:lang", ""), []).append(row["label"]["value"])
    entries = [(pick(labels, lang), uri) for uri, labels in by_concept.items()]
    letters = sorted({_initial(label) for label, _ in entries})
    letter = (request.args.get("letter") or (letters[0] if letters else "A")).upper()[:1]
    chosen = sorted(((label, uri) for label, uri in entries if _initial(label) == letter),
                    key=lambda item: fold(item[0]))
    data = {
        "letters": [{"letter": x, "url": url_for("browse.alphabetical", letter=x)}
                    for x in letters],
        "letter": letter,
        "concepts": [{"uri": uri, "label": label, "url": concept_url(uri)}
                     for label, uri in chosen],
    }
    return render_page("browse/index.html", data, suffix, title=text("Index A–Z", "A–Z index"))


def _children(node: str | None, lang: str) -> list[dict[str, Any]]:
    reader = state().reader
    if node is None:
        query = (f"SELECT DISTINCT ?c (COUNT(DISTINCT ?k) AS ?n) WHERE {{ "
                 f"{{ ?s <{SKOS}hasTopConcept> ?c }} UNION {{ ?c <{SKOS}topConceptOf> ?s }} "
                 f"OPTIONAL {{ {{ ?k <{SKOS}broader> ?c }} UNION {{ ?c <{SKOS}narrower> ?k }} }} "
                 f"}} GROUP BY ?c")
    else:
        node_iri = iri(node)
        query = (f"SELECT DISTINCT ?c (COUNT(DISTINCT ?k) AS ?n) WHERE {{ "
                 f"{{ ?c <{SKOS}broader> {node_iri} }} UNION {{ {node_iri} <{SKOS}narrower> ?c }} "
                 f"OPTIONAL {{ {{ ?k <{SKOS}broader> ?c }} UNION {{ ?c <{SKOS}narrower> ?k }} }} "
                 f"}} GROUP BY ?c")
    rows = reader.store.select(query)
    labels = reader.labels([r["c"]["value"] for r in rows], lang)
    return sorted(({"uri": r["c"]["value"], "label": labels[r["c"]["value"]],
                    "url": concept_url(r["c"]["value"]), "children": int(r["n"]["value"]),
                    "expand": url_for("browse.tree", suffix="json", node=r["c"]["value"])}
                   for r in rows), key=lambda n: n["label"].casefold())


@page_route(blueprint, "/tree")
def tree(suffix: str | None) -> Response:
    """The hierarchy from the top concepts; ``?node=<uri>`` gives one node's children."""
    lang = current_language()
    node = request.args.get("node")
    if node:
        try:
            iri(node)
        except ValueError:
            abort(400, description="node must be the URI of a concept")
    nodes = _children(node, lang)
    full = node is None and state().counts.get("concepts", 0) <= FULL_TREE_LIMIT
    if full:
        stack = list(nodes)
        seen: set[str] = set()
        while stack:
            item = stack.pop()
            if item["uri"] in seen or not item["children"]:
                item["nodes"] = []
                continue
            seen.add(item["uri"])
            item["nodes"] = _children(item["uri"], lang)
            stack.extend(item["nodes"])
    data = {
        "node": node,
        "node_label": state().reader.labels([node], lang)[node] if node else None,
        "complete": full,
        "nodes": nodes,
    }
    return render_page("browse/tree.html", data, suffix, title=text("Arborescence", "Hierarchy"))


@page_route(blueprint, "/search")
def search(suffix: str | None) -> Response:
    """Every label in every language, ignoring case and accents ("qualifie" finds "qualifié")."""
    lang = current_language()
    query = request.args.get("q", "").strip()[:200]
    try:
        limit = max(1, min(int(request.args.get("limit", 50)), 200))
    except ValueError:
        limit = 50
    matches = state().index.search(query, limit=limit) if query else []
    uris = [str(m.concept) for m in matches]
    reader = state().reader
    labels = reader.labels(uris, lang)
    definitions = reader.definitions(uris, lang)
    data = {
        "q": query,
        "results": [{"uri": str(m.concept), "label": labels[str(m.concept)],
                     "matched": m.label, "matched_language": m.language,
                     "match": ["exact", "prefix", "contains"][m.rank],
                     "definition": definitions.get(str(m.concept), ""),
                     "url": concept_url(str(m.concept))} for m in matches],
    }
    if len(matches) == 1 and suffix is None and request.args.get("go"):
        from flask import redirect
        return redirect(data["results"][0]["url"])
    return render_page("browse/search.html", data, suffix, title=text("Recherche", "Search"))


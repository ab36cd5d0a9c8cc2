"""Finding terms: home page, alphabetical index, hierarchy tree, search.

The index and the tree load one part at a time (a letter, a node's children),
and a long part a page at a time (``?page=``), so that they stay fast on
vocabularies of tens of thousands of concepts (YSA: 10,000 concepts at the top
of its hierarchy, 5,000 under one letter); each part is a page of its own and
a JSON twin that the page's script fetches. What every visitor needs (the
index's letters, the top of the tree, the groups' sizes) is computed once per
language and kept: the vocabulary does not change while the app runs.
"""

from __future__ import annotations

import logging
import threading
from math import ceil
from typing import Any

from flask import Blueprint, Flask, Response, abort, redirect, render_template, request, url_for
from markupsafe import Markup

from graph.query.reader import DCT, iri
from graph.text import is_acronym
from graph.training.kinds import FUNNEL, KIND_BY_SUBJECT
from webapp.pages import (
    concept_url,
    current_language,
    page_route,
    render_page,
    state,
    text,
    wants_json,
)
from webapp.views.alphabet import ALL, index_entries
from webapp.views.hierarchy import (
    Links,
    child_rows,
    collection_url,
    full_tree,
    top_level_rows,
    top_rows,
    tree_nodes,
    whole_tree_shown,
)
from webapp.views.naming import de

blueprint = Blueprint("browse", __name__)
blueprint.add_app_template_global(de, "de")
log = logging.getLogger(__name__)

#: searches kept with their results (autocomplete asks the same prefixes again and again)
SEARCHES_KEPT = 256
#: entries of the A–Z index, or nodes of one level of the tree, on one page
PAGE_SIZE = 200
#: entries of the all-letters index on one page (ours fits on one)
ALL_PAGE_SIZE = 1000
#: top concepts the home page lists with the number of concepts under each (in a
#: vocabulary without groups)
TOPS_SHOWN = 60


def warm_up(app: Flask) -> None:
    """Build in the background what the first visitors would wait for on a large
    vocabulary (the label index first, then the index, the tree, the map)."""

    def run() -> None:
        from webapp.views.conceptmap import network

        try:
            with app.app_context():
                app_state = state()
                lang = app.config["DEFAULT_LANGUAGE"]
                app_state.index.wait()
                index_entries(lang)
                top_rows(lang)
                if whole_tree_shown():
                    full_tree(lang)
                app_state.cached(("groups", lang), lambda: _group_rows(lang))
                network()
        except Exception:  # noqa: BLE001 - the pages will build it again, and say why
            log.exception("warming up the caches failed")

    threading.Thread(target=run, daemon=True, name="crmkg-warm-up").start()


def _page_number() -> int:
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        abort(400, description=text("page doit être un nombre entier à partir de 1.",
                                    "page must be a whole number from 1."))


def _paginate(items: list[Any], page: int, endpoint: str, size: int = PAGE_SIZE,
              **args: Any) -> dict[str, Any]:
    pages = max(1, ceil(len(items) / size))
    if page > pages:
        abort(404, description=text(f"Il y a {pages} page(s) ici, pas {page}.",
                                    f"There are {pages} page(s) here, not {page}."))
    return {
        "page": page, "pages": pages, "total": len(items),
        "previous_page": url_for(endpoint, page=page - 1, **args) if page > 1 else None,
        "next_page": url_for(endpoint, page=page + 1, **args) if page < pages else None,
    }


def _groups(lang: str) -> dict[str, Any]:
    """What the home page lists to enter the vocabulary by subject: its concept groups
    with their sizes; without groups, the top concepts with the number of concepts
    below each; without those either (YSA), the biggest branches of the hierarchy."""
    kind, rows = state().cached(("groups", lang), lambda: _group_rows(lang))
    url = collection_url if kind == "groups" else concept_url
    return {"kind": kind, "entries": [{"uri": u, "label": label, "url": url(u), "concepts": n}
                                    for u, label, n in rows]}


def _group_rows(lang: str) -> tuple[str, list[tuple[str, str, int]]]:
    app_state = state()
    reader = app_state.reader
    counts = app_state.cached("group-sizes", reader.group_sizes)
    kind = "groups"
    if not counts:
        tops = app_state.cached("top-concepts", reader.top_concepts)
        kind = "tops" if tops else "branches"
        counts = _top_counts(tops) if tops else {
            uri: n for uri, n, _ in sorted(top_level_rows(), key=lambda r: (-r[1], r[0]))[:24]
            if n}
    labels = reader.labels(list(counts), lang)
    return kind, sorted(((u, labels[u], n) for u, n in counts.items()),
                        key=lambda t: t[1].casefold())


def _top_counts(tops: list[str]) -> dict[str, int]:
    """The concepts below each top concept (the biggest ones, when there are thousands)."""
    shown = tops
    if len(tops) > TOPS_SHOWN:
        declared = [row for row in top_level_rows() if row[2]]
        shown = [uri for uri, _, _ in sorted(declared, key=lambda r: (-r[1], r[0]))]
        shown = shown[:TOPS_SHOWN]
    reader = state().reader
    return state().cached(("descendants", tuple(shown)), lambda: reader.descendant_counts(shown))


def _collection_order() -> dict[str, int]:
    """Where each collection comes on the home page: the funnel first (the flagship), then
    the others in the order of our data (collections.yaml), then any other by label."""
    app_state = state()
    subjects = app_state.reader.store.select_values(
        f"SELECT ?c ?s WHERE {{ ?c <{DCT}subject> ?s }}")
    funnels = {c for c, s in subjects if c and s
               and KIND_BY_SUBJECT.get(app_state.local_id(s) or "") == FUNNEL}
    ours = list(app_state.vocabulary.collections) if app_state.vocabulary else []
    base = app_state.base_uri + "collection/"
    order = {base + cid: n + 1 for n, cid in enumerate(ours)}
    return {uri: 0 for uri in funnels} | {k: v for k, v in order.items() if k not in funnels}


def _collections(lang: str) -> list[dict[str, Any]]:
    def rows() -> list[tuple[str, str, int]]:
        reader = state().reader
        sizes = state().cached("collection-sizes", reader.collection_sizes)
        labels = reader.labels(list(sizes), lang)
        order = _collection_order()
        return sorted(((uri, labels[uri], n) for uri, n in sizes.items()),
                      key=lambda c: (order.get(c[0], len(order) + 1), c[1].casefold()))

    return [{"uri": uri, "label": label, "members": n, "url": collection_url(uri)}
            for uri, label, n in state().cached(("collections", lang), rows)]


@page_route(blueprint, "/")
def home(suffix: str | None) -> Response:
    from webapp.views.downloads import download_links

    lang = current_language()
    app_state = state()
    data = {
        "schemes": app_state.reader.schemes(lang),
        "groups": _groups(lang),
        "collections": _collections(lang),
        "counts": app_state.counts,
        "own_data": app_state.own_data,
        "data_files": [name.rsplit("/", 1)[-1] for name in app_state.data_files],
        "downloads": download_links(),
    }
    return render_page("browse/home.html", data, suffix,
                       title=text("Accueil", "Home"))


@page_route(blueprint, "/index")
def alphabetical(suffix: str | None) -> Response:
    """Concepts and their other labels (acronyms: MQL → lead qualifié marketing) by the
    first letter, in the page's language: one letter a page, or every letter
    (``?letter=all``); a letter of thousands of entries comes ``?page=`` by ``PAGE_SIZE``."""
    lang = current_language()
    by_letter = index_entries(lang)
    letters = sorted(by_letter)
    asked = (request.args.get("letter") or (letters[0] if letters else "A")).strip()
    every = asked.lower() == ALL
    letter = ALL if every else asked.upper()[:1]
    chosen = [e for x in letters for e in by_letter[x]] if every else by_letter.get(letter, [])
    size = ALL_PAGE_SIZE if every else PAGE_SIZE
    page = _page_number()
    paging = _paginate(chosen, page, "browse.alphabetical", size=size, letter=letter,
                       suffix=suffix) if chosen else {
        "page": 1, "pages": 1, "total": 0, "previous_page": None, "next_page": None}
    links = Links()
    data = {
        "letters": [{"letter": x, "url": url_for("browse.alphabetical", letter=x),
                     "count": len(by_letter[x]),
                     "concepts": sum(1 for e in by_letter[x] if e.see is None)}
                    for x in letters],
        "all_url": url_for("browse.alphabetical", letter=ALL),
        "letter": letter,
        **paging,
        "entries": [{"uri": e.uri, "label": e.label, "see": e.see, "letter": e.letter,
                     "acronym": is_acronym(e.label), "url": links.concept(e.uri)}
                    for e in chosen[(page - 1) * size: page * size]],
    }
    title = text("Index A–Z", "A–Z index") + ("" if every else f" · {letter}")
    if wants_json(suffix):
        return render_page("browse/index.html", data, suffix, title=title)
    entries = state().cached(("index-html", lang, letter, page), lambda: Markup(render_template(
        "browse/_index_entries.html", entries=data["entries"], letter=letter)), keep=256)
    return render_page("browse/index.html", {**data, "entries_html": entries}, suffix,
                       title=title)


@page_route(blueprint, "/tree")
def tree(suffix: str | None) -> Response:
    """The hierarchy from the top concepts; ``?node=<uri>`` gives one node's children.

    A level of more than ``PAGE_SIZE`` nodes comes a page at a time (``?page=``).
    """
    lang = current_language()
    node = request.args.get("node")
    if node:
        try:
            iri(node)
        except ValueError:
            abort(400, description=text("node doit être l'URI d'un concept.",
                                        "node must be the URI of a concept."))
    full = node is None and whole_tree_shown()
    if node:
        rows: list = child_rows(node, lang)
    else:
        rows = full_tree(lang) if full else top_rows(lang)
    page = _page_number()
    paging = _paginate(rows, page, "browse.tree", suffix=suffix,
                       **({"node": node} if node else {}))
    data = {
        "node": node,
        "node_label": state().reader.labels([node], lang)[node] if node else None,
        "complete": full,
        **paging,
        "nodes": tree_nodes(rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]),
    }
    title = text("Arborescence", "Hierarchy") + (f" : {data['node_label']}" if node else "")
    return render_page("browse/tree.html", data, suffix, title=title)


@page_route(blueprint, "/search")
def search(suffix: str | None) -> Response:
    """Every label in every language, ignoring case and accents ("qualifie" finds "qualifié")."""
    lang = current_language()
    query = request.args.get("q", "").strip()[:200]
    try:
        limit = max(1, min(int(request.args.get("limit", 50)), 200))
    except ValueError:
        limit = 50
    try:
        data = state().cached(("search", lang, query, limit),
                              lambda: _search_results(query, limit, lang), keep=SEARCHES_KEPT)
    except TimeoutError:
        abort(503, description=text("L'index des libellés est en cours de construction ; "
                                    "réessayez dans un instant.",
                                    "The label index is still being built; try again in a "
                                    "moment."))
    if len(data["results"]) == 1 and suffix is None and request.args.get("go"):
        return redirect(data["results"][0]["url"])
    return render_page("browse/search.html", data, suffix, title=text("Recherche", "Search"))


def _search_results(query: str, limit: int, lang: str) -> dict[str, Any]:
    """What a search finds, with each concept's label and definition in ``lang``: kept
    per query (autocomplete asks the same prefixes again and again)."""
    matches = state().index.search(query, limit=limit) if query else []
    uris = [str(m.concept) for m in matches]
    reader = state().reader
    labels = reader.labels(uris, lang)
    definitions = reader.definitions(uris, lang)
    return {
        "q": query,
        "results": [{"uri": str(m.concept), "label": labels[str(m.concept)],
                     "matched": m.label, "matched_language": m.language,
                     "match": ["exact", "prefix", "contains"][m.rank],
                     "definition": definitions.get(str(m.concept), ""),
                     "url": concept_url(str(m.concept))} for m in matches],
    }


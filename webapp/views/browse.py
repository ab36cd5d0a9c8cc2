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
from urllib.parse import quote_plus

from flask import Blueprint, Flask, Response, abort, request, url_for

from graph.query.reader import iri, pick
from graph.text import fold_search, local_name
from webapp.pages import concept_url, current_language, page_route, render_page, state, text

blueprint = Blueprint("browse", __name__)
log = logging.getLogger(__name__)

#: below this size the whole tree is sent at once
FULL_TREE_LIMIT = 400
#: entries of the A–Z index, or nodes of one level of the tree, on one page
PAGE_SIZE = 200
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
                app_state.cached(("index", lang), lambda: _index_entries(lang))
                app_state.cached(("tree-top", lang), lambda: _top_rows(lang))
                app_state.cached(("groups", lang), lambda: _group_rows(lang))
                network()
        except Exception:  # noqa: BLE001 - the pages will build it again, and say why
            log.exception("warming up the caches failed")

    threading.Thread(target=run, daemon=True, name="crmkg-warm-up").start()


def _page_number() -> int:
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        abort(400, description="page must be a whole number from 1")


def _paginate(items: list[Any], page: int, endpoint: str, **args: Any) -> dict[str, Any]:
    pages = max(1, ceil(len(items) / PAGE_SIZE))
    if page > pages:
        abort(404, description=f"There are {pages} page(s) here, not {page}.")
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
    url = _collection_url if kind == "groups" else concept_url
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
            uri: n for uri, n, _ in sorted(_top_level_rows(), key=lambda r: (-r[1], r[0]))[:24]
            if n}
    labels = reader.labels(list(counts), lang)
    return kind, sorted(((u, labels[u], n) for u, n in counts.items()),
                        key=lambda t: t[1].casefold())


def _top_counts(tops: list[str]) -> dict[str, int]:
    """The concepts below each top concept (the biggest ones, when there are thousands)."""
    shown = tops
    if len(tops) > TOPS_SHOWN:
        declared = [row for row in _top_level_rows() if row[2]]
        shown = [uri for uri, _, _ in sorted(declared, key=lambda r: (-r[1], r[0]))]
        shown = shown[:TOPS_SHOWN]
    reader = state().reader
    return state().cached(("descendants", tuple(shown)), lambda: reader.descendant_counts(shown))


def _collection_url(uri: str) -> str:
    prefix = state().base_uri + "collection/"
    if uri.startswith(prefix):
        return url_for("collections.collection_page", collection_id=uri[len(prefix):])
    return concept_url(uri)


def _collections(lang: str) -> list[dict[str, Any]]:
    def rows() -> list[tuple[str, str, int]]:
        reader = state().reader
        sizes = state().cached("collection-sizes", reader.collection_sizes)
        labels = reader.labels(list(sizes), lang)
        return sorted(((uri, labels[uri], n) for uri, n in sizes.items()),
                      key=lambda c: c[1].casefold())

    return [{"uri": uri, "label": label, "members": n, "url": _collection_url(uri)}
            for uri, label, n in state().cached(("collections", lang), rows)]


@page_route(blueprint, "/")
def home(suffix: str | None) -> Response:
    lang = current_language()
    app_state = state()
    data = {
        "schemes": app_state.reader.schemes(lang),
        "groups": _groups(lang),
        "collections": _collections(lang),
        "counts": app_state.counts,
        "own_data": app_state.own_data,
        "data_files": [name.rsplit("/", 1)[-1] for name in app_state.data_files],
    }
    return render_page("browse/home.html", data, suffix,
                       title=text("Accueil", "Home"))


def _initial(label: str) -> str:
    folded = fold_search(label)
    return folded[0].upper() if folded and folded[0].isalpha() else "#"


def _index_entries(lang: str) -> dict[str, list[tuple[str, str, str]]]:
    """Every concept under the initial of its label in ``lang``: letter → (key, label, uri)."""
    by_letter: dict[str, list[tuple[str, str, str]]] = {}
    for uri, labels in state().reader.preferred_labels().items():
        label = pick({k: sorted(v, key=str.casefold) for k, v in labels.items()}, lang) \
            or local_name(uri)
        by_letter.setdefault(_initial(label), []).append((fold_search(label), label, uri))
    for entries in by_letter.values():
        entries.sort()
    return by_letter


@page_route(blueprint, "/index")
def alphabetical(suffix: str | None) -> Response:
    """Concepts by the first letter of their label in the page's language, one letter a page
    (and, for a letter of thousands of concepts, ``?page=`` by ``PAGE_SIZE``)."""
    lang = current_language()
    by_letter = state().cached(("index", lang), lambda: _index_entries(lang))
    letters = sorted(by_letter)
    letter = (request.args.get("letter") or (letters[0] if letters else "A")).upper()[:1]
    chosen = by_letter.get(letter, [])
    page = _page_number()
    paging = _paginate(chosen, page, "browse.alphabetical", letter=letter, suffix=suffix) \
        if chosen else {"page": 1, "pages": 1, "total": 0, "previous_page": None,
                        "next_page": None}
    shown = chosen[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    links = _Links()
    data = {
        "letters": [{"letter": x, "url": url_for("browse.alphabetical", letter=x),
                     "count": len(by_letter[x])} for x in letters],
        "letter": letter,
        **paging,
        "concepts": [{"uri": uri, "label": label, "url": links.concept(uri)}
                     for _, label, uri in shown],
    }
    return render_page("browse/index.html", data, suffix, title=text("Index A–Z", "A–Z index"))


def _top_level_rows() -> list[tuple[str, int, bool]]:
    return state().cached("top-level", state().reader.top_level)


def _tree_rows(rows: list[tuple[str, int]], lang: str) -> list[tuple[str, str, int]]:
    """(IRI, label, number of narrower concepts), sorted by label."""
    labels = state().reader.labels([uri for uri, _ in rows], lang)
    return sorted(((uri, labels[uri], n) for uri, n in rows),
                  key=lambda r: (fold_search(r[1]), r[0]))


def _top_rows(lang: str) -> list[tuple[str, str, int]]:
    """The top of the tree, sorted by label: the concept groups (and any top concept in
    none); without groups, the declared top concepts first, then the others."""
    reader = state().reader
    groups = reader.group_level()
    if groups:
        grouped = set(state().cached("group-members", reader.group_members))
        loose = [(uri, n) for uri, n, _ in _top_level_rows() if uri not in grouped]
        return _tree_rows(groups, lang) + _tree_rows(loose, lang)
    rows = _top_level_rows()
    tops = {uri for uri, _, declared in rows if declared}
    ordered = _tree_rows([(uri, n) for uri, n, _ in rows], lang)
    return sorted(ordered, key=lambda r: r[0] not in tops)  # stable: by label within each


class _Links:
    """The links of a long list (200 tree nodes, 200 index entries), made without calling
    url_for three times an entry: the same URLs, a tenth of the time."""

    #: what url_for leaves unescaped in a query value (werkzeug's urlencode)
    SAFE = "!$'()*,/:;?@"
    MARK = "CRMKG-URI-MARK"

    def __init__(self) -> None:
        self.entity = url_for("concepts.entity", uri=self.MARK)
        self.expand = url_for("browse.tree", suffix="json", node=self.MARK)
        self.branch = url_for("browse.tree", node=self.MARK)

    def _fill(self, template: str, uri: str) -> str:
        return template.replace(self.MARK, quote_plus(uri, safe=self.SAFE))

    def concept(self, uri: str) -> str:
        if state().local_id(uri):
            return concept_url(uri)
        if uri.startswith(state().base_uri + "collection/"):  # a group, at the tree's top
            return _collection_url(uri)
        return self._fill(self.entity, uri)

    def node(self, uri: str, label: str, children: int) -> dict[str, Any]:
        return {"uri": uri, "label": label, "url": self.concept(uri), "children": children,
                "expand": self._fill(self.expand, uri), "branch": self._fill(self.branch, uri)}


def _tree_nodes(rows: list[tuple[str, str, int]]) -> list[dict[str, Any]]:
    links = _Links()
    return [links.node(uri, label, n) for uri, label, n in rows]


def _children(node: str, lang: str) -> list[dict[str, Any]]:
    return _tree_nodes(_tree_rows(state().reader.children(node), lang))


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
            abort(400, description="node must be the URI of a concept")
    rows = _tree_rows(state().reader.children(node), lang) if node else \
        state().cached(("tree-top", lang), lambda: _top_rows(lang))
    full = node is None and state().counts.get("concepts", 0) <= FULL_TREE_LIMIT
    page = _page_number()
    paging = _paginate(rows, page, "browse.tree", suffix=suffix,
                       **({"node": node} if node else {}))
    nodes = _tree_nodes(rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE])
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
        **paging,
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
    try:
        matches = state().index.search(query, limit=limit) if query else []
    except TimeoutError:
        abort(503, description=text("L'index des libellés est en cours de construction ; "
                                    "réessayez dans un instant.",
                                    "The label index is still being built; try again in a "
                                    "moment."))
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


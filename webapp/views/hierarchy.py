"""The hierarchy as the pages show it: the tree's levels, the whole tree of a small
vocabulary, and the path from a group down to one concept (breadcrumbs, sidebar).

What the tree needs is read once per language and kept (:meth:`AppState.cached`): the
vocabulary does not change while the app runs, and the whole tree of our vocabulary is
about 180 SPARQL reads when it is built node by node (465 ms a request, before).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

from flask import current_app, url_for

from graph.text import fold_search
from webapp.pages import concept_url, state

#: below this size the whole tree is sent at once
FULL_TREE_LIMIT = 400
#: levels of one node's children kept in the cache (``/tree?node=``, the sidebars)
KEPT_LEVELS = 2048
#: a concept's siblings are shown in its sidebar up to this many
MAX_SIBLINGS = 12

#: a level of the tree: (IRI, label, number of narrower concepts)
Row = tuple[str, str, int]


def collection_url(uri: str) -> str:
    """Our collections and groups at /collection/<id>; any other resource's page."""
    prefix = state().base_uri + "collection/"
    if uri.startswith(prefix):
        return url_for("collections.collection_page", collection_id=uri[len(prefix):])
    return concept_url(uri)


class Links:
    """The links of a long list (200 tree nodes, 200 index entries), made without calling
    url_for three times an entry: the same URLs, a tenth of the time."""

    #: what url_for leaves unescaped in a query value (werkzeug's urlencode)
    SAFE = "!$'()*,/:;?@"
    MARK = "CRMKG-URI-MARK"

    def __init__(self) -> None:
        self.entity = url_for("concepts.entity", uri=self.MARK)
        self.expand = url_for("browse.tree", suffix="json", node=self.MARK)
        self.branch = url_for("browse.tree", node=self.MARK)
        self.concept_page = url_for("concepts.concept_page", concept_id=self.MARK)
        self.collections = state().base_uri + "collection/"

    def _fill(self, template: str, uri: str) -> str:
        return template.replace(self.MARK, quote_plus(uri, safe=self.SAFE))

    def concept(self, uri: str) -> str:
        local = state().local_id(uri)
        if local:
            return self.concept_page.replace(self.MARK, local)
        if uri.startswith(self.collections):  # a group, at the tree's top
            return collection_url(uri)
        return self._fill(self.entity, uri)

    def node(self, uri: str, label: str, children: int) -> dict[str, Any]:
        return {"uri": uri, "label": label, "url": self.concept(uri), "children": children,
                "expand": self._fill(self.expand, uri), "branch": self._fill(self.branch, uri)}


# --- the levels of the tree -------------------------------------------------------------------

def top_level_rows() -> list[tuple[str, int, bool]]:
    return state().cached("top-level", state().reader.top_level)


def sorted_rows(rows: list[tuple[str, int]], lang: str) -> list[Row]:
    """(IRI, label, number of narrower concepts), sorted by label."""
    labels = state().reader.labels([uri for uri, _ in rows], lang)
    return sorted(((uri, labels[uri], n) for uri, n in rows),
                  key=lambda r: (fold_search(r[1]), r[0]))


def top_rows(lang: str) -> list[Row]:
    """The top of the tree, sorted by label: the concept groups (and any top concept in
    none); without groups, the declared top concepts first, then the others."""

    def build() -> list[Row]:
        reader = state().reader
        groups = reader.group_level()
        if groups:
            grouped = set(state().cached("group-members", reader.group_members))
            loose = [(uri, n) for uri, n, _ in top_level_rows() if uri not in grouped]
            return sorted_rows(groups, lang) + sorted_rows(loose, lang)
        rows = top_level_rows()
        tops = {uri for uri, _, declared in rows if declared}
        ordered = sorted_rows([(uri, n) for uri, n, _ in rows], lang)
        return sorted(ordered, key=lambda r: r[0] not in tops)  # stable: by label within each

    return state().cached(("tree-top", lang), build)


def child_rows(node: str, lang: str) -> list[Row]:
    """The narrower concepts of a node (of a group: its members at the top of it)."""
    return state().cached(("tree-node", node, lang),
                          lambda: sorted_rows(state().reader.children(node), lang),
                          keep=KEPT_LEVELS)


def whole_tree_shown() -> bool:
    """A small vocabulary's tree is sent whole; a large one's a level at a time, except
    in a static site (crmkg site), where no server is there to send the next level."""
    return (bool(current_app.config.get("STATIC_SITE"))
            or state().counts.get("concepts", 0) <= FULL_TREE_LIMIT)


def full_tree(lang: str) -> list[tuple[str, str, int, list | None]]:
    """The whole tree: each node with its subtree (None for a node already shown
    elsewhere, or without children), read once per language."""

    def build() -> list[tuple[str, str, int, list | None]]:
        seen: set[str] = set()

        def branch(rows: list[Row]) -> list[tuple[str, str, int, list | None]]:
            result = []
            for uri, label, n in rows:
                below = None
                if n and uri not in seen:
                    seen.add(uri)
                    below = branch(child_rows(uri, lang))
                result.append((uri, label, n, below))
            return result

        return branch(top_rows(lang))

    return state().cached(("tree-full", lang), build)


def tree_nodes(rows: list, links: Links | None = None) -> list[dict[str, Any]]:
    """Rows (with their subtrees, if any) as the tree page and its JSON twin give them."""
    links = links or Links()
    nodes = []
    for row in rows:
        node = links.node(row[0], row[1], row[2])
        if len(row) > 3:
            node["nodes"] = tree_nodes(row[3], links) if row[3] else []
        nodes.append(node)
    return nodes


# --- one concept's place -----------------------------------------------------------------------

def _path_up(uri: str, lang: str) -> list[str]:
    """The broader concepts from the top down to the concept's parent: at each step the
    first broader concept by label (a concept may have several)."""
    pairs = state().cached(("ancestors", uri), lambda: state().reader.ancestors(uri),
                           keep=KEPT_LEVELS)
    parents: dict[str, list[str]] = {}
    for narrower, broader in pairs:
        parents.setdefault(narrower, []).append(broader)
    labels = state().reader.labels(sorted({b for _, b in pairs}), lang)
    path, current, seen = [], uri, {uri}
    while parents.get(current):
        options = sorted((p for p in parents[current] if p not in seen),
                         key=lambda p: (fold_search(labels[p]), p))
        if not options:
            break
        current = options[0]
        seen.add(current)
        path.append(current)
    return path[::-1]


def _group_of(top: str, own_groups: list[str]) -> str | None:
    """The group the path starts from: one of the top concept's groups, the concept's own
    if they share one."""
    members = state().cached("group-members", state().reader.group_members)
    candidates = members.get(top, [])
    shared = [g for g in candidates if g in own_groups]
    return (shared or candidates or own_groups or [None])[0]


def place(uri: str, lang: str, own_groups: list[str]) -> dict[str, Any]:
    """Where a concept sits: the trail (group › broader › … › concept) and, for the
    sidebar, its parent's children (or its group's) with the concept among them."""
    path = _path_up(uri, lang)
    group = _group_of(path[0] if path else uri, own_groups)
    parent = path[-1] if path else group
    siblings = child_rows(parent, lang) if parent else []
    if len(siblings) > MAX_SIBLINGS or uri not in {row[0] for row in siblings}:
        siblings = [row for row in siblings if row[0] == uri]
    labels = state().reader.labels([u for u in [group, *path] if u], lang)
    trail = ([{"uri": group, "label": labels[group], "url": collection_url(group),
               "kind": "group"}] if group else [])
    trail += [{"uri": u, "label": labels[u], "url": concept_url(u), "kind": "concept"}
              for u in path]
    return {
        "trail": trail,
        "siblings": [{"uri": u, "label": label, "url": concept_url(u), "children": n,
                      "current": u == uri} for u, label, n in siblings],
        "tree_url": url_for("browse.tree", node=parent) if parent else url_for("browse.tree"),
    }

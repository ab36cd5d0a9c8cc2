"""Collection pages: the ordered structures (funnel, sales cycle, NPS scale …) in order."""

from __future__ import annotations

from flask import Blueprint, Response, abort

from graph.reader import SKOS, iri
from webapp.pages import concept_url, current_language, page_route, render_page, state
from webapp.views.browse import _definitions

blueprint = Blueprint("collections", __name__)


@page_route(blueprint, "/collection/<collection_id>")
def collection_page(suffix: str | None, collection_id: str) -> Response:
    lang = current_language()
    uri = state().base_uri + "collection/" + collection_id
    reader = state().reader
    try:
        kind = reader.kind(uri)
    except ValueError:
        kind = None
    if kind not in ("OrderedCollection", "Collection"):
        abort(404, description=f"No collection is called '{collection_id}'.")
    members = reader.ordered_members(uri)
    if not members:
        rows = reader.store.select(f"SELECT ?m WHERE {{ {iri(uri)} <{SKOS}member> ?m }}")
        members = sorted(r["m"]["value"] for r in rows)
    labels = reader.labels(members + [uri], lang)
    definitions = _definitions(members, lang)
    collection_definition = _definitions([uri], lang).get(uri, "")
    data = {
        "uri": uri,
        "label": labels[uri],
        "definition": collection_definition,
        "ordered": kind == "OrderedCollection",
        "members": [{"position": i + 1, "uri": m, "label": labels[m],
                     "definition": definitions.get(m, ""), "url": concept_url(m)}
                    for i, m in enumerate(members)],
    }
    return render_page("collections/collection.html", data, suffix, title=labels[uri])

"""Collection pages: the ordered structures (funnel, sales cycle, NPS scale …) in order.

``/collection/<id>`` shows the collection drawn as a server-rendered SVG (a funnel, steps,
a scale, cards, a list: the kind the training deck draws too, see :mod:`graph.training.kinds`),
then its members in order, each with its
label, the first sentence of its definition and a link to its page. The drawing can be
downloaded as ``/collection/<id>.svg`` and ``/collection/<id>.png``; ``?lang=`` is honoured
by all of them, and ``/collection/<id>.json`` is the page's JSON twin.
"""

from __future__ import annotations

import html
import re
from typing import Any

from flask import Blueprint, Response, abort, url_for
from markupsafe import Markup

from graph.query.reader import DCT, SKOS, VALUES_BATCH, iri, values_batches
from graph.relations import STAGES
from graph.text import first_sentence
from graph.training import diagrams
from graph.training.kinds import SCALE, collection_kind
from webapp.pages import (
    concept_url,
    current_language,
    heavy_build,
    page_route,
    render_page,
    state,
    text,
    wants_json,
)
from webapp.views.naming import acronyms_of, with_acronyms

blueprint = Blueprint("collections", __name__)

#: the PNG is twice the SVG's size: 1920 pixels wide, sharp on a projector or a slide
PNG_SCALE = 2.0


def _collection(collection_id: str, lang: str) -> dict[str, Any]:
    """What the page, its twin and the drawings need; 404 for an unknown collection."""
    uri = state().base_uri + "collection/" + collection_id
    reader = state().reader
    try:
        kind = reader.kind(uri)
    except ValueError:
        kind = None
    if kind not in ("OrderedCollection", "Collection"):
        abort(404, description=text(f"Aucune collection ne s'appelle « {collection_id} ».",
                                    f"No collection is called '{collection_id}'."))
    ordered = kind == "OrderedCollection"
    members = reader.ordered_members(uri) if ordered else []
    if not members:
        rows = reader.store.select(f"SELECT ?m WHERE {{ {iri(uri)} <{SKOS}member> ?m }}")
        members = sorted(r["m"]["value"] for r in rows)
    labels = reader.labels(members + [uri], lang)
    found = acronyms_of(members, labels, lang)
    definitions = state().reader.definitions(members, lang)
    depicts = [r["s"]["value"] for r in reader.store.select(
        f"SELECT ?s WHERE {{ {iri(uri)} <{DCT}subject> ?s }}")]
    depicted_ids = [state().local_id(s) or s for s in depicts]
    drawing_kind = collection_kind(depicted_ids, ordered=ordered, size=len(members),
                                   stages=ordered and _stages(members))
    scored = drawing_kind == SCALE  # score ranges matter only on a scale
    notations = _notations(members) if scored else {}
    return {
        "uri": uri,
        "label": labels[uri],
        "definition": state().reader.definitions([uri], lang).get(uri, ""),
        "ordered": ordered,
        "depicts": depicts,
        "diagram_kind": drawing_kind,
        "members": [{"position": i + 1, "uri": m, "label": labels[m], "acronyms": found[m],
                     "name": with_acronyms(labels[m], found[m]),
                     "definition": definitions.get(m, ""),
                     "short_definition": first_sentence(definitions.get(m, "")),
                     "scores": _scores(notations.get(m, ""), definitions.get(m, ""))
                     if scored else None,
                     "url": concept_url(m)}
                    for i, m in enumerate(members)],
    }


def _stages(members: list[str]) -> bool:
    """The members are stages of one process: each links to the next with crmkg:precedes."""
    pairs = list(zip(members, members[1:], strict=False))
    linked = 0
    for start in range(0, len(pairs), VALUES_BATCH):
        values = " ".join(f"({iri(a)} {iri(b)})" for a, b in pairs[start:start + VALUES_BATCH])
        rows = state().reader.store.select(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES (?a ?b) {{ {values} }} "
            f"?a {iri(str(STAGES.iri))} ?b }}")
        linked += int(rows[0]["n"]["value"]) if rows else 0
    return bool(pairs) and linked == len(pairs)


def _notations(members: list[str]) -> dict[str, str]:
    if not members:
        return {}
    rows = [row for values in values_batches(members) for row in state().reader.store.select(
        f"SELECT ?m ?n WHERE {{ VALUES ?m {{ {values} }} ?m <{SKOS}notation> ?n }}")]
    return {r["m"]["value"]: r["n"]["value"] for r in rows}


def _scores(notation: str, definition: str) -> list[int] | None:
    """A member's score range: from its skos:notation ("0-6") if any, else its definition."""
    found = diagrams.scores_of(notation, definition)
    return list(found) if found else None


def _drawing(data: dict[str, Any], lang: str, *, inline: bool = False) -> diagrams.Diagram:
    """The collection drawn; a download shows its title and URI, the page has them already."""
    stages = [diagrams.Stage(m["name"], m["short_definition"], m["uri"],
                             tuple(m["scores"]) if m["scores"] else None)
              for m in data["members"]]
    return diagrams.draw(data["diagram_kind"], stages, lang, ordered=data["ordered"],
                         title=data["label"], description=data["definition"],
                         footer="" if inline else data["uri"], heading=not inline)


#: a stage of a drawing: its group, with the URI of its concept (no group inside)
_STAGE = re.compile(r'<g class="stage"([^>]*) data-uri="([^"]*)"([^>]*)>(.*?)</g>', re.S)


def linked_stages(svg: str, targets: dict[str, str]) -> str:
    """The page's drawing with each stage a link to its concept (a tab stop named by what
    the stage shows): an image no longer, a group of links (role="group", same title)."""

    def link(match: re.Match[str]) -> str:
        uri = html.unescape(match.group(2))
        if uri not in targets:
            return match.group(0)
        url = targets[uri]
        return f'<a href="{html.escape(url)}" class="stage-link">{match.group(0)}</a>'

    linked = _STAGE.sub(link, svg)
    return linked.replace(' role="img"', ' role="group"', 1) if linked != svg else svg


def _download_name(collection_id: str, lang: str, extension: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in collection_id) or "collection"
    return f"{safe}.{lang}.{extension}"


def _kept_collection(collection_id: str, lang: str) -> dict[str, Any]:
    """:func:`_collection`, read once per language (the vocabulary does not change while
    the app runs); the page, its twin and both drawings share it."""
    return state().cached(("collection-page", collection_id, lang),
                          lambda: _collection(collection_id, lang), keep=256)


@page_route(blueprint, "/collection/<collection_id>")
def collection_page(suffix: str | None, collection_id: str) -> Response:
    lang = current_language()
    data = dict(_kept_collection(collection_id, lang))
    data["downloads"] = {
        "svg": url_for("collections.collection_svg", collection_id=collection_id, lang=lang),
        "png": url_for("collections.collection_png", collection_id=collection_id, lang=lang),
    }
    extra: dict[str, Any] = {}
    if not wants_json(suffix):  # the drawing itself only in the HTML page
        extra["diagram_svg"] = state().cached(
            ("collection-inline-svg", collection_id, lang), lambda: Markup(linked_stages(
                _drawing(data, lang, inline=True).svg(standalone=False, id_prefix="collection"),
                {m["uri"]: m["url"] for m in data["members"]})), keep=256)
    return render_page("collections/collection.html", {**data, **extra}, suffix,
                       title=data["label"])


@blueprint.route("/collection/<collection_id>.svg")
def collection_svg(collection_id: str) -> Response:
    lang = current_language()
    data = _kept_collection(collection_id, lang)
    svg = state().cached(("collection-svg", collection_id, lang),
                         lambda: _drawing(data, lang).svg().encode("utf-8"), keep=64)
    return _download(svg, "image/svg+xml", _download_name(collection_id, lang, "svg"))


@blueprint.route("/collection/<collection_id>.png")
def collection_png(collection_id: str) -> Response:
    lang = current_language()
    data = _kept_collection(collection_id, lang)
    # drawing a PNG takes a moment; the vocabulary does not change while the app runs

    def draw() -> bytes:
        with heavy_build():
            return _drawing(data, lang).png(PNG_SCALE)

    png = state().cached(("collection-png", collection_id, lang), draw, keep=64)
    return _download(png, "image/png", _download_name(collection_id, lang, "png"))


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.vary.add("Cookie")  # the language may come from the cookie
    return response

"""Concept pages, their RDF, and dereferenceable concept URIs.

``/concept/<id>`` is the page of a concept of our namespace; it negotiates
HTML, Turtle, RDF/XML, JSON-LD, N-Triples and JSON (the page's data).
``/id/<id>`` — the form of our concept URIs — answers 303 to the page or to
the RDF, by ``Accept``. ``/entity?uri=`` (Skosmos's convention) shows any
resource of the store, for concepts whose URI is not in our namespace.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, abort, g, redirect, request, url_for

from graph.formats import SERVED
from graph.mappings import MATCH_BY_KEY, vocabulary_name, web_link
from graph.query.reader import NOTES, ConceptDetails, iri, pick
from graph.relations import TABLE
from graph.text import acronyms, first_non_xml_char, fold_search
from webapp.negotiation import choose
from webapp.pages import concept_url, current_language, render_page, state, text
from webapp.views.entities import entity_data
from webapp.views.hierarchy import collection_url, place
from webapp.views.naming import with_acronyms

blueprint = Blueprint("concepts", __name__)

#: the RDF a concept page is also served as: media type → (page suffix, pyoxigraph format)
RDF_TYPES = {syntax.media_type: (syntax.suffix, syntax.ox) for syntax in SERVED}
SUFFIXES = {suffix: media for media, (suffix, _) in RDF_TYPES.items()}
SUFFIXES["json"] = "application/json"
PAGE_TYPES = ["text/html", *RDF_TYPES, "application/json"]
PREFIXES = {"skos": "http://www.w3.org/2004/02/skos/core#", "dct": "http://purl.org/dc/terms/",
            "crmkg": "https://w3id.org/crmkg/ontology#", "prov": "http://www.w3.org/ns/prov#",
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}


#: a concept page's data is kept per concept and language, at most this many
KEPT_PAGES = 4096


def _exists(uri: str) -> bool:
    try:
        return state().reader.exists(uri)
    except ValueError:
        return False


def normalised_id(concept_id: str) -> str:
    """The id a reader meant: /concept/MQL, /concept/Lead_Scoring, /concept/opportunité
    are mql, lead-scoring, opportunite (our ids are lower-case words joined by '-')."""
    return "-".join(fold_search(concept_id.replace("_", " ")).split())


def _known_or_redirect(concept_id: str, endpoint: str, **values: Any) -> str | Response:
    """The concept's URI, or a permanent redirect to the id a reader meant, or a 404 whose
    page suggests what search finds for the id."""
    uri = state().concept_namespace + concept_id
    if _exists(uri):
        return uri
    meant = normalised_id(concept_id)
    if meant and meant != concept_id and _exists(state().concept_namespace + meant):
        args = {k: v for k, v in request.args.items()
                if k not in ("concept_id", "ext") and not k.startswith("_")}
        return redirect(url_for(endpoint, concept_id=meant, **values, **args), 308)
    g.missing_term = concept_id
    abort(404, description=text(f"Aucun concept n'a l'identifiant « {concept_id} ».",
                                f"No concept has the id '{concept_id}'."))


@blueprint.route("/id/<concept_id>")
def concept_uri(concept_id: str) -> Response:
    """303 See Other to the representation the client asks for."""
    found = _known_or_redirect(concept_id, "concepts.concept_uri")
    if isinstance(found, Response):
        return found
    media_type = choose(PAGE_TYPES)
    if media_type in RDF_TYPES:
        target = url_for("concepts.concept_page", concept_id=concept_id,
                         ext=RDF_TYPES[media_type][0])
    else:
        target = url_for("concepts.concept_page", concept_id=concept_id)
    response = redirect(target, code=303)
    response.vary.add("Accept")
    return response


@blueprint.route("/concept/<concept_id>")
@blueprint.route("/concept/<concept_id>.<ext>")
def concept_page(concept_id: str, ext: str | None = None) -> Response:
    _check_suffix(ext)
    found = _known_or_redirect(concept_id, "concepts.concept_page", ext=ext)
    if isinstance(found, Response):
        return found
    return _resource_response(found, ext)


@blueprint.route("/entity")
def entity() -> Response:
    """Any resource of the store: ours are sent to their own page (303), a concept of
    another vocabulary gets a concept page, anything else a page of its kind."""
    uri = request.args.get("uri", "").strip()
    if not uri:
        abort(400, description=text("Donnez l'URI d'une ressource : /entity?uri=…",
                                    "Give the URI of a resource: /entity?uri=…"))
    try:
        iri(uri)
    except ValueError:
        abort(400, description=text(f"Ceci n'est pas une URI : {uri!r}.",
                                    f"This is not a URI: {uri!r}."))
    local = state().local_id(uri)
    collections = state().base_uri + "collection/"
    if local is not None or uri.startswith(collections):
        media_type = choose(PAGE_TYPES, request.args.get("format"))
        ext = None if media_type == "text/html" else (
            "json" if media_type == "application/json" else RDF_TYPES[media_type][0])
        if local is not None:
            target = url_for("concepts.concept_page", concept_id=local, ext=ext)
        elif ext in (None, "json") and _exists(uri):
            target = url_for("collections.collection_page", suffix=ext,
                             collection_id=uri[len(collections):])
        else:
            return _resource_response(uri, None)
        response = redirect(target, 303)
        response.vary.add("Accept")
        return response
    return _resource_response(uri, None)


def _check_suffix(ext: str | None) -> None:
    if ext is not None and ext not in SUFFIXES:
        abort(404, description=text(
            f"Format inconnu : « .{ext} » ; choisissez parmi "
            + ", ".join(f".{s}" for s in sorted(SUFFIXES)) + ".",
            f"Unknown format '.{ext}'; use one of "
            + ", ".join(f".{s}" for s in sorted(SUFFIXES)) + "."))


def _rdf_response(uri: str, media_type: str) -> Response:
    body = describe(uri, RDF_TYPES[media_type][1])
    if media_type == "application/rdf+xml" and first_non_xml_char(body.decode("utf-8")):
        abort(406, description=(
            f"{uri}: its data holds a control character that XML 1.0 cannot hold, not "
            "even escaped, so it has no RDF/XML form; ask for text/turtle, "
            "application/n-triples or application/ld+json"))
    response = Response(body, content_type=f"{media_type}; charset=utf-8")
    response.vary.add("Accept")
    return response


def _resource_response(uri: str, ext: str | None) -> Response:
    _check_suffix(ext)
    media_type = SUFFIXES[ext] if ext else choose(PAGE_TYPES, request.args.get("format"))
    reader = state().reader
    kind = reader.kind(uri) if _exists(uri) else None
    if media_type in RDF_TYPES:
        if kind is None:
            abort(404, description=text(f"Ce serveur ne décrit pas {uri}.",
                                        f"This server does not describe {uri}."))
        return _rdf_response(uri, media_type)
    as_json = "json" if media_type == "application/json" else None
    if kind != "Concept":
        data = state().cached(("entity-page", uri, current_language()),
                              lambda: entity_data(uri), keep=KEPT_PAGES)
        response = render_page("concepts/entity.html", data, as_json, title=data["label"],
                               twin_url=url_for("concepts.entity", uri=uri, format="json"))
        links = data["downloads"]
    else:
        data = concept_data(uri)
        twin = f"{data['page']}.json" if data["id"] else url_for("concepts.entity", uri=uri,
                                                                 format="json")
        response = render_page("concepts/concept.html", data, as_json, title=data["heading"],
                               twin_url=twin)
        links = data["downloads"]
    if media_type == "text/html" and links:
        alternates = [f'<{links[n]}>; rel="alternate"; type="{m}"'
                      for m, (n, _) in RDF_TYPES.items()]
        response.headers["Link"] = ", ".join([response.headers.get("Link", ""),
                                              *alternates]).strip(", ")
    return response


def describe(uri: str, rdf_format: Any) -> bytes:
    """The concept's own triples, with the labels of what it links to."""
    triples = state().reader.describe(uri)
    options = {"prefixes": {**PREFIXES, "concept": state().concept_namespace}} \
        if rdf_format == ox.RdfFormat.TURTLE else {}
    return ox.serialize(triples, format=rdf_format, **options)


def concept_data(uri: str) -> dict[str, Any]:
    """What a concept's page shows, built once per concept and language."""
    lang = current_language()
    return state().cached(("concept-page", uri, lang), lambda: _concept_data(uri, lang),
                          keep=KEPT_PAGES)


def _concept_data(uri: str, lang: str) -> dict[str, Any]:
    other = "en" if lang == "fr" else "fr"
    details = state().reader.concept(uri, lang)
    if details is None:
        abort(404, description=text(f"Aucun concept n'a l'URI {uri}.",
                                    f"No concept has the URI {uri}."))
    relation_names = {r.key: r.heading[lang == "en"] for r in TABLE}
    note_names = {key: (fr if lang == "fr" else en) for key, fr, en in NOTES}
    local = state().local_id(uri)
    base = url_for("concepts.concept_page", concept_id=local) if local else None
    downloads = {suffix: (f"{base}.{suffix}" if base else url_for(
        "concepts.entity", uri=uri, format=suffix)) for suffix, _ in RDF_TYPES.values()}
    label = pick(details.pref_labels, lang) or uri
    found = acronyms(label, details.alt_labels.get(lang, []))
    relations = [{"key": key, "name": relation_names[key],
                  "concepts": [{"uri": link.uri, "label": link.label,
                                "url": concept_url(link.uri)} for link in links]}
                 for key, links in details.relations.items()]
    return {
        "uri": uri,
        "id": local,
        "page": base or url_for("concepts.entity", uri=uri),
        "label": label,
        "acronyms": found,
        "heading": with_acronyms(label, found),
        "label_other": _other_label(details.pref_labels, lang, other),
        "language": lang,
        "other_language": other,
        "pref_labels": details.pref_labels,
        "alt_labels": details.alt_labels,
        "hidden_labels": details.hidden_labels,
        "notes": [{"key": key, "name": note_names[key], "texts": texts,
                   "text": pick(texts, lang), "text_other": pick(texts, other)}
                  for key, texts in details.notes.items()],
        "relations": relations,
        "groups": [{"uri": g.uri, "label": g.label, "url": collection_url(g.uri)}
                   for g in details.groups],
        "hierarchy": {**place(uri, lang, [g.uri for g in details.groups]),
                      "narrower": next((r["concepts"] for r in relations
                                        if r["key"] == "narrower"), [])},
        "top_concept_of": [{"uri": t.uri, "label": t.label} for t in details.top_concept_of],
        "schemes": [{"uri": s.uri, "label": s.label} for s in details.schemes],
        "sources": [{**source, "url": concept_url(source["uri"]) if source["uri"] else None}
                    for source in details.sources],
        "not_in_glossaries": details.not_in_glossaries,
        "collections": [{**c, "url": collection_url(c["uri"])} for c in details.collections],
        "mappings": _mappings(details, lang),
        "other_properties": [{"property": p, "value": v} for p, v in details.other],
        "downloads": downloads,
        "map_data": url_for("conceptmap.map_data", focus=local or uri, depth=1),
        "map_page": url_for("conceptmap.map_page", focus=local or uri, depth=2),
        "jsonld": describe(uri, ox.RdfFormat.JSON_LD).decode("utf-8"),
    }


def _mappings(details: ConceptDetails, lang: str) -> list[dict[str, Any]]:
    """The links to other vocabularies: the kind in words, the target's label when the
    served data holds it (then its page here too), the vocabulary's name, and the IRI as
    an external link (http and https only). Nothing is fetched."""
    return [{"kind": m.kind, "name": MATCH_BY_KEY[m.kind].name[lang == "en"], "uri": m.uri,
             "label": m.label, "vocabulary": vocabulary_name(m.uri),
             "url": m.uri if web_link(m.uri) else None,
             "page": concept_url(m.uri) if m.label else None}
            for m in details.mappings]


def _other_label(labels: dict[str, list[str]], lang: str, other: str) -> str:
    """The label in the other language of the pages, unless it is the one shown already
    (a vocabulary in Finnish has neither: both fall back on the same label)."""
    shown, found = pick(labels, lang), pick(labels, other)
    return "" if found == shown else found

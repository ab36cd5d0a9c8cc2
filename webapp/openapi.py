"""The OpenAPI 3 description of the app's JSON API, served at ``/-/openapi.json``.

Every page has a JSON twin (``.json``, ``?format=json`` or ``Accept:
application/json``) built from the same data as the page; this module says
what each twin holds, with its parameters, and documents the SPARQL endpoint
and the one error shape of :func:`webapp.errors.error_response`. It is a table
kept beside the views rather than generated from them; ``tests/test_fuzz_routes.py``
checks that every route of ``app.url_map`` is in it and that real answers match
its schemas, so the two cannot drift apart silently.
"""

from __future__ import annotations

from typing import Any

from graph.export import exporter_for
from graph.formats import RESULTS_FORMATS, SERVED
from graph.mappings import MATCH_BY_KEY
from webapp.views.downloads import DOWNLOADS

Schema = dict[str, Any]

STR: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
BOOL: Schema = {"type": "boolean"}
NUM: Schema = {"type": "number"}


def nullable(schema: Schema) -> Schema:
    return {**schema, "nullable": True}


def obj(required: dict[str, Schema], optional: dict[str, Schema] | None = None) -> Schema:
    """An object with these keys (more may be added in later versions)."""
    return {"type": "object", "required": list(required),
            "properties": {**required, **(optional or {})}}


def arr(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


#: the RDF syntaxes the pages and the endpoint serve, and their page suffixes
RDF_MEDIA_TYPES = [syntax.media_type for syntax in SERVED]
SUFFIXES = [syntax.suffix for syntax in SERVED]

LINK = obj({"uri": STR, "label": STR, "url": STR})
TEXTS = {"type": "object", "additionalProperties": arr(STR),
         "description": "language tag ('' for none) → texts"}
PAGING = {"page": INT, "pages": INT, "total": INT, "previous_page": nullable(STR),
          "next_page": nullable(STR)}
COUNTS = obj({"concepts": INT, "collections": INT, "groups": INT, "schemes": INT,
              "triples": INT})
TREE_NODE = obj({"uri": STR, "label": STR, "url": STR, "children": INT, "expand": STR,
                 "branch": STR}, {"nodes": arr({"type": "object"})})

SCHEMAS: dict[str, Schema] = {
    "Error": {**obj({"ok": {"type": "boolean", "enum": [False]}, "status": INT, "error": STR,
                     "message": STR}),
              "description": "Every error of a JSON answer (webapp/errors.py): the HTTP "
                             "status again, its name, and what to do."},
    "Home": obj({"schemes": arr(obj({"uri": STR, "label": STR})),
                 "groups": obj({"kind": {"type": "string",
                                         "enum": ["groups", "tops", "branches"]},
                                 "entries": arr(obj({"uri": STR, "label": STR, "url": STR,
                                                   "concepts": INT}))}),
                 "collections": arr(obj({"uri": STR, "label": STR, "members": INT, "url": STR})),
                 "counts": COUNTS, "own_data": BOOL, "data_files": arr(STR)}),
    "Index": obj({"letters": arr(obj({"letter": STR, "url": STR, "count": INT,
                                      "concepts": INT})),
                  "all_url": STR, "letter": STR, **PAGING,
                  "entries": arr(obj({"uri": STR, "label": STR, "see": nullable(STR),
                                      "letter": STR, "acronym": BOOL, "url": STR}))}),
    "Search": obj({"q": STR, "results": arr(obj({
        "uri": STR, "label": STR, "matched": STR, "matched_language": STR,
        "match": {"type": "string", "enum": ["exact", "prefix", "contains"]},
        "definition": STR, "url": STR}))}),
    "Tree": obj({"node": nullable(STR), "node_label": nullable(STR), "complete": BOOL,
                 **PAGING, "nodes": arr(TREE_NODE)}),
    "Concept": obj({
        "uri": STR, "id": nullable(STR), "page": STR, "label": STR, "label_other": STR,
        "language": STR, "other_language": STR, "pref_labels": TEXTS, "alt_labels": TEXTS,
        "hidden_labels": TEXTS,
        "notes": arr(obj({"key": STR, "name": STR, "texts": TEXTS, "text": STR,
                          "text_other": STR})),
        "relations": arr(obj({"key": STR, "name": STR, "concepts": arr(LINK)})),
        "groups": arr(obj({"uri": STR, "label": STR}, {"url": nullable(STR)})),
        "not_in_glossaries": BOOL, "top_concept_of": arr(obj({"uri": STR, "label": STR})),
        "schemes": arr(obj({"uri": STR, "label": STR})),
        "sources": arr(obj({"uri": STR})),
        "collections": arr(obj({"uri": STR, "label": STR}, {"url": nullable(STR)})),
        "mappings": {**arr(obj({
            "kind": {"type": "string", "enum": list(MATCH_BY_KEY)},
            "name": STR, "uri": STR,
            "label": {**nullable(STR), "description": "the target's label when the served "
                                                     "data holds it"},
            "vocabulary": {**STR, "description": "the target vocabulary's name ('' if unknown)"},
            "url": {**nullable(STR), "description": "the IRI as a link (http and https only)"},
            "page": {**nullable(STR), "description": "the target's page here, when served"}})),
            "description": "links to concepts of other vocabularies (skos:exactMatch, "
                           "closeMatch, broadMatch, narrowMatch, relatedMatch)"},
        "other_properties": arr(obj({"property": STR, "value": STR})),
        "downloads": obj({"ttl": STR, "rdf": STR, "jsonld": STR, "nt": STR}),
        "map_data": STR, "map_page": STR,
        "jsonld": {**STR, "description": "the concept's own triples as JSON-LD, a string"}}),
    "Collection": obj({
        "uri": STR, "label": STR, "definition": STR, "ordered": BOOL, "depicts": arr(STR),
        "diagram_kind": STR,
        "members": arr(obj({"position": INT, "uri": STR, "label": STR, "definition": STR,
                            "short_definition": STR, "scores": nullable(arr(INT)),
                            "url": STR})),
        "downloads": obj({"svg": STR, "png": STR})}),
    "MapData": obj({
        "focus": nullable(STR), "focus_id": nullable(STR), "focus_label": nullable(STR),
        "depth": INT,
        "nodes": arr(obj({"id": STR, "label": STR, "url": STR, "group": nullable(STR)})),
        "edges": arr(obj({"id": STR, "from": STR, "to": STR, "relation": STR})),
        "groups": arr(obj({"id": STR, "uri": STR, "label": STR, "color": STR})),
        "hubs": BOOL,
        "relations": arr(obj({"id": STR, "label": STR})),
        "relation_labels": {"type": "object", "additionalProperties": STR},
        "active_groups": arr(STR), "active_relations": arr(STR),
        "path": arr({"type": "object"}),
        "path_error": nullable(STR), "total_concepts": INT, "truncated": BOOL,
        "max_nodes": INT}),
    "MapPage": {"allOf": [ref("MapData"), obj({"data_url": STR, "listing": arr(obj({
        "id": nullable(STR), "label": nullable(STR), "concepts": arr({"type": "object"})}))})]},
    "Quiz": obj({"mode": {"type": "string", "enum": ["definition", "term"]}, "language": STR,
                 "seed": INT, "token": STR, "prompt": STR, "instruction": STR,
                 "choices": arr(obj({"value": INT, "text": STR})),
                 "score": obj({"right": INT, "answered": INT}), "answer_url": STR,
                 "permalink": STR, "modes": arr({"type": "object"})}),
    "QuizResult": obj({"correct": BOOL, "valid_choice": BOOL, "mode": STR, "language": STR,
                       "seed": INT, "choices": arr({"type": "object"}),
                       "answer": {"type": "object"}, "score": {"type": "object"},
                       "next_url": STR}),
    "Entity": obj({"uri": STR, "kind": STR, "kind_name": STR, "types": arr(STR), "label": STR,
                   "label_other": STR, "description": STR, "described": BOOL,
                   "facts": arr(obj({"property": STR, "name": STR,
                                     "shown": arr({"type": "object"})})),
                   "linked_from": arr(obj({"property": STR, "name": STR, "count": INT,
                                           "resources": arr(LINK)})),
                   "page": STR}),
    "Resource": {"oneOf": [ref("Concept"), ref("Entity")],
                 "description": "A concept (of any vocabulary served), or any other "
                                "resource: a source glossary, a scheme, a foreign IRI."},
    "About": obj({
        "name": STR, "version": STR, "versions": {"type": "object",
                                                  "additionalProperties": STR},
        "base_uri": STR, "counts": COUNTS,
        "data": obj({"own_vocabulary": BOOL, "files": arr(STR), "store": obj({
            "kind": STR, "reused": BOOL, "seconds": NUM})}),
        "data_checksum": STR,
        "sparql": obj({"timeout_seconds": NUM, "max_rows": INT, "workers": INT,
                       "read_only": BOOL, "worker_network": STR}),
        "settings": arr(obj({"name": STR, "meaning": STR}, {"value": {}}))}),
    "Health": obj({"ok": BOOL, "concepts": INT, "triples": INT}),
    "OpenAPI": obj({"openapi": STR, "info": {"type": "object"}, "paths": {"type": "object"}}),
}


def _param(name: str, description: str, schema: Schema | None = None, *,
           where: str = "query", required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required or where == "path",
            "description": description, "schema": schema or STR}


LANG = _param("lang", "language of the labels and wording, fr or en (remembered in a cookie)",
              {"type": "string", "enum": ["fr", "en"]})
FORMAT = _param("format", "json for the JSON twin (as the .json URL or Accept: "
                          "application/json)")
PAGE = _param("page", "page of a long list, from 1 (else 400; past the last: 404)",
              {"type": "integer", "minimum": 1})
ERRORS = {"400": "a parameter is wrong", "404": "no such resource (or page)",
          "405": "method not allowed", "406": "no representation matches Accept / format"}
MAP_PARAMS = [
    _param("focus", "id or URI of the concept at the centre"),
    _param("depth", "links from the focus, 0 to 6", {"type": "integer"}),
    _param("groups", "groups to show (ids, comma-separated or repeated)"),
    _param("relations", "relations to show (comma-separated or repeated)"),
    _param("from", "start of a path to highlight"), _param("to", "end of the path"),
]

#: rule of url_map → (summary, parameters, JSON schema or None, other media types)
ROUTES: dict[str, tuple[str, list[dict[str, Any]], str | None, list[str]]] = {
    "/": ("Home page: schemes, groups, collections, counts", [LANG, FORMAT], "Home",
          ["text/html"]),
    "/index": ("A–Z index, a letter at a time: concepts, and their other labels as "
               "references to them (see: the preferred label)", [
        LANG, FORMAT, _param("letter", "first letter (# for the others, all for every "
                                       "letter)"), PAGE], "Index",
        ["text/html"]),
    "/search": ("Labels in every language, ignoring case and accents", [
        LANG, FORMAT, _param("q", "the text searched (200 characters at most)"),
        _param("limit", "most results, 1 to 200", {"type": "integer"}),
        _param("go", "with one result, redirect to it (HTML only)")], "Search",
        ["text/html"]),
    "/tree": ("The hierarchy from the top concepts, or one node's children", [
        LANG, FORMAT, _param("node", "URI of the node whose children are listed"), PAGE],
        "Tree", ["text/html"]),
    "/concept/{concept_id}": ("A concept: page, its data, or its RDF by Accept / format", [
        _param("concept_id", "the concept's id", where="path"), LANG,
        _param("format", "html, json, " + ", ".join(SUFFIXES))], "Concept",
        ["text/html", *RDF_MEDIA_TYPES]),
    "/concept/{concept_id}.{ext}": ("A concept in one format: .json (its data), "
                                    + ", ".join(f".{s}" for s in SUFFIXES), [
        _param("concept_id", "the concept's id", where="path"),
        _param("ext", "json, " + ", ".join(SUFFIXES), {"type": "string", "enum": [
            "json", *SUFFIXES]}, where="path"), LANG], "Concept",
        RDF_MEDIA_TYPES),
    "/id/{concept_id}": ("A concept's URI: 303 to its page or its RDF, by Accept", [
        _param("concept_id", "the concept's id", where="path")], None, []),
    "/entity": ("Any resource of the store by its URI (303 to /concept/… for ours)", [
        _param("uri", "the resource's URI", required=True), LANG,
        _param("format", "html, json, " + ", ".join(SUFFIXES))], "Resource",
        ["text/html", *RDF_MEDIA_TYPES]),
    "/collection/{collection_id}": ("An ordered collection, in order, with its drawing", [
        _param("collection_id", "the collection's id", where="path"), LANG, FORMAT],
        "Collection", ["text/html"]),
    "/collection/{collection_id}.svg": ("The collection drawn, as SVG", [
        _param("collection_id", "the collection's id", where="path"), LANG], None,
        ["image/svg+xml"]),
    "/collection/{collection_id}.png": ("The collection drawn, as PNG", [
        _param("collection_id", "the collection's id", where="path"), LANG], None,
        ["image/png"]),
    "/map": ("The concept map, or a neighbourhood of it", [LANG, FORMAT, *MAP_PARAMS],
             "MapPage", ["text/html"]),
    "/map/data.json": ("The map's nodes and edges, for the page's script",
                       [LANG, *MAP_PARAMS], "MapData", []),
    "/quiz": ("A question of the self-test (the JSON has no answer)", [
        LANG, FORMAT, _param("mode", "definition or term", {
            "type": "string", "enum": ["definition", "term"]}),
        _param("seed", "the question's number, for a reproducible question",
               {"type": "integer", "minimum": 0})], "Quiz", ["text/html"]),
    "/quiz/answer": ("POST: check an answer (form: token, choice); GET: a new question",
                     [LANG, FORMAT], "QuizResult", ["text/html"]),
    "/quiz/result": ("The result of the question answered last (after POST /quiz/answer's "
                     "303); another token: 303 to a new question", [
        _param("token", "the answered question's token", required=True), LANG, FORMAT],
        "QuizResult", ["text/html"]),
    "/quiz/reset": ("POST: score back to zero; 303 to a new question", [], None, []),
    **{f"/vocabulary.{d.suffix}": (f"The whole vocabulary as {d.name} (a download)", [],
                                   None, [exporter_for(d.export).media_type])
       for d in DOWNLOADS},
    "/slides.pptx": ("The training deck", [
        LANG, _param("collection", "collections to include (repeated)")], None,
        ["application/vnd.openxmlformats-officedocument.presentationml.presentation"]),
    "/-/about": ("Versions, counts, data checksum, settings", [FORMAT], "About",
                 ["text/html"]),
    "/-/health": ("Health check", [], "Health", []),
    "/-/openapi.json": ("This description", [], "OpenAPI", []),
}
#: routes registered with a JSON twin (``page_route``): rule → its ``.json`` twin
TWINS = {"/": "/.json", "/index": "/index.json", "/search": "/search.json",
         "/tree": "/tree.json", "/collection/{collection_id}": "/collection/{collection_id}.json",
         "/map": "/map.json", "/quiz": "/quiz.json", "/quiz/answer": "/quiz/answer.json",
         "/quiz/result": "/quiz/result.json", "/-/about": "/-/about.json"}
POST_ROUTES = {"/quiz/answer", "/quiz/reset"}
GET_ONLY = {"/quiz/reset"}


def _error_responses(codes: dict[str, str]) -> dict[str, Any]:
    return {code: {"description": text, "content": {
        "application/json": {"schema": ref("Error")},
        "text/html": {"schema": STR}}} for code, text in codes.items()}


def _operation(summary: str, parameters: list[dict[str, Any]], schema: str | None,
               media: list[str], *, json_only: bool = False) -> dict[str, Any]:
    content: dict[str, Any] = {}
    if schema:
        content["application/json"] = {"schema": ref(schema)}
    if not json_only:
        for media_type in media:
            content[media_type] = {"schema": STR}
    ok = {"description": "OK", "content": content} if content else {"description": "OK"}
    responses: dict[str, Any] = {"200": ok, **_error_responses(ERRORS)}
    if not content:
        responses = {"303": {"description": "See Other"}, **_error_responses(ERRORS)}
    return {"summary": summary, "parameters": parameters, "responses": responses}


def _sparql_path() -> dict[str, Any]:
    plain = {"text/plain": {"schema": STR}}
    results = {media: {"schema": STR} for media in (
        *(f.media_type for f in RESULTS_FORMATS), *RDF_MEDIA_TYPES, "text/html")}
    responses = {
        "200": {"description": "results: SELECT/ASK as SPARQL JSON (default), XML, CSV, TSV; "
                               "CONSTRUCT/DESCRIBE as Turtle (default), N-Triples, RDF/XML, "
                               "JSON-LD; format=html a table. Without a query, GET gives the "
                               "query page (browsers) or the service description (Turtle).",
                "headers": {"X-Result-Truncated": {
                    "description": "max-rows=N when the results were cut at the row limit",
                    "schema": STR}},
                "content": results},
        "400": {"description": "the parser's message and position, or a malformed request",
                "content": plain},
        "403": {"description": "updates, SERVICE, LOAD, FROM of a graph the store does not "
                               "hold: refused before evaluation", "content": plain},
        "405": {"description": "method not allowed", "content": plain},
        "406": {"description": "no result format matches Accept / format", "content": plain},
        "413": {"description": "the query is longer than SPARQL_MAX_QUERY_LENGTH",
                "content": plain},
        "415": {"description": "POST body neither a form nor application/sparql-query "
                               "(UTF-8)", "content": plain},
        "503": {"description": "the query ran past the time limit (SPARQL_TIMEOUT), or every "
                               "worker is busy", "content": plain},
    }
    common = [_param("default-graph-uri", "graph(s) for the default graph (repeated)"),
              _param("named-graph-uri", "named graph(s) of the dataset (repeated)"),
              _param("format", "json, xml, csv, tsv, turtle, nt, rdfxml, jsonld, html or a "
                               "media type (also 'output')")]
    form = {"type": "object", "properties": {
        "query": STR, "default-graph-uri": arr(STR), "named-graph-uri": arr(STR)},
        "required": ["query"]}
    return {
        "get": {"summary": "SPARQL 1.1 query by GET", "responses": responses,
                "parameters": [_param("query", "the query (without it: the query page or "
                                               "the service description)"), *common]},
        "post": {"summary": "SPARQL 1.1 query by POST: a form, or the query as the body",
                 "parameters": common, "responses": responses,
                 "requestBody": {"required": True, "content": {
                     "application/x-www-form-urlencoded": {"schema": form},
                     "application/sparql-query": {"schema": STR}}}},
    }


def openapi_document(server_url: str = "/") -> dict[str, Any]:
    """The whole description (OpenAPI 3.0)."""
    paths: dict[str, Any] = {}
    for rule, (summary, parameters, schema, media) in ROUTES.items():
        operation = _operation(summary, parameters, schema, media)
        methods = {"post": operation} if rule in GET_ONLY else {"get": operation}
        if rule in POST_ROUTES and rule not in GET_ONLY:
            methods["post"] = {**operation, "summary": summary}
        paths[rule] = methods
        if rule in TWINS:
            twin = _operation(f"{summary} (JSON)", [p for p in parameters if p is not FORMAT],
                              schema, [], json_only=True)
            paths[TWINS[rule]] = {method: twin for method in methods}
    paths["/sparql"] = _sparql_path()
    return {
        "openapi": "3.0.3",
        "info": {"title": "crmkg", "version": "1",
                 "description": "The JSON twins of the pages of the CRM vocabulary, and its "
                                "SPARQL 1.1 endpoint. Every HTML page answers its JSON twin "
                                "to Accept: application/json or ?format=json too. Errors of "
                                "JSON answers have the Error shape; errors of /sparql are "
                                "plain text."},
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {"schemas": SCHEMAS},
    }


def openapi_path(rule: str) -> str:
    """A url_map rule as an OpenAPI path: ``/concept/<concept_id>`` → ``/concept/{concept_id}``."""
    import re

    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)

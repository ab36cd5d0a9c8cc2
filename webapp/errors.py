"""One error shape for every page: HTML for browsers, JSON for the JSON twins and APIs.

No error ever shows a traceback; unexpected exceptions are logged and answered
with a short 500 page. The SPARQL endpoint answers its errors in plain text
(see :mod:`webapp.views.sparql`), as other endpoints do.

The HTML page speaks the page's language ("Page introuvable", not "404 Not Found") and
helps: for a concept, a page or a collection that does not exist, it lists what search
finds for the missing name, and offers the search box. The JSON shape stays
``{"ok": false, "status", "error", "message"}``, ``error`` being HTTP's own name.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import unquote

from flask import Flask, Response, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError, default_exceptions

from graph.query.remote import RemoteError
from graph.text import local_name
from webapp.negotiation import NotAcceptable
from webapp.pages import concept_url, current_language, state, text

log = logging.getLogger(__name__)

#: each status in words, for the pages (fr, en)
TITLES = {
    400: ("Requête incorrecte", "Bad request"),
    403: ("Accès refusé", "Forbidden"),
    404: ("Page introuvable", "Page not found"),
    405: ("Méthode non permise", "Method not allowed"),
    406: ("Format non disponible", "Format not available"),
    409: ("Conflit", "Conflict"),
    413: ("Requête trop volumineuse", "Request too large"),
    414: ("Adresse trop longue", "Address too long"),
    429: ("Trop de requêtes", "Too many requests"),
    431: ("En-têtes trop volumineux", "Headers too large"),
    500: ("Erreur du serveur", "Server error"),
    503: ("Service momentanément indisponible", "Service unavailable for now"),
}
#: what to say when the error carries no message of ours (werkzeug's own English text)
GENERIC = {
    404: ("Aucune page n'a cette adresse. Vérifiez-la, ou cherchez le terme voulu.",
          "No page has this address. Check it, or search for the term you want."),
    405: ("Cette adresse ne répond pas à ce type de requête.",
          "This address does not answer this kind of request."),
    500: ("Le serveur a rencontré un problème inattendu ; il a été consigné.",
          "The server met an unexpected problem; it has been logged."),
}
#: suggestions shown under a 404
SUGGESTIONS = 6


def error_response(status: int, title: str, message: str) -> Response:
    if _wants_json():
        response = jsonify({"ok": False, "status": status, "error": title, "message": message})
    elif request.path.startswith("/sparql"):
        response = Response(f"{title}: {message}\n", mimetype="text/plain")
    else:
        response = Response(render_template("error.html", **_page(status, title, message)),
                            mimetype="text/html")
    response.status_code = status
    return response


def _page(status: int, title: str, message: str) -> dict[str, Any]:
    """What the HTML error page shows, in the page's language."""
    words = TITLES.get(status)
    heading = text(*words) if words else title
    default = getattr(default_exceptions.get(status), "description", None)
    if (not message or message == default) and status in GENERIC:
        message = text(*GENERIC[status])
    term = _missing_term() if status == 404 else ""
    return {"status": status, "title": heading, "http_name": title, "message": message,
            "term": term, "suggestions": suggestions(term) if term else []}


def _missing_term() -> str:
    """The name a reader looked for: the concept id the view says, else the end of the
    path (/collection/entonoir → "entonoir"), else an /entity URI's local name."""
    named = g.get("missing_term")
    if named:
        return str(named)
    if request.path.rstrip("/") == "/entity":
        return local_name(request.args.get("uri", ""))
    last = unquote(request.path.rstrip("/").rsplit("/", 1)[-1])
    last = re.sub(r"\.[A-Za-z]{1,6}$", "", last)
    return last if re.search(r"[^\W\d_]", last) else ""


def suggestions(term: str) -> list[dict[str, str]]:
    """What search finds for the missing name (its words, dashes and underscores aside)."""
    words = " ".join(re.split(r"[-_+\s]+", term))[:100].strip()
    try:
        app_state = state()
        if not words or not app_state.index.ready:
            return []
        matches = app_state.index.search(words, limit=SUGGESTIONS)
        # "lead-qualifie-zz": its words one by one, the longest first, until one is found
        for word in sorted(set(words.split()), key=len, reverse=True):
            if matches or " " not in words:
                break
            matches = app_state.index.search(word, limit=SUGGESTIONS) if len(word) > 2 else []
        uris = list(dict.fromkeys(str(m.concept) for m in matches))
        labels = app_state.reader.labels(uris, current_language())
    except Exception:  # noqa: BLE001 - an error page must not fail on its suggestions
        log.exception("no suggestions for %r", term)
        return []
    return [{"uri": uri, "label": labels[uri], "url": concept_url(uri)} for uri in uris]


def _wants_json() -> bool:
    if request.path.endswith(".json") or request.args.get("format") == "json":
        return True
    accept = request.accept_mimetypes
    return bool(accept) and accept.best == "application/json"


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        response = error_response(exc.code or 500, exc.name, exc.description or "")
        for name, value in exc.get_headers():  # Allow (405), Retry-After (503) …
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(NotAcceptable)
    def not_acceptable(exc: NotAcceptable) -> Response:
        response = Response("Not Acceptable: this resource can be served as "
                            + ", ".join(exc.offered) + "\n", status=406, mimetype="text/plain")
        return response

    @app.errorhandler(RemoteError)
    @app.errorhandler(TimeoutError)
    def store_unavailable(exc: OSError) -> Response:
        """The external store (SPARQL_ENDPOINT) failed a page's query: its fault, not ours."""
        log.error("the SPARQL store failed on %s %s: %s", request.method, request.path, exc)
        return error_response(503, "Service Unavailable", text(
            "Le magasin de triplets derrière cette application n'a pas pu répondre à la "
            "requête de cette page ; réessayez plus tard. L'erreur a été consignée.",
            "The triple store behind this app could not answer this page's query; try "
            "again later. The error has been logged."))

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.path)
        error = InternalServerError()
        return error_response(500, error.name, text(*GENERIC[500]))

"""One error shape for every page: HTML for browsers, JSON for the JSON twins and APIs.

No error ever shows a traceback; unexpected exceptions are logged and answered
with a short 500 page. The SPARQL endpoint answers its errors in plain text
(see :mod:`webapp.views.sparql`), as other endpoints do.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from graph.query.remote import RemoteError
from webapp.negotiation import NotAcceptable

log = logging.getLogger(__name__)


def error_response(status: int, title: str, message: str) -> Response:
    if _wants_json():
        response = jsonify({"ok": False, "status": status, "error": title, "message": message})
    elif request.path.startswith("/sparql"):
        response = Response(f"{title}: {message}\n", mimetype="text/plain")
    else:
        response = Response(render_template("error.html", status=status, title=title,
                                            message=message), mimetype="text/html")
    response.status_code = status
    return response


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
        return error_response(503, "Service Unavailable",
                              "The triple store behind this app could not answer this page's "
                              "query; try again later. The error has been logged.")

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.path)
        error = InternalServerError()
        return error_response(500, error.name, "The server met an unexpected problem; it has "
                                               "been logged.")

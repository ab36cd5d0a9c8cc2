"""Headers on every response: a CSP that allows nothing from outside, and CORS."""

from __future__ import annotations

from flask import Flask, Response

#: Every asset is served by this app; JSON-LD data blocks are not scripts and need no source.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
#: The SPARQL query page only: YASGUI inserts <style> elements at run time (its column
#: resizer); a style cannot run code, and scripts stay limited to our own files.
CONTENT_SECURITY_POLICY_INLINE_STYLES = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'")


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def add_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    if app.config["CORS"]:
        from flask_cors import CORS

        CORS(app, resources={r"/*": {"origins": "*"}}, methods=["GET", "POST", "OPTIONS"],
             allow_headers=["Content-Type", "Accept"], max_age=86400,
             expose_headers=["X-Result-Truncated", "Content-Type"])

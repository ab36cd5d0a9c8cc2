"""Headers on every response (a CSP that allows nothing from outside, CORS), and no
cross-site POST."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, request

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


#: the headers every response carries (the CSP may be the page's own, looser for styles)
SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    # same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on the
    # site's own form POSTs, and the cross-site check could not tell them from a forgery
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
)


def register_security_headers(app: Flask) -> None:
    """Security headers on every response of ``app``, and on waitress's own errors."""

    @app.after_request
    def add_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS:
            response.headers.setdefault(name, value)
        return response

    secure_waitress_errors()

    if app.config["CORS"]:
        from flask_cors import CORS

        CORS(app, resources={r"/*": {"origins": "*"}}, methods=["GET", "POST", "OPTIONS"],
             allow_headers=["Content-Type", "Accept"], max_age=86400,
             expose_headers=["X-Result-Truncated", "Content-Type"])


def secure_waitress_errors() -> None:
    """Give the answers waitress makes itself the same headers.

    Waitress answers some requests without calling the app: a malformed request
    line or header (400), headers too large (431), a bad Content-Length or chunk
    (400), a transfer encoding it does not know (501). Those answers (plain text,
    which repeats part of what the client sent) had none of our headers. Its
    channel class names the task that writes them; ours adds the headers. Waitress
    is the server of ``crmkg serve`` and of the tests; without it, nothing to do.
    """
    try:
        from waitress.channel import HTTPChannel
        from waitress.task import ErrorTask
    except ImportError:
        return
    if getattr(HTTPChannel.error_task_class, "secure", False):
        return

    class SecureErrorTask(ErrorTask):
        secure = True

        def execute(self) -> None:
            # before the parent's first write, which sends the status line and headers
            self.response_headers.extend(SECURITY_HEADERS)
            super().execute()

    HTTPChannel.error_task_class = SecureErrorTask


#: endpoints a page elsewhere may POST to: the SPARQL endpoint is read-only, reads no
#: cookie and is open to other sites on purpose (CORS)
CROSS_SITE_POST_ALLOWED = frozenset({"sparql.endpoint"})


def refuse_cross_site_posts(app: Flask) -> None:
    """A POST whose ``Origin`` names another site gets 403 (the quiz's answer and reset).

    SameSite=Lax already keeps the cookie off such requests in today's browsers; this
    holds for the others too. A request without ``Origin`` (curl, an old browser) passes.
    """

    @app.before_request
    def check_origin() -> None:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        origin = request.headers.get("Origin")
        if origin is None or request.endpoint in CROSS_SITE_POST_ALLOWED:
            return
        if not _is_our_origin(origin):
            abort(403, description="This form can only be sent from this site's own pages.")


def _is_our_origin(origin: str) -> bool:
    sent = urlsplit(origin.strip().lower())
    public = current_app.config.get("PUBLIC_URL", "")
    if public:
        ours = urlsplit(public.lower())
        return (sent.scheme, sent.netloc) == (ours.scheme, ours.netloc)
    # without PUBLIC_URL: the host the browser sent the request to (behind a TLS proxy the
    # app sees http while the page was https, so the scheme is not compared)
    return bool(sent.netloc) and sent.netloc == request.host.lower()

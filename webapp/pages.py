"""HTML pages and their JSON twins, from one dict of data.

Every page view builds a plain dict and calls :func:`render_page`; the same
dict is the JSON twin (``<page>.json``, ``?format=json`` or ``Accept:
application/json``), so the two can never disagree. :func:`page_route`
registers both URLs at once.
"""

from __future__ import annotations

import dataclasses
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, render_template, request, url_for
from werkzeug.exceptions import ServiceUnavailable

from graph.text import LANGUAGES
from webapp.state import AppState

#: one CPU-heavy build (a slide deck, a PNG drawing) at a time, app-wide
_HEAVY_BUILD = threading.Lock()
#: how long a request waits for the build slot before it is told to come back
HEAVY_BUILD_WAIT = 3.0
#: the longest URL put in a Link header (http.client refuses header lines over 64 kB)
MAX_LINK_LENGTH = 4096


def state() -> AppState:
    return current_app.extensions["crmkg"]


@contextmanager
def heavy_build() -> Iterator[None]:
    """Hold the app's one slot for a CPU-heavy build, or answer 503 with Retry-After.

    A deck takes about 0.6 s of CPU under the GIL: eight built at once made /-/health
    take seconds. Built one at a time, and with requests that cannot get the slot soon
    sent away rather than holding the server's threads, the rest of the app stays quick.
    """
    if not _HEAVY_BUILD.acquire(timeout=HEAVY_BUILD_WAIT):
        raise ServiceUnavailable(text(
            "Le serveur prépare déjà un autre fichier ; réessayez dans un instant.",
            "The server is already building another file; try again in a moment."),
            retry_after=5)
    try:
        yield
    finally:
        _HEAVY_BUILD.release()


def page_route(blueprint: Blueprint, rule: str, **options: Any) -> Callable:
    """Register ``rule`` and its JSON twin ``rule.json`` (``/.json`` for ``/``)."""
    def decorator(view: Callable) -> Callable:
        endpoint = options.pop("endpoint", view.__name__)
        blueprint.add_url_rule(rule, endpoint, view, defaults={"suffix": None}, **options)
        twin = "/.json" if rule == "/" else f"{rule}.json"
        blueprint.add_url_rule(twin, endpoint, view, defaults={"suffix": "json"}, **options)
        return view
    return decorator


def wants_json(suffix: str | None) -> bool:
    if suffix == "json" or request.args.get("format") == "json":
        return True
    accept = request.accept_mimetypes
    return bool(accept) and accept.best_match(["text/html", "application/json"]) == \
        "application/json" and accept["application/json"] > accept["text/html"]


def to_jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_jsonable(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [to_jsonable(v) for v in value]
    return value


def render_page(template: str, data: dict[str, Any], suffix: str | None, *, title: str,
                status: int = 200, twin_url: str | None = None) -> Response:
    if wants_json(suffix):
        response = jsonify(to_jsonable(data))
    else:
        response = Response(render_template(template, title=title, **data), mimetype="text/html")
        twin = twin_url or json_twin_url()
        if twin:
            response.headers["Link"] = f'<{twin}>; rel="alternate"; type="application/json"'
    response.status_code = status
    response.vary.add("Accept")
    return response


def json_twin_url() -> str | None:
    if not request.url_rule or not request.endpoint:
        return None
    args = dict(request.view_args or {})
    args.pop("suffix", None)
    if "suffix" not in (request.url_rule.defaults or {}):
        return None  # registered without page_route: no twin
    base = url_for(request.endpoint, suffix="json", **args)
    # the client's query string goes into a Link header: what it sent raw (">", "<",
    # '"', spaces…) is percent-encoded, so that it cannot close the <…> and add links
    query = urllib.parse.quote_from_bytes(request.query_string, safe="!$&'()*+,/:;=?@~%")
    url = base + (f"?{query}" if query else "")
    # a 100 kB query string would make a 100 kB header line, which clients refuse
    return url if len(url) <= MAX_LINK_LENGTH else None


def public_url_for(endpoint: str, **values: Any) -> str | None:
    """The absolute URL of a route under the ``PUBLIC_URL`` setting; None when it is unset.

    Never from the request's Host header: a forged Host must change nothing that is sent
    (a cache would keep it for everyone). Without PUBLIC_URL, pages use relative URLs.
    """
    public = current_app.config["PUBLIC_URL"]
    return public.rstrip("/") + url_for(endpoint, **values) if public else None


def query_base_iri() -> str:
    """What relative IRIs in a user's SPARQL query resolve against: the endpoint's public
    URL, or else the vocabulary's base URI (never the Host header)."""
    return public_url_for("sparql.endpoint") or state().base_uri


def current_language() -> str:
    return getattr(g, "lang", None) or current_app.config["DEFAULT_LANGUAGE"]


def choose_language() -> None:
    """``?lang=`` wins and is remembered in a cookie; else the cookie; else the default."""
    wanted = request.args.get("lang") or request.cookies.get("lang")
    g.lang = wanted if wanted in LANGUAGES else current_app.config["DEFAULT_LANGUAGE"]


def remember_language(response: Response) -> Response:
    wanted = request.args.get("lang")
    if wanted in LANGUAGES and request.cookies.get("lang") != wanted:
        response.set_cookie("lang", wanted, max_age=365 * 86400, samesite="Lax")
    return response


def concept_url(uri: str, **params: Any) -> str:
    """Our concepts at /concept/<id>; any other resource at /entity?uri=… (Skosmos)."""
    local = state().local_id(uri)
    if local is not None:
        return url_for("concepts.concept_page", concept_id=local, **params)
    return url_for("concepts.entity", uri=uri, **params)


def text(fr: str, en: str) -> str:
    """Interface wording in the current language."""
    return en if current_language() == "en" else fr

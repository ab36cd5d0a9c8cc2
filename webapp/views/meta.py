"""/-/about (who made the vocabulary, its sources, licence, citation and changes, then
versions, counts, data checksum, settings) and /-/health."""

from __future__ import annotations

import platform
from importlib import metadata
from pathlib import Path

import pyoxigraph
import rdflib
from flask import Blueprint, Response, current_app, jsonify, url_for

from webapp.pages import current_language, page_route, render_page, state, text
from webapp.settings import SETTINGS, shown_value
from webapp.views.colophon import colophon
from webapp.views.downloads import download_links

blueprint = Blueprint("meta", __name__)


@page_route(blueprint, "/-/about")
def about(suffix: str | None) -> Response:
    app_state = state()
    lang = current_language()
    data = {
        "name": "crmkg",
        **app_state.cached(("colophon", lang), lambda: colophon(lang)),
        "downloads": download_links(),
        "version": app_state.version,
        "versions": {"python": platform.python_version(), "flask": metadata.version("flask"),
                     "rdflib": rdflib.__version__, "pyoxigraph": pyoxigraph.__version__},
        "base_uri": app_state.base_uri,
        "counts": app_state.counts,
        # file names, never the server's paths
        "data": {"own_vocabulary": app_state.own_data,
                 "files": [Path(name).name for name in app_state.data_files],
                 "store": {"kind": app_state.store.info.kind,
                           "reused": app_state.store.info.reused,
                           "seconds": round(app_state.store.info.seconds, 3)}},
        "data_checksum": app_state.data_checksum,
        "sparql": {"timeout_seconds": app_state.engine.timeout,
                   "max_rows": app_state.engine.max_rows,
                   "workers": app_state.engine.size,
                   "read_only": current_app.config["READ_ONLY"],
                   # how the query workers are cut off the network ("" with an external
                   # store: it runs the queries itself)
                   "worker_network": getattr(app_state.engine, "isolation", "")},
        "settings": [{"name": name, "value": shown_value(name, current_app.config.get(name)),
                      "meaning": meaning} for name, (_, meaning) in SETTINGS.items()],
    }
    return render_page("meta/about.html", data, suffix, title=text("À propos", "About"))


@blueprint.route("/-/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3 description of the JSON API (see webapp/openapi.py)."""
    from webapp.openapi import openapi_document

    return jsonify(openapi_document(url_for("browse.home")))


@blueprint.route("/-/health")
def health() -> Response:
    app_state = state()
    return jsonify({"ok": True, "concepts": app_state.counts["concepts"],
                    "triples": app_state.counts["triples"]})

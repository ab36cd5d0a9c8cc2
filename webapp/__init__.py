"""The web app: SPARQL endpoint, concept pages, search and the concept map.

``create_app(config)`` builds the app (Flask's application factory): settings
come from defaults, then a TOML file (``CRMKG_CONFIG`` or the ``config_file``
argument), then ``CRMKG_*`` environment variables, then ``config`` (tests).
The vocabulary is loaded and indexed once, at creation.
"""

from __future__ import annotations

import os
import secrets
from typing import Any

from flask import Flask
from markupsafe import Markup

from webapp.errors import register_error_handlers
from webapp.pages import (
    choose_language,
    concept_url,
    current_language,
    remember_language,
    state,
    text,
)
from webapp.security import refuse_cross_site_posts, register_security_headers
from webapp.settings import load_settings
from webapp.state import build_state


def create_app(config: dict[str, Any] | None = None,
               config_file: str | os.PathLike[str] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(load_settings(config_file, config))
    app.config["SECRET_KEY"] = app.config["SECRET_KEY"] or secrets.token_hex(32)
    # Flask's own default for this key is None (setdefault would keep it): a cross-site
    # form must not carry the quiz's cookie
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["crmkg"] = build_state(app.config)

    from webapp.views import (
        browse,
        collections,
        conceptmap,
        concepts,
        downloads,
        meta,
        quiz,
        sparql,
        training,
    )

    for module in (sparql, concepts, browse, collections, conceptmap, quiz, training, meta,
                   downloads):
        app.register_blueprint(module.blueprint)

    # the hooks every page goes through, all registered here
    app.before_request(choose_language)
    app.after_request(remember_language)
    register_security_headers(app)
    refuse_cross_site_posts(app)
    register_error_handlers(app)
    app.context_processor(served_data)
    app.jinja_env.globals.update(concept_url=concept_url, t=text, lang=current_language)
    app.jinja_env.filters["safe_jsonld"] = safe_jsonld
    browse.warm_up(app)
    return app


def served_data() -> dict[str, Any]:
    """What every template needs to know about the data: is our vocabulary served?"""
    app_state = state()
    return {"own_data": app_state.own_data, "foreign_data": bool(app_state.data_files)}


def safe_jsonld(value: str) -> Markup:
    """JSON-LD inside <script>: no '<', '>' or '&' can end the element early."""
    return Markup(value.replace("<", "\\u003c").replace(">", "\\u003e")
                  .replace("&", "\\u0026"))

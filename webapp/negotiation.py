"""Choosing a representation: ``?format=``, a file suffix, or the ``Accept`` header.

werkzeug picks the best match for a real ``Accept`` header; an empty header or
``*/*`` gets the first (default) representation, which werkzeug leaves to us.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import request

from graph.formats import SERVED

#: short names and suffixes → media type (the RDF syntaxes from graph/formats.py)
ALIASES = {
    **{name: syntax.media_type for syntax in SERVED for name in syntax.names},
    "html": "text/html",
    "json": "application/json",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
    "svg": "image/svg+xml", "png": "image/png",
}


class NotAcceptable(Exception):
    def __init__(self, offered: Sequence[str]):
        super().__init__("406")
        self.offered = list(offered)


def choose(offered: Sequence[str], explicit: str | None = None) -> str:
    """The media type to answer with, among ``offered`` (the first is the default)."""
    if explicit:
        wanted = ALIASES.get(explicit.lower(), explicit.lower())
        if wanted in offered:
            return wanted
        raise NotAcceptable(offered)
    accept = request.accept_mimetypes
    if not accept or all(value == "*/*" for value, _ in accept):
        return offered[0]
    best = accept.best_match(offered)
    if best is None:
        raise NotAcceptable(offered)
    return best


def wants_html(default_html: bool = True) -> bool:
    """True for a browser (or no preference when HTML is the default)."""
    accept = request.accept_mimetypes
    if not accept:
        return default_html
    best = accept.best_match(["text/html", "application/json"])
    return best == "text/html" and accept["text/html"] >= accept["application/json"]

"""The map asked to centre on a concept that does not exist (``/map?focus=zzz``): the page
shows the whole map with a message and what search finds for the name, instead of an
error page in place of the map. The map's data (``/map.json``, ``/map/data.json``) still
answers 404 in JSON: a program asked for something that is not there.
"""

from __future__ import annotations

from typing import Any

from flask import Response, redirect, request, url_for

from webapp.errors import suggestions
from webapp.pages import wants_json

#: the longest name the message repeats
MAX_SHOWN = 100


def unknown_focus(suffix: str | None, resolve: Any) -> Response | None:
    """For the HTML page, a redirect (303) to the map without the unknown focus, the name
    kept in ``?unknown=`` for the message; None when the focus is known, or for JSON."""
    asked = request.args.get("focus", "").strip()
    if not asked or wants_json(suffix) or resolve(asked) is not None:
        return None
    args = {k: v for k, v in request.args.to_dict(flat=False).items()
            if k not in ("focus", "unknown")}
    return redirect(url_for("conceptmap.map_page", **args, unknown=asked[:MAX_SHOWN]), 303)


def focus_notice() -> dict[str, Any] | None:
    """The message the page shows after that redirect: the name, and search's finds."""
    asked = request.args.get("unknown", "").strip()[:MAX_SHOWN]
    if not asked:
        return None
    return {"name": asked, "suggestions": suggestions(asked)}

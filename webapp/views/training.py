"""Training material to download: the slide deck (see issue 4)."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("training", __name__)

"""The self-test for learners (see issue 4)."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("quiz", __name__)

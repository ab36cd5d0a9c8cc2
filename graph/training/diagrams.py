"""Diagrams of the collections, drawn on the server as SVG and PNG for the collection pages.

The kind of drawing of a collection comes from the one rule that the training deck uses too
(:func:`graph.training.kinds.collection_kind`); each kind is drawn by its module of
:mod:`graph.training.drawings` (``funnel``: stacked trapezoids; ``steps``: chevrons in rows;
``scale``: a scale coloured in segments, from the score ranges the data gives; ``cards``: a
few siblings side by side; ``list``: boxes one under the other). This module is what the
pages use: :func:`draw` and the names they need.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import import_module
from typing import Any

from graph.training.drawings.base import (
    Diagram,
    Stage,
    Text,
    score_range,
    scores_of,
    text_colour_on,
    xml_escape,
)
from graph.training.drawings.lettering import text_width
from graph.training.kinds import KINDS as KIND_TABLE

__all__ = ["DRAWINGS", "KINDS", "Diagram", "Stage", "Text", "draw", "score_range", "scores_of",
           "text_colour_on", "text_width", "xml_escape"]

#: the names of the kinds of drawing
KINDS = tuple(KIND_TABLE)
#: each kind's drawing: the ``draw`` of its module in graph.training.drawings
DRAWINGS: dict[str, Callable[..., Diagram]] = {
    kind: import_module(f"graph.training.drawings.{kind}").draw for kind in KINDS}


def draw(kind: str, stages: Sequence[Stage], lang: str, *, ordered: bool = True,
         **options: Any) -> Diagram:
    """The drawing of ``kind`` (one of :data:`KINDS`) for ``stages``; ``options``: ``title``,
    ``description``, ``footer`` (the URI, in a download) and ``heading`` (draw the title)."""
    return DRAWINGS[kind](stages, lang, ordered=ordered, **options)

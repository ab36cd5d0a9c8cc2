"""Cards: a few siblings side by side (first-, second- and third-party data; cold, warm and
hot leads), each a box with its label on a coloured band and its definition below; no
numbers, no arrows. More than :data:`~graph.training.kinds.MAX_CARDS` wrap into rows."""

from __future__ import annotations

import math
from collections.abc import Sequence

from graph.training.drawings.base import (
    LINE,
    MARGIN,
    MUTED,
    SEQUENTIAL,
    WIDTH,
    Diagram,
    Rect,
    Stage,
    Text,
    add_footer,
    add_heading,
    describe,
    ramp,
    stage_group,
    text_colour_on,
    wrap,
)
from graph.training.kinds import MAX_CARDS

CARD = "#f3f6f9"
GAP = 16.0
PAD = 14.0
LABEL, DEFINITION = 18, 14  # font sizes (smaller labels when one needs more lines)
LABEL_LEADING, DEFINITION_LEADING = 1.25, 1.3
LABEL_LINES, DEFINITION_LINES = 4, 8


def _height(lines: list[str], size: int, leading: float) -> float:
    """The height of a :class:`Text` of ``lines`` (as :attr:`Text.height` gives it)."""
    return size * (1 + leading * (len(lines) - 1)) + 0.25 * size if lines else 0.0


def _label_size(stages: Sequence[Stage], width: float) -> int:
    """:data:`LABEL`, less (down to 15) when a label would not fit a card in four lines."""
    size = LABEL
    while size > 15 and any(len(wrap(stage.label, size, width, bold=True)) > LABEL_LINES
                            for stage in stages):
        size -= 1
    return size


def draw(stages: Sequence[Stage], lang: str, *, ordered: bool = True, title: str = "",
         description: str = "", footer: str = "", heading: bool = True) -> Diagram:
    """Cards side by side, in rows of at most :data:`MAX_CARDS`, equal in height in a row."""
    shapes: list = []
    y = add_heading(shapes, title, heading)
    n = len(stages)
    rows = math.ceil(n / MAX_CARDS)  # none without stages
    per_row = max(1, math.ceil(n / max(rows, 1)))
    width = (WIDTH - 2 * MARGIN - GAP * (per_row - 1)) / per_row
    colours = ramp(SEQUENTIAL, n)
    size = _label_size(stages, width - 2 * PAD)
    labels = [wrap(s.label, size, width - 2 * PAD, bold=True, max_lines=LABEL_LINES)
              for s in stages]
    definitions = [wrap(s.definition, DEFINITION, width - 2 * PAD, max_lines=DEFINITION_LINES)
                   if s.definition else [] for s in stages]
    for r in range(rows):
        members = range(r * per_row, min(n, (r + 1) * per_row))
        band = max(_height(labels[i], size, LABEL_LEADING) for i in members) + 2 * PAD
        body = max(_height(definitions[i], DEFINITION, DEFINITION_LEADING)
                   for i in members) + PAD * 2
        for j, i in enumerate(members):
            x = MARGIN + j * (width + GAP)
            fill = colours[i]
            parts: list = [
                Rect(x, y, width, band + body, CARD, LINE, 1, 8, "stage-shape"),
                Rect(x, y, width, band, fill, radius=8),
                Rect(x, y + band - 8, width, 8, fill),  # the band's lower corners square
                Text(x + PAD, y + PAD + size * 0.95, labels[i], size, text_colour_on(fill),
                     "start", True, LABEL_LEADING, "stage-label")]
            if definitions[i]:
                parts.append(Text(x + PAD, y + band + PAD + DEFINITION * 0.95, definitions[i],
                                  DEFINITION, MUTED, "start", False, DEFINITION_LEADING,
                                  "stage-definition"))
            shapes.append(stage_group(i, stages[i], parts))
        y += band + body + (GAP if r < rows - 1 else 0)
    height = add_footer(shapes, y, footer)
    return Diagram("cards", WIDTH, math.ceil(height), title,
                   describe(stages, lang, description), lang, shapes)

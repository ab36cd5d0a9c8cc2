"""Steps of a process: chevrons from left to right, wrapping into rows when there are many,
an arrow leading from the end of a row to the start of the next."""

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
    Polygon,
    Polyline,
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


def _chevron(x: float, y: float, w: float, h: float, notch: float, first: bool,
             fill: str) -> Polygon:
    left = [(x, y + h), (x, y)] if first else [(x, y + h), (x + notch, y + h / 2), (x, y)]
    return Polygon([*left[1:], (x + w - notch, y), (x + w, y + h / 2), (x + w - notch, y + h),
                    *left[:1]], fill, css_class="stage-shape")


def draw(stages: Sequence[Stage], lang: str, *, ordered: bool = True, title: str = "",
         description: str = "", footer: str = "", heading: bool = True,
         per_row: int = 4) -> Diagram:
    """Chevrons from left to right, in rows of at most ``per_row``; definitions below."""
    shapes: list = []
    top = add_heading(shapes, title, heading)
    n = len(stages)
    rows = max(1, math.ceil(n / per_row))
    per_row = max(1, math.ceil(n / rows))
    colours = ramp(SEQUENTIAL, n)
    side = MARGIN + (14 if rows > 1 else 0)  # room for the arrow from one row to the next
    notch, gap = 22.0, 6.0
    available = WIDTH - 2 * side
    cw = (available + (per_row - 1) * (notch - gap)) / per_row
    step_x = cw - notch + gap
    label_width = cw - 2 * notch - 16
    def_width = cw - notch - 10
    labels = [wrap(s.label, 17, label_width, bold=True, max_lines=3) for s in stages]
    definitions = [wrap(s.definition, 14, def_width, max_lines=6) if s.definition else []
                   for s in stages]
    h = max([74.0] + [26 + 17 * 1.25 * len(lines) + 14 for lines in labels])
    y = top
    for r in range(rows):
        members = range(r * per_row, min(n, (r + 1) * per_row))
        def_height = max([0.0] + [14 * (1 + 1.3 * (len(definitions[i]) - 1)) + 4
                                  for i in members if definitions[i]])
        for j, i in enumerate(members):
            x = side + j * step_x
            fill = colours[i]
            ink = text_colour_on(fill)
            shape = _chevron(x, y, cw, h, notch, i == 0, fill)
            inner = x + cw / 2 if i else x + (cw - notch) / 2 + notch / 4  # the body's centre
            block = 13 + 6 + 17 * (1 + 1.25 * (len(labels[i]) - 1))
            first = y + (h - block) / 2
            number = Text(inner, first + 12, [str(i + 1)], 13, ink, "middle", True,
                          css_class="stage-number")
            label = Text(inner, first + 13 + 6 + 17 * 0.95, labels[i], 17, ink, "middle", True,
                         1.25, "stage-label")
            parts = [shape, number, label]
            if definitions[i]:
                parts.append(Text(x + (notch / 2 if i else 0) + 4, y + h + 12 + 14 * 0.95,
                                  definitions[i], 14, MUTED, "start", False, 1.3,
                                  "stage-definition"))
            shapes.append(stage_group(i, stages[i], parts))
        row_bottom = y + h + 12 + def_height
        if r < rows - 1:
            last_x = side + (len(members) - 1) * step_x + cw
            mid = y + h / 2
            turn = row_bottom + 14
            next_mid = turn + 14 + h / 2
            shapes.append(Polyline([(last_x + 4, mid), (WIDTH - MARGIN + 6, mid),
                                    (WIDTH - MARGIN + 6, turn), (MARGIN - 6, turn),
                                    (MARGIN - 6, next_mid), (side - 3, next_mid)],
                                   LINE, 2.5, arrow=True, css_class="row-link"))
            y = turn + 14
        else:
            y = row_bottom
    height = add_footer(shapes, y, footer)
    return Diagram("steps", WIDTH, math.ceil(height), title,
                   describe(stages, lang, description), lang, shapes)

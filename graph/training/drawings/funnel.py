"""The funnel: stacked trapezoids narrowing downwards, each stage's label and short
definition beside it."""

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
    text_block,
    text_colour_on,
)


def draw(stages: Sequence[Stage], lang: str, *, ordered: bool = True, title: str = "",
         description: str = "", footer: str = "", heading: bool = True) -> Diagram:
    """Stacked trapezoids narrowing downwards; each stage's label and definition beside it."""
    shapes: list = []
    top = add_heading(shapes, title, heading)
    n = len(stages)
    colours = ramp(SEQUENTIAL, n)
    funnel_width, narrowest, gap = 380.0, 96.0, 4.0
    centre = MARGIN + funnel_width / 2
    text_x = MARGIN + funnel_width + 40
    text_width_ = WIDTH - MARGIN - text_x
    blocks = []
    for stage in stages:
        label = text_block(text_x, 0, stage.label, 18, text_width_, bold=True, max_lines=2)
        definition = text_block(text_x, 0, stage.definition, 14, text_width_, fill=MUTED,
                                max_lines=2) if stage.definition else None
        blocks.append((label, definition))
    row = max([58.0] + [lbl.height + (d.height + 4 if d else 0) + 14 for lbl, d in blocks])
    for i, (stage, (label, definition)) in enumerate(zip(stages, blocks, strict=True)):
        y = top + i * (row + gap)
        w_top = funnel_width - (funnel_width - narrowest) * i / max(n, 1)
        w_bottom = funnel_width - (funnel_width - narrowest) * (i + 1) / max(n, 1)
        fill = colours[i]
        shape = Polygon([(centre - w_top / 2, y), (centre + w_top / 2, y),
                         (centre + w_bottom / 2, y + row), (centre - w_bottom / 2, y + row)],
                        fill, css_class="stage-shape")
        number = Text(centre, y + row / 2 + 8, [str(i + 1)], 22, text_colour_on(fill),
                      "middle", True, css_class="stage-number")
        content = label.height + (definition.height + 4 if definition else 0)
        text_top = y + (row - content) / 2
        label.y = text_top + 18 * 0.95
        parts = [shape, number]
        edge = centre + (w_top + w_bottom) / 4 + 10
        parts.append(Polyline([(edge, y + row / 2), (text_x - 10, y + row / 2)], LINE, 1.5,
                              dashed=True))
        label.css_class = "stage-label"
        parts.append(label)
        if definition:
            definition.y = text_top + label.height + 4 + 14 * 0.95
            definition.css_class = "stage-definition"
            parts.append(definition)
        shapes.append(stage_group(i, stage, parts))
    bottom = top + n * (row + gap) - gap
    height = add_footer(shapes, bottom, footer)
    return Diagram("funnel", WIDTH, math.ceil(height), title,
                   describe(stages, lang, description), lang, shapes)

"""The list: boxes one under the other, numbered, with arrows between them when the
collection is ordered; for an unordered collection, or one with too many members for the
other kinds."""

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
    Polyline,
    Rect,
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
    """Boxes one under the other, numbered, with arrows between them when ``ordered``."""
    shapes: list = []
    y = add_heading(shapes, title, heading)
    colours = ramp(SEQUENTIAL, len(stages))
    box_x, box_w, badge = MARGIN, WIDTH - 2 * MARGIN, 22.0
    text_x = box_x + 2 * badge + 22
    text_w = box_x + box_w - 16 - text_x
    for i, stage in enumerate(stages):
        label = text_block(text_x, 0, stage.label, 18, text_w, bold=True, max_lines=2,
                           css_class="stage-label")
        definition = text_block(text_x, 0, stage.definition, 14, text_w, fill=MUTED,
                                max_lines=3, css_class="stage-definition") \
            if stage.definition else None
        content = label.height + (definition.height + 4 if definition else 0)
        h = max(2 * badge + 16, content + 20)
        fill = colours[i]
        parts: list = [Rect(box_x, y, box_w, h, "#f3f6f9", LINE, 1, 8, "stage-shape"),
                       Rect(box_x + 12, y + h / 2 - badge, 2 * badge, 2 * badge, fill,
                            radius=badge),
                       Text(box_x + 12 + badge, y + h / 2 + 7, [str(i + 1)], 19,
                            text_colour_on(fill), "middle", True, css_class="stage-number")]
        text_top = y + (h - content) / 2
        label.y = text_top + 18 * 0.95
        parts.append(label)
        if definition:
            definition.y = text_top + label.height + 4 + 14 * 0.95
            parts.append(definition)
        shapes.append(stage_group(i, stage, parts))
        y += h
        if i < len(stages) - 1:
            if ordered:
                shapes.append(Polyline([(box_x + 12 + badge, y + 2), (box_x + 12 + badge,
                                                                      y + 22)],
                                       LINE, 2.5, arrow=True))
            y += 24 if ordered else 10
    height = add_footer(shapes, y, footer)
    return Diagram("list", WIDTH, math.ceil(height), title,
                   describe(stages, lang, description), lang, shapes)

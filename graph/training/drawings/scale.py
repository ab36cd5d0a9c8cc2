"""A scale (0–10 for the NPS): a horizontal bar coloured in segments, one per stage, from
each stage's score range when the data gives ranges that tile the scale, else equal
segments; labels above, definitions below."""

from __future__ import annotations

import math
from collections.abc import Sequence

from graph.training.drawings.base import (
    BACKGROUND,
    DIVERGING,
    INK,
    LINE,
    MARGIN,
    MUTED,
    THREE_SEGMENTS,
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
    range_text,
    stage_group,
    text_colour_on,
    tiling,
    wrap,
)


def draw(stages: Sequence[Stage], lang: str, *, ordered: bool = True, title: str = "",
         description: str = "", footer: str = "", heading: bool = True) -> Diagram:
    """A horizontal scale coloured in segments, one per stage, labels above, definitions below.

    When every stage has a score range and the ranges follow each other (0–6, 7–8, 9–10),
    the scale shows each score in a cell; otherwise the stages get equal segments.
    """
    shapes: list = []
    top = add_heading(shapes, title, heading)
    n = len(stages)
    ranges = tiling([s.scores for s in stages])
    colours = list(THREE_SEGMENTS) if n == 3 else ramp(DIVERGING, n)
    bar_x, bar_w, bar_h = MARGIN, WIDTH - 2 * MARGIN, 60.0
    if ranges:
        low, high = ranges[0][0], ranges[-1][1]
        cell = bar_w / (high - low + 1)
        spans = [((a - low) * cell, (b - a + 1) * cell) for a, b in ranges]
    else:
        spans = [(i * bar_w / n, bar_w / n) for i in range(n)] if n else []
    label_blocks = [wrap(s.label, 18, w - 12, bold=True, max_lines=2) for s, (_, w)
                    in zip(stages, spans, strict=True)]
    range_texts = [range_text(r, lang) for r in ranges] if ranges else [""] * n
    head = max([1] + [len(b) for b in label_blocks]) * 18 * 1.25 + (22 if ranges else 0) + 14
    bar_y = top + head
    definitions = [wrap(s.definition, 14, w - 12, max_lines=7) if s.definition else []
                   for s, (_, w) in zip(stages, spans, strict=True)]
    for i, (stage, (offset, w)) in enumerate(zip(stages, spans, strict=True)):
        x = bar_x + offset
        fill = colours[i]
        ink = text_colour_on(fill)
        parts: list = []
        lines = label_blocks[i]
        label_top = bar_y - head + (head - 14 - (22 if ranges else 0)
                                    - 18 * 1.25 * len(lines)) + 4
        parts.append(Text(x + w / 2, label_top + 18 * 0.95, lines, 18, INK, "middle", True,
                          1.25, "stage-label"))
        if ranges:
            parts.append(Text(x + w / 2, bar_y - 14 - 5, [range_texts[i]], 14, MUTED, "middle",
                              css_class="stage-range"))
        # the bracket above the segment
        parts.append(Polyline([(x + 4, bar_y - 4), (x + 4, bar_y - 9), (x + w - 4, bar_y - 9),
                               (x + w - 4, bar_y - 4)], LINE, 1.5))
        parts.append(Rect(x, bar_y, w, bar_h, fill, css_class="stage-shape"))
        if ranges:
            a, b = ranges[i]
            for score in range(a, b + 1):
                cx = bar_x + (score - ranges[0][0]) * cell
                if score != a:
                    parts.append(Polyline([(cx, bar_y), (cx, bar_y + bar_h)], BACKGROUND, 1.5))
                parts.append(Text(cx + cell / 2, bar_y + bar_h / 2 + 8, [str(score)], 22, ink,
                                  "middle", True, css_class="score"))
        else:
            parts.append(Text(x + w / 2, bar_y + bar_h / 2 + 8, [str(i + 1)], 22, ink, "middle",
                              True, css_class="stage-number"))
        if i:
            parts.append(Polyline([(x, bar_y - 2), (x, bar_y + bar_h + 2)], BACKGROUND, 3))
        if definitions[i]:
            parts.append(Text(x + 6, bar_y + bar_h + 14 + 14 * 0.95, definitions[i], 14, MUTED,
                              "start", False, 1.3, "stage-definition"))
        shapes.append(stage_group(i, stage, parts))
    def_height = max([0.0] + [14 * (1 + 1.3 * (len(d) - 1)) + 4 for d in definitions if d])
    bottom = bar_y + bar_h + 14 + def_height
    height = add_footer(shapes, bottom, footer)
    return Diagram("scale", WIDTH, math.ceil(height), title,
                   describe(stages, lang, description, ranges), lang, shapes)

"""What every drawing of a collection shares: the stages, colours, shapes and the diagram.

A small drawing model (:class:`Rect`, :class:`Polygon`, :class:`Polyline` with an optional
arrowhead, :class:`Text` wrapped into lines, and :class:`Group` to keep a stage's shapes
together) is laid out once and rendered twice: to SVG (real ``<text>`` elements, every text
XML-escaped, ``role="img"`` with ``<title>`` and ``<desc>``, ``lang``) and to PNG with Pillow
(the text measured and painted by :mod:`graph.training.drawings.lettering`). Each kind of
drawing (a module of this package, see :mod:`graph.training.kinds`) lays out its shapes with
these, between :func:`add_heading` and :func:`add_footer`, one :func:`stage_group` per stage.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from graph.text import xml_safe
from graph.training.drawings.lettering import FONT_FAMILY, paint_line, text_width, wrap

__all__ = ["FONT_FAMILY", "text_width", "wrap"]  # measuring and wrapping, from lettering


WIDTH = 960
MARGIN = 24
INK = "#1b2430"
INK_ON_FILL = "#0b1118"  # text on colour fills (always bold, 13 px or more): 4.3:1 at least
MUTED = "#4f5b67"
LINE = "#a9b7c4"
BACKGROUND = "#ffffff"

#: ColorBrewer YlGnBu (sequential, colour-blind safe, prints in greys in the same order)
SEQUENTIAL = ("#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58")
#: ColorBrewer RdYlBu (diverging, colour-blind safe): low scores red, high scores blue
DIVERGING = ("#d73027", "#f46d43", "#fdae61", "#fee090", "#e0f3f8", "#abd9e9", "#74add1",
             "#4575b4")
#: the three NPS groups: detractors, passives, promoters (from DIVERGING)
THREE_SEGMENTS = ("#e05a3c", "#fee090", "#4575b4")

WORDS = {
    "fr": {"score": "note", "scores": "notes", "from": "de", "to": "à", "or": "ou"},
    "en": {"score": "score", "scores": "scores", "from": "from", "to": "to", "or": "or"},
}


@dataclass
class Stage:
    """One member of a collection, as drawn."""

    label: str
    definition: str = ""  # the short definition (first sentence)
    uri: str = ""
    scores: tuple[int, int] | None = None  # for a scale: lowest and highest score


# --- text ----------------------------------------------------------------------------------

def xml_escape(value: str) -> str:
    """Text or attribute value for XML: markup escaped, characters XML forbids removed."""
    value = xml_safe(str(value))
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


_RANGE = re.compile(r"(?<!\d)(?<!\d[.,])(\d{1,3})\s*(?:-|–|—|to|à|or|ou|and|et)\s*"
                    r"(\d{1,3})(?!\d)(?![.,]\d)")


def score_range(text: str) -> tuple[int, int] | None:
    """The first score range a text gives ("from 0 to 6", "de 7 ou 8", "9-10"), else None."""
    match = _RANGE.search(text or "")
    if not match:
        return None
    low, high = int(match.group(1)), int(match.group(2))
    return (low, high) if low <= high else None


def scores_of(notation: str, definition: str) -> tuple[int, int] | None:
    """A member's score range: from its skos:notation ("0-6") if any, else its definition."""
    return score_range(notation) or score_range(definition)


# --- shapes --------------------------------------------------------------------------------

Point = tuple[float, float]


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _hex(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in _hex(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour_on(fill: str) -> str:
    """Near-black or white, whichever reads better on ``fill`` (WCAG contrast)."""
    return INK_ON_FILL if contrast(INK_ON_FILL, fill) >= contrast("#ffffff", fill) else "#ffffff"


def ramp(colours: Sequence[str], n: int) -> list[str]:
    """``n`` colours spread evenly along ``colours`` (interpolated in RGB)."""
    if n <= 0:
        return []
    if n == 1:
        return [colours[len(colours) // 2]]
    result = []
    for i in range(n):
        t = i * (len(colours) - 1) / (n - 1)
        low = min(int(t), len(colours) - 2)
        f = t - low
        a, b = _hex(colours[low]), _hex(colours[low + 1])
        result.append("#" + "".join(f"{round(x + (y - x) * f):02x}" for x, y in zip(a, b,
                                                                                    strict=True)))
    return result


@dataclass
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str | None = None
    stroke_width: float = 1.0
    radius: float = 0.0
    css_class: str = ""

    def svg(self) -> str:
        attrs = (f'x="{_n(self.x)}" y="{_n(self.y)}" width="{_n(self.w)}" '
                 f'height="{_n(self.h)}" fill="{self.fill}"')
        if self.radius:
            attrs += f' rx="{_n(self.radius)}"'
        attrs += _stroke(self.stroke, self.stroke_width) + _class(self.css_class)
        return f"<rect {attrs}/>"

    def paint(self, draw, k: float) -> None:
        box = [self.x * k, self.y * k, (self.x + self.w) * k, (self.y + self.h) * k]
        draw.rounded_rectangle(box, radius=self.radius * k, fill=self.fill,
                               outline=self.stroke, width=_px(self.stroke, self.stroke_width, k))


@dataclass
class Polygon:
    points: list[Point]
    fill: str
    stroke: str | None = None
    stroke_width: float = 1.0
    css_class: str = ""

    def svg(self) -> str:
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in self.points)
        return (f'<polygon points="{points}" fill="{self.fill}"'
                f"{_stroke(self.stroke, self.stroke_width)}{_class(self.css_class)}/>")

    def paint(self, draw, k: float) -> None:
        draw.polygon([(x * k, y * k) for x, y in self.points], fill=self.fill,
                     outline=self.stroke, width=_px(self.stroke, self.stroke_width, k))


@dataclass
class Polyline:
    """A line through ``points``; with ``arrow``, an arrowhead at the last point."""

    points: list[Point]
    stroke: str = MUTED
    stroke_width: float = 2.0
    arrow: bool = False
    dashed: bool = False
    css_class: str = ""

    def _head(self) -> list[Point]:
        (x1, y1), (x2, y2) = self.points[-2], self.points[-1]
        angle = math.atan2(y2 - y1, x2 - x1)
        size = 5 + 2.5 * self.stroke_width
        left = (x2 - size * math.cos(angle - 0.45), y2 - size * math.sin(angle - 0.45))
        right = (x2 - size * math.cos(angle + 0.45), y2 - size * math.sin(angle + 0.45))
        return [(x2, y2), left, right]

    def _line_points(self) -> list[Point]:
        if not self.arrow:
            return self.points
        # stop the line inside the head, so that its end does not show past the tip
        (x1, y1), (x2, y2) = self.points[-2], self.points[-1]
        length = math.hypot(x2 - x1, y2 - y1) or 1
        back = min(length, 4 + 1.5 * self.stroke_width)
        return self.points[:-1] + [(x2 - (x2 - x1) * back / length, y2 - (y2 - y1) * back / length)]

    def svg(self) -> str:
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in self._line_points())
        dash = ' stroke-dasharray="2 5" stroke-linecap="round"' if self.dashed else ""
        line = (f'<polyline points="{points}" fill="none" stroke="{self.stroke}" '
                f'stroke-width="{_n(self.stroke_width)}" stroke-linejoin="round"{dash}'
                f"{_class(self.css_class)}/>")
        if self.arrow:
            head = " ".join(f"{_n(x)},{_n(y)}" for x, y in self._head())
            line += f'<polygon points="{head}" fill="{self.stroke}"/>'
        return line

    def paint(self, draw, k: float) -> None:
        points = [(x * k, y * k) for x, y in self._line_points()]
        width = max(1, round(self.stroke_width * k))
        if self.dashed:
            for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
                length = math.hypot(x2 - x1, y2 - y1)
                step = 7 * k
                for i in range(int(length // step) + 1):
                    t = i * step / length if length else 0
                    cx, cy = x1 + (x2 - x1) * t, y1 + (y2 - y1) * t
                    r = width / 2
                    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=self.stroke)
        else:
            draw.line(points, fill=self.stroke, width=width, joint="curve")
        if self.arrow:
            draw.polygon([(x * k, y * k) for x, y in self._head()], fill=self.stroke)


@dataclass
class Text:
    """Lines of text; ``y`` is the baseline of the first line, as in SVG."""

    x: float
    y: float
    lines: list[str]
    size: int = 15
    fill: str = INK
    anchor: str = "start"  # start | middle | end
    bold: bool = False
    line_height: float = 1.3
    css_class: str = ""

    @property
    def height(self) -> float:
        """From the top of the first line to the bottom of the last."""
        return self.size * (1 + self.line_height * (len(self.lines) - 1)) + 0.25 * self.size

    def svg(self) -> str:
        attrs = f'x="{_n(self.x)}" y="{_n(self.y)}" font-size="{self.size}" fill="{self.fill}"'
        if self.anchor != "start":
            attrs += f' text-anchor="{self.anchor}"'
        if self.bold:
            attrs += ' font-weight="bold"'
        attrs += _class(self.css_class)
        if len(self.lines) == 1:
            return f"<text {attrs}>{xml_escape(self.lines[0])}</text>"
        step = f' dy="{_n(self.size * self.line_height)}"'
        spans = "".join(f'<tspan x="{_n(self.x)}"{step if i else ""}>{xml_escape(line)}</tspan>'
                        for i, line in enumerate(self.lines))
        return f"<text {attrs}>{spans}</text>"

    def paint(self, draw, k: float) -> None:
        size = max(1, round(self.size * k))
        for i, line in enumerate(self.lines):
            y = (self.y + i * self.size * self.line_height) * k
            paint_line(draw, self.x * k, y, line, size, self.fill, self.anchor, self.bold)


@dataclass
class Group:
    """Shapes that belong together (one stage); a class, data attributes and a tooltip."""

    shapes: list = field(default_factory=list)
    css_class: str = ""
    data: dict[str, str] = field(default_factory=dict)
    tooltip: str = ""

    def svg(self) -> str:
        attrs = _class(self.css_class) + "".join(
            f' data-{key}="{xml_escape(value)}"' for key, value in self.data.items())
        tip = f"<title>{xml_escape(self.tooltip)}</title>" if self.tooltip else ""
        return f"<g{attrs}>{tip}{''.join(s.svg() for s in self.shapes)}</g>"

    def paint(self, draw, k: float) -> None:
        for shape in self.shapes:
            shape.paint(draw, k)


def _stroke(stroke: str | None, width: float) -> str:
    return f' stroke="{stroke}" stroke-width="{_n(width)}"' if stroke else ""


def _px(stroke: str | None, width: float, k: float) -> int:
    return max(1, round(width * k)) if stroke else 0


def _class(css_class: str) -> str:
    return f' class="{xml_escape(css_class)}"' if css_class else ""


def text_block(x: float, top: float, value: str, size: int, max_width: float, *,
               fill: str = INK, bold: bool = False, anchor: str = "start",
               max_lines: int | None = None, line_height: float = 1.3,
               css_class: str = "") -> Text:
    """Wrapped text whose first line's top is at ``top``."""
    lines = wrap(value, size, max_width, bold=bold, max_lines=max_lines)
    return Text(x, top + size * 0.95, lines, size, fill, anchor, bold, line_height, css_class)


# --- the drawing ---------------------------------------------------------------------------

@dataclass
class Diagram:
    kind: str
    width: int
    height: int
    title: str
    description: str
    lang: str
    shapes: list = field(default_factory=list)

    def svg(self, *, standalone: bool = True, id_prefix: str = "diagram") -> str:
        """The SVG document (``standalone``) or element to put inline in an HTML page."""
        prefix = re.sub(r"[^A-Za-z0-9_-]", "-", id_prefix) or "diagram"
        head = '<?xml version="1.0" encoding="UTF-8"?>\n' if standalone else ""
        lang = xml_escape(self.lang)
        return (
            f'{head}<svg xmlns="http://www.w3.org/2000/svg" version="1.1" '
            f'width="{self.width}" height="{self.height}" '
            f'viewBox="0 0 {self.width} {self.height}" role="img" '
            f'aria-labelledby="{prefix}-title {prefix}-desc" lang="{lang}" xml:lang="{lang}" '
            f'class="diagram diagram-{self.kind}" font-family="{xml_escape(FONT_FAMILY)}">'
            f'<title id="{prefix}-title">{xml_escape(self.title)}</title>'
            f'<desc id="{prefix}-desc">{xml_escape(self.description)}</desc>'
            f'<rect width="100%" height="100%" fill="{BACKGROUND}"/>'
            + "".join(shape.svg() for shape in self.shapes) + "</svg>\n")

    def png(self, scale: float = 2.0, supersample: int = 2) -> bytes:
        """A PNG of ``scale`` × the SVG's size, drawn larger and reduced (antialiasing)."""
        from PIL import Image, ImageDraw

        k = scale * supersample
        width, height = self.png_size(scale)
        image = Image.new("RGB", (width * supersample, height * supersample), BACKGROUND)
        draw = ImageDraw.Draw(image)
        for shape in self.shapes:
            shape.paint(draw, k)
        if supersample > 1:
            image = image.reduce(supersample)  # the mean of each block: antialiasing
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()

    def png_size(self, scale: float = 2.0) -> tuple[int, int]:
        return round(self.width * scale), round(self.height * scale)


# --- what every kind of drawing uses ------------------------------------------------------

def describe(stages: Sequence[Stage], lang: str, description: str,
              ranges: Sequence[tuple[int, int] | None] | None = None) -> str:
    """The text alternative: the collection's definition, then every stage in order."""
    colon = " : " if lang == "fr" else ": "
    items = []
    for i, stage in enumerate(stages):
        item = f"{i + 1}. {stage.label}"
        if ranges and ranges[i]:
            item += f" ({range_text(ranges[i], lang)})"
        items.append(item + (colon + stage.definition if stage.definition else ""))
    return " ".join(filter(None, [description.strip()] + items))


def range_text(scores: tuple[int, int], lang: str) -> str:
    words = WORDS.get(lang, WORDS["en"])
    low, high = scores
    if low == high:
        return f"{words['score']} {low}"
    return f"{words['scores']} {low}–{high}"


def add_heading(shapes: list, title: str, heading: bool = True) -> float:
    """The title at the top (when ``heading``); returns where the drawing starts."""
    if not title or not heading:
        return MARGIN
    title = title[:1].upper() + title[1:]  # a heading, as on a slide
    text = text_block(MARGIN, MARGIN - 4, title, 24, WIDTH - 2 * MARGIN, bold=True,
                      max_lines=2, css_class="diagram-title")
    shapes.append(text)
    return MARGIN - 4 + text.height + 18


def add_footer(shapes: list, y: float, footer: str) -> float:
    """The footer (the URI, in a download) at the bottom right; returns the height."""
    if not footer:
        return y + MARGIN
    text = text_block(WIDTH - MARGIN, y + 14, footer, 12, WIDTH - 2 * MARGIN, fill=MUTED,
                      anchor="end", max_lines=1, css_class="diagram-footer")
    shapes.append(text)
    return y + 14 + text.height + 12


def stage_group(i: int, stage: Stage, shapes: list) -> Group:
    """A stage's shapes, with its position, URI and a tooltip."""
    data = {"position": str(i + 1)}
    if stage.uri:
        data["uri"] = stage.uri
    tip = stage.label + (f" — {stage.definition}" if stage.definition else "")
    return Group(shapes, "stage", data, tip)


def tiling(ranges: Sequence[tuple[int, int] | None]) -> list[tuple[int, int]] | None:
    """The score ranges if they tile one scale without gap or overlap, else None."""
    if not ranges or any(r is None for r in ranges):
        return None
    for (_, high), (low, _) in zip(ranges, ranges[1:], strict=False):  # type: ignore[misc]
        if low != high + 1:
            return None
    return list(ranges)  # type: ignore[arg-type]

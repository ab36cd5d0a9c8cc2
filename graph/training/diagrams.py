"""Diagrams of the ordered collections, drawn on the server as SVG and PNG.

A small drawing model (:class:`Rect`, :class:`Polygon`, :class:`Polyline` with an optional
arrowhead, :class:`Text` wrapped into lines, and :class:`Group` to keep a stage's shapes
together) is laid out once and rendered twice: to SVG (real ``<text>`` elements, every text
XML-escaped, ``role="img"`` with ``<title>`` and ``<desc>``, ``lang``) and to PNG with Pillow
(``ImageFont.load_default(size=…)``, the scalable font bundled with Pillow ≥ 10.1, so no
system font is needed). Lines are wrapped with that font's metrics, with a margin for the
browser's own sans-serif font, so the two renderings break lines at the same words.

One function per kind of drawing, each taking the stages in order and the language:

- :func:`funnel`: stacked trapezoids narrowing downwards, the label and short definition
  of each stage beside it;
- :func:`steps`: chevrons from left to right, wrapping into rows when there are many;
- :func:`scale`: a horizontal scale (0–10 for the NPS) coloured in segments, one per
  stage, from each stage's score range when the data gives one, else equal segments;
- :func:`ordered_list`: boxes one under the other, the generic fallback.

Which kind draws a collection is data-driven (:func:`diagram_kind`): a collection names the
concept it depicts (``depicts:`` in ``data/collections.yaml``, ``dct:subject`` in RDF), and
:data:`KIND_BY_SUBJECT` maps that concept's id to a kind (``funnel`` → funnel, ``nps`` →
scale). Any other ordered collection is drawn as steps, unless it has more members than
fit (:data:`MAX_STEPS`), and an unordered collection as a plain list of boxes.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from graph.text import xml_safe

#: the kind of drawing for a collection, by the id of the concept it depicts
KIND_BY_SUBJECT: dict[str, str] = {"funnel": "funnel", "nps": "scale"}
#: beyond this many members, steps become too small: the list is drawn instead
MAX_STEPS = 16
KINDS = ("funnel", "steps", "scale", "ordered_list")

WIDTH = 960
MARGIN = 24
INK = "#1b2430"
INK_ON_FILL = "#0b1118"  # text on colour fills (always bold, 13 px or more): 4.3:1 at least
MUTED = "#4f5b67"
LINE = "#a9b7c4"
BACKGROUND = "#ffffff"
#: Arial's metrics are those of the font that measures lines (Aileron, bundled with Pillow)
FONT_FAMILY = "Arial, 'Liberation Sans', 'Helvetica Neue', Helvetica, sans-serif"
#: browsers may fall back to a wider font, and bold is wider: lines are measured with margin
WIDTH_MARGIN = {False: 1.06, True: 1.16}

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


@lru_cache(maxsize=64)
def _font(size: int):
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


# The font bundled with Pillow covers ASCII and some punctuation, not accented letters: the
# PNG draws "é" as "e" plus an acute accent drawn as a shape, "œ" as "oe", "–" as "-" …
_SUBSTITUTES = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "–": "-", "—": "-",
                "‐": "-", "‑": "-", "−": "-", "€": "EUR", "\u00a0": " ", "\u202f": " ",
                "\u2009": " ", "‘": "’", "‚": ",", "„": "“", "‹": "<", "›": ">"}
_MARKS = {"\u0301": "acute", "\u0300": "grave", "\u0302": "circumflex", "\u0308": "diaeresis",
          "\u0327": "cedilla", "\u0303": "tilde", "\u030a": "ring", "\u030c": "caron"}


@lru_cache(maxsize=2048)
def _has_glyph(char: str) -> bool:
    if char.isspace():
        return True
    font = _font(40)
    missing = bytes(font.getmask("\uffff"))
    return bytes(font.getmask(char)) != missing


@lru_cache(maxsize=2048)
def _glyph(char: str) -> tuple[str, tuple[str, ...]]:
    """What the PNG draws for ``char``: the text, and the accents to draw over it."""
    if _has_glyph(char):
        return char, ()
    if char in _SUBSTITUTES:
        return _SUBSTITUTES[char], ()
    base, *marks = unicodedata.normalize("NFD", char)
    if marks and _has_glyph(base) and all(m in _MARKS for m in marks):
        return base, tuple(_MARKS[m] for m in marks)
    plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
    return (plain or "?"), ()


@lru_cache(maxsize=1024)
def _ink(char: str, size: int) -> tuple[int, int, int, int]:
    """The box of a glyph's ink (left, top, right, bottom) from its origin on the baseline."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (size * 3, size * 3), 0)
    ImageDraw.Draw(image).text((size, size * 2), char, font=_font(size), fill=255, anchor="ls")
    box = image.point(lambda v: 255 if v > 110 else 0).getbbox() or (size, size * 2) * 2
    return box[0] - size, box[1] - size * 2, box[2] - size, box[3] - size * 2


def _plain(value: str) -> str:
    return "".join(_glyph(c)[0] for c in value)


@lru_cache(maxsize=4096)
def text_width(value: str, size: int, bold: bool = False) -> float:
    """Width of one line in pixels, with the margin for the browser's font."""
    try:
        width = _font(size).getlength(_plain(value))
    except ImportError:  # Pillow missing: an estimate, good enough for the SVG
        width = 0.52 * size * len(value)
    return width * WIDTH_MARGIN[bold]


def _paint_line(draw, x: float, y: float, line: str, size: int, fill: str, anchor: str,
                bold: bool) -> None:
    """One line of text at baseline ``y``, accents drawn as shapes where the font has none."""
    font = _font(size)
    parts = [_glyph(c) for c in line]
    plain = "".join(text for text, _ in parts)
    width = font.getlength(plain)
    left = x - {"start": 0, "middle": width / 2, "end": width}[anchor]
    stroke = max(1, round(size / 40)) if bold else 0
    offset, run = 0, 0  # characters of ``plain`` drawn, and where the current run starts
    for text, marks in parts:
        if marks and text == "i":  # î, ï: a dotless i, its stem drawn as a rectangle
            if offset > run:
                draw.text((left + font.getlength(plain[:run]), y), plain[run:offset],
                          font=font, fill=fill, anchor="ls", stroke_width=stroke,
                          stroke_fill=fill)
            at = left + font.getlength(plain[:offset])
            i_left, _, i_right, _ = _ink("i", size)
            x_height = -_ink("x", size)[1]
            draw.rectangle([at + i_left - stroke, y - x_height - stroke,
                            at + i_right + stroke - 1, y - 1], fill=fill)
            run = offset + 1
        offset += len(text)
    if offset > run:
        draw.text((left + font.getlength(plain[:run]), y), plain[run:], font=font, fill=fill,
                  anchor="ls", stroke_width=stroke, stroke_fill=fill)
    offset = 0
    for text, marks in parts:
        if marks:
            _paint_marks(draw, font, left + font.getlength(plain[:offset]), y, text, marks,
                         size, fill, stroke)
        offset += len(text)


def _paint_marks(draw, font, x: float, y: float, base: str, marks: tuple[str, ...], size: int,
                 fill: str, stroke: int) -> None:
    """Accents over (or under) the letter ``base`` drawn at ``x`` on baseline ``y``."""
    left, top, right, _ = _ink(base, size)
    weight = max(1, round(size * (0.075 if stroke else 0.06)))
    if base == "i":  # drawn dotless: the accent sits on the stem
        top = _ink("x", size)[1]
    top -= stroke
    cx = x + (left + right) / 2
    above = y + top - size * 0.07  # the accents' bottom
    h = size * 0.16
    for mark in marks:
        if mark == "acute":
            draw.line([(cx - h * 0.35, above), (cx + h * 0.5, above - h)], fill, weight)
        elif mark == "grave":
            draw.line([(cx + h * 0.35, above), (cx - h * 0.5, above - h)], fill, weight)
        elif mark in ("circumflex", "caron"):
            tip, foot = (above - h, above) if mark == "circumflex" else (above, above - h)
            draw.line([(cx - h * 0.75, foot), (cx, tip), (cx + h * 0.75, foot)], fill, weight,
                      joint="curve")
        elif mark == "diaeresis":
            r = size * (0.05 if stroke else 0.043)
            for dx in (-h * 0.85, h * 0.85):
                draw.ellipse([cx + dx - r, above - h / 2 - r, cx + dx + r, above - h / 2 + r],
                             fill=fill)
        elif mark == "tilde":
            points = [(cx - h * 0.8 + i * h * 1.6 / 12, above - h / 2 - h * 0.3
                       * math.sin(i * math.pi / 6)) for i in range(13)]
            draw.line(points, fill, weight, joint="curve")
        elif mark == "ring":
            r = h * 0.45
            draw.ellipse([cx - r, above - 2 * r, cx + r, above], outline=fill, width=weight)
        elif mark == "cedilla":
            d = size * 0.06
            draw.line([(cx, y - weight), (cx, y + d), (cx + d * 1.1, y + d * 1.7),
                       (cx - d * 0.7, y + d * 2.7)], fill, max(1, round(weight * 0.85)),
                      joint="curve")


def wrap(value: str, size: int, max_width: float, *, bold: bool = False,
         max_lines: int | None = None) -> list[str]:
    """Break ``value`` into lines no wider than ``max_width``; an ellipsis ends a cut text."""
    words = " ".join(str(value).split()).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= max_width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
        while text_width(current, size, bold) > max_width and len(current) > 1:
            # a single word wider than the line: cut it
            cut = len(current)
            while cut > 1 and text_width(current[:cut] + "-", size, bold) > max_width:
                cut -= 1
            lines.append(current[:cut] + "-")
            current = current[cut:]
    if current or not lines:
        lines.append(current)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and text_width(last + " …", size, bold) > max_width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines[-1] = (last.rstrip(" ,;:") + " …").strip()
    return lines


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
            _paint_line(draw, self.x * k, y, line, size, self.fill, self.anchor, self.bold)


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


def _describe(stages: Sequence[Stage], lang: str, description: str,
              ranges: Sequence[tuple[int, int] | None] | None = None) -> str:
    """The text alternative: the collection's definition, then every stage in order."""
    colon = " : " if lang == "fr" else ": "
    items = []
    for i, stage in enumerate(stages):
        item = f"{i + 1}. {stage.label}"
        if ranges and ranges[i]:
            item += f" ({_range_text(ranges[i], lang)})"
        items.append(item + (colon + stage.definition if stage.definition else ""))
    return " ".join(filter(None, [description.strip()] + items))


def _range_text(scores: tuple[int, int], lang: str) -> str:
    words = WORDS.get(lang, WORDS["en"])
    low, high = scores
    if low == high:
        return f"{words['score']} {low}"
    return f"{words['scores']} {low}–{high}"


def _header(shapes: list, title: str, heading: bool = True) -> float:
    """The title at the top (when ``heading``); returns where the drawing starts."""
    if not title or not heading:
        return MARGIN
    title = title[:1].upper() + title[1:]  # a heading, as on a slide
    text = text_block(MARGIN, MARGIN - 4, title, 24, WIDTH - 2 * MARGIN, bold=True,
                      max_lines=2, css_class="diagram-title")
    shapes.append(text)
    return MARGIN - 4 + text.height + 18


def _footer(shapes: list, y: float, footer: str) -> float:
    if not footer:
        return y + MARGIN
    text = text_block(WIDTH - MARGIN, y + 14, footer, 12, WIDTH - 2 * MARGIN, fill=MUTED,
                      anchor="end", max_lines=1, css_class="diagram-footer")
    shapes.append(text)
    return y + 14 + text.height + 12


def _stage_group(i: int, stage: Stage, shapes: list) -> Group:
    data = {"position": str(i + 1)}
    if stage.uri:
        data["uri"] = stage.uri
    tip = stage.label + (f" — {stage.definition}" if stage.definition else "")
    return Group(shapes, "stage", data, tip)


# --- the kinds of drawing ------------------------------------------------------------------

def funnel(stages: Sequence[Stage], lang: str, *, title: str = "", description: str = "",
           footer: str = "", heading: bool = True) -> Diagram:
    """Stacked trapezoids narrowing downwards; each stage's label and definition beside it."""
    shapes: list = []
    top = _header(shapes, title, heading)
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
        shapes.append(_stage_group(i, stage, parts))
    bottom = top + n * (row + gap) - gap
    height = _footer(shapes, bottom, footer)
    return Diagram("funnel", WIDTH, math.ceil(height), title,
                   _describe(stages, lang, description), lang, shapes)


def _chevron(x: float, y: float, w: float, h: float, notch: float, first: bool,
             fill: str) -> Polygon:
    left = [(x, y + h), (x, y)] if first else [(x, y + h), (x + notch, y + h / 2), (x, y)]
    return Polygon([*left[1:], (x + w - notch, y), (x + w, y + h / 2), (x + w - notch, y + h),
                    *left[:1]], fill, css_class="stage-shape")


def steps(stages: Sequence[Stage], lang: str, *, title: str = "", description: str = "",
          footer: str = "", heading: bool = True, per_row: int = 4) -> Diagram:
    """Chevrons from left to right, in rows of at most ``per_row``; definitions below."""
    shapes: list = []
    top = _header(shapes, title, heading)
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
            shapes.append(_stage_group(i, stages[i], parts))
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
    height = _footer(shapes, y, footer)
    return Diagram("steps", WIDTH, math.ceil(height), title,
                   _describe(stages, lang, description), lang, shapes)


def _segments(stages: Sequence[Stage]) -> list[tuple[int, int]] | None:
    """The stages' score ranges if they tile one scale without gap or overlap, else None."""
    ranges = [s.scores for s in stages]
    if not ranges or any(r is None for r in ranges):
        return None
    for (_, high), (low, _) in zip(ranges, ranges[1:], strict=False):  # type: ignore[misc]
        if low != high + 1:
            return None
    return ranges  # type: ignore[return-value]


def scale(stages: Sequence[Stage], lang: str, *, title: str = "", description: str = "",
          footer: str = "", heading: bool = True) -> Diagram:
    """A horizontal scale coloured in segments, one per stage, labels above, definitions below.

    When every stage has a score range and the ranges follow each other (0–6, 7–8, 9–10),
    the scale shows each score in a cell; otherwise the stages get equal segments.
    """
    shapes: list = []
    top = _header(shapes, title, heading)
    n = len(stages)
    ranges = _segments(stages)
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
    range_texts = [_range_text(r, lang) for r in ranges] if ranges else [""] * n
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
        shapes.append(_stage_group(i, stage, parts))
    def_height = max([0.0] + [14 * (1 + 1.3 * (len(d) - 1)) + 4 for d in definitions if d])
    bottom = bar_y + bar_h + 14 + def_height
    height = _footer(shapes, bottom, footer)
    return Diagram("scale", WIDTH, math.ceil(height), title,
                   _describe(stages, lang, description, ranges), lang, shapes)


def ordered_list(stages: Sequence[Stage], lang: str, *, title: str = "", description: str = "",
                 footer: str = "", heading: bool = True, arrows: bool = True) -> Diagram:
    """Boxes one under the other, numbered, with arrows between them when ``arrows``."""
    shapes: list = []
    y = _header(shapes, title, heading)
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
        shapes.append(_stage_group(i, stage, parts))
        y += h
        if i < len(stages) - 1:
            if arrows:
                shapes.append(Polyline([(box_x + 12 + badge, y + 2), (box_x + 12 + badge,
                                                                      y + 22)],
                                       LINE, 2.5, arrow=True))
            y += 24 if arrows else 10
    height = _footer(shapes, y, footer)
    return Diagram("ordered_list", WIDTH, math.ceil(height), title,
                   _describe(stages, lang, description), lang, shapes)


DRAWINGS: dict[str, Callable[..., Diagram]] = {
    "funnel": funnel, "steps": steps, "scale": scale, "ordered_list": ordered_list}


def diagram_kind(depicts: Iterable[str], ordered: bool = True, size: int = 0) -> str:
    """The kind of drawing for a collection, from the ids of the concepts it depicts."""
    for subject in depicts:
        if subject in KIND_BY_SUBJECT:
            return KIND_BY_SUBJECT[subject]
    if ordered and size <= MAX_STEPS:
        return "steps"
    return "ordered_list"


def draw(kind: str, stages: Sequence[Stage], lang: str, *, ordered: bool = True,
         **options: Any) -> Diagram:
    """The drawing of ``kind`` (see :data:`KINDS`) for ``stages``."""
    if kind == "ordered_list":
        return ordered_list(stages, lang, arrows=ordered, **options)
    return DRAWINGS[kind](stages, lang, **options)

"""Lettering for the drawings: measuring, wrapping and painting text with one font.

The PNG is drawn with Pillow's ``ImageFont.load_default(size=…)``, the scalable font
bundled with Pillow ≥ 10.1 (Aileron, whose metrics are Arial's), so no system font is
needed; the SVG names Arial and its look-alikes (:data:`FONT_FAMILY`). Lines are measured
with that font, with a margin for the browser's own sans-serif font
(:data:`WIDTH_MARGIN`), so the two renderings break lines at the same words. The font has
no accented letters: :func:`paint_line` draws their accents as shapes.
"""

from __future__ import annotations

import math
import unicodedata
from functools import lru_cache

#: Arial's metrics are those of the font that measures lines (Aileron, bundled with Pillow)
FONT_FAMILY = "Arial, 'Liberation Sans', 'Helvetica Neue', Helvetica, sans-serif"
#: browsers may fall back to a wider font, and bold is wider: lines are measured with margin
WIDTH_MARGIN = {False: 1.06, True: 1.16}


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


def paint_line(draw, x: float, y: float, line: str, size: int, fill: str, anchor: str,
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


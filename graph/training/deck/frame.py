"""The deck's frame: the :class:`Deck` every slide is added to, with its geometry, its text
(runs, measuring, text boxes), its speaker notes and the title slide.

Each kind of collection (:mod:`graph.training.kinds`) adds its slide(s) with a module of
this package (``funnel``, ``steps``, ``scale``, ``cards``, ``list``) that uses this frame;
so do the sources-and-licence slide (``credits``) and the A–Z glossary (``glossary``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from graph.text import LANGUAGES
from graph.training.deck.common import (
    DEFAULT_TITLE,
    INK,
    LANGUAGE_IDS,
    MUTED,
    WHITE,
    WIDE_HEIGHT,
    WIDE_WIDTH,
    WORDS,
    Paragraph,
    Run,
    display_label,
    long_date,
    shape_name,
)
from graph.training.deck.layouts import (
    TITLE_TYPES,
    declared_title_size,
    fitting_size,
    open_template,
    pick_layouts,
    remove_slides,
    widen,
)
from graph.training.drawings.lettering import WIDTH_MARGIN, wrap
from graph.vocabulary.model import Collection, Concept, Vocabulary

#: a line's height as a multiple of its font size (LibreOffice and PowerPoint: about 1.15)
LINE_HEIGHT = 1.2
#: how much wider than the measuring font (Pillow's, Arial's metrics) a line may come out in
#: an office suite: regular text within 1.5 %, bold up to 14 % (measured on our labels)
OFFICE_MARGIN = {False: 1.03, True: 1.16}


class Deck:
    """A presentation being built in one language (``other``: the second language)."""

    def __init__(self, vocabulary: Vocabulary, lang: str, template: Path | None):
        self.vocabulary = vocabulary
        self.lang = lang
        self.other = next(x for x in LANGUAGES if x != lang)
        self.words = WORDS[lang]
        self.templated = template is not None
        if template is not None:
            self.prs = open_template(template)
            remove_slides(self.prs)
        else:
            self.prs = Presentation()
            widen(self.prs)
        self.width = int(self.prs.slide_width)
        self.height = int(self.prs.slide_height)
        #: font sizes are given for a 13.33 × 7.5-inch slide and scaled to the deck's size
        self.scale = min(self.height / WIDE_HEIGHT, self.width / WIDE_WIDTH)
        self.title_layout, self.body_layout = pick_layouts(self.prs)
        self.area = self._content_area()
        core = self.prs.core_properties
        core.title = DEFAULT_TITLE[lang]
        core.author = "crmkg"
        core.language = {"fr": "fr-FR", "en": "en-GB"}[lang]

    # geometry -------------------------------------------------------------------------------

    def _content_area(self) -> tuple[int, int, int, int]:
        """(left, top, width, height) below the title of the title-only layout."""
        margin_x = int(self.width * 0.05)
        top = int(self.height * 0.2)
        for ph in self.body_layout.placeholders:
            if ph.placeholder_format.type in TITLE_TYPES and ph.top is not None:
                bottom = int(ph.top) + int(ph.height)
                if bottom < self.height * 0.45:
                    top = bottom + int(self.height * 0.015)
                    margin_x = max(int(ph.left), int(self.width * 0.03))
        bottom = int(self.height * 0.955)
        return margin_x, top, self.width - 2 * margin_x, bottom - top

    def pt(self, size: float) -> Pt:
        return Pt(round(size * self.scale * 2) / 2)

    # slides and text --------------------------------------------------------------------------

    def new_slide(self, title: str, *, layout=None):
        slide = self.prs.slides.add_slide(layout or self.body_layout)
        title_shape = slide.shapes.title
        added = title_shape is None
        if added:
            left, _top, width, _h = self.area
            title_shape = slide.shapes.add_textbox(left, int(self.height * 0.04), width,
                                                   int(self.height * 0.12))
            title_shape.name = "Title"
        title_shape.text_frame.text = title
        if self.templated and not added:
            declared = declared_title_size(layout or self.body_layout, self.prs)
            size = fitting_size(title, title_shape, declared)
            size = size if size < declared else None
        else:
            size = fitting_size(title, title_shape, (34 if layout is None else 40) * self.scale)
        for paragraph in title_shape.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.language_id = LANGUAGE_IDS[self.lang]
                if size is not None:
                    run.font.size = Pt(size)
                if not self.templated:
                    run.font.color.rgb = INK
        return slide

    def finish(self, slide, notes: Iterable[str | tuple[str, str] | None]) -> None:
        """Drop the placeholders left empty; write the speaker notes.

        A note is a text in the deck's language, or a (text, language) pair.
        """
        for ph in list(slide.placeholders):
            if not ph.has_text_frame or not ph.text_frame.text.strip():
                ph._element.getparent().remove(ph._element)
        lines = [line if isinstance(line, tuple) else (line, self.lang)
                 for line in notes if line]
        if lines:
            frame = slide.notes_slide.notes_text_frame
            frame.text = "\n".join(" ".join(text.split()) for text, _lang in lines)
            for paragraph, (_text, lang) in zip(frame.paragraphs, lines, strict=True):
                for run in paragraph.runs:
                    run.font.language_id = LANGUAGE_IDS[lang]

    def fill_text(self, frame, paragraphs: Sequence[Paragraph], *,
                  align: PP_ALIGN | None = None, anchor: MSO_ANCHOR = MSO_ANCHOR.TOP,
                  space_after: float = 0) -> None:
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.vertical_anchor = anchor
        frame.clear()
        for index, runs in enumerate(paragraphs):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            if align is not None:
                paragraph.alignment = align
            if space_after:
                paragraph.space_after = self.pt(space_after)
            for part in runs:
                run = paragraph.add_run()
                run.text = part.text
                font = run.font
                font.size = self.pt(part.size)
                font.bold = part.bold
                font.italic = part.italic
                font.language_id = LANGUAGE_IDS[part.lang or self.lang]
                if part.colour is not None:
                    font.color.rgb = part.colour

    def textbox(self, slide, box: tuple[int, int, int, int], paragraphs: Sequence[Paragraph],
                *, name: str, **options):
        shape = slide.shapes.add_textbox(*(Emu(int(v)) for v in box))
        shape.name = shape_name(name)
        self.fill_text(shape.text_frame, paragraphs, **options)
        return shape

    def filled(self, shape, colour: RGBColor, *, outline: RGBColor | None = WHITE) -> None:
        # no theme style: its effects (a shadow) would show in some renderers
        style = shape._element.find(qn("p:style"))
        if style is not None:
            shape._element.remove(style)
        shape.fill.solid()
        shape.fill.fore_color.rgb = colour
        if outline is None:
            shape.line.fill.background()
        else:
            shape.line.color.rgb = outline
            shape.line.width = Pt(1.5)

    def card(self, slide, box: tuple[int, int, int, int], colour: RGBColor, *, name: str,
             rounding: float, pad: tuple[int, int, int, int]):
        """A rounded box filled with ``colour``, without outline, its text ``pad`` (left,
        right, top, bottom) from its edges: the cards, entries and fact boxes of the deck."""
        shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE,
                                       *(Emu(int(v)) for v in box))
        shape.adjustments[0] = rounding
        shape.name = shape_name(name)
        self.filled(shape, colour, outline=None)
        self.margins(shape.text_frame, *pad)
        return shape

    def margins(self, frame, left: int, right: int, top: int = 0, bottom: int = 0) -> None:
        frame.margin_left, frame.margin_right = Emu(int(left)), Emu(int(right))
        frame.margin_top, frame.margin_bottom = Emu(int(top)), Emu(int(bottom))

    def chars(self, width: int, size: float, lines: int = 1) -> int:
        """About how many characters of a ``size``-point font fit in ``width`` EMU."""
        return int(width / 12700 / (size * self.scale * 0.5) * lines)

    def text_height(self, text: str, width: int, size: float, space_after: float = 0) -> int:
        """About how high (EMU) ``text`` runs in a ``size``-point font over ``width`` EMU."""
        lines = -(-len(text) // max(self.chars(width, size), 1))
        return int((lines * size * 1.2 + space_after) * self.scale * 12700)

    def lines(self, text: str, width: int, size: float, *, bold: bool = False) -> int:
        """How many lines ``text`` takes in a ``size``-point font (scaled to the deck) over
        ``width`` EMU, measured with Arial's metrics and a margin: what fits by this count
        fits in LibreOffice and PowerPoint, where an estimate by characters cut lines."""
        points = size * self.scale
        # wrap() keeps a margin for browsers' fonts; an office suite draws Arial (or
        # Liberation Sans, its metrics), within 1.5 % of the measuring font: 3 % is enough
        room = width / 12700 * WIDTH_MARGIN[bold] / OFFICE_MARGIN[bold]
        return len(wrap(text, math.ceil(points), room, bold=bold))

    def wrapped_height(self, text: str, width: int, size: float, *, bold: bool = False) -> int:
        """The height (EMU) of ``text`` wrapped as :meth:`lines` counts."""
        return int(self.lines(text, width, size, bold=bold) * size * self.scale * LINE_HEIGHT
                   * 12700)

    def fitting_size(self, texts: Sequence[str], width: int, height: int, *,
                     largest: float = 18, smallest: float = 11, bold: bool = False) -> float:
        """The largest font size, in half points from ``largest`` down to ``smallest``, at
        which each of ``texts`` fits a box of ``width`` × ``height`` EMU: one size for
        boxes side by side, and whole texts rather than cut ones."""
        size = largest
        while size > smallest and any(self.wrapped_height(t, width, size, bold=bold) > height
                                      for t in texts):
            size -= 0.5
        return size

    # notes --------------------------------------------------------------------------------

    def sources_line(self, source_ids: Iterable[str]) -> str | None:
        names = []
        for sid in source_ids:
            source = self.vocabulary.sources.get(sid)
            if source is not None:
                publisher = source.publisher_in(self.lang)
                names.append(f"{publisher} (« {source.title} »)" if self.lang == "fr"
                             else f"{publisher} (“{source.title}”)")
        if not names:
            return None
        return f"{self.words['sources']}{self.words['colon']}{' ; '.join(names)}" \
            if self.lang == "fr" else f"{self.words['sources']}: {'; '.join(names)}"

    def language_name(self, code: str) -> str:
        """« anglais », "French": a language named in the deck's language."""
        return self.words["french" if code == "fr" else "english"]

    def labelled(self, key: str, text: str | None) -> str | None:
        return f"{self.words[key]}{self.words['colon']}{text}" if text else None

    def concept_notes(self, concept: Concept, *,
                      both_languages: bool) -> list[str | tuple[str, str] | None]:
        w = self.words
        lines: list[str | tuple[str, str] | None] = []
        if both_languages:
            for code in (self.lang, self.other):
                lines.append((f"{w['definition']} ({self.language_name(code)}){w['colon']}"
                              f"{concept.definition[code]}", code))
        else:
            lines.append(f"{display_label(concept, self.lang)}{w['colon']}"
                         f"{concept.definition[self.lang]}")
        lines.append(self.labelled("scope", concept.scope_note.get(self.lang)))
        lines.append(self.labelled("example", concept.example.get(self.lang)))
        lines.append(self.labelled("divergence", concept.editorial_note.get(self.lang)))
        lines.append(self.sources_line(concept.sources))
        return lines

    def members(self, collection: Collection) -> list[Concept]:
        """The collection's members, in its order."""
        return [self.vocabulary.concepts[m] for m in collection.members]

    # the slides every deck has, and what a collection's slides share --------------------

    def title_slide(self, title: str, day: date) -> None:
        slide = self.new_slide(title, layout=self.title_layout)
        subtitle = next((ph for ph in slide.placeholders
                         if ph.placeholder_format.type in (PP_PLACEHOLDER.SUBTITLE,
                                                           PP_PLACEHOLDER.BODY)), None)
        counts = self.words["counts"].format(concepts=len(self.vocabulary.concepts),
                                             sources=len(self.vocabulary.sources))
        paragraphs = [[Run(self.words["subtitle"], 24)],
                      [Run(long_date(day, self.lang), 20)],
                      [Run(counts, 14, colour=None if self.templated else MUTED)]]
        if subtitle is not None:
            self.fill_text(subtitle.text_frame, paragraphs, align=PP_ALIGN.CENTER)
            subtitle.name = "Subtitle"
        else:
            left, _top, width, _h = self.area
            self.textbox(slide, (left, int(self.height * 0.6), width, int(self.height * 0.25)),
                         paragraphs, name="Subtitle", align=PP_ALIGN.CENTER)
        notes = [self.words["subtitle"] + ".", self.words["licence"]]
        notes.append(self.sources_line(self.vocabulary.sources))
        self.finish(slide, notes)

    def collection_notes(self, collection: Collection, members: Sequence[Concept] | None = None,
                         start: int = 1) -> list[str | None]:
        """The collection's definition, its members' (``members``: those a slide shows,
        numbered from ``start``; default: all), the editors' notes and the sources."""
        shown = self.members(collection) if members is None else list(members)
        lines: list[str | None] = [collection.definition[self.lang],
                                   collection.scope_note.get(self.lang)]
        for i, concept in enumerate(shown, start=start):
            lines.append(f"{i}. {display_label(concept, self.lang)}{self.words['colon']}"
                         f"{concept.definition[self.lang]}")
            lines.append(self.labelled("divergence", concept.editorial_note.get(self.lang)))
        depicted = self.vocabulary.concepts.get(collection.depicts or "")
        if depicted is not None:
            lines.append(self.labelled("divergence", depicted.editorial_note.get(self.lang)))
        sources = list(dict.fromkeys(
            [*collection.sources, *(s for c in shown for s in c.sources)]))
        lines.append(self.sources_line(sources))
        return lines

    def subtitle(self, slide, collection: Collection) -> int:
        """The collection's definition under the title; returns the top of what is left."""
        left, top, width, _height = self.area
        height = int(self.height * 0.07)
        self.textbox(slide, (left, top, width, height),
                     [[Run(collection.definition[self.lang], 14, italic=True,
                           colour=None if self.templated else MUTED)]],
                     name="Subtitle")
        return top + height + int(self.height * 0.015)

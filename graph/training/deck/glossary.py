"""The A–Z glossary appendix, made to be read on a screen across a room: every concept with
its whole definition, in 18-point text or larger, a few entries a slide (as many slides as
that takes), the letters each slide covers in its title.

Entries are measured with Arial's metrics (:meth:`Deck.lines`) and a slide takes as many as
fit; its speaker notes repeat them with the glossaries that define each. A definition is
never cut: one too long for a slide of its own (no concept of ours) gets a slide alone.
"""

from __future__ import annotations

from pptx.dml.color import RGBColor
from pptx.util import Pt

from graph.text import fold_search
from graph.training.deck.common import INK, Run, display_label, glossary_key
from graph.training.deck.frame import LINE_HEIGHT, Deck
from graph.vocabulary.model import Concept

#: the terms' colour (the funnel's dark blue); definitions are in the deck's ink
TERM = RGBColor(0x1B, 0x3A, 0x5C)
#: the smallest text a room can read on a projected 16:9 slide (points, never scaled down)
BODY_SIZE = 18
#: the term heading each entry
LABEL_SIZE = 20
#: at most this many entries on a slide, however short
MAX_PER_SLIDE = 5
#: space between two entries, and between a term and its definition (points)
ENTRY_GAP = 12
LABEL_GAP = 2


def add_slides(deck: Deck) -> None:
    """The glossary: every concept in alphabetical order of its label in the deck's
    language, whole, over as many slides as that takes."""
    concepts = sorted(deck.vocabulary.concepts.values(),
                      key=lambda c: glossary_key(c.pref_label[deck.lang]))
    left, top, width, height = deck.area
    pad = int(deck.width * 0.008)
    inner = width - 2 * pad
    # sizes are given for a 13.33-inch slide and scaled to the deck: never below 18 points
    unscale = 1 / min(deck.scale, 1)
    pages = paginate(deck, concepts, inner, height, unscale)
    for number, page in enumerate(pages, start=1):
        slide = deck.new_slide(f"{deck.words['glossary']} {_letters(page, deck.lang)} "
                               f"({number}/{len(pages)})")
        paragraphs = []
        for concept in page:
            paragraphs.append([Run(display_label(concept, deck.lang), LABEL_SIZE * unscale,
                                   bold=True, colour=None if deck.templated else TERM)])
            paragraphs.append([Run(concept.definition[deck.lang], BODY_SIZE * unscale,
                                   colour=None if deck.templated else INK)])
        box = deck.textbox(slide, (left, top, width, height), paragraphs, name="Glossary")
        deck.margins(box.text_frame, pad, pad)
        for index, paragraph in enumerate(box.text_frame.paragraphs):
            is_label = index % 2 == 0
            paragraph.space_after = Pt(LABEL_GAP if is_label else 0)
            paragraph.space_before = Pt(ENTRY_GAP if is_label and index else 0)
        notes: list[str | None] = []
        for concept in page:
            notes.append(f"{display_label(concept, deck.lang)}{deck.words['colon']}"
                         f"{concept.definition[deck.lang]}")
            notes.append(deck.sources_line(concept.sources))
        deck.finish(slide, notes)


def paginate(deck: Deck, concepts: list[Concept], width: int, height: int,
             unscale: float) -> list[list[Concept]]:
    """The concepts cut into slides: each takes the next entries while they fit ``height``
    (EMU) and there are at most :data:`MAX_PER_SLIDE`."""
    pages: list[list[Concept]] = []
    page: list[Concept] = []
    used = 0
    for concept in concepts:
        needed = entry_height(deck, concept, width, unscale)
        gap = int(ENTRY_GAP * 12700) if page else 0
        if page and (used + gap + needed > height or len(page) == MAX_PER_SLIDE):
            pages.append(page)
            page, used, gap = [], 0, 0
        page.append(concept)
        used += gap + needed
    if page:
        pages.append(page)
    return pages


def entry_height(deck: Deck, concept: Concept, width: int, unscale: float) -> int:
    """The height (EMU) of one entry: its term, then its whole definition."""
    label = deck.lines(display_label(concept, deck.lang), width, LABEL_SIZE * unscale,
                       bold=True)
    body = deck.lines(concept.definition[deck.lang], width, BODY_SIZE * unscale)
    points = (label * LABEL_SIZE + body * BODY_SIZE) * unscale * deck.scale * LINE_HEIGHT
    return int((points + LABEL_GAP) * 12700)


def _letters(page: list[Concept], lang: str) -> str:
    """« A », « A–C »: the first letters of a slide's first and last terms."""
    first = fold_search(page[0].pref_label[lang])[:1].upper()
    last = fold_search(page[-1].pref_label[lang])[:1].upper()
    return first if first == last else f"{first}–{last}"

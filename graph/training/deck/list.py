"""The list: an unordered collection, or one with too many members for the other kinds, as
boxes in one or two columns (numbered when the collection is ordered), each with the
member's label and the start of its definition; continued on further slides when long."""

from __future__ import annotations

from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

from graph.training.deck.common import (
    CARD,
    INK,
    MUTED,
    Run,
    capitalised,
    display_label,
    short_definition,
)
from graph.training.deck.frame import Deck
from graph.vocabulary.model import Collection, Concept

#: boxes one under the other in a column; two columns on a slide when there are more
PER_COLUMN = 7


def add_slides(deck: Deck, collection: Collection) -> None:
    """One slide per two columns of members, in the collection's order."""
    members = deck.members(collection)
    columns = 1 if len(members) <= PER_COLUMN else 2
    per_slide = columns * PER_COLUMN
    pages = [members[i:i + per_slide] for i in range(0, len(members), per_slide)] or [[]]
    title = capitalised(collection.pref_label[deck.lang])
    for number, page in enumerate(pages):
        slide = deck.new_slide(title if len(pages) == 1
                               else f"{title} ({number + 1}/{len(pages)})")
        top = deck.subtitle(slide, collection)
        first = number * per_slide
        for j, concept in enumerate(page):
            column, row = divmod(j, PER_COLUMN)
            _entry(deck, slide, concept, first + j + 1, collection.ordered, top, column,
                   columns, row)
        deck.finish(slide, deck.collection_notes(collection, page, start=first + 1))


def _entry(deck: Deck, slide, concept: Concept, position: int, numbered: bool, top: int,
           column: int, columns: int, row: int) -> None:
    """One member's box: its label (numbered) and the start of its definition."""
    left, _top, width, _height = deck.area
    bottom = deck.area[1] + deck.area[3]
    gutter = int(width * 0.03)
    gap = int(deck.height * 0.012)
    box_width = (width - gutter * (columns - 1)) // columns
    box_height = (bottom - top - gap * (PER_COLUMN - 1)) // PER_COLUMN
    label = concept.pref_label[deck.lang]
    pad = int(deck.width * 0.01)
    shape = deck.card(slide, (left + column * (box_width + gutter),
                              top + row * (box_height + gap), box_width, box_height),
                      CARD, name=f"Entry {position}: {label}", rounding=0.12,
                      pad=(pad, pad, int(pad * 0.4), int(pad * 0.4)))
    heading = capitalised(display_label(concept, deck.lang))
    definition = short_definition(concept, deck.lang, deck.chars(box_width - 2 * pad, 12))
    deck.fill_text(shape.text_frame, [
        [Run(f"{position}. {heading}" if numbered else heading, 16, bold=True, colour=INK)],
        [Run(definition, 12, colour=MUTED)],
    ], align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.MIDDLE)

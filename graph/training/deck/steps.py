"""The steps of a process (the sales cycle) as chevrons from left to right, on two rows
beyond five steps, each step's definition under its chevron."""

from __future__ import annotations

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

from graph.training.deck.common import (
    Run,
    capitalised,
    gradient,
    shape_name,
    short_definition,
    text_colour_on,
)
from graph.training.deck.frame import Deck
from graph.vocabulary.model import Collection

#: the steps' gradient, first step first
CYCLE_COLOURS = (RGBColor(0x26, 0x46, 0x53), RGBColor(0x2A, 0x9D, 0x8F))


def add_slides(deck: Deck, collection: Collection) -> None:
    """One slide: the steps as chevrons, in order."""
    slide = deck.new_slide(capitalised(collection.pref_label[deck.lang]))
    left, _top, width, _height = deck.area
    top = deck.subtitle(slide, collection)
    bottom = deck.area[1] + deck.area[3]
    steps = deck.members(collection)
    n = len(steps)
    rows = 1 if n <= 5 else 2
    per_row = -(-n // rows)
    row_height = (bottom - top) // rows
    chevron_height = int(row_height * 0.38)
    step = width // per_row
    overlap = int(chevron_height * 0.18)
    colours = gradient(CYCLE_COLOURS, n)
    for i, concept in enumerate(steps):
        row, col = divmod(i, per_row)
        x = left + col * step
        y = top + row * row_height
        shape = slide.shapes.add_shape(MSO_SHAPE.CHEVRON, x, y, step + overlap,
                                       chevron_height)
        shape.name = shape_name(f"Step {i + 1}: {concept.pref_label[deck.lang]}")
        deck.filled(shape, colours[i], outline=None)
        deck.margins(shape.text_frame, int(chevron_height * 0.2), int(chevron_height * 0.1))
        deck.fill_text(shape.text_frame, [[Run(f"{i + 1}. {concept.pref_label[deck.lang]}",
                                               15, bold=True,
                                               colour=text_colour_on(colours[i]))]],
                       align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)
        text_top = y + chevron_height + int(deck.height * 0.01)
        box = (x + int(chevron_height * 0.3), text_top, step - int(chevron_height * 0.45),
               row_height - chevron_height - int(deck.height * 0.03))
        deck.textbox(slide, box, [[Run(short_definition(
            concept, deck.lang, deck.chars(box[2], 12, 5)), 12)]],
            name=f"Step {i + 1} definition")
    deck.finish(slide, deck.collection_notes(collection))

"""The steps of a process (the sales cycle) as chevrons from left to right, on two rows
beyond five steps, each step's first sentence under its chevron: whole, in one size that
fits them all (a sentence cut by "…" reads as a mistake on a projected slide)."""

from __future__ import annotations

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

from graph.text import first_sentence, shorten
from graph.training.deck.common import (
    Run,
    capitalised,
    gradient,
    shape_name,
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
    chevron_height = int(row_height * 0.27)
    step = width // per_row
    overlap = int(chevron_height * 0.18)
    colours = gradient(CYCLE_COLOURS, n)
    box_width = step - int(chevron_height * 0.45)
    box_height = row_height - chevron_height - int(deck.height * 0.02)
    sentences = [first_sentence(c.definition[deck.lang]) for c in steps]
    size = deck.fitting_size(sentences, box_width, box_height, largest=16, smallest=11)
    labels = [f"{i + 1}. {c.pref_label[deck.lang]}" for i, c in enumerate(steps)]
    # a chevron's text sits between its notches (half its height each) and its margins
    label_size = deck.fitting_size(labels, step - int(chevron_height * 1.3), chevron_height,
                                   largest=15, smallest=11, bold=True)
    for i, concept in enumerate(steps):
        row, col = divmod(i, per_row)
        x = left + col * step
        y = top + row * row_height
        shape = slide.shapes.add_shape(MSO_SHAPE.CHEVRON, x, y, step + overlap,
                                       chevron_height)
        shape.name = shape_name(f"Step {i + 1}: {concept.pref_label[deck.lang]}")
        deck.filled(shape, colours[i], outline=None)
        deck.margins(shape.text_frame, int(chevron_height * 0.2), int(chevron_height * 0.1))
        deck.fill_text(shape.text_frame, [[Run(labels[i], label_size, bold=True,
                                               colour=text_colour_on(colours[i]))]],
                       align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)
        text = sentences[i]
        if deck.wrapped_height(text, box_width, size) > box_height:
            # only a sentence of a hundred words or more gets here
            text = shorten(text, deck.chars(box_width, size, 5))
        box = (x + int(chevron_height * 0.3), y + chevron_height + int(deck.height * 0.01),
               box_width, box_height)
        shape = deck.textbox(slide, box, [[Run(text, size)]], name=f"Step {i + 1} definition")
        deck.margins(shape.text_frame, 0, 0)  # the box is what was measured
    deck.finish(slide, deck.collection_notes(collection))

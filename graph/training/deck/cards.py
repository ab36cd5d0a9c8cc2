"""A few siblings side by side (first-, second- and third-party data; lead temperatures):
one card each, with its label, its name in the other language, its definition and, when
there is room, its usage."""

from __future__ import annotations

from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN

from graph.text import first_sentence, shorten
from graph.training.deck.common import (
    Run,
    capitalised,
    display_label,
    gradient,
    text_colour_on,
)
from graph.training.deck.frame import Deck
from graph.vocabulary.model import Collection

#: the cards' gradient, and fixed palettes by collection
CARD_COLOURS = (RGBColor(0x1B, 0x3A, 0x5C), RGBColor(0x5F, 0xA8, 0xD3))
PALETTES = {
    "lead-temperatures": (RGBColor(0x3D, 0x7E, 0xC9), RGBColor(0xF2, 0x9E, 0x38),
                          RGBColor(0xD6, 0x45, 0x41)),
}


def add_slides(deck: Deck, collection: Collection) -> None:
    """One slide: a card per member, side by side."""
    slide = deck.new_slide(capitalised(collection.pref_label[deck.lang]))
    left, _top, width, _height = deck.area
    top = deck.subtitle(slide, collection) + int(deck.height * 0.02)
    bottom = deck.area[1] + deck.area[3]
    items = deck.members(collection)
    n = len(items)
    gap = int(width * 0.025)
    card_width = (width - gap * (n - 1)) // n
    colours = PALETTES.get(collection.id) or gradient(CARD_COLOURS, n)
    pad = int(deck.width * 0.015)
    label_size = _label_size(deck, [display_label(c, deck.lang) for c in items],
                             card_width - 2 * pad)
    for i, concept in enumerate(items):
        colour = colours[i % len(colours)]
        shape = deck.card(slide, (left + i * (card_width + gap), top, card_width, bottom - top),
                          colour, name=f"Item {i + 1}: {concept.pref_label[deck.lang]}",
                          rounding=0.06, pad=(pad, pad, pad, pad))
        ink = text_colour_on(colour)
        limit = deck.chars(card_width - 2 * pad, 15, 10)
        definition = concept.definition[deck.lang]
        if len(definition) > limit:
            definition = shorten(first_sentence(definition), limit)
        paragraphs = [
            [Run(capitalised(display_label(concept, deck.lang)), label_size, bold=True,
                 colour=ink)],
            [Run(concept.pref_label[deck.other], 14, italic=True, colour=ink,
                 lang=deck.other)],
            [Run(definition, 15, colour=ink)],
        ]
        scope = concept.scope_note.get(deck.lang)
        inner = card_width - 2 * pad
        used = (deck.text_height(display_label(concept, deck.lang), inner, label_size, 8)
                + deck.text_height(definition, inner, 15, 8) + int(deck.height * 0.06))
        if scope and used + deck.text_height(scope, inner, 13, 8) < (bottom - top) - 2 * pad:
            paragraphs.append([Run(scope, 13, italic=True, colour=ink)])
        deck.fill_text(shape.text_frame, paragraphs, space_after=8, align=PP_ALIGN.LEFT)
    deck.finish(slide, deck.collection_notes(collection))


def _label_size(deck: Deck, labels: list[str], width: int) -> int:
    """22 points, less when the longest word of a label would not fit a narrow card."""
    longest = max((len(word) for label in labels for word in label.split()), default=0)
    size = 22
    while size > 14 and deck.chars(width, size) * 0.8 < longest:  # bold: wider letters
        size -= 2
    return size

"""The funnel's slides: the funnel as stacked freeform trapezoids, each stage's first
sentence whole beside it (never cut: a room reads it from the slide), then a slide per stage
(its definition, usage and example; its name in the other language, acronyms, related terms,
the stages before and after; where it sits in the funnel)."""

from __future__ import annotations

from collections.abc import Sequence

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

from graph.text import first_sentence, shorten
from graph.training.deck.common import (
    CARD,
    HIGHLIGHT,
    INK,
    MUTED,
    Paragraph,
    Run,
    capitalised,
    display_label,
    glossary_key,
    gradient,
    shape_name,
    text_colour_on,
)
from graph.training.deck.frame import Deck
from graph.vocabulary.model import Collection, Concept, Vocabulary

#: the funnel's gradient, widest stage first
FUNNEL_COLOURS = (RGBColor(0x1B, 0x3A, 0x5C), RGBColor(0x7F, 0xC8, 0xB8))
#: the funnel's share of the slide's width; the definitions take the rest
FUNNEL_SHARE = 0.36


def add_slides(deck: Deck, collection: Collection) -> None:
    """The funnel, then a slide per stage."""
    _funnel_slide(deck, collection)
    links = related_index(deck.vocabulary)
    for position in range(len(collection.members)):
        _stage_slide(deck, collection, position, links)


def _funnel_slide(deck: Deck, collection: Collection) -> None:
    """The stages as stacked trapezoids narrowing downwards, each with its label; beside
    each, the first sentence of its definition, whole, in one size that fits them all."""
    slide = deck.new_slide(capitalised(collection.pref_label[deck.lang]))
    left, _top, width, _height = deck.area
    top = deck.subtitle(slide, collection)
    bottom = deck.area[1] + deck.area[3]
    stages = deck.members(collection)
    n = len(stages)
    gap = int(deck.height * 0.008)
    stage_height = (bottom - top - gap * (n - 1)) // n
    funnel_width = int(width * FUNNEL_SHARE)
    centre = left + funnel_width // 2
    top_width, bottom_width = funnel_width, int(funnel_width * 0.42)
    colours = gradient(FUNNEL_COLOURS, n)
    column_left = left + funnel_width + int(width * 0.025)
    column_width = left + width - column_left
    pad = int(deck.width * 0.01)
    # a little air above and below: text touching a box's border reads as cut
    air = int(deck.height * 0.004)
    room = stage_height - 2 * air
    sentences = [first_sentence(c.definition[deck.lang]) for c in stages]
    definition_size = deck.fitting_size(sentences, column_width - 2 * pad, room)

    def width_at(y: int) -> int:
        return int(top_width - (top_width - bottom_width) * (y - top) / (bottom - top))

    labels = [f"{i + 1}. {display_label(c, deck.lang)}" for i, c in enumerate(stages)]
    # one size for every label, the largest at which each fits the bottom of its trapezoid
    label_size = min(deck.fitting_size([label], width_at(top + (i + 1) * stage_height)
                                        - 2 * pad, stage_height, largest=20, smallest=10,
                                        bold=True)
                     for i, label in enumerate(labels))
    for i, concept in enumerate(stages):
        y0 = top + i * (stage_height + gap)
        y1 = y0 + stage_height
        w0, w1 = width_at(y0), width_at(y1)
        builder = slide.shapes.build_freeform(centre - w0 // 2, y0)
        builder.add_line_segments([(centre + w0 // 2, y0), (centre + w1 // 2, y1),
                                   (centre - w1 // 2, y1)], close=True)
        shape = builder.convert_to_shape()
        short = concept.acronyms(deck.lang)
        name = short[0] if short else concept.pref_label[deck.lang]
        shape.name = shape_name(f"Stage {i + 1}: {name}")
        deck.filled(shape, colours[i])
        inset = (w0 - w1) // 2 + pad
        deck.margins(shape.text_frame, inset, inset, int(deck.height * 0.004),
                     int(deck.height * 0.004))
        deck.fill_text(shape.text_frame, [[Run(labels[i], label_size, bold=True,
                                               colour=text_colour_on(colours[i]))]],
                       align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)
        text = sentences[i]
        if deck.wrapped_height(text, column_width - 2 * pad, definition_size) > room:
            # only a vocabulary with a sentence of several hundred words gets here
            text = shorten(text, deck.chars(column_width - 2 * pad, definition_size, 3))
        box = deck.textbox(slide, (column_left, y0, column_width, stage_height),
                           [[Run(text, definition_size, colour=None if deck.templated
                                 else INK)]],
                           name=f"Funnel definition {i + 1}: {name}",
                           anchor=MSO_ANCHOR.MIDDLE)
        deck.margins(box.text_frame, pad, pad, air, air)
        if not deck.templated:
            deck.filled(box, CARD, outline=colours[i])
    deck.finish(slide, deck.collection_notes(collection))


def _stage_slide(deck: Deck, collection: Collection, position: int,
                 links: dict[str, list[str]]) -> None:
    """The slide of one stage; ``links``: each concept's related concepts."""
    w = deck.words
    stages = deck.members(collection)
    concept = stages[position]
    slide = deck.new_slide(f"{position + 1}. {capitalised(display_label(concept, deck.lang))}")
    left, top, width, height = deck.area
    strip_height = int(deck.height * 0.075)
    body_height = height - strip_height - int(deck.height * 0.03)
    column = int(width * 0.58)
    gutter = int(width * 0.03)
    body = [[Run(concept.definition[deck.lang], 20)]]
    used = deck.text_height(concept.definition[deck.lang], column, 20, 12)
    for key, note in (("scope", concept.scope_note), ("example", concept.example)):
        extra = note.get(deck.lang)
        if not extra:
            continue
        needed = deck.text_height(f"{w[key]}{w['colon']}{extra}", column, 15, 12)
        if used + needed > body_height * 0.92:
            break
        used += needed
        body.append([Run(f"{w[key]}{w['colon']}", 15, bold=True, colour=MUTED),
                     Run(extra, 15, colour=None if deck.templated else MUTED)])
    deck.textbox(slide, (left, top, column, body_height), body, name="Definition",
                 space_after=12)

    def fact(key: str, values: Sequence[str], lang: str | None = None) -> list[Paragraph]:
        return [[Run(w[key], 13, bold=True, colour=MUTED)],
                [Run(", ".join(values) if values else w["none"], 16, lang=lang)]]

    previous = stages[position - 1].pref_label[deck.lang] if position else None
    following = stages[position + 1].pref_label[deck.lang] \
        if position + 1 < len(stages) else None
    related = [deck.vocabulary.concepts[r].pref_label[deck.lang]
               for r in links.get(concept.id, [])]
    facts = [*fact("other_language", [concept.pref_label[deck.other]], lang=deck.other),
             *fact("acronyms", concept.acronyms(deck.lang)),
             *fact("related", sorted(related, key=glossary_key)),
             *fact("previous", [previous] if previous else []),
             *fact("next", [following] if following else [])]
    pad = int(deck.width * 0.015)
    card = deck.card(slide, (left + column + gutter, top, width - column - gutter, body_height),
                     CARD, name="Facts", rounding=0.05, pad=(pad, pad, pad, pad))
    deck.fill_text(card.text_frame, [[Run(r.text, r.size, r.bold, r.italic,
                                          r.colour or INK, r.lang) for r in p]
                                     for p in facts], space_after=3, align=PP_ALIGN.LEFT)
    # where the stage sits in the funnel: one small chevron per stage
    _position_strip(deck, slide, stages, position, top + height - strip_height, strip_height)
    deck.finish(slide, [concept.pref_label[deck.lang],
                        (concept.pref_label[deck.other], deck.other),
                        *deck.concept_notes(concept, both_languages=True)])


def _position_strip(deck: Deck, slide, stages: Sequence[Concept], current: int, top: int,
                    height: int) -> None:
    """Where the stage sits in the funnel: one small chevron per stage, its own highlighted."""
    left, _top, width, _height = deck.area
    n = len(stages)
    step = width // n
    for i, concept in enumerate(stages):
        shape = slide.shapes.add_shape(MSO_SHAPE.CHEVRON if i else MSO_SHAPE.PENTAGON,
                                       left + i * step, top, int(step * 1.06), height)
        shape.name = f"Position {i + 1}"
        colour = HIGHLIGHT if i == current else CARD
        deck.filled(shape, colour, outline=None)
        short = concept.acronyms(deck.lang)
        label = concept.pref_label[deck.lang]
        if len(label) > 14 and short:
            label = short[0]
        deck.margins(shape.text_frame, int(height * 0.08), int(height * 0.08))
        deck.fill_text(shape.text_frame, [[Run(label, 11, bold=i == current,
                                               colour=text_colour_on(colour))]],
                       align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)


def related_index(vocabulary: Vocabulary) -> dict[str, list[str]]:
    """Related and typed relations of each concept, both directions (the model holds one)."""
    index: dict[str, list[str]] = {cid: [] for cid in vocabulary.concepts}
    for concept in vocabulary.concepts.values():
        targets = [*concept.related, *(t for ts in concept.typed.values() for t in ts)]
        for target in targets:
            if target in index:
                for a, b in ((concept.id, target), (target, concept.id)):
                    if b not in index[a]:
                        index[a].append(b)
    return index

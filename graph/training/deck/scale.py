"""A scale (the NPS): the scores in cells (0 to 10), the members' coloured segments under
them, each with its definition below; for the NPS, its formula at the bottom.

The score ranges come from the data, as on the collection page
(:func:`graph.training.drawings.base.scores_of`: a member's notation, else its definition);
when they do not tile one scale, the members get equal segments and no score cells.
"""

from __future__ import annotations

from collections.abc import Sequence

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

from graph.training.deck.common import (
    INK,
    WHITE,
    Run,
    capitalised,
    mix,
    shape_name,
    text_colour_on,
)
from graph.training.deck.frame import Deck
from graph.training.drawings.base import scores_of, tiling
from graph.vocabulary.model import Collection, Concept

#: low scores red, middle amber, high green (the NPS's detractors, passives, promoters)
NPS_COLOURS = (RGBColor(0xD6, 0x45, 0x41), RGBColor(0xF2, 0xB1, 0x34), RGBColor(0x2E, 0x9E, 0x5B))

Span = tuple[int, int]  # left and width of a segment, in EMU


def add_slides(deck: Deck, collection: Collection) -> None:
    """One slide: the score cells, a segment per member, the definitions, the formula."""
    slide = deck.new_slide(capitalised(collection.pref_label[deck.lang]))
    left, _top, width, _height = deck.area
    top = deck.subtitle(slide, collection)
    bottom = deck.area[1] + deck.area[3]
    groups = deck.members(collection)
    colours = _colours(len(groups))
    ranges = tiling([_scores(concept, deck.lang) for concept in groups])
    if ranges:
        cell_height = int(deck.height * 0.08)
        spans = _score_cells(deck, slide, ranges, colours, top, cell_height)
        segment_top = top + cell_height + int(deck.height * 0.015)
    else:
        each = width // max(len(groups), 1)
        spans = [(left + i * each, each) for i in range(len(groups))]
        segment_top = top
    is_nps = collection.depicts == "nps"
    formula_height = int(deck.height * 0.07) if is_nps else 0
    _segments(deck, slide, groups, ranges, spans, colours, segment_top,
              bottom - formula_height)
    if is_nps:
        deck.textbox(slide, (left, bottom - formula_height, width, formula_height),
                     [[Run(deck.words["nps_formula"], 16, bold=True)]], name="Formula",
                     align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)
    depicted = deck.vocabulary.concepts.get(collection.depicts or "")
    notes = deck.collection_notes(collection)
    if depicted is not None:
        notes = [*deck.concept_notes(depicted, both_languages=False), *notes]
    deck.finish(slide, notes)


def _scores(concept: Concept, lang: str) -> tuple[int, int] | None:
    notation = concept.notation[0][0] if concept.notation else ""
    return scores_of(notation, concept.definition.get(lang, ""))


def _colours(n: int) -> list[RGBColor]:
    """``n`` colours from red through amber to green (the three NPS colours for three)."""
    colours = []
    for i in range(n):
        t = 2 * i / max(n - 1, 1)
        low = min(int(t), 1)
        colours.append(mix(NPS_COLOURS[low], NPS_COLOURS[low + 1], t - low))
    return colours


def _score_cells(deck: Deck, slide, ranges: Sequence[tuple[int, int]],
                 colours: Sequence[RGBColor], top: int, height: int) -> list[Span]:
    """A cell per score, tinted with its member's colour; returns each member's span."""
    left, _top, width, _height = deck.area
    low, high = ranges[0][0], ranges[-1][1]
    cell = width // (high - low + 1)
    for score in range(low, high + 1):
        group = next(g for g, (lo, hi) in enumerate(ranges) if lo <= score <= hi)
        shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left + (score - low) * cell, top,
                                       cell, height)
        shape.name = f"Score {score}"
        deck.filled(shape, mix(colours[group], WHITE, 0.55))
        deck.fill_text(shape.text_frame, [[Run(str(score), 20, bold=True, colour=INK)]],
                       align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)
    return [(left + (lo - low) * cell, (hi - lo + 1) * cell) for lo, hi in ranges]


def _segments(deck: Deck, slide, groups: Sequence[Concept],
              ranges: Sequence[tuple[int, int]] | None, spans: Sequence[Span],
              colours: Sequence[RGBColor], top: int, bottom: int) -> None:
    """A coloured segment per member (its label and score range), its definition below."""
    segment_height = int(deck.height * 0.13)
    text_top = top + segment_height + int(deck.height * 0.015)
    for i, (concept, (x, segment_width)) in enumerate(zip(groups, spans, strict=True)):
        shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, x, top, segment_width,
                                       segment_height)
        label = concept.pref_label[deck.lang]
        ink = text_colour_on(colours[i])
        paragraphs = [[Run(capitalised(label), 20, bold=True, colour=ink)]]
        if ranges:
            lo, hi = ranges[i]
            shape.name = shape_name(f"Segment {i + 1}: {label} ({lo}–{hi})")
            paragraphs.append([Run(f"{deck.words['score']} {lo}–{hi}", 15, colour=ink)])
        else:
            shape.name = shape_name(f"Segment {i + 1}: {label}")
        deck.filled(shape, colours[i])
        deck.fill_text(shape.text_frame, paragraphs, align=PP_ALIGN.CENTER,
                       anchor=MSO_ANCHOR.MIDDLE)
        box = (x, text_top, segment_width, bottom - text_top)
        deck.textbox(slide, box, [[Run(concept.definition[deck.lang], 13)]],
                     name=f"Segment {i + 1} definition")

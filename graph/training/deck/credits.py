"""The sources-and-licence slide: the glossaries the vocabulary is drawn from (title,
publisher, kind, date, number of entries), that the definitions are the editors' own words,
and the vocabulary's licence — credits a room sees, not only the speaker notes.

A glossary's title is a proper title and stays in its language (tagged so, for the spelling
checker); everything that describes it — kind, publisher when it is a description, note,
date — is in the deck's language.
"""

from __future__ import annotations

from pptx.enum.text import PP_ALIGN

from graph.training.deck.common import CARD, INK, MUTED, Paragraph, Run, long_date
from graph.training.deck.frame import Deck
from graph.vocabulary.model import Source

#: the licence of the vocabulary (ontology/scheme.ttl, dct:license; README, "Licence")
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def add_slide(deck: Deck) -> None:
    """One slide: the glossaries on the left, the editors' words and the licence on the
    right."""
    w = deck.words
    sources = list(deck.vocabulary.sources.values())
    slide = deck.new_slide(w["credits"])
    left, top, width, height = deck.area
    gutter = int(width * 0.03)
    column = int(width * 0.6)
    ink = None if deck.templated else INK
    muted = None if deck.templated else MUTED
    paragraphs: list[Paragraph] = [
        [Run(w["credits_sources"].format(count=len(sources)), 16, bold=True, colour=muted)]]
    for source in sources:
        paragraphs.append([Run(full_title(source), 18, bold=True, italic=True, colour=ink,
                               lang=source.language if source.language in ("fr", "en")
                               else None)])
        paragraphs.append([Run(" · ".join(details(deck, source)), 16, colour=ink)])
        note = source.note.get(deck.lang)
        if note:
            paragraphs.append([Run(note, 14, italic=True, colour=muted)])
    deck.textbox(slide, (left, top, column, height), paragraphs, name="Sources",
                 space_after=4)
    pad = int(deck.width * 0.015)
    card = deck.card(slide, (left + column + gutter, top, width - column - gutter, height),
                     CARD, name="Licence", rounding=0.05, pad=(pad, pad, pad, pad))
    deck.fill_text(card.text_frame, [
        [Run(w["own_words"], 18, colour=INK)],
        [Run(w["licence_line"], 18, colour=INK)],
        [Run(LICENCE_URL, 14, colour=MUTED)],
    ], space_after=14, align=PP_ALIGN.LEFT)
    notes: list[str | None] = [w["credits"] + "."]
    for source in sources:
        notes.append(f"{full_title(source)} — {' · '.join(details(deck, source))}"
                     + (f". {source.note[deck.lang]}" if source.note.get(deck.lang) else ""))
    notes += [w["own_words"], w["licence_line"], LICENCE_URL]
    deck.finish(slide, notes)


def full_title(source: Source) -> str:
    """A source's full title: its title, then its subtitle after a dash."""
    return f"{source.title} — {source.subtitle}" if source.subtitle else source.title


def details(deck: Deck, source: Source) -> list[str]:
    """Publisher, kind, date and size, in the deck's language."""
    parts = [source.publisher_in(deck.lang)]
    kind = source.kind.get(deck.lang)
    if kind:
        parts.append(kind)
    parts.append(long_date(source.date, deck.lang) if source.date else deck.words["undated"])
    if source.terms:
        parts.append(deck.words["entries"].format(count=source.terms))
    return parts

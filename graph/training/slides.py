"""The training deck: the vocabulary's collections as editable PowerPoint slides.

:func:`build_deck` turns a :class:`~graph.vocabulary.model.Vocabulary` into a python-pptx
``Presentation``: a title slide; for each collection the slide(s) of its kind, the kind
the collection page draws too (:func:`graph.training.kinds.kind_of`): the funnel as stacked
freeform trapezoids, then a slide per stage; the sales cycle as chevrons; the NPS scale as
coloured segments; first/second/third-party data and lead temperatures as cards side by
side; a long or unordered collection as a list; then the sources and the licence, and an
A–Z glossary appendix (every definition whole, in 18-point text or larger). Everything
is a shape with its own text (never a picture), so a trainer can move, recolour and retype
it; speaker notes hold the full definitions in both languages, the glossaries that define
each term and the editors' notes where the glossaries disagree.

Without a template the deck is 16:9 on python-pptx's default theme (fonts set to Arial);
with ``template=`` the user's .pptx gives the slide size, theme and layouts (see
:mod:`graph.training.deck.layouts`). The slides of each kind are made by its module of
:mod:`graph.training.deck`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date
from importlib import import_module
from pathlib import Path

from pptx import Presentation

from graph.text import LANGUAGES
from graph.training.deck import credits, glossary
from graph.training.deck.common import DEFAULT_TITLE, scheme_title, shape_name
from graph.training.deck.frame import Deck
from graph.training.deck.layouts import TemplateError
from graph.training.kinds import KINDS, kind_of
from graph.vocabulary.model import Collection, Vocabulary

__all__ = ["MEDIA_TYPE", "SLIDES", "TemplateError", "UnknownCollectionError", "build_deck",
           "deck_bytes", "scheme_title", "select_collections", "shape_name"]

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

#: each kind's slides: the ``add_slides`` of its module in graph.training.deck
SLIDES: dict[str, Callable[[Deck, Collection], None]] = {
    kind: import_module(f"graph.training.deck.{kind}").add_slides for kind in KINDS}


class UnknownCollectionError(ValueError):
    """A collection id that the vocabulary does not have."""


def build_deck(vocabulary: Vocabulary, *, lang: str = "fr",
               collections: Sequence[str] | None = None, template: Path | None = None,
               title: str | None = None, day: date | None = None) -> Presentation:
    """The deck as a python-pptx ``Presentation``.

    ``collections``: ids of the collections to draw, in the order of the data
    (default: all). Raises :class:`UnknownCollectionError` for an id the data does
    not have and :class:`TemplateError` for a template that cannot be opened.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    chosen = select_collections(vocabulary, collections)
    deck = Deck(vocabulary, lang, template)
    deck.title_slide(title or DEFAULT_TITLE[lang], day or date.today())
    for collection in chosen:
        SLIDES[kind_of(collection)](deck, collection)
    credits.add_slide(deck)
    glossary.add_slides(deck)
    return deck.prs


def deck_bytes(vocabulary: Vocabulary, **options) -> bytes:
    """The deck as the bytes of a .pptx file (see :func:`build_deck` for the options)."""
    buffer = io.BytesIO()
    build_deck(vocabulary, **options).save(buffer)
    return buffer.getvalue()


def select_collections(vocabulary: Vocabulary,
                       wanted: Sequence[str] | None) -> list[Collection]:
    """The collections of ``wanted`` (all when empty), in the data's order.

    Groups are not drawn: they sort the concepts by subject, they are not structures to
    teach (a slide of twenty boxes), and every one of their members is in the glossary.
    """
    drawable = {cid: c for cid, c in vocabulary.collections.items() if not c.group}
    if not wanted:
        return list(drawable.values())
    unknown = [cid for cid in wanted if cid not in drawable]
    if unknown:
        raise UnknownCollectionError(
            f"unknown collection {', '.join(repr(c) for c in unknown)}; "
            f"the collections are: {', '.join(drawable)}")
    return [c for cid, c in drawable.items() if cid in wanted]

"""The kinds of drawing of a collection, and the one rule that gives a collection its kind.

The collection page (``/collection/<id>``, its SVG and PNG: :mod:`graph.training.diagrams`)
and the training deck (:mod:`graph.training.slides`) draw a collection the same way, chosen
here from what both can know: the ids of the concepts the collection depicts
(``depicts:`` in ``data/collections.yaml``, ``dct:subject`` in RDF), whether it is ordered,
its size, and whether its members are stages of one process (``stages: true``: consecutive
members linked by ``crmkg:precedes``).

============  ================================================  ==============================
kind          drawn as                                          when
============  ================================================  ==============================
``funnel``    stacked trapezoids narrowing downwards (and, in   it depicts the funnel
              the deck, a slide per stage)
``scale``     a scale of scores in coloured segments            it depicts the NPS
``steps``     a process: chevrons from left to right, in rows   its members are stages, 4 to 16
``cards``     a few siblings side by side, no arrows            ordered, 1 to 5 members (three
                                                                stages or fewer included)
``list``      boxes one under the other                         unordered, or too many members
============  ================================================  ==============================

Adding a kind: a row in :data:`KINDS` (and in :func:`collection_kind`'s rule), then a module
named after it in :mod:`graph.training.drawings` (its ``draw``, the SVG and PNG) and in
:mod:`graph.training.deck` (its ``add_slides``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph.vocabulary.model import Collection


@dataclass(frozen=True)
class Kind:
    """A kind of drawing: its name (also the name of its modules) and what it shows."""

    name: str
    shows: str


FUNNEL, SCALE, STEPS, CARDS, LIST = "funnel", "scale", "steps", "cards", "list"

#: every kind of drawing, by name
KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Kind(FUNNEL, "stacked trapezoids narrowing downwards, each stage's label beside it"),
    Kind(STEPS, "a process: chevrons from left to right, wrapping into rows"),
    Kind(SCALE, "a horizontal scale coloured in segments, one per member"),
    Kind(CARDS, "a few siblings side by side, no arrows"),
    Kind(LIST, "boxes one under the other: an unordered or a long collection"),
)}

#: the kind of drawing of a collection, by the id of the concept it depicts
KIND_BY_SUBJECT: dict[str, str] = {"funnel": FUNNEL, "nps": SCALE}
#: a process of fewer stages reads better as cards side by side (cold, warm and hot leads)
MIN_STEPS = 4
#: beyond this many members, steps become too small: the list is drawn instead
MAX_STEPS = 16
#: beyond this many members, cards side by side become too narrow: the list is drawn instead
MAX_CARDS = 5


def collection_kind(depicts: Iterable[str] = (), *, ordered: bool = True, size: int = 0,
                    stages: bool = False) -> str:
    """The kind of drawing of a collection (see the table above).

    ``depicts``: the ids of the concepts it depicts; ``stages``: its consecutive members are
    linked by ``crmkg:precedes`` (the stages of one process).
    """
    for subject in depicts:
        if subject in KIND_BY_SUBJECT:
            return KIND_BY_SUBJECT[subject]
    if not ordered:
        return LIST
    if stages and MIN_STEPS <= size <= MAX_STEPS:
        return STEPS
    if 1 <= size <= MAX_CARDS:
        return CARDS
    return LIST


def kind_of(collection: Collection) -> str:
    """The kind of drawing of a collection of the vocabulary model."""
    return collection_kind([collection.depicts] if collection.depicts else [],
                           ordered=collection.ordered, size=len(collection.members),
                           stages=collection.stages)

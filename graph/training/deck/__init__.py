"""The training deck's parts, one module per kind of collection.

:mod:`~graph.training.deck.common` holds the deck's words, colours and text helpers,
:mod:`~graph.training.deck.layouts` the presentation it starts from and its layouts,
:mod:`~graph.training.deck.frame` the :class:`~graph.training.deck.frame.Deck` (geometry,
text, speaker notes, the title slide). Then one module per kind of
:mod:`graph.training.kinds` (``funnel``, ``steps``, ``scale``, ``cards``, ``list``), each with
an ``add_slides(deck, collection)``; :mod:`~graph.training.deck.credits` the sources and
licence, :mod:`~graph.training.deck.glossary` the A–Z glossary. :mod:`graph.training.slides`
builds the deck.
"""

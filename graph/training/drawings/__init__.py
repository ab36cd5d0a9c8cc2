"""The drawings of the collections, as SVG and PNG, one module per kind of drawing.

:mod:`~graph.training.drawings.lettering` measures, wraps and paints text;
:mod:`~graph.training.drawings.base` holds the rest that every drawing shares (the stages,
colours, shapes, the :class:`~graph.training.drawings.base.Diagram` and its SVG and PNG).
Then one module per kind of :mod:`graph.training.kinds` (``funnel``, ``steps``, ``scale``,
``cards``, ``list``), each with a ``draw(stages, lang, *, ordered, title, description,
footer, heading)`` that returns the diagram. :mod:`graph.training.diagrams` picks the module
of a kind.
"""

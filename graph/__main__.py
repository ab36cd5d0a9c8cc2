"""``python -m graph`` is the ``crmkg`` command."""

from graph.cli import main

main()

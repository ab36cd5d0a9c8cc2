"""The CRM / marketing / sales-development vocabulary as a SKOS knowledge graph.

Data flows one way: YAML in ``data/`` → :mod:`graph.vocabulary.load` (a checked model) →
:mod:`graph.vocabulary.build` (an rdflib graph) → validation, analysis and exports.
"""

__version__ = "0.1.0"

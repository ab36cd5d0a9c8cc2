"""Labels are found whatever the case and accents."""

from __future__ import annotations

import pytest

from graph.query.search import LabelIndex
from graph.text import fold_search as fold


def test_fold():
    assert fold("Qualifié") == "qualifie"
    assert fold("  E-CRM ") == "e crm"
    assert fold("Lead tiède") == fold("LEAD TIEDE")


@pytest.mark.parametrize(("query", "concept_id"), [
    ("mql", "mql"), ("MQL", "mql"), ("Marketing Qualified Lead", "mql"),
    ("lead qualifie marketing", "mql"), ("reciblage", "retargeting"),
    ("taux d'attrition", "taux-de-churn"),
])
def test_search_finds_concepts_by_any_label(graph, query, concept_id):
    matches = LabelIndex(graph).search(query)
    assert matches[0].concept.rsplit("/", 1)[-1] == concept_id


def test_substring_matches_rank_after_exact(graph):
    matches = LabelIndex(graph).search("lead")
    assert matches[0].rank == 0 and matches[0].label.casefold() == "lead"
    assert [m.rank for m in matches] == sorted(m.rank for m in matches)


def test_empty_query(graph):
    assert LabelIndex(graph).search("  ") == []

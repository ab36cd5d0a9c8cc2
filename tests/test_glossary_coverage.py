"""Every term of every glossary is a concept, found by its usual labels, citing that glossary."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from graph.query.search import LabelIndex

HEADWORDS = yaml.safe_load((Path(__file__).parent / "glossary_headwords.yaml").read_text("utf-8"))
CASES = [(source, word) for source, words in HEADWORDS.items() for word in words]


@pytest.fixture(scope="module")
def index(graph):
    return LabelIndex(graph)


@pytest.mark.parametrize(("source", "headword"), CASES, ids=[f"{s}:{w}" for s, w in CASES])
def test_headword_is_a_concept_citing_its_glossary(graph, vocabulary, index, source, headword):
    exact = [m for m in index.search(headword, limit=50) if m.rank == 0]
    assert exact, f"no concept is labelled {headword!r}"
    citing = [m for m in exact
              if source in vocabulary.concepts[m.concept.rsplit("/", 1)[-1]].sources]
    assert citing, (f"{headword!r} labels {[m.concept for m in exact]}, none of which cites "
                    f"{source}")


def test_salesforce_blog_copy_is_cited_wherever_salesforce_is(vocabulary):
    for concept in vocabulary.concepts.values():
        assert ("salesforce" in concept.sources) == ("salesforce-blog" in concept.sources), \
            concept.id


def test_the_salesforce_headwords_are_the_numbered_entries_of_its_blog_copy():
    """The list above is checked against the glossary itself, where it can be parsed."""
    from tests.support.data import SEEDS

    blog = SEEDS / "001_05a734219d4a8882.txt"
    if not blog.exists():
        pytest.skip("../shared/seeds is not beside this clone")
    import re
    entries = re.findall(r"^\s*(?:\d+-|1\.)\s+(.+?)\s*:?\s*$", blog.read_text("utf-8"), re.M)
    assert len(entries) == 44
    words = {w.casefold() for w in HEADWORDS["salesforce"]}
    for entry in entries:
        first = re.split(r"[(/]", entry.replace("Le ", ""))[0].strip() or entry.strip("() ")
        assert first.casefold() in words, first

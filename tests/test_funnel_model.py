"""One funnel model that the definitions, the collections and the deck all tell.

The model (README, "The funnel model"): the funnel's stages are suspect → lead → MQL →
SQL → opportunity → customer; a prospect is the status of a qualified lead, whose two
kinds are MQL and SQL, not a stage of its own; after the purchase comes the customer
lifecycle; TOFU / MOFU / BOFU are the funnel's phases; lead temperatures are a scale.
"""

from __future__ import annotations

import io
import re

import pytest
from pptx import Presentation
from rdflib import URIRef

from graph.namespaces import CRMKG, SKOS
from graph.text import LANGUAGES
from graph.training.deck.common import WORDS
from graph.training.slides import deck_bytes
from graph.vocabulary.build import build_graph
from graph.vocabulary.order_claims import OrderReader, order_contradictions

CONCEPT = "https://w3id.org/crmkg/id/"
#: the ordered collections whose every member must name its neighbours in its definition
NAMED_NEIGHBOURS = ("funnel-stages", "funnel-phases")
NUMBER_WORDS = {"fr": {6: "six", 7: "sept", 5: "cinq"}, "en": {6: "six", 7: "seven", 5: "five"}}


def uri(concept_id: str) -> URIRef:
    return URIRef(CONCEPT + concept_id)


def test_no_definition_or_scope_note_contradicts_an_ordered_collection(graph):
    assert [str(c.claim) for c in order_contradictions(graph)] == []


@pytest.mark.parametrize("collection_id", NAMED_NEIGHBOURS)
def test_each_stage_names_its_neighbours_in_the_collections_order(graph, vocabulary,
                                                                  collection_id):
    members = vocabulary.collections[collection_id].members
    reader = OrderReader(graph)
    for i, member in enumerate(members):
        claims = [c for c in reader.claims(uri(member)) if c.where == "definition"]
        for lang in LANGUAGES:
            said = {(c.first, c.later) for c in claims if c.lang == lang}
            if i:
                assert (uri(members[i - 1]), uri(member)) in said, (member, lang, said)
            if i + 1 < len(members):
                assert (uri(member), uri(members[i + 1])) in said, (member, lang, said)


def test_a_reversed_claim_is_caught(data_copy, settings):
    path = data_copy.term("mql")
    data_copy.replace(path, "it comes after the lead and before",
                      "it comes before the lead and after")
    graph = build_graph(data_copy.load(), settings)
    found = list(order_contradictions(graph))
    assert {c.claim.subject for c in found} == {uri("mql")}
    assert {(c.claim.first, c.claim.later) for c in found} == {
        (uri("mql"), uri("lead")), (uri("sql"), uri("mql"))}


def test_a_prospect_is_a_status_covering_mql_and_sql_not_a_stage(graph, vocabulary):
    stages = vocabulary.collections["funnel-stages"].members
    assert "prospect" not in stages
    kinds = {c.id for c in vocabulary.concepts.values() if "prospect" in c.broader}
    assert kinds & set(stages) and kinds & set(stages) <= {"mql", "sql"} | kinds
    reader = OrderReader(graph)
    funnel = URIRef("https://w3id.org/crmkg/collection/funnel-stages")
    places = reader.places(uri("prospect"), funnel)
    assert places == sorted(stages.index(k) for k in kinds & set(stages))
    # so the lead comes before it, the opportunity after it
    assert max(reader.places(uri("lead"), funnel)) < min(places)
    assert max(places) < min(reader.places(uri("opportunite"), funnel))


def test_the_funnel_ends_at_the_purchase_and_the_lifecycle_goes_on(vocabulary):
    stages = vocabulary.collections["funnel-stages"].members
    lifecycle = vocabulary.collections["customer-lifecycle"].members
    assert set(stages) & set(lifecycle) == {stages[-1]} == {lifecycle[0]}
    assert vocabulary.collections["funnel-stages"].stages


def test_scales_are_ordered_but_their_members_do_not_precede_each_other(graph, vocabulary):
    for collection_id in ("lead-temperatures", "customer-lifecycle"):
        collection = vocabulary.collections[collection_id]
        assert collection.ordered and not collection.stages
        for a in collection.members:
            for b in collection.members:
                assert (uri(a), CRMKG.precedes, uri(b)) not in graph
    assert all("lead" in vocabulary.concepts[t].broader
               for t in vocabulary.collections["lead-temperatures"].members)


def test_the_funnel_phases_are_parts_of_the_funnel(vocabulary):
    phases = vocabulary.collections["funnel-phases"]
    assert phases.stages and len(phases.members) == 3
    assert all(vocabulary.concepts[p].broader == ["funnel"] for p in phases.members)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_funnel_scope_note_lists_the_stages_in_order(graph, vocabulary, lang):
    stages = vocabulary.collections["funnel-stages"].members
    note = str(next(n for n in graph.objects(uri("funnel"), SKOS.scopeNote)
                    if n.language == lang))
    reader = OrderReader(graph)
    pattern, owner = reader._labels(lang)
    named = []
    for match in re.finditer(pattern, note.casefold()):
        concept_id = str(owner[match.group("label")]).rsplit("/", 1)[-1]
        if concept_id in stages and concept_id not in named:
            named.append(concept_id)
    assert named == stages
    assert NUMBER_WORDS[lang][len(stages)] in note.casefold()


@pytest.fixture(scope="module", params=LANGUAGES)
def funnel_deck(request, vocabulary):
    data = deck_bytes(vocabulary, lang=request.param, collections=["funnel-stages"])
    return request.param, Presentation(io.BytesIO(data))


def _texts(slide, name: str) -> list[str]:
    shape = next(s for s in slide.shapes if s.name == name)
    return [p.text for p in shape.text_frame.paragraphs]


def test_the_deck_draws_the_funnel_in_the_collections_order(funnel_deck, vocabulary):
    lang, prs = funnel_deck
    members = [vocabulary.concepts[m] for m in vocabulary.collections["funnel-stages"].members]
    funnel = prs.slides[1]
    drawn = sorted((s for s in funnel.shapes if s.name.startswith("Stage ")),
                   key=lambda s: s.top)
    assert [s.text_frame.paragraphs[0].text.split(". ", 1)[0] for s in drawn] == \
        [str(i) for i in range(1, len(members) + 1)]
    for shape, concept in zip(drawn, members, strict=True):
        assert concept.pref_label[lang] in shape.text_frame.paragraphs[0].text


def test_each_stage_slide_agrees_with_the_collection(funnel_deck, vocabulary):
    lang, prs = funnel_deck
    members = [vocabulary.concepts[m] for m in vocabulary.collections["funnel-stages"].members]
    stage_slides = list(prs.slides)[2:2 + len(members)]
    for i, (slide, concept) in enumerate(zip(stage_slides, members, strict=True)):
        definition = _texts(slide, "Definition")[0]
        assert definition == concept.definition[lang]  # the claims checked above
        facts = _texts(slide, "Facts")
        words = WORDS[lang]
        previous = facts[facts.index(words["previous"]) + 1]
        following = facts[facts.index(words["next"]) + 1]
        assert previous == (members[i - 1].pref_label[lang] if i else words["none"])
        assert following == (members[i + 1].pref_label[lang] if i + 1 < len(members)
                             else words["none"])
        strip = sorted((s for s in slide.shapes if s.name.startswith("Position ")),
                       key=lambda s: s.left)
        assert len(strip) == len(members)

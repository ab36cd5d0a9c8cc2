"""The graph states everything explicitly and is the same for the same data."""

from __future__ import annotations

import os
import subprocess
import sys

from rdflib import Literal, URIRef
from rdflib.collection import Collection as RDFList

from graph.config import PROJECT_ROOT
from graph.namespaces import CRMKG, DCTERMS, ISOTHES, RDF, SKOS
from graph.vocabulary.build import Namespaces, build_graph


def _turtle_in_subprocess(seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-m", "graph", "export", "--format", "turtle"],
                          cwd=PROJECT_ROOT, env=env, capture_output=True, check=True).stdout


def test_same_data_gives_byte_identical_turtle():
    first, second = _turtle_in_subprocess("1"), _turtle_in_subprocess("4242")
    assert first and first == second


def test_every_concept_is_in_the_scheme_with_both_labels_and_definitions(graph, vocabulary,
                                                                         settings):
    ns = Namespaces(settings.base_uri)
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert concepts == {ns.concept[c] for c in vocabulary.concepts}
    for concept in concepts:
        assert (concept, SKOS.inScheme, ns.scheme) in graph
        for predicate in (SKOS.prefLabel, SKOS.definition):
            languages = sorted(o.language for o in graph.objects(concept, predicate))
            assert languages == ["en", "fr"], (concept, predicate)


def test_inverse_links_are_stated(graph):
    for child, parent in graph.subject_objects(SKOS.broader):
        assert (parent, SKOS.narrower, child) in graph
    for parent, child in graph.subject_objects(SKOS.narrower):
        assert (child, SKOS.broader, parent) in graph
    for a, b in graph.subject_objects(SKOS.related):
        assert (b, SKOS.related, a) in graph
    for concept, scheme in graph.subject_objects(SKOS.topConceptOf):
        assert (scheme, SKOS.hasTopConcept, concept) in graph
    for scheme, concept in graph.subject_objects(SKOS.hasTopConcept):
        assert (concept, SKOS.topConceptOf, scheme) in graph


def test_typed_relations_are_also_plain_related_and_declared(graph):
    typed = [CRMKG.precedes, CRMKG.follows, CRMKG.counterpart, CRMKG.distinguishedFrom,
             CRMKG.measuredBy, CRMKG.measures]
    seen = 0
    for predicate in typed:
        assert (predicate, URIRef("http://www.w3.org/2000/01/rdf-schema#subPropertyOf"),
                SKOS.related) in graph
        assert {o.language for o in graph.objects(predicate, URIRef(
            "http://www.w3.org/2000/01/rdf-schema#label"))} == {"fr", "en"}
        for a, b in graph.subject_objects(predicate):
            assert (a, SKOS.related, b) in graph and (b, SKOS.related, a) in graph
            seen += 1
    assert seen > 0


def test_every_extension_property_has_a_domain_and_a_range(graph):
    """Linters (and RDFS reasoners) want them: each relation links two concepts."""
    from rdflib.namespace import OWL, RDF, RDFS

    declared = set(graph.subjects(RDF.type, OWL.ObjectProperty))
    ours = {p for p in declared if str(p).startswith(str(CRMKG._NS))}
    assert len(ours) == 6
    for predicate in ours:
        assert (predicate, RDFS.domain, SKOS.Concept) in graph, predicate
        assert (predicate, RDFS.range, SKOS.Concept) in graph, predicate
        for subject, obj in graph.subject_objects(predicate):  # and the data agrees
            assert (subject, RDF.type, SKOS.Concept) in graph
            assert (obj, RDF.type, SKOS.Concept) in graph


def test_yaml_links_become_triples_both_ways(graph, vocabulary, settings):
    ns = Namespaces(settings.base_uri)
    for concept in vocabulary.concepts.values():
        iri = ns.concept[concept.id]
        for parent in concept.broader:
            assert (iri, SKOS.broader, ns.concept[parent]) in graph
            assert (ns.concept[parent], SKOS.narrower, iri) in graph
        for other in concept.typed.get("counterpart", []):
            assert (iri, CRMKG.counterpart, ns.concept[other]) in graph
            assert (ns.concept[other], CRMKG.counterpart, iri) in graph
        for other in concept.typed.get("measuredBy", []):
            assert (ns.concept[other], CRMKG.measures, iri) in graph
        for source in concept.sources:
            assert (iri, DCTERMS.source, ns.source[source]) in graph


def test_ordered_collections_keep_the_order_of_the_data(graph, vocabulary, settings):
    ns = Namespaces(settings.base_uri)
    assert vocabulary.collections
    for collection in vocabulary.collections.values():
        if collection.group:
            continue
        iri = ns.collection[collection.id]
        assert (iri, RDF.type, SKOS.OrderedCollection) in graph
        head = graph.value(iri, SKOS.memberList)
        assert list(RDFList(graph, head)) == [ns.concept[m] for m in collection.members]
        if collection.stages:
            for before, after in zip(collection.members, collection.members[1:], strict=False):
                assert (ns.concept[before], CRMKG.precedes, ns.concept[after]) in graph
                assert (ns.concept[after], CRMKG.follows, ns.concept[before]) in graph


def test_the_funnel_runs_from_suspect_to_customer(graph, settings):
    ns = Namespaces(settings.base_uri)
    funnel = [c for c in graph.subjects(DCTERMS.subject, ns.concept["funnel"])]
    assert len(funnel) == 1
    members = list(RDFList(graph, graph.value(funnel[0], SKOS.memberList)))
    labels = [str(graph.value(m, SKOS.prefLabel, any=True)) for m in members]
    order = [str(m).rsplit("/", 1)[-1] for m in members]
    for earlier, later in (("suspect", "lead"), ("lead", "mql"), ("mql", "sql"),
                           ("sql", "opportunite"), ("opportunite", "client")):
        assert order.index(earlier) < order.index(later), labels


def test_sources_are_described(graph, vocabulary, settings):
    ns = Namespaces(settings.base_uri)
    for source in vocabulary.sources.values():
        iri = ns.source[source.id]
        assert (iri, RDF.type, DCTERMS.BibliographicResource) in graph
        assert graph.value(iri, DCTERMS.title) == Literal(source.title, lang=source.language)
        assert str(graph.value(iri, DCTERMS.publisher)) == source.publisher


def test_base_uri_is_configurable(vocabulary, settings):
    other = type(settings)(settings.data_dir, settings.ontology_dir, "http://example.org/v/")
    moved = build_graph(vocabulary, other)
    assert (URIRef("http://example.org/v/id/mql"), RDF.type, SKOS.Concept) in moved
    assert (URIRef("http://example.org/v/scheme"), RDF.type, SKOS.ConceptScheme) in moved
    assert not any(str(s).startswith("https://w3id.org/crmkg/id/")
                   for s in moved.subjects(RDF.type, SKOS.Concept))


def test_groups_are_unordered_concept_groups_and_top_concepts_have_no_broader(
        graph, vocabulary, settings):
    """ISO 25964 groups (Skosmos' "groups"): skos:Collection + isothes:ConceptGroup with
    skos:member; a concept's place in a group says nothing of its broader concepts."""
    ns = Namespaces(settings.base_uri)
    groups = vocabulary.groups()
    assert groups
    for group in groups:
        iri = ns.collection[group.id]
        assert (iri, RDF.type, ISOTHES.ConceptGroup) in graph
        assert (iri, RDF.type, SKOS.Collection) in graph
        assert (iri, RDF.type, SKOS.OrderedCollection) not in graph
        assert set(graph.objects(iri, SKOS.member)) == {ns.concept[m] for m in group.members}
        assert not set(graph.objects(iri, SKOS.memberList))
    tops = set(graph.subjects(SKOS.topConceptOf, None))
    assert tops == {ns.concept[c.id] for c in vocabulary.concepts.values() if not c.broader}
    for concept in vocabulary.concepts.values():
        assert vocabulary.groups_of(concept.id), concept.id

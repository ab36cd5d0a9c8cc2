"""The relations table (graph/relations.py) agrees with itself and with ontology/ext.ttl."""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS

from graph.config import PROJECT_ROOT
from graph.namespaces import EXT_URI
from graph.relations import DRAWN, IN_FILES, RELATIONS, STAGES, TABLE, inverse_of


def test_every_relation_has_its_inverse_in_the_table():
    for relation in TABLE:
        back = inverse_of(relation)
        assert inverse_of(back) is relation
        assert back.typed == relation.typed
        assert relation.symmetric == (back is relation)


def test_every_relation_can_be_shown_and_explained():
    for relation in TABLE:
        for pair in (relation.label, relation.heading, relation.explanation):
            assert len(pair) == 2 and all(text.strip() for text in pair), relation.key
    for relation in DRAWN.values():
        assert relation.style, relation.key
    # one direction of each pair is drawn, never both
    for relation in DRAWN.values():
        assert relation.symmetric or inverse_of(relation).key not in DRAWN


def test_the_typed_relations_are_declared_in_the_extension_vocabulary():
    ext = Graph().parse(PROJECT_ROOT / "ontology" / "ext.ttl")
    declared = {p for p in ext.subjects(RDF.type, OWL.ObjectProperty) if str(p).startswith(EXT_URI)}
    typed = {r.iri for r in TABLE if r.typed}
    assert typed <= declared
    for relation in TABLE:
        if not relation.typed:
            continue
        labels = {label.language for label in ext.objects(relation.iri, RDFS.label)}
        assert labels == {"fr", "en"}, relation.key
        if relation.symmetric:
            assert (relation.iri, RDF.type, OWL.SymmetricProperty) in ext
        else:
            assert (relation.iri, OWL.inverseOf, inverse_of(relation).iri) in ext


def test_the_files_and_the_stages():
    assert set(IN_FILES) == {"counterpart", "distinguishedFrom", "measuredBy"}
    assert STAGES is RELATIONS["precedes"] and STAGES.typed

"""The checked model → one rdflib graph, with every inverse link stated.

SKOS tools do not all reason, so the graph says everything explicitly:
broader and narrower both ways, related in both directions, topConceptOf and
hasTopConcept, inScheme on every concept, and for each typed relation of our
extension both the typed link and its plain ``skos:related`` parent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection as RDFList

from graph.config import Settings
from graph.load import load_vocabulary
from graph.model import Concept, Vocabulary
from graph.namespaces import CRMKG, DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS


@dataclass(frozen=True)
class TypedRelation:
    """A relation of our extension vocabulary and the property of the other direction."""

    key: str
    forward: URIRef
    inverse: URIRef


#: YAML key → (property, inverse property); symmetric relations are their own inverse.
TYPED_RELATIONS = (
    TypedRelation("counterpart", CRMKG.counterpart, CRMKG.counterpart),
    TypedRelation("distinguishedFrom", CRMKG.distinguishedFrom, CRMKG.distinguishedFrom),
    TypedRelation("measuredBy", CRMKG.measuredBy, CRMKG.measures),
)
STAGE_RELATION = TypedRelation("precedes", CRMKG.precedes, CRMKG.follows)


class Namespaces:
    """The IRIs of one deployment, all under one base URI."""

    def __init__(self, base_uri: str):
        self.base = base_uri
        self.concept = Namespace(base_uri + "id/")
        self.collection = Namespace(base_uri + "collection/")
        self.source = Namespace(base_uri + "source/")
        self.scheme = URIRef(base_uri + "scheme")


def build_graph(vocabulary: Vocabulary, settings: Settings) -> Graph:
    """Every triple of the vocabulary: scheme, concepts, collections, sources."""
    ns = Namespaces(settings.base_uri)
    graph = Graph()
    for prefix, namespace in (("skos", SKOS), ("dct", DCTERMS), ("crmkg", CRMKG._NS),
                              ("schema", SDO), ("owl", OWL), ("prov", PROV), ("rdfs", RDFS),
                              ("xsd", XSD), ("concept", ns.concept),
                              ("collection", ns.collection), ("source", ns.source)):
        graph.bind(prefix, namespace, override=True, replace=True)

    graph.parse(settings.ontology_dir / "scheme.ttl", format="turtle", publicID=ns.base)
    # the declarations of our typed relations travel with the data, so that any SKOS
    # tool reading an export can see that they refine skos:related
    graph.parse(settings.ontology_dir / "ext.ttl", format="turtle")
    for agent in set(graph.subjects(RDF.type, SDO.Organization)):
        graph.add((agent, SDO.url, Literal(ns.base, datatype=XSD.anyURI)))
    _add_sources(graph, vocabulary, ns)
    for concept in vocabulary.concepts.values():
        _add_concept(graph, concept, vocabulary, ns)
    _add_collections(graph, vocabulary, ns)
    return graph


def build_from_settings(settings: Settings | None = None) -> tuple[Vocabulary, Graph]:
    settings = settings or Settings.from_env()
    vocabulary = load_vocabulary(settings.data_dir)
    return vocabulary, build_graph(vocabulary, settings)


def extension_graph(ontology_dir: Path) -> Graph:
    """The declarations of our typed relations (``ontology/ext.ttl``)."""
    graph = Graph()
    graph.parse(ontology_dir / "ext.ttl", format="turtle")
    return graph


def _texts(graph: Graph, subject: URIRef, predicate: URIRef, texts: dict[str, str]) -> None:
    for lang, text in texts.items():
        graph.add((subject, predicate, Literal(text, lang=lang)))


def _both_ways(graph: Graph, a: URIRef, forward: URIRef, b: URIRef, inverse: URIRef) -> None:
    graph.add((a, forward, b))
    graph.add((b, inverse, a))


def _add_concept(graph: Graph, concept: Concept, vocabulary: Vocabulary, ns: Namespaces) -> None:
    iri = ns.concept[concept.id]
    graph.add((iri, RDF.type, SKOS.Concept))
    graph.add((iri, SKOS.inScheme, ns.scheme))
    graph.add((iri, RDFS.isDefinedBy, ns.scheme))
    _texts(graph, iri, SKOS.prefLabel, concept.pref_label)
    for predicate, lists in ((SKOS.altLabel, concept.alt_label),
                             (SKOS.hiddenLabel, concept.hidden_label)):
        for lang, labels in lists.items():
            for label in labels:
                graph.add((iri, predicate, Literal(label, lang=lang)))
    _texts(graph, iri, SKOS.definition, concept.definition)
    _texts(graph, iri, SKOS.scopeNote, concept.scope_note)
    _texts(graph, iri, SKOS.editorialNote, concept.editorial_note)
    _texts(graph, iri, SKOS.example, concept.example)
    _texts(graph, iri, SKOS.historyNote, concept.history_note)
    for source_id in concept.sources:
        graph.add((iri, DCTERMS.source, ns.source[source_id]))
        graph.add((iri, PROV.wasDerivedFrom, ns.source[source_id]))
    if concept.top_concept:
        _both_ways(graph, iri, SKOS.topConceptOf, ns.scheme, SKOS.hasTopConcept)
    for parent in concept.broader:
        _both_ways(graph, iri, SKOS.broader, ns.concept[parent], SKOS.narrower)
    for theme in vocabulary.themes_of(concept.id):
        graph.add((iri, CRMKG.theme, ns.concept[theme]))
    for other in concept.related:
        _both_ways(graph, iri, SKOS.related, ns.concept[other], SKOS.related)
    for relation in TYPED_RELATIONS:
        for other in concept.typed.get(relation.key, []):
            _add_typed(graph, iri, relation, ns.concept[other])


def _add_typed(graph: Graph, a: URIRef, relation: TypedRelation, b: URIRef) -> None:
    _both_ways(graph, a, relation.forward, b, relation.inverse)
    _both_ways(graph, a, SKOS.related, b, SKOS.related)


def _add_collections(graph: Graph, vocabulary: Vocabulary, ns: Namespaces) -> None:
    for collection in vocabulary.collections.values():
        iri = ns.collection[collection.id]
        graph.add((iri, RDF.type, SKOS.OrderedCollection if collection.ordered
                   else SKOS.Collection))
        # no skos:inScheme: SKOS leaves it undefined for collections, and the SHACL
        # encodings of S37 (skohub shapes) read any subject of inScheme as a scheme
        graph.add((iri, RDFS.isDefinedBy, ns.scheme))
        _texts(graph, iri, SKOS.prefLabel, collection.pref_label)
        _texts(graph, iri, SKOS.definition, collection.definition)
        _texts(graph, iri, SKOS.scopeNote, collection.scope_note)
        for source_id in collection.sources:
            graph.add((iri, DCTERMS.source, ns.source[source_id]))
            graph.add((iri, PROV.wasDerivedFrom, ns.source[source_id]))
        if collection.depicts:
            graph.add((iri, DCTERMS.subject, ns.concept[collection.depicts]))
        members = [ns.concept[m] for m in collection.members]
        for member in members:
            graph.add((iri, SKOS.member, member))
        if collection.ordered:
            head = BNode(f"list-{collection.id}")
            RDFList(graph, head, members)
            graph.add((iri, SKOS.memberList, head))
        if collection.stages:
            for before, after in _pairs(members):
                _add_typed(graph, before, STAGE_RELATION, after)


def _pairs(items: list[URIRef]) -> Iterable[tuple[URIRef, URIRef]]:
    return zip(items, items[1:], strict=False)


def _add_sources(graph: Graph, vocabulary: Vocabulary, ns: Namespaces) -> None:
    for source in vocabulary.sources.values():
        iri = ns.source[source.id]
        graph.add((iri, RDF.type, DCTERMS.BibliographicResource))
        graph.add((iri, DCTERMS.title, Literal(source.title, lang=source.language)))
        if source.subtitle:
            graph.add((iri, DCTERMS.alternative, Literal(f"{source.title} — {source.subtitle}",
                                                         lang=source.language)))
        graph.add((iri, DCTERMS.publisher, Literal(source.publisher)))
        graph.add((iri, DCTERMS.language, Literal(source.language)))
        _texts(graph, iri, DCTERMS.type, source.kind)
        _texts(graph, iri, RDFS.comment, source.note)
        if source.date:
            graph.add((iri, DCTERMS.issued, Literal(source.date.isoformat(), datatype=XSD.date)))
        if source.terms:
            graph.add((iri, DCTERMS.extent, Literal(f"{source.terms} entries")))
        graph.add((ns.scheme, PROV.wasDerivedFrom, iri))

"""The checked model → one rdflib graph, with every inverse link stated.

SKOS tools do not all reason, so the graph says everything explicitly:
broader and narrower both ways, related in both directions, topConceptOf and
hasTopConcept, inScheme on every concept, and for each typed relation of our
extension both the typed link and its plain ``skos:related`` parent.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import XSD, BNode, Graph, Literal, Namespace, URIRef

from graph.config import Settings
from graph.namespaces import CRMKG, DCTERMS, ISOTHES, OWL, PROV, RDF, RDFS, SDO, SKOS
from graph.relations import IN_FILES, STAGES, Relation, inverse_of
from graph.vocabulary.load import MATCH_KEYS, NO_LANGUAGE, load_vocabulary
from graph.vocabulary.model import Collection, Concept, Profile, Source, Vocabulary


class Namespaces:
    """The IRIs of one deployment, all under one base URI."""

    def __init__(self, base_uri: str, vocabulary: Vocabulary | None = None):
        self.base = base_uri
        self.concept = Namespace(base_uri + "id/")
        self.collection = Namespace(base_uri + "collection/")
        self.source = Namespace(base_uri + "source/")
        self.scheme = URIRef(base_uri + "scheme")
        self._uris: dict[tuple[str, str], URIRef] = {}
        profile = vocabulary.profile if vocabulary is not None else None
        self.schemes: dict[str, URIRef] = {}
        if profile is not None and vocabulary is not None:
            # an imported vocabulary: its own namespace and schemes, and URIs kept as they were
            self.scheme = URIRef(profile.main_uri)
            self.schemes = {key: URIRef(uri) for key, uri in profile.schemes.items()}
            for kind, items in (("concept", vocabulary.concepts),
                                ("collection", vocabulary.collections),
                                ("source", vocabulary.sources)):
                for item_id, item in items.items():
                    if item.uri:
                        self._uris[kind, item_id] = URIRef(item.uri)

    def concept_iri(self, concept_id: str) -> URIRef:
        return self._uris.get(("concept", concept_id)) or self.concept[concept_id]

    def collection_iri(self, collection_id: str) -> URIRef:
        return self._uris.get(("collection", collection_id)) or self.collection[collection_id]

    def source_iri(self, source_id: str) -> URIRef:
        return self._uris.get(("source", source_id)) or self.source[source_id]


def _derives(vocabulary: Vocabulary, name: str) -> bool:
    """Whether the build states ``name`` (see graph.vocabulary.load.PROFILE_BUILD): always
    for our data."""
    return vocabulary.profile is None or vocabulary.profile.derives(name)


def build_graph(vocabulary: Vocabulary, settings: Settings) -> Graph:
    """Every triple of the vocabulary: scheme, concepts, collections, sources."""
    if vocabulary.profile is not None:
        return _build_imported(vocabulary, vocabulary.profile, settings)
    ns = Namespaces(settings.base_uri)
    graph = Graph()
    _bind(graph, ns)

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


def _bind(graph: Graph, ns: Namespaces) -> None:
    for prefix, namespace in (("skos", SKOS), ("dct", DCTERMS), ("crmkg", CRMKG._NS),
                              ("schema", SDO), ("owl", OWL), ("prov", PROV), ("rdfs", RDFS),
                              ("isothes", ISOTHES),
                              ("xsd", XSD), ("concept", ns.concept),
                              ("collection", ns.collection), ("source", ns.source)):
        graph.bind(prefix, namespace, override=True, replace=True)


def _build_imported(vocabulary: Vocabulary, profile: Profile, settings: Settings) -> Graph:
    """An imported vocabulary (a folder with vocabulary.yaml): its scheme.ttl instead of
    ours, its URIs, and only the derived statements that its profile asks for."""
    ns = Namespaces(profile.base, vocabulary)
    graph = Graph()
    _bind(graph, ns)
    if profile.metadata is not None:
        taken = {str(namespace) for _prefix, namespace in graph.namespaces()}
        for prefix, namespace in profile.metadata.namespaces():
            if str(namespace) not in taken:
                graph.bind(prefix, namespace, override=False)
        for triple in profile.metadata:
            graph.add(triple)
    if profile.derives("extension"):
        graph.parse(settings.ontology_dir / "ext.ttl", format="turtle")
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


def _lang(lang: str) -> str | None:
    return None if lang == NO_LANGUAGE else lang


def _texts(graph: Graph, subject: URIRef, predicate: URIRef, texts: dict[str, str]) -> None:
    for lang, text in texts.items():
        graph.add((subject, predicate, Literal(text, lang=_lang(lang))))


def _both_ways(graph: Graph, a: URIRef, forward: URIRef, b: URIRef, inverse: URIRef,
               inverse_too: bool = True) -> None:
    graph.add((a, forward, b))
    if inverse_too:
        graph.add((b, inverse, a))


def _labels(graph: Graph, subject: URIRef, predicate: URIRef,
            lists: dict[str, list[str]]) -> None:
    for lang, labels in lists.items():
        for label in labels:
            graph.add((subject, predicate, Literal(label, lang=_lang(lang))))


def _add_concept(graph: Graph, concept: Concept, vocabulary: Vocabulary, ns: Namespaces) -> None:
    iri = ns.concept_iri(concept.id)
    profile = vocabulary.profile
    graph.add((iri, RDF.type, SKOS.Concept))
    if profile is None:
        graph.add((iri, SKOS.inScheme, ns.scheme))
    else:
        schemes = profile.in_scheme if concept.in_scheme is None else concept.in_scheme
        for scheme_id in schemes:
            graph.add((iri, SKOS.inScheme, ns.schemes[scheme_id]))
    if _derives(vocabulary, "definedBy"):
        graph.add((iri, RDFS.isDefinedBy, ns.scheme))
    _texts(graph, iri, SKOS.prefLabel, concept.pref_label)
    _labels(graph, iri, SKOS.altLabel, concept.alt_label)
    _labels(graph, iri, SKOS.hiddenLabel, concept.hidden_label)
    _texts(graph, iri, SKOS.definition, concept.definition)
    _texts(graph, iri, SKOS.scopeNote, concept.scope_note)
    _texts(graph, iri, SKOS.editorialNote, concept.editorial_note)
    _texts(graph, iri, SKOS.example, concept.example)
    _texts(graph, iri, SKOS.historyNote, concept.history_note)
    for key, texts in concept.extra_notes.items():
        _labels(graph, iri, SKOS[key], texts)
    for text, datatype in concept.notation:
        graph.add((iri, SKOS.notation, Literal(text, datatype=URIRef(datatype)
                                               if datatype else None)))
    for key in MATCH_KEYS:
        for target in concept.matches.get(key, []):
            graph.add((iri, SKOS[key], URIRef(target)))
    provenance = _derives(vocabulary, "provenance")
    if concept.not_in_glossaries:
        graph.add((iri, CRMKG.notInGlossaries, Literal(True)))
    for source_id in concept.sources:
        graph.add((iri, DCTERMS.source, ns.source_iri(source_id)))
        if provenance:
            graph.add((iri, PROV.wasDerivedFrom, ns.source_iri(source_id)))
    top = _derives(vocabulary, "hasTopConcept")
    if concept.top_concept:
        _both_ways(graph, iri, SKOS.topConceptOf, ns.scheme, SKOS.hasTopConcept, top)
    for scheme_id in concept.top_concept_of:
        _both_ways(graph, iri, SKOS.topConceptOf, ns.schemes[scheme_id], SKOS.hasTopConcept,
                   top)
    narrower = _derives(vocabulary, "narrower")
    for parent in concept.broader:
        _both_ways(graph, iri, SKOS.broader, ns.concept_iri(parent), SKOS.narrower, narrower)
    both = _derives(vocabulary, "relatedBothWays")
    for other in concept.related:
        _both_ways(graph, iri, SKOS.related, ns.concept_iri(other), SKOS.related, both)
    for relation in IN_FILES.values():
        for other in concept.typed.get(relation.key, []):
            _add_typed(graph, iri, relation, ns.concept_iri(other))


def _add_typed(graph: Graph, a: URIRef, relation: Relation, b: URIRef) -> None:
    _both_ways(graph, a, relation.iri, b, inverse_of(relation).iri)
    _both_ways(graph, a, SKOS.related, b, SKOS.related)


def _add_collections(graph: Graph, vocabulary: Vocabulary, ns: Namespaces) -> None:
    for collection in vocabulary.collections.values():
        _add_collection(graph, collection, vocabulary, ns)


def _add_collection(graph: Graph, collection: Collection, vocabulary: Vocabulary,
                    ns: Namespaces) -> None:
    iri = ns.collection_iri(collection.id)
    if collection.ordered:
        graph.add((iri, RDF.type, SKOS.OrderedCollection))
    # an ordered one too, stated rather than left to inference: validators that target
    # skos:Collection (VocPub, voc4cat) run without RDFS inference and skipped them
    graph.add((iri, RDF.type, SKOS.Collection))
    if collection.group:
        graph.add((iri, RDF.type, ISOTHES.ConceptGroup))
    if vocabulary.profile is None:  # ours; VocPub 2.2.3: a collection names its scheme
        graph.add((iri, SKOS.inScheme, ns.scheme))
    for scheme_id in collection.in_scheme:
        graph.add((iri, SKOS.inScheme, ns.schemes[scheme_id]))
    if _derives(vocabulary, "definedBy"):
        graph.add((iri, RDFS.isDefinedBy, ns.scheme))
    _texts(graph, iri, SKOS.prefLabel, collection.pref_label)
    _labels(graph, iri, SKOS.altLabel, collection.alt_label)
    _labels(graph, iri, SKOS.hiddenLabel, collection.hidden_label)
    _texts(graph, iri, SKOS.definition, collection.definition)
    _texts(graph, iri, SKOS.scopeNote, collection.scope_note)
    provenance = _derives(vocabulary, "provenance")
    for source_id in collection.sources:
        graph.add((iri, DCTERMS.source, ns.source_iri(source_id)))
        if provenance:
            graph.add((iri, PROV.wasDerivedFrom, ns.source_iri(source_id)))
    if collection.depicts:
        graph.add((iri, DCTERMS.subject, ns.concept_iri(collection.depicts)))
    members = [ns.concept_iri(m) for m in collection.members]
    if not collection.ordered or _derives(vocabulary, "orderedMembers"):
        for member in members:
            graph.add((iri, SKOS.member, member))
    if collection.ordered:
        graph.add((iri, SKOS.memberList, _add_list(graph, f"list-{collection.id}", members)))
    if collection.stages:
        for before, after in _pairs(members):
            _add_typed(graph, before, STAGES, after)


def _add_list(graph: Graph, name: str, items: list[URIRef]) -> URIRef | BNode:
    """An RDF list whose blank nodes are named after it (``list-funnel-stages``,
    ``list-funnel-stages-2`` …): the same data gives the same labels, so every export is
    the same from run to run (rdflib's Collection draws random ones)."""
    if not items:
        return RDF.nil
    cells = [BNode(name if i == 0 else f"{name}-{i + 1}") for i in range(len(items))]
    for cell, item, rest in zip(cells, items, [*cells[1:], RDF.nil], strict=True):
        graph.add((cell, RDF.first, item))
        graph.add((cell, RDF.rest, rest))
    return cells[0]


def _pairs(items: list[URIRef]) -> Iterable[tuple[URIRef, URIRef]]:
    return zip(items, items[1:], strict=False)


def _add_sources(graph: Graph, vocabulary: Vocabulary, ns: Namespaces) -> None:
    for source in vocabulary.sources.values():
        _add_source(graph, source, vocabulary, ns)


def _add_source(graph: Graph, source: Source, vocabulary: Vocabulary, ns: Namespaces) -> None:
    iri = ns.source_iri(source.id)
    imported = vocabulary.profile is not None
    graph.add((iri, RDF.type, DCTERMS.BibliographicResource))
    if source.title or not imported:
        graph.add((iri, DCTERMS.title, Literal(source.title, lang=source.language)))
    if source.subtitle:
        graph.add((iri, DCTERMS.alternative, Literal(f"{source.title} — {source.subtitle}",
                                                     lang=source.language)))
    if source.publisher or not imported:
        graph.add((iri, DCTERMS.publisher, Literal(source.publisher)))
    if source.language or not imported:
        graph.add((iri, DCTERMS.language, Literal(source.language)))
    _texts(graph, iri, DCTERMS.type, source.kind)
    _texts(graph, iri, RDFS.comment, source.note)
    if source.date:
        graph.add((iri, DCTERMS.issued, Literal(source.date.isoformat(), datatype=XSD.date)))
    if source.terms:
        graph.add((iri, DCTERMS.extent, Literal(f"{source.terms} entries")))
    if _derives(vocabulary, "provenance"):
        graph.add((ns.scheme, PROV.wasDerivedFrom, iri))

"""What the mapping of RDF onto the model shares: the properties each YAML key holds, the
reasons a triple is dropped, and the state and helpers that every part of the mapping uses
(see :class:`graph.importer.map._Mapper`)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graph.importer.read import SourceFile
from graph.namespaces import DCTERMS, EXT_URI, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD
from graph.relations import IN_FILES, inverse_of
from graph.vocabulary.load import MATCH_KEYS, NO_LANGUAGE

EXT_ONTOLOGY = URIRef(EXT_URI.rstrip("#"))
FOAF = "http://xmlns.com/foaf/0.1/"
DC = "http://purl.org/dc/elements/1.1/"


#: YAML key of each note, in the order of our files
NOTES = {"definition": SKOS.definition, "scopeNote": SKOS.scopeNote,
         "editorialNote": SKOS.editorialNote, "example": SKOS.example,
         "historyNote": SKOS.historyNote, "note": SKOS.note, "changeNote": SKOS.changeNote}
LABELS = {"prefLabel": SKOS.prefLabel, "altLabel": SKOS.altLabel,
          "hiddenLabel": SKOS.hiddenLabel}
MATCHES = {key: SKOS[key] for key in MATCH_KEYS}
#: typed relations of our extension written in term files: property → (YAML key, whether
#: the pair is reversed: crmkg:measures is measuredBy read the other way)
TYPED = {**{r.iri: (r.key, False) for r in IN_FILES.values()},
         **{inverse_of(r).iri: (r.key, True) for r in IN_FILES.values() if not r.symmetric}}
SYMMETRIC = {r.key for r in IN_FILES.values() if r.symmetric}
#: properties by which a scheme names an agent whose description goes to scheme.ttl too
AGENT_PROPERTIES = {DCTERMS.creator, DCTERMS.publisher, DCTERMS.contributor,
                    DCTERMS.rightsHolder, URIRef(DC + "creator"), URIRef(DC + "publisher"),
                    URIRef(DC + "contributor"), SDO.creator, SDO.publisher, SDO.author,
                    SDO.copyrightHolder, SDO.contributor, SDO.maintainer,
                    URIRef(FOAF + "maker")}
AGENT_CLASSES = {URIRef(FOAF + "Agent"), URIRef(FOAF + "Person"), URIRef(FOAF + "Organization"),
                 SDO.Organization, SDO.Person, DCTERMS.Agent, PROV.Agent,
                 URIRef("http://www.w3.org/ns/org#Organization")}

WELL_KNOWN = {"skos": str(SKOS), "rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL),
              "xsd": str(XSD), "dct": str(DCTERMS), "dc": DC, "prov": str(PROV),
              "schema": str(SDO), "crmkg": EXT_URI, "foaf": FOAF}

# why a triple is not held (the report groups by these)
WHY_PROPERTY = "a property of {what} that the model does not hold"
WHY_CLASS = "another class of a {what} (the model holds only {cls})"
WHY_NOT_CONCEPT = "a link to something that is not a concept of the file"
WHY_SELF = "a link from a concept to itself"
WHY_VALUE = "a value the model cannot hold here ({kind})"
WHY_S14 = "a second skos:prefLabel in one language (SKOS S14)"
WHY_S13 = "a label that is also the concept's {other} in that language (SKOS S13)"
WHY_ONE_PER_LANGUAGE = "a second {key} in one language (a {what} holds one)"
WHY_SOURCE = "dct:source citing something that the file does not describe"
WHY_DERIVED = "a {prop} that the build does not derive here ({flag}: false)"
WHY_SCHEME_LINK = "a link from a scheme to a concept or collection (other than " \
                  "skos:hasTopConcept)"
WHY_OTHER = "a resource that is not a concept, collection, scheme or source"
WHY_EXT = "differs from our extension's declarations (ontology/ext.ttl)"
WHY_STAGES = "crmkg:precedes/follows outside the stages of an ordered collection"
WHY_LIST = "an ordered collection's list that is malformed or holds something other " \
           "than concepts"
WHY_MEMBER = "a member that is missing from its ordered collection's list"
WHY_DEPICTS = "a second dct:subject of a collection (it depicts one concept)"
WHY_SOURCE_FIELD = "a detail of a source that the model cannot hold ({detail})"

#: the statements of a subject by predicate, each popped once mapped (the rest is dropped)
_ByPredicate = dict[Node, list[Node]]


@dataclass
class _Item:
    """What the YAML of one concept, collection or source will say."""

    id: str
    uri: str
    fields: dict[str, Any] = field(default_factory=dict)


class _MapperBase:
    """The state of a mapping and the helpers its parts share (each part is a class of
    its own, mixed into :class:`graph.importer.map._Mapper`)."""

    # what the file holds, and the ids of each kind (set by _Mapper.run)
    concepts: set[URIRef]
    collections: set[URIRef]
    schemes: set[URIRef]
    sources: set[URIRef]
    ext_subjects: set[Node]
    main: URIRef  # None until run() names one for a file without a scheme
    base: str
    flags: dict[str, bool]
    cid: dict[URIRef, str]
    kid: dict[URIRef, str]
    sid: dict[URIRef, str]
    schid: dict[URIRef, str]
    # what the parts of the mapping gather
    items: dict[URIRef, _Item]
    broader: dict[URIRef, set[URIRef]]
    related: dict[URIRef, set[URIRef]]
    typed: dict[str, set[tuple[URIRef, URIRef]]]
    tops: dict[URIRef, set[URIRef]]
    implied_related: set[tuple[URIRef, URIRef]]
    stage_pairs: set[tuple[URIRef, URIRef]]
    list_nodes: set[Node]
    metadata: Graph
    metadata_subjects: set[Node]
    default_in_scheme: list[str]

    def __init__(self, source: SourceFile, base_uri: str | None, ext: Graph):
        self.src = source
        self.g = source.graph
        self.ext = ext
        # CURIEs for the report: our usual prefixes first, then those the file declares
        self.prefixes = dict(WELL_KNOWN)
        for prefix, namespace in sorted(source.prefixes.items()):
            if prefix and namespace and namespace not in self.prefixes.values():
                self.prefixes.setdefault(prefix, namespace)
        self.drops: dict[tuple[Node, Node, Node], str] = {}
        self.base_uri = base_uri
        self.renamed: list[tuple[str, str]] = []

    # -- helpers --
    def curie(self, node: Node) -> str:
        text = str(node)
        best, length = None, 0
        for prefix, namespace in self.prefixes.items():
            if text.startswith(namespace) and len(namespace) > length:
                rest = text[len(namespace):]
                if re.fullmatch(r"[A-Za-z_][\w.-]*", rest or "x"):
                    best, length = prefix, len(namespace)
        if best is not None:
            return f"{best}:{text[length:]}"
        return f"<{text}>"

    def drop(self, triple: tuple[Node, Node, Node], why: str) -> None:
        self.drops.setdefault(triple, why)

    # -- lists --
    def _list_items(self, collection: URIRef) -> tuple[list[URIRef] | None, list[Node]]:
        """The concepts of an ordered collection's memberList and its list nodes, or None."""
        heads = list(self.g.objects(collection, SKOS.memberList))
        if len(heads) != 1:
            return None, []
        node, items, nodes = heads[0], [], []
        seen: set[Node] = set()
        while node != RDF.nil:
            if not isinstance(node, BNode) or node in seen:
                return None, nodes
            seen.add(node)
            nodes.append(node)
            pairs = list(self.g.predicate_objects(node))
            firsts = [o for p, o in pairs if p == RDF.first]
            rests = [o for p, o in pairs if p == RDF.rest]
            others = [p for p, _ in pairs if p not in (RDF.first, RDF.rest, RDF.type)
                      or (p == RDF.type and _ != RDF.List)]
            if (len(firsts) != 1 or len(rests) != 1 or others or firsts[0] not in self.concepts
                    or firsts[0] in items):
                return None, nodes
            items.append(firsts[0])
            node = rests[0]
        return items, nodes

    # -- labels and notes --
    def _texts(self, subject: URIRef, predicate: URIRef, values: list[Node], key: str,
               single: bool, what: str) -> dict[str, Any]:
        """Language → text (``single``) or texts; anything else is dropped."""
        by_lang: dict[str, list[str]] = defaultdict(list)
        for value in values:
            triple = (subject, predicate, value)
            if not isinstance(value, Literal):
                self.drop(triple, WHY_VALUE.format(kind="not a literal"))
            elif value.datatype is not None:
                self.drop(triple, WHY_VALUE.format(kind="a typed literal"))
            elif not str(value).strip():
                self.drop(triple, WHY_VALUE.format(kind="an empty text"))
            else:
                by_lang[value.language or NO_LANGUAGE].append(str(value))
        result: dict[str, Any] = {}
        for lang in sorted(by_lang):
            texts = sorted(by_lang[lang])
            if single:
                result[lang] = texts[0]
                for extra in texts[1:]:
                    self.drop((subject, predicate, _lit(extra, lang)),
                              WHY_S14 if key == "prefLabel" else
                              WHY_ONE_PER_LANGUAGE.format(key=key, what=what))
            else:
                result[lang] = texts
        return result

    def _objects_by_predicate(self, subject: URIRef) -> dict[Node, list[Node]]:
        """The subject's statements, by predicate: each mapped one is popped, the rest reported."""
        by_predicate: dict[Node, list[Node]] = defaultdict(list)
        for predicate, value in self.g.predicate_objects(subject):
            by_predicate[predicate].append(value)
        return by_predicate

    def _drop_unmapped(self, subject: URIRef, by_predicate: dict[Node, list[Node]],
                       what: str) -> None:
        """What is left of ``by_predicate`` once each mapped property has been popped."""
        for predicate, values in by_predicate.items():
            for value in values:
                self.drop((subject, predicate, value), WHY_PROPERTY.format(what=what))

    @staticmethod
    def _why_link(concept: Node, value: Node) -> str:
        return WHY_SELF if value == concept else WHY_NOT_CONCEPT

    def _sources_of(self, subject: URIRef, by_predicate: dict[Node, list[Node]],
                    item: _Item) -> None:
        cited = []
        for value in by_predicate.pop(DCTERMS.source, []):
            if value in self.sources:
                cited.append(value)
            else:
                self.drop((subject, DCTERMS.source, value), WHY_SOURCE)
        for value in by_predicate.pop(PROV.wasDerivedFrom, []):
            if not (self.flags["provenance"] and value in cited):
                self.drop((subject, PROV.wasDerivedFrom, value),
                          WHY_PROPERTY.format(what="concepts and collections")
                          if value not in cited else
                          WHY_DERIVED.format(prop="prov:wasDerivedFrom", flag="provenance"))
        if cited:
            item.fields["sources"] = sorted(self.sid[s] for s in cited)


def _lit(text: str, lang: str) -> Literal:
    return Literal(text, lang=None if lang == NO_LANGUAGE else lang)


"""The mapping of what surrounds the concepts: collections (``collections.yaml``), the
concept schemes and the agents they name (``scheme.ttl``), and the sources that
``dct:source`` cites (``sources.yaml``)."""

from __future__ import annotations

import contextlib
import re
from datetime import date
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from graph.importer.map_base import (
    AGENT_CLASSES,
    AGENT_PROPERTIES,
    LABELS,
    NOTES,
    WHY_CLASS,
    WHY_DEPICTS,
    WHY_DERIVED,
    WHY_LIST,
    WHY_MEMBER,
    WHY_NOT_CONCEPT,
    WHY_PROPERTY,
    WHY_SCHEME_LINK,
    WHY_SOURCE_FIELD,
    WHY_VALUE,
    _ByPredicate,
    _Item,
    _MapperBase,
)
from graph.namespaces import DCTERMS, ISOTHES, PROV, RDF, RDFS, SKOS, XSD
from graph.relations import STAGES, inverse_of


class _CollectionMapping(_MapperBase):
    """Collections, plain or ordered (an ordered one may be the stages of a process)."""

    # -- collections --
    def _map_collections(self) -> dict[str, dict[str, Any]]:
        self.stage_pairs = set()
        result: dict[str, dict[str, Any]] = {}
        for collection in sorted(self.collections):
            item = self._map_collection(collection)
            result[item.id] = item.fields
        return dict(sorted(result.items()))

    def _map_collection(self, collection: URIRef) -> _Item:
        item = _Item(self.kid[collection], str(collection))
        by_predicate = self._objects_by_predicate(collection)
        f = item.fields
        if item.uri != self.base + "collection/" + item.id:
            f["uri"] = item.uri
        self._collection_texts(collection, by_predicate, f)
        ordered = (collection, RDF.type, SKOS.OrderedCollection) in self.g
        for value in by_predicate.pop(RDF.type, []):
            if value == ISOTHES.ConceptGroup and not ordered:
                f["group"] = True
            elif value not in (SKOS.Collection, SKOS.OrderedCollection):
                self.drop((collection, RDF.type, value),
                          WHY_CLASS.format(what="collection",
                                           cls="skos:Collection, skos:OrderedCollection or "
                                               "isothes:ConceptGroup (unordered)"))
        members = list(by_predicate.pop(SKOS.member, []))
        heads = by_predicate.pop(SKOS.memberList, [])
        items = self._member_list(collection, heads, ordered)
        if items is not None:
            self._ordered_members(collection, members, items, f)
        else:
            self._plain_members(collection, members, f)
        schemes = []
        for value in by_predicate.pop(SKOS.inScheme, []):
            if value in self.schemes:
                schemes.append(self.schid[value])
            else:
                self.drop((collection, SKOS.inScheme, value), WHY_NOT_CONCEPT)
        if schemes:
            f["inScheme"] = sorted(schemes)
        for value in by_predicate.pop(RDFS.isDefinedBy, []):
            if not (self.flags["definedBy"] and value == self.main):
                self.drop((collection, RDFS.isDefinedBy, value),
                          WHY_PROPERTY.format(what="collections"))
        self._sources_of(collection, by_predicate, item)
        self._collection_depicts(collection, by_predicate, f)
        self._drop_unmapped(collection, by_predicate, "collections")
        return item

    def _collection_texts(self, collection: URIRef, by_predicate: _ByPredicate,
                          f: dict[str, Any]) -> None:
        for key in ("prefLabel", "altLabel", "hiddenLabel"):
            texts = self._texts(collection, LABELS[key], by_predicate.pop(LABELS[key], []),
                                key, key == "prefLabel", "collection")
            if texts:
                f[key] = texts
        for key in ("definition", "scopeNote"):
            texts = self._texts(collection, NOTES[key], by_predicate.pop(NOTES[key], []),
                                key, True, "collection")
            if texts:
                f[key] = texts

    def _member_list(self, collection: URIRef, heads: list[Node],
                     ordered: bool) -> list[URIRef] | None:
        """The concepts of an ordered collection's list, in order; None for a collection
        that is not ordered, or whose list is malformed (then the list is dropped, and the
        collection is held as a plain one)."""
        if ordered:
            items, nodes = self._list_items(collection)
            if items is not None:
                self.list_nodes.update(nodes)
                return items
        for head in heads:
            self.drop((collection, SKOS.memberList, head), WHY_LIST)
        if ordered:
            self.drop((collection, RDF.type, SKOS.OrderedCollection), WHY_LIST)
        return None

    def _ordered_members(self, collection: URIRef, members: list[Node], items: list[URIRef],
                         f: dict[str, Any]) -> None:
        g = self.g
        for member in members:
            if member not in items:
                self.drop((collection, SKOS.member, member), WHY_MEMBER)
            elif not self.flags["orderedMembers"]:
                self.drop((collection, SKOS.member, member),
                          WHY_DERIVED.format(prop="skos:member of an ordered "
                                             "collection", flag="orderedMembers"))
        f["members"] = [self.cid[m] for m in items]
        pairs = list(zip(items, items[1:], strict=False))
        if pairs and all((a, STAGES.iri, b) in g and (b, inverse_of(STAGES).iri, a) in g
                         for a, b in pairs):
            f["stages"] = True
            self.stage_pairs.update(pairs)
            for a, b in pairs:
                self.implied_related.update({(a, b), (b, a)})

    def _plain_members(self, collection: URIRef, members: list[Node],
                       f: dict[str, Any]) -> None:
        kept = []
        for member in members:
            if member in self.concepts:
                kept.append(self.cid[member])
            else:
                self.drop((collection, SKOS.member, member),
                          WHY_VALUE.format(kind="a member that is not a concept"))
        f["members"] = sorted(kept)
        if not f.get("group"):  # a group is unordered without saying so
            f["ordered"] = False

    def _collection_depicts(self, collection: URIRef, by_predicate: _ByPredicate,
                            f: dict[str, Any]) -> None:
        subjects = sorted(v for v in by_predicate.pop(DCTERMS.subject, [])
                          if v in self.concepts)
        for value in self.g.objects(collection, DCTERMS.subject):
            if value not in self.concepts:
                self.drop((collection, DCTERMS.subject, value), WHY_NOT_CONCEPT)
            elif value != subjects[0]:
                self.drop((collection, DCTERMS.subject, value), WHY_DEPICTS)
        if subjects:
            f["depicts"] = self.cid[subjects[0]]


class _SchemeMapping(_MapperBase):
    """Concept schemes: their description goes to scheme.ttl, with the agents they name."""

    # -- schemes: their description goes to scheme.ttl --
    def _map_schemes(self) -> None:
        g = self.g
        held = self.concepts | self.collections
        for scheme in sorted(self.schemes):
            for predicate, value in g.predicate_objects(scheme):
                triple = (scheme, predicate, value)
                if predicate == SKOS.hasTopConcept:
                    if value in self.concepts:
                        self.tops[value].add(scheme)
                        if not self.flags["hasTopConcept"]:
                            self.drop(triple, WHY_DERIVED.format(prop="skos:hasTopConcept",
                                                                 flag="hasTopConcept"))
                    else:
                        self.drop(triple, WHY_NOT_CONCEPT)
                elif (predicate == PROV.wasDerivedFrom and value in self.sources
                      and self.flags["provenance"] and scheme == self.main):
                    continue  # derived from the sources
                elif value in held:
                    self.drop(triple, WHY_SCHEME_LINK)
                else:
                    self._describe(triple)
                    if isinstance(value, URIRef) and value not in self.schemes \
                            and value not in self.sources and value not in self.ext_subjects \
                            and (predicate in AGENT_PROPERTIES
                                 or any((value, RDF.type, c) in g for c in AGENT_CLASSES)):
                        for p2, o2 in g.predicate_objects(value):
                            self._describe((value, p2, o2))

    def _describe(self, triple: tuple[Node, Node, Node]) -> None:
        """Into scheme.ttl, with the blank nodes it leads to."""
        if triple in self.metadata:
            return
        self.metadata.add(triple)
        self.metadata_subjects.add(triple[0])
        value = triple[2]
        if isinstance(value, BNode) and value not in self.metadata_subjects:
            self.metadata_subjects.add(value)
            for p2, o2 in self.g.predicate_objects(value):
                self._describe((value, p2, o2))


class _SourceMapping(_MapperBase):
    """Sources: the few details of a work that sources.yaml holds."""

    # -- sources --
    def _map_sources(self) -> dict[str, dict[str, Any]]:
        result: dict[str, dict[str, Any]] = {}
        for source in sorted(self.sources):
            item = self._map_source(source)
            result[item.id] = item.fields
        return dict(sorted(result.items()))

    def _map_source(self, source: URIRef) -> _Item:
        item = _Item(self.sid[source], str(source))
        f = item.fields
        if item.uri != self.base + "source/" + item.id:
            f["uri"] = item.uri
        by_predicate = self._objects_by_predicate(source)
        for value in by_predicate.pop(RDF.type, []):
            if value != DCTERMS.BibliographicResource:
                self.drop((source, RDF.type, value),
                          WHY_CLASS.format(what="source", cls="dct:BibliographicResource"))
        language = self._source_title(source, by_predicate, f)
        self._source_publisher_and_language(source, by_predicate, f, language)
        for key, predicate in (("kind", DCTERMS.type), ("note", RDFS.comment)):
            texts = self._texts(source, predicate, by_predicate.pop(predicate, []), key,
                                True, "source")
            if texts:
                f[key] = texts
        self._source_date_and_extent(source, by_predicate, f)
        self._drop_unmapped(source, by_predicate, "sources")
        return item

    def _skip(self, source: URIRef, predicate: Node, value: Node, detail: str) -> None:
        self.drop((source, predicate, value), WHY_SOURCE_FIELD.format(detail=detail))

    def _source_title(self, source: URIRef, by_predicate: _ByPredicate,
                      f: dict[str, Any]) -> str | None:
        """The title and subtitle; returns the title's language (the source's)."""
        titles = sorted((v for v in by_predicate.pop(DCTERMS.title, [])),
                        key=lambda v: (str(v), str(getattr(v, "language", ""))))
        title: Literal | None = None
        for value in titles:
            if (title is None and isinstance(value, Literal) and value.datatype is None
                    and str(value).strip() == str(value) and str(value)):
                title = value
            else:
                self._skip(source, DCTERMS.title, value, "a second or unusual title")
        language = title.language if title is not None else None
        if title is not None:
            f["title"] = str(title)
        for value in by_predicate.pop(DCTERMS.alternative, []):
            prefix = f"{title} — " if title is not None else None
            if (prefix and isinstance(value, Literal) and value.language == language
                    and str(value).startswith(prefix) and "subtitle" not in f
                    and str(value)[len(prefix):].strip() == str(value)[len(prefix):]
                    and str(value)[len(prefix):]):
                f["subtitle"] = str(value)[len(prefix):]
            else:
                self._skip(source, DCTERMS.alternative, value, "an alternative title other "
                           "than 'title — subtitle'")
        return language

    def _source_publisher_and_language(self, source: URIRef, by_predicate: _ByPredicate,
                                       f: dict[str, Any], language: str | None) -> None:
        for value in by_predicate.pop(DCTERMS.publisher, []):
            if (isinstance(value, Literal) and not value.language and not value.datatype
                    and "publisher" not in f and str(value).strip() == str(value)
                    and str(value)):
                f["publisher"] = str(value)
            else:
                self._skip(source, DCTERMS.publisher, value,
                           "a publisher that is not one plain text")
        for value in by_predicate.pop(DCTERMS.language, []):
            if (isinstance(value, Literal) and not value.language and not value.datatype
                    and language is not None and str(value) == language):
                f["language"] = language
            else:
                self._skip(source, DCTERMS.language, value, "a language other than the title's")
        if language is not None:
            f["language"] = language

    def _source_date_and_extent(self, source: URIRef, by_predicate: _ByPredicate,
                                f: dict[str, Any]) -> None:
        for value in by_predicate.pop(DCTERMS.issued, []):
            day = _date(value)
            if day is not None and "date" not in f:
                f["date"] = day
            else:
                self._skip(source, DCTERMS.issued, value, "a date that is not one xsd:date")
        for value in by_predicate.pop(DCTERMS.extent, []):
            match = re.fullmatch(r"([1-9][0-9]*) entries", str(value))
            if (match and isinstance(value, Literal) and not value.language
                    and not value.datatype and "terms" not in f):
                f["terms"] = int(match.group(1))
            else:
                self._skip(source, DCTERMS.extent, value, "an extent other than 'N entries'")


def _date(value: Node) -> date | None:
    if isinstance(value, Literal) and value.datatype == XSD.date:
        with contextlib.suppress(ValueError):
            day = date.fromisoformat(str(value))
            if day.isoformat() == str(value):
                return day
    return None

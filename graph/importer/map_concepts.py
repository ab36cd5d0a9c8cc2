"""The mapping of each concept onto its ``terms/<id>.yaml``: labels, notes, notations,
links to other concepts and to schemes, mappings; and, once every link is known, the fields
of each file in the order of our own."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rdflib import Literal, URIRef

from graph.importer.map_base import (
    LABELS,
    MATCHES,
    NOTES,
    SYMMETRIC,
    TYPED,
    WHY_CLASS,
    WHY_DERIVED,
    WHY_PROPERTY,
    WHY_S13,
    WHY_STAGES,
    WHY_VALUE,
    _ByPredicate,
    _Item,
    _lit,
    _MapperBase,
)
from graph.namespaces import CRMKG, RDF, RDFS, SKOS
from graph.relations import IN_FILES, STAGES, inverse_of
from graph.vocabulary.load import MATCH_KEYS


class _ConceptMapping(_MapperBase):
    """Concepts: what each one's file says, and what the model cannot hold of it."""

    # -- concepts --
    def _map_concept(self, concept: URIRef) -> None:
        item = self.items[concept]
        by_predicate = self._objects_by_predicate(concept)
        if item.uri != self.base + "id/" + item.id:
            item.fields["uri"] = item.uri
        self._concept_labels(concept, by_predicate, item.fields)
        self._concept_notes(concept, by_predicate, item.fields)
        self._concept_notations(concept, by_predicate, item.fields)
        for value in by_predicate.pop(RDF.type, []):
            if value != SKOS.Concept:
                self.drop((concept, RDF.type, value),
                          WHY_CLASS.format(what="concept", cls="skos:Concept"))
        self._concept_hierarchy(concept, by_predicate)
        self._concept_schemes(concept, by_predicate, item)
        self._sources_of(concept, by_predicate, item)
        for value in by_predicate.pop(CRMKG.notInGlossaries, []):
            if isinstance(value, Literal) and value.toPython() is True:
                item.fields["notInGlossaries"] = True
            else:
                self.drop((concept, CRMKG.notInGlossaries, value),
                          WHY_VALUE.format(kind="a value other than true"))
        self._concept_typed_relations(concept, by_predicate)
        self._concept_matches(concept, by_predicate, item.fields)
        self._drop_unmapped(concept, by_predicate, "concepts")

    def _concept_labels(self, concept: URIRef, by_predicate: _ByPredicate,
                        f: dict[str, Any]) -> None:
        labels = {key: self._texts(concept, predicate, by_predicate.pop(predicate, []), key,
                                   key == "prefLabel", "concept")
                  for key, predicate in LABELS.items()}
        self._disjoint_labels(concept, labels)
        for key, value in labels.items():
            value = {lang: texts for lang, texts in value.items() if texts}
            if value:
                f[key] = value

    def _disjoint_labels(self, concept: URIRef, labels: dict[str, dict[str, Any]]) -> None:
        """SKOS S13: the three kinds of label are disjoint (in one language)."""
        for lang, texts in list(labels["altLabel"].items()):
            keep = []
            for text in texts:
                if labels["prefLabel"].get(lang) == text:
                    self.drop((concept, SKOS.altLabel, _lit(text, lang)),
                              WHY_S13.format(other="prefLabel"))
                else:
                    keep.append(text)
            labels["altLabel"][lang] = keep
        for lang, texts in list(labels["hiddenLabel"].items()):
            keep = []
            for text in texts:
                if labels["prefLabel"].get(lang) == text or text in labels["altLabel"].get(lang,
                                                                                          []):
                    self.drop((concept, SKOS.hiddenLabel, _lit(text, lang)),
                              WHY_S13.format(other="prefLabel or altLabel"))
                else:
                    keep.append(text)
            labels["hiddenLabel"][lang] = keep

    def _concept_notes(self, concept: URIRef, by_predicate: _ByPredicate,
                       f: dict[str, Any]) -> None:
        for key, predicate in NOTES.items():
            texts = self._texts(concept, predicate, by_predicate.pop(predicate, []), key,
                                False, "concept")
            if texts:
                f[key] = {lang: values[0] if len(values) == 1 else values
                          for lang, values in texts.items()}

    def _concept_notations(self, concept: URIRef, by_predicate: _ByPredicate,
                           f: dict[str, Any]) -> None:
        notations = []
        for value in by_predicate.pop(SKOS.notation, []):
            if isinstance(value, Literal) and not value.language and str(value):
                notations.append((str(value), str(value.datatype) if value.datatype else None))
            else:
                self.drop((concept, SKOS.notation, value),
                          WHY_VALUE.format(kind="a notation with a language tag"))
        if notations:
            f["notation"] = sorted(notations)

    def _concept_hierarchy(self, concept: URIRef, by_predicate: _ByPredicate) -> None:
        """skos:broader, skos:narrower (held as the broader link read the other way) and
        skos:related, between two concepts of the file."""
        for value in by_predicate.pop(SKOS.broader, []):
            if value in self.concepts and value != concept:
                self.broader[concept].add(value)
            else:
                self.drop((concept, SKOS.broader, value), self._why_link(concept, value))
        for value in by_predicate.pop(SKOS.narrower, []):
            if value in self.concepts and value != concept:
                self.broader[value].add(concept)
                if not self.flags["narrower"]:
                    self.drop((concept, SKOS.narrower, value),
                              WHY_DERIVED.format(prop="skos:narrower", flag="narrower"))
            else:
                self.drop((concept, SKOS.narrower, value), self._why_link(concept, value))
        for value in by_predicate.pop(SKOS.related, []):
            if value in self.concepts and value != concept:
                self.related[concept].add(value)
            else:
                self.drop((concept, SKOS.related, value), self._why_link(concept, value))

    def _concept_schemes(self, concept: URIRef, by_predicate: _ByPredicate,
                         item: _Item) -> None:
        """skos:inScheme, skos:topConceptOf, and rdfs:isDefinedBy (the main scheme)."""
        schemes = set()
        for value in by_predicate.pop(SKOS.inScheme, []):
            if value in self.schemes:
                schemes.add(self.schid[value])
            else:
                self.drop((concept, SKOS.inScheme, value), WHY_VALUE.format(kind="not a URI"))
        item.fields["_inScheme"] = sorted(schemes)
        for value in by_predicate.pop(SKOS.topConceptOf, []):
            if value in self.schemes:
                self.tops[concept].add(value)
            else:
                self.drop((concept, SKOS.topConceptOf, value),
                          WHY_VALUE.format(kind="not a URI"))
        for value in by_predicate.pop(RDFS.isDefinedBy, []):
            if not (self.flags["definedBy"] and value == self.main):
                self.drop((concept, RDFS.isDefinedBy, value),
                          WHY_PROPERTY.format(what="concepts") if value != self.main else
                          WHY_DERIVED.format(prop="rdfs:isDefinedBy", flag="definedBy"))

    def _concept_typed_relations(self, concept: URIRef, by_predicate: _ByPredicate) -> None:
        """The typed relations of our extension, and the stages of ordered collections
        (held by the collection: here only checked)."""
        for predicate, (key, reverse) in TYPED.items():
            for value in by_predicate.pop(predicate, []):
                if value in self.concepts and value != concept:
                    pair = (value, concept) if reverse else (concept, value)
                    if key in SYMMETRIC:
                        pair = tuple(sorted(pair))  # type: ignore[assignment]
                    self.typed[key].add(pair)  # type: ignore[arg-type]
                else:
                    self.drop((concept, predicate, value), self._why_link(concept, value))
        for predicate in (STAGES.iri, inverse_of(STAGES).iri):
            for value in by_predicate.pop(predicate, []):
                forward = (concept, value) if predicate == STAGES.iri else (value, concept)
                if forward not in self.stage_pairs:
                    self.drop((concept, predicate, value), WHY_STAGES)

    def _concept_matches(self, concept: URIRef, by_predicate: _ByPredicate,
                         f: dict[str, Any]) -> None:
        for key, predicate in MATCHES.items():
            targets = []
            for value in by_predicate.pop(predicate, []):
                if isinstance(value, URIRef):
                    targets.append(str(value))
                else:
                    self.drop((concept, predicate, value),
                              WHY_VALUE.format(kind="a mapping to something without a URI"))
            if targets:
                f[key] = sorted(targets)

    # -- concepts, once every link is known --
    def _finish_concepts(self) -> None:
        main_id = self.schid[self.main]
        typed_related: set[tuple[URIRef, URIRef]] = set(self.implied_related)
        for pairs in self.typed.values():
            for a, b in pairs:
                typed_related.update({(a, b), (b, a)})
        for item in self.items.values():
            item.fields["_schemes"] = item.fields.pop("_inScheme")
        # the schemes most concepts are in are the default; the others are written out
        counts: Counter[tuple[str, ...]] = Counter(tuple(i.fields["_schemes"])
                                                   for i in self.items.values())
        self.default_in_scheme = list(max(sorted(counts), key=lambda k: counts[k])) \
            if counts else []
        for concept, item in self.items.items():
            item.fields = self._ordered_fields(concept, item.fields, main_id, typed_related)

    def _ordered_fields(self, concept: URIRef, f: dict[str, Any], main_id: str,
                        typed_related: set[tuple[URIRef, URIRef]]) -> dict[str, Any]:
        """The fields of a concept's file, in the order of our own files, with its links."""
        schemes = f.pop("_schemes")
        ordered: dict[str, Any] = {}
        for key in ("uri", "prefLabel", "altLabel", "hiddenLabel", *NOTES, "notation"):
            if key in f:
                ordered[key] = f[key]
        if "sources" in f:
            ordered["sources"] = f["sources"]
        if f.get("notInGlossaries"):
            ordered["notInGlossaries"] = True
        if schemes != self.default_in_scheme:
            ordered["inScheme"] = schemes
        tops = sorted(self.schid[s] for s in self.tops.get(concept, ()))
        if main_id in tops:
            ordered["topConcept"] = True
            tops.remove(main_id)
        if tops:
            ordered["topConceptOf"] = tops
        if self.broader.get(concept):
            ordered["broader"] = sorted(self.cid[c] for c in self.broader[concept])
        related = sorted(self.cid[c] for c in self.related.get(concept, ())
                         if (concept, c) not in typed_related)
        if related:
            ordered["related"] = related
        for key in IN_FILES:
            others = sorted(self.cid[b] for a, b in self.typed.get(key, ()) if a == concept)
            if others:
                ordered[key] = others
        for key in MATCH_KEYS:
            if key in f:
                ordered[key] = f[key]
        return ordered

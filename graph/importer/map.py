"""The mapping of RDF onto the model (the second stage of ``crmkg import``): what the file
holds of each kind, the ids, what the build will derive, then each part mapped in turn
(:mod:`.map_concepts`, :mod:`.map_resources`); every triple is held or dropped with a
reason."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from rdflib import BNode, Graph, URIRef

from graph.config import as_namespace
from graph.importer.map_base import EXT_ONTOLOGY, WHY_EXT, WHY_OTHER, _Item
from graph.importer.map_concepts import _ConceptMapping
from graph.importer.map_resources import _CollectionMapping, _SchemeMapping, _SourceMapping
from graph.importer.write import (
    _concept_yaml,
    _mapping_file,
    _profile_yaml,
    _scheme_ttl,
    assign_ids,
    slugify,
)
from graph.namespaces import DCTERMS, OWL, PROV, RDF, RDFS, SKOS
from graph.text import local_name
from graph.vocabulary.load import PROFILE_FILE, SCHEME_FILE


class _Mapper(_ConceptMapping, _CollectionMapping, _SchemeMapping, _SourceMapping):
    """Decides, triple by triple, what the model holds; builds the YAML and the profile."""

    # -- the plan --
    def run(self) -> dict[str, bytes]:
        """The files of DIR (path → bytes). Collections are mapped before concepts: a
        concept's crmkg:precedes is held only by the stages of an ordered collection."""
        self._find_resources()
        self.main = self._main_scheme()
        self.base = self._base()
        self._assign_ids()
        self.flags = self._flags()
        self.cid = {URIRef(u): i for u, i in self.concept_ids.items()}
        self.kid = {URIRef(u): i for u, i in self.collection_ids.items()}
        self.sid = {URIRef(u): i for u, i in self.source_ids.items()}
        self.schid = {URIRef(u): i for u, i in self.scheme_ids.items()}
        self.items = {c: _Item(self.cid[c], str(c)) for c in self.concepts}
        self.broader = defaultdict(set)
        self.related = defaultdict(set)
        self.typed = defaultdict(set)
        self.tops = defaultdict(set)
        self.implied_related = set()
        self.list_nodes = set()
        self.metadata = Graph()
        self.metadata_subjects = set()

        collections = self._map_collections()
        for concept in sorted(self.concepts):
            self._map_concept(concept)
        self._map_schemes()
        sources = self._map_sources()
        self._map_extension()
        self._map_others()
        self._finish_concepts()
        return self._files(collections, sources)

    def _find_resources(self) -> None:
        """The concepts, collections, schemes and sources of the file, and whether it
        holds our extension's declarations."""
        g = self.g
        self.concepts = {s for s in g.subjects(RDF.type, SKOS.Concept) if isinstance(s, URIRef)}
        self.collections = {s for cls in (SKOS.Collection, SKOS.OrderedCollection)
                            for s in g.subjects(RDF.type, cls)
                            if isinstance(s, URIRef) and s not in self.concepts}
        schemes = {s for s in g.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef)}
        for predicate in (SKOS.inScheme, SKOS.topConceptOf):
            schemes |= {o for o in g.objects(None, predicate) if isinstance(o, URIRef)}
        schemes |= {s for s in g.subjects(SKOS.hasTopConcept, None) if isinstance(s, URIRef)}
        self.schemes = schemes - self.concepts - self.collections
        cited = {o for p in (DCTERMS.source,) for o in g.objects(None, p)
                 if isinstance(o, URIRef)}
        self.sources = {o for o in cited if (o, None, None) in g} - self.concepts \
            - self.collections - self.schemes
        self.extension = (EXT_ONTOLOGY, RDF.type, OWL.Ontology) in g
        self.ext_subjects = set(self.ext.subjects()) if self.extension else set()
        self.ext_subjects -= self.concepts | self.collections | self.schemes | self.sources

    def _assign_ids(self) -> None:
        """Concepts and collections share one set of ids, sources and schemes have their
        own; the ids a clash gave a hash are kept for the report."""
        used: set[str] = set()
        self.concept_ids = assign_ids(map(str, self.concepts), self.base + "id/", used)
        self.collection_ids = assign_ids(map(str, self.collections),
                                         self.base + "collection/", used)
        self.source_ids = assign_ids(map(str, self.sources), self.base + "source/")
        self.scheme_ids = assign_ids(map(str, sorted(self.schemes)), self.base)
        if self.main is None:  # a file with no scheme at all: one to name, and nothing stated
            self.main = URIRef(self.base + "scheme")
            self.scheme_ids[str(self.main)] = "scheme"
        for uri, new in {**self.concept_ids, **self.collection_ids}.items():
            plain = slugify(local_name(uri))
            if plain and new != plain and not uri.endswith("/" + new):
                self.renamed.append((uri, new))


    def _main_scheme(self) -> URIRef | None:
        if not self.schemes:
            return None
        g = self.g
        weight: Counter[URIRef] = Counter()
        for scheme in self.schemes:
            weight[scheme] = (sum(1 for _ in g.subjects(SKOS.inScheme, scheme))
                              + sum(1 for _ in g.subjects(SKOS.topConceptOf, scheme))
                              + sum(1 for _ in g.objects(scheme, SKOS.hasTopConcept)))
        return max(sorted(self.schemes), key=lambda s: weight[s])

    def _base(self) -> str:
        if self.base_uri:
            return as_namespace(self.base_uri)
        ours: Counter[str] = Counter()
        for concept in self.concepts:
            match = re.match(r"^(.*/)id/([a-z0-9]+(?:-[a-z0-9]+)*)$", str(concept))
            if match:
                ours[match.group(1)] += 1
        if ours:
            return max(sorted(ours), key=lambda b: ours[b])
        uris = sorted(str(c) for c in self.concepts)
        if uris:
            prefix = _common_prefix(uris[0], uris[-1])
            cut = max(prefix.rfind("/"), prefix.rfind("#"))
            if cut > prefix.find("://") + 2 > 2:
                return prefix[:cut + 1]
        if self.main is not None:
            return as_namespace(str(self.main))
        return "urn:crmkg:imported/"

    def _flags(self) -> dict[str, bool]:
        """What the build derives: what the file states for at least half of the cases."""
        g, concepts = self.g, self.concepts
        links = {(s, o) for s, o in g.subject_objects(SKOS.broader)
                 if s in concepts and o in concepts}
        down = {(o, s) for s, o in g.subject_objects(SKOS.narrower)
                if s in concepts and o in concepts}
        narrower = bool(down) and 2 * len(down) >= len(links | down)
        tops = {(c, s) for c, s in g.subject_objects(SKOS.topConceptOf)
                if c in concepts and s in self.schemes}
        has = {(c, s) for s, c in g.subject_objects(SKOS.hasTopConcept)
               if c in concepts and s in self.schemes}
        has_top = bool(has) and 2 * len(has) >= len(tops | has)
        related = {(s, o) for s, o in g.subject_objects(SKOS.related)
                   if s in concepts and o in concepts}
        pairs = {frozenset(x) for x in related}
        both = sum(1 for p in pairs if len(p) == 2 and all(
            (a, b) in related for a in p for b in p if a != b))
        related_both = bool(pairs) and 2 * both >= len(pairs)
        held = self.concepts | self.collections
        defined = sum(1 for s in held if (s, RDFS.isDefinedBy, self.main) in g)
        cites = [(s, o) for s, o in g.subject_objects(DCTERMS.source)
                 if s in held and o in self.sources]
        derived = sum(1 for s, o in cites if (s, PROV.wasDerivedFrom, o) in g)
        ordered = [k for k in self.collections if (k, RDF.type, SKOS.OrderedCollection) in g]
        listed = stated = 0
        for collection in ordered:
            items = self._list_items(collection)[0] or []
            listed += len(items)
            stated += sum(1 for m in items if (collection, SKOS.member, m) in g)
        return {
            "narrower": narrower,
            "hasTopConcept": has_top,
            "relatedBothWays": related_both,
            "definedBy": bool(defined) and 2 * defined >= len(held),
            "provenance": bool(derived) and 2 * derived >= len(cites),
            "extension": self.extension,
            "orderedMembers": stated > 0 and 2 * stated >= listed if listed else True,
        }

    # -- our extension --
    def _map_extension(self) -> None:
        for subject in sorted(self.ext_subjects, key=str):
            for predicate, value in self.g.predicate_objects(subject):
                if (subject, predicate, value) not in self.ext:
                    self.drop((subject, predicate, value), WHY_EXT)

    # -- everything else --
    def _map_others(self) -> None:
        g = self.g
        handled = (self.concepts | self.collections | self.schemes | self.sources
                   | self.ext_subjects | self.list_nodes | self.metadata_subjects)
        #: kind (classes) → [resources, triples], for the report
        self.other_kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for subject in g.subjects(unique=True):
            if subject in handled:
                continue
            types = sorted(self.curie(t) for t in g.objects(subject, RDF.type))
            kind = ("a blank node" if isinstance(subject, BNode) else
                    " and ".join(types) if types else "no rdf:type")
            self.other_kinds[kind][0] += 1
            for predicate, value in g.predicate_objects(subject):
                self.drop((subject, predicate, value), WHY_OTHER)
                self.other_kinds[kind][1] += 1

    # -- the files --
    def _files(self, collections: dict[str, dict[str, Any]],
               sources: dict[str, dict[str, Any]]) -> dict[str, bytes]:
        """The files, and the profile (``vocabulary.yaml``) that says how to read them."""
        languages = Counter(lang for item in self.items.values()
                            for lang in item.fields.get("prefLabel", {}))
        self.languages = [lang for lang, _ in sorted(languages.items(),
                                                     key=lambda kv: (-kv[1], kv[0]))]
        required = {}
        for key in ("prefLabel", "definition"):
            common = None
            for item in self.items.values():
                present = set(item.fields.get(key, {}))
                common = present if common is None else common & present
            required[key] = sorted(common or ())
        datatypes = Counter(dt for item in self.items.values()
                            for _text, dt in item.fields.get("notation", []))
        self.notation_datatype = max(sorted(datatypes, key=str), key=lambda d: datatypes[d]) \
            if datatypes else None
        files: dict[str, bytes] = {}
        for item in sorted(self.items.values(), key=lambda i: i.id):
            files[f"terms/{item.id}.yaml"] = _concept_yaml(
                item, self.languages, self.notation_datatype).encode("utf-8")
        files["collections.yaml"] = _mapping_file(
            "Collections of the imported vocabulary (see README, 'The model').",
            collections).encode("utf-8")
        files["sources.yaml"] = _mapping_file(
            "Resources that the concepts cite with dct:source.", sources).encode("utf-8")
        self.profile = {
            "base": self.base,
            "importedFrom": self.src.path.name,
            "languages": self.languages,
            "schemes": {self.scheme_ids[str(s)]: str(s) for s in sorted(self.schemes)}
            or {"scheme": str(self.main)},
            "mainScheme": self.schid.get(self.main, "scheme"),
            "inScheme": self.default_in_scheme,
            "required": required,
            "notationDatatype": self.notation_datatype,
            "build": self.flags,
        }
        files[PROFILE_FILE] = _profile_yaml(self.profile).encode("utf-8")
        files[SCHEME_FILE] = _scheme_ttl(self.metadata, self.prefixes, self.src.path.name)
        return files


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return a[:n]


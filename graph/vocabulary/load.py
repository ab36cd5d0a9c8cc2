"""YAML files in ``data/`` → a checked :class:`~graph.vocabulary.model.Vocabulary`.

Every mistake an editor can make gets one :class:`~graph.vocabulary.yamlfile.DataError`
naming the file, the line and the fix; all of them are collected and raised
together as :class:`~graph.vocabulary.yamlfile.DataErrors`, so one run lists everything.

This module reads the files and checks what spans them (links to unknown ids, labels
shared by two concepts, URIs); :mod:`~graph.vocabulary.parse` reads each entry against
the tables of :mod:`~graph.vocabulary.schema`, and :mod:`~graph.vocabulary.profile` the
profile of an imported vocabulary.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph.text import fold_case
from graph.vocabulary.fields import did_you_mean
from graph.vocabulary.mappings import read_mappings
from graph.vocabulary.model import Collection, Concept, Profile, Source, Vocabulary
from graph.vocabulary.parse import parse_collections, parse_sources, parse_terms
from graph.vocabulary.profile import read_profile
from graph.vocabulary.schema import (
    ID_PATTERN,
    MATCH_KEYS,
    NO_LANGUAGE,
    PROFILE_BUILD,
    PROFILE_FILE,
    SCHEME_FILE,
    TYPED_RELATION_KEYS,
)
from graph.vocabulary.yamlfile import (
    DataError,
    DataErrors,
    KeyPath,
    YamlDocument,
    read_yaml_or_report,
)


def load_vocabulary(data_dir: Path) -> Vocabulary:
    """Read ``sources.yaml``, ``terms/*.yaml``, ``collections.yaml`` and (when there is
    one) ``mappings.yaml`` under ``data_dir``."""
    errors: list[DataError] = []
    profile = read_profile(data_dir, errors)
    documents = _read_all(data_dir, errors)
    sources_doc = documents.pop("sources.yaml", None)
    collections_doc = documents.pop("collections.yaml", None)

    sources = parse_sources(sources_doc, errors, profile) if sources_doc else {}
    concepts, raw_terms = parse_terms(documents, errors, profile)
    collections = (parse_collections(collections_doc, errors, profile)
                   if collections_doc else {})

    # a term file that could not be parsed is reported once; links to it are not errors too
    unreadable = {p.stem: None for p in (data_dir / "terms").glob("*.yaml")
                  if f"terms/{p.name}" not in documents}
    checker = _References({**unreadable, **concepts}, sources, errors, profile)
    read_mappings(data_dir, concepts, {*unreadable, *concepts}, errors)
    for concept_id, concept in concepts.items():
        checker.check_concept(concept, raw_terms[concept_id])
    if collections_doc:
        for collection in collections.values():
            checker.check_collection(collection, collections_doc)
    if profile is None:
        _check_duplicate_labels(concepts, raw_terms, errors)
        _check_every_concept_grouped(concepts, collections, raw_terms, errors)
    else:
        _check_label_clashes(concepts, raw_terms, errors)
        _check_unique_uris(profile, concepts, collections, sources, raw_terms,
                           collections_doc, sources_doc, errors)
    if errors:
        raise DataErrors(errors)
    return Vocabulary(concepts=concepts, collections=collections, sources=sources,
                      profile=profile)


def _read_all(data_dir: Path, errors: list[DataError]) -> dict[str, YamlDocument]:
    if not data_dir.is_dir():
        raise DataErrors([DataError(data_dir, 1, "the data folder does not exist",
                                    "run from the project folder or set CRMKG_DATA_DIR")])
    documents: dict[str, YamlDocument] = {}
    paths = [data_dir / "sources.yaml", data_dir / "collections.yaml"]
    paths += sorted((data_dir / "terms").glob("*"))
    for path in paths:
        if path.parent.name == "terms" and path.suffix != ".yaml":
            if path.is_file() and not path.name.startswith("."):
                errors.append(DataError(path, 1, "a term file must end in .yaml",
                                        f"rename it to {path.stem}.yaml"))
            continue
        if not path.exists():
            errors.append(DataError(path, 1, f"{path.name} is missing",
                                    f"create {path.name} (see README, 'Adding a term')"))
            continue
        doc = read_yaml_or_report(path, errors)
        if doc is None:
            continue
        key = path.name if path.parent == data_dir else f"terms/{path.name}"
        documents[key] = doc
    return documents


class _References:
    """Checks that every id a file names exists."""

    def __init__(self, concepts: dict[str, Concept | None], sources: dict[str, Source],
                 errors: list[DataError], profile: Profile | None = None):
        self.concepts, self.sources, self.errors = concepts, sources, errors
        self.profile = profile

    def _check(self, doc: YamlDocument, keypath: KeyPath, ids: list[str],
               known: dict[str, Any], what: str, where: str) -> None:
        for i, target in enumerate(ids):
            if target not in known:
                self.errors.append(doc.error((*keypath, i),
                                             f"'{target}' in '{keypath[-1]}' is not a known {what}",
                                             did_you_mean(target, known, where)))

    def check_concept(self, concept: Concept, doc: YamlDocument) -> None:
        links = {"broader": concept.broader, "related": concept.related, **concept.typed}
        for key, ids in links.items():
            self._check(doc, (key,), ids, self.concepts, "concept", "data/terms")
            if concept.id in ids:
                self.errors.append(doc.error((key,), f"the concept links to itself in '{key}'",
                                             f"remove '{concept.id}' from '{key}'"))
        self._check(doc, ("sources",), concept.sources, self.sources, "source",
                    "data/sources.yaml")
        if self.profile is not None:
            schemes = self.profile.schemes
            self._check(doc, ("inScheme",), concept.in_scheme or [], schemes, "scheme",
                        PROFILE_FILE)
            self._check(doc, ("topConceptOf",), concept.top_concept_of, schemes, "scheme",
                        PROFILE_FILE)
            return  # SKOS lets a concept sit outside the hierarchy, or a top concept have a parent
        if concept.not_in_glossaries and concept.sources:
            self.errors.append(doc.error(("notInGlossaries",),
                                         "the concept cites glossaries and says it is in none",
                                         "remove 'notInGlossaries: true' or the 'sources' list"))
        if not concept.not_in_glossaries and not concept.sources:
            self.errors.append(doc.error((), f"concept '{concept.id}' cites no glossary",
                                         "add 'sources: [glossary-id]' (data/sources.yaml), "
                                         "or 'notInGlossaries: true' for a notion the "
                                         "editors added"))

    def check_collection(self, collection: Collection, doc: YamlDocument) -> None:
        base = (collection.id,)
        self._check(doc, (*base, "members"), collection.members, self.concepts, "concept",
                    "data/terms")
        self._check(doc, (*base, "sources"), collection.sources, self.sources, "source",
                    "data/sources.yaml")
        if self.profile is not None:
            self._check(doc, (*base, "inScheme"), collection.in_scheme, self.profile.schemes,
                        "scheme", PROFILE_FILE)
        if collection.depicts and collection.depicts not in self.concepts:
            self.errors.append(doc.error((*base, "depicts"),
                                         f"'{collection.depicts}' is not a known concept",
                                         did_you_mean(collection.depicts, self.concepts,
                                                      "data/terms")))
        if collection.id in self.concepts:
            self.errors.append(doc.error(base, f"'{collection.id}' is both a collection and a "
                                               "concept id", "rename the collection"))


def _check_duplicate_labels(concepts: dict[str, Concept], docs: dict[str, YamlDocument],
                            errors: list[DataError]) -> None:
    """A preferred label names one concept only (per language); a concept's own
    labels are pairwise disjoint (SKOS S13)."""
    owners: dict[tuple[str, str], str] = {}
    for concept_id, concept in sorted(concepts.items()):
        doc = docs[concept_id]
        for lang, label in concept.pref_label.items():
            key = (lang, fold_case(label))
            if key in owners:
                errors.append(doc.error(("prefLabel", lang),
                                        f"the {lang} label '{label}' is already the preferred "
                                        f"label of '{owners[key]}'",
                                        "give this concept another preferred label, or merge "
                                        "the two concepts"))
            else:
                owners[key] = concept_id
        _check_own_labels(concept, doc, errors, fold_case)


def _check_every_concept_grouped(concepts: dict[str, Concept],
                                 collections: dict[str, Collection],
                                 docs: dict[str, YamlDocument], errors: list[DataError]) -> None:
    """With groups in the data, each concept is in one at least: the map colours, the
    tree and the home page go by group, and a concept outside them would be lost."""
    groups = [c for c in collections.values() if c.group]
    if not groups:
        return
    grouped = {m for group in groups for m in group.members}
    for concept_id in sorted(set(concepts) - grouped):
        errors.append(docs[concept_id].error((), f"concept '{concept_id}' is in no group",
                                             f"add '{concept_id}' to the members of a group "
                                             f"in data/collections.yaml ("
                                             f"{', '.join(g.id for g in groups)})"))


def _check_label_clashes(concepts: dict[str, Concept], docs: dict[str, YamlDocument],
                         errors: list[DataError]) -> None:
    """In an imported vocabulary: SKOS S13 only, with labels compared exactly."""
    for concept_id, concept in sorted(concepts.items()):
        _check_own_labels(concept, docs[concept_id], errors, _as_written)


def _as_written(label: str) -> str:
    return label


def _check_own_labels(concept: Concept, doc: YamlDocument, errors: list[DataError],
                      fold: Callable[[str], str]) -> None:
    """The preferred, alternative and hidden labels of a concept are pairwise disjoint
    (SKOS S13), once folded by ``fold``."""
    for lang in set(concept.alt_label) | set(concept.hidden_label):
        pref = fold(concept.pref_label.get(lang, ""))
        alts = {fold(x) for x in concept.alt_label.get(lang, [])}
        for kind, labels in (("altLabel", concept.alt_label),
                             ("hiddenLabel", concept.hidden_label)):
            for label in labels.get(lang, []):
                folded = fold(label)
                if folded == pref:
                    errors.append(doc.error((kind, lang), f"'{label}' is also the preferred "
                                            f"label ({lang})", f"remove it from '{kind}'"))
                elif kind == "hiddenLabel" and folded in alts:
                    errors.append(doc.error((kind, lang), f"'{label}' is both an altLabel "
                                            "and a hiddenLabel", "keep it in one list only"))


def _check_unique_uris(profile: Profile, concepts: dict[str, Concept],
                       collections: dict[str, Collection], sources: dict[str, Source],
                       docs: dict[str, YamlDocument], collections_doc: YamlDocument | None,
                       sources_doc: YamlDocument | None, errors: list[DataError]) -> None:
    """Two concepts (collections, sources) cannot have the same URI."""
    seen: dict[str, str] = {}
    items: list[tuple[str, str, YamlDocument | None, KeyPath, str]] = []
    for concept_id, concept in sorted(concepts.items()):
        items.append((concept.uri or f"{profile.base}id/{concept_id}", f"concept '{concept_id}'",
                      docs[concept_id], ("uri",), concept_id))
    for collection_id, collection in sorted(collections.items()):
        items.append((collection.uri or f"{profile.base}collection/{collection_id}",
                      f"collection '{collection_id}'", collections_doc, (collection_id, "uri"),
                      collection_id))
    for source_id, source in sorted(sources.items()):
        items.append((source.uri or f"{profile.base}source/{source_id}",
                      f"source '{source_id}'", sources_doc, (source_id, "uri"), source_id))
    for uri, what, doc, keypath, _id in items:
        if uri in seen and doc is not None:
            errors.append(doc.error(keypath, f"{what} has the URI of {seen[uri]} ({uri})",
                                    "give each its own URI, or merge them"))
        seen.setdefault(uri, what)


__all__ = ["DataError", "DataErrors", "ID_PATTERN", "MATCH_KEYS", "NO_LANGUAGE", "PROFILE_BUILD",
           "PROFILE_FILE", "SCHEME_FILE", "TYPED_RELATION_KEYS", "load_vocabulary"]

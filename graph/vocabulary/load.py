"""YAML files in ``data/`` → a checked :class:`~graph.vocabulary.model.Vocabulary`.

Every mistake an editor can make gets one :class:`~graph.vocabulary.yamlfile.DataError`
naming the file, the line and the fix; all of them are collected and raised
together as :class:`~graph.vocabulary.yamlfile.DataErrors`, so one run lists everything.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from graph.relations import IN_FILES
from graph.text import fold_case
from graph.vocabulary.model import (
    LANGUAGES,
    Collection,
    Concept,
    Origin,
    Profile,
    Source,
    Vocabulary,
)
from graph.vocabulary.yamlfile import DataError, DataErrors, KeyPath, YamlDocument, read_yaml

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")

#: YAML key of each typed relation (graph/relations.py; declared in ontology/ext.ttl)
TYPED_RELATION_KEYS = tuple(IN_FILES)

# What each key holds: "text" (language → text), "texts" (language → list),
# "ids" (list of concept ids), "sources", "bool", "str", "int", "date".
TERM_KEYS = {
    "prefLabel": "text",
    "altLabel": "texts",
    "hiddenLabel": "texts",
    "definition": "text",
    "scopeNote": "text",
    "editorialNote": "text",
    "example": "text",
    "historyNote": "text",
    "sources": "sources",
    "broader": "ids",
    "related": "ids",
    **{key: "ids" for key in TYPED_RELATION_KEYS},
    "topConcept": "bool",
}
TERM_REQUIRED = ("prefLabel", "definition")

COLLECTION_KEYS = {
    "prefLabel": "text",
    "definition": "text",
    "scopeNote": "text",
    "members": "ids",
    "ordered": "bool",
    "stages": "bool",
    "sources": "sources",
    "depicts": "id",
}
COLLECTION_REQUIRED = ("prefLabel", "definition", "members")

SOURCE_KEYS = {
    "title": "str",
    "subtitle": "str",
    "publisher": "str",
    "kind": "text",
    "language": "str",
    "date": "date",
    "terms": "int",
    "note": "text",
    "file": "str",
}
SOURCE_REQUIRED = ("title", "publisher")

# --- imported vocabularies -------------------------------------------------------------------
# A folder with a ``vocabulary.yaml`` (written by ``crmkg import``) holds another SKOS
# vocabulary. Our own data has none, and nothing below applies to it. With a profile:
# the keys below are allowed too; concepts must have the labels and definitions of the
# languages the profile requires (none by default), not fr and en; texts are kept exactly
# as written (no folding of spaces), labels are compared exactly (not ignoring case);
# a note may hold several texts in one language; a concept may have no place in the
# hierarchy, and two concepts may share a preferred label (SKOS allows both).
PROFILE_FILE = "vocabulary.yaml"
SCHEME_FILE = "scheme.ttl"

#: YAML key of each SKOS mapping relation (values: URIs)
MATCH_KEYS = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
#: notes a concept may hold with a profile, beside those of TERM_KEYS
EXTRA_NOTE_KEYS = ("note", "changeNote")
#: keys of TERM_KEYS holding notes (one text per language; several with a profile)
NOTE_KEYS = ("definition", "scopeNote", "editorialNote", "example", "historyNote")

PROFILE_TERM_KEYS = {
    "uri": "uri",
    "inScheme": "schemes",
    "topConceptOf": "schemes",
    "notation": "notations",
    **{key: "text" for key in EXTRA_NOTE_KEYS},
    **{key: "uris" for key in MATCH_KEYS},
}
PROFILE_COLLECTION_KEYS = {
    "uri": "uri",
    "inScheme": "schemes",
    "altLabel": "texts",
    "hiddenLabel": "texts",
}
PROFILE_SOURCE_KEYS = {"uri": "uri"}

#: what the build derives in an imported vocabulary, when its profile says so (our own
#: build derives all of them); the importer sets each from what the file states
PROFILE_BUILD = {
    "narrower": "skos:narrower for every skos:broader",
    "hasTopConcept": "skos:hasTopConcept for every skos:topConceptOf",
    "relatedBothWays": "skos:related in both directions",
    "definedBy": "rdfs:isDefinedBy <main scheme> on every concept and collection",
    "themes": "crmkg:theme from each concept to the top concepts above it",
    "provenance": "prov:wasDerivedFrom beside every dct:source, and from the scheme to "
                  "every source",
    "extension": "the declarations of our extension (ontology/ext.ttl)",
    "orderedMembers": "skos:member for every member of an ordered collection",
}
PROFILE_KEYS = ("base", "importedFrom", "languages", "schemes", "mainScheme", "inScheme",
                "required", "notationDatatype", "build")
IRI_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
ANY_LANGUAGE_TAG = re.compile(r"^(?:[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|@none)$")
#: the language key of a text that has no language tag (as in JSON-LD)
NO_LANGUAGE = "@none"


def load_vocabulary(data_dir: Path) -> Vocabulary:
    """Read ``sources.yaml``, ``terms/*.yaml`` and ``collections.yaml`` under ``data_dir``."""
    errors: list[DataError] = []
    profile = _read_profile(data_dir, errors)
    documents = _read_all(data_dir, errors)
    sources_doc = documents.pop("sources.yaml", None)
    collections_doc = documents.pop("collections.yaml", None)

    sources = _parse_sources(sources_doc, errors, profile) if sources_doc else {}
    concepts: dict[str, Concept] = {}
    raw_terms: dict[str, YamlDocument] = {}
    raw_terms_names = set(documents)
    for _name, doc in sorted(documents.items()):
        concept = _parse_term(doc, errors, profile)
        if concept is not None:
            concepts[concept.id] = concept
            raw_terms[concept.id] = doc
    collections = (_parse_collections(collections_doc, errors, profile)
                   if collections_doc else {})

    # a term file that could not be parsed is reported once; links to it are not errors too
    unreadable = {p.stem: None for p in (data_dir / "terms").glob("*.yaml")
                  if f"terms/{p.name}" not in raw_terms_names}
    checker = _References({**unreadable, **concepts}, sources, errors, profile)
    for concept_id, concept in concepts.items():
        checker.check_concept(concept, raw_terms[concept_id])
    if collections_doc:
        for collection in collections.values():
            checker.check_collection(collection, collections_doc)
    if profile is None:
        _check_duplicate_labels(concepts, raw_terms, errors)
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
        try:
            doc = read_yaml(path)
        except DataError as exc:
            errors.append(exc)
            continue
        except DataErrors as exc:
            errors.extend(exc.errors)
            continue
        key = path.name if path.parent == data_dir else f"terms/{path.name}"
        documents[key] = doc
    return documents


class _Fields:
    """Reads the keys of one mapping against a schema, recording errors."""

    def __init__(self, doc: YamlDocument, base: KeyPath, schema: dict[str, str],
                 required: tuple[str, ...], errors: list[DataError], what: str,
                 verbatim: bool = False):
        self.doc, self.base, self.errors = doc, base, errors
        self.ok = True
        #: an imported vocabulary: texts kept exactly, labels compared exactly, any tag
        self.verbatim = verbatim
        mapping = _get(doc.data, base)
        if not isinstance(mapping, dict):
            self.fail((), f"{what} must be a mapping of keys such as "
                           f"{', '.join(list(schema)[:3])}",
                       f"write '{required[0]}:' on its own line, then the values indented")
            self.mapping: dict[str, Any] = {}
            return
        self.mapping = mapping
        for key in mapping:
            if key not in schema:
                self.fail((key,), f"unknown key '{key}' in {what}", _did_you_mean(key, schema))
        for key in required:
            if key not in mapping:
                self.fail((), f"{what} has no '{key}'", f"add '{key}:' with its values")

    def fail(self, keypath: KeyPath, message: str, fix: str) -> None:
        self.ok = False
        self.errors.append(self.doc.error((*self.base, *keypath), message, fix))

    def text(self, key: str, required_languages: tuple[str, ...] = ()) -> dict[str, str]:
        value = self.mapping.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail((key,), f"'{key}' must give one text per language",
                       f"write '{key}:' then lines such as '  fr: …' and '  en: …'")
            return {}
        result: dict[str, str] = {}
        for lang, text in value.items():
            if not self._language(key, lang):
                continue
            if not isinstance(text, str) or not text.strip():
                self.fail((key, lang), f"'{key}' in '{lang}' must be a non-empty text"
                           + (f", not {text!r}" if text is not None else ""),
                           "write the text, in quotes if it looks like a number, a date, "
                           "'yes'/'no' or 'true'/'false'")
                continue
            result[lang] = self._clean(text)
        for lang in required_languages:
            if lang not in value:
                self.fail((key,), f"'{key}' has no '{lang}' text",
                           f"add a line '  {lang}: …' under '{key}'")
        return result

    def _clean(self, text: str) -> str:
        return text if self.verbatim else " ".join(text.split())

    def notes(self, key: str, required_languages: tuple[str, ...] = (),
              ) -> tuple[dict[str, str], dict[str, list[str]]]:
        """With a profile, a note may hold several texts in one language (a list): the
        first, and the others."""
        value = self.mapping.get(key)
        if not self.verbatim or not isinstance(value, dict) or not any(
                isinstance(v, list) for v in value.values()):
            return self.text(key, required_languages), {}
        first: dict[str, str] = {}
        more: dict[str, list[str]] = {}
        singles = {lang: v for lang, v in value.items() if not isinstance(v, list)}
        if singles:
            first.update(_Fields._sub(self, key, singles).text(key))
        for lang, items in value.items():
            if not isinstance(items, list) or not self._language(key, lang):
                continue
            texts = []
            for i, item in enumerate(items):
                if not isinstance(item, str) or not item.strip():
                    self.fail((key, lang, i), f"'{key}' in '{lang}' holds {item!r}, not a text",
                               "write the text, in quotes if needed")
                    continue
                texts.append(item)
            if texts:
                first[lang], rest = texts[0], texts[1:]
                if rest:
                    more[lang] = rest
        for lang in required_languages:
            if lang not in value:
                self.fail((key,), f"'{key}' has no '{lang}' text",
                           f"add a line '  {lang}: …' under '{key}'")
        return first, more

    @staticmethod
    def _sub(fields: _Fields, key: str, mapping: dict[str, Any]) -> _Fields:
        """The same fields, with ``key`` holding only ``mapping`` (to reuse text())."""
        copy = object.__new__(_Fields)
        copy.__dict__.update(fields.__dict__)
        copy.mapping = {key: mapping}
        return copy

    def uri(self, key: str) -> str | None:
        value = self.mapping.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not IRI_PATTERN.match(value):
            self.fail((key,), f"'{key}' must be an absolute URI, not {value!r}",
                       f"write '{key}: https://example.org/…'")
            return None
        return value

    def uris(self, key: str) -> list[str]:
        return self._distinct(key, IRI_PATTERN, "URIs", "[URI, URI]", lambda item: (
            f"{item!r} in '{key}' is not an absolute URI",
            "write the full URI, such as http://www.wikidata.org/entity/Q42"))

    def _distinct(self, key: str, pattern: re.Pattern[str], noun: str, example: str,
                  bad: Callable[[Any], tuple[str, str]]) -> list[str]:
        """A list of strings that match ``pattern`` (one string: a list of one), no repeats;
        ``bad(item)`` gives the message and the fix for an item that does not match."""
        value = self.mapping.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail((key,), f"'{key}' must be a list of {noun}", f"write '{key}: {example}'")
            return []
        result: list[str] = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not pattern.match(item):
                self.fail((key, i), *bad(item))
                continue
            if item in result:
                self.fail((key, i), f"'{item}' is listed twice in '{key}'", "remove the repeat")
                continue
            result.append(item)
        return result

    def notations(self, key: str, datatype: str | None) -> list[tuple[str, str | None]]:
        """Texts (of the profile's notation datatype), or {value: …, datatype: URI|null}."""
        value = self.mapping.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            value = [value]
        result: list[tuple[str, str | None]] = []
        for i, item in enumerate(value):
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                item = str(item)
            if isinstance(item, str) and item:
                entry = (item, datatype)
            elif (isinstance(item, dict) and set(item) <= {"value", "datatype"}
                  and isinstance(item.get("value"), str)
                  and (item.get("datatype") is None or (isinstance(item["datatype"], str)
                                                        and IRI_PATTERN.match(item["datatype"])))):
                entry = (item["value"], item.get("datatype"))
            else:
                self.fail((key, i), f"{item!r} in '{key}' is not a notation",
                           "write a text, or {value: text, datatype: URI}")
                continue
            if entry in result:
                self.fail((key, i), f"the notation {entry[0]!r} is listed twice",
                           "remove the repeat")
                continue
            result.append(entry)
        return result

    def texts(self, key: str) -> dict[str, list[str]]:
        value = self.mapping.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail((key,), f"'{key}' must give a list of texts per language",
                       f"write '{key}:' then lines such as '  fr: [a, b]'")
            return {}
        result: dict[str, list[str]] = {}
        for lang, items in value.items():
            if not self._language(key, lang):
                continue
            if items is None:
                items = []
            if isinstance(items, str):
                items = [items]
            if not isinstance(items, list):
                self.fail((key, lang), f"'{key}' in '{lang}' must be a list of texts",
                           "write the texts as a list: [first, second]")
                continue
            clean: list[str] = []
            fold = (lambda x: x) if self.verbatim else fold_case
            for i, item in enumerate(items):
                if not isinstance(item, str) or not item.strip():
                    self.fail((key, lang, i), f"'{key}' in '{lang}' holds {item!r}, not a text",
                               "quote the value")
                    continue
                item = self._clean(item)
                if fold(item) in {fold(x) for x in clean}:
                    self.fail((key, lang, i), f"'{item}' is listed twice in '{key}' ({lang})",
                               "remove the repeated label")
                    continue
                clean.append(item)
            result[lang] = clean
        return result

    def ids(self, key: str) -> list[str]:
        return self._distinct(key, ID_PATTERN, "ids", "[id1, id2]", lambda item: (
            f"'{item}' in '{key}' is not an id",
            "ids are lower-case words joined by '-', as in the file names of data/terms"))

    def one_id(self, key: str) -> str | None:
        value = self.mapping.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.fail((key,), f"'{key}' must be one id", f"write '{key}: some-id'")
            return None
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.mapping.get(key, default)
        if not isinstance(value, bool):
            self.fail((key,), f"'{key}' must be true or false, not {value!r}",
                       f"write '{key}: true' or '{key}: false'")
            return default
        return value

    def string(self, key: str) -> str | None:
        value = self.mapping.get(key)
        if value is None:
            return None
        if isinstance(value, (int, float, date)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.fail((key,), f"'{key}' must be a text", "write the text, in quotes if needed")
            return None
        return value.strip()

    def integer(self, key: str) -> int | None:
        value = self.mapping.get(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail((key,), f"'{key}' must be a whole number", f"write '{key}: 12'")
            return None
        return value

    def day(self, key: str) -> date | None:
        value = self.mapping.get(key)
        if value is None:
            return None
        if not isinstance(value, date):
            self.fail((key,), f"'{key}' must be a date", f"write '{key}: 2021-12-21' (no quotes)")
            return None
        return value

    def _language(self, key: str, lang: Any) -> bool:
        if isinstance(lang, str) and LANGUAGE_TAG.match(lang):
            return True
        if self.verbatim and isinstance(lang, str) and ANY_LANGUAGE_TAG.match(lang):
            return True
        self.fail((key,), f"'{lang}' under '{key}' is not a language tag",
                   "use a language tag such as 'fr' or 'en'")
        return False


def _parse_term(doc: YamlDocument, errors: list[DataError],
                profile: Profile | None = None) -> Concept | None:
    concept_id = doc.path.stem
    if not ID_PATTERN.match(concept_id):
        errors.append(DataError(doc.path, 1, f"'{doc.path.name}' is not a valid concept id",
                                "rename the file with lower-case letters, digits and '-', "
                                "e.g. " + _slug(concept_id) + ".yaml"))
        return None
    if profile is not None:
        return _parse_imported_term(doc, errors, profile, concept_id)
    fields = _Fields(doc, (), TERM_KEYS, TERM_REQUIRED, errors, f"concept '{concept_id}'")
    if not fields.mapping:
        return None
    concept = Concept(
        id=concept_id,
        pref_label=fields.text("prefLabel", LANGUAGES),
        definition=fields.text("definition", LANGUAGES),
        alt_label=fields.texts("altLabel"),
        hidden_label=fields.texts("hiddenLabel"),
        scope_note=fields.text("scopeNote", _both_if_any(fields, "scopeNote")),
        editorial_note=fields.text("editorialNote", _both_if_any(fields, "editorialNote")),
        example=fields.text("example", _both_if_any(fields, "example")),
        history_note=fields.text("historyNote", _both_if_any(fields, "historyNote")),
        sources=fields.ids("sources"),
        broader=fields.ids("broader"),
        related=fields.ids("related"),
        typed={key: fields.ids(key) for key in TYPED_RELATION_KEYS if key in fields.mapping},
        top_concept=fields.flag("topConcept", False),
        origin=Origin(doc.path, 1),
    )
    # kept even when a field is wrong, so that links to it are not reported as unknown too
    return concept


def _parse_imported_term(doc: YamlDocument, errors: list[DataError], profile: Profile,
                         concept_id: str) -> Concept | None:
    """A concept of an imported vocabulary: the languages its profile requires."""
    fields = _Fields(doc, (), {**TERM_KEYS, **PROFILE_TERM_KEYS}, (), errors,
                     f"concept '{concept_id}'", verbatim=True)
    if not fields.mapping and doc.data != {}:
        return None
    required = {key: tuple(langs) for key, langs in profile.required.items()}
    for key in ("prefLabel", "definition"):
        if required.get(key) and key not in fields.mapping:
            fields.fail((), f"concept '{concept_id}' has no '{key}'",
                        f"add '{key}:' with its {', '.join(required[key])} values "
                        f"(the languages that {PROFILE_FILE} requires)")
    extra_notes: dict[str, dict[str, list[str]]] = {}
    notes: dict[str, dict[str, str]] = {}
    for key in (*NOTE_KEYS, *EXTRA_NOTE_KEYS):
        first, more = fields.notes(key, required.get(key, ()) if key in fields.mapping else ())
        if key in EXTRA_NOTE_KEYS:
            merged = {lang: [text, *more.get(lang, [])] for lang, text in first.items()}
            if merged:
                extra_notes[key] = merged
        else:
            notes[key] = first
            if more:
                extra_notes[key] = more
    in_scheme = fields.ids("inScheme") if "inScheme" in fields.mapping else None
    concept = Concept(
        id=concept_id,
        pref_label=fields.text("prefLabel", required.get("prefLabel", ())),
        definition=notes["definition"],
        alt_label=fields.texts("altLabel"),
        hidden_label=fields.texts("hiddenLabel"),
        scope_note=notes["scopeNote"],
        editorial_note=notes["editorialNote"],
        example=notes["example"],
        history_note=notes["historyNote"],
        sources=fields.ids("sources"),
        broader=fields.ids("broader"),
        related=fields.ids("related"),
        typed={key: fields.ids(key) for key in TYPED_RELATION_KEYS if key in fields.mapping},
        top_concept=fields.flag("topConcept", False),
        origin=Origin(doc.path, 1),
        uri=fields.uri("uri"),
        in_scheme=in_scheme,
        top_concept_of=fields.ids("topConceptOf"),
        notation=fields.notations("notation", profile.notation_datatype),
        matches={key: fields.uris(key) for key in MATCH_KEYS if key in fields.mapping},
        extra_notes=extra_notes,
    )
    return concept


def _read_profile(data_dir: Path, errors: list[DataError]) -> Profile | None:
    """``vocabulary.yaml`` and ``scheme.ttl`` of an imported vocabulary, if there are."""
    path = data_dir / PROFILE_FILE
    if not path.is_file():
        return None
    try:
        doc = read_yaml(path)
    except DataError as exc:
        errors.append(exc)
        return None
    except DataErrors as exc:
        errors.extend(exc.errors)
        return None
    schema = {"base": "uri", "importedFrom": "str", "languages": "list", "schemes": "map",
              "mainScheme": "id", "inScheme": "ids", "required": "map",
              "notationDatatype": "uri", "build": "map"}
    fields = _Fields(doc, (), schema, ("base", "schemes", "mainScheme"), errors,
                     PROFILE_FILE)
    if not fields.mapping:
        return None
    base = fields.uri("base") or ""
    if base and not base.endswith(("/", "#")):
        fields.fail(("base",), "'base' must end with '/' or '#'", f"write 'base: {base}/'")
    schemes: dict[str, str] = {}
    raw_schemes = fields.mapping.get("schemes")
    if not isinstance(raw_schemes, dict) or not raw_schemes:
        fields.fail(("schemes",), "'schemes' must map scheme ids to their URIs",
                    "write 'schemes:' then lines such as '  main: https://example.org/scheme'")
    else:
        for scheme_id, uri in raw_schemes.items():
            if not isinstance(scheme_id, str) or not ID_PATTERN.match(scheme_id):
                fields.fail(("schemes", scheme_id), f"'{scheme_id}' is not a valid scheme id",
                            "use lower-case words joined by '-'")
            elif not isinstance(uri, str) or not IRI_PATTERN.match(uri):
                fields.fail(("schemes", scheme_id), f"the URI of scheme '{scheme_id}' is not "
                            "an absolute URI", "write the full URI")
            else:
                schemes[scheme_id] = uri
    main = fields.one_id("mainScheme") or ""
    if schemes and main not in schemes:
        fields.fail(("mainScheme",), f"'{main}' is not one of the schemes",
                    "name one of the ids under 'schemes'")
    in_scheme = fields.ids("inScheme")
    for i, scheme_id in enumerate(in_scheme):
        if scheme_id not in schemes:
            fields.fail(("inScheme", i), f"'{scheme_id}' is not one of the schemes",
                        "name ids listed under 'schemes'")
    languages = fields.mapping.get("languages") or []
    if not isinstance(languages, list) or not all(
            isinstance(x, str) and ANY_LANGUAGE_TAG.match(x) for x in languages):
        fields.fail(("languages",), "'languages' must be a list of language tags",
                    "write 'languages: [en, de]'")
        languages = []
    required: dict[str, list[str]] = {}
    raw_required = fields.mapping.get("required") or {}
    if not isinstance(raw_required, dict):
        fields.fail(("required",), "'required' must map prefLabel or definition to languages",
                    "write 'required: {prefLabel: [en], definition: []}'")
    else:
        for key, langs in raw_required.items():
            if key not in ("prefLabel", "definition") or not isinstance(langs, list) or not all(
                    isinstance(x, str) and ANY_LANGUAGE_TAG.match(x) for x in langs):
                fields.fail(("required", key), f"'required' cannot say {key}: {langs!r}",
                            "write 'prefLabel: [en]' or 'definition: []'")
            else:
                required[key] = langs
    build: dict[str, bool] = {}
    raw_build = fields.mapping.get("build") or {}
    if not isinstance(raw_build, dict):
        fields.fail(("build",), "'build' must map derived statements to true or false",
                    "write 'build:' then lines such as '  narrower: true'")
    else:
        for key, value in raw_build.items():
            if key not in PROFILE_BUILD:
                fields.fail(("build", key), f"unknown key '{key}' in 'build'",
                            _did_you_mean(key, PROFILE_BUILD))
            elif not isinstance(value, bool):
                fields.fail(("build", key), f"'{key}' must be true or false",
                            f"write '{key}: true' or '{key}: false'")
            else:
                build[key] = value
    metadata = None
    scheme_path = data_dir / SCHEME_FILE
    if scheme_path.is_file():
        from rdflib import Graph

        metadata = Graph()
        try:
            metadata.parse(scheme_path, format="turtle", publicID=base or None)
        except Exception as exc:  # noqa: BLE001 - any parser error is the file's mistake
            line = getattr(exc, "lines", None) or 1
            errors.append(DataError(scheme_path, line if isinstance(line, int) else 1,
                                    f"{SCHEME_FILE} is not valid Turtle: {exc}",
                                    "fix the Turtle syntax"))
            metadata = None
    if not fields.ok:
        return None
    return Profile(base=base, schemes=schemes, main=main, languages=list(languages),
                   required=required, in_scheme=in_scheme,
                   notation_datatype=fields.uri("notationDatatype"), build=build,
                   metadata=metadata, imported_from=fields.string("importedFrom"),
                   origin=Origin(path, 1))


def _both_if_any(fields: _Fields, key: str) -> tuple[str, ...]:
    """Notes are optional, but a note written in one language must exist in both."""
    return LANGUAGES if key in fields.mapping else ()


def _parse_sources(doc: YamlDocument, errors: list[DataError],
                   profile: Profile | None = None) -> dict[str, Source]:
    if not isinstance(doc.data, dict):
        errors.append(doc.error((), "sources.yaml must map source ids to their details",
                                "write 'some-id:' then 'title:' and 'publisher:' indented"))
        return {}
    sources: dict[str, Source] = {}
    for source_id in doc.data:
        if not ID_PATTERN.match(source_id):
            errors.append(doc.error((source_id,), f"'{source_id}' is not a valid source id",
                                    f"use lower-case words joined by '-', e.g. {_slug(source_id)}"))
            continue
        if profile is None:
            fields = _Fields(doc, (source_id,), SOURCE_KEYS, SOURCE_REQUIRED, errors,
                             f"source '{source_id}'")
        else:
            fields = _Fields(doc, (source_id,), {**SOURCE_KEYS, **PROFILE_SOURCE_KEYS}, (),
                             errors, f"source '{source_id}'", verbatim=True)
        if not fields.mapping and (profile is None or _get(doc.data, (source_id,)) != {}):
            continue
        source = Source(
            id=source_id,
            title=fields.string("title") or "",
            subtitle=fields.string("subtitle"),
            publisher=fields.string("publisher") or "",
            language=fields.string("language") or ("fr" if profile is None else None),
            kind=fields.text("kind"),
            date=fields.day("date"),
            terms=fields.integer("terms"),
            note=fields.text("note"),
            file=fields.string("file"),
            origin=Origin(doc.path, doc.line(source_id)),
            uri=fields.uri("uri") if profile is not None else None,
        )
        if fields.ok:
            sources[source_id] = source
    return sources


def _parse_collections(doc: YamlDocument, errors: list[DataError],
                       profile: Profile | None = None) -> dict[str, Collection]:
    if not isinstance(doc.data, dict):
        errors.append(doc.error((), "collections.yaml must map collection ids to their details",
                                "write 'some-id:' then 'prefLabel:', 'definition:', 'members:'"))
        return {}
    collections: dict[str, Collection] = {}
    for collection_id in doc.data:
        if not ID_PATTERN.match(collection_id):
            errors.append(doc.error((collection_id,),
                                    f"'{collection_id}' is not a valid collection id",
                                    f"use lower-case words joined by '-', "
                                    f"e.g. {_slug(collection_id)}"))
            continue
        if profile is None:
            fields = _Fields(doc, (collection_id,), COLLECTION_KEYS, COLLECTION_REQUIRED,
                             errors, f"collection '{collection_id}'")
        else:
            fields = _Fields(doc, (collection_id,),
                             {**COLLECTION_KEYS, **PROFILE_COLLECTION_KEYS}, (), errors,
                             f"collection '{collection_id}'", verbatim=True)
        if not fields.mapping and (profile is None
                                   or _get(doc.data, (collection_id,)) != {}):
            continue
        languages = LANGUAGES if profile is None else ()
        collection = Collection(
            id=collection_id,
            pref_label=fields.text("prefLabel", languages),
            definition=fields.text("definition", languages),
            scope_note=fields.text("scopeNote", _both_if_any(fields, "scopeNote")
                                   if profile is None else ()),
            members=fields.ids("members"),
            ordered=fields.flag("ordered", True),
            stages=fields.flag("stages", False),
            sources=fields.ids("sources"),
            depicts=fields.one_id("depicts"),
            origin=Origin(doc.path, doc.line(collection_id)),
        )
        if profile is not None:
            collection.uri = fields.uri("uri")
            collection.in_scheme = fields.ids("inScheme")
            collection.alt_label = fields.texts("altLabel")
            collection.hidden_label = fields.texts("hiddenLabel")
        if collection.stages and not collection.ordered:
            fields.fail(("stages",), "'stages: true' needs an ordered collection",
                         "remove 'ordered: false' or 'stages: true'")
        if fields.ok:
            collections[collection_id] = collection
    return collections


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
                                             _did_you_mean(target, known, where)))

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
        if concept.top_concept and concept.broader:
            self.errors.append(doc.error(("broader",),
                                         "a top concept cannot have a broader concept",
                                         "remove 'topConcept: true' or the 'broader' list"))
        if not concept.top_concept and not concept.broader:
            self.errors.append(doc.error((),
                                         f"concept '{concept.id}' has no place in the hierarchy",
                                         "add 'broader: [a-theme-or-concept]' "
                                         "(or 'topConcept: true' for a theme)"))

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
                                         _did_you_mean(collection.depicts, self.concepts,
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
        for lang in set(concept.alt_label) | set(concept.hidden_label):
            pref = fold_case(concept.pref_label.get(lang, ""))
            alts = {fold_case(x) for x in concept.alt_label.get(lang, [])}
            for kind, labels in (("altLabel", concept.alt_label), ("hiddenLabel",
                                                                   concept.hidden_label)):
                for label in labels.get(lang, []):
                    folded = fold_case(label)
                    if folded == pref:
                        errors.append(doc.error((kind, lang), f"'{label}' is also the preferred "
                                                f"label ({lang})", f"remove it from '{kind}'"))
                    elif kind == "hiddenLabel" and folded in alts:
                        errors.append(doc.error((kind, lang), f"'{label}' is both an altLabel "
                                                "and a hiddenLabel", "keep it in one list only"))


def _check_label_clashes(concepts: dict[str, Concept], docs: dict[str, YamlDocument],
                         errors: list[DataError]) -> None:
    """In an imported vocabulary: SKOS S13 only, with labels compared exactly."""
    for concept_id, concept in sorted(concepts.items()):
        doc = docs[concept_id]
        for lang in set(concept.alt_label) | set(concept.hidden_label):
            pref = concept.pref_label.get(lang)
            alts = set(concept.alt_label.get(lang, []))
            for kind, labels in (("altLabel", concept.alt_label),
                                 ("hiddenLabel", concept.hidden_label)):
                for label in labels.get(lang, []):
                    if label == pref:
                        errors.append(doc.error((kind, lang), f"'{label}' is also the preferred "
                                                f"label ({lang})", f"remove it from '{kind}'"))
                    elif kind == "hiddenLabel" and label in alts:
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


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "new-id"


def _did_you_mean(word: str, choices: Any, where: str = "") -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    if where:
        return f"use an id that exists in {where}"
    return "allowed keys: " + ", ".join(sorted(choices))


def _get(data: Any, keypath: KeyPath) -> Any:
    for key in keypath:
        data = data.get(key) if isinstance(data, dict) else None
    return data


__all__ = ["DataError", "DataErrors", "MATCH_KEYS", "NO_LANGUAGE", "PROFILE_BUILD",
           "PROFILE_FILE", "SCHEME_FILE", "TYPED_RELATION_KEYS", "load_vocabulary"]

"""One YAML entry → a concept, a collection or a source of the model.

Our own data and an imported vocabulary share these parsers: what differs between
them is data (the :class:`~graph.vocabulary.schema.Schema` of each kind of entry) and
the few fields only a profile allows, read by the ``_profile_*`` hooks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from graph.vocabulary.fields import Fields, slug
from graph.vocabulary.model import Collection, Concept, Origin, Profile, Source
from graph.vocabulary.schema import (
    COLLECTION_SCHEMA,
    EXTRA_NOTE_KEYS,
    ID_PATTERN,
    IMPORTED_COLLECTION_SCHEMA,
    IMPORTED_SOURCE_SCHEMA,
    IMPORTED_TERM_SCHEMA,
    MATCH_KEYS,
    NOTE_KEYS,
    PROFILE_FILE,
    SOURCE_SCHEMA,
    TERM_SCHEMA,
    TYPED_RELATION_KEYS,
    Schema,
)
from graph.vocabulary.yamlfile import DataError, YamlDocument


def term_schema(profile: Profile | None) -> Schema:
    """Our rules, or those of an imported vocabulary with the languages its profile
    requires."""
    if profile is None:
        return TERM_SCHEMA
    return replace(IMPORTED_TERM_SCHEMA, languages={
        key: tuple(langs) for key, langs in profile.required.items()})


def parse_terms(documents: dict[str, YamlDocument], errors: list[DataError],
                profile: Profile | None = None,
                ) -> tuple[dict[str, Concept], dict[str, YamlDocument]]:
    """The concepts of the term files, and the file of each (for the checks across files)."""
    schema = term_schema(profile)
    concepts: dict[str, Concept] = {}
    raw_terms: dict[str, YamlDocument] = {}
    for _name, doc in sorted(documents.items()):
        concept = parse_term(doc, errors, schema, profile)
        if concept is not None:
            concepts[concept.id] = concept
            raw_terms[concept.id] = doc
    return concepts, raw_terms


def parse_term(doc: YamlDocument, errors: list[DataError], schema: Schema,
               profile: Profile | None = None) -> Concept | None:
    """One term file; ``schema`` is :func:`term_schema` of ``profile``."""
    concept_id = doc.path.stem
    if not ID_PATTERN.match(concept_id):
        errors.append(DataError(doc.path, 1, f"'{doc.path.name}' is not a valid concept id",
                                "rename the file with lower-case letters, digits and '-', "
                                "e.g. " + slug(concept_id) + ".yaml"))
        return None
    fields = Fields(doc, (), schema, errors, f"concept '{concept_id}'")
    if _skipped(fields, schema):
        return None
    if profile is not None:
        _profile_check_required(fields, schema, concept_id)
    notes, extra_notes = _notes(fields, schema)
    extras = {} if profile is None else _profile_concept_fields(fields, profile)
    broader = fields.ids("broader")
    concept = Concept(
        id=concept_id,
        pref_label=fields.text("prefLabel", schema.languages_of("prefLabel")),
        definition=notes["definition"],
        alt_label=fields.texts("altLabel"),
        hidden_label=fields.texts("hiddenLabel"),
        scope_note=notes["scopeNote"],
        editorial_note=notes["editorialNote"],
        example=notes["example"],
        history_note=notes["historyNote"],
        sources=fields.ids("sources"),
        broader=broader,
        related=fields.ids("related"),
        typed={key: fields.ids(key) for key in TYPED_RELATION_KEYS if key in fields.mapping},
        top_concept=fields.flag("topConcept", False) if profile is not None else not broader,
        not_in_glossaries=fields.flag("notInGlossaries", False),
        origin=Origin(doc.path, 1),
        extra_notes=extra_notes,
        **extras,
    )
    # kept even when a field is wrong, so that links to it are not reported as unknown too
    return concept


def _skipped(fields: Fields, schema: Schema) -> bool:
    """An entry that is not a mapping (already reported), or is empty where that is not
    allowed."""
    return not fields.mapping and not (schema.empty_allowed and fields.is_mapping)


def _notes(fields: Fields, schema: Schema,
           ) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, list[str]]]]:
    """The notes of a concept by key, and what the fields of Concept do not hold: with a
    profile, the second and later texts of a language, and the notes of EXTRA_NOTE_KEYS."""
    notes: dict[str, dict[str, str]] = {}
    extra_notes: dict[str, dict[str, list[str]]] = {}
    for key in (*NOTE_KEYS, *EXTRA_NOTE_KEYS):
        if key not in schema.keys:
            continue  # the extra notes, in our own data
        first, more = fields.notes(key, schema.languages_of(key))
        if key in EXTRA_NOTE_KEYS:
            merged = {lang: [text, *more.get(lang, [])] for lang, text in first.items()}
            if merged:
                extra_notes[key] = merged
        else:
            notes[key] = first
            if more:
                extra_notes[key] = more
    return notes, extra_notes


def _profile_check_required(fields: Fields, schema: Schema, concept_id: str) -> None:
    """A concept of an imported vocabulary: the languages its profile requires."""
    for key in ("prefLabel", "definition"):
        languages = schema.languages_of(key)
        if languages and key not in fields.mapping:
            fields.fail((), f"concept '{concept_id}' has no '{key}'",
                        f"add '{key}:' with its {', '.join(languages)} values "
                        f"(the languages that {PROFILE_FILE} requires)")


def _profile_concept_fields(fields: Fields, profile: Profile) -> dict[str, Any]:
    """The fields of Concept that only an imported vocabulary fills."""
    return {
        "uri": fields.uri("uri"),
        "in_scheme": fields.ids("inScheme") if "inScheme" in fields.mapping else None,
        "top_concept_of": fields.ids("topConceptOf"),
        "notation": fields.notations("notation", profile.notation_datatype),
        "matches": {key: fields.uris(key) for key in MATCH_KEYS if key in fields.mapping},
    }


def _entries(doc: YamlDocument, errors: list[DataError], kind: str,
             schema: Schema) -> Iterator[tuple[str, Fields]]:
    """The entries of ``sources.yaml`` or ``collections.yaml`` that have a valid id, with
    their fields."""
    for entry_id in doc.data:
        if not ID_PATTERN.match(entry_id):
            errors.append(doc.error((entry_id,), f"'{entry_id}' is not a valid {kind} id",
                                    f"use lower-case words joined by '-', "
                                    f"e.g. {slug(entry_id)}"))
            continue
        fields = Fields(doc, (entry_id,), schema, errors, f"{kind} '{entry_id}'")
        if not _skipped(fields, schema):
            yield entry_id, fields


def parse_sources(doc: YamlDocument, errors: list[DataError],
                  profile: Profile | None = None) -> dict[str, Source]:
    """The sources of ``sources.yaml`` that have no mistake."""
    if not isinstance(doc.data, dict):
        errors.append(doc.error((), "sources.yaml must map source ids to their details",
                                "write 'some-id:' then 'title:' and 'publisher:' indented"))
        return {}
    schema = SOURCE_SCHEMA if profile is None else IMPORTED_SOURCE_SCHEMA
    sources: dict[str, Source] = {}
    for source_id, fields in _entries(doc, errors, "source", schema):
        source = Source(
            id=source_id,
            title=fields.string("title") or "",
            subtitle=fields.string("subtitle"),
            publisher=fields.string("publisher") or "",
            publisher_label=fields.text("publisherLabel"),
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


def parse_collections(doc: YamlDocument, errors: list[DataError],
                      profile: Profile | None = None) -> dict[str, Collection]:
    """The collections of ``collections.yaml`` that have no mistake."""
    if not isinstance(doc.data, dict):
        errors.append(doc.error((), "collections.yaml must map collection ids to their details",
                                "write 'some-id:' then 'prefLabel:', 'definition:', 'members:'"))
        return {}
    schema = COLLECTION_SCHEMA if profile is None else IMPORTED_COLLECTION_SCHEMA
    collections: dict[str, Collection] = {}
    for collection_id, fields in _entries(doc, errors, "collection", schema):
        extras = {} if profile is None else _profile_collection_fields(fields)
        group = fields.flag("group", False)
        collection = Collection(
            id=collection_id,
            pref_label=fields.text("prefLabel", schema.languages_of("prefLabel")),
            definition=fields.text("definition", schema.languages_of("definition")),
            scope_note=fields.text("scopeNote", schema.languages_of("scopeNote")),
            members=fields.ids("members"),
            ordered=fields.flag("ordered", not group),
            stages=fields.flag("stages", False),
            group=group,
            sources=fields.ids("sources"),
            depicts=fields.one_id("depicts"),
            origin=Origin(doc.path, doc.line(collection_id)),
            **extras,
        )
        if collection.group and collection.ordered:
            fields.fail(("ordered",), "a group of concepts is not ordered",
                        "remove 'ordered: true' (or 'group: true' for an ordered collection)")
        if collection.stages and not collection.ordered:
            fields.fail(("stages",), "'stages: true' needs an ordered collection",
                         "remove 'ordered: false' or 'stages: true'")
        if fields.ok:
            collections[collection_id] = collection
    return collections


def _profile_collection_fields(fields: Fields) -> dict[str, Any]:
    """The fields of Collection that only an imported vocabulary fills."""
    return {
        "uri": fields.uri("uri"),
        "in_scheme": fields.ids("inScheme"),
        "alt_label": fields.texts("altLabel"),
        "hidden_label": fields.texts("hiddenLabel"),
    }

"""What the YAML files of a vocabulary may say: the keys of each kind of entry.

Two sets of rules share these tables: those of our own data, and the looser ones of an
imported vocabulary (a folder with a profile, ``vocabulary.yaml``). A :class:`Schema`
holds the rules of one kind of entry, so that one parser reads both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.mappings import MATCH_KINDS
from graph.relations import IN_FILES
from graph.vocabulary.model import LANGUAGES

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
    "notInGlossaries": "bool",
}
TERM_REQUIRED = ("prefLabel", "definition")

COLLECTION_KEYS = {
    "prefLabel": "text",
    "definition": "text",
    "scopeNote": "text",
    "members": "ids",
    "ordered": "bool",
    "stages": "bool",
    "group": "bool",
    "sources": "sources",
    "depicts": "id",
}
COLLECTION_REQUIRED = ("prefLabel", "definition", "members")

SOURCE_KEYS = {
    "title": "str",
    "subtitle": "str",
    "publisher": "str",
    "publisherLabel": "text",
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
MATCH_KEYS = tuple(kind.key for kind in MATCH_KINDS)
#: the file of a data folder that maps its concepts to other vocabularies (optional)
MAPPINGS_FILE = "mappings.yaml"
#: notes a concept may hold with a profile, beside those of TERM_KEYS
EXTRA_NOTE_KEYS = ("note", "changeNote")
#: keys of TERM_KEYS holding notes (one text per language; several with a profile)
NOTE_KEYS = ("definition", "scopeNote", "editorialNote", "example", "historyNote")

PROFILE_TERM_KEYS = {
    "uri": "uri",
    "inScheme": "schemes",
    # our own data derives its top concepts (the concepts with no broader one)
    "topConcept": "bool",
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


@dataclass(frozen=True)
class Schema:
    """The rules of one kind of entry (a concept, a collection, a source, the profile)."""

    #: key → what it holds (see TERM_KEYS); any other key is reported
    keys: dict[str, str]
    #: keys the entry must have
    required: tuple[str, ...] = ()
    #: an imported vocabulary: texts kept exactly, labels compared exactly, any tag
    verbatim: bool = False
    #: key → the languages its text must have when it is written
    languages: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: an entry with no keys at all is kept (SKOS allows it; our own data does not)
    empty_allowed: bool = False
    #: keys that belong in another file → the fix that says where
    elsewhere: dict[str, str] = field(default_factory=dict)

    def languages_of(self, key: str) -> tuple[str, ...]:
        return self.languages.get(key, ())


# Our own data: every label and definition in fr and en. Notes are optional, but a note
# written in one language must exist in both.
TERM_SCHEMA = Schema(TERM_KEYS, TERM_REQUIRED,
                     languages={key: LANGUAGES for key in ("prefLabel", *NOTE_KEYS)},
                     elsewhere={key: f"links to other vocabularies go in data/{MAPPINGS_FILE}: "
                                     f"write '<concept id>:' then '  {key}: [IRI]' there"
                                for key in MATCH_KEYS})
COLLECTION_SCHEMA = Schema(COLLECTION_KEYS, COLLECTION_REQUIRED, languages={
    key: LANGUAGES for key in ("prefLabel", "definition", "scopeNote")})
SOURCE_SCHEMA = Schema(SOURCE_KEYS, SOURCE_REQUIRED)

# An imported vocabulary: no key is required, and a concept needs the languages its
# profile requires (see graph.vocabulary.parse.term_schema).
IMPORTED_TERM_SCHEMA = Schema({**TERM_KEYS, **PROFILE_TERM_KEYS}, verbatim=True,
                              empty_allowed=True)
IMPORTED_COLLECTION_SCHEMA = Schema({**COLLECTION_KEYS, **PROFILE_COLLECTION_KEYS},
                                    verbatim=True, empty_allowed=True)
IMPORTED_SOURCE_SCHEMA = Schema({**SOURCE_KEYS, **PROFILE_SOURCE_KEYS}, verbatim=True,
                                empty_allowed=True)

# mappings.yaml: concept id → mapping relation → IRIs of concepts of other vocabularies
MAPPING_SCHEMA = Schema({key: "uris" for key in MATCH_KEYS}, empty_allowed=True)

"""The vocabulary as plain Python objects, between the YAML files and RDF.

The model holds only what the files say (one direction of each link); the
inverse links (narrower, symmetric related, hasTopConcept …) are added by
:mod:`graph.vocabulary.build`, so the files never have to repeat them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from graph.text import LANGUAGES, acronyms

__all__ = ["LANGUAGES"]  # the languages every concept is written in (graph.text)

#: language tag → text
LangText = dict[str, str]
#: language tag → several texts
LangTexts = dict[str, list[str]]



@dataclass(frozen=True)
class Origin:
    """Where a piece of data was written, for error messages and provenance."""

    path: Path
    line: int  # 1-based

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass
class Concept:
    id: str
    pref_label: LangText
    definition: LangText
    alt_label: LangTexts = field(default_factory=dict)
    hidden_label: LangTexts = field(default_factory=dict)
    scope_note: LangText = field(default_factory=dict)
    editorial_note: LangText = field(default_factory=dict)
    example: LangText = field(default_factory=dict)
    history_note: LangText = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    broader: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    #: typed relations by YAML key (``counterpart``, ``measuredBy`` …)
    typed: dict[str, list[str]] = field(default_factory=dict)
    #: in our own data, derived: a concept with no broader one is a top concept
    top_concept: bool = False
    #: the editors added the concept (the definitions use it), no glossary defines it
    not_in_glossaries: bool = False
    origin: Origin | None = None
    # --- only in a vocabulary with a profile (vocabulary.yaml, written by `crmkg import`) ---
    #: the concept's URI when it is not ``<base>id/<id>``
    uri: str | None = None
    #: ids of the schemes the concept is in; None: the profile's default
    in_scheme: list[str] | None = None
    #: ids of further schemes the concept is a top concept of (``top_concept``: the main one)
    top_concept_of: list[str] = field(default_factory=list)
    #: skos:notation values: (text, datatype URI or None)
    notation: list[tuple[str, str | None]] = field(default_factory=list)
    #: mapping relations by YAML key (``exactMatch`` …) → URIs
    matches: dict[str, list[str]] = field(default_factory=dict)
    #: note values the fields above do not hold, by YAML key (``note``, ``changeNote``, and
    #: the second and later values of a note in one language) → language → texts
    extra_notes: dict[str, LangTexts] = field(default_factory=dict)

    def acronyms(self, lang: str) -> list[str]:
        """The acronyms of the concept in ``lang`` (MQL; GDPR in English, RGPD in French)."""
        return acronyms(self.pref_label.get(lang, ""), self.alt_label.get(lang, []))


@dataclass
class Collection:
    id: str
    pref_label: LangText
    definition: LangText
    members: list[str]
    ordered: bool = True
    #: consecutive members are stages of one process: link them with crmkg:precedes
    stages: bool = False
    #: a group of concepts by subject (isothes:ConceptGroup), not a structure: unordered
    group: bool = False
    sources: list[str] = field(default_factory=list)
    #: the concept this collection depicts (the funnel collection depicts ``funnel``)
    depicts: str | None = None
    scope_note: LangText = field(default_factory=dict)
    origin: Origin | None = None
    # --- only in a vocabulary with a profile ---
    uri: str | None = None
    in_scheme: list[str] = field(default_factory=list)
    alt_label: LangTexts = field(default_factory=dict)
    hidden_label: LangTexts = field(default_factory=dict)


@dataclass
class Source:
    id: str
    title: str
    publisher: str
    subtitle: str | None = None
    #: the language of the title (and dct:language); None only in a profile without one
    language: str | None = "fr"
    kind: LangText = field(default_factory=dict)
    date: date | None = None
    terms: int | None = None
    note: LangText = field(default_factory=dict)
    file: str | None = None
    origin: Origin | None = None
    uri: str | None = None  # only in a vocabulary with a profile
    #: the publisher in each language, when ``publisher`` describes it rather than names
    #: it ("Un blog français de marketing"): a deck in English must not say it in French
    publisher_label: LangText = field(default_factory=dict)

    def publisher_in(self, lang: str) -> str:
        """The publisher as a reader of ``lang`` should see it."""
        return self.publisher_label.get(lang) or self.publisher


@dataclass
class Profile:
    """How an imported vocabulary is read and built (``vocabulary.yaml`` of its folder).

    Our own data has no profile: the loader's rules and the build's conventions are
    then those of the README. ``crmkg import`` writes one beside the YAML it makes from
    another SKOS vocabulary, saying what differs: the namespace, the schemes, the
    languages every concept must have, and which statements the build derives
    (an imported file may state narrower links, or not, and so on).
    """

    base: str
    #: scheme id → URI; ``main`` is the scheme of ``topConcept: true`` and the default
    schemes: dict[str, str]
    main: str
    #: the languages of the vocabulary, most used first (informational)
    languages: list[str] = field(default_factory=list)
    #: YAML key (prefLabel, definition) → languages every concept must have
    required: dict[str, list[str]] = field(default_factory=dict)
    #: scheme ids of a concept that has no ``inScheme`` key
    in_scheme: list[str] = field(default_factory=list)
    #: datatype of the notations written as plain texts (None: plain literals)
    notation_datatype: str | None = None
    #: which statements the build derives, by name (see graph.vocabulary.load.PROFILE_BUILD)
    build: dict[str, bool] = field(default_factory=dict)
    #: the description of the schemes (and the agents they name): scheme.ttl, parsed
    metadata: Any = None
    #: the file the vocabulary was imported from (informational)
    imported_from: str | None = None
    origin: Origin | None = None

    def derives(self, name: str) -> bool:
        return self.build.get(name, False)

    @property
    def main_uri(self) -> str:
        return self.schemes[self.main]


@dataclass
class Vocabulary:
    concepts: dict[str, Concept]
    collections: dict[str, Collection]
    sources: dict[str, Source]
    #: None for our own data; the import profile of an imported vocabulary
    profile: Profile | None = None

    def top_concepts(self) -> list[Concept]:
        return [c for c in self.concepts.values() if c.top_concept]

    def groups(self) -> list[Collection]:
        return [c for c in self.collections.values() if c.group]

    def groups_of(self, concept_id: str) -> list[str]:
        """The ids of the groups the concept is a member of, in the order of the file."""
        return [c.id for c in self.groups() if concept_id in c.members]

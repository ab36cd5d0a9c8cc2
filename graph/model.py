"""The vocabulary as plain Python objects, between the YAML files and RDF.

The model holds only what the files say (one direction of each link); the
inverse links (narrower, symmetric related, hasTopConcept …) are added by
:mod:`graph.build`, so the files never have to repeat them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

#: language tag → text
LangText = dict[str, str]
#: language tag → several texts
LangTexts = dict[str, list[str]]

#: The languages every concept is written in.
LANGUAGES = ("fr", "en")


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
    top_concept: bool = False
    origin: Origin | None = None


@dataclass
class Collection:
    id: str
    pref_label: LangText
    definition: LangText
    members: list[str]
    ordered: bool = True
    #: consecutive members are stages of one process: link them with crmkg:precedes
    stages: bool = False
    sources: list[str] = field(default_factory=list)
    #: the concept this collection depicts (the funnel collection depicts ``funnel``)
    depicts: str | None = None
    scope_note: LangText = field(default_factory=dict)
    origin: Origin | None = None


@dataclass
class Source:
    id: str
    title: str
    publisher: str
    subtitle: str | None = None
    language: str = "fr"
    kind: LangText = field(default_factory=dict)
    date: date | None = None
    terms: int | None = None
    note: LangText = field(default_factory=dict)
    file: str | None = None
    origin: Origin | None = None


@dataclass
class Vocabulary:
    concepts: dict[str, Concept]
    collections: dict[str, Collection]
    sources: dict[str, Source]

    def top_concepts(self) -> list[Concept]:
        return [c for c in self.concepts.values() if c.top_concept]

    def themes_of(self, concept_id: str) -> list[str]:
        """The top concepts above a concept, following broader links."""
        seen: set[str] = set()
        found: list[str] = []
        stack = [concept_id]
        while stack:
            current = self.concepts[stack.pop()]
            if current.top_concept and current.id != concept_id:
                found.append(current.id)
            for parent in current.broader:
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        return sorted(found)

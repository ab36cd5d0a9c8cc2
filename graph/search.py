"""Find concepts by any of their labels, ignoring case and accents.

"qualifie" finds "qualifié", "mql" finds "MQL": every pref, alt and hidden
label is folded (accents stripped, case folded, punctuation turned to spaces)
and matched exactly first, then as a prefix of a word, then as a substring.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rdflib import Graph, URIRef

from graph.namespaces import RDF, SKOS

LABEL_PROPERTIES = {SKOS.prefLabel: "pref", SKOS.altLabel: "alt", SKOS.hiddenLabel: "hidden"}


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", without_accents.casefold()).split())


@dataclass(frozen=True)
class Match:
    concept: URIRef
    label: str
    language: str
    kind: str  # pref, alt or hidden
    rank: int  # 0 exact, 1 word prefix, 2 substring


class LabelIndex:
    def __init__(self, graph: Graph):
        self.entries: list[tuple[str, URIRef, str, str, str]] = []
        self.concepts = concepts = set(graph.subjects(RDF.type, SKOS.Concept))
        for predicate, kind in LABEL_PROPERTIES.items():
            for subject, literal in graph.subject_objects(predicate):
                if subject in concepts:
                    self.entries.append((fold(str(literal)), subject, str(literal),
                                         getattr(literal, "language", None) or "", kind))
        self.entries.sort()

    def search(self, text: str, limit: int = 20) -> list[Match]:
        """Best match per concept, best concepts first; hidden labels match but rank last."""
        query = fold(text)
        if not query:
            return []
        best: dict[URIRef, Match] = {}
        for folded, concept, label, lang, kind in self.entries:
            if folded == query:
                rank = 0
            elif folded.startswith(query) or f" {query}" in f" {folded}":
                rank = 1
            elif query in folded:
                rank = 2
            else:
                continue
            match = Match(concept, label, lang, kind, rank)
            if concept not in best or _order(match) < _order(best[concept]):
                best[concept] = match
        return sorted(best.values(), key=_order)[:limit]

    def resolve(self, text: str) -> URIRef | None:
        """The one concept a user means by an id, a URI or a label, if there is one."""
        for concept in self.concepts:
            if str(concept) == text or str(concept).rsplit("/", 1)[-1] == text:
                return concept
        matches = self.search(text, limit=2)
        if matches and matches[0].rank == 0 and (len(matches) == 1 or matches[1].rank > 0):
            return matches[0].concept
        return None


def _order(match: Match) -> tuple[int, int, int, str]:
    kind_order = {"pref": 0, "alt": 1, "hidden": 2}[match.kind]
    return (match.rank, kind_order, len(match.label), match.label.casefold())

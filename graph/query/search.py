"""Find concepts by any of their labels, ignoring case and accents.

"qualifie" finds "qualifié", "mql" finds "MQL": every pref, alt and hidden
label is folded (accents stripped, case folded, punctuation turned to spaces)
and matched exactly first, then as a prefix of a word, then as a substring.

The index is built from an rdflib graph (the command line) or from rows that
the store gives (the web app: ``LabelIndex.deferred``, built in a background
thread so that start-up does not wait for the 50k labels of a large
vocabulary; a search waits until it is ready). Looking up is sub-linear for
exact and word-prefix matches (a sorted list of every word-start suffix) and
a scan of one string in C for substrings, needed only when the first two do
not fill the page.
"""

from __future__ import annotations

import logging
import threading
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from rdflib import Graph

from graph.namespaces import RDF, SKOS
from graph.text import fold_search

log = logging.getLogger(__name__)

LABEL_PROPERTIES = {SKOS.prefLabel: "pref", SKOS.altLabel: "alt", SKOS.hiddenLabel: "hidden"}
KIND_ORDER = {"pref": 0, "alt": 1, "hidden": 2}
#: how long a search waits for an index still being built, in seconds
READY_TIMEOUT = 120.0

#: one label: (concept, label, language, kind)
LabelEntry = tuple[Any, str, str, str]



@dataclass(frozen=True)
class Match:
    concept: Any  # a URIRef from a graph, a str from the store
    label: str
    language: str
    kind: str  # pref, alt or hidden
    rank: int  # 0 exact, 1 word prefix, 2 substring


def entries_from_graph(graph: Graph) -> tuple[set[Any], list[LabelEntry]]:
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    entries = [(subject, str(literal), getattr(literal, "language", None) or "", kind)
               for predicate, kind in LABEL_PROPERTIES.items()
               for subject, literal in graph.subject_objects(predicate) if subject in concepts]
    return concepts, entries


class LabelIndex:
    def __init__(self, graph: Graph | None = None, *,
                 entries: Iterable[LabelEntry] | None = None,
                 concepts: Iterable[Hashable] | None = None):
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self.entries: list[tuple[str, Any, str, str, str]] = []
        self.concepts: set[Any] = set()
        self.build_seconds = 0.0
        if graph is not None:
            concepts, entries = entries_from_graph(graph)
        if entries is not None:
            self._build(entries, concepts)

    @classmethod
    def deferred(cls, load: Callable[[], Iterable[LabelEntry]], *,
                 background: bool = True) -> LabelIndex:
        """An index of the entries ``load`` gives, built now or in a background thread."""
        index = cls()

        def build() -> None:
            try:
                index._build(load(), None)
            except BaseException as exc:  # noqa: BLE001 - reported to every search
                log.exception("the label index could not be built")
                index._error = exc
                index._ready.set()

        if background:
            threading.Thread(target=build, daemon=True, name="crmkg-label-index").start()
        else:
            build()
        return index

    def _build(self, entries: Iterable[LabelEntry], concepts: Iterable[Hashable] | None) -> None:
        started = time.perf_counter()
        rows = sorted((fold_search(label), concept, label, lang, kind)
                      for concept, label, lang, kind in entries)
        self.concepts = set(concepts) if concepts is not None else {r[1] for r in rows}
        # every word-start suffix of every folded label, sorted: exact and prefix matches
        keys: list[tuple[str, int]] = []
        for number, (folded, *_rest) in enumerate(rows):
            keys.append((folded, number))
            for position, char in enumerate(folded):
                if char == " ":
                    keys.append((folded[position + 1:], number))
        keys.sort()
        self._keys = [k for k, _ in keys]
        self._key_rows = [n for _, n in keys]
        # all folded labels in one string, for substring matches
        self._offsets: list[int] = []
        parts, offset = [], 0
        for folded, *_rest in rows:
            self._offsets.append(offset)
            parts.append(folded)
            offset += len(folded) + 1
        self._text = "\n".join(parts)
        by_local: dict[str, Any] = {}
        for concept in sorted(self.concepts, key=str):
            by_local.setdefault(str(concept).rsplit("/", 1)[-1], concept)
        self._by_local = by_local
        self._by_uri = {str(c): c for c in self.concepts}
        self.entries = rows
        self.build_seconds = time.perf_counter() - started
        self._ready.set()

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def wait(self, timeout: float = READY_TIMEOUT) -> None:
        if not self._ready.wait(timeout):
            raise TimeoutError("the label index is still being built; try again shortly")
        if self._error is not None:
            raise RuntimeError(f"the label index could not be built: {self._error}")

    def __len__(self) -> int:
        self.wait()
        return len(self.entries)

    def search(self, text: str, limit: int = 20) -> list[Match]:
        """Best match per concept, best concepts first; hidden labels match but rank last."""
        query = fold_search(text)
        if not query:
            return []
        self.wait()
        best: dict[Any, Match] = {}

        def consider(number: int, rank: int) -> None:
            folded, concept, label, lang, kind = self.entries[number]
            match = Match(concept, label, lang, kind, rank)
            if concept not in best or _order(match) < _order(best[concept]):
                best[concept] = match

        # exact and word-prefix matches: the keys that start with the query
        start = bisect_left(self._keys, query)
        for position in range(start, len(self._keys)):
            if not self._keys[position].startswith(query):
                break
            number = self._key_rows[position]
            consider(number, 0 if self.entries[number][0] == query else 1)
        if len(best) < limit:
            # substrings (not at a word start); they rank after every match above
            text_ = self._text
            found = text_.find(query)
            while found != -1:
                if found and text_[found - 1] not in " \n":
                    consider(bisect_right(self._offsets, found) - 1, 2)
                found = text_.find(query, found + 1)
        return sorted(best.values(), key=_order)[:limit]

    def resolve(self, text: str) -> Any | None:
        """The one concept a user means by an id, a URI or a label, if there is one."""
        self.wait()
        if text in self._by_uri:
            return self._by_uri[text]
        if text in self._by_local:
            return self._by_local[text]
        matches = self.search(text, limit=2)
        if matches and matches[0].rank == 0 and (len(matches) == 1 or matches[1].rank > 0):
            return matches[0].concept
        return None


def _order(match: Match) -> tuple[int, int, int, str]:
    return (match.rank, KIND_ORDER[match.kind], len(match.label), match.label.casefold())

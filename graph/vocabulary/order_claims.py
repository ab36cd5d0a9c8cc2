"""What definitions and scope notes say about order, checked against ordered collections.

A trainer's slides show the funnel collection's arrows and each stage's definition
side by side: "it comes after the suspect and before the MQL" must agree with the
arrows. This module reads such claims in French and English texts:

- ``after X`` / ``follows X`` / ``après X`` / ``suit X``: X comes first;
- ``before X`` / ``precedes X`` / ``avant X`` / ``précède X``: X comes later;
- ``between X and Y`` / ``entre X et Y``: X first, Y later;

where X is a label of a concept (its preferred or alternative labels, acronyms
included, the longest one that matches), after an optional article. A claim is
checked in every ordered collection that places both concepts. A concept outside a
collection takes the places of its narrower concepts in it: a prospect, whose two
kinds MQL and SQL are stages of the funnel, comes after the lead. Claims about
concepts that share no ordered collection say nothing here and are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection as RDFList

from graph.namespaces import SKOS

#: words that announce the concept coming first (``AFTER``) or later (``BEFORE``)
AFTER = {"en": ("after", "follows", "following"), "fr": ("après", "suit")}
BEFORE = {"en": ("before", "precedes", "ahead of"), "fr": ("avant", "précède")}
BETWEEN = {"en": ("between", "and"), "fr": ("entre", "et")}
#: what may stand between the announcing word and the label
ARTICLES = {"en": r"(?:(?:the|an?)\s+)?", "fr": r"(?:(?:le|la|les|un|une)\s+|l['’])?"}
#: the texts that may state an order
TEXTS = (SKOS.definition, SKOS.scopeNote)


@dataclass(frozen=True)
class Claim:
    """``subject``'s text (``where``, in ``lang``) says ``first`` comes before ``later``."""

    subject: URIRef
    first: URIRef
    later: URIRef
    lang: str
    where: str
    words: str

    def __str__(self) -> str:
        return f"{self.where}@{self.lang}: “{self.words}”"


@dataclass(frozen=True)
class Contradiction:
    claim: Claim
    collection: URIRef
    order: tuple[URIRef, ...]


class OrderReader:
    """The ordered collections of a graph and the labels of its concepts, read once."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.orders: dict[URIRef, list[URIRef]] = {}
        for collection, head in graph.subject_objects(SKOS.memberList):
            items = [i for i in RDFList(graph, head) if isinstance(i, URIRef)]
            if isinstance(collection, URIRef) and len(items) > 1:
                self.orders[collection] = items
        self._patterns: dict[str, tuple[re.Pattern[str], dict[str, URIRef]]] = {}

    def places(self, concept: URIRef, collection: URIRef) -> list[int]:
        """Where the concept sits in the collection: its own place, else those of the
        concepts below it (SKOS narrower, at any depth)."""
        order = self.orders[collection]
        if concept in order:
            return [order.index(concept)]
        below = set(self.graph.transitive_subjects(SKOS.broader, concept)) - {concept}
        below |= set(self.graph.transitive_objects(concept, SKOS.narrower)) - {concept}
        return [i for i, member in enumerate(order) if member in below]

    def _labels(self, lang: str) -> tuple[re.Pattern[str], dict[str, URIRef]]:
        """One pattern for every label in ``lang``, the longest first, and whose it is."""
        if lang not in self._patterns:
            owner: dict[str, URIRef] = {}
            for prop in (SKOS.prefLabel, SKOS.altLabel):
                for concept, label in self.graph.subject_objects(prop):
                    if isinstance(label, Literal) and label.language == lang:
                        owner.setdefault(str(label).casefold(), concept)
            alternatives = "|".join(re.escape(label) for label in
                                    sorted(owner, key=len, reverse=True))
            self._patterns[lang] = (re.compile(
                rf"{ARTICLES[lang]}(?P<label>{alternatives})(?![\w-])"), owner)
        return self._patterns[lang]

    def _concept_at(self, text: str, start: int, lang: str) -> tuple[URIRef, int] | None:
        pattern, owner = self._labels(lang)
        found = pattern.match(text, start)
        if not found:
            return None
        return owner[found.group("label")], found.end()

    def claims(self, subject: URIRef) -> Iterator[Claim]:
        """Every order the concept's definition and scope notes state."""
        for prop in TEXTS:
            for literal in self.graph.objects(subject, prop):
                if isinstance(literal, Literal) and literal.language in AFTER:
                    where = prop.split("#")[-1]
                    yield from self._claims_in(subject, str(literal), literal.language, where)

    def _claims_in(self, subject: URIRef, text: str, lang: str, where: str) -> Iterator[Claim]:
        folded = text.casefold()
        for kind, words in (("after", AFTER[lang]), ("before", BEFORE[lang]),
                            ("between", BETWEEN[lang][:1])):
            for word in words:
                for hit in re.finditer(rf"(?<![\w-]){re.escape(word)}\s+", folded):
                    found = self._concept_at(folded, hit.end(), lang)
                    if found is None:
                        continue
                    other, end = found
                    quote = text[hit.start():end]
                    if kind == "after":
                        yield Claim(subject, other, subject, lang, where, quote)
                    elif kind == "before":
                        yield Claim(subject, subject, other, lang, where, quote)
                    else:
                        joined = re.match(rf"\s+{BETWEEN[lang][1]}\s+", folded[end:])
                        second = joined and self._concept_at(folded, end + joined.end(), lang)
                        if second:
                            yield Claim(subject, other, subject, lang, where, quote)
                            yield Claim(subject, subject, second[0], lang, where,
                                        text[hit.start():second[1]])

    def contradictions(self, subject: URIRef) -> Iterator[Contradiction]:
        for claim in self.claims(subject):
            if claim.first == claim.later:
                continue
            for collection, order in self.orders.items():
                first, later = self.places(claim.first, collection), \
                    self.places(claim.later, collection)
                if first and later and not max(first) < min(later):
                    yield Contradiction(claim, collection, tuple(order))


def order_contradictions(graph: Graph) -> Iterator[Contradiction]:
    """Every order stated in a text that an ordered collection contradicts."""
    reader = OrderReader(graph)
    for concept in sorted(set(graph.subjects(SKOS.definition, None))
                          | set(graph.subjects(SKOS.scopeNote, None))):
        if isinstance(concept, URIRef):
            yield from reader.contradictions(concept)

"""SKOS integrity conditions and qSKOS-style quality checks, on any SKOS graph.

Each check is a small function registered with a stable id (the ids follow
qSKOS and Skosify where they have one); its docstring names the condition of
the SKOS Reference (S9, S13 …) or the qSKOS issue it tests. Integrity
conditions are errors; quality issues are warnings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection as RDFList
from rdflib.term import Node

from graph.namespaces import CRMKG, DCTERMS, RDF, SKOS
from graph.text import LANGUAGES, fold_case
from graph.vocabulary.analyse import tops_as_groups
from graph.vocabulary.order_claims import order_contradictions

ERROR = "error"
WARNING = "warning"

#: the languages a vocabulary is expected to cover when its scheme does not say
DEFAULT_LANGUAGES = LANGUAGES


@dataclass(frozen=True, order=True)
class Finding:
    check: str
    severity: str
    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity:7} {self.check:28} {self.subject}  {self.message}"


CheckFunction = Callable[["SkosView"], Iterator[Finding]]


@dataclass(frozen=True)
class Check:
    id: str
    severity: str
    function: CheckFunction

    @property
    def description(self) -> str:
        return (self.function.__doc__ or "").strip().splitlines()[0]


CHECKS: list[Check] = []


def check(check_id: str, severity: str) -> Callable[[CheckFunction], CheckFunction]:
    def register(function: CheckFunction) -> CheckFunction:
        CHECKS.append(Check(check_id, severity, function))
        return function
    return register


class SkosView:
    """The parts of a graph the checks look at, computed once."""

    def __init__(self, graph: Graph, languages: tuple[str, ...] = DEFAULT_LANGUAGES):
        self.graph = graph
        self.languages = languages
        self.concepts = set(graph.subjects(RDF.type, SKOS.Concept))
        self.schemes = set(graph.subjects(RDF.type, SKOS.ConceptScheme))
        self.collections = set(graph.subjects(RDF.type, SKOS.Collection)) | set(
            graph.subjects(RDF.type, SKOS.OrderedCollection))
        self.broader = nx.DiGraph()
        self.broader.add_nodes_from(self.concepts)
        for child, parent in graph.subject_objects(SKOS.broader):
            self.broader.add_edge(child, parent)
        for parent, child in graph.subject_objects(SKOS.narrower):
            self.broader.add_edge(child, parent)

    def label(self, node: Node) -> str:
        return str(node)

    def finding(self, check_id: str, subject: Node, message: str) -> Finding:
        severity = next(c.severity for c in CHECKS if c.id == check_id)
        return Finding(check_id, severity, self.label(subject), message)


def run_checks(graph: Graph, languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> list[Finding]:
    view = SkosView(graph, languages)
    findings: list[Finding] = []
    for registered in CHECKS:
        findings.extend(registered.function(view))
    return sorted(findings)


def _fold(literal: Literal) -> str:
    return fold_case(str(literal).strip())


# --- SKOS Reference integrity conditions -------------------------------------------------


@check("S9-scheme-is-concept", ERROR)
def scheme_is_concept(view: SkosView) -> Iterator[Finding]:
    """S9: skos:ConceptScheme is disjoint with skos:Concept."""
    for node in view.schemes & view.concepts:
        yield view.finding("S9-scheme-is-concept", node, "is both a ConceptScheme and a Concept")


@check("S13-label-conflict", ERROR)
def label_conflict(view: SkosView) -> Iterator[Finding]:
    """S13: prefLabel, altLabel and hiddenLabel are pairwise disjoint."""
    pairs = ((SKOS.prefLabel, SKOS.altLabel), (SKOS.prefLabel, SKOS.hiddenLabel),
             (SKOS.altLabel, SKOS.hiddenLabel))
    for subject in sorted(set(view.graph.subjects(SKOS.prefLabel, None))
                          | set(view.graph.subjects(SKOS.altLabel, None))):
        for first, second in pairs:
            common = set(view.graph.objects(subject, first)) & set(
                view.graph.objects(subject, second))
            for literal in sorted(common):
                yield view.finding("S13-label-conflict", subject,
                                   f"'{literal}' is both {first.fragment} and {second.fragment}")


@check("S14-multiple-preflabels", ERROR)
def multiple_preflabels(view: SkosView) -> Iterator[Finding]:
    """S14: a resource has no more than one prefLabel per language tag."""
    counts: dict[tuple[Node, str], list[str]] = defaultdict(list)
    for subject, literal in view.graph.subject_objects(SKOS.prefLabel):
        counts[(subject, getattr(literal, "language", None) or "")].append(str(literal))
    for (subject, lang), labels in sorted(counts.items()):
        if len(labels) > 1:
            yield view.finding("S14-multiple-preflabels", subject,
                               f"{len(labels)} prefLabels in '{lang or 'no language'}': "
                               + ", ".join(sorted(labels)))


@check("S27-related-and-broader", ERROR)
def related_and_broader(view: SkosView) -> Iterator[Finding]:
    """S27: skos:related is disjoint with skos:broaderTransitive."""
    pairs = {tuple(sorted(pair)) for pair in view.graph.subject_objects(SKOS.related)}
    for a, b in sorted(pairs):
        if a in view.broader and b in view.broader and (
                nx.has_path(view.broader, a, b) or nx.has_path(view.broader, b, a)):
            yield view.finding("S27-related-and-broader", a,
                               f"is related to {b}, which is also above or below it in the "
                               "hierarchy")


@check("S35-memberlist-functional", ERROR)
def memberlist_functional(view: SkosView) -> Iterator[Finding]:
    """S35: skos:memberList is functional (one list per ordered collection)."""
    for collection in sorted(view.collections):
        lists = list(view.graph.objects(collection, SKOS.memberList))
        if len(lists) > 1:
            yield view.finding("S35-memberlist-functional", collection,
                               f"has {len(lists)} memberLists")


@check("S36-memberlist-members", ERROR)
def memberlist_members(view: SkosView) -> Iterator[Finding]:
    """S36: every item of an ordered collection's memberList is also a skos:member of it."""
    for collection in sorted(view.collections):
        members = set(view.graph.objects(collection, SKOS.member))
        for head in view.graph.objects(collection, SKOS.memberList):
            for item in RDFList(view.graph, head):
                if item not in members:
                    yield view.finding("S36-memberlist-members", collection,
                                       f"lists {item} in memberList but not as skos:member")


@check("S37-collection-disjoint", ERROR)
def collection_disjoint(view: SkosView) -> Iterator[Finding]:
    """S37: skos:Collection is disjoint with skos:Concept and skos:ConceptScheme."""
    for node in sorted(view.collections & (view.concepts | view.schemes)):
        yield view.finding("S37-collection-disjoint", node,
                           "is a Collection and also a Concept or ConceptScheme")


@check("S46-exactmatch-conflict", ERROR)
def exactmatch_conflict(view: SkosView) -> Iterator[Finding]:
    """S46: skos:exactMatch is disjoint with skos:broadMatch and skos:relatedMatch."""
    exact = set(view.graph.subject_objects(SKOS.exactMatch))
    exact |= {(b, a) for a, b in exact}
    for other in (SKOS.broadMatch, SKOS.relatedMatch, SKOS.narrowMatch):
        for a, b in sorted(set(view.graph.subject_objects(other)) & exact):
            yield view.finding("S46-exactmatch-conflict", a,
                               f"is exactMatch and {other.fragment} of {b}")


# --- quality checks (qSKOS) ----------------------------------------------------------------


@check("cyclic-hierarchy", ERROR)
def cyclic_hierarchy(view: SkosView) -> Iterator[Finding]:
    """qSKOS Cyclic Hierarchical Relations: following broader never comes back."""
    for cycle in nx.simple_cycles(view.broader):
        chain = " → ".join(str(n) for n in [*cycle, cycle[0]])
        yield view.finding("cyclic-hierarchy", min(cycle), f"broader cycle: {chain}")


@check("orphan-concept", WARNING)
def orphan_concept(view: SkosView) -> Iterator[Finding]:
    """qSKOS Orphan Concepts: a concept with no broader, narrower, related or top link."""
    linked = set(view.broader.nodes) - set(nx.isolates(view.broader))
    linked |= {s for s, _ in view.graph.subject_objects(SKOS.related)}
    linked |= set(view.graph.subjects(SKOS.topConceptOf, None))
    linked |= set(view.graph.objects(None, SKOS.hasTopConcept))
    for concept in sorted(view.concepts - linked):
        yield view.finding("orphan-concept", concept, "has no semantic relation at all")


@check("missing-in-scheme", WARNING)
def missing_in_scheme(view: SkosView) -> Iterator[Finding]:
    """qSKOS Omitted or Invalid skos:inScheme: every concept belongs to a scheme."""
    for concept in sorted(view.concepts):
        if not any(view.graph.objects(concept, SKOS.inScheme)):
            yield view.finding("missing-in-scheme", concept, "has no skos:inScheme")


@check("missing-label-language", WARNING)
def missing_label_language(view: SkosView) -> Iterator[Finding]:
    """qSKOS Incomplete Language Coverage: a prefLabel in every language of the vocabulary."""
    yield from _language_gaps(view, SKOS.prefLabel, "missing-label-language", "prefLabel")


@check("missing-definition-language", WARNING)
def missing_definition_language(view: SkosView) -> Iterator[Finding]:
    """qSKOS Undocumented Concepts: a definition in every language of the vocabulary."""
    yield from _language_gaps(view, SKOS.definition, "missing-definition-language", "definition")


def _language_gaps(view: SkosView, predicate: URIRef, check_id: str,
                   what: str) -> Iterator[Finding]:
    for concept in sorted(view.concepts):
        present = {getattr(o, "language", None) for o in view.graph.objects(concept, predicate)}
        missing = [lang for lang in view.languages if lang not in present]
        if missing:
            yield view.finding(check_id, concept, f"no {what} in {', '.join(missing)}")


@check("overlapping-labels", WARNING)
def overlapping_labels(view: SkosView) -> Iterator[Finding]:
    """qSKOS Overlapping Labels: two concepts share a pref or alt label in one language."""
    owners: dict[tuple[str, str], set[Node]] = defaultdict(set)
    for predicate in (SKOS.prefLabel, SKOS.altLabel):
        for subject, literal in view.graph.subject_objects(predicate):
            if subject in view.concepts:
                owners[(getattr(literal, "language", None) or "", _fold(literal))].add(subject)
    for (lang, label), subjects in sorted(owners.items()):
        if len(subjects) > 1:
            names = sorted(str(s) for s in subjects)
            yield view.finding("overlapping-labels", names[0],
                               f"'{label}'@{lang} also labels " + ", ".join(names[1:]))


@check("hierarchical-redundancy", WARNING)
def hierarchical_redundancy(view: SkosView) -> Iterator[Finding]:
    """qSKOS Hierarchical Redundancy: a broader link that another chain of broader implies."""
    for child, parent in sorted(view.broader.edges):
        others = [p for p in view.broader.successors(child) if p != parent]
        if any(nx.has_path(view.broader, other, parent) for other in others):
            yield view.finding("hierarchical-redundancy", child,
                               f"broader {parent} is already implied by another broader chain")


@check("disconnected-parts", WARNING)
def disconnected_parts(view: SkosView) -> Iterator[Finding]:
    """qSKOS Disconnected Concept Clusters: all concepts form one connected graph."""
    links = nx.Graph()
    links.add_nodes_from(view.concepts)
    links.add_edges_from(view.broader.edges)
    links.add_edges_from(view.graph.subject_objects(SKOS.related))
    for scheme in view.schemes:  # top concepts of one scheme belong together
        tops = set(view.graph.objects(scheme, SKOS.hasTopConcept))
        tops |= set(view.graph.subjects(SKOS.topConceptOf, scheme))
        links.add_edges_from((scheme, top) for top in tops)
    parts = sorted(nx.connected_components(links), key=len, reverse=True)
    for part in parts[1:]:
        concepts = sorted(str(n) for n in part if n in view.concepts)
        if concepts:
            yield view.finding("disconnected-parts", concepts[0],
                               f"{len(concepts)} concept(s) not linked to the rest: "
                               + ", ".join(concepts[:5]))


@check("missing-source", WARNING)
def missing_source(view: SkosView) -> Iterator[Finding]:
    """Provenance: every concept cites the glossaries that define it, unless it says that
    none does (crmkg:notInGlossaries) or is a top concept standing for a group."""
    exempt = tops_as_groups(view.graph)
    exempt |= set(view.graph.subjects(CRMKG.notInGlossaries, Literal(True)))
    for concept in sorted(view.concepts - exempt):
        if not any(view.graph.objects(concept, DCTERMS.source)):
            yield view.finding("missing-source", concept, "has no dct:source")


@check("top-concept-has-broader", WARNING)
def top_concept_has_broader(view: SkosView) -> Iterator[Finding]:
    """qSKOS Top Concepts Having Broader Concepts."""
    tops = set(view.graph.subjects(SKOS.topConceptOf, None))
    for concept in sorted(tops):
        if any(view.broader.successors(concept)) if concept in view.broader else False:
            yield view.finding("top-concept-has-broader", concept,
                               "is a top concept but has a broader concept")


@check("order-contradiction", WARNING)
def order_contradiction(view: SkosView) -> Iterator[Finding]:
    """A definition or scope note states an order ("after the MQL") that an ordered
    collection contradicts (see graph.vocabulary.order_claims)."""
    for found in order_contradictions(view.graph):
        yield view.finding("order-contradiction", found.claim.subject,
                           f"{found.claim} contradicts the order of {found.collection}")


@check("omitted-inverse", WARNING)
def omitted_inverse(view: SkosView) -> Iterator[Finding]:
    """qSKOS Unidirectionally Related Concepts: broader/narrower and related go both ways."""
    g = view.graph
    for a, b in sorted(g.subject_objects(SKOS.broader)):
        if (b, SKOS.narrower, a) not in g:
            yield view.finding("omitted-inverse", a, f"broader {b} without the narrower inverse")
    for a, b in sorted(g.subject_objects(SKOS.narrower)):
        if (b, SKOS.broader, a) not in g:
            yield view.finding("omitted-inverse", a, f"narrower {b} without the broader inverse")
    for a, b in sorted(g.subject_objects(SKOS.related)):
        if (b, SKOS.related, a) not in g:
            yield view.finding("omitted-inverse", a, f"related {b} only in one direction")

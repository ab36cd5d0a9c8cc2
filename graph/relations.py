"""Every relation between concepts, in one table that every part reads.

The loader takes the typed relations written in term files from it, the build states
each with its inverse, the importer maps them back, the analysis and the map draw
them, the concept page lists them under their headings, the quiz takes neighbours
through them. Adding a relation is adding a row here (and declaring its property in
``ontology/ext.ttl``, which a test checks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef

from graph.namespaces import CRMKG, SKOS


@dataclass(frozen=True)
class Relation:
    """One direction of a link between concepts."""

    #: the name everywhere: the term files' key (for those written there), the map, paths
    key: str
    iri: URIRef
    #: the key of the other direction; the relation's own key when it is symmetric
    inverse: str
    #: (fr, en) on the map, in a path and in its legend: "plus générique"
    label: tuple[str, str]
    #: (fr, en) above the list of such links on a concept page: "Concept générique"
    heading: tuple[str, str]
    #: (fr, en) one plain sentence for a legend
    explanation: tuple[str, str]
    #: a relation of our extension vocabulary; the build states skos:related beside it
    typed: bool = False
    #: written under its key in a term file (counterpart: [ssp]); the stages of a process
    #: come from its collection instead
    in_files: bool = False
    #: drawn on the map (one direction of each pair of inverses)
    drawn: bool = False
    #: how the map draws it (vis-network edge options)
    style: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def symmetric(self) -> bool:
        return self.inverse == self.key


TABLE: tuple[Relation, ...] = (
    Relation("broader", SKOS.broader, "narrower", ("plus générique", "broader"),
             ("Concept générique", "Broader concept"),
             ("Le concept est un cas particulier de l'autre, plus général.",
              "The concept is a particular case of the other, more general one."),
             drawn=True, style={"arrows": "to", "color": "#555555"}),
    Relation("narrower", SKOS.narrower, "broader", ("plus spécifique", "narrower"),
             ("Concepts spécifiques", "Narrower concepts"),
             ("L'autre concept est un cas particulier de celui-ci.",
              "The other concept is a particular case of this one.")),
    Relation("precedes", CRMKG.precedes, "follows", ("étape suivante", "next stage"),
             ("Étape suivante", "Next stage"),
             ("L'autre concept est l'étape qui vient juste après dans un processus "
              "(l'entonnoir, le cycle de vente).",
              "The other concept is the step that comes just after in a process (the "
              "funnel, the sales cycle)."),
             typed=True, drawn=True,
             style={"arrows": "to", "color": "#D55E00", "width": 3}),
    Relation("follows", CRMKG.follows, "precedes", ("étape précédente", "previous stage"),
             ("Étape précédente", "Previous stage"),
             ("L'autre concept est l'étape qui vient juste avant dans un processus.",
              "The other concept is the step that comes just before in a process."),
             typed=True),
    Relation("counterpart", CRMKG.counterpart, "counterpart", ("pendant", "counterpart"),
             ("A pour pendant", "Counterpart"),
             ("Les deux concepts jouent le même rôle de part et d'autre d'un marché "
              "(la DSP pour les annonceurs, la SSP pour les éditeurs).",
              "The two concepts play the same role on either side of a market (the DSP "
              "for advertisers, the SSP for publishers)."),
             typed=True, in_files=True, drawn=True, style={"color": "#0072B2", "width": 2}),
    Relation("distinguishedFrom", CRMKG.distinguishedFrom, "distinguishedFrom",
             ("à distinguer de", "to tell apart"),
             ("À distinguer de", "To be distinguished from"),
             ("Les deux concepts sont souvent confondus, mais les glossaires les distinguent.",
              "The two concepts are often confused, but the glossaries tell them apart."),
             typed=True, in_files=True, drawn=True,
             style={"dashes": [2, 6], "color": "#CC79A7", "width": 2}),
    Relation("measuredBy", CRMKG.measuredBy, "measures", ("mesuré par", "measured by"),
             ("Mesuré par", "Measured by"),
             ("L'autre concept est un indicateur qui mesure celui-ci.",
              "The other concept is an indicator that measures this one."),
             typed=True, in_files=True, drawn=True,
             style={"arrows": "to", "color": "#009E73", "width": 2}),
    Relation("measures", CRMKG.measures, "measuredBy", ("mesure", "measures"),
             ("Mesure", "Measures"),
             ("Le concept est un indicateur qui mesure l'autre.",
              "The concept is an indicator that measures the other one."),
             typed=True),
    Relation("related", SKOS.related, "related", ("associé", "related"),
             ("Concepts associés", "Related concepts"),
             ("Les deux concepts sont liés sans que l'un englobe l'autre.",
              "The two concepts are linked, neither containing the other."),
             drawn=True, style={"dashes": True, "color": "#9a9a9a"}),
)

#: every relation by key
RELATIONS: dict[str, Relation] = {relation.key: relation for relation in TABLE}
#: the relations written in term files, by key (counterpart, distinguishedFrom, measuredBy)
IN_FILES: dict[str, Relation] = {r.key: r for r in TABLE if r.in_files}
#: the relations the map draws, in the legend's order
DRAWN: dict[str, Relation] = {r.key: r for r in TABLE if r.drawn}
#: the typed relation that links consecutive stages of a process (a collection's members)
STAGES = RELATIONS["precedes"]


def inverse_of(relation: Relation) -> Relation:
    return RELATIONS[relation.inverse]


def by_iri() -> dict[URIRef, Relation]:
    return {relation.iri: relation for relation in TABLE}

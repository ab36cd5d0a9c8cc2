"""The SKOS mapping relations: their YAML keys, IRIs and names in words, and the names of
the vocabularies our concepts are mapped to.

A mapping links one of our concepts to a concept of another vocabulary (the STW
Thesaurus for Economics, for now): ``data/mappings.yaml`` holds them, the loader
(:mod:`graph.vocabulary.mappings`) checks them, the build writes them as
``skos:exactMatch`` … triples, and the concept pages show them in words.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

SKOS = "http://www.w3.org/2004/02/skos/core#"


@dataclass(frozen=True)
class MatchKind:
    #: the YAML key and the local name of the SKOS property (``exactMatch``)
    key: str
    #: the kind of link in words, French then English
    name: tuple[str, str]

    @property
    def iri(self) -> str:
        return SKOS + self.key


#: the mapping relations of SKOS, from the strongest link to the loosest
MATCH_KINDS = (
    MatchKind("exactMatch", ("Équivalent exact", "Exact match")),
    MatchKind("closeMatch", ("Équivalent proche", "Close match")),
    MatchKind("broadMatch", ("Concept plus large", "Broader match")),
    MatchKind("narrowMatch", ("Concept plus spécifique", "Narrower match")),
    MatchKind("relatedMatch", ("Concept associé", "Related match")),
)
MATCH_BY_KEY = {kind.key: kind for kind in MATCH_KINDS}

#: the vocabularies we map to, by the start of their concepts' IRIs
KNOWN_VOCABULARIES = {
    "http://zbw.eu/stw/": "STW Thesaurus for Economics",
}


def vocabulary_name(iri: str) -> str:
    """The name of the vocabulary an IRI belongs to: a known one by its prefix, else the
    IRI's host (``www.wikidata.org``), else ''."""
    for prefix, name in KNOWN_VOCABULARIES.items():
        if iri.startswith(prefix):
            return name
    return (_split(iri).hostname or "") if web_link(iri) else ""


def web_link(iri: str) -> bool:
    """Whether a page may link to the IRI: http and https only (never ``javascript:``,
    ``data:`` …, which a hostile vocabulary could hold)."""
    return _split(iri).scheme.lower() in ("http", "https")


def _split(iri: str) -> urllib.parse.SplitResult:
    try:
        return urllib.parse.urlsplit(iri)
    except ValueError:  # "http://[x": a bracket that opens no IPv6 address
        return urllib.parse.SplitResult("", "", iri, "", "")

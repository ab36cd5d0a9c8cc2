"""What the pages need to know about concepts, read from the store with SPARQL.

Written for any SKOS vocabulary, not only ours: labels fall back from the
requested language to the other languages, definitions may be missing, a
concept may sit in several schemes. Every query here is the app's own, so it
runs in-process on the embedded store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph.store import EmbeddedStore, Row

SKOS = "http://www.w3.org/2004/02/skos/core#"
CRMKG = "https://w3id.org/crmkg/ontology#"
DCT = "http://purl.org/dc/terms/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"

#: the links shown on a concept page, in this order: (property, key, label fr, label en)
RELATIONS = (
    (SKOS + "broader", "broader", "Concept générique", "Broader concept"),
    (SKOS + "narrower", "narrower", "Concepts spécifiques", "Narrower concepts"),
    (CRMKG + "precedes", "precedes", "Étape suivante", "Next stage"),
    (CRMKG + "follows", "follows", "Étape précédente", "Previous stage"),
    (CRMKG + "counterpart", "counterpart", "A pour pendant", "Counterpart"),
    (CRMKG + "distinguishedFrom", "distinguishedFrom", "À distinguer de",
     "To be distinguished from"),
    (CRMKG + "measuredBy", "measuredBy", "Mesuré par", "Measured by"),
    (CRMKG + "measures", "measures", "Mesure", "Measures"),
    (SKOS + "related", "related", "Concepts associés", "Related concepts"),
)
NOTES = (
    ("definition", "Définition", "Definition"),
    ("scopeNote", "Note d'application", "Scope note"),
    ("editorialNote", "Note éditoriale (divergences)", "Editorial note (where sources differ)"),
    ("example", "Exemple", "Example"),
    ("historyNote", "Historique", "History note"),
)


def iri(value: str) -> str:
    """An IRI written into a SPARQL query, refusing anything that could break out of it."""
    if any(c in value for c in '<>"{}|^`\\ \n\r\t') or not value:
        raise ValueError(f"not an IRI: {value!r}")
    return f"<{value}>"


def pick(texts: dict[str, list[str]], lang: str) -> str:
    """The text in ``lang``, else English, else French, else any language, else ''."""
    for candidate in (lang, "en", "fr", ""):
        if texts.get(candidate):
            return texts[candidate][0]
    for values in texts.values():
        if values:
            return values[0]
    return ""


def _by_language(rows: list[Row], var: str = "o") -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for row in rows:
        term = row.get(var)
        if term and term["type"] == "literal":
            result.setdefault(term.get("xml:lang", ""), []).append(term["value"])
    for values in result.values():
        values.sort(key=str.casefold)
    return result


@dataclass
class Link:
    uri: str
    label: str


@dataclass
class ConceptDetails:
    uri: str
    pref_labels: dict[str, list[str]]
    alt_labels: dict[str, list[str]]
    hidden_labels: dict[str, list[str]]
    notes: dict[str, dict[str, list[str]]]
    relations: dict[str, list[Link]]
    schemes: list[Link]
    top_concept_of: list[Link]
    sources: list[dict[str, str]]
    collections: list[dict[str, Any]]
    themes: list[Link] = field(default_factory=list)
    other: list[tuple[str, str]] = field(default_factory=list)


class VocabularyReader:
    def __init__(self, store: EmbeddedStore):
        self.store = store

    # --- labels ----------------------------------------------------------------------------

    def labels(self, uris: list[str], lang: str) -> dict[str, str]:
        """The preferred label of each IRI in ``lang`` (with fallbacks), or its local name."""
        if not uris:
            return {}
        values = " ".join(iri(u) for u in sorted(set(uris)))
        rows = self.store.select(
            f"SELECT ?s ?o WHERE {{ VALUES ?s {{ {values} }} "
            f"?s <{SKOS}prefLabel>|<{RDFS}label>|<{DCT}title> ?o }}")
        grouped: dict[str, list[Row]] = {}
        for row in rows:
            grouped.setdefault(row["s"]["value"], []).append(row)
        return {u: pick(_by_language(grouped.get(u, [])), lang) or local_name(u) for u in uris}

    def definitions(self, uris: list[str], lang: str) -> dict[str, str]:
        """The definition of each IRI in ``lang`` (with fallbacks); IRIs without one are absent."""
        if not uris:
            return {}
        values = " ".join(iri(u) for u in sorted(set(uris)))
        rows = self.store.select(
            f"SELECT ?s ?o WHERE {{ VALUES ?s {{ {values} }} ?s <{SKOS}definition> ?o }}")
        grouped: dict[str, list[Row]] = {}
        for row in rows:
            grouped.setdefault(row["s"]["value"], []).append(row)
        return {u: pick(_by_language(found), lang) for u, found in grouped.items()}

    def links(self, uris: list[str], lang: str) -> list[Link]:
        names = self.labels(uris, lang)
        return sorted((Link(u, names[u]) for u in set(uris)), key=lambda x: x.label.casefold())

    # --- one concept -------------------------------------------------------------------------

    def exists(self, uri: str) -> bool:
        return self.store.ask(f"ASK {{ {iri(uri)} ?p ?o }}")

    def kind(self, uri: str) -> str | None:
        rows = self.store.select(f"SELECT ?t WHERE {{ {iri(uri)} a ?t }}")
        types = {r["t"]["value"] for r in rows}
        for name in ("Concept", "ConceptScheme", "OrderedCollection", "Collection"):
            if SKOS + name in types:
                return name
        return "Resource" if rows or self.exists(uri) else None

    def concept(self, uri: str, lang: str) -> ConceptDetails | None:
        rows = self.store.select(f"SELECT ?p ?o WHERE {{ {iri(uri)} ?p ?o }}")
        if not rows:
            return None
        by_property: dict[str, list[Row]] = {}
        for row in rows:
            by_property.setdefault(row["p"]["value"], []).append(row)

        def texts(prop: str) -> dict[str, list[str]]:
            return _by_language(by_property.get(SKOS + prop, []))

        def objects(prop: str) -> list[str]:
            return [r["o"]["value"] for r in by_property.get(prop, []) if r["o"]["type"] == "uri"]

        relations: dict[str, list[str]] = {key: objects(prop) for prop, key, *_ in RELATIONS}
        typed = {u for key, values in relations.items() if key != "related" for u in values}
        relations["related"] = [u for u in relations["related"] if u not in typed]
        linked = [u for values in relations.values() for u in values]
        schemes = objects(SKOS + "inScheme")
        tops = objects(SKOS + "topConceptOf")
        themes = objects(CRMKG + "theme")
        names = self.labels(linked + schemes + tops + themes, lang)

        def as_links(values: list[str]) -> list[Link]:
            return sorted((Link(u, names.get(u, local_name(u))) for u in set(values)),
                          key=lambda x: x.label.casefold())

        shown = {SKOS + n for n in ("prefLabel", "altLabel", "hiddenLabel", "inScheme",
                                    "topConceptOf")}
        shown |= {SKOS + key for key, *_ in NOTES} | {prop for prop, *_ in RELATIONS}
        shown |= {DCT + "source", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
                  CRMKG + "theme", "http://www.w3.org/ns/prov#wasDerivedFrom",
                  RDFS + "isDefinedBy"}
        other = sorted((r["p"]["value"], r["o"]["value"]) for r in rows
                       if r["p"]["value"] not in shown)
        return ConceptDetails(
            uri=uri,
            pref_labels=texts("prefLabel"),
            alt_labels=texts("altLabel"),
            hidden_labels=texts("hiddenLabel"),
            notes={key: texts(key) for key, *_ in NOTES if texts(key)},
            relations={key: as_links(values) for key, values in relations.items() if values},
            schemes=as_links(schemes),
            top_concept_of=as_links(tops),
            sources=self.sources_of(uri, lang),
            collections=self.collections_of(uri, lang),
            themes=as_links(themes),
            other=other[:50],
        )

    def sources_of(self, uri: str, lang: str) -> list[dict[str, str]]:
        rows = self.store.select(
            f"SELECT ?src ?title ?publisher WHERE {{ {iri(uri)} <{DCT}source> ?src "
            f"OPTIONAL {{ ?src <{DCT}title> ?title }} OPTIONAL {{ ?src <{DCT}publisher> "
            f"?publisher }} }}")
        seen: dict[str, dict[str, str]] = {}
        for row in rows:
            value = row["src"]["value"]
            seen.setdefault(value, {
                "uri": value if row["src"]["type"] == "uri" else "",
                "title": row.get("title", {}).get("value", value),
                "publisher": row.get("publisher", {}).get("value", ""),
            })
        return sorted(seen.values(), key=lambda s: s["title"].casefold())

    def collections_of(self, uri: str, lang: str) -> list[dict[str, Any]]:
        """The collections holding the concept, with its 1-based position in ordered ones."""
        rows = self.store.select(
            f"SELECT ?c WHERE {{ ?c <{SKOS}member> {iri(uri)} }}")
        result = []
        for row in rows:
            collection = row["c"]["value"]
            members = self.ordered_members(collection)
            position = members.index(uri) + 1 if uri in members else None
            result.append({"uri": collection, "position": position, "size": len(members)
                           or None})
        names = self.labels([c["uri"] for c in result], lang)
        for item in result:
            item["label"] = names[item["uri"]]
        return sorted(result, key=lambda c: c["label"].casefold())

    def ordered_members(self, collection: str) -> list[str]:
        rows = self.store.select(
            f"SELECT ?item (COUNT(?mid) AS ?pos) WHERE {{ {iri(collection)} <{SKOS}memberList> "
            f"?list . ?list <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest>* ?mid . "
            f"?mid <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest>* ?node . "
            f"?node <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> ?item }} "
            f"GROUP BY ?item ?node ORDER BY ?pos")
        return [r["item"]["value"] for r in rows]

    def concept_graph(self, uri: str) -> list[Row]:
        """The triples about a concept, for its RDF download (CONSTRUCT-like)."""
        return self.store.select(f"SELECT ?p ?o WHERE {{ {iri(uri)} ?p ?o }}")


def local_name(uri: str) -> str:
    for separator in ("#", "/", ":"):
        if separator in uri.rstrip(separator):
            return uri.rstrip(separator).rsplit(separator, 1)[-1]
    return uri

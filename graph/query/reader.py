"""What the pages need to know about concepts, read from the store with SPARQL.

Written for any SKOS vocabulary, not only ours: labels fall back from the
requested language to the other languages, definitions may be missing, a
concept may sit in several schemes. Every query here is the app's own, so it
runs in-process on the embedded store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from graph.mappings import MATCH_KINDS
from graph.query.store import EmbeddedStore, Row
from graph.relations import DRAWN, RELATIONS, TABLE
from graph.text import local_name

if TYPE_CHECKING:
    from graph.query.remote import RemoteStore

SKOS = "http://www.w3.org/2004/02/skos/core#"
CRMKG = "https://w3id.org/crmkg/ontology#"
DCT = "http://purl.org/dc/terms/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

#: the label properties the search reads, with the kind of label each gives
LABEL_KINDS = (("prefLabel", "pref"), ("altLabel", "alt"), ("hiddenLabel", "hidden"))
ISOTHES = "http://purl.org/iso25964/skos-thes#"
#: the links the map reads, by name: those it draws (graph.relations.DRAWN), and the
#: narrower links stated without their broader
LINK_PROPERTIES = {**{key: str(relation.iri) for key, relation in DRAWN.items()},
                   "narrower": str(RELATIONS["narrower"].iri)}
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
    try:  # control characters, U+FFFD (from invalid UTF-8 in a URL) … break the query
        ox.NamedNode(value)
    except ValueError as exc:
        raise ValueError(f"not an IRI: {value!r}") from exc
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
    return _in_order(result)


def _in_order(texts: dict[str, list[str]]) -> dict[str, list[str]]:
    """Languages in order, and each one's texts: the store gives rows in no set order,
    and a page's JSON must be the same bytes from one process to the next."""
    return {lang: sorted(values, key=str.casefold) for lang, values in sorted(texts.items())}


@dataclass
class Link:
    uri: str
    label: str


@dataclass
class Mapping:
    """A link to a concept of another vocabulary (skos:exactMatch …)."""

    #: the SKOS property's local name, ``exactMatch`` …
    kind: str
    uri: str
    #: the target's label when the served data holds it (another vocabulary served
    #: beside ours), else None
    label: str | None


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
    #: the collections that list the concept, groups aside
    collections: list[dict[str, Any]]
    #: the concept groups (isothes:ConceptGroup) that list it
    groups: list[Link] = field(default_factory=list)
    #: crmkg:notInGlossaries: added by the editors, cites no glossary
    not_in_glossaries: bool = False
    #: links to other vocabularies, strongest kind first, then by label
    mappings: list[Mapping] = field(default_factory=list)
    other: list[tuple[str, str]] = field(default_factory=list)


#: IRIs a VALUES block holds at most: Virtuoso refuses a few thousand ("Too many
#: arguments for standard built-in function in operator()"), so longer lists are cut
VALUES_BATCH = 500


def values_batches(uris: list[str]) -> list[str]:
    """The distinct IRIs, sorted, as the bodies of VALUES blocks of at most VALUES_BATCH."""
    ordered = sorted(set(uris))
    return [" ".join(iri(u) for u in ordered[start:start + VALUES_BATCH])
            for start in range(0, len(ordered), VALUES_BATCH)]


class VocabularyReader:
    def __init__(self, store: EmbeddedStore | RemoteStore):
        self.store = store

    # --- labels ----------------------------------------------------------------------------

    def labels(self, uris: list[str], lang: str) -> dict[str, str]:
        """The preferred label of each IRI in ``lang`` (with fallbacks), or its local name."""
        if not uris:
            return {}
        found = self._texts(uris, f"<{SKOS}prefLabel>|<{RDFS}label>|<{DCT}title>")
        return {u: pick(found.get(u, {}), lang) or local_name(u) for u in uris}

    def definitions(self, uris: list[str], lang: str) -> dict[str, str]:
        """The definition of each IRI in ``lang`` (with fallbacks); IRIs without one are absent."""
        if not uris:
            return {}
        found = self._texts(uris, f"<{SKOS}definition>")
        return {u: pick(texts, lang) for u, texts in found.items()}

    def alt_labels(self, uris: list[str]) -> dict[str, dict[str, list[str]]]:
        """The alternative labels of each IRI, by language (acronyms among them)."""
        return self._texts(uris, f"<{SKOS}altLabel>") if uris else {}

    def _texts(self, uris: list[str], path: str) -> dict[str, dict[str, list[str]]]:
        """The literals each IRI has by ``path``, by language, sorted."""
        # isLiteral as a FILTER, not a projected boolean: Virtuoso answers booleans as 1/0
        rows = [row for values in values_batches(uris) for row in self.store.select_values(
            f"SELECT ?s ?o (LANG(?o) AS ?g) WHERE {{ "
            f"VALUES ?s {{ {values} }} ?s {path} ?o FILTER(isLiteral(?o)) }}")]
        found: dict[str, dict[str, list[str]]] = {}
        for subject, text, language in rows:
            if subject and text is not None:
                found.setdefault(subject, {}).setdefault(language or "", []).append(text)
        return {subject: _in_order(texts) for subject, texts in found.items()}

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

        relations: dict[str, list[str]] = {r.key: objects(str(r.iri)) for r in TABLE}
        typed = {u for key, values in relations.items() if key != "related" for u in values}
        relations["related"] = [u for u in relations["related"] if u not in typed]
        linked = [u for values in relations.values() for u in values]
        schemes = objects(SKOS + "inScheme")
        tops = objects(SKOS + "topConceptOf")
        names = self.labels(linked + schemes + tops, lang)

        def as_links(values: list[str]) -> list[Link]:
            return sorted((Link(u, names.get(u, local_name(u))) for u in set(values)),
                          key=lambda x: x.label.casefold())

        shown = {SKOS + n for n in ("prefLabel", "altLabel", "hiddenLabel", "inScheme",
                                    "topConceptOf")}
        shown |= {SKOS + key for key, *_ in NOTES} | {str(r.iri) for r in TABLE}
        shown |= {kind.iri for kind in MATCH_KINDS}
        shown |= {DCT + "source", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
                  CRMKG + "notInGlossaries", "http://www.w3.org/ns/prov#wasDerivedFrom",
                  RDFS + "isDefinedBy"}
        other = sorted((r["p"]["value"], r["o"]["value"]) for r in rows
                       if r["p"]["value"] not in shown)
        collections = self.collections_of(uri, lang)
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
            collections=[c for c in collections if not c["group"]],
            groups=[Link(c["uri"], c["label"]) for c in collections if c["group"]],
            not_in_glossaries=any(r["o"]["value"] in ("true", "1") for r in
                                  by_property.get(CRMKG + "notInGlossaries", [])),
            mappings=self.mappings({kind.key: objects(kind.iri) for kind in MATCH_KINDS},
                                   lang),
            other=other[:50],
        )

    def mappings(self, targets: dict[str, list[str]], lang: str) -> list[Mapping]:
        """The links of a concept to other vocabularies, by kind (``exactMatch`` → IRIs),
        with the label of each target that the served data holds."""
        found = self._texts([u for uris in targets.values() for u in uris],
                            f"<{SKOS}prefLabel>|<{RDFS}label>")
        order = {kind.key: index for index, kind in enumerate(MATCH_KINDS)}
        links = [Mapping(key, uri, pick(found.get(uri, {}), lang) or None)
                 for key, uris in targets.items() for uri in set(uris)]
        return sorted(links, key=lambda m: (order[m.kind], (m.label or m.uri).casefold(),
                                            m.uri))

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

    def ancestors(self, uri: str) -> list[tuple[str, str]]:
        """Every broader link above a concept, at any depth: (narrower, broader) pairs."""
        up = f"<{SKOS}broader>|^<{SKOS}narrower>"
        return sorted({(a, b) for a, b in self.store.select_values(
            f"SELECT ?a ?b WHERE {{ {iri(uri)} ({up})* ?a . ?a {up} ?b }}")
            if _iri(a) and _iri(b)})

    def collections_of(self, uri: str, lang: str) -> list[dict[str, Any]]:
        """The collections holding the concept, with its 1-based position in ordered ones,
        and whether each is a concept group."""
        rows = self.store.select(
            f"SELECT ?c ?g WHERE {{ ?c <{SKOS}member> {iri(uri)} "
            f"OPTIONAL {{ ?c a ?g FILTER(?g = <{ISOTHES}ConceptGroup>) }} }}")
        result = []
        for row in rows:
            collection = row["c"]["value"]
            members = self.ordered_members(collection)
            position = members.index(uri) + 1 if uri in members else None
            result.append({"uri": collection, "position": position, "size": len(members)
                           or None, "group": "g" in row})
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

    def describe(self, uri: str) -> list[Any]:
        """The resource's own triples (no blank nodes), with the labels of what it links to."""
        triples = self.store.construct(
            f"CONSTRUCT {{ {iri(uri)} ?p ?o . ?o <{SKOS}prefLabel> ?label }} "
            f"WHERE {{ {iri(uri)} ?p ?o OPTIONAL {{ ?o <{SKOS}prefLabel> ?label }} "
            f"FILTER(!isBlank(?o)) }}")
        # in a stable order, whatever order the store answers in (the same bytes everywhere)
        return sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))

    # --- the whole vocabulary (large reads: tuples of strings) -------------------------------

    def counts(self) -> dict[str, int]:
        """Concepts, collections (groups aside), concept groups, concept schemes and
        triples (of the default graph)."""
        return {
            "concepts": self.store.count(
                f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a <{SKOS}Concept> }}"),
            "collections": self.store.count(
                f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ {{ ?c a <{SKOS}Collection> }} "
                f"UNION {{ ?c a <{SKOS}OrderedCollection> }} "
                f"FILTER NOT EXISTS {{ ?c a <{ISOTHES}ConceptGroup> }} }}"),
            "groups": self.store.count(
                f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a <{ISOTHES}ConceptGroup> }}"),
            "schemes": self.store.count(
                f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{SKOS}ConceptScheme> }}"),
            "triples": self.store.count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
        }

    def label_entries(self) -> list[tuple[str, str, str, str]]:
        """Every pref, alt and hidden label of every concept: (concept, label, language, kind)."""
        values = " ".join(f"(<{SKOS}{name}> \"{kind}\")" for name, kind in LABEL_KINDS)
        rows = self.store.select_values(
            f"SELECT ?c ?l (LANG(?l) AS ?g) ?k WHERE {{ VALUES (?p ?k) {{ {values} }} "
            f"?c ?p ?l . ?c a <{SKOS}Concept> }}")
        return [(c, label, lang or "", kind or "pref") for c, label, lang, kind in rows
                if _iri(c) and label and not _blank(label)]

    def preferred_labels(self) -> dict[str, dict[str, list[str]]]:
        """Every concept (with or without a label) and its preferred labels by language."""
        rows = self.store.select_values(
            f"SELECT ?c ?l (LANG(?l) AS ?g) WHERE {{ ?c a <{SKOS}Concept> "
            f"OPTIONAL {{ ?c <{SKOS}prefLabel> ?l }} }}")
        result: dict[str, dict[str, list[str]]] = {}
        for concept, label, lang in rows:
            if not _iri(concept):
                continue
            if label is not None and _blank(label):
                label = None
            labels = result.setdefault(concept, {})
            if label is not None:
                labels.setdefault(lang or "", []).append(label)
        return result

    def concepts(self) -> list[str]:
        return sorted(c for (c,) in self.store.select_values(
            f"SELECT DISTINCT ?c WHERE {{ ?c a <{SKOS}Concept> }}") if _iri(c))

    def link_pairs(self) -> dict[str, list[tuple[str, str]]]:
        """Every stated link between two IRIs, by name (see :data:`LINK_PROPERTIES`).

        Sorted: which way a symmetric link is drawn must not depend on the store's order.
        """
        return {name: sorted((a, b) for a, b in self.store.select_values(
                    f"SELECT ?a ?b WHERE {{ ?a <{prop}> ?b }}") if _iri(a) and _iri(b))
                for name, prop in LINK_PROPERTIES.items()}

    def top_concepts(self) -> list[str]:
        """The declared top concepts of every scheme (hasTopConcept or topConceptOf)."""
        return sorted(t for (t,) in self.store.select_values(
            f"SELECT DISTINCT ?t WHERE {{ {{ ?s <{SKOS}hasTopConcept> ?t }} UNION "
            f"{{ ?t <{SKOS}topConceptOf> ?s }} }}") if _iri(t))

    def descendant_counts(self, tops: list[str]) -> dict[str, int]:
        """How many concepts sit below each of these concepts (broader or narrower, any depth)."""
        if not tops:
            return {}
        rows = [row for values in values_batches(tops) for row in self.store.select_values(
            f"SELECT ?top (COUNT(DISTINCT ?c) AS ?n) WHERE {{ VALUES ?top {{ {values} }} "
            f"OPTIONAL {{ ?c (<{SKOS}broader>|^<{SKOS}narrower>)+ ?top }} }} GROUP BY ?top")]
        counts = {t: int(n or 0) for t, n in rows if t}
        return {t: counts.get(t, 0) for t in tops}

    def top_level(self) -> list[tuple[str, int, bool]]:
        """The top of the hierarchy: declared top concepts and concepts with no broader one.

        Each as (IRI, number of narrower concepts, declared top concept?). A
        vocabulary without declared top concepts (YSA) still has a top level,
        and so does a concept that its scheme forgot to declare.
        """
        rows = self.store.select_values(
            f"SELECT ?c (COUNT(DISTINCT ?k) AS ?n) (MAX(?t) AS ?top) WHERE {{ "
            f"{{ {{ ?s <{SKOS}hasTopConcept> ?c }} UNION {{ ?c <{SKOS}topConceptOf> ?s }} "
            f"BIND(1 AS ?t) }} UNION {{ ?c a <{SKOS}Concept> "
            f"FILTER NOT EXISTS {{ ?c <{SKOS}broader> ?x }} "
            f"FILTER NOT EXISTS {{ ?y <{SKOS}narrower> ?c }} BIND(0 AS ?t) }} "
            f"OPTIONAL {{ {{ ?k <{SKOS}broader> ?c }} UNION {{ ?c <{SKOS}narrower> ?k }} }} "
            f"}} GROUP BY ?c")
        return [(c, int(n or 0), top == "1") for c, n, top in rows if _iri(c)]

    def group_level(self) -> list[tuple[str, int]]:
        """The concept groups, each with the number of its members at the top of it."""
        return [(g, int(n or 0)) for g, n in self.store.select_values(
            f"SELECT ?g (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?g a <{ISOTHES}ConceptGroup> "
            f"OPTIONAL {{ ?g <{SKOS}member> ?c FILTER NOT EXISTS {{ ?c <{SKOS}broader> ?b . "
            f"?g <{SKOS}member> ?b }} }} }} GROUP BY ?g") if _iri(g)]

    def children(self, node: str) -> list[tuple[str, int]]:
        """The narrower concepts of ``node``, each with its own number of narrower concepts;
        of a concept group, the members whose broader concepts are outside it (the top of
        the group's own hierarchy)."""
        node_iri = iri(node)
        rows = self.store.select_values(
            f"SELECT ?c (COUNT(DISTINCT ?k) AS ?n) WHERE {{ "
            f"{{ ?c <{SKOS}broader> {node_iri} }} UNION {{ {node_iri} <{SKOS}narrower> ?c }} "
            f"UNION {{ {node_iri} a <{ISOTHES}ConceptGroup> ; <{SKOS}member> ?c "
            f"FILTER NOT EXISTS {{ ?c <{SKOS}broader> ?b . {node_iri} <{SKOS}member> ?b }} }} "
            f"OPTIONAL {{ {{ ?k <{SKOS}broader> ?c }} UNION {{ ?c <{SKOS}narrower> ?k }} }} "
            f"}} GROUP BY ?c")
        return [(c, int(n or 0)) for c, n in rows if _iri(c)]

    def schemes(self, lang: str) -> list[dict[str, str]]:
        """Each concept scheme with its title and its definition in ``lang`` (with fallbacks)."""
        title_props = (SKOS + "prefLabel", DCT + "title", RDFS + "label")
        text_props = (SKOS + "definition", DCT + "description")
        listed = ", ".join(f"<{p}>" for p in title_props + text_props)
        rows = self.store.select_values(
            f"SELECT ?s ?p ?o (LANG(?o) AS ?g) WHERE {{ ?s a <{SKOS}ConceptScheme> "
            f"OPTIONAL {{ ?s ?p ?o FILTER(?p IN ({listed}) && isLiteral(?o)) }} }}")
        found: dict[str, dict[str, dict[str, list[str]]]] = {}
        for scheme, prop, value, language in rows:
            if scheme is None:
                continue
            texts = found.setdefault(scheme, {})
            if prop is not None and value is not None:
                texts.setdefault(prop, {}).setdefault(language or "", []).append(value)

        def first(texts: dict[str, dict[str, list[str]]], props: tuple[str, ...]) -> str:
            for prop in props:
                chosen = pick({k: sorted(v) for k, v in texts.get(prop, {}).items()}, lang)
                if chosen:
                    return chosen
            return ""

        return [{"uri": uri, "label": first(texts, title_props) or local_name(uri),
                 "definition": first(texts, text_props)} for uri, texts in sorted(found.items())]

    def collection_sizes(self) -> dict[str, int]:
        """The members of every collection but the concept groups."""
        return {c: int(n or 0) for c, n in self.store.select_values(
            f"SELECT ?c (COUNT(?m) AS ?n) WHERE {{ ?c <{SKOS}member> ?m "
            f"FILTER NOT EXISTS {{ ?c a <{ISOTHES}ConceptGroup> }} }} GROUP BY ?c")
                if _iri(c)}

    def group_sizes(self) -> dict[str, int]:
        """The members of every concept group (isothes:ConceptGroup)."""
        return {g: int(n or 0) for g, n in self.store.select_values(
            f"SELECT ?g (COUNT(DISTINCT ?m) AS ?n) WHERE {{ ?g a <{ISOTHES}ConceptGroup> "
            f"OPTIONAL {{ ?g <{SKOS}member> ?m }} }} GROUP BY ?g") if _iri(g)}

    def group_members(self) -> dict[str, list[str]]:
        """Concept → the concept groups that list it."""
        members: dict[str, list[str]] = {}
        for concept, group in sorted(self.store.select_values(
                f"SELECT ?c ?g WHERE {{ ?g a <{ISOTHES}ConceptGroup> ; <{SKOS}member> ?c }}")):
            if _iri(concept) and _iri(group):
                members.setdefault(concept, []).append(group)
        return members


def _iri(value: str | None) -> bool:
    """A value of :meth:`EmbeddedStore.select_values` that is an IRI (not blank, not unbound)."""
    return bool(value) and not value.startswith("_:")  # type: ignore[union-attr]


def _blank(value: str) -> bool:
    """A blank node, as :meth:`EmbeddedStore.select_values` gives it (where a label should
    be, it is skipped)."""
    return value.startswith("_:")



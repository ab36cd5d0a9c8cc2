"""The page of a resource that is not a concept: a source glossary, a concept scheme,
another vocabulary's collection, an agent, or an IRI the data only points to.

Shown at ``/entity?uri=…`` (Skosmos's convention): a title from its label or title (not
its raw IRI), what kind of thing it is, its facts with names a reader understands
(publisher, date, kind, number of entries), what links to it (for a glossary: the
concepts that cite it), then every other property. No neighbourhood map: the map
draws concepts only.
"""

from __future__ import annotations

from typing import Any

from flask import abort, url_for

from graph.query.reader import DCT, RDF_TYPE, RDFS, SKOS, iri, pick, values_batches
from graph.text import local_name
from webapp.pages import concept_url, current_language, state, text

SCHEMA = "https://schema.org/"
OWL = "http://www.w3.org/2002/07/owl#"
PROV = "http://www.w3.org/ns/prov#"
#: incoming links listed at most, by property
MAX_LINKED = 500

#: the kinds of resource, by rdf:type, in words (fr, en)
KINDS = (
    (DCT + "BibliographicResource", "source", "Glossaire source", "Source glossary"),
    (SKOS + "ConceptScheme", "scheme", "Schéma de concepts", "Concept scheme"),
    ("http://purl.org/iso25964/skos-thes#ConceptGroup", "group", "Groupe de concepts",
     "Concept group"),
    (SKOS + "OrderedCollection", "collection", "Collection ordonnée", "Ordered collection"),
    (SKOS + "Collection", "collection", "Collection", "Collection"),
    (SCHEMA + "Organization", "agent", "Organisation", "Organisation"),
)
#: what names a resource, best first
TITLES = (SKOS + "prefLabel", DCT + "title", SCHEMA + "name", RDFS + "label")
#: what describes it
DESCRIPTIONS = (SKOS + "definition", DCT + "description", RDFS + "comment")
#: facts shown with their names, in this order
FACTS = (
    (DCT + "alternative", "Titre complet", "Full title"),
    (DCT + "publisher", "Éditeur", "Publisher"),
    (DCT + "creator", "Auteur", "Creator"),
    (DCT + "type", "Genre", "Kind"),
    (DCT + "issued", "Date de publication", "Published"),
    (DCT + "created", "Créé le", "Created"),
    (DCT + "modified", "Modifié le", "Modified"),
    (DCT + "extent", "Entrées du glossaire", "Entries in the glossary"),
    (DCT + "language", "Langue", "Language"),
    (OWL + "versionInfo", "Version", "Version"),
    (DCT + "license", "Licence", "Licence"),
    (SKOS + "historyNote", "Historique", "History note"),
    (SKOS + "scopeNote", "Note d'application", "Scope note"),
)
#: links to the resource listed under a name of their own (others under their property)
INCOMING = (
    (DCT + "source", "Termes qui le citent", "Terms that cite it"),
    (SKOS + "inScheme", "Concepts du schéma", "Concepts of the scheme"),
    (SKOS + "topConceptOf", "Concepts de tête", "Top concepts"),
    (SKOS + "member", "Collections qui le contiennent", "Collections that hold it"),
)
#: not shown at all: a repetition of what is shown (prov:wasDerivedFrom repeats dct:source)
HIDDEN = {RDF_TYPE, PROV + "wasDerivedFrom", SCHEMA + "license", SCHEMA + "copyrightHolder",
          DCT + "title", SKOS + "prefLabel"}
PREFIXES = {"http://www.w3.org/2004/02/skos/core#": "skos:", "http://purl.org/dc/terms/": "dct:",
            SCHEMA: "schema:", OWL: "owl:", PROV: "prov:", RDFS: "rdfs:",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
            "https://w3id.org/crmkg/ontology#": "crmkg:"}


def short_name(uri: str) -> str:
    """``dct:publisher`` for http://purl.org/dc/terms/publisher; the IRI otherwise."""
    for namespace, prefix in PREFIXES.items():
        if uri.startswith(namespace) and len(uri) > len(namespace):
            return prefix + uri[len(namespace):]
    return uri


def _texts(rows: list[dict[str, Any]], props: tuple[str, ...], lang: str) -> str:
    for prop in props:
        found: dict[str, list[str]] = {}
        for row in rows:
            if row["p"]["value"] == prop and row["o"]["type"] == "literal":
                found.setdefault(row["o"].get("xml:lang", ""), []).append(row["o"]["value"])
        chosen = pick({k: sorted(v) for k, v in found.items()}, lang)
        if chosen:
            return chosen
    return ""


def kind_of(types: set[str]) -> tuple[str, str]:
    """The kind of a resource by its types: (key, name in the page's language)."""
    for type_iri, key, fr, en in KINDS:
        if type_iri in types:
            return key, text(fr, en)
    return "resource", text("Ressource", "Resource")


def _value(term: dict[str, Any], labels: dict[str, str], lang: str) -> dict[str, Any]:
    """A value as the page shows it: a literal's text (a glossary's size in words), an
    IRI with its label and a link (our page for what the store holds, the web for
    another http(s) IRI)."""
    if term["type"] != "uri":
        value = term["value"]
        if value.endswith(" entries") and value.split()[0].isdigit():
            value = value.split()[0]  # dct:extent "44 entries": the number, in any language
        return {"text": value, "lang": term.get("xml:lang", "")}
    uri = term["value"]
    if uri in labels:
        return {"text": labels[uri], "url": concept_url(uri), "uri": uri}
    external = uri.startswith(("http://", "https://"))
    return {"text": uri, "uri": uri, "external": uri if external else None}


def _described(uris: list[str]) -> list[str]:
    """Those of these IRIs that the store says something about (they have a page here)."""
    found: set[str] = set()
    for values in values_batches(uris):
        found |= {s for (s,) in state().reader.store.select_values(
            f"SELECT DISTINCT ?s WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}") if s}
    return sorted(found)


def _incoming(uri: str, lang: str) -> list[dict[str, Any]]:
    rows = state().reader.store.select_values(
        f"SELECT ?s ?p WHERE {{ ?s ?p {iri(uri)} FILTER(isIRI(?s)) }} LIMIT {MAX_LINKED * 4}")
    by_property: dict[str, set[str]] = {}
    for subject, prop in rows:
        if subject and prop and prop not in HIDDEN:
            by_property.setdefault(prop, set()).add(subject)
    labels = state().reader.labels(sorted({s for found in by_property.values() for s in found}),
                                   lang)
    names = {prop: text(fr, en) for prop, fr, en in INCOMING}
    order = [prop for prop, *_ in INCOMING]
    result = []
    for prop in sorted(by_property, key=lambda p: (order.index(p) if p in order else 99, p)):
        subjects = sorted(by_property[prop], key=lambda s: (labels[s].casefold(), s))
        result.append({"property": prop, "name": names.get(prop) or short_name(prop),
                       "count": len(subjects),
                       "resources": [{"uri": s, "label": labels[s], "url": concept_url(s)}
                                     for s in subjects[:MAX_LINKED]]})
    return result


def _publisher(uri: str, found: str, lang: str) -> str:
    """Our sources' publisher in the page's language, where the data has it in both."""
    vocabulary = state().vocabulary
    prefix = state().base_uri + "source/"
    if vocabulary is not None and uri.startswith(prefix):
        source = vocabulary.sources.get(uri[len(prefix):])
        in_language = getattr(source, "publisher_in", None)
        if in_language is not None:
            return in_language(lang) or found
    return found


def entity_data(uri: str) -> dict[str, Any]:
    """What the page of a resource that is not a concept shows (404 if the store holds
    nothing about it and nothing links to it)."""
    lang = current_language()
    reader = state().reader
    # in a set order: the store gives rows in none, and the page must not change with it
    rows = sorted(reader.store.select(f"SELECT ?p ?o WHERE {{ {iri(uri)} ?p ?o }}"),
                  key=lambda r: (r["p"]["value"], r["o"]["type"], r["o"]["value"],
                                 r["o"].get("xml:lang", "")))
    incoming = _incoming(uri, lang)
    if not rows and not incoming:
        abort(404, description=text(f"Ce serveur ne connaît pas la ressource {uri}.",
                                    f"This server knows nothing of the resource {uri}."))
    types = {r["o"]["value"] for r in rows if r["p"]["value"] == RDF_TYPE}
    kind, kind_name = kind_of(types)
    labels = reader.labels(_described([r["o"]["value"] for r in rows
                                       if r["o"]["type"] == "uri"]), lang)
    other_lang = "en" if lang == "fr" else "fr"
    title = _texts(rows, TITLES, lang) or local_name(uri)
    facts = []
    for prop, fr, en in FACTS:
        values = [_value(r["o"], labels, lang) for r in rows if r["p"]["value"] == prop]
        values = _in_language(values, lang)
        if prop == DCT + "publisher":
            values = [dict(v, text=_publisher(uri, v["text"], lang)) for v in values]
        if values:
            facts.append({"property": prop, "name": text(fr, en), "shown": values})
    shown = {prop for prop, *_ in FACTS} | set(TITLES) | set(DESCRIPTIONS) | HIDDEN
    others = sorted(((r["p"]["value"], r["o"]) for r in rows if r["p"]["value"] not in shown
                     and r["o"]["type"] != "bnode"), key=lambda po: (po[0], po[1]["value"]))
    return {
        "uri": uri, "kind": kind, "kind_name": kind_name, "types": sorted(types),
        "label": title,
        "label_other": (lambda t: "" if t == title else t)(_texts(rows, TITLES, other_lang)),
        "language": lang, "other_language": other_lang,
        "description": _texts(rows, DESCRIPTIONS, lang),
        "described": bool(rows),
        "facts": facts,
        "linked_from": incoming,
        "other_properties": [{"property": p, "name": short_name(p),
                              "value": _value(o, labels, lang)} for p, o in others[:100]],
        "page": url_for("concepts.entity", uri=uri),
        "downloads": {suffix: url_for("concepts.entity", uri=uri, format=suffix)
                      for suffix in ("ttl", "nt", "rdf", "jsonld")} if rows else {},
    }


def _in_language(values: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Of texts in several languages, those of the page's language (or the best other)."""
    tagged = {v.get("lang") for v in values if v.get("lang")}
    if len(tagged) < 2:
        return values
    best = pick({v["lang"]: [v["text"]] for v in values if v.get("lang")}, lang)
    return [v for v in values if not v.get("lang") or v["text"] == best]

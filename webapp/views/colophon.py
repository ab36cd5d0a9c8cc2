"""What the About page tells a reader before the settings: who made the vocabulary, the
glossaries it is drawn from (each with its page), its licence, how to cite it, and what
changed lately.

Read from the served data (the scheme's dct:creator, dct:license, dates and version), so
another vocabulary served here shows its own; the glossaries and the changelog are our
vocabulary's, shown only when it is served.
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from graph.query.reader import DCT, SKOS, iri, pick
from graph.text import local_name
from webapp.pages import concept_url, state, text

SCHEMA = "https://schema.org/"
OWL = "http://www.w3.org/2002/07/owl#"
#: the licences we can name in words
LICENCES = {"https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0"}

#: what changed, newest first: (date, fr, en) — from the project's history (git log)
CHANGES = (
    ("2026-12", "Recherche par sigle dans l'index A–Z (MQL, SQL, CRM…), fil d'Ariane complet "
                "et hiérarchie sur chaque fiche, pages des glossaires sources, téléchargement "
                "du vocabulaire entier.",
     "Acronyms in the A–Z index (MQL, SQL, CRM…), the full path and the hierarchy on each "
     "concept page, pages for the source glossaries, the whole vocabulary as a download."),
    ("2026-12", "Correspondances avec le thésaurus STW (ZBW) : 117 liens choisis un à un "
                "(exacts, proches, plus larges, plus étroits, associés).",
     "Mappings to the STW Thesaurus for Economics (ZBW): 117 links chosen one by one "
     "(exact, close, broader, narrower, related)."),
    ("2026-12", "Un seul modèle d'entonnoir : suspect → lead → MQL → SQL → opportunité → "
                "client ; cycle de vie du client et phases TOFU/MOFU/BOFU à part.",
     "One funnel model: suspect → lead → MQL → SQL → opportunity → customer; the customer "
     "lifecycle and the TOFU/MOFU/BOFU phases on their own."),
    ("2026-12", "Vingt notions nouvelles dont les définitions se servaient (développement "
                "commercial, prévision des ventes, vente croisée, démo, relance, B2B/B2C…).",
     "Twenty new notions the definitions used (sales development, forecast, cross-selling, "
     "demo, follow-up, B2B/B2C…)."),
    ("2026-12", "Les thèmes deviennent des groupes de concepts (isothes:ConceptGroup) ; les "
                "concepts de tête sont ceux qui n'ont pas de concept plus large.",
     "Themes become concept groups (isothes:ConceptGroup); the top concepts are those with "
     "no broader concept."),
)


def _scheme() -> tuple[str, dict[str, list[tuple[str, str]]]]:
    """The first concept scheme and its values by property: (value, language)."""
    rows = state().reader.store.select_values(
        f"SELECT ?s ?p ?o (LANG(?o) AS ?g) WHERE {{ ?s a <{SKOS}ConceptScheme> ; ?p ?o }} "
        "ORDER BY ?s")
    values: dict[str, list[tuple[str, str]]] = {}
    scheme = ""
    for subject, prop, value, language in rows:
        if subject is None or prop is None or value is None:
            continue
        if scheme and subject != scheme:
            break
        scheme = subject
        values.setdefault(prop, []).append((value, language or ""))
    return scheme, values


def _in(values: list[tuple[str, str]], lang: str) -> str:
    found: dict[str, list[str]] = {}
    for value, language in values:
        found.setdefault(language, []).append(value)
    return pick({k: sorted(v) for k, v in found.items()}, lang)


def _agent_name(uri: str, lang: str) -> str:
    rows = state().reader.store.select_values(
        f"SELECT ?n (LANG(?n) AS ?g) WHERE {{ {iri(uri)} <{SCHEMA}name>|<{SKOS}prefLabel> ?n }}")
    return _in([(n, g or "") for n, g in rows if n], lang) or local_name(uri)


def _sources(lang: str) -> list[dict[str, Any]]:
    """Our glossaries, each with the number of concepts that cite it and its page."""
    vocabulary = state().vocabulary
    if vocabulary is None or not state().own_data:
        return []
    base = state().base_uri + "source/"
    citing: dict[str, int] = {}
    for concept in vocabulary.concepts.values():
        for source in concept.sources:
            citing[source] = citing.get(source, 0) + 1
    return [{"id": sid, "uri": base + sid, "url": concept_url(base + sid),
             "title": source.title, "publisher": source.publisher_in(lang),
             "kind": source.kind.get(lang) or source.kind.get("fr", ""),
             "date": source.date.isoformat() if source.date else "",
             "entries": source.terms, "cited_by": citing.get(sid, 0)}
            for sid, source in vocabulary.sources.items()]


def colophon(lang: str) -> dict[str, Any]:
    """Who made the vocabulary, its sources, licence, citation line and changelog."""
    scheme, values = _scheme()
    if not scheme:
        return {"scheme": None}
    title = _in(values.get(SKOS + "prefLabel", []) or values.get(DCT + "title", []), lang)
    creators = [_agent_name(v, lang) for v, _ in values.get(DCT + "creator", [])]
    licence = next((v for v, _ in values.get(DCT + "license", [])), "")
    version = next((v for v, _ in values.get(OWL + "versionInfo", [])), "")
    modified = max((v for v, _ in values.get(DCT + "modified", [])), default="")
    created = min((v for v, _ in values.get(DCT + "created", [])), default="")
    year = (modified or created)[:4]
    licence_name = LICENCES.get(licence, licence)
    citation = ". ".join(part for part in (
        ", ".join(creators), f"{title}" + (f", version {version}" if version else ""),
        year, scheme, text("Licence ", "Licence ") + licence_name if licence else "") if part)
    return {
        "scheme": {"uri": scheme, "title": title, "url": concept_url(scheme),
                   "history": _in(values.get(SKOS + "historyNote", []), lang),
                   "created": created, "modified": modified, "version": version},
        "creators": creators,
        "licence": {"url": licence, "name": licence_name} if licence else None,
        "citation": citation + ".",
        "sources": _sources(lang),
        "changes": [{"date": d, "text": text(fr, en)} for d, fr, en in CHANGES]
        if state().own_data else [],
        "index_url": url_for("browse.alphabetical"),
    }

"""A flat glossary for spreadsheet users: one row a concept, both languages.

A trainer sorts and filters it: every field of a concept has its column (labels,
acronyms and hidden labels, the definition, each kind of note, the links, the links to
other vocabularies (``exactMatch <IRI>``), the collections it is in with its position
there, the sources), in French alphabetical
order. Lists inside a cell are joined with " | ", which neither language uses in
labels. The file starts with a UTF-8 byte-order mark so that Excel opens the
accents correctly.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
gets a leading apostrophe (OWASP's advice against CSV injection): a spreadsheet
would otherwise run it as a formula (``=cmd|' /C calc'!A0``), and the apostrophe
is how a spreadsheet user types such text anyway. A program reading the file
strips one leading ``'`` before those characters to get the text back.
"""

from __future__ import annotations

import csv
import io

from rdflib import Graph

from graph.export import Exporter, register
from graph.text import fold_search
from graph.vocabulary.model import Vocabulary
from graph.vocabulary.schema import MATCH_KEYS

COLUMNS = (
    "id", "uri", "label_fr", "label_en", "alt_labels_fr", "alt_labels_en",
    "hidden_labels_fr", "hidden_labels_en", "definition_fr", "definition_en",
    "scope_note_fr", "scope_note_en", "example_fr", "example_en",
    "editorial_note_fr", "editorial_note_en", "history_note_fr", "history_note_en",
    "groups", "broader", "narrower", "related", "other_relations", "mappings", "collections",
    "sources", "source_titles",
)
SEPARATOR = " | "
#: what a spreadsheet takes for the start of a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: note kinds, each a pair of columns (fr, en): (column prefix, Concept attribute)
NOTES = (("scope_note", "scope_note"), ("example", "example"),
         ("editorial_note", "editorial_note"), ("history_note", "history_note"))


def spreadsheet_text(value: str) -> str:
    """``value`` as a cell a spreadsheet shows as text and never evaluates."""
    return "'" + value if value.startswith(FORMULA_START) else value


def glossary_rows(vocabulary: Vocabulary, base_uri: str) -> list[dict[str, str]]:
    """One row a concept, in the French alphabetical order a reader expects: accents and
    case aside ("éditeur" among the e's, not after "webinaire")."""
    narrower: dict[str, list[str]] = {cid: [] for cid in vocabulary.concepts}
    for concept in vocabulary.concepts.values():
        for parent in concept.broader:
            narrower.setdefault(parent, []).append(concept.id)
    places: dict[str, list[str]] = {cid: [] for cid in vocabulary.concepts}
    for collection in vocabulary.collections.values():
        for position, member in enumerate(collection.members, start=1):
            places.setdefault(member, []).append(
                f"{collection.id}:{position}" if collection.ordered else collection.id)
    rows = []
    for concept in sorted(vocabulary.concepts.values(), key=lambda c: (
            fold_search(c.pref_label["fr"]), c.pref_label["fr"], c.id)):
        row = {
            "id": concept.id,
            "uri": f"{base_uri}id/{concept.id}",
            "label_fr": concept.pref_label["fr"],
            "label_en": concept.pref_label["en"],
        }
        for lang in ("fr", "en"):
            row[f"alt_labels_{lang}"] = SEPARATOR.join(concept.alt_label.get(lang, []))
            row[f"hidden_labels_{lang}"] = SEPARATOR.join(concept.hidden_label.get(lang, []))
            row[f"definition_{lang}"] = concept.definition[lang]
            for column, attribute in NOTES:
                row[f"{column}_{lang}"] = getattr(concept, attribute).get(lang, "")
        row.update({
            "groups": SEPARATOR.join(vocabulary.groups_of(concept.id)),
            "broader": SEPARATOR.join(concept.broader),
            "narrower": SEPARATOR.join(sorted(narrower.get(concept.id, []))),
            "related": SEPARATOR.join(concept.related),
            "other_relations": SEPARATOR.join(f"{kind} {target}"
                                              for kind, targets in sorted(concept.typed.items())
                                              for target in targets),
            "mappings": SEPARATOR.join(f"{key} {target}" for key in MATCH_KEYS
                                       for target in concept.matches.get(key, [])),
            "collections": SEPARATOR.join(places.get(concept.id, [])),
            "sources": SEPARATOR.join(concept.sources),
            "source_titles": SEPARATOR.join(
                f"{vocabulary.sources[s].title} ({vocabulary.sources[s].publisher})"
                for s in concept.sources),
        })
        rows.append({column: row[column] for column in COLUMNS})
    return rows


def render_csv(graph: Graph, vocabulary: Vocabulary) -> bytes:
    base_uri = _base_uri(graph)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({key: spreadsheet_text(value) for key, value in row.items()}
                     for row in glossary_rows(vocabulary, base_uri))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _base_uri(graph: Graph) -> str:
    for prefix, namespace in graph.namespaces():
        if prefix == "concept":
            return str(namespace).removesuffix("id/")
    return ""


CSV = register(Exporter("csv", "text/csv", ".csv", render_csv))

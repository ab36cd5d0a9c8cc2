"""A flat glossary for spreadsheet users: one row a concept, both languages.

Lists inside a cell are joined with " | ", which neither language uses in
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
from graph.model import Vocabulary

COLUMNS = (
    "id", "uri", "label_fr", "label_en", "alt_labels_fr", "alt_labels_en",
    "definition_fr", "definition_en", "themes", "broader", "related", "sources",
    "source_titles", "note_fr", "note_en",
)
SEPARATOR = " | "
#: what a spreadsheet takes for the start of a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: str) -> str:
    """``value`` as a cell a spreadsheet shows as text and never evaluates."""
    return "'" + value if value.startswith(FORMULA_START) else value


def glossary_rows(vocabulary: Vocabulary, base_uri: str) -> list[dict[str, str]]:
    rows = []
    for concept in sorted(vocabulary.concepts.values(),
                          key=lambda c: c.pref_label["fr"].casefold()):
        notes = {lang: " ".join(filter(None, (concept.scope_note.get(lang),
                                              concept.editorial_note.get(lang))))
                 for lang in ("fr", "en")}
        rows.append({
            "id": concept.id,
            "uri": f"{base_uri}id/{concept.id}",
            "label_fr": concept.pref_label["fr"],
            "label_en": concept.pref_label["en"],
            "alt_labels_fr": SEPARATOR.join(concept.alt_label.get("fr", [])),
            "alt_labels_en": SEPARATOR.join(concept.alt_label.get("en", [])),
            "definition_fr": concept.definition["fr"],
            "definition_en": concept.definition["en"],
            "themes": SEPARATOR.join(vocabulary.themes_of(concept.id)),
            "broader": SEPARATOR.join(concept.broader),
            "related": SEPARATOR.join(concept.related),
            "sources": SEPARATOR.join(concept.sources),
            "source_titles": SEPARATOR.join(
                f"{vocabulary.sources[s].title} ({vocabulary.sources[s].publisher})"
                for s in concept.sources),
            "note_fr": notes["fr"],
            "note_en": notes["en"],
        })
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

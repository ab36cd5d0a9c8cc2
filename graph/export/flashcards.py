"""Flashcards for Anki: a CSV file with Anki's header lines, two cards per concept.

One card per concept and language, French first (the vocabulary's default
language), then English, so that a learner can drill the terms in the language
of the glossaries and in the English jargon they meet at work:

- front: the preferred label and its acronyms, ``lead qualifié marketing (MQL)``;
- back: the definition, then the term in the other language;
- tags: the ids of the concept's groups and ``lang::fr`` or ``lang::en`` (Anki
  tags are separated by spaces; ``::`` makes a hierarchy in Anki's browser);
- guid: ``crmkg-<id>-<lang>``, so that importing a newer export updates the
  cards already imported instead of adding copies (many terms read the same in
  both languages, "lead", "NPS", so the front alone cannot tell two cards apart).

The header lines (``#separator:Comma``, ``#html:false``, ``#columns:…``,
``#tags column:3``, ``#guid column:4`` …) are read by Anki 2.1.55 and later;
other tools see them as one-cell rows before the data, and can skip every line
that starts with ``#``. Every data cell is quoted, so that no card can start
with ``#`` and be taken for a comment. The file is UTF-8 *without* a byte-order
mark: with one, Anki would not recognise its first header line.
"""

from __future__ import annotations

import csv
import io
import unicodedata

from rdflib import Graph

from graph.export import Exporter, register
from graph.text import LANGUAGES
from graph.training.quiz import term_with_acronyms
from graph.vocabulary.model import Concept, Vocabulary

#: the languages of the cards, in the order of the file
COLUMNS = ("Front", "Back", "Tags", "GUID")
#: Anki's file headers; ``#columns`` names Front and Back as the Basic note type does
HEADER_LINES = (
    "#separator:Comma",
    "#html:false",
    "#notetype:Basic",
    "#columns:" + ",".join(COLUMNS),
    "#tags column:3",
    "#guid column:4",
)
#: how the other language is announced on the back of a card
OTHER_LANGUAGE = {"fr": "en : {term}", "en": "fr: {term}"}


def flashcard_rows(vocabulary: Vocabulary) -> list[dict[str, str]]:
    """The cards, one dict a card (keys: COLUMNS), French cards first."""
    concepts = list(vocabulary.concepts.values())
    rows = []
    for lang in LANGUAGES:
        other = next(x for x in LANGUAGES if x != lang)
        for concept in sorted(concepts, key=lambda c: (_sort_key(c.pref_label[lang]), c.id)):
            rows.append({
                "Front": _term(concept, lang),
                "Back": concept.definition[lang] + " — "
                        + OTHER_LANGUAGE[lang].format(term=_term(concept, other)),
                "Tags": " ".join([*(_tag(t) for t in vocabulary.groups_of(concept.id)),
                                  f"lang::{lang}"]),
                "GUID": f"crmkg-{concept.id}-{lang}",
            })
    return rows


def render_flashcards(graph: Graph, vocabulary: Vocabulary) -> bytes:
    buffer = io.StringIO()
    for line in HEADER_LINES:
        buffer.write(line + "\r\n")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n",
                            quoting=csv.QUOTE_ALL)
    writer.writerows(flashcard_rows(vocabulary))
    return buffer.getvalue().encode("utf-8")


def _term(concept: Concept, lang: str) -> str:
    return term_with_acronyms(concept.pref_label[lang], concept.alt_label.get(lang, []))


def _sort_key(label: str) -> str:
    """Alphabetical order as a reader expects it: "appel à froid" before "appel de …"."""
    decomposed = unicodedata.normalize("NFKD", label.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _tag(text: str) -> str:
    """An Anki tag: no spaces inside (ids never have any; this only guards)."""
    return "_".join(text.split())


FLASHCARDS = register(Exporter("flashcards", "text/csv", ".csv", render_flashcards,
                               aliases=("anki",)))

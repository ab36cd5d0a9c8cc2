"""What the deck's slides share: their words in each language, colours, text runs, and the
helpers that turn a concept into the texts a slide shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pptx.dml.color import RGBColor
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.util import Inches

from graph.text import first_sentence, fold_search, shorten, xml_safe
from graph.training.drawings.base import text_colour_on as drawing_ink
from graph.vocabulary.model import Concept

#: a shape name is for PowerPoint's Selection Pane: a label's start is enough
SHAPE_NAME_LENGTH = 120


def shape_name(value: str) -> str:
    """A shape's name from a label: lxml refuses control characters in attributes (a
    label holding one made the whole deck fail), and a 10,000-character label is cut."""
    value = xml_safe(" ".join(value.split()))
    return value if len(value) <= SHAPE_NAME_LENGTH else value[:SHAPE_NAME_LENGTH - 1] + "…"


#: 16:9, PowerPoint's default widescreen size
WIDE_WIDTH = Inches(13.333)
WIDE_HEIGHT = Inches(7.5)

DEFAULT_TITLE = {
    "fr": "Vocabulaire du CRM, du marketing et du développement commercial",
    "en": "Vocabulary of CRM, marketing and sales development",
}

WORDS = {
    "fr": {
        "subtitle": "Support de formation : entonnoir, cycle de vente, NPS, données",
        "stage": "Étape",
        "of": "sur",
        "other_language": "En anglais",
        "acronyms": "Sigles",
        "related": "Termes liés",
        "previous": "Étape précédente",
        "next": "Étape suivante",
        "none": "—",
        "glossary": "Glossaire",
        "definition": "Définition",
        "scope": "Emploi",
        "example": "Exemple",
        "divergence": "Divergences entre les sources",
        "sources": "Sources",
        "licence": "Licence du vocabulaire : CC BY 4.0. Les glossaires appartiennent à leurs "
                   "éditeurs ; les définitions sont rédigées par l'équipe.",
        "credits": "Sources et licence",
        "credits_sources": "Les {count} glossaires dont le vocabulaire est tiré",
        "undated": "non daté",
        "entries": "{count} entrées",
        "own_words": "Les définitions sont celles de l'équipe éditoriale, écrites dans ses "
                     "propres mots : les glossaires sont cités, jamais recopiés. Ils "
                     "appartiennent à leurs éditeurs.",
        "licence_line": "Le vocabulaire (termes, définitions, liens) est sous licence "
                        "Creative Commons Attribution 4.0 (CC BY 4.0) : réutilisation et "
                        "adaptation libres, en citant la source.",
        "french": "français",
        "english": "anglais",
        "counts": "{concepts} concepts · {sources} glossaires sources · français et anglais",
        "nps_formula": "NPS = % de promoteurs − % de détracteurs (de −100 à +100)",
        "score": "notes",
        "colon": "\u00a0: ",
    },
    "en": {
        "subtitle": "Training deck: funnel, sales cycle, NPS, data",
        "stage": "Stage",
        "of": "of",
        "other_language": "In French",
        "acronyms": "Acronyms",
        "related": "Related terms",
        "previous": "Previous stage",
        "next": "Next stage",
        "none": "—",
        "glossary": "Glossary",
        "definition": "Definition",
        "scope": "Usage",
        "example": "Example",
        "divergence": "Where the sources disagree",
        "sources": "Sources",
        "licence": "Vocabulary licence: CC BY 4.0. The glossaries belong to their publishers; "
                   "the definitions are written by the editors.",
        "credits": "Sources and licence",
        "credits_sources": "The {count} glossaries the vocabulary is drawn from",
        "undated": "undated",
        "entries": "{count} entries",
        "own_words": "The definitions are the editorial team's, written in its own words: "
                     "the glossaries are cited, never copied. They belong to their "
                     "publishers.",
        "licence_line": "The vocabulary (terms, definitions, links) is licensed under "
                        "Creative Commons Attribution 4.0 (CC BY 4.0): free to reuse and "
                        "adapt, with credit.",
        "french": "French",
        "english": "English",
        "counts": "{concepts} concepts · {sources} source glossaries · French and English",
        "nps_formula": "NPS = % promoters − % detractors (from −100 to +100)",
        "score": "scores",
        "colon": ": ",
    },
}

MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}

LANGUAGE_IDS = {"fr": MSO_LANGUAGE_ID.FRENCH, "en": MSO_LANGUAGE_ID.ENGLISH_UK}

WHITE = RGBColor(0xFF, 0xFF, 0xFF)
INK = RGBColor(0x1F, 0x29, 0x33)
MUTED = RGBColor(0x5B, 0x67, 0x70)
CARD = RGBColor(0xEE, 0xF2, 0xF5)
HIGHLIGHT = RGBColor(0xE7, 0x6F, 0x51)


# --- text helpers --------------------------------------------------------------------------

def short_definition(concept: Concept, lang: str, limit: int) -> str:
    return shorten(first_sentence(concept.definition[lang]), limit)


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def display_label(concept: Concept, lang: str) -> str:
    """The label with its acronym: « lead qualifié marketing (MQL) »."""
    label = concept.pref_label[lang]
    short = concept.acronyms(lang)
    if short and short[0] != label and short[0] not in label:
        return f"{label} ({short[0]})"
    return label


def long_date(day: date, lang: str) -> str:
    month = MONTHS[lang][day.month - 1]
    if lang == "fr":
        return f"{'1er' if day.day == 1 else day.day} {month} {day.year}"
    return f"{day.day} {month} {day.year}"


def glossary_key(label: str) -> tuple[str, str]:
    return fold_search(label), label


def scheme_title(ontology_dir: Path | None, lang: str) -> str:
    """The concept scheme's dct:title in ``lang`` (ontology/scheme.ttl), else the default."""
    if ontology_dir is not None and (ontology_dir / "scheme.ttl").is_file():
        from rdflib import Graph
        from rdflib.namespace import DCTERMS

        try:
            graph = Graph().parse(ontology_dir / "scheme.ttl", format="turtle",
                                  publicID="https://w3id.org/crmkg/")
        except Exception:  # a title is not worth failing the deck for
            return DEFAULT_TITLE[lang]
        for title in graph.objects(None, DCTERMS.title):
            if getattr(title, "language", None) == lang:
                return str(title)
    return DEFAULT_TITLE[lang]


def mix(first: RGBColor, last: RGBColor, t: float) -> RGBColor:
    return RGBColor(*(round(a + (b - a) * t) for a, b in zip(first, last, strict=True)))


def gradient(colours: tuple[RGBColor, RGBColor], n: int) -> list[RGBColor]:
    return [mix(colours[0], colours[1], i / max(n - 1, 1)) for i in range(n)]


def text_colour_on(fill: RGBColor) -> RGBColor:
    """The drawings' choice of ink (WCAG contrast), so that slides and pages agree."""
    return RGBColor.from_string(drawing_ink(f"#{fill}").lstrip("#"))


@dataclass
class Run:
    """A run of text in one font size and style (``lang``: when not the deck's language)."""

    text: str
    size: float = 14
    bold: bool = False
    italic: bool = False
    colour: RGBColor | None = None
    lang: str | None = None


Paragraph = Sequence[Run]

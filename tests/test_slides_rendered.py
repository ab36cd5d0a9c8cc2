"""The training deck as a room sees it: both decks rendered by LibreOffice to PDF and read
back with pdftotext (poppler-utils).

- Nothing in one language's deck is in the other language only, but the words the deck
  marks as such (a term "In French", a glossary's title); the lists of words come from the
  vocabulary and the deck's own words, not from a list written here.
- Every glossary entry is whole on the slide: its definition is read back from the part of
  the page its text box covers (pdftotext cuts at the box's edges, so text that overflowed
  it would be missing), and no slide of the glossary or the funnel has an ellipsis.
- The funnel's and the sales cycle's definitions are whole first sentences, each inside
  its box.

Rendering both decks takes LibreOffice some twenty seconds: the module is marked slow.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.lang import MSO_LANGUAGE_ID

from graph.text import LANGUAGES, first_sentence
from graph.training.deck.common import DEFAULT_TITLE, MONTHS, WORDS
from graph.training.slides import deck_bytes

TOOLS = [shutil.which("soffice"), shutil.which("pdftotext")]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not all(TOOLS), reason="LibreOffice (soffice, Debian's "
                       "libreoffice-impress) or pdftotext (poppler-utils) is not installed"),
]

DAY = date(2026, 11, 23)
LANGUAGE_IDS = {MSO_LANGUAGE_ID.FRENCH: "fr", MSO_LANGUAGE_ID.ENGLISH_UK: "en"}
#: a word, for telling languages apart: three letters or more (no elisions, no numbers)
WORD = re.compile(r"[^\W\d_]{3,}")


@dataclass
class Rendered:
    deck: Presentation
    pdf: Path
    pages: list[str]

    def crop(self, index: int, shape) -> str:
        """The text of slide ``index`` (from 0) inside ``shape``'s box, whitespace folded."""
        x, y, w, h = (int(v) / 12700 for v in (shape.left, shape.top, shape.width,
                                                shape.height))
        out = subprocess.run(
            ["pdftotext", "-f", str(index + 1), "-l", str(index + 1), "-x", str(int(x)),
             "-y", str(int(y)), "-W", str(int(w) + 1), "-H", str(int(h) + 1),
             str(self.pdf), "-"], check=True, capture_output=True, text=True, timeout=60)
        return words(out.stdout)


@pytest.fixture(scope="module")
def rendered(vocabulary, tmp_path_factory) -> dict[str, Rendered]:
    """Both decks, converted by one LibreOffice run (a profile of its own)."""
    folder = tmp_path_factory.mktemp("decks")
    for lang in LANGUAGES:
        (folder / f"{lang}.pptx").write_bytes(deck_bytes(vocabulary, lang=lang, day=DAY))
    subprocess.run(["soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(folder),
                    *(str(folder / f"{lang}.pptx") for lang in LANGUAGES)],
                   check=True, capture_output=True, timeout=600)
    result = {}
    for lang in LANGUAGES:
        pdf = folder / f"{lang}.pdf"
        text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                              text=True, timeout=120).stdout
        deck = Presentation(io.BytesIO((folder / f"{lang}.pptx").read_bytes()))
        pages = text.split("\f")[:len(deck.slides)]
        assert len(pages) == len(deck.slides)
        result[lang] = Rendered(deck, pdf, pages)
    return result


def words(text: str) -> str:
    return " ".join(text.split())


def unhyphenated(text: str) -> str:
    """Whitespace folded and hyphens dropped: pdftotext joins a word that LibreOffice broke
    after its hyphen ("follow-" / "up" comes back as "followup")."""
    return words(text).replace("-", "")


def named(slide, prefix: str) -> list:
    return [shape for shape in slide.shapes if shape.name.startswith(prefix)]


def tokens(text: str) -> set[str]:
    return set(WORD.findall(text.casefold()))


# --- one language at a time --------------------------------------------------------------

def corpus(vocabulary, lang: str) -> list[str]:
    """Every text the deck may show in ``lang``: the vocabulary's texts in that language, the
    deck's words, month names and title; the glossaries' titles, which stay as published."""
    texts: list[str] = [*WORDS[lang].values(), *MONTHS[lang], DEFAULT_TITLE[lang]]
    for concept in vocabulary.concepts.values():
        texts += [concept.pref_label[lang], *concept.alt_label.get(lang, []),
                  concept.definition[lang]]
        texts += [note.get(lang, "") for note in (concept.scope_note, concept.example,
                                                  concept.editorial_note,
                                                  concept.history_note)]
    for collection in vocabulary.collections.values():
        texts += [collection.pref_label[lang], collection.definition[lang],
                  collection.scope_note.get(lang, "")]
    for source in vocabulary.sources.values():
        texts += [source.publisher_in(lang), source.kind.get(lang, ""),
                  source.note.get(lang, ""), source.title, source.subtitle or ""]
    return texts


@pytest.fixture(scope="module")
def only_in(vocabulary) -> dict[str, set[str]]:
    """Each language's words that no text of the other language has."""
    found = {lang: set().union(*map(tokens, corpus(vocabulary, lang))) for lang in LANGUAGES}
    return {lang: found[lang] - found[other] for lang, other in zip(LANGUAGES,
                                                                    LANGUAGES[::-1],
                                                                    strict=True)}


def marked(slide, lang: str) -> set[str]:
    """The words of the slide's runs that the deck marks as ``lang``."""
    found: set[str] = set()
    for shape in slide.shapes:
        if shape.has_text_frame:
            for paragraph in shape.text_frame.paragraphs:
                for run in paragraph.runs:
                    if LANGUAGE_IDS.get(run.font.language_id) == lang:
                        found |= tokens(run.text)
    return found


def test_the_word_lists_are_not_empty(only_in):
    """The check below would pass on empty lists: they hold the words that differ."""
    assert {"entonnoir", "étape", "sigles"} <= only_in["fr"]
    assert {"stage", "acronyms", "related"} <= only_in["en"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_deck_shows_only_its_language(rendered, only_in, lang):
    """The English deck said "Un blog français de marketing", "(RGPD)" …: what a room sees,
    read from the rendered PDF, has no word of the other language but where the deck marks
    it as such (a term "In French" on a stage slide, a card's other name, a title)."""
    other = next(x for x in LANGUAGES if x != lang)
    deck = rendered[lang]
    wrong = {}
    for index, (slide, page) in enumerate(zip(deck.deck.slides, deck.pages, strict=True)):
        foreign = (tokens(page) & only_in[other]) - marked(slide, other)
        if foreign:
            wrong[f"slide {index + 1}"] = sorted(foreign)
    assert wrong == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_speaker_notes_speak_the_decks_language(rendered, only_in, lang):
    """Notes in the deck's language (headings, sources, the licence) have no word of the
    other language; the definitions given in both are marked as such."""
    other = next(x for x in LANGUAGES if x != lang)
    wrong = {}
    for index, slide in enumerate(rendered[lang].deck.slides):
        if not slide.has_notes_slide:
            continue
        for paragraph in slide.notes_slide.notes_text_frame.paragraphs:
            for run in paragraph.runs:
                if LANGUAGE_IDS.get(run.font.language_id) == lang:
                    foreign = tokens(run.text) & only_in[other]
                    if foreign:
                        wrong.setdefault(f"slide {index + 1}", set()).update(foreign)
    assert wrong == {}


# --- nothing cut -------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_glossary_entry_is_whole_on_its_slide(rendered, vocabulary, lang):
    deck = rendered[lang]
    boxes = [(index, shape) for index, slide in enumerate(deck.deck.slides)
             for shape in named(slide, "Glossary")]
    assert boxes
    crops = [unhyphenated(deck.crop(index, shape)) for index, shape in boxes]
    shown = " ¶ ".join(crops)
    missing = [concept.id for concept in vocabulary.concepts.values()
               if unhyphenated(concept.definition[lang]) not in shown
               or unhyphenated(concept.pref_label[lang]) not in shown]
    assert missing == []
    # no ellipsis but those the definitions hold ("(besoin, budget…)")
    for (index, _shape), crop in zip(boxes, crops, strict=True):
        held = sum(concept.definition[lang].count("…") for concept in vocabulary.concepts.values()
                   if unhyphenated(concept.definition[lang]) in crop)
        assert deck.pages[index].count("…") == held, f"slide {index + 1} cuts a text"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_funnel_definitions_are_whole_first_sentences_in_their_boxes(rendered, vocabulary,
                                                                     lang):
    deck = rendered[lang]
    index = next(i for i, slide in enumerate(deck.deck.slides) if named(slide, "Stage 1:"))
    slide = deck.deck.slides[index]
    members = vocabulary.collections["funnel-stages"].members
    for position, concept_id in enumerate(members, start=1):
        concept = vocabulary.concepts[concept_id]
        (box,) = named(slide, f"Funnel definition {position}:")
        assert unhyphenated(deck.crop(index, box)) == \
            unhyphenated(first_sentence(concept.definition[lang]))
        (stage,) = named(slide, f"Stage {position}:")
        assert unhyphenated(concept.pref_label[lang]) in unhyphenated(deck.crop(index, stage))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_steps_definitions_are_whole_first_sentences_in_their_boxes(rendered, vocabulary,
                                                                    lang):
    """The sales cycle's steps ended in "…" under their chevrons: each box now holds its
    step's first sentence whole, as LibreOffice draws it."""
    deck = rendered[lang]
    index = next(i for i, slide in enumerate(deck.deck.slides) if named(slide, "Step 1:"))
    slide = deck.deck.slides[index]
    members = vocabulary.collections["sales-cycle-steps"].members
    for position, concept_id in enumerate(members, start=1):
        (box,) = named(slide, f"Step {position} definition")
        assert unhyphenated(deck.crop(index, box)) == \
            unhyphenated(first_sentence(vocabulary.concepts[concept_id].definition[lang]))

"""crmkg slides: the training deck, re-opened with python-pptx and rendered by LibreOffice."""

from __future__ import annotations

import io
import math
import shutil
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE, MSO_SHAPE_TYPE
from pptx.util import Inches
from rdflib import URIRef
from rdflib.collection import Collection as RDFList

from graph.cli import main
from graph.config import PROJECT_ROOT
from graph.namespaces import SKOS
from graph.text import first_sentence, shorten
from graph.text import fold_search as fold
from graph.training.deck.glossary import BODY_SIZE, MAX_PER_SLIDE
from graph.training.slides import (
    MEDIA_TYPE,
    TemplateError,
    UnknownCollectionError,
    build_deck,
    deck_bytes,
)

DAY = date(2026, 11, 23)


def reopen(data: bytes) -> Presentation:
    return Presentation(io.BytesIO(data))


@pytest.fixture(scope="module")
def decks(vocabulary) -> dict[str, Presentation]:
    """The full deck in each language, saved and opened again."""
    return {lang: reopen(deck_bytes(vocabulary, lang=lang, day=DAY)) for lang in ("fr", "en")}


def words(text: str) -> str:
    return " ".join(text.split())


def notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def named(slide, prefix: str) -> list:
    return [shape for shape in slide.shapes if shape.name.startswith(prefix)]


def slide_with(deck: Presentation, prefix: str):
    found = [slide for slide in deck.slides if named(slide, prefix)]
    assert found, f"no slide has a shape named {prefix!r}"
    return found[0]


def graph_order(graph, collection_id: str) -> list[str]:
    """The members of a collection in the order of the RDF graph's skos:memberList."""
    uri = URIRef(f"https://w3id.org/crmkg/collection/{collection_id}")
    head = graph.value(uri, SKOS.memberList)
    return [str(member).rsplit("/", 1)[-1] for member in RDFList(graph, head)]


def publishers(vocabulary, source_ids, lang: str = "fr") -> list[str]:
    return [vocabulary.sources[s].publisher_in(lang) for s in source_ids]


def glossary_slides(deck: Presentation) -> list:
    return [slide for slide in deck.slides if named(slide, "Glossary")]


def glossary_entries(slide) -> list[tuple[str, str]]:
    """(term, definition) of each entry of a glossary slide: a paragraph each."""
    paragraphs = [p.text for box in named(slide, "Glossary") for p in box.text_frame.paragraphs]
    return list(zip(paragraphs[0::2], paragraphs[1::2], strict=True))


# --- the whole deck ------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["fr", "en"])
def test_deck_is_16_9_with_one_slide_per_part(decks, vocabulary, lang):
    deck = decks[lang]
    assert deck.slide_width == Inches(13.333) and deck.slide_height == Inches(7.5)
    funnel = vocabulary.collections["funnel-stages"]
    glossary = len(glossary_slides(deck))
    assert glossary >= math.ceil(len(vocabulary.concepts) / MAX_PER_SLIDE)
    # title, one slide per collection (groups are not drawn), one per funnel stage, the
    # sources and licence, the glossary (last)
    drawn = [c for c in vocabulary.collections.values() if not c.group]
    expected = 1 + len(drawn) + len(funnel.members) + 1 + glossary
    assert len(deck.slides) == expected
    assert named(deck.slides[-glossary - 1], "Licence")
    assert all(named(s, "Glossary") for s in list(deck.slides)[-glossary:])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_everything_is_an_editable_shape_never_a_picture(decks, lang):
    for slide in decks[lang].slides:
        for shape in slide.shapes:
            assert shape.shape_type != MSO_SHAPE_TYPE.PICTURE, shape.name
            assert shape.has_text_frame, shape.name


def test_title_slide_has_the_scheme_title_and_date(vocabulary):
    deck = reopen(deck_bytes(vocabulary, lang="fr", title="Mon vocabulaire", day=DAY))
    first = deck.slides[0]
    assert first.shapes.title.text_frame.text == "Mon vocabulaire"
    texts = " ".join(shape.text_frame.text for shape in first.shapes)
    assert "23 novembre 2026" in texts
    assert "Salesforce France" in notes(first)


def test_cli_title_comes_from_the_scheme(tmp_path):
    target = tmp_path / "deck.pptx"
    result = CliRunner().invoke(main, ["slides", "--lang", "en", "-o", str(target)])
    assert result.exit_code == 0, result.output
    title = Presentation(str(target)).slides[0].shapes.title.text_frame.text
    assert title == "Vocabulary of CRM, marketing and sales development"


# --- the funnel ----------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["fr", "en"])
def test_funnel_stages_are_separate_shapes_in_the_graphs_order(decks, vocabulary, graph, lang):
    order = graph_order(graph, "funnel-stages")
    assert order == vocabulary.collections["funnel-stages"].members
    slide = slide_with(decks[lang], "Stage 1:")
    stages = named(slide, "Stage ")
    assert len(stages) == len(order)
    tops, widths = [], []
    for position, (shape, concept_id) in enumerate(zip(stages, order, strict=True), start=1):
        concept = vocabulary.concepts[concept_id]
        assert shape.shape_type == MSO_SHAPE_TYPE.FREEFORM
        assert shape.name.startswith(f"Stage {position}: ")
        (label,) = (p.text for p in shape.text_frame.paragraphs)
        assert label.startswith(f"{position}. {concept.pref_label[lang]}")
        # beside it, the first sentence of its definition, whole, in the chosen language
        (box,) = named(slide, f"Funnel definition {position}:")
        assert box.text_frame.text == first_sentence(concept.definition[lang])
        assert box.top == shape.top and box.left >= shape.left + shape.width
        tops.append(shape.top)
        widths.append(shape.width)
    assert tops == sorted(tops) and widths == sorted(widths, reverse=True)  # a funnel
    assert named(slide, "Stage 3:")[0].name == "Stage 3: MQL"


def test_funnel_notes_hold_full_definitions_and_sources(decks, vocabulary):
    slide = slide_with(decks["fr"], "Stage 1:")
    text = words(notes(slide))
    for concept_id in vocabulary.collections["funnel-stages"].members:
        assert words(vocabulary.concepts[concept_id].definition["fr"]) in text
    for publisher in publishers(vocabulary, vocabulary.collections["funnel-stages"].sources):
        assert publisher in text
    assert words(vocabulary.concepts["mql"].editorial_note["fr"]) in text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_slide_per_stage(decks, vocabulary, lang):
    other = "en" if lang == "fr" else "fr"
    members = vocabulary.collections["funnel-stages"].members
    slides = [s for s in decks[lang].slides if named(s, "Position 1")]
    assert len(slides) == len(members)
    for position, (slide, concept_id) in enumerate(zip(slides, members, strict=True), start=1):
        concept = vocabulary.concepts[concept_id]
        title = slide.shapes.title.text_frame.text
        assert title.lower().startswith(f"{position}. {concept.pref_label[lang]}".lower())
        definition = named(slide, "Definition")[0].text_frame.paragraphs[0].text
        assert words(definition) == words(concept.definition[lang])
        facts = named(slide, "Facts")[0].text_frame.text
        assert concept.pref_label[other] in facts
        for acronym in concept.acronyms(lang):
            assert acronym in facts
        for related in concept.related:
            assert vocabulary.concepts[related].pref_label[lang] in facts
        highlighted = named(slide, f"Position {position}")[0]
        assert highlighted.fill.fore_color.rgb != named(slide, "Position 1" if position > 1
                                                        else "Position 2")[0].fill.fore_color.rgb
        text = words(notes(slide))
        assert words(concept.definition["fr"]) in text and words(concept.definition["en"]) in text
        for publisher in publishers(vocabulary, concept.sources, lang):
            assert publisher in text
        if concept.editorial_note:
            assert words(concept.editorial_note[lang]) in text


def test_mql_stage_slide_in_detail(decks):
    slide = next(s for s in decks["en"].slides
                 if s.shapes.title.text_frame.text.startswith("3. "))
    assert slide.shapes.title.text_frame.text == "3. Marketing qualified lead (MQL)"
    facts = named(slide, "Facts")[0].text_frame.text
    assert "lead qualifié marketing" in facts and "MQL" in facts
    assert "sales qualified lead" in facts  # related, and the next stage
    assert "HUBYup" in notes(slide) and "Datananas" in notes(slide)


# --- the other collections ---------------------------------------------------------------

@pytest.mark.parametrize("lang", ["fr", "en"])
def test_sales_cycle_is_chevrons_in_order(decks, vocabulary, graph, lang):
    order = graph_order(graph, "sales-cycle-steps")
    slide = slide_with(decks[lang], "Step 1:")
    chevrons = [s for s in named(slide, "Step ") if ":" in s.name]
    assert [c.auto_shape_type for c in chevrons] == [MSO_SHAPE.CHEVRON] * len(order)
    for position, (shape, concept_id) in enumerate(zip(chevrons, order, strict=True), start=1):
        label = vocabulary.concepts[concept_id].pref_label[lang]
        assert shape.text_frame.text == f"{position}. {label}"
    rows = sorted({c.top for c in chevrons})
    assert len(rows) == 2  # eight steps wrap onto two rows
    # under each chevron, the first sentence of its step's definition, whole (it was cut)
    for position, concept_id in enumerate(order, start=1):
        (box,) = named(slide, f"Step {position} definition")
        assert box.text_frame.text == first_sentence(vocabulary.concepts[concept_id]
                                                     .definition[lang])
    for concept_id in order:
        assert words(vocabulary.concepts[concept_id].definition[lang]) in words(notes(slide))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_nps_scale_has_three_coloured_segments(decks, vocabulary, lang):
    slide = slide_with(decks[lang], "Segment 1:")
    segments = [s for s in named(slide, "Segment ") if ":" in s.name]
    members = vocabulary.collections["nps-scale"].members
    assert len(segments) == 3
    colours = set()
    for shape, concept_id, scores in zip(segments, members, ["0–6", "7–8", "9–10"],
                                         strict=True):
        label, score_range = (p.text for p in shape.text_frame.paragraphs)
        assert label.lower() == vocabulary.concepts[concept_id].pref_label[lang].lower()
        assert score_range.endswith(scores)
        colours.add(shape.fill.fore_color.rgb)
    assert len(colours) == 3
    assert [s.text_frame.text for s in named(slide, "Score ")] == [str(n) for n in range(11)]
    assert words(vocabulary.concepts["nps"].definition[lang]) in words(notes(slide))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_data_parties_side_by_side_with_definitions(decks, vocabulary, lang):
    members = vocabulary.collections["data-parties"].members
    label = vocabulary.concepts[members[0]].pref_label[lang]
    slide = slide_with(decks[lang], f"Item 1: {label}")
    items = named(slide, "Item ")
    assert len(items) == 3
    assert [s.top for s in items] == [items[0].top] * 3
    assert [s.left for s in items] == sorted(s.left for s in items)
    for shape, concept_id in zip(items, members, strict=True):
        concept = vocabulary.concepts[concept_id]
        paragraphs = [p.text for p in shape.text_frame.paragraphs]
        assert paragraphs[0].lower() == concept.pref_label[lang].lower()
        assert paragraphs[2].rstrip("…") in words(concept.definition[lang])
        assert words(concept.definition[lang]) in words(notes(slide))
    assert "CustUp" in notes(slide)


# --- the glossary ------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["fr", "en"])
def test_glossary_lists_every_concept_from_a_to_z_whole(decks, vocabulary, lang):
    slides = glossary_slides(decks[lang])
    terms = [term for s in slides for term, _definition in glossary_entries(s)]
    by_label = {}
    for concept in vocabulary.concepts.values():
        shown = next(t for t in terms if t == concept.pref_label[lang]
                     or t.startswith(concept.pref_label[lang] + " ("))
        by_label[shown] = concept
    assert len(terms) == len(vocabulary.concepts) == len(by_label)
    folded = [fold(by_label[t].pref_label[lang]) for t in terms]
    assert folded == sorted(folded)
    for number, slide in enumerate(slides, start=1):
        entries = glossary_entries(slide)
        assert 1 <= len(entries) <= MAX_PER_SLIDE
        for term, definition in entries:
            concept = by_label[term]
            assert definition == concept.definition[lang]  # whole, never cut
            assert words(concept.definition[lang]) in words(notes(slide))
        # the letters the slide covers, and where it is in the glossary
        first, last = (fold(by_label[t].pref_label[lang])[:1].upper()
                       for t in (entries[0][0], entries[-1][0]))
        letters = first if first == last else f"{first}–{last}"
        assert slide.shapes.title.text_frame.text.endswith(
            f" {letters} ({number}/{len(slides)})")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_glossary_text_is_large_enough_for_a_room(decks, lang):
    """12-point text filled half of each slide: every run of the glossary is 18 points or
    more, and the terms stand out (bold)."""
    for slide in glossary_slides(decks[lang]):
        for box in named(slide, "Glossary"):
            for index, paragraph in enumerate(box.text_frame.paragraphs):
                for run in paragraph.runs:
                    assert run.font.size is not None and run.font.size.pt >= BODY_SIZE
                    assert bool(run.font.bold) == (index % 2 == 0)


def test_glossary_stays_18_points_on_a_smaller_template(vocabulary, tmp_path):
    """A 4:3 template scales the deck's text down (10 inches wide): not the glossary's."""
    make_template(tmp_path / "charte.pptx")
    deck = reopen(deck_bytes(vocabulary, template=tmp_path / "charte.pptx",
                             collections=["nps-scale"], day=DAY))
    sizes = [run.font.size.pt for slide in glossary_slides(deck)
             for box in named(slide, "Glossary") for p in box.text_frame.paragraphs
             for run in p.runs]
    assert sizes and min(sizes) >= BODY_SIZE


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_each_deck_shows_the_acronyms_of_its_language(decks, vocabulary, lang):
    """The English deck once wrote "General Data Protection Regulation (RGPD)"."""
    terms = {term for s in glossary_slides(decks[lang]) for term, _d in glossary_entries(s)}
    other = "en" if lang == "fr" else "fr"
    checked = 0
    for concept in vocabulary.concepts.values():
        own, foreign = concept.acronyms(lang), concept.acronyms(other)
        for acronym in set(foreign) - set(own):
            assert f"{concept.pref_label[lang]} ({acronym})" not in terms, (lang, acronym)
            checked += 1
        if own:
            assert f"{concept.pref_label[lang]} ({own[0]})" in terms or \
                concept.pref_label[lang] in terms
    assert checked > 0  # some acronyms differ between the languages (RGPD / GDPR, IA / AI)


# --- sources and licence -------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["fr", "en"])
def test_sources_and_licence_slide(decks, vocabulary, settings, lang):
    """Credits a room sees: the glossaries with publisher, kind, date and size in the deck's
    language (a title is a proper title and stays as published), the editors' own words,
    and the licence that ontology/scheme.ttl declares."""
    from rdflib import Graph
    from rdflib.namespace import DCTERMS

    from graph.training.deck.common import WORDS, long_date

    slide = slide_with(decks[lang], "Licence")
    assert slide.shapes.title.text_frame.text == WORDS[lang]["credits"]
    shown = words(named(slide, "Sources")[0].text_frame.text)
    for source in vocabulary.sources.values():
        assert words(source.title) in shown
        assert source.publisher_in(lang) in shown
        if source.publisher_label.get(lang, source.publisher) != source.publisher:
            assert source.publisher not in shown  # "Un blog français de marketing"
        assert source.kind[lang] in shown
        assert (long_date(source.date, lang) if source.date else WORDS[lang]["undated"]) \
            in shown
        assert WORDS[lang]["entries"].format(count=source.terms) in shown
        if source.note:
            assert words(source.note[lang]) in shown
    scheme = Graph().parse(settings.ontology_dir / "scheme.ttl", publicID=settings.base_uri)
    (licence,) = set(scheme.objects(None, DCTERMS.license))
    card = words(named(slide, "Licence")[0].text_frame.text)
    assert str(licence) in card and "CC BY 4.0" in card
    assert words(WORDS[lang]["own_words"]) in card
    assert str(licence) in notes(slide)


# --- options -----------------------------------------------------------------------------

def test_collection_option_limits_the_collection_slides(vocabulary):
    deck = reopen(deck_bytes(vocabulary, collections=["nps-scale"], day=DAY))
    glossary = len(glossary_slides(deck))
    assert len(deck.slides) == 1 + 1 + 1 + glossary
    assert not any(named(s, "Stage ") or named(s, "Step ") for s in deck.slides)
    assert named(deck.slides[1], "Segment 1:")


def test_collections_keep_the_datas_order(vocabulary):
    deck = reopen(deck_bytes(vocabulary, collections=["data-parties", "funnel-stages"], day=DAY))
    assert named(deck.slides[1], "Stage 1:")
    assert named(deck.slides[-2 - len(glossary_slides(deck))], "Item 1:")


def test_unknown_collection_is_refused(vocabulary):
    with pytest.raises(UnknownCollectionError, match="funnel-stages"):
        build_deck(vocabulary, collections=["funnel"])


def test_shorten_cuts_at_a_word():
    assert shorten("a b c", 10) == "a b c"
    assert shorten("lead qualifié marketing par le marketing", 20) == "lead qualifié…"
    assert first_sentence("Une phrase. Une autre.") == "Une phrase."


def make_template(path: Path, *, layout_name: str = "Titre seul maison") -> None:
    """A 4:3 presentation with a renamed title-only layout and a slide of its own."""
    template = Presentation()
    template.slide_layouts[5].name = layout_name
    template.slide_master.name = "Charte maison"
    old = template.slides.add_slide(template.slide_layouts[0])
    old.shapes.title.text = "Ancienne diapositive"
    template.save(str(path))


def test_template_gives_size_and_layouts_and_its_slides_are_dropped(vocabulary, tmp_path):
    make_template(tmp_path / "charte.pptx")
    data = deck_bytes(vocabulary, template=tmp_path / "charte.pptx",
                      collections=["funnel-stages"], day=DAY)
    deck = reopen(data)
    assert (deck.slide_width, deck.slide_height) == (Inches(10), Inches(7.5))
    layouts = [slide.slide_layout.name for slide in deck.slides]
    assert layouts[0] == "Title Slide"
    assert set(layouts[1:]) == {"Titre seul maison"}
    assert deck.slide_master.name == "Charte maison"
    texts = [shape.text_frame.text for s in deck.slides for shape in s.shapes]
    assert "Ancienne diapositive" not in texts
    parts = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
             if n.startswith("ppt/slides/slide")]
    assert len(parts) == len(deck.slides)
    stages = named(slide_with(deck, "Stage 1:"), "Stage ")
    assert all(s.left >= 0 and s.left + s.width <= deck.slide_width for s in stages)


def test_template_without_title_only_layout_falls_back(vocabulary, tmp_path):
    template = Presentation()
    layouts = template.slide_master.slide_layouts
    for layout in list(layouts)[1:]:
        if layout.name != "Blank":
            layouts.remove(layout)
    template.save(str(tmp_path / "bare.pptx"))
    deck = reopen(deck_bytes(vocabulary, template=tmp_path / "bare.pptx",
                             collections=["nps-scale"], day=DAY))
    nps = deck.slides[1]
    assert nps.slide_layout.name == "Blank"
    assert named(nps, "Title")[0].text_frame.text.startswith("Échelle")


def test_potx_template_is_accepted(vocabulary, tmp_path):
    make_template(tmp_path / "charte.pptx")
    with zipfile.ZipFile(tmp_path / "charte.pptx") as source, \
            zipfile.ZipFile(tmp_path / "charte.potx", "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "[Content_Types].xml":
                content = content.replace(b"presentationml.presentation.main",
                                          b"presentationml.template.main")
            target.writestr(item, content)
    deck = reopen(deck_bytes(vocabulary, template=tmp_path / "charte.potx",
                             collections=["nps-scale"], day=DAY))
    assert deck.slides[1].slide_layout.name == "Titre seul maison"


def test_invalid_template_is_refused(vocabulary, tmp_path):
    (tmp_path / "nope.pptx").write_text("not a presentation")
    with pytest.raises(TemplateError, match="not a PowerPoint file"):
        build_deck(vocabulary, template=tmp_path / "nope.pptx")


# --- the command line --------------------------------------------------------------------

def test_cli_writes_the_deck_atomically(tmp_path):
    target = tmp_path / "out" / "deck.pptx"
    result = subprocess.run([sys.executable, "-m", "graph", "slides", "-o", str(target)],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in target.parent.iterdir()] == ["deck.pptx"]
    deck = Presentation(str(target))
    stages = named(slide_with(deck, "Stage 1:"), "Stage ")
    assert stages[0].text_frame.paragraphs[0].text == "1. suspect"


def test_cli_options(tmp_path):
    target = tmp_path / "deck.pptx"
    result = CliRunner().invoke(main, ["slides", "--lang", "en", "--collection", "funnel-stages",
                                       "--collection", "nps-scale", "-o", str(target)])
    assert result.exit_code == 0, result.output
    deck = Presentation(str(target))
    assert named(deck.slides[1], "Stage 1:")[0].text_frame.paragraphs[0].text == "1. suspect"
    assert named(deck.slides[1], "Stage 6:")[0].text_frame.paragraphs[0].text == "6. customer"
    assert not any(named(s, "Step 1:") for s in deck.slides)
    make_template(tmp_path / "charte.pptx")
    result = CliRunner().invoke(main, ["slides", "--template", str(tmp_path / "charte.pptx"),
                                       "--collection", "nps-scale", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert Presentation(str(target)).slides[1].slide_layout.name == "Titre seul maison"


@pytest.mark.parametrize(("args", "message"), [
    (["--collection", "funnel"], "unknown collection 'funnel'"),
    (["--template", "missing.pptx"], "does not exist"),
    (["--template", "bad.pptx"], "not a PowerPoint file"),
    (["--lang", "de"], "'de' is not one of"),
    ([], "Missing option '-o'"),
])
def test_cli_errors_are_usage_errors(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.pptx").write_bytes(b"PK\x03\x04 not really a zip")
    output = [] if not args else ["-o", "deck.pptx"]
    result = CliRunner().invoke(main, ["slides", *args, *output])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "deck.pptx").exists()


# --- the web app -------------------------------------------------------------------------

def test_web_download_is_the_deck(client, vocabulary):
    response = client.get("/slides.pptx?lang=en&collection=funnel-stages")
    assert response.status_code == 200
    assert response.mimetype == MEDIA_TYPE
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="crmkg-slides-en-funnel-stages.pptx"' in disposition
    deck = reopen(response.data)
    stages = named(slide_with(deck, "Stage 1:"), "Stage ")
    labels = [s.text_frame.paragraphs[0].text for s in stages]
    members = vocabulary.collections["funnel-stages"].members
    assert labels[:2] == ["1. suspect", "2. lead"] and len(labels) == len(members)
    assert "6. customer" in labels
    assert not any(named(s, "Segment 1:") for s in deck.slides)


def test_web_download_defaults_to_french_and_every_collection(client, vocabulary):
    response = client.get("/slides.pptx")
    assert response.status_code == 200
    assert 'filename="crmkg-slides-fr.pptx"' in response.headers["Content-Disposition"]
    deck = reopen(response.data)
    assert named(slide_with(deck, "Stage 6:"), "Stage 6:")[0].text_frame.paragraphs[0].text \
        == "6. client"
    assert any(named(s, "Segment 1:") for s in deck.slides)


@pytest.mark.parametrize("query", ["collection=nope", "lang=de"])
def test_web_download_refuses_bad_parameters(client, query):
    assert client.get(f"/slides.pptx?{query}").status_code == 400


# --- rendered by LibreOffice -------------------------------------------------------------

RENDERERS = [shutil.which("soffice"), shutil.which("pdftoppm"), shutil.which("pdftotext")]


@pytest.mark.skipif(not all(RENDERERS),
                    reason="LibreOffice (soffice, Debian's libreoffice-impress) or poppler "
                           "(pdftoppm, pdftotext: poppler-utils) is not installed")
def test_libreoffice_renders_every_slide(vocabulary, tmp_path):
    from PIL import Image, ImageStat

    deck_path = tmp_path / "deck.pptx"
    deck_path.write_bytes(deck_bytes(vocabulary, lang="fr", day=DAY))
    slides = len(Presentation(str(deck_path)).slides)
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(deck_path)], check=True, capture_output=True, timeout=300)
    pdf = tmp_path / "deck.pdf"
    assert pdf.is_file()
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf), str(tmp_path / "page")],
                   check=True, capture_output=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == slides
    for page in pages:
        with Image.open(page) as image:
            grey = image.convert("L")
            assert ImageStat.Stat(grey).stddev[0] > 5, f"{page.name} looks blank"
            assert grey.width > grey.height * 1.7  # 16:9
    # the funnel slide: its stages' labels come out in the graph's order
    text = words(subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"],
                                check=True, capture_output=True, text=True).stdout)
    labels = [f"{i}. {vocabulary.concepts[m].pref_label['fr']}" for i, m in
              enumerate(vocabulary.collections["funnel-stages"].members, start=1)]
    positions = [text.find(label) for label in labels]
    assert -1 not in positions and positions == sorted(positions), text
    with Image.open(pages[1]) as funnel:  # the widest stage, drawn in its dark blue
        rgb = funnel.convert("RGB")
        colours = rgb.getcolors(rgb.width * rgb.height)
        assert any(abs(r - 0x1B) < 12 and abs(g - 0x3A) < 12 and abs(b - 0x5C) < 12
                   and count > 500 for count, (r, g, b) in colours)

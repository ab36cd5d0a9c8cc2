"""The training deck: the vocabulary's ordered collections as editable PowerPoint slides.

:func:`build_deck` turns a :class:`~graph.vocabulary.model.Vocabulary` into a python-pptx
``Presentation``: a title slide; for each ordered collection a slide that draws it
(the funnel as stacked freeform trapezoids, the sales cycle as chevrons, the NPS
scale as three coloured segments, first/second/third-party data and lead
temperatures as cards side by side); a slide per funnel stage; an A–Z glossary
appendix. Everything is a shape with its own text (never a picture), so a trainer
can move, recolour and retype it; speaker notes hold the full definitions in both
languages, the glossaries that define each term and the editors' notes where the
glossaries disagree.

Without a template the deck is 16:9 on python-pptx's default theme (fonts set to
Arial). With ``template=`` the user's .pptx gives the slide size, theme and
layouts: layout 0 for the title slide, layout 5 for the others when it is a
"title only" layout, otherwise the layout with a title and the fewest other
placeholders. The template's own slides are not kept.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from graph.text import LANGUAGES, first_sentence, fold_search, shorten, xml_safe
from graph.training import diagrams
from graph.vocabulary.model import Collection, Concept, Vocabulary

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
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

#: the NPS method's score ranges, lowest group first
NPS_RANGES = ((0, 6), (7, 8), (9, 10))

#: glossary entries per appendix slide (two columns)
GLOSSARY_PER_COLUMN = 10

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

#: gradients (first, last colour) and fixed palettes per collection
FUNNEL_COLOURS = (RGBColor(0x1B, 0x3A, 0x5C), RGBColor(0x7F, 0xC8, 0xB8))
CYCLE_COLOURS = (RGBColor(0x26, 0x46, 0x53), RGBColor(0x2A, 0x9D, 0x8F))
CARD_COLOURS = (RGBColor(0x1B, 0x3A, 0x5C), RGBColor(0x5F, 0xA8, 0xD3))
NPS_COLOURS = (RGBColor(0xD6, 0x45, 0x41), RGBColor(0xF2, 0xB1, 0x34), RGBColor(0x2E, 0x9E, 0x5B))
PALETTES = {
    "lead-temperatures": (RGBColor(0x3D, 0x7E, 0xC9), RGBColor(0xF2, 0x9E, 0x38),
                          RGBColor(0xD6, 0x45, 0x41)),
}



class TemplateError(ValueError):
    """The --template file cannot be used (missing, not a .pptx, no layouts)."""


class UnknownCollectionError(ValueError):
    """A collection id that the vocabulary does not have."""


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


def _mix(first: RGBColor, last: RGBColor, t: float) -> RGBColor:
    return RGBColor(*(round(a + (b - a) * t) for a, b in zip(first, last, strict=True)))


def gradient(colours: tuple[RGBColor, RGBColor], n: int) -> list[RGBColor]:
    return [_mix(colours[0], colours[1], i / max(n - 1, 1)) for i in range(n)]


def text_colour_on(fill: RGBColor) -> RGBColor:
    """The drawings' choice of ink (WCAG contrast), so that slides and pages agree."""
    return RGBColor.from_string(diagrams.text_colour_on(f"#{fill}").lstrip("#"))


# --- the deck ------------------------------------------------------------------------------

@dataclass
class Run:
    text: str
    size: float = 14
    bold: bool = False
    italic: bool = False
    colour: RGBColor | None = None
    lang: str | None = None


Paragraph = Sequence[Run]


def build_deck(vocabulary: Vocabulary, *, lang: str = "fr",
               collections: Sequence[str] | None = None, template: Path | None = None,
               title: str | None = None, day: date | None = None) -> Presentation:
    """The deck as a python-pptx ``Presentation``.

    ``collections``: ids of the collections to draw, in the order of the data
    (default: all). Raises :class:`UnknownCollectionError` for an id the data does
    not have and :class:`TemplateError` for a template that cannot be opened.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    chosen = select_collections(vocabulary, collections)
    deck = _Deck(vocabulary, lang, template)
    deck.title_slide(title or DEFAULT_TITLE[lang], day or date.today())
    for collection in chosen:
        deck.collection_slides(collection)
    deck.glossary_slides()
    return deck.prs


def deck_bytes(vocabulary: Vocabulary, **options) -> bytes:
    """The deck as the bytes of a .pptx file (see :func:`build_deck` for the options)."""
    buffer = io.BytesIO()
    build_deck(vocabulary, **options).save(buffer)
    return buffer.getvalue()


def select_collections(vocabulary: Vocabulary,
                       wanted: Sequence[str] | None) -> list[Collection]:
    if not wanted:
        return list(vocabulary.collections.values())
    unknown = [cid for cid in wanted if cid not in vocabulary.collections]
    if unknown:
        raise UnknownCollectionError(
            f"unknown collection {', '.join(repr(c) for c in unknown)}; "
            f"the collections are: {', '.join(vocabulary.collections)}")
    return [c for cid, c in vocabulary.collections.items() if cid in wanted]


def open_template(path: Path) -> Presentation:
    path = Path(path)
    if not path.is_file():
        raise TemplateError(f"template {path} does not exist")
    try:
        prs = Presentation(_as_presentation(path))
    except Exception as exc:  # python-pptx raises many kinds
        raise TemplateError(f"template {path} is not a PowerPoint file (.pptx or .potx): "
                            f"{type(exc).__name__}: {exc}") from exc
    if not len(prs.slide_layouts):
        raise TemplateError(f"template {path} has no slide layouts")
    return prs


def _as_presentation(path: Path) -> io.BytesIO:
    """The file's bytes; a .potx (PowerPoint template) is relabelled as a presentation."""
    import zipfile

    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        types = source.read("[Content_Types].xml")
        if POTX_TYPE not in types:
            return io.BytesIO(data)
        copy = io.BytesIO()
        with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                content = source.read(item)
                if item.filename == "[Content_Types].xml":
                    content = content.replace(POTX_TYPE, PPTX_TYPE)
                target.writestr(item, content)
    copy.seek(0)
    return copy


POTX_TYPE = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
PPTX_TYPE = b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


def _kind(collection: Collection) -> str:
    if collection.depicts == "funnel":
        return "funnel"
    if collection.depicts == "nps" and len(collection.members) == len(NPS_RANGES):
        return "nps"
    if collection.stages and len(collection.members) > 3:
        return "cycle"
    return "cards"


TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
FURNITURE = (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)


def _has_title(layout) -> bool:
    """The layout has a title placeholder in the upper part of the slide."""
    height = layout.part.package.presentation_part.presentation.slide_height
    return any(ph.placeholder_format.type in TITLE_TYPES and ph.top is not None
               and ph.top + ph.height < height * 0.45 for ph in layout.placeholders)


def _content_placeholders(layout) -> int:
    return sum(1 for ph in layout.placeholders
               if ph.placeholder_format.type not in TITLE_TYPES + FURNITURE)


def pick_layouts(prs: Presentation):
    """(title layout, title-only layout) of a presentation's first master."""
    layouts = list(prs.slide_layouts)
    title_layout = layouts[0]
    if len(layouts) > 5 and _has_title(layouts[5]) and not _content_placeholders(layouts[5]):
        return title_layout, layouts[5]
    ranked = sorted(range(len(layouts)),
                    key=lambda i: (not _has_title(layouts[i]),
                                   _content_placeholders(layouts[i]), i == 0, i))
    return title_layout, layouts[ranked[0]]


class _Deck:
    def __init__(self, vocabulary: Vocabulary, lang: str, template: Path | None):
        self.vocabulary = vocabulary
        self.lang = lang
        self.other = next(x for x in LANGUAGES if x != lang)
        self.words = WORDS[lang]
        self.templated = template is not None
        if template is not None:
            self.prs = open_template(template)
            _remove_slides(self.prs)
        else:
            self.prs = Presentation()
            _widen(self.prs)
        self.width = int(self.prs.slide_width)
        self.height = int(self.prs.slide_height)
        #: font sizes are given for a 13.33 × 7.5-inch slide and scaled to the deck's size
        self.scale = min(self.height / WIDE_HEIGHT, self.width / WIDE_WIDTH)
        self.title_layout, self.body_layout = pick_layouts(self.prs)
        self.area = self._content_area()
        self.related = _related_index(vocabulary)
        core = self.prs.core_properties
        core.title = DEFAULT_TITLE[lang]
        core.author = "crmkg"
        core.language = {"fr": "fr-FR", "en": "en-GB"}[lang]

    # geometry -------------------------------------------------------------------------------

    def _content_area(self) -> tuple[int, int, int, int]:
        """(left, top, width, height) below the title of the title-only layout."""
        margin_x = int(self.width * 0.05)
        top = int(self.height * 0.2)
        for ph in self.body_layout.placeholders:
            if ph.placeholder_format.type in TITLE_TYPES and ph.top is not None:
                bottom = int(ph.top) + int(ph.height)
                if bottom < self.height * 0.45:
                    top = bottom + int(self.height * 0.015)
                    margin_x = max(int(ph.left), int(self.width * 0.03))
        bottom = int(self.height * 0.955)
        return margin_x, top, self.width - 2 * margin_x, bottom - top

    def pt(self, size: float) -> Pt:
        return Pt(round(size * self.scale * 2) / 2)

    # slides and text --------------------------------------------------------------------------

    def new_slide(self, title: str, *, layout=None):
        slide = self.prs.slides.add_slide(layout or self.body_layout)
        title_shape = slide.shapes.title
        added = title_shape is None
        if added:
            left, _top, width, _h = self.area
            title_shape = slide.shapes.add_textbox(left, int(self.height * 0.04), width,
                                                   int(self.height * 0.12))
            title_shape.name = "Title"
        title_shape.text_frame.text = title
        if self.templated and not added:
            declared = _declared_title_size(layout or self.body_layout, self.prs)
            size = _fitting_size(title, title_shape, declared)
            size = size if size < declared else None
        else:
            size = _fitting_size(title, title_shape, (34 if layout is None else 40) * self.scale)
        for paragraph in title_shape.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.language_id = LANGUAGE_IDS[self.lang]
                if size is not None:
                    run.font.size = Pt(size)
                if not self.templated:
                    run.font.color.rgb = INK
        return slide

    def finish(self, slide, notes: Iterable[str | tuple[str, str] | None]) -> None:
        """Drop the placeholders left empty; write the speaker notes.

        A note is a text in the deck's language, or a (text, language) pair.
        """
        for ph in list(slide.placeholders):
            if not ph.has_text_frame or not ph.text_frame.text.strip():
                ph._element.getparent().remove(ph._element)
        lines = [line if isinstance(line, tuple) else (line, self.lang)
                 for line in notes if line]
        if lines:
            frame = slide.notes_slide.notes_text_frame
            frame.text = "\n".join(" ".join(text.split()) for text, _lang in lines)
            for paragraph, (_text, lang) in zip(frame.paragraphs, lines, strict=True):
                for run in paragraph.runs:
                    run.font.language_id = LANGUAGE_IDS[lang]

    def fill_text(self, frame, paragraphs: Sequence[Paragraph], *,
                  align: PP_ALIGN | None = None, anchor: MSO_ANCHOR = MSO_ANCHOR.TOP,
                  space_after: float = 0) -> None:
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.vertical_anchor = anchor
        frame.clear()
        for index, runs in enumerate(paragraphs):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            if align is not None:
                paragraph.alignment = align
            if space_after:
                paragraph.space_after = self.pt(space_after)
            for part in runs:
                run = paragraph.add_run()
                run.text = part.text
                font = run.font
                font.size = self.pt(part.size)
                font.bold = part.bold
                font.italic = part.italic
                font.language_id = LANGUAGE_IDS[part.lang or self.lang]
                if part.colour is not None:
                    font.color.rgb = part.colour

    def textbox(self, slide, box: tuple[int, int, int, int], paragraphs: Sequence[Paragraph],
                *, name: str, **options):
        shape = slide.shapes.add_textbox(*(Emu(int(v)) for v in box))
        shape.name = shape_name(name)
        self.fill_text(shape.text_frame, paragraphs, **options)
        return shape

    def filled(self, shape, colour: RGBColor, *, outline: RGBColor | None = WHITE) -> None:
        # no theme style: its effects (a shadow) would show in some renderers
        style = shape._element.find(qn("p:style"))
        if style is not None:
            shape._element.remove(style)
        shape.fill.solid()
        shape.fill.fore_color.rgb = colour
        if outline is None:
            shape.line.fill.background()
        else:
            shape.line.color.rgb = outline
            shape.line.width = Pt(1.5)

    def margins(self, frame, left: int, right: int, top: int = 0, bottom: int = 0) -> None:
        frame.margin_left, frame.margin_right = Emu(int(left)), Emu(int(right))
        frame.margin_top, frame.margin_bottom = Emu(int(top)), Emu(int(bottom))

    def chars(self, width: int, size: float, lines: int = 1) -> int:
        """About how many characters of a ``size``-point font fit in ``width`` EMU."""
        return int(width / 12700 / (size * self.scale * 0.5) * lines)

    def text_height(self, text: str, width: int, size: float, space_after: float = 0) -> int:
        """About how high (EMU) ``text`` runs in a ``size``-point font over ``width`` EMU."""
        lines = -(-len(text) // max(self.chars(width, size), 1))
        return int((lines * size * 1.2 + space_after) * self.scale * 12700)

    # notes --------------------------------------------------------------------------------

    def sources_line(self, source_ids: Iterable[str]) -> str | None:
        names = []
        for sid in source_ids:
            source = self.vocabulary.sources.get(sid)
            if source is not None:
                names.append(f"{source.publisher} (« {source.title} »)" if self.lang == "fr"
                             else f"{source.publisher} (“{source.title}”)")
        if not names:
            return None
        return f"{self.words['sources']}{self.words['colon']}{' ; '.join(names)}" \
            if self.lang == "fr" else f"{self.words['sources']}: {'; '.join(names)}"

    def labelled(self, key: str, text: str | None) -> str | None:
        return f"{self.words[key]}{self.words['colon']}{text}" if text else None

    def concept_notes(self, concept: Concept, *,
                      both_languages: bool) -> list[str | tuple[str, str] | None]:
        w = self.words
        lines: list[str | tuple[str, str] | None] = []
        if both_languages:
            for code in (self.lang, self.other):
                lines.append((f"{w['definition']} ({code}){w['colon']}"
                              f"{concept.definition[code]}", code))
        else:
            lines.append(f"{display_label(concept, self.lang)}{w['colon']}"
                         f"{concept.definition[self.lang]}")
        lines.append(self.labelled("scope", concept.scope_note.get(self.lang)))
        lines.append(self.labelled("example", concept.example.get(self.lang)))
        lines.append(self.labelled("divergence", concept.editorial_note.get(self.lang)))
        lines.append(self.sources_line(concept.sources))
        return lines

    def members(self, collection: Collection) -> list[Concept]:
        return [self.vocabulary.concepts[m] for m in collection.members]

    # the slides ---------------------------------------------------------------------------

    def title_slide(self, title: str, day: date) -> None:
        slide = self.new_slide(title, layout=self.title_layout)
        subtitle = next((ph for ph in slide.placeholders
                         if ph.placeholder_format.type in (PP_PLACEHOLDER.SUBTITLE,
                                                           PP_PLACEHOLDER.BODY)), None)
        counts = self.words["counts"].format(concepts=len(self.vocabulary.concepts),
                                             sources=len(self.vocabulary.sources))
        paragraphs = [[Run(self.words["subtitle"], 24)],
                      [Run(long_date(day, self.lang), 20)],
                      [Run(counts, 14, colour=None if self.templated else MUTED)]]
        if subtitle is not None:
            self.fill_text(subtitle.text_frame, paragraphs, align=PP_ALIGN.CENTER)
            subtitle.name = "Subtitle"
        else:
            left, _top, width, _h = self.area
            self.textbox(slide, (left, int(self.height * 0.6), width, int(self.height * 0.25)),
                         paragraphs, name="Subtitle", align=PP_ALIGN.CENTER)
        notes = [self.words["subtitle"] + ".", self.words["licence"]]
        notes.append(self.sources_line(self.vocabulary.sources))
        self.finish(slide, notes)

    def collection_slides(self, collection: Collection) -> None:
        kind = _kind(collection)
        if kind == "funnel":
            self.funnel_slide(collection)
            for position in range(len(collection.members)):
                self.stage_slide(collection, position)
        elif kind == "nps":
            self.nps_slide(collection)
        elif kind == "cycle":
            self.cycle_slide(collection)
        else:
            self.cards_slide(collection)

    def collection_notes(self, collection: Collection) -> list[str | None]:
        lines: list[str | None] = [collection.definition[self.lang],
                                   collection.scope_note.get(self.lang)]
        for i, concept in enumerate(self.members(collection), start=1):
            lines.append(f"{i}. {display_label(concept, self.lang)}{self.words['colon']}"
                         f"{concept.definition[self.lang]}")
            lines.append(self.labelled("divergence", concept.editorial_note.get(self.lang)))
        depicted = self.vocabulary.concepts.get(collection.depicts or "")
        if depicted is not None:
            lines.append(self.labelled("divergence", depicted.editorial_note.get(self.lang)))
        sources = list(dict.fromkeys(
            [*collection.sources, *(s for c in self.members(collection) for s in c.sources)]))
        lines.append(self.sources_line(sources))
        return lines

    def subtitle(self, slide, collection: Collection) -> int:
        """The collection's definition under the title; returns the top of what is left."""
        left, top, width, _height = self.area
        height = int(self.height * 0.07)
        self.textbox(slide, (left, top, width, height),
                     [[Run(collection.definition[self.lang], 14, italic=True,
                           colour=None if self.templated else MUTED)]],
                     name="Subtitle")
        return top + height + int(self.height * 0.015)

    def funnel_slide(self, collection: Collection) -> None:
        slide = self.new_slide(capitalised(collection.pref_label[self.lang]))
        left, _top, width, _height = self.area
        top = self.subtitle(slide, collection)
        bottom = self.area[1] + self.area[3]
        stages = self.members(collection)
        n = len(stages)
        gap = int(self.height * 0.008)
        stage_height = (bottom - top - gap * (n - 1)) // n
        centre = left + width // 2
        top_width, bottom_width = width, int(width * 0.44)
        colours = gradient(FUNNEL_COLOURS, n)
        label_size = min(18, stage_height / 12700 / self.scale * 0.3)
        definition_size = min(12, label_size * 0.8)

        def width_at(y: int) -> int:
            return int(top_width - (top_width - bottom_width) * (y - top) / (bottom - top))

        for i, concept in enumerate(stages):
            y0 = top + i * (stage_height + gap)
            y1 = y0 + stage_height
            w0, w1 = width_at(y0), width_at(y1)
            builder = slide.shapes.build_freeform(centre - w0 // 2, y0)
            builder.add_line_segments([(centre + w0 // 2, y0), (centre + w1 // 2, y1),
                                       (centre - w1 // 2, y1)], close=True)
            shape = builder.convert_to_shape()
            short = concept.acronyms(self.lang)
            shape.name = shape_name(
                f"Stage {i + 1}: {short[0] if short else concept.pref_label[self.lang]}")
            self.filled(shape, colours[i])
            ink = text_colour_on(colours[i])
            inset = (w0 - w1) // 2 + int(self.width * 0.01)
            text_width = w1 - 2 * int(self.width * 0.01)
            self.margins(shape.text_frame, inset, inset, int(self.height * 0.004),
                         int(self.height * 0.004))
            definition = short_definition(concept, self.lang,
                                          self.chars(text_width, definition_size))
            self.fill_text(shape.text_frame, [
                [Run(f"{i + 1}. {display_label(concept, self.lang)}", label_size, bold=True,
                     colour=ink)],
                [Run(definition, definition_size, colour=ink)],
            ], align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)
        self.finish(slide, self.collection_notes(collection))

    def stage_slide(self, collection: Collection, position: int) -> None:
        w = self.words
        stages = self.members(collection)
        concept = stages[position]
        slide = self.new_slide(f"{position + 1}. {capitalised(display_label(concept, self.lang))}")
        left, top, width, height = self.area
        strip_height = int(self.height * 0.075)
        body_height = height - strip_height - int(self.height * 0.03)
        column = int(width * 0.58)
        gutter = int(width * 0.03)
        body = [[Run(concept.definition[self.lang], 20)]]
        used = self.text_height(concept.definition[self.lang], column, 20, 12)
        for key, note in (("scope", concept.scope_note), ("example", concept.example)):
            extra = note.get(self.lang)
            if not extra:
                continue
            needed = self.text_height(f"{w[key]}{w['colon']}{extra}", column, 15, 12)
            if used + needed > body_height * 0.92:
                break
            used += needed
            body.append([Run(f"{w[key]}{w['colon']}", 15, bold=True, colour=MUTED),
                         Run(extra, 15, colour=None if self.templated else MUTED)])
        self.textbox(slide, (left, top, column, body_height), body, name="Definition",
                     space_after=12)

        def fact(key: str, values: Sequence[str], lang: str | None = None) -> list[Paragraph]:
            return [[Run(w[key], 13, bold=True, colour=MUTED)],
                    [Run(", ".join(values) if values else w["none"], 16, lang=lang)]]

        previous = stages[position - 1].pref_label[self.lang] if position else None
        following = stages[position + 1].pref_label[self.lang] \
            if position + 1 < len(stages) else None
        related = [self.vocabulary.concepts[r].pref_label[self.lang]
                   for r in self.related.get(concept.id, [])]
        facts = [*fact("other_language", [concept.pref_label[self.other]], lang=self.other),
                 *fact("acronyms", concept.acronyms(self.lang)),
                 *fact("related", sorted(related, key=glossary_key)),
                 *fact("previous", [previous] if previous else []),
                 *fact("next", [following] if following else [])]
        card = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, left + column + gutter, top,
                                      width - column - gutter, body_height)
        card.name = "Facts"
        card.adjustments[0] = 0.05
        self.filled(card, CARD, outline=None)
        pad = int(self.width * 0.015)
        self.margins(card.text_frame, pad, pad, pad, pad)
        self.fill_text(card.text_frame, [[Run(r.text, r.size, r.bold, r.italic,
                                              r.colour or INK, r.lang) for r in p]
                                         for p in facts], space_after=3, align=PP_ALIGN.LEFT)
        # where the stage sits in the funnel: one small chevron per stage
        self.position_strip(slide, stages, position, top + height - strip_height, strip_height)
        self.finish(slide, [f"{concept.pref_label[self.lang]} / "
                            f"{concept.pref_label[self.other]}",
                            *self.concept_notes(concept, both_languages=True)])

    def position_strip(self, slide, stages: Sequence[Concept], current: int, top: int,
                       height: int) -> None:
        left, _top, width, _height = self.area
        n = len(stages)
        step = width // n
        for i, concept in enumerate(stages):
            shape = slide.shapes.add_shape(MSO_SHAPE.CHEVRON if i else MSO_SHAPE.PENTAGON,
                                           left + i * step, top, int(step * 1.06), height)
            shape.name = f"Position {i + 1}"
            colour = HIGHLIGHT if i == current else CARD
            self.filled(shape, colour, outline=None)
            short = concept.acronyms(self.lang)
            label = concept.pref_label[self.lang]
            if len(label) > 14 and short:
                label = short[0]
            self.margins(shape.text_frame, int(height * 0.08), int(height * 0.08))
            self.fill_text(shape.text_frame, [[Run(label, 11, bold=i == current,
                                                   colour=text_colour_on(colour))]],
                           align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)

    def cycle_slide(self, collection: Collection) -> None:
        slide = self.new_slide(capitalised(collection.pref_label[self.lang]))
        left, _top, width, _height = self.area
        top = self.subtitle(slide, collection)
        bottom = self.area[1] + self.area[3]
        steps = self.members(collection)
        n = len(steps)
        rows = 1 if n <= 5 else 2
        per_row = -(-n // rows)
        row_height = (bottom - top) // rows
        chevron_height = int(row_height * 0.38)
        step = width // per_row
        overlap = int(chevron_height * 0.18)
        colours = gradient(CYCLE_COLOURS, n)
        for i, concept in enumerate(steps):
            row, col = divmod(i, per_row)
            x = left + col * step
            y = top + row * row_height
            shape = slide.shapes.add_shape(MSO_SHAPE.CHEVRON, x, y, step + overlap,
                                           chevron_height)
            shape.name = shape_name(f"Step {i + 1}: {concept.pref_label[self.lang]}")
            self.filled(shape, colours[i], outline=None)
            self.margins(shape.text_frame, int(chevron_height * 0.2), int(chevron_height * 0.1))
            self.fill_text(shape.text_frame, [[Run(f"{i + 1}. {concept.pref_label[self.lang]}",
                                                   15, bold=True,
                                                   colour=text_colour_on(colours[i]))]],
                           align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)
            text_top = y + chevron_height + int(self.height * 0.01)
            box = (x + int(chevron_height * 0.3), text_top, step - int(chevron_height * 0.45),
                   row_height - chevron_height - int(self.height * 0.03))
            self.textbox(slide, box, [[Run(short_definition(
                concept, self.lang, self.chars(box[2], 12, 5)), 12)]],
                name=f"Step {i + 1} definition")
        self.finish(slide, self.collection_notes(collection))

    def nps_slide(self, collection: Collection) -> None:
        slide = self.new_slide(capitalised(collection.pref_label[self.lang]))
        left, _top, width, _height = self.area
        top = self.subtitle(slide, collection)
        bottom = self.area[1] + self.area[3]
        groups = self.members(collection)
        cell = width // 11
        cell_height = int(self.height * 0.08)
        for score in range(11):
            group = next(g for g, (lo, hi) in enumerate(NPS_RANGES) if lo <= score <= hi)
            colour = _mix(NPS_COLOURS[group], WHITE, 0.55)
            shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left + score * cell, top,
                                           cell, cell_height)
            shape.name = f"Score {score}"
            self.filled(shape, colour)
            self.fill_text(shape.text_frame, [[Run(str(score), 20, bold=True, colour=INK)]],
                           align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)
        segment_top = top + cell_height + int(self.height * 0.015)
        segment_height = int(self.height * 0.13)
        text_top = segment_top + segment_height + int(self.height * 0.015)
        formula_height = int(self.height * 0.07)
        for i, (concept, (lo, hi)) in enumerate(zip(groups, NPS_RANGES, strict=True)):
            x = left + lo * cell
            segment_width = (hi - lo + 1) * cell
            shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, x, segment_top, segment_width,
                                           segment_height)
            label = concept.pref_label[self.lang]
            shape.name = shape_name(f"Segment {i + 1}: {label} ({lo}–{hi})")
            self.filled(shape, NPS_COLOURS[i])
            ink = text_colour_on(NPS_COLOURS[i])
            self.fill_text(shape.text_frame, [[Run(capitalised(label), 20, bold=True,
                                                   colour=ink)],
                                              [Run(f"{self.words['score']} {lo}–{hi}", 15,
                                                   colour=ink)]],
                           align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)
            box = (x, text_top, segment_width, bottom - text_top - formula_height)
            self.textbox(slide, box, [[Run(concept.definition[self.lang], 13)]],
                         name=f"Segment {i + 1} definition")
        self.textbox(slide, (left, bottom - formula_height, width, formula_height),
                     [[Run(self.words["nps_formula"], 16, bold=True)]], name="Formula",
                     align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)
        nps = self.vocabulary.concepts.get(collection.depicts or "")
        notes = self.collection_notes(collection)
        if nps is not None:
            notes = [*self.concept_notes(nps, both_languages=False), *notes]
        self.finish(slide, notes)

    def cards_slide(self, collection: Collection) -> None:
        slide = self.new_slide(capitalised(collection.pref_label[self.lang]))
        left, _top, width, _height = self.area
        top = self.subtitle(slide, collection) + int(self.height * 0.02)
        bottom = self.area[1] + self.area[3]
        items = self.members(collection)
        n = len(items)
        gap = int(width * 0.025)
        card_width = (width - gap * (n - 1)) // n
        colours = PALETTES.get(collection.id) or gradient(CARD_COLOURS, n)
        pad = int(self.width * 0.015)
        for i, concept in enumerate(items):
            shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE,
                                           left + i * (card_width + gap), top, card_width,
                                           bottom - top)
            shape.adjustments[0] = 0.06
            shape.name = shape_name(f"Item {i + 1}: {concept.pref_label[self.lang]}")
            colour = colours[i % len(colours)]
            self.filled(shape, colour, outline=None)
            ink = text_colour_on(colour)
            self.margins(shape.text_frame, pad, pad, pad, pad)
            limit = self.chars(card_width - 2 * pad, 15, 10)
            definition = concept.definition[self.lang]
            if len(definition) > limit:
                definition = shorten(first_sentence(definition), limit)
            paragraphs = [
                [Run(capitalised(display_label(concept, self.lang)), 22, bold=True,
                     colour=ink)],
                [Run(concept.pref_label[self.other], 14, italic=True, colour=ink,
                     lang=self.other)],
                [Run(definition, 15, colour=ink)],
            ]
            scope = concept.scope_note.get(self.lang)
            inner = card_width - 2 * pad
            used = (self.text_height(display_label(concept, self.lang), inner, 22, 8)
                    + self.text_height(definition, inner, 15, 8) + int(self.height * 0.06))
            if scope and used + self.text_height(scope, inner, 13, 8) < (bottom - top) - 2 * pad:
                paragraphs.append([Run(scope, 13, italic=True, colour=ink)])
            self.fill_text(shape.text_frame, paragraphs, space_after=8, align=PP_ALIGN.LEFT)
        self.finish(slide, self.collection_notes(collection))

    def glossary_slides(self) -> None:
        concepts = sorted(self.vocabulary.concepts.values(),
                          key=lambda c: glossary_key(c.pref_label[self.lang]))
        per_slide = 2 * GLOSSARY_PER_COLUMN
        pages = [concepts[i:i + per_slide] for i in range(0, len(concepts), per_slide)]
        left, top, width, height = self.area
        gutter = int(width * 0.04)
        column_width = (width - gutter) // 2
        for number, page in enumerate(pages, start=1):
            first = fold_search(page[0].pref_label[self.lang])[:1].upper()
            last = fold_search(page[-1].pref_label[self.lang])[:1].upper()
            letters = first if first == last else f"{first}–{last}"
            slide = self.new_slide(f"{self.words['glossary']} {letters} "
                                   f"({number}/{len(pages)})")
            for col in range(2):
                entries = page[col * GLOSSARY_PER_COLUMN:(col + 1) * GLOSSARY_PER_COLUMN]
                if not entries:
                    continue
                label_room = max(len(display_label(c, self.lang)) for c in entries)
                paragraphs = [[Run(display_label(c, self.lang), 12, bold=True),
                               Run(" — " + short_definition(
                                   c, self.lang,
                                   self.chars(column_width, 12, 2) - label_room - 3), 12)]
                              for c in entries]
                self.textbox(slide, (left + col * (column_width + gutter), top, column_width,
                                     height), paragraphs, name=f"Glossary column {col + 1}",
                             space_after=5)
            notes: list[str | None] = []
            for concept in page:
                notes.append(f"{display_label(concept, self.lang)}{self.words['colon']}"
                             f"{concept.definition[self.lang]}")
                notes.append(self.sources_line(concept.sources))
            self.finish(slide, notes)


def _fitting_size(text: str, shape, size: float) -> float:
    """The largest size, from ``size`` down by 2 points, at which ``text`` fits ``shape``."""
    width = (int(shape.width) - Inches(0.2)) / 12700
    height = int(shape.height) / 12700
    while size > 16:
        lines = -(-len(text) // max(int(width / (size * 0.52)), 1))
        if lines * size * 1.15 <= height:
            break
        size -= 2
    return size


def _declared_title_size(layout, prs: Presentation) -> float:
    """The title's font size that the layout (or else its master) declares; else 44."""
    for element in (layout.placeholders, prs.slide_master.placeholders):
        for ph in element:
            if ph.placeholder_format.type in TITLE_TYPES:
                sizes = ph._element.xpath(".//a:lvl1pPr/a:defRPr/@sz")
                if sizes:
                    return int(sizes[0]) / 100
    sizes = prs.slide_master._element.xpath(
        "./p:txStyles/p:titleStyle/a:lvl1pPr/a:defRPr/@sz")
    return int(sizes[0]) / 100 if sizes else 44.0


def _related_index(vocabulary: Vocabulary) -> dict[str, list[str]]:
    """Related and typed relations of each concept, both directions (the model holds one)."""
    index: dict[str, list[str]] = {cid: [] for cid in vocabulary.concepts}
    for concept in vocabulary.concepts.values():
        targets = [*concept.related, *(t for ts in concept.typed.values() for t in ts)]
        for target in targets:
            if target in index:
                for a, b in ((concept.id, target), (target, concept.id)):
                    if b not in index[a]:
                        index[a].append(b)
    return index


def _remove_slides(prs: Presentation) -> None:
    """The template's own slides are not kept: only its masters, layouts and theme."""
    id_list = prs.slides._sldIdLst
    for slide_id in list(id_list):
        id_list.remove(slide_id)
        prs.part.drop_rel(slide_id.rId)


def _widen(prs: Presentation) -> None:
    """python-pptx's 4:3 default → 16:9: stretch master and layout placeholders, use Arial."""
    factor = WIDE_WIDTH / prs.slide_width
    prs.slide_width, prs.slide_height = WIDE_WIDTH, WIDE_HEIGHT
    master = prs.slide_master
    for shape in [*master.shapes, *(s for layout in master.slide_layouts for s in layout.shapes)]:
        if shape._element.xpath("./p:spPr/a:xfrm"):
            shape.left = int(shape.left * factor)
            shape.width = int(shape.width * factor)
            if shape.is_placeholder and shape.placeholder_format.type == PP_PLACEHOLDER.TITLE \
                    and shape.top < Inches(1):
                shape.top, shape.height = Inches(0.3), Inches(0.95)
    # a font every office suite has (LibreOffice renders it with Liberation Sans)
    theme = master.part.part_related_by(RT.THEME)
    theme._blob = theme.blob.replace(b'<a:latin typeface="Calibri"/>',
                                     b'<a:latin typeface="Arial"/>')

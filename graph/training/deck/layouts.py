"""The deck's frame: the presentation it starts from (a template's, or python-pptx's default
widened to 16:9) and the layouts it uses, and the size of titles.

Without a template the deck is 16:9 on python-pptx's default theme (fonts set to Arial).
With ``template=`` the user's .pptx gives the slide size, theme and layouts: layout 0 for
the title slide, layout 5 for the others when it is a "title only" layout, otherwise the
layout with a title and the fewest other placeholders. The template's own slides are not
kept.
"""

from __future__ import annotations

import io
from pathlib import Path

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Inches

from graph.training.deck.common import WIDE_HEIGHT, WIDE_WIDTH


class TemplateError(ValueError):
    """The --template file cannot be used (missing, not a .pptx, no layouts)."""


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


def fitting_size(text: str, shape, size: float) -> float:
    """The largest size, from ``size`` down by 2 points, at which ``text`` fits ``shape``."""
    width = (int(shape.width) - Inches(0.2)) / 12700
    height = int(shape.height) / 12700
    while size > 16:
        lines = -(-len(text) // max(int(width / (size * 0.52)), 1))
        if lines * size * 1.15 <= height:
            break
        size -= 2
    return size


def declared_title_size(layout, prs: Presentation) -> float:
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


def remove_slides(prs: Presentation) -> None:
    """The template's own slides are not kept: only its masters, layouts and theme."""
    id_list = prs.slides._sldIdLst
    for slide_id in list(id_list):
        id_list.remove(slide_id)
        prs.part.drop_rel(slide_id.rId)


def widen(prs: Presentation) -> None:
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

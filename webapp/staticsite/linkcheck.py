"""Check a built site: every internal link resolves, and no page loads anything from outside.

Run after each build (``crmkg site`` reports what it finds) and by the tests. A link
to another site in the text (a mapping to STW, the licence) is allowed and listed;
a script, style sheet, image or frame from outside is a problem: the site must work
in a closed training room.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from webapp.staticsite.paths import DATA_ATTRIBUTES

#: (tag, attribute) pairs that load something when the page opens
LOADED = {("script", "src"), ("img", "src"), ("link", "href"), ("iframe", "src"),
          ("source", "src"), ("video", "src"), ("audio", "src"), ("embed", "src"),
          ("object", "data")}
LINKS = {("a", "href"), ("form", "action"), ("area", "href")}


@dataclass
class LinkReport:
    pages: int = 0
    links: int = 0
    broken: list[str] = field(default_factory=list)
    loads_from_outside: list[str] = field(default_factory=list)
    outside_links: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.broken and not self.loads_from_outside


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []  # (tag, attribute, value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is not None and ((tag, name) in LOADED or (tag, name) in LINKS
                                      or name in DATA_ATTRIBUTES):
                self.found.append((tag, name, value))


def check_site(folder: Path) -> LinkReport:
    """Every link of every page of ``folder``, resolved on disk."""
    report = LinkReport()
    root = folder.resolve()
    for page in sorted(root.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        report.pages += 1
        here = page.relative_to(root).as_posix()
        for tag, attribute, value in parser.found:
            report.links += 1
            problem = _check(root, here, tag, attribute, value, report)
            if problem:
                report.broken.append(f"{here}: <{tag} {attribute}={value!r}> {problem}")
    return report


def _check(root: Path, here: str, tag: str, attribute: str, value: str,
           report: LinkReport) -> str | None:
    parts = urlsplit(value)
    if parts.scheme in ("data", "mailto", "javascript"):
        return None
    if parts.scheme or value.startswith("//"):
        if (tag, attribute) in LOADED or attribute.startswith("data-"):
            report.loads_from_outside.append(f"{here}: <{tag} {attribute}={value!r}>")
        else:
            report.outside_links.add(value)
        return None
    if not parts.path:
        return None  # "#part" or "?q=": this very page
    if parts.path.startswith("/"):
        return "is a path from the host's root: it breaks under a sub-folder and from file://"
    target = posixpath.normpath(posixpath.join(posixpath.dirname(here), unquote(parts.path)))
    if target.startswith("../") or target == "..":
        return "points outside the site's folder"
    if not (root / target).is_file():
        return f"names {target}, which is not in the site"
    return None

"""Where each of the app's URLs lands in the static site, and links rewritten to match.

The site keeps the app's paths wherever a file system allows it: ``/concept/mql`` is
``concept/mql.html`` (a static host serves it at ``/concept/mql.html``, and GitHub Pages
at ``/concept/mql`` too), ``/collection/funnel-stages.svg`` is that file. Two kinds of
URL need a rule of their own:

- a query string becomes part of the file name (``/index?letter=B`` →
  ``a-z--letter-B.html``, ``/entity?uri=…&format=ttl`` → ``entity/<digest>.ttl``), for
  the parameters that select a page; the others (a map's ``?focus=``, the tree's
  ``?node=``) are dropped: the static page has no server to ask;
- ``/`` is ``index.html``, so the A–Z index (``/index``) is ``a-z.html``.

Every page exists in each language: the site's main language at the root, the other
one under its code (``en/concept/mql.html``). Language-neutral files (assets, RDF
downloads) are written once, at the root. Links are made relative, so the folder works
from any host, under any path, and from ``file://``.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

#: app paths whose file has another name (the home page is index.html)
ALIASES = {"/index": "/a-z", "/site/quiz": "/quiz"}
#: the query parameters that make a page of their own; any other is dropped
PAGE_PARAMETERS = {"/index": ("letter", "page"), "/entity": ("uri",), "/tree": ("page",),
                   "/site/quiz": ("mode",)}
#: a page parameter that names a file in a folder of the page's name: /entity?uri=… is
#: entity/<digest>.html (a foreign vocabulary's concepts: thousands of files)
PARAMETER_FOLDERS = {"/entity": "uri"}
#: ``?format=`` values that are a file's suffix (the RDF and JSON of an /entity page)
FORMAT_SUFFIXES = {"json", "ttl", "rdf", "nt", "jsonld"}
#: suffixes kept as they are (anything else is a page: .html is added)
FILE_SUFFIXES = {".json", ".ttl", ".rdf", ".nt", ".jsonld", ".csv", ".svg", ".png", ".css",
                 ".js", ".map", ".woff", ".woff2", ".ttf", ".gif", ".jpg", ".ico", ".txt",
                 ".xml", ".pptx"}
#: files that are the same in every language: written once, at the site's root
NEUTRAL_SUFFIXES = {".ttl", ".rdf", ".nt", ".jsonld", ".csv"}
NEUTRAL_PREFIXES = ("/static/",)
#: attributes whose URL is data a script fetches: in the site, a script (JSONP) instead
DATA_ATTRIBUTES = ("data-map",)

_SAFE_VALUE = re.compile(r"[A-Za-z0-9_.-]{1,40}")
#: attributes that hold a URL in our templates (data-* ones included: data-url, data-src…)
_URL_ATTRIBUTE = re.compile(
    r"""(?P<name>\s(?:href|src|action|poster|content|data-[\w-]+))=(?P<quote>["'])(?P<value>.*?)(?P=quote)""",
    re.S)
_CSS_URL = re.compile(r"""url\((?P<quote>["']?)(?P<value>[^)"']+)(?P=quote)\)""")


def is_neutral(path: str) -> bool:
    """A file that does not change with the page's language."""
    return path.startswith(NEUTRAL_PREFIXES) or posixpath.splitext(path)[1] in NEUTRAL_SUFFIXES


def _slug(value: str) -> str:
    """A query value as a piece of a file name: as is when it is short and plain, else
    a digest (an IRI in ``/entity?uri=``)."""
    if _SAFE_VALUE.fullmatch(value) and not value.startswith("."):
        return value
    if len(value) <= 3:  # a letter of the index such as "#" or "Œ": its code points
        return "u" + "-".join(f"{ord(c):x}" for c in value)
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


def page_key(url: str, every: bool = False) -> tuple[str, tuple[tuple[str, str], ...]]:
    """An app URL reduced to what selects a file: its path and its page parameters
    (``every``: all of them but the language, as for data: a map's ``?focus=`` is
    another view)."""
    parts = urlsplit(url)
    path = parts.path or "/"
    stem = posixpath.splitext(path)[0] if posixpath.splitext(path)[1] in FILE_SUFFIXES else path
    wanted = PAGE_PARAMETERS.get(stem, ())
    params = tuple(sorted((k, v) for k, v in parse_qsl(parts.query)
                          if (every and k != "lang") or (v and (
                              k in wanted or (k == "format" and v in FORMAT_SUFFIXES)))))
    return path, params


def file_for(path: str, params: tuple[tuple[str, str], ...] = ()) -> str:
    """The file, relative to a language's root, of an app path and its page parameters."""
    stem, suffix = posixpath.splitext(path)
    if suffix not in FILE_SUFFIXES:
        stem, suffix = path, ".html"
    folder = PARAMETER_FOLDERS.get(stem)
    stem = ALIASES.get(stem, stem)
    if stem.endswith("/"):
        stem += "index"
    for key, value in params:
        if key == "format":
            suffix = "." + value
        elif key == folder:
            stem += "/" + _slug(value)
        else:
            stem += f"--{key}-{_slug(value)}"
    return stem.lstrip("/") + suffix


def site_file(url: str, lang: str, main_lang: str) -> str:
    """The file, relative to the site's root, of an app URL seen in ``lang``."""
    return in_language(file_for(*page_key(url)), lang, main_lang)


def data_file(url: str, lang: str, main_lang: str) -> str:
    """The script (``*.data.js``) that holds what a page's script would fetch from ``url``."""
    name = file_for(*page_key(url, every=True))
    name = name[:-len(".json")] + ".data.js" if name.endswith(".json") else name + ".js"
    return in_language(name, lang, main_lang)


def in_language(name: str, lang: str, main_lang: str) -> str:
    """A file's place: at the root in the main language or when it is the same in every
    language, else under the language's code."""
    return name if lang == main_lang or is_neutral("/" + name) else f"{lang}/{name}"


def relative(from_file: str, to_file: str) -> str:
    """The link from one file of the site to another, both relative to its root."""
    return posixpath.relpath(to_file, posixpath.dirname(from_file) or ".")


def split_fragment(value: str) -> tuple[str, str]:
    url, hash_, fragment = value.partition("#")
    return url, hash_ + fragment


def rewrite_html(page: str, resolve: Callable[[str, str], str | None]) -> str:
    """Every internal URL of an attribute, replaced with what ``resolve`` gives for it.

    ``resolve`` takes the URL as the app wrote it (``/concept/mql``, ``?lang=en``) and
    the attribute's name, and gives the relative link, or None to leave the value alone
    (outside links, fragments, data: URLs)."""
    def replace(match: re.Match[str]) -> str:
        value = html.unescape(match["value"])
        new = resolve(value, match["name"].strip())
        if new is None:
            return match[0]
        return f'{match["name"]}={match["quote"]}{html.escape(new, quote=True)}{match["quote"]}'

    return _URL_ATTRIBUTE.sub(replace, page)


def rewrite_css(sheet: str, resolve: Callable[[str], str | None]) -> str:
    def replace(match: re.Match[str]) -> str:
        new = resolve(match["value"])
        return match[0] if new is None else f'url({match["quote"]}{new}{match["quote"]})'

    return _CSS_URL.sub(replace, sheet)


def css_references(sheet: str) -> list[str]:
    return [m["value"] for m in _CSS_URL.finditer(sheet)]

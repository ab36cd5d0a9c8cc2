"""``crmkg site``: the app's pages written to a folder, to serve without a server.

The app itself renders every page (same templates, same assets: there is no second
copy to drift): :class:`SiteCrawler` asks for each page with Flask's test client, in
each language, follows the links it finds, rewrites them into relative file paths
(:mod:`webapp.staticsite.paths`) and writes what it got. What needs a server is
replaced: search and autocomplete read a prebuilt label index, the map and other
data a page would fetch come as scripts (``*.data.js``: pages opened from ``file://``
cannot fetch), and the SPARQL link leads to a page that says how to get a server.

The build is deterministic (same input, same bytes: the order of the crawl does not
reach the files) and atomic: the folder is built beside the target and swapped in.
"""

from __future__ import annotations

import json
import posixpath
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from flask import Flask

from graph.files import remove_leftovers, staging_folder, swap_folder, sync_folder
from graph.text import LANGUAGES
from webapp.staticsite import paths
from webapp.staticsite.data import jsonp

#: a file that marks a folder as a site we built: only such a folder is replaced
MARKER = ".crmkg-site"
#: app paths that need a server, and the page the site shows instead
SERVER_ONLY = {"/sparql": "/site/sparql", "/slides.pptx": "/site/sparql",
               "/-/openapi.json": "/site/sparql", "/-/health": "/site/sparql",
               "/quiz": "/site/quiz", "/quiz/answer": "/site/sparql",
               "/quiz/reset": "/site/sparql"}
#: attributes that hold a link; other data-* attributes are left to the page's scripts
LINK_ATTRIBUTES = ("href", "src", "action", "poster", "content", *paths.DATA_ATTRIBUTES)
#: URLs of our pages that every build starts from (the crawl finds the rest)
SEEDS = ("/", "/index?letter=all", "/tree", "/map", "/search", "/-/about")


class SiteError(Exception):
    """The site cannot be built where it was asked (said to the user as it is)."""


@dataclass
class SiteReport:
    folder: Path
    files: int = 0
    size: int = 0
    seconds: float = 0.0
    outside_links: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


def site_app(overrides: dict[str, Any] | None = None) -> Flask:
    """The web app, plus the routes that give a static page its data."""
    from webapp import create_app
    from webapp.staticsite import data

    app = create_app(overrides or None)
    app.register_blueprint(data.blueprint)
    app.config["STATIC_SITE"] = True  # read by the views that would otherwise page or fetch
    app.jinja_env.globals["static_site"] = True
    return app


class SiteCrawler:
    """Every page reachable from :data:`SEEDS`, in every language, as site files."""

    def __init__(self, app: Flask, main_lang: str):
        self.app = app
        self.main_lang = main_lang
        self.client = app.test_client(use_cookies=False)
        self.base_uri = app.extensions["crmkg"].base_uri
        self.files: dict[str, bytes] = {}
        self.planned: dict[str, tuple[str, str, str]] = {}  # file: (url, lang, kind)
        self.queue: deque[str] = deque()
        self.outside_links: set[str] = set()
        self.problems: list[str] = []

    # --- what to fetch --------------------------------------------------------------

    def want(self, url: str, lang: str, kind: str = "page") -> str:
        """Plan the file of ``url`` in ``lang`` (once) and give its path in the site."""
        parts = urlsplit(url)
        path = SERVER_ONLY.get(parts.path, parts.path)
        target = f"{path}?{parts.query}"
        data = kind == "data"
        file = (paths.data_file if data else paths.site_file)(target, lang, self.main_lang)
        params = paths.page_key(target, every=data)[1]
        if file not in self.planned:
            query = urlencode([*params, ("lang", lang)])
            self.planned[file] = (f"{path}?{query}", lang, kind)
            self.queue.append(file)
        return file

    def resolve(self, value: str, page_url: str, page_file: str, lang: str,
                kind: str = "page") -> str | None:
        """The relative link that replaces ``value`` in a page, or None to keep it."""
        if value.startswith(self.base_uri):
            value = self._our_iri(value)
        if value.startswith(("http://", "https://", "//")):
            self.outside_links.add(value)
            return None
        if not value.startswith(("/", "?")):
            return None  # a fragment, data:, mailto:, or text that is not a URL
        url, fragment = paths.split_fragment(urljoin(page_url, value))
        target_lang = dict(parse_qsl(urlsplit(url).query)).get("lang", lang)
        if target_lang not in LANGUAGES:
            target_lang = lang
        file = self.want(url, target_lang, kind)
        return paths.relative(page_file, file) + fragment

    def _our_iri(self, iri: str) -> str:
        """One of our IRIs as the app path of its page (offline, no w3id.org)."""
        from webapp.pages import concept_url

        with self.app.test_request_context():
            return concept_url(iri)

    # --- fetching and writing -------------------------------------------------------

    def crawl(self, languages: Sequence[str], concept_urls: Sequence[str]) -> None:
        for lang in languages:
            for url in (*SEEDS, *concept_urls):
                self.want(url, lang)
        while self.queue:
            file = self.queue.popleft()
            url, lang, kind = self.planned[file]
            self.fetch(file, url, lang, kind)

    def fetch(self, file: str, url: str, lang: str, kind: str) -> None:
        response = self.client.get(url)
        if response.status_code in (301, 302, 303, 307, 308):
            target = self.resolve(response.headers["Location"], url, file, lang)
            self.files[file] = redirect_page(target or response.headers["Location"])
            return
        if response.status_code != 200:
            self.problems.append(f"{url} answered {response.status_code}")
            return
        body = response.get_data()
        mimetype = response.mimetype
        if kind == "data":
            body = jsonp(json.loads(body)).encode("utf-8")
        elif mimetype == "text/html":
            body = self._rewrite_page(body.decode("utf-8"), url, file, lang).encode("utf-8")
        elif mimetype == "text/css":
            sheet = body.decode("utf-8")
            for reference in paths.css_references(sheet):
                if not reference.startswith(("data:", "/", "http", "#")):
                    self.want(posixpath.join(posixpath.dirname(urlsplit(url).path),
                                             reference), lang, "asset")
            body = paths.rewrite_css(sheet, lambda v: self.resolve(v, url, file, lang)).encode()
        self.files[file] = body

    def _rewrite_page(self, page: str, url: str, file: str, lang: str) -> str:
        def resolve(value: str, attribute: str) -> str | None:
            if attribute not in LINK_ATTRIBUTES:
                return None
            kind = "data" if attribute in paths.DATA_ATTRIBUTES else "page"
            return self.resolve(value, url, file, lang, kind)

        return paths.rewrite_html(page, resolve)


def redirect_page(target: str) -> bytes:
    """A page that sends the browser on (what the app answers with a redirect)."""
    return (f'<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" '
            f'content="0; url={target}"><a href="{target}">{target}</a>\n').encode()


def build_site(output: Path, *, lang: str = "fr", base_url: str | None = None,
               overrides: dict[str, Any] | None = None) -> SiteReport:
    """Write the static site into ``output`` (replacing a site built there before)."""
    started = time.perf_counter()
    output = output.resolve()
    if output.exists() and any(output.iterdir()) and not (output / MARKER).exists():
        raise SiteError(f"{output} exists and is not a site built by crmkg site: give an "
                        "empty or new folder (nothing is deleted).")
    app = site_app(overrides)
    crawler = SiteCrawler(app, lang)
    with app.app_context():
        app_state = app.extensions["crmkg"]
        app_state.index.wait()
        concepts = sorted(str(c) for c in app_state.index.concepts)
        with app.test_request_context():
            from webapp.pages import concept_url

            concept_urls = [concept_url(uri) for uri in concepts]
    others = [x for x in LANGUAGES if x != lang]
    crawler.crawl([lang, *others], concept_urls)
    files = dict(crawler.files)
    files[MARKER] = b"Built by crmkg site; the next build replaces this folder.\n"
    files[".nojekyll"] = b""
    if base_url:
        files["sitemap.xml"] = sitemap(base_url, sorted(f for f in files if f.endswith(".html")))
    write_folder(output, files)
    return SiteReport(folder=output, files=len(files), size=sum(map(len, files.values())),
                      seconds=time.perf_counter() - started,
                      outside_links=crawler.outside_links, problems=crawler.problems)


def sitemap(base_url: str, pages: list[str]) -> bytes:
    base = base_url.rstrip("/") + "/"
    from xml.sax.saxutils import escape

    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
             *(f"  <url><loc>{escape(base + page)}</loc></url>" for page in pages),
             "</urlset>"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_folder(output: Path, files: dict[str, bytes]) -> None:
    """Write every file into a staging folder beside ``output``, then swap it in."""
    parent = output.parent
    remove_leftovers(parent, f".{output.name}.new-", f".{output.name}.old-")
    staging = staging_folder(parent, f".{output.name}.new-")
    for name in sorted(files):
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[name])
    sync_folder(staging)
    swap_folder(staging, output, parent / f".{output.name}.old-{staging.name[-8:]}")

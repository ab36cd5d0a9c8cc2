"""``crmkg site``: the static site is whole, its links resolve, and its bytes are stable.

The site is built once for the session (the ``static_site`` fixture, in conftest) from
our vocabulary; the browser checks (search, map, quiz from file:// and from a static
server) are in tests/browser/test_static_site_browser.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from graph.cli import main as cli
from graph.text import LANGUAGES, fold_search
from webapp.staticsite.build import MARKER, SiteError, build_site
from webapp.staticsite.linkcheck import check_site

OUTSIDE_HOSTS_ALLOWED = {"zbw.eu", "creativecommons.org", "id.loc.gov"}


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_link_and_asset_of_the_site_resolves_inside_it(static_site):
    report = check_site(static_site.folder)
    assert report.pages > 300
    assert report.broken == []
    assert report.loads_from_outside == []
    # what a reader may click away to: the mappings (STW), the licence, language codes
    assert {re.match(r"https?://([^/]+)", u)[1] for u in report.outside_links} \
        <= OUTSIDE_HOSTS_ALLOWED
    assert static_site.problems == []


def test_every_concept_has_its_page_in_each_language_with_its_data_beside_it(
        static_site, vocabulary):
    folder = static_site.folder
    for concept_id in vocabulary.concepts:
        for root in ("", *(f"{lang}/" for lang in LANGUAGES if lang != "fr")):
            assert (folder / f"{root}concept/{concept_id}.html").is_file()
            assert (folder / f"{root}concept/{concept_id}.json").is_file()
        for suffix in ("ttl", "rdf", "jsonld", "nt"):
            assert (folder / f"concept/{concept_id}.{suffix}").is_file()


def test_the_pages_users_browse_are_all_there(static_site, vocabulary):
    folder = static_site.folder
    for page in ("index.html", "a-z.html", "a-z--letter-all.html", "tree.html", "map.html",
                 "search.html", "-/about.html", "en/index.html", "en/map.html"):
        assert (folder / page).is_file(), page
    for collection_id in vocabulary.collections:
        for suffix in ("html", "svg", "png"):
            assert (folder / f"collection/{collection_id}.{suffix}").is_file()
    for suffix in ("ttl", "nt", "rdf", "jsonld", "csv"):
        assert (folder / f"vocabulary.{suffix}").stat().st_size > 10_000


def test_pages_are_the_apps_pages_with_links_made_relative(static_site, client):
    page = (static_site.folder / "concept/mql.html").read_text(encoding="utf-8")
    served = client.get("/concept/mql?lang=fr").get_data(as_text=True)
    # same title and same text: the same template rendered the same data
    title = re.search(r"<title>(.*?)</title>", served, re.S)[1]
    assert f"<title>{title}</title>" in page
    assert 'href="/' not in page and 'src="/' not in page
    # our IRIs lead to our pages, not to w3id.org (a training room has no network)
    assert 'href="https://w3id.org/crmkg/' not in page
    english = (static_site.folder / "en/concept/mql.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in english and 'href="../../concept/mql.html"' in english


def test_the_json_files_say_what_the_app_answers(static_site, client):
    for concept_id in ("mql", "dsp", "funnel"):
        in_site = json.loads((static_site.folder / f"concept/{concept_id}.json").read_text())
        assert in_site == client.get(f"/concept/{concept_id}.json?lang=fr").get_json()


def test_the_search_index_folds_every_label_as_the_server_does(static_site, app):
    script = (static_site.folder / "site/search.js").read_text(encoding="utf-8")
    data = json.loads(script[script.index("=") + 1:].rstrip().rstrip(";"))
    app.extensions["crmkg"].index.wait()
    served = app.extensions["crmkg"].index.entries
    assert sorted((row[0], row[2]) for row in data["labels"]) == \
        sorted((folded, label) for folded, _c, label, _l, _k in served)
    assert all(row[0] == fold_search(row[2]) for row in data["labels"])
    pages = {concept[0] for concept in data["concepts"]}
    assert all((static_site.folder / page).is_file() for page in pages)


def test_two_builds_of_the_same_data_are_byte_identical(static_site, tmp_path):
    # the second build in another process, with another hash seed: the order of sets and
    # of the store's rows must not reach the files
    again = tmp_path / "again"
    subprocess.run([sys.executable, "-m", "graph", "site", "-o", str(again)], check=True,
                   env={**os.environ, "PYTHONHASHSEED": "12345"}, capture_output=True)
    assert digests(again) == digests(static_site.folder)


def test_a_folder_that_is_not_a_site_is_never_replaced(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    with pytest.raises(SiteError, match="not a site built by crmkg site"):
        build_site(folder)
    assert (folder / "notes.txt").read_text() == "keep me"
    assert not (folder / MARKER).exists()


TINY_VOCABULARY = """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <http://example.org/tiny/> .
ex:scheme a skos:ConceptScheme ; skos:prefLabel "Tiny"@en ; skos:hasTopConcept ex:fruit .
ex:fruit a skos:Concept ; skos:inScheme ex:scheme ; skos:topConceptOf ex:scheme ;
    skos:prefLabel "fruit"@en ; skos:definition "A sweet part of a plant."@en .
ex:apple a skos:Concept ; skos:inScheme ex:scheme ; skos:broader ex:fruit ;
    skos:prefLabel "apple"@en ; skos:altLabel "Malus"@en .
ex:pear a skos:Concept ; skos:inScheme ex:scheme ; skos:broader ex:fruit ;
    skos:prefLabel "pear"@en ; skos:related ex:apple .
"""


def test_the_command_builds_the_site_of_another_vocabulary(tmp_path):
    source = tmp_path / "tiny.ttl"
    source.write_text(TINY_VOCABULARY)
    output = tmp_path / "public"
    result = CliRunner().invoke(cli, ["site", "-o", str(output), "--lang", "en",
                                      "--base-url", "https://example.org/tiny/",
                                      "--data", str(source)])
    assert result.exit_code == 0, result.output
    assert "files" in result.output and "warning" not in result.output
    report = check_site(output)
    assert report.ok, report.broken[:5]
    pages = "\n".join(p.read_text(encoding="utf-8") for p in output.rglob("*.html"))
    for label in ("fruit", "apple", "pear"):
        assert f">{label}<" in pages
    # each concept's page (here /entity?uri=…) has its JSON and RDF beside it
    pages = sorted((output / "entity").glob("*.html"))
    assert len(pages) >= 3
    for page in pages:
        assert json.loads(page.with_suffix(".json").read_text())
        assert len(Graph().parse(page.with_suffix(".ttl"), format="turtle")) > 0
    sitemap = (output / "sitemap.xml").read_text()
    assert "<loc>https://example.org/tiny/index.html</loc>" in sitemap
    # built again over itself: replaced, never mixed with the old files
    (output / "stale.html").write_text("old")
    again = CliRunner().invoke(cli, ["site", "-o", str(output), "--data", str(source)])
    assert again.exit_code == 0, again.output
    assert not (output / "stale.html").exists()

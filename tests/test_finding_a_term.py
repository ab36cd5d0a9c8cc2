"""Finding a term (issue 13 §4): concept pages with their path and acronyms, ids in any
case, error pages in the page's language with suggestions, pages for the source glossaries
and the scheme, whole-vocabulary downloads, the About page, the map with an unknown focus,
the home page's collections. Expectations are computed from the vocabulary."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS

from graph.export import exporter_for
from graph.text import fold_search

BASE = "https://w3id.org/crmkg/"
FORMATS = {"ttl": "turtle", "nt": "nt", "rdf": "xml", "jsonld": "json-ld"}


def _name(concept, lang: str) -> str:
    label = concept.pref_label[lang]
    found = concept.acronyms(lang)
    return f"{label} ({', '.join(found)})" if found else label


# --- concept pages -----------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_title_names_the_acronyms(client, vocabulary, lang):
    for cid in ("mql", "sql", "crm", "nps", "dsp", "sdr"):
        concept = vocabulary.concepts[cid]
        data = client.get(f"/concept/{cid}.json?lang={lang}").get_json()
        assert data["heading"] == _name(concept, lang)
        assert data["acronyms"] == concept.acronyms(lang)
        html = client.get(f"/concept/{cid}?lang={lang}").get_data(as_text=True)
        assert f"<title>{_name(concept, lang)}".replace("'", "&#39;") in html


def test_the_trail_goes_from_the_group_down_to_the_concept(client, vocabulary):
    for cid in vocabulary.concepts:
        trail = client.get(f"/concept/{cid}.json").get_json()["hierarchy"]["trail"]
        ids = [step["url"].rsplit("/", 1)[-1] for step in trail]
        concepts = ids[1:]
        assert trail[0]["kind"] == "group" and trail[0]["url"].startswith("/collection/")
        top = concepts[0] if concepts else cid
        assert top in vocabulary.collections[ids[0]].members, cid
        assert not vocabulary.concepts[top].broader
        for upper, lower in zip(concepts, [*concepts[1:], cid], strict=False):
            assert upper in vocabulary.concepts[lower].broader, (cid, upper, lower)
        assert len(trail) == len(set(ids)), f"{cid}: a step twice"


def test_sources_link_to_their_page(client, vocabulary):
    data = client.get("/concept/mql.json").get_json()
    cited = vocabulary.concepts["mql"].sources
    assert sorted(s["uri"] for s in data["sources"]) == sorted(BASE + "source/" + s
                                                                for s in cited)
    for source in data["sources"]:
        assert source["url"] == "/entity?uri=" + source["uri"]
        assert client.get(source["url"]).status_code == 200


def test_ids_in_any_case_lead_to_the_concept(client):
    for asked, meant in (("MQL", "mql"), ("Lead_Scoring", "lead-scoring"),
                         ("Opportunité", "opportunite")):
        reply = client.get(f"/concept/{quote(asked)}")
        assert reply.status_code == 308 and reply.headers["Location"] == f"/concept/{meant}"
        assert client.get(f"/concept/{quote(asked)}.ttl").headers["Location"] == \
            f"/concept/{meant}.ttl"
    assert client.get("/id/MQL").headers["Location"] == "/id/mql"
    assert client.get("/concept/mql?lang=en").status_code == 200


# --- errors ------------------------------------------------------------------------------

def test_a_missing_concept_is_a_404_in_the_pages_language_with_suggestions(client):
    french = client.get("/concept/lead-qualifie-zz?lang=fr")
    assert french.status_code == 404
    html = french.get_data(as_text=True)
    assert "Page introuvable" in html and "Not Found" not in html
    assert "Vous cherchiez peut-être" in html and 'href="/concept/mql"' in html
    english = client.get("/concept/lead-qualifie-zz?lang=en").get_data(as_text=True)
    assert "Page not found" in english and "Perhaps you were looking for" in english
    assert 'href="/concept/mql"' in english


def test_json_errors_keep_their_shape(client):
    for url in ("/concept/nope.json", "/collection/nope.json", "/index.json?page=abc",
                "/map.json?focus=zzzz"):
        reply = client.get(url)
        body = reply.get_json()
        assert reply.status_code in (400, 404), url
        assert set(body) == {"ok", "status", "error", "message"}, url
        assert body["ok"] is False and body["status"] == reply.status_code
        assert body["error"] in ("Not Found", "Bad Request")


def test_the_map_with_an_unknown_focus_shows_the_whole_map_and_a_message(client):
    reply = client.get("/map?focus=qualifiezz+lead&depth=1")
    assert reply.status_code == 303
    assert reply.headers["Location"] == "/map?depth=1&unknown=qualifiezz+lead"
    page = client.get(reply.headers["Location"])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Aucun concept ne correspond à « qualifiezz lead »" in html
    assert 'href="/map?focus=lead"' in html
    assert client.get("/map/data.json?focus=zzzz").status_code == 404


# --- pages of other resources ------------------------------------------------------------

@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_source_has_a_page_with_its_facts_and_the_concepts_citing_it(client, vocabulary,
                                                                       lang):
    for sid, source in vocabulary.sources.items():
        uri = BASE + "source/" + sid
        data = client.get(f"/entity?format=json&uri={quote(uri)}&lang={lang}").get_json()
        assert data["kind"] == "source" and data["label"] == source.title
        facts = {f["name"]: [v["text"] for v in f["shown"]] for f in data["facts"]}
        assert source.publisher_in(lang) in sum(facts.values(), [])
        assert source.kind[lang] in sum(facts.values(), [])
        citing = sorted([BASE + "id/" + c for c, concept in vocabulary.concepts.items()
                         if sid in concept.sources]
                        + [BASE + "collection/" + c for c, found in
                           vocabulary.collections.items() if sid in found.sources])
        cites = next(g for g in data["linked_from"] if g["property"].endswith("/source"))
        assert sorted(r["uri"] for r in cites["resources"]) == citing
        html = client.get(f"/entity?uri={quote(uri)}&lang={lang}").get_data(as_text=True)
        assert "ne définit ce concept" not in html and "defines this concept" not in html
        assert 'class="mini-map"' not in html  # no map of a glossary: nothing to ask for


def test_the_scheme_and_a_foreign_iri_have_pages(client, graph):
    scheme = client.get(f"/entity?format=json&uri={quote(BASE + 'scheme')}").get_json()
    assert scheme["kind"] == "scheme" and not scheme["label"].startswith("http")
    linked = {g["property"].rsplit("#", 1)[-1]: g["count"] for g in scheme["linked_from"]}
    assert linked["inScheme"] == len(set(graph.subjects(SKOS.inScheme,
                                                         URIRef(BASE + "scheme"))))
    # a foreign IRI our data only points to (an STW descriptor): its page, from the links
    foreign = client.get("/concept/crm.json").get_json()["mappings"][0]["uri"]
    page = client.get(f"/entity?format=json&uri={quote(foreign)}").get_json()
    assert page["kind"] == "resource" and not page["described"]
    assert BASE + "id/crm" in [r["uri"] for g in page["linked_from"] for r in g["resources"]]
    assert client.get("/entity?uri=" + quote("http://example.org/nothing")).status_code == 404
    assert client.get("/entity?uri=not%20a%20uri").status_code == 400


def test_our_collections_go_to_their_page(client):
    reply = client.get("/entity?uri=" + quote(BASE + "collection/funnel-stages"))
    assert reply.status_code == 303 and reply.headers["Location"] == "/collection/funnel-stages"


# --- downloads ---------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", sorted(FORMATS))
def test_the_whole_vocabulary_downloads_in_each_syntax(client, graph, suffix):
    reply = client.get(f"/vocabulary.{suffix}")
    assert reply.status_code == 200
    assert f'filename="crmkg-vocabulary.{suffix}"' in reply.headers["Content-Disposition"]
    parsed = Graph().parse(data=reply.data, format=FORMATS[suffix])
    assert len(parsed) == len(graph)
    if suffix in ("ttl", "nt"):
        assert isomorphic(parsed, graph)


def test_the_glossary_downloads_as_csv(client, vocabulary, graph):
    reply = client.get("/vocabulary.csv")
    assert reply.status_code == 200 and reply.mimetype == "text/csv"
    assert reply.data == exporter_for("csv").render(graph, vocabulary)
    rows = list(csv.DictReader(io.StringIO(reply.data.decode("utf-8-sig"))))
    assert len(rows) == len(vocabulary.concepts)


def test_home_and_about_link_the_downloads(client):
    for page in ("/", "/-/about"):
        html = client.get(page).get_data(as_text=True)
        for suffix in [*FORMATS, "csv"]:
            assert f'href="/vocabulary.{suffix}"' in html, (page, suffix)


# --- About -------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["fr", "en"])
def test_about_says_who_made_it_its_sources_licence_and_citation(client, vocabulary, lang):
    data = client.get(f"/-/about.json?lang={lang}").get_json()
    assert data["creators"] and data["licence"]["name"] == "CC BY 4.0"
    assert [s["id"] for s in data["sources"]] == list(vocabulary.sources)
    for source in data["sources"]:
        assert source["url"] == f"/entity?uri={BASE}source/{source['id']}"
        assert source["cited_by"] == sum(source["id"] in c.sources
                                         for c in vocabulary.concepts.values())
    assert data["creators"][0] in data["citation"] and BASE + "scheme" in data["citation"]
    assert data["changes"]
    html = client.get(f"/-/about?lang={lang}").get_data(as_text=True)
    # the reader's part first, the settings last
    assert html.index("about-sources") < html.index("about-licence") < html.index(
        "about-changes") < html.index("table class=\"settings\"")
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in html


# --- home ---------------------------------------------------------------------------------

def test_the_funnel_comes_first_and_groups_count_as_on_the_map(client, vocabulary):
    home = client.get("/.json").get_json()
    assert home["collections"][0]["url"] == "/collection/funnel-stages"
    on_map: dict[str, int] = {}
    for node in client.get("/map.json").get_json()["nodes"]:
        on_map[node["group"]] = on_map.get(node["group"], 0) + 1
    counts = {g["url"].rsplit("/", 1)[-1]: g["concepts"] for g in home["groups"]["entries"]}
    assert counts == on_map


def test_the_index_lists_each_acronym_under_its_letter(client, vocabulary):
    for cid in ("mql", "sql", "crm", "sdr", "dsp", "nps"):
        concept = vocabulary.concepts[cid]
        for acronym in concept.acronyms("fr"):
            letter = fold_search(acronym)[0].upper()
            entries = client.get(f"/index.json?letter={letter}").get_json()["entries"]
            assert {"label": acronym, "see": concept.pref_label["fr"],
                    "url": f"/concept/{cid}"}.items() <= next(
                e for e in entries if e["label"] == acronym and e["see"]).items()

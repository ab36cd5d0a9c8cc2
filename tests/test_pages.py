"""The pages of the web app and their JSON twins, on the real data.

Every test that takes ``client`` runs three times: on the embedded store, and on
the app reading from Oxigraph's server and from Virtuoso (tests/support/triple_stores.py).
"""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic


@pytest.fixture()
def client(any_store_client):
    return any_store_client


HTML_PAGES = ["/", "/index", "/index?letter=L", "/tree", "/search?q=lead", "/concept/mql",
              "/collection/funnel-stages", "/map", "/map?focus=dsp&depth=1", "/-/about"]


@pytest.mark.parametrize("url", HTML_PAGES)
def test_html_page_and_its_json_twin(client, url):
    page = client.get(url)
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "Accept" in page.headers.get("Vary", "")
    twin_link = page.headers["Link"]
    assert 'rel="alternate"; type="application/json"' in twin_link
    twin_url = twin_link.split(">")[0].lstrip("<")
    twin = client.get(twin_url)
    assert twin.status_code == 200 and twin.mimetype == "application/json"
    assert twin.get_json() == client.get(url, headers={"Accept": "application/json"}).get_json()


def test_every_response_has_security_headers(client):
    for url in ["/", "/concept/mql.ttl", "/sparql?query=ASK%7B%7D", "/nope", "/-/health",
                "/static/style.css"]:
        response = client.get(url)
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        assert "http" not in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_concept_page_shows_everything_about_mql(client, vocabulary):
    mql = vocabulary.concepts["mql"]
    html = client.get("/concept/mql").get_data(as_text=True)
    for text in (mql.pref_label["fr"], mql.pref_label["en"], "MQL",
                 "https://w3id.org/crmkg/id/mql", "Datananas", "HUBYup"):
        assert text in html
    assert mql.definition["fr"].replace("'", "&#39;")[:60] in html
    data = client.get("/concept/mql.json").get_json()
    relations = {r["key"]: [c["url"] for c in r["concepts"]] for r in data["relations"]}
    assert relations["precedes"] == ["/concept/sql"]
    assert relations["follows"] == ["/concept/lead"]
    funnel = [c for c in data["collections"] if c["uri"].endswith("funnel-stages")][0]
    stages = vocabulary.collections["funnel-stages"].members
    assert (funnel["position"], funnel["size"]) == (stages.index("mql") + 1, len(stages))
    assert [g["url"] for g in data["groups"]] == ["/collection/leads"]
    assert {s["publisher"] for s in data["sources"]} >= {"Datananas", "HUBYup",
                                                           "Salesforce France"}
    assert 'type="application/ld+json"' in html


def test_concept_page_in_english(client, vocabulary):
    data = client.get("/concept/dsp.json?lang=en").get_json()
    assert data["label"] == vocabulary.concepts["dsp"].pref_label["en"]
    assert data["language"] == "en"
    names = {r["key"]: r["name"] for r in data["relations"]}
    assert names["counterpart"] == "Counterpart"


def test_language_choice_is_remembered(app):
    client = app.test_client()
    first = client.get("/concept/nps?lang=en")
    assert "lang=en" in first.headers.get("Set-Cookie", "")
    again = client.get("/concept/nps.json").get_json()
    assert again["language"] == "en"


@pytest.mark.parametrize(("accept", "suffix", "rdflib_format"), [
    ("text/turtle", "ttl", "turtle"), ("application/rdf+xml", "rdf", "xml"),
    ("application/ld+json", "jsonld", "json-ld"), ("application/n-triples", "nt", "nt"),
])
def test_concept_uri_redirects_by_accept_and_page_negotiates(client, graph, accept, suffix,
                                                             rdflib_format):
    redirect = client.get("/id/mql", headers={"Accept": accept})
    assert redirect.status_code == 303
    assert redirect.headers["Location"].endswith(f"/concept/mql.{suffix}")
    assert "Accept" in redirect.headers["Vary"]
    by_suffix = client.get(f"/concept/mql.{suffix}")
    by_accept = client.get("/concept/mql", headers={"Accept": accept})
    assert by_suffix.mimetype == by_accept.mimetype == accept
    parsed = Graph().parse(data=by_suffix.data, format=rdflib_format)
    mql = URIRef("https://w3id.org/crmkg/id/mql")
    expected = Graph()
    for triple in graph.triples((mql, None, None)):
        expected.add(triple)
    only_mql = Graph()
    for triple in parsed.triples((mql, None, None)):
        only_mql.add(triple)
    assert isomorphic(only_mql, expected)


def test_concept_uri_for_a_browser_goes_to_the_page(client):
    response = client.get("/id/mql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/concept/mql")


def test_entity_by_full_uri(client):
    response = client.get("/entity?uri=https://w3id.org/crmkg/id/ssp")
    assert response.status_code == 303 and response.headers["Location"].endswith("/concept/ssp")
    assert client.get("/entity?uri=https://example.org/unknown").status_code == 404
    assert client.get("/entity").status_code == 400


@pytest.mark.parametrize("url", ["/concept/nope", "/id/nope", "/concept/mql.docx",
                                 "/collection/nope", "/nope"])
def test_not_found_in_the_requested_shape(client, url):
    html = client.get(url)
    assert html.status_code == 404 and html.mimetype == "text/html"
    as_json = client.get(url, headers={"Accept": "application/json"})
    assert as_json.status_code == 404
    body = as_json.get_json()
    assert body == {"ok": False, "status": 404, "error": "Not Found",
                    "message": body["message"]} and body["message"]


def test_not_acceptable_lists_what_can_be_served(client):
    response = client.get("/concept/mql", headers={"Accept": "image/gif"})
    assert response.status_code == 406
    assert "text/turtle" in response.get_data(as_text=True)


@pytest.mark.parametrize(("query", "expected"), [
    ("qualifie", "mql"), ("MQL", "mql"), ("Marketing Qualified Lead", "mql"),
    ("lead qualifié marketing", "mql"), ("ssp", "ssp"), ("REMARKETING", "remarketing"),
])
def test_search_ignores_case_and_accents(client, query, expected):
    results = client.get("/search.json", query_string={"q": query}).get_json()["results"]
    assert expected in [r["uri"].rsplit("/", 1)[-1] for r in results]


def test_search_limit_and_empty_query(client):
    assert len(client.get("/search.json?q=e&limit=3").get_json()["results"]) == 3
    assert client.get("/search.json?q=").get_json()["results"] == []
    assert client.get("/search.json?q=zzzzqqq").get_json()["results"] == []


def test_home_lists_groups_with_counts(client, vocabulary):
    data = client.get("/.json").get_json()
    assert data["groups"]["kind"] == "groups"
    assert {(g["url"], g["concepts"]) for g in data["groups"]["entries"]} == {
        (f"/collection/{g.id}", len(g.members)) for g in vocabulary.groups()}
    # the other collections are the processes and scales, not the groups
    assert {c["url"] for c in data["collections"]} == {
        f"/collection/{c.id}" for c in vocabulary.collections.values() if not c.group}
    assert data["counts"]["concepts"] == len(vocabulary.concepts)
    assert data["counts"]["groups"] == len(vocabulary.groups())


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_alphabetical_index_covers_every_concept_once(client, vocabulary, lang):
    letters = client.get(f"/index.json?lang={lang}").get_json()["letters"]
    entries = []
    for item in letters:
        found = client.get(f"/index.json?letter={item['letter']}&lang={lang}").get_json()
        assert found["total"] == item["count"] == len(found["entries"])
        entries += found["entries"]
    base = "https://w3id.org/crmkg/id/"
    concepts = [e["uri"] for e in entries if e["see"] is None]
    assert sorted(concepts) == sorted(base + c for c in vocabulary.concepts)
    # every acronym refers to its concept, under its own letter, naming the concept's label
    references = {(e["label"], e["uri"]): e for e in entries if e["see"] is not None}
    for cid, concept in vocabulary.concepts.items():
        label = concept.pref_label.get(lang) or concept.pref_label.get("fr")
        shown = lang if concept.pref_label.get(lang) else "fr"
        for acronym in concept.acronyms(shown):
            entry = references.get((acronym, base + cid))
            assert entry is not None, f"{acronym} → {cid} missing from the index ({lang})"
            assert entry["see"] == label and entry["acronym"]
            assert entry["url"] == f"/concept/{cid}"
    # the all-letters view holds the same entries, in the same order
    every = client.get(f"/index.json?letter=all&lang={lang}").get_json()
    assert every["entries"] == entries


def test_tree_has_every_concept_and_lazy_children(client, vocabulary):
    tree = client.get("/tree.json").get_json()
    found = set()
    stack = list(tree["nodes"])
    while stack:
        node = stack.pop()
        found.add(node["uri"].rsplit("/", 1)[-1])
        stack.extend(node.get("nodes", []))
    groups = {g.id for g in vocabulary.groups()}
    assert found == set(vocabulary.concepts) | groups
    # the groups on top, each opening on its members whose broader concepts are elsewhere
    assert {n["uri"].rsplit("/", 1)[-1] for n in tree["nodes"]} == groups
    group = vocabulary.collections["vente"]
    children = client.get("/tree.json", query_string={
        "node": "https://w3id.org/crmkg/collection/vente"}).get_json()["nodes"]
    expected = {m for m in group.members
                if not set(vocabulary.concepts[m].broader) & set(group.members)}
    assert {n["uri"].rsplit("/", 1)[-1] for n in children} == expected
    assert "close" not in expected and "cycle-de-vente" in expected  # close is below it
    below = client.get("/tree.json", query_string={
        "node": "https://w3id.org/crmkg/id/cycle-de-vente"}).get_json()["nodes"]
    assert "close" in {n["uri"].rsplit("/", 1)[-1] for n in below}


def test_collection_page_keeps_the_order(client, vocabulary):
    data = client.get("/collection/funnel-stages.json").get_json()
    assert [m["uri"].rsplit("/", 1)[-1] for m in data["members"]] == \
        vocabulary.collections["funnel-stages"].members
    assert all(m["definition"] for m in data["members"])


def test_about_and_health(client, vocabulary):
    about = client.get("/-/about.json").get_json()
    assert about["counts"]["concepts"] == len(vocabulary.concepts)
    assert len(about["data_checksum"]) == 64
    assert {s["name"] for s in about["settings"]} >= {"SPARQL_TIMEOUT", "CORS"}
    health = client.get("/-/health")
    assert health.status_code == 200 and health.get_json()["ok"] is True


def test_map_data_is_complete_and_typed(client, vocabulary):
    data = client.get("/map.json").get_json()
    assert len(data["nodes"]) == len(vocabulary.concepts)
    relations = {e["relation"] for e in data["edges"]}
    assert {"broader", "related", "precedes", "counterpart"} <= relations
    dsp_ssp = [e for e in data["edges"] if {e["from"], e["to"]} == {
        "https://w3id.org/crmkg/id/dsp", "https://w3id.org/crmkg/id/ssp"}]
    assert [e["relation"] for e in dsp_ssp] == ["counterpart"]
    group_ids = {g["id"] for g in data["groups"]}
    assert group_ids == {g.id for g in vocabulary.groups()}
    assert all(g["color"].startswith("#") for g in data["groups"])
    for node in data["nodes"]:
        assert node["url"].startswith("/concept/") and node["group"] in group_ids
        concept_id = node["id"].rsplit("/", 1)[-1]
        assert concept_id in vocabulary.collections[node["group"]].members


def test_map_focus_depth_filters_and_path(client):
    focus = client.get("/map/data.json?focus=mql&depth=1").get_json()
    ids = {n["id"].rsplit("/", 1)[-1] for n in focus["nodes"]}
    assert {"mql", "sql", "lead"} <= ids and len(ids) < 30
    only_precedes = client.get("/map/data.json?relations=precedes").get_json()
    assert {e["relation"] for e in only_precedes["edges"]} == {"precedes"}
    path = client.get("/map/data.json?from=dsp&to=crm").get_json()
    assert path["path"][0]["uri"].endswith("/dsp") and path["path"][-1]["uri"].endswith("/crm")
    assert sum(1 for e in path["edges"] if e.get("path")) == len(path["path"]) - 1
    assert client.get("/map/data.json?focus=zzzz").status_code == 404


def test_json_twin_of_concept_is_valid_json_ld_inside_html(client):
    html = client.get("/concept/lead").get_data(as_text=True)
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">')
    block = html[start:html.index("</script>", start)]
    assert json.loads(block)

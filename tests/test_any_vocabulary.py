"""Serving vocabularies we did not write: PhySH, STW and YSA (``crmkg serve --data``).

Each shared dataset is served by one app for the whole module (YSA's 413k
triples load in about a second with pyoxigraph's bulk loader), and every kind
of page is checked on it: home, concept page and its JSON, ``/entity?uri=``,
search by an alt label whatever its case and accents, the A–Z index a page at a
time, the top of the tree and a node's children, the map around a concept,
SPARQL, /-/about. The figures to find are read from the datasets' SOURCE.md.

Then what the real datasets do not have (a generated vocabulary: thousands of
declared top concepts, a chain 40 deep, German and Japanese labels), our own
vocabulary beside another one, the inputs that are refused (URLs, remote
JSON-LD contexts: a loopback canary must see no connection), and the on-disk
store: reused when its inputs have not changed, rebuilt when they have or when
a load was interrupted, and shared read-only with the SPARQL workers.
"""

from __future__ import annotations

import gzip
import html
import json
import logging
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from graph.config import PROJECT_ROOT
from graph.query.store import MANIFEST, EmbeddedStore, Source, StoreError
from tests.support.canary import Canary
from tests.support.data import SHARED, needs_shared

DATASETS = SHARED / "datasets"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PREFIX = f"PREFIX skos: <{SKOS}> "

#: dataset → (files served, the languages of its labels)
SERVED = {
    "physh": (["physh/physh.ttl"], {"en"}),
    "stw": (["stw/stw-skos.ttl"], {"en", "de"}),
    "ysa": (["ysa/ysa-skos.ttl.gz"], {"fi"}),
}


def source_figure(dataset: str, field: str) -> int:
    """A figure of the dataset's SOURCE.md table, e.g. ``| concepts | **6,244** …``."""
    text = (DATASETS / dataset / "SOURCE.md").read_text(encoding="utf-8")
    found = re.search(rf"^\| {field} \| \*\*([\d,]+)\*\*", text, re.MULTILINE)
    assert found, f"SOURCE.md of {dataset} has no {field} figure"
    return int(found.group(1).replace(",", ""))


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


def make_app(**config):
    from webapp import create_app

    return create_app({"TESTING": True, "SPARQL_WORKERS": 1, "SPARQL_TIMEOUT": 20.0,
                       **config})


# --- the shared datasets ----------------------------------------------------------------------

@pytest.fixture(scope="module", params=sorted(SERVED))
def served(request):
    """(dataset name, app) with the dataset alone, in memory; one app per dataset."""
    if not SHARED.is_dir():
        pytest.skip("../shared (the datasets) is not beside this clone")
    name = request.param
    files, _ = SERVED[name]
    application = make_app(DATA_FILES=[str(DATASETS / f) for f in files])
    yield name, application
    application.extensions["crmkg"].engine.close()


@pytest.fixture(scope="module")
def samples(served):
    """Concepts to look at, found with the app's own store."""
    name, application = served
    store = application.extensions["crmkg"].store
    nested = store.select_values(
        f"{PREFIX}SELECT ?c ?b WHERE {{ ?c skos:broader ?b ; skos:prefLabel ?l . "
        f"?b skos:prefLabel ?bl }} ORDER BY ?c LIMIT 1")[0]
    # an alt label that is not also someone's label elsewhere, preferably with an accent
    alts = store.select_values(
        f"{PREFIX}SELECT ?c ?l WHERE {{ ?c a skos:Concept ; skos:altLabel ?l "
        f"FILTER(STRLEN(?l) > 6) }} ORDER BY DESC(REGEX(?l, '[äöåüéè]')) ?l LIMIT 50")
    counts: dict[str, int] = {}
    for _, label in alts:
        counts[label] = counts.get(label, 0) + 1
    alt_concept, alt_label = next((c, label) for c, label in alts if counts[label] == 1)
    return {"concept": nested[0], "broader": nested[1], "alt_concept": alt_concept,
            "alt_label": alt_label}


@needs_shared
def test_home(served):
    name, application = served
    client = application.test_client()
    page = client.get("/")
    assert page.status_code == 200
    data = client.get("/.json").get_json()
    assert data["schemes"] and all(s["label"] for s in data["schemes"])
    assert data["counts"]["concepts"] == source_figure(name, "concepts")
    assert not data["own_data"] and data["data_files"]
    # without groups: the declared top concepts, or the biggest branches, as /entity links
    groups = data["groups"]
    assert groups["kind"] in ("tops", "branches")
    assert groups["entries"] and all(t["url"].startswith("/entity?uri=")
                                     for t in groups["entries"])
    assert "quiz" not in page.get_data(as_text=True).split("<main")[1].split("</main>")[0]


@needs_shared
def test_concept_page_html_and_json(served, samples):
    name, application = served
    _, languages = SERVED[name]
    client = application.test_client()
    uri = samples["concept"]
    data = client.get("/entity", query_string={"uri": uri, "format": "json"}).get_json()
    assert data["uri"] == uri and data["id"] is None
    assert set(data["pref_labels"]) & languages
    assert data["label"] in [label for values in data["pref_labels"].values()
                             for label in values]
    broader = next(r for r in data["relations"] if r["key"] == "broader")
    assert samples["broader"] in [c["uri"] for c in broader["concepts"]]
    assert all(c["url"].startswith("/entity?uri=") for r in data["relations"]
               for c in r["concepts"])
    page = client.get("/entity", query_string={"uri": uri})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert html.escape(data["label"], quote=False) in text
    assert 'href="/entity?uri=' in text
    turtle = client.get("/entity", query_string={"uri": uri},
                        headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and uri in turtle.get_data(as_text=True)


@needs_shared
def test_labels_fall_back_to_the_vocabulary_languages(served, samples):
    """The pages are in French or English; a Finnish vocabulary still shows its labels."""
    name, application = served
    client = application.test_client()
    for lang in ("fr", "en"):
        data = client.get("/entity", query_string={"uri": samples["concept"], "format": "json",
                                                   "lang": lang}).get_json()
        assert data["label"] and data["label"] != samples["concept"]
        assert data["label_other"] != data["label"]


@needs_shared
def test_search_finds_an_alt_label_whatever_its_case_and_accents(served, samples):
    name, application = served
    client = application.test_client()
    asked = strip_accents(samples["alt_label"]).upper()
    results = client.get("/search.json", query_string={"q": asked, "limit": 200}).get_json()
    found = {r["uri"]: r for r in results["results"]}
    assert samples["alt_concept"] in found, f"{asked!r} did not find {samples['alt_concept']}"
    assert found[samples["alt_concept"]]["match"] == "exact"
    assert found[samples["alt_concept"]]["url"].startswith("/entity?uri=")


@needs_shared
def test_alphabetical_index_is_paginated(served):
    name, application = served
    client = application.test_client()
    letters = client.get("/index.json").get_json()["letters"]
    # each concept once under its label's initial; its other labels refer to it
    assert sum(item["concepts"] for item in letters) == source_figure(name, "concepts")
    biggest = max(letters, key=lambda item: item["count"])
    first = client.get("/index.json", query_string={"letter": biggest["letter"]}).get_json()
    assert first["total"] == biggest["count"]
    assert len(first["entries"]) == min(first["total"], 200)
    if first["pages"] > 1:
        second = client.get(first["next_page"]).get_json()
        assert second["page"] == 2

        def keys(page):
            return {(e["uri"], e["label"], e["see"]) for e in page["entries"]}

        assert not keys(first) & keys(second)
        assert client.get("/index", query_string={"letter": biggest["letter"],
                                                  "page": first["pages"]}).status_code == 200
    assert client.get("/index", query_string={"letter": biggest["letter"],
                                              "page": first["pages"] + 1}).status_code == 404


@needs_shared
def test_tree_top_level_and_children(served):
    name, application = served
    client = application.test_client()
    top = client.get("/tree.json").get_json()
    assert top["nodes"] and top["total"] >= len(top["nodes"])
    if name == "ysa":  # no declared top concepts: 10,175 concepts without a broader one
        assert top["total"] > 10_000 and top["pages"] > 50
        assert client.get("/tree.json", query_string={"page": 2}).get_json()["nodes"]
    parent = max(top["nodes"], key=lambda n: n["children"])
    assert parent["children"] > 0
    children = client.get(parent["expand"]).get_json()
    assert children["total"] == parent["children"]
    assert all(n["url"].startswith("/entity?uri=") for n in children["nodes"])
    assert client.get("/tree", query_string={"node": parent["uri"]}).status_code == 200


@needs_shared
def test_map_neighbourhood(served, samples):
    name, application = served
    client = application.test_client()
    uri = samples["concept"]
    data = client.get("/map/data.json", query_string={"focus": uri, "depth": 1}).get_json()
    ids = {n["id"] for n in data["nodes"]}
    assert data["focus"] == uri and {uri, samples["broader"]} <= ids
    assert any({e["from"], e["to"]} == {uri, samples["broader"]} for e in data["edges"])
    assert len(data["nodes"]) <= data["max_nodes"]
    whole = client.get("/map/data.json").get_json()  # too big to show whole: a neighbourhood
    assert whole["focus"] and 0 < len(whole["nodes"]) <= whole["max_nodes"]
    assert whole["total_concepts"] == source_figure(name, "concepts")
    assert client.get("/map").status_code == 200


@needs_shared
def test_sparql_counts_the_concepts(served):
    name, application = served
    application.extensions["crmkg"].engine.start()
    client = application.test_client()
    reply = client.get("/sparql", query_string={
        "query": f"{PREFIX}SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a skos:Concept }}"},
        headers={"Accept": "application/sparql-results+json"})
    assert reply.status_code == 200
    value = reply.get_json()["results"]["bindings"][0]["n"]["value"]
    assert int(value) == source_figure(name, "concepts")


@needs_shared
def test_about_counts(served):
    name, application = served
    about = application.test_client().get("/-/about.json").get_json()
    assert about["counts"]["concepts"] == source_figure(name, "concepts")
    assert about["counts"]["triples"] == source_figure(name, "triples")
    assert len(about["data_checksum"]) == 64
    settings = {s["name"]: s["value"] for s in about["settings"]}
    assert settings["DATA_FILES"] == "set"  # a server path: never shown
    assert about["data"]["files"] == [SERVED[name][0][0].rsplit("/", 1)[-1]]  # its name


@needs_shared
def test_quiz_and_slides_say_they_need_our_vocabulary(served):
    name, application = served
    client = application.test_client()
    quiz = client.get("/quiz?lang=en")
    assert quiz.status_code == 404 and "--with-own-data" in quiz.get_data(as_text=True)
    slides = client.get("/slides.pptx?lang=en")
    assert slides.status_code == 404 and "CRM vocabulary" in slides.get_data(as_text=True)


# --- what the shared datasets do not have: a generated vocabulary ---------------------------

@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    path = tmp_path_factory.mktemp("synthetic") / "synthetic.nt.gz"
    subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / "generate_vocabulary.py"),
                    str(path)], check=True, capture_output=True)
    application = make_app(DATA_FILES=[str(path)])
    yield application
    application.extensions["crmkg"].engine.close()


def test_thousands_of_top_concepts(synthetic):
    client = synthetic.test_client()
    home = client.get("/.json").get_json()
    assert home["counts"]["concepts"] == 9040 and home["counts"]["schemes"] == 3
    assert home["groups"]["kind"] == "tops"  # no groups: the top concepts stand for them
    assert 0 < len(home["groups"]["entries"]) <= 60  # the biggest ones, not 3,000 of them
    tree = client.get("/tree.json").get_json()
    assert tree["total"] == 3000 and tree["pages"] == 15
    last = client.get("/tree.json", query_string={"page": 15}).get_json()
    assert len(last["nodes"]) == 200 and last["next_page"] is None
    whole = client.get("/map/data.json").get_json()
    assert whole["groups"] == []  # 3,000 top concepts cannot be told apart by colour
    assert 0 < len(whole["nodes"]) <= whole["max_nodes"]
    assert client.get("/").status_code == 200 and client.get("/map").status_code == 200


def test_deep_hierarchy_and_other_languages(synthetic):
    client = synthetic.test_client()
    hits = client.get("/search.json", query_string={"q": "tiefe 40"}).get_json()["results"]
    deepest = hits[0]["uri"]
    data = client.get("/entity", query_string={"uri": deepest, "format": "json"}).get_json()
    assert data["label"] == "Tiefe 40" and set(data["pref_labels"]) == {"de"}
    assert not data["notes"]  # no definitions: the page still renders
    assert client.get("/entity", query_string={"uri": deepest}).status_code == 200
    around = client.get("/map/data.json", query_string={"focus": deepest, "depth": 6}).get_json()
    assert len(around["nodes"]) == 7  # a chain: six above it
    path = client.get("/map/data.json", query_string={
        "from": deepest, "to": "http://example.org/synthetic/c1"}).get_json()
    assert len(path["path"]) == 41 and path["path_error"] is None
    # German, with its accents folded, and Japanese
    assert client.get("/search.json?q=STRASSE 00000").get_json()["results"][0]["label"] \
        == "Straße 00000"
    assert client.get("/search.json?q=grosse 00001").get_json()["results"][0]["label"] \
        .startswith("Größe")
    assert client.get("/search.json", query_string={"q": "概念 50"}).get_json()["results"]


def test_narrower_stated_alone_still_makes_a_hierarchy(synthetic):
    client = synthetic.test_client()
    top = client.get("/search.json?q=Größe 00001").get_json()["results"][0]
    assert top["match"] == "exact"
    children = client.get("/tree.json", query_string={"node": top["uri"]}).get_json()
    assert [n["label"] for n in children["nodes"]] == ["Größe 00001.0", "Größe 00001.1"]


# --- our vocabulary beside another one; refused inputs -----------------------------------------

@needs_shared
def test_our_vocabulary_beside_another(vocabulary):
    application = make_app(DATA_FILES=[str(DATASETS / "physh" / "physh.nt.gz")],
                           WITH_OWN_DATA=True)
    client = application.test_client()
    home = client.get("/.json").get_json()
    assert home["counts"]["concepts"] == source_figure("physh", "concepts") + len(
        vocabulary.concepts)
    assert home["own_data"] and home["counts"]["sources"] == 5
    assert client.get("/concept/mql").status_code == 200
    assert client.get("/quiz").status_code == 200
    hits = client.get("/search.json?q=superconductivity").get_json()["results"]
    assert hits and hits[0]["url"].startswith("/entity?uri=")
    assert client.get("/search.json?q=mql").get_json()["results"][0]["url"] == "/concept/mql"


@pytest.mark.parametrize("value", ["http://example.org/v.ttl", "https://example.org/v.ttl",
                                   "file:///etc/passwd", "ftp://example.org/v.nt"])
def test_urls_are_refused(value):
    with pytest.raises(ValueError, match="never downloads"):
        make_app(DATA_FILES=[value])


def test_serve_refuses_urls_and_unknown_files(tmp_path):
    from click.testing import CliRunner

    from graph.cli import main

    runner = CliRunner()
    result = runner.invoke(main, ["serve", "--data", "https://example.org/stw.ttl"])
    assert result.exit_code == 2 and "never downloads" in result.output
    result = runner.invoke(main, ["serve", "--data", str(tmp_path / "missing.ttl")])
    assert result.exit_code == 2 and "no such file" in result.output
    unknown = tmp_path / "vocabulary.txt"
    unknown.write_text("", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot tell its RDF format"):
        Source.file(unknown)
    result = runner.invoke(main, ["serve", "stray.ttl"])
    assert result.exit_code == 2 and "after --data" in result.output


CONCEPT_JSONLD = {"@id": "http://example.org/v/c1",
                  "@type": f"{SKOS}Concept",
                  f"{SKOS}prefLabel": {"@value": "Käse", "@language": "de"}}


def test_jsonld_with_an_inline_context_loads(tmp_path):
    document = {"@context": {"skos": SKOS, "label": {"@id": "skos:prefLabel",
                                                      "@language": "de"}},
                "@graph": [{"@id": "http://example.org/v/c1", "@type": "skos:Concept",
                            "label": "Käse"}]}
    path = tmp_path / "v.jsonld.gz"
    path.write_bytes(gzip.compress(json.dumps(document).encode()))
    application = make_app(DATA_FILES=[str(path)])
    results = application.test_client().get("/search.json?q=kase").get_json()["results"]
    assert [r["uri"] for r in results] == ["http://example.org/v/c1"]


@pytest.mark.parametrize("context", ["remote", "remote-in-list", "remote-nested"])
def test_jsonld_remote_contexts_are_never_fetched(tmp_path, context):
    canary = Canary()
    try:
        remote = f"{canary.url}/context.jsonld"
        body = dict(CONCEPT_JSONLD)
        if context == "remote":
            body["@context"] = remote
        elif context == "remote-in-list":
            body["@context"] = [{"skos": SKOS}, remote]
        else:
            body[f"{SKOS}related"] = {"@context": remote, "@id": "http://example.org/v/c2"}
        path = tmp_path / "v.jsonld"
        path.write_text(json.dumps(body), encoding="utf-8")
        with pytest.raises(ValueError, match="remote @context"):
            make_app(DATA_FILES=[str(path)])
        assert canary.seen() == [], "loading the JSON-LD connected to the canary"
    finally:
        canary.close()


def test_rdfxml_external_entities_are_never_fetched(tmp_path):
    canary = Canary()
    try:
        path = tmp_path / "v.rdf"
        path.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY remote SYSTEM "{canary.url}/entity">
                    <!ENTITY local SYSTEM "file:///etc/passwd"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:skos="{SKOS}">
  <skos:Concept rdf:about="http://example.org/v/c1">
    <skos:prefLabel xml:lang="en">a &remote; b &local;</skos:prefLabel>
  </skos:Concept>
</rdf:RDF>""", encoding="utf-8")
        with pytest.raises(ValueError, match="not valid RDF/XML"):
            make_app(DATA_FILES=[str(path)])
        assert canary.seen() == [], "loading the RDF/XML connected to the canary"
    finally:
        canary.close()


# --- the on-disk store ------------------------------------------------------------------------

def _vocabulary(path: Path, n: int) -> Path:
    """``n`` concepts in N-Triples, named after the file (two files: different concepts)."""
    base = f"http://example.org/{path.stem}/"
    lines = [f"<{base}c{i}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
             f"<{SKOS}Concept> .\n<{base}c{i}> <{SKOS}prefLabel> "
             f'"Begriff {i}"@de .' for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_store_is_reused_when_its_inputs_have_not_changed(tmp_path, caplog):
    data = _vocabulary(tmp_path / "v.nt", 20)
    store_dir = tmp_path / "store"
    first = make_app(DATA_FILES=[str(data)], STORE_DIR=str(store_dir))
    info = first.extensions["crmkg"].store.info
    assert info.kind == "on-disk" and not info.reused
    manifest = store_dir / MANIFEST
    recorded = json.loads(manifest.read_text(encoding="utf-8"))
    assert recorded["inputs"][0]["sha256"] and recorded["triples"] == 40
    built = manifest.stat().st_mtime_ns
    first.extensions["crmkg"].engine.close()

    with caplog.at_level(logging.INFO, logger="graph.query.store"):
        second = make_app(DATA_FILES=[str(data)], STORE_DIR=str(store_dir))
    info = second.extensions["crmkg"].store.info
    assert info.reused and manifest.stat().st_mtime_ns == built
    assert any("reused" in r.getMessage() for r in caplog.records)
    assert not any("building" in r.getMessage() for r in caplog.records)
    assert second.extensions["crmkg"].counts["concepts"] == 20
    # the SPARQL workers open the same store, read-only
    engine = second.extensions["crmkg"].engine
    assert Path(engine.dump_path) == store_dir / "oxigraph"
    reply = second.test_client().get("/sparql", query_string={
        "query": f"{PREFIX}SELECT (COUNT(*) AS ?n) WHERE {{ ?c skos:prefLabel ?l }}",
        "format": "csv"})
    assert reply.status_code == 200 and reply.get_data(as_text=True).split()[-1] == "20"
    assert second.test_client().get("/search.json?q=begriff 7").get_json()["results"]
    about = second.test_client().get("/-/about.json").get_json()["data"]
    assert about["store"] == {"kind": "on-disk", "reused": True,  # no server path
                              "seconds": about["store"]["seconds"]}
    assert "reused" in second.test_client().get("/-/about?lang=en").get_data(as_text=True)
    engine.close()


def test_store_is_rebuilt_when_an_input_changes(tmp_path):
    data = _vocabulary(tmp_path / "v.nt", 20)
    store_dir = tmp_path / "store"
    make_app(DATA_FILES=[str(data)], STORE_DIR=str(store_dir))
    _vocabulary(data, 30)
    again = make_app(DATA_FILES=[str(data)], STORE_DIR=str(store_dir))
    assert not again.extensions["crmkg"].store.info.reused
    assert again.extensions["crmkg"].counts["concepts"] == 30
    other = _vocabulary(tmp_path / "w.nt", 5)  # another list of inputs: rebuilt too
    both = make_app(DATA_FILES=[str(data), str(other)], STORE_DIR=str(store_dir))
    assert not both.extensions["crmkg"].store.info.reused
    assert both.extensions["crmkg"].counts["concepts"] == 35


def test_an_interrupted_load_is_done_again(tmp_path, monkeypatch):
    import graph.query.store

    first = _vocabulary(tmp_path / "a.nt", 10)
    broken = tmp_path / "b.nt"
    broken.write_text("<http://example.org/x> <http://example.org/p> .\n", encoding="utf-8")
    store_dir = tmp_path / "store"
    with pytest.raises(ValueError, match="not valid N-Triples"):
        make_app(DATA_FILES=[str(first), str(broken)], STORE_DIR=str(store_dir))
    assert not (store_dir / MANIFEST).exists()  # half a store: no manifest

    real_load = graph.query.store.load_source
    calls = []

    def interrupted(store, source, progress=None):
        calls.append(source.name)
        if len(calls) == 2:
            raise KeyboardInterrupt  # Ctrl+C in the middle of the second file
        real_load(store, source, progress)

    second = _vocabulary(tmp_path / "c.nt", 5)
    monkeypatch.setattr(graph.query.store, "load_source", interrupted)
    with pytest.raises(KeyboardInterrupt):
        make_app(DATA_FILES=[str(first), str(second)], STORE_DIR=str(store_dir))
    assert not (store_dir / MANIFEST).exists()
    monkeypatch.setattr(graph.query.store, "load_source", real_load)
    again = make_app(DATA_FILES=[str(first), str(second)], STORE_DIR=str(store_dir))
    assert not again.extensions["crmkg"].store.info.reused
    assert again.extensions["crmkg"].counts["concepts"] == 15
    assert (store_dir / MANIFEST).exists()


def test_a_store_directory_that_is_not_ours_is_left_alone(tmp_path):
    store_dir = tmp_path / "store"
    (store_dir / "oxigraph").mkdir(parents=True)
    (store_dir / "oxigraph" / "precious.txt").write_text("keep me", encoding="utf-8")
    data = _vocabulary(tmp_path / "v.nt", 3)
    with pytest.raises(StoreError, match="not a store this app built"):
        EmbeddedStore.open_or_build(store_dir, [Source.file(data)])
    assert (store_dir / "oxigraph" / "precious.txt").read_text(encoding="utf-8") == "keep me"


def test_our_vocabulary_alone_in_an_on_disk_store(tmp_path):
    store_dir = tmp_path / "store"
    make_app(STORE_DIR=str(store_dir))
    again = make_app(STORE_DIR=str(store_dir))
    assert again.extensions["crmkg"].store.info.reused
    client = again.test_client()
    assert client.get("/concept/mql").status_code == 200
    assert client.get("/quiz").status_code == 200


def test_progress_is_reported_on_stderr(tmp_path, capsys):
    data = _vocabulary(tmp_path / "v.nt", 3)
    make_app(DATA_FILES=[str(data)], STORE_DIR=str(tmp_path / "store"))
    err = capsys.readouterr().err
    assert "building the store" in err and "loading 1/1 v.nt (N-Triples" in err
    assert "store ready, 6 triples" in err
    make_app(DATA_FILES=[str(data)], STORE_DIR=str(tmp_path / "store"))
    assert "reopened the store" in capsys.readouterr().err

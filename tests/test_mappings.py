"""Mappings to the STW Thesaurus for Economics (data/mappings.yaml): every IRI is an STW
concept, the graph and the exports carry them, the concept pages show them, and every
mistake in the file is reported with its line and fix."""

from __future__ import annotations

import csv
import io
import re

import pyoxigraph as ox
import pytest
import yaml
from rdflib import URIRef
from rdflib.namespace import SKOS

from graph.config import PROJECT_ROOT
from graph.export import exporter_for
from graph.mappings import MATCH_BY_KEY, MATCH_KINDS, vocabulary_name, web_link
from graph.vocabulary.schema import MATCH_KEYS
from graph.vocabulary.yamlfile import DataErrors
from tests.support.data import SHARED

MAPPINGS = PROJECT_ROOT / "data" / "mappings.yaml"
STW_FILE = SHARED / "datasets" / "stw" / "stw-skos.ttl"
STW = "http://zbw.eu/stw/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DESCRIPTOR = ox.NamedNode("http://zbw.eu/namespaces/zbw-extensions/Descriptor")
CONCEPT = ox.NamedNode(str(SKOS.Concept))


def mapped() -> dict[str, dict[str, list[str]]]:
    """The file as it is written: concept id → relation → IRIs."""
    return yaml.safe_load(MAPPINGS.read_text(encoding="utf-8"))


def links() -> list[tuple[str, str, str]]:
    return [(concept_id, key, iri) for concept_id, kinds in mapped().items()
            for key, iris in kinds.items() for iri in iris]


@pytest.fixture(scope="module")
def stw_descriptors() -> set[str]:
    """The IRIs of STW's descriptors that are concepts (deprecated ones are not)."""
    if not STW_FILE.parent.is_dir():
        pytest.skip(f"{STW_FILE.parent} is not beside this clone (../shared/datasets/stw, "
                    "the STW Thesaurus for Economics): CI has it, a fresh clone does not")
    types: dict[str, set[str]] = {}
    for triple in ox.parse(path=str(STW_FILE), format=ox.RdfFormat.TURTLE):
        if triple.predicate == RDF_TYPE and triple.object in (DESCRIPTOR, CONCEPT):
            types.setdefault(triple.subject.value, set()).add(triple.object.value)
    return {iri for iri, found in types.items() if found == {DESCRIPTOR.value, CONCEPT.value}}


# --- the data ------------------------------------------------------------------------------

@pytest.mark.shared_data
def test_every_mapped_iri_is_an_stw_descriptor(stw_descriptors):
    assert len(stw_descriptors) == 5746  # SOURCE.md: 5,746 descriptors typed skos:Concept
    missing = [(c, k, iri) for c, k, iri in links() if iri not in stw_descriptors]
    assert missing == [], "not a (current) STW descriptor"


def test_the_file_maps_to_stw_only_with_every_kind_used():
    found = links()
    assert len(found) >= 30
    assert all(iri.startswith(STW + "descriptor/") for _c, _k, iri in found)
    assert {key for _c, key, _iri in found} == set(MATCH_KEYS)


def test_the_readme_gives_the_counts_of_the_file():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Mappings to STW"):readme.index("## How the code")]
    found = links()
    assert f"{len(found)} links for {len(mapped())} concepts" in section
    for kind in MATCH_KEYS:
        count = sum(1 for _c, key, _iri in found if key == kind)
        assert re.search(rf"\b{count}\s+`{kind}`", section), kind


def test_the_graph_has_the_mapping_triples(graph, vocabulary):
    base = "https://w3id.org/crmkg/id/"
    for concept_id, key, iri in links():
        assert (URIRef(base + concept_id), SKOS[key], URIRef(iri)) in graph
    stated = {(s, p, o) for key in MATCH_KEYS for s, p, o in graph.triples((None, SKOS[key], None))}
    assert len(stated) == len(links())
    assert vocabulary.concepts["big-data"].matches == {
        "exactMatch": [STW + "descriptor/30145-5"]}


def test_the_exports_carry_them(graph, vocabulary):
    turtle = exporter_for("turtle").render(graph, vocabulary).decode("utf-8")
    assert "skos:exactMatch <http://zbw.eu/stw/descriptor/30145-5>" in turtle
    text = exporter_for("csv").render(graph, vocabulary).decode("utf-8-sig")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows["big-data"]["mappings"] == f"exactMatch {STW}descriptor/30145-5"
    emailing = mapped()["emailing"]
    assert rows["emailing"]["mappings"] == " | ".join(
        f"{key} {iri}" for key in MATCH_KEYS for iri in emailing.get(key, []))
    assert rows["mql"]["mappings"] == ""


# --- the pages -----------------------------------------------------------------------------

def test_the_concept_page_shows_the_mappings(client):
    html = client.get("/concept/big-data?lang=en").get_data(as_text=True)
    section = html[html.index('<section class="mappings">'):]
    section = section[:section.index("</section>")]
    assert "<h2>Mappings</h2>" in section and "Exact match" in section
    assert f'href="{STW}descriptor/30145-5"' in section
    assert 'rel="external noopener noreferrer"' in section
    assert "STW Thesaurus for Economics" in section
    french = client.get("/concept/big-data?lang=fr").get_data(as_text=True)
    assert "<h2>Correspondances</h2>" in french and "Équivalent exact" in french
    assert "Autres propriétés" not in french  # the mappings are no "other property"


def test_the_json_twin_lists_the_mappings(client):
    data = client.get("/concept/crm.json?lang=en").get_json()
    expected = [(key, iri) for key, iris in mapped()["crm"].items() for iri in iris]
    order = [kind.key for kind in MATCH_KINDS]
    assert [(m["kind"], m["uri"]) for m in data["mappings"]] == sorted(
        expected, key=lambda pair: (order.index(pair[0]), pair[1]))
    first = data["mappings"][0]
    assert first["vocabulary"] == "STW Thesaurus for Economics"
    assert first["url"] == first["uri"] and first["label"] is None and first["page"] is None
    assert all(m["name"] == MATCH_BY_KEY[m["kind"]].name[1] for m in data["mappings"])
    assert not any(p["property"].startswith(str(SKOS)) for p in data["other_properties"])
    assert client.get("/concept/mql.json").get_json()["mappings"] == []


@pytest.mark.shared_data
def test_with_stw_served_beside_ours_the_page_gives_its_labels(stw_descriptors):
    from webapp import create_app

    app = create_app({"TESTING": True, "DATA_FILES": [str(STW_FILE)], "WITH_OWN_DATA": True})
    data = app.test_client().get("/concept/big-data.json?lang=en").get_json()
    (big_data,) = data["mappings"]
    assert big_data["label"] == "Big data"  # STW's label, read from the served data only
    assert big_data["page"] == f"/entity?uri={STW}descriptor/30145-5"


def test_only_web_iris_become_links():
    assert web_link("http://zbw.eu/stw/descriptor/1") and web_link("HTTPS://example.org/")
    for iri in ("javascript:alert(1)", "data:text/html,x", "urn:isbn:0", "http://[x"):
        assert not web_link(iri)
    assert vocabulary_name(STW + "descriptor/1") == "STW Thesaurus for Economics"
    assert vocabulary_name("http://www.wikidata.org/entity/Q42") == "www.wikidata.org"
    assert vocabulary_name("javascript:alert(1)") == ""


# --- mistakes in mappings.yaml ---------------------------------------------------------------

def _errors(data_copy):
    with pytest.raises(DataErrors) as caught:
        data_copy.load()
    return caught.value.errors


def _reported(errors, line, message, fix):
    matching = [e for e in errors if e.path.name == "mappings.yaml" and message in e.message]
    assert matching, f"no error about {message!r}: {[str(e) for e in errors]}"
    assert (matching[0].line, fix in matching[0].fix) == (line, True), str(matching[0])


def test_an_unknown_concept_id(data_copy):
    path = data_copy.root / "mappings.yaml"
    line = data_copy.replace(path, "\nbig-data:", "\nbig-date:") + 1
    _reported(_errors(data_copy), line, "'big-date' in mappings.yaml is not a known concept",
              "did you mean 'big-data'")


def test_a_value_that_is_not_an_iri(data_copy):
    path = data_copy.root / "mappings.yaml"
    for wrong in ("stw:30145-5", "descriptor/30145-5", "javascript:alert(1)"):
        text = path.read_text(encoding="utf-8")
        line = data_copy.replace(path, "http://zbw.eu/stw/descriptor/30145-5", wrong)
        _reported(_errors(data_copy), line, f"'{wrong}' in 'exactMatch' is not an absolute",
                  "http://zbw.eu/stw/descriptor/")
        path.write_text(text, encoding="utf-8")


def test_an_unknown_relation_suggests_the_right_one(data_copy):
    path = data_copy.root / "mappings.yaml"
    line = data_copy.replace(path, "  exactMatch: [http://zbw.eu/stw/descriptor/30145-5]",
                             "  exactMach: [http://zbw.eu/stw/descriptor/30145-5]")
    _reported(_errors(data_copy), line, "unknown key 'exactMach' in the mappings of 'big-data'",
              "did you mean 'exactMatch'")


def test_one_iri_under_two_relations_of_a_concept(data_copy):
    path = data_copy.root / "mappings.yaml"
    iri = "http://zbw.eu/stw/descriptor/30145-5"
    line = data_copy.replace(path, f"  exactMatch: [{iri}]",
                             f"  exactMatch: [{iri}]\n  relatedMatch: [{iri}]") + 1
    _reported(_errors(data_copy), line, f"{iri} is both exactMatch and relatedMatch of 'big-data'",
              "S46")


def test_one_iri_matched_exactly_by_two_concepts(data_copy):
    path = data_copy.root / "mappings.yaml"
    with path.open("a", encoding="utf-8") as file:
        file.write("mql:\n  exactMatch: [http://zbw.eu/stw/descriptor/30145-5]\n")
    line = path.read_text(encoding="utf-8").count("\n")
    _reported(_errors(data_copy), line, "is also the exactMatch of 'big-data'", "closeMatch")


def test_a_mapping_in_a_term_file_says_where_it_goes(data_copy):
    path = data_copy.term("mql")
    with path.open("a", encoding="utf-8") as file:
        file.write("exactMatch: [http://zbw.eu/stw/descriptor/30145-5]\n")
    errors = _errors(data_copy)
    assert any("unknown key 'exactMatch'" in e.message and "data/mappings.yaml" in e.fix
               for e in errors), [str(e) for e in errors]


def test_the_file_is_optional(data_copy):
    (data_copy.root / "mappings.yaml").unlink()
    vocabulary = data_copy.load()
    assert all(not concept.matches for concept in vocabulary.concepts.values())
    (data_copy.root / "mappings.yaml").write_text("# nothing yet\n", encoding="utf-8")
    assert all(not concept.matches for concept in data_copy.load().concepts.values())

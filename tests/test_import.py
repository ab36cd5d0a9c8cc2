"""`crmkg import`: any SKOS file → our YAML, losslessly for what the model holds.

The key test: our own export, imported and built again, is the same graph (and the
same Turtle, byte for byte). Then real vocabularies (STW, PhySH; YSA on request):
every triple the model can hold comes back, and the report lists exactly the
rest, by property.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from graph.cli import main
from graph.export import exporter_for
from graph.importer import (
    ImportFailure,
    compare,
    flow_list,
    import_vocabulary,
    read_rdf,
    scalar,
    text_lines,
)
from graph.vocabulary.build import build_graph
from graph.vocabulary.load import load_vocabulary
from graph.vocabulary.yamlfile import DataErrors
from tests.support.data import SHARED, needs_shared

DATASETS = SHARED / "datasets"
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")

# what the model holds of a concept (graph/vocabulary/model.py, with an import profile)
MODEL_PREDICATES = {
    SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, SKOS.definition, SKOS.scopeNote,
    SKOS.editorialNote, SKOS.example, SKOS.historyNote, SKOS.note, SKOS.changeNote,
    SKOS.notation, SKOS.broader, SKOS.narrower, SKOS.related, SKOS.inScheme,
    SKOS.topConceptOf, SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch,
    SKOS.relatedMatch,
}


def rebuild(folder: Path, settings) -> Graph:
    return build_graph(load_vocabulary(folder), settings)


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def plain(graph: Graph) -> set:
    """The triples with RDF 1.1's reading of literals: "x"^^xsd:string is "x"."""
    def norm(node):
        if isinstance(node, Literal) and node.datatype == XSD_STRING:
            return Literal(str(node))
        return node
    return {(s, p, norm(o)) for s, p, o in graph}


# --- our own vocabulary ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def own_import(tmp_path_factory, graph, vocabulary, settings):
    folder = tmp_path_factory.mktemp("own")
    turtle = exporter_for("turtle").render(graph, vocabulary)
    (folder / "crmkg.ttl").write_bytes(turtle)
    outcome = import_vocabulary(folder / "crmkg.ttl", folder / "out", settings=settings)
    return folder, turtle, outcome


def test_own_vocabulary_round_trip_is_isomorphic(own_import, settings, vocabulary):
    folder, turtle, outcome = own_import
    original = Graph().parse(data=turtle, format="turtle")
    rebuilt = rebuild(folder / "out", settings)
    assert isomorphic(original, rebuilt)
    assert outcome.dropped_total == 0 and not outcome.added and not outcome.lost
    assert outcome.held == outcome.triples == len(original)
    assert (outcome.concepts, outcome.collections, outcome.sources) == (
        len(vocabulary.concepts), len(vocabulary.collections), len(vocabulary.sources))


def test_own_vocabulary_round_trip_gives_the_same_turtle(own_import, settings, vocabulary):
    folder, turtle, _outcome = own_import
    imported = load_vocabulary(folder / "out")
    again = exporter_for("turtle").render(build_graph(imported, settings), imported)
    assert again == turtle


def test_own_vocabulary_yaml_reads_like_ours(own_import):
    folder, _turtle, _outcome = own_import
    out = folder / "out"
    mql = yaml.safe_load((out / "terms" / "mql.yaml").read_text(encoding="utf-8"))
    assert "uri" not in mql  # <base>id/mql: no need to say it
    assert mql["prefLabel"] == {"en": "marketing qualified lead", "fr": "lead qualifié marketing"}
    assert mql["broader"] == ["prospect"]
    assert mql["sources"] == ["datananas", "hubyup", "salesforce", "salesforce-blog"]
    text = (out / "terms" / "mql.yaml").read_text(encoding="utf-8")
    assert text.startswith("# marketing qualified lead / lead qualifié marketing\n")
    assert "definition:\n  en: >-\n    A lead that" in text  # long texts as folded blocks
    assert max(len(line) for line in text.splitlines()) <= 100
    dsp = yaml.safe_load((out / "terms" / "dsp.yaml").read_text(encoding="utf-8"))
    assert dsp["counterpart"] == ["ssp"] and "ssp" not in dsp.get("related", [])
    collections = yaml.safe_load((out / "collections.yaml").read_text(encoding="utf-8"))
    assert collections["funnel-stages"]["members"][:3] == ["suspect", "lead", "mql"]
    assert collections["funnel-stages"]["stages"] is True
    # a group comes back as a group (isothes:ConceptGroup), unordered without saying so
    assert collections["leads"]["group"] is True and "ordered" not in collections["leads"]
    sources = yaml.safe_load((out / "sources.yaml").read_text(encoding="utf-8"))
    assert sources["hubyup"]["date"].isoformat() == "2021-12-21"
    profile = yaml.safe_load((out / "vocabulary.yaml").read_text(encoding="utf-8"))
    assert profile["base"] == "https://w3id.org/crmkg/"
    assert profile["required"] == {"prefLabel": ["en", "fr"], "definition": ["en", "fr"]}
    assert all(profile["build"].values())


def test_import_is_deterministic(own_import, tmp_path, settings):
    folder, _turtle, _outcome = own_import
    import_vocabulary(folder / "crmkg.ttl", tmp_path / "again", settings=settings)
    assert tree(tmp_path / "again") == tree(folder / "out")


def test_an_edit_in_the_imported_yaml_reaches_the_graph(own_import, tmp_path, settings):
    folder, _turtle, _outcome = own_import
    out = tmp_path / "edited"
    import_vocabulary(folder / "crmkg.ttl", out, settings=settings)
    path = out / "terms" / "mql.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "en: marketing qualified lead", "en: marketing-qualified lead"), encoding="utf-8")
    graph = rebuild(out, settings)
    mql = URIRef("https://w3id.org/crmkg/id/mql")
    assert (mql, SKOS.prefLabel, Literal("marketing-qualified lead", lang="en")) in graph


def test_our_own_data_still_loads_with_our_rules(data_copy):
    """No vocabulary.yaml: the import-only keys are refused, fr and en still required."""
    path = data_copy.term("mql")
    data_copy.replace(path, "prefLabel:", "uri: https://example.org/mql\nprefLabel:")
    with pytest.raises(DataErrors, match="unknown key 'uri'"):
        data_copy.load()


# --- a small vocabulary with most of what SKOS allows ------------------------------------------

MINI = """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix ex: <http://example.org/voc/> .
@prefix other: <http://example.org/other/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .

ex:scheme a skos:ConceptScheme ;
    skos:prefLabel "Mini-Thesaurus"@de, "Mini thesaurus"@en ;
    dct:creator ex:team ;
    dct:license <https://creativecommons.org/publicdomain/zero/1.0/> ;
    skos:hasTopConcept ex:animals .
ex:team a <http://xmlns.com/foaf/0.1/Organization> ; <http://xmlns.com/foaf/0.1/name> "Team" .
ex:places a skos:ConceptScheme ; skos:prefLabel "Places"@en .

ex:animals a skos:Concept ; skos:inScheme ex:scheme ;
    skos:prefLabel "Tiere"@de, "animals"@en, "eläimet"@fi ;
    skos:notation "A"^^ex:code ;
    skos:narrower ex:cat .
ex:cat a skos:Concept, owl:Thing ; skos:inScheme ex:scheme ;
    skos:prefLabel "Katze"@de, "cat"@en, "chat"@fr, "kitty"@en ;
    skos:altLabel "Hauskatze"@de, "cat"@en, "yes"@en, "- dash"@en, "a: colon"@en, "no"@en ;
    skos:hiddenLabel "Hauskatze"@de ;
    skos:definition \"\"\"A small domesticated carnivorous mammal with soft fur, a short \
snout and retractable claws, widely kept as a pet or for catching mice; long enough to be \
folded.\"\"\"@en ;
    skos:scopeNote "first  note with  double spaces"@en, "second note\\nwith a line break"@en ;
    skos:example "# not a comment"@en, " leading space"@en ;
    skos:note "untagged note", "tab\\there"@no ;
    skos:notation "C1"^^ex:code, "c-1" ;
    skos:exactMatch <http://www.wikidata.org/entity/Q146> ;
    skos:closeMatch other:felis ;
    skos:related ex:dog, "a literal"@en, ex:cat ;
    dct:source ex:book, <http://example.org/undescribed> ;
    dct:modified "2020-01-01"^^xsd:date ;
    ex:custom "something" .
ex:dog a skos:Concept ; skos:inScheme ex:scheme, ex:places ;
    skos:prefLabel "dog"@en ; skos:broader ex:animals ; skos:related ex:cat .
other:dog a skos:Concept ; skos:prefLabel "other dog"@en ; skos:topConceptOf ex:places .
ex:book a dct:BibliographicResource ; dct:title "A book about cats"@en ;
    dct:publisher "Cat Press" ; dct:language "en" ; dct:issued "2001-02-03"^^xsd:date ;
    dct:extent "12 entries" ; dct:creator "Someone" .
ex:pets a skos:OrderedCollection ; skos:prefLabel "pets"@en ; skos:memberList ( ex:cat ex:dog ) .
ex:group a skos:Collection ; skos:prefLabel "group"@en ; skos:member ex:cat, other:dog, ex:pets .
ex:deprecated a ex:OldConcept ; skos:prefLabel "old"@en ; owl:deprecated true .
"""

EX = "http://example.org/voc/"


@pytest.fixture(scope="module")
def mini(tmp_path_factory, settings):
    folder = tmp_path_factory.mktemp("mini")
    (folder / "mini.ttl").write_text(MINI, encoding="utf-8")
    outcome = import_vocabulary(folder / "mini.ttl", folder / "out", settings=settings)
    return folder, outcome


def test_mini_held_triples_come_back_and_the_rest_is_reported(mini, settings):
    folder, outcome = mini
    original = Graph().parse(data=MINI, format="turtle")
    rebuilt = rebuild(folder / "out", settings)
    assert not outcome.lost
    # every triple is either rebuilt or reported as dropped, by predicate, exactly
    missing = Counter(outcome_curie(p) for s, p, o in plain(original) - set(rebuilt)
                      if not isinstance(s, BNode) and not isinstance(o, BNode))
    assert missing == outcome.dropped_by_predicate()
    assert outcome.dropped_by_predicate() == {
        "rdf:type": 2, "skos:prefLabel": 2, "dct:creator": 1, "dct:modified": 1,
        "dct:source": 1, "ex:custom": 1, "owl:deprecated": 1, "skos:altLabel": 1,
        "skos:hiddenLabel": 1, "skos:member": 1, "skos:related": 2}
    reasons = {why for why, _p in outcome.dropped}
    assert "a second skos:prefLabel in one language (SKOS S14)" in reasons
    assert "a link from a concept to itself" in reasons
    # the inverses the file left out are added by the build, and said so; and ex:pets,
    # an ordered collection, is stated a skos:Collection too
    assert outcome.added == {"skos:broader": 1, "skos:narrower": 1, "skos:topConceptOf": 1,
                             "skos:hasTopConcept": 1, "rdf:type": 1}
    report = outcome.report_path.read_text(encoding="utf-8")
    assert "| `ex:custom` | 1 | a property of concepts that the model does not hold |" in report
    assert "| ex:OldConcept | 1 | 3 |" in report


def outcome_curie(predicate: URIRef) -> str:
    for prefix, namespace in (("skos", str(SKOS)), ("rdf", str(RDF)),
                              ("dct", "http://purl.org/dc/terms/"),
                              ("owl", "http://www.w3.org/2002/07/owl#"), ("ex", EX)):
        if str(predicate).startswith(namespace):
            return f"{prefix}:{str(predicate)[len(namespace):]}"
    return f"<{predicate}>"


def test_mini_texts_survive_exactly(mini, settings):
    folder, _outcome = mini
    graph = rebuild(folder / "out", settings)
    cat = URIRef(EX + "cat")
    for literal in (Literal("first  note with  double spaces", lang="en"),
                    Literal("second note\nwith a line break", lang="en")):
        assert (cat, SKOS.scopeNote, literal) in graph
    assert (cat, SKOS.example, Literal(" leading space", lang="en")) in graph
    assert (cat, SKOS.note, Literal("untagged note")) in graph
    assert (cat, SKOS.note, Literal("tab\there", lang="no")) in graph
    for label in ("yes", "no", "- dash", "a: colon"):
        assert (cat, SKOS.altLabel, Literal(label, lang="en")) in graph
    assert (cat, SKOS.notation, Literal("C1", datatype=URIRef(EX + "code"))) in graph
    assert (cat, SKOS.notation, Literal("c-1")) in graph
    assert (cat, SKOS.exactMatch, URIRef("http://www.wikidata.org/entity/Q146")) in graph


def test_mini_yaml(mini):
    folder, outcome = mini
    out = folder / "out"
    cat = yaml.safe_load((out / "terms" / "cat.yaml").read_text(encoding="utf-8"))
    assert cat["uri"] == EX + "cat"
    assert cat["prefLabel"] == {"en": "cat", "de": "Katze", "fr": "chat"}
    assert cat["scopeNote"]["en"] == ["first  note with  double spaces",
                                      "second note\nwith a line break"]
    assert cat["note"] == {"@none": "untagged note", "no": "tab\there"}
    assert cat["related"] == ["dog-4dd30b"]  # ex:dog and other:dog: the later URI is hashed
    assert (EX + "dog", "dog-4dd30b") in outcome.renamed
    assert yaml.safe_load((out / "terms" / "dog.yaml").read_text())["uri"] == \
        "http://example.org/other/dog"
    dog = yaml.safe_load((out / "terms" / "dog-4dd30b.yaml").read_text(encoding="utf-8"))
    assert dog["inScheme"] == ["places", "scheme"]  # not the default [scheme]
    animals = yaml.safe_load((out / "terms" / "animals.yaml").read_text(encoding="utf-8"))
    assert animals["topConcept"] is True and animals["notation"] == ["A"]
    collections = yaml.safe_load((out / "collections.yaml").read_text(encoding="utf-8"))
    assert collections["pets"]["members"] == ["cat", "dog-4dd30b"]
    assert collections["group"]["ordered"] is False
    sources = yaml.safe_load((out / "sources.yaml").read_text(encoding="utf-8"))
    assert sources["book"]["title"] == "A book about cats" and sources["book"]["terms"] == 12
    profile = yaml.safe_load((out / "vocabulary.yaml").read_text(encoding="utf-8"))
    assert profile["mainScheme"] == "scheme"
    assert profile["schemes"] == {"places": EX + "places", "scheme": EX + "scheme"}
    assert profile["build"]["orderedMembers"] is False  # pets states no skos:member
    scheme = Graph().parse(out / "scheme.ttl")
    assert (URIRef(EX + "team"), URIRef("http://xmlns.com/foaf/0.1/name"),
            Literal("Team")) in scheme


@pytest.mark.parametrize("name, fmt", [("mini.nt", "nt"), ("mini.rdf", "xml"),
                                       ("mini.jsonld", "json-ld"), ("mini.ttl.gz", "turtle")])
def test_other_formats_read_the_same(tmp_path, name, fmt):
    graph = Graph().parse(data=MINI, format="turtle")
    data = graph.serialize(format=fmt, encoding="utf-8")
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    assert isomorphic(read_rdf(path).graph, Graph().parse(data=MINI, format="turtle")) or \
        plain(read_rdf(path).graph) == plain(graph)


# --- refusals and the command ------------------------------------------------------------------

def test_urls_and_remote_contexts_are_refused(tmp_path, settings):
    with pytest.raises(ImportFailure, match="never downloads"):
        import_vocabulary("https://example.org/vocab.ttl", tmp_path / "a", settings=settings)
    remote = tmp_path / "remote.jsonld"
    remote.write_text(json.dumps({"@context": "https://schema.org/", "@id": "http://x/a",
                                  "name": "x"}))
    with pytest.raises(ImportFailure, match="remote @context"):
        import_vocabulary(remote, tmp_path / "b", settings=settings)
    entity = tmp_path / "entity.rdf"
    entity.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>')
    with pytest.raises(ImportFailure, match="external XML entity"):
        import_vocabulary(entity, tmp_path / "c", settings=settings)
    unknown = tmp_path / "vocab.txt"
    unknown.write_text("x")
    with pytest.raises(ImportFailure, match="cannot tell its RDF format"):
        import_vocabulary(unknown, tmp_path / "d", settings=settings)


def test_command_refuses_a_non_empty_folder_without_force(tmp_path):
    (tmp_path / "mini.ttl").write_text(MINI, encoding="utf-8")
    target = tmp_path / "out"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    runner = CliRunner()
    result = runner.invoke(main, ["import", str(tmp_path / "mini.ttl"), "--to", str(target)])
    assert result.exit_code == 1
    assert "is not empty" in result.output and "--force" in result.output
    assert not (target / "terms").exists()

    result = runner.invoke(main, ["import", str(tmp_path / "mini.ttl"), "--to", str(target),
                                  "--force"])
    assert result.exit_code == 0, result.output
    assert "read mini.ttl: " in result.output
    assert "4 concepts, 2 collections, 1 sources, 2 scheme(s)" in result.output
    assert f"report: {target / 'import-report.md'}" in result.output
    assert (target / "notes.txt").read_text() == "mine"  # not ours: left alone

    # a previous import's concept that the file no longer has does not linger
    (target / "terms" / "stale.yaml").write_text("prefLabel: {en: stale}\n")
    result = runner.invoke(main, ["import", str(tmp_path / "mini.ttl"), "--to", str(target),
                                  "--force", "--base-uri", EX])
    assert result.exit_code == 0, result.output
    assert not (target / "terms" / "stale.yaml").exists()
    profile = yaml.safe_load((target / "vocabulary.yaml").read_text(encoding="utf-8"))
    assert profile["base"] == EX
    # and the folder works as --data-dir
    result = runner.invoke(main, ["--data-dir", str(target), "export", "--format", "ntriples"])
    assert result.exit_code == 0 and "<http://example.org/voc/cat>" in result.output


def test_a_mistake_in_imported_yaml_is_reported_with_its_line(mini, tmp_path, settings):
    folder, _outcome = mini
    out = tmp_path / "broken"
    import_vocabulary(folder / "mini.ttl", out, settings=settings)
    path = out / "terms" / "dog-4dd30b.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("inScheme: [places, scheme]",
                                                             "inScheme: [place, scheme]"))
    with pytest.raises(DataErrors) as info:
        load_vocabulary(out)
    assert "'place' in 'inScheme' is not a known scheme" in str(info.value)
    assert "dog-4dd30b.yaml:" in str(info.value)


@pytest.mark.parametrize("content", ["", "just a text\n", "- a\n- list\n"])
def test_an_imported_term_file_that_is_no_mapping_is_reported(mini, tmp_path, settings,
                                                              content):
    """It crashed the loader (an IndexError): imported vocabularies require no key."""
    folder, _outcome = mini
    out = tmp_path / "broken"
    import_vocabulary(folder / "mini.ttl", out, settings=settings)
    (out / "terms" / "dog-4dd30b.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(DataErrors) as info:
        load_vocabulary(out)
    assert "dog-4dd30b.yaml" in str(info.value)


@pytest.mark.parametrize("text", ["plain", "yes", "No", "null", "~", "123", "1.5", "2021-01-01",
                                  "- a", "a: b", "a #b", "[x]", "{x}", "a, b", "a?", "'q'",
                                  '"q"', "@x", "&a", "*a", "!a", "%a", "|a", ">a", "`a",
                                  "tab\there", "line\nbreak", " lead", "trail ", "a  b",
                                  "é\u2028x", "\x85", "\x7f", "\ufeffbom", "😀",
                                  "http://example.org/a?b=c", "http://example.org/a#b",
                                  "https://doi.org/10.29172/0213a5a0", "urn:x:y:", "x" * 300,
                                  "word " * 60 + "end"])
def test_yaml_scalars_read_back_exactly(text):
    for lines in (text_lines("k:", text, 2), flow_list("k:", [text, "z"])):
        value = yaml.safe_load("\n".join(lines) + "\n")["k"]
        assert (value[0] if isinstance(value, list) else value) == text, lines
    assert yaml.safe_load(f"k: {scalar(text)}")["k"] == text


def test_comparison_of_ordered_lists_uses_isomorphism():
    a, b = Graph(), Graph()
    for graph, head in ((a, BNode("x")), (b, BNode("y"))):
        graph.add((URIRef("http://e/c"), SKOS.memberList, head))
        graph.add((head, RDF.first, URIRef("http://e/1")))
        graph.add((head, RDF.rest, RDF.nil))
    diff = compare(a, b, set())
    assert not diff.lost and not diff.added and not diff.lost_blank and not diff.added_blank


# --- real vocabularies -------------------------------------------------------------------------

def check_real_vocabulary(path: Path, outcome, settings) -> tuple[Graph, Graph]:
    """What any import must show: no triple held by the model is lost; what the report
    says was dropped (and added) is exactly the difference of the two graphs; the
    concepts keep every statement that the model holds."""
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    original = Graph().parse(data=data, format="nt" if ".nt" in path.name else "turtle")
    rebuilt = rebuild(outcome.target, settings)
    assert not outcome.lost
    before, after = plain(original), set(rebuilt)
    prefixes = {p: str(n) for p, n in original.namespaces()}
    prefixes.update({"dct": "http://purl.org/dc/terms/", "rdf": str(RDF), "skos": str(SKOS)})

    def curie(node) -> str:
        best = max((p for p, n in prefixes.items() if p and str(node).startswith(n)
                    and str(node)[len(n):].replace("-", "").replace("_", "").isalnum()),
                   key=lambda p: len(prefixes[p]), default=None)
        return f"{best}:{str(node)[len(prefixes[best]):]}" if best else f"<{node}>"

    dropped = Counter(curie(p) for _s, p, _o in before - after)
    added = Counter(curie(p) for _s, p, _o in after - before)
    assert sum(dropped.values()) == outcome.dropped_total
    assert sorted(dropped.values()) == sorted(outcome.dropped_by_predicate().values())
    assert sum(added.values()) == sum(outcome.added.values())
    # the concepts: every statement of the model's predicates comes back (in both directions)
    concepts = set(original.subjects(RDF.type, SKOS.Concept))
    held = {t for t in before if t[0] in concepts and t[1] in MODEL_PREDICATES}
    back = {t for t in after if t[0] in concepts and t[1] in MODEL_PREDICATES}
    assert held - back == set()
    assert {t for t in back - held} == {t for t in after - before
                                        if t[0] in concepts and t[1] in MODEL_PREDICATES}
    assert outcome.concepts == len(concepts)
    return original, rebuilt


@needs_shared
def test_stw_import(tmp_path, settings):
    path = DATASETS / "stw" / "stw-skos.ttl"
    outcome = import_vocabulary(path, tmp_path / "stw", settings=settings)
    check_real_vocabulary(path, outcome, settings)
    assert outcome.triples == 109_659 and outcome.concepts == 6_244
    assert not outcome.added  # STW states every inverse itself
    by_predicate = outcome.dropped_by_predicate()
    assert by_predicate["gbv:gvkppn"] == 5_746
    assert by_predicate["owl:deprecated"] == 1_151
    assert by_predicate["zbwext:useInsteadNote"] == 264
    assert by_predicate["dct:isReplacedBy"] == 1_020
    assert "skos:broader" not in by_predicate and "skos:altLabel" not in by_predicate
    report = outcome.report_path.read_text(encoding="utf-8")
    assert "| `gbv:gvkppn` | 5,746 | a property of concepts that the model does not hold |" \
        in report
    assert "| zbwext:Descriptor | 1,056 | 8,412 |" in report  # the deprecated descriptors
    supply = yaml.safe_load((tmp_path / "stw" / "terms" / "10000-1.yaml").read_text())
    assert supply["uri"] == "http://zbw.eu/stw/descriptor/10000-1"
    assert supply["prefLabel"] == {"de": "Angebot", "en": "Supply"}
    top = yaml.safe_load((tmp_path / "stw" / "terms" / "a.yaml").read_text())
    assert top["topConcept"] is True and top["notation"] == ["A"]
    assert top["prefLabel"]["en"] == "A  General descriptors"  # two spaces, as in the file


@needs_shared
def test_physh_import_from_gzipped_ntriples(tmp_path, settings):
    path = DATASETS / "physh" / "physh.nt.gz"
    outcome = import_vocabulary(path, tmp_path / "physh", settings=settings)
    check_real_vocabulary(path, outcome, settings)
    assert outcome.triples == 23_590 and outcome.concepts == 3_847 and outcome.schemes == 19
    # one skos:related is stated one way only; the build states both
    assert outcome.added == {"skos:related": 1}
    core = "https://physh.org/rdf/2018/01/01/core#"
    assert outcome.dropped_by_predicate()[f"<{core}prefLabel>"] == 3_847


@needs_shared
def test_ysa_import(tmp_path, settings):
    path = DATASETS / "ysa" / "ysa-skos.ttl.gz"
    outcome = import_vocabulary(path, tmp_path / "ysa", settings=settings)
    assert not outcome.lost and not outcome.added
    assert outcome.concepts == 34_974 and outcome.collections == 61
    by_predicate = outcome.dropped_by_predicate()
    assert by_predicate["dct:modified"] == 34_976 and by_predicate["dct:created"] == 34_974
    assert "skos:exactMatch" not in by_predicate  # mappings are held

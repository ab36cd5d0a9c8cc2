"""crmkg validate: our data is clean, and every check catches what it names."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection as RDFList

from graph.config import PROJECT_ROOT
from graph.namespaces import DCTERMS, RDF, SKOS
from graph.vocabulary.checks import CHECKS
from graph.vocabulary.validate import validate_graph
from tests.support.data import SHARED, needs_shared

C = "https://w3id.org/crmkg/id/"
SHAPES = PROJECT_ROOT / "ontology" / "shapes.ttl"


def concept(name: str) -> URIRef:
    return URIRef(C + name)


def test_our_data_has_no_error_and_no_warning(graph):
    report = validate_graph(graph, SHAPES)
    assert report.findings == []


def test_cli_validate_exits_0_on_our_data():
    result = subprocess.run([sys.executable, "-m", "graph", "validate", "--strict"],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s), 0 warning(s)" in result.stdout


def _cycle(g: Graph) -> None:
    g.add((concept("data-management"), SKOS.broader, concept("crm-onboarding")))


def _label_conflict(g: Graph) -> None:
    g.add((concept("mql"), SKOS.altLabel, Literal("lead qualifié marketing", lang="fr")))


def _two_preflabels(g: Graph) -> None:
    g.add((concept("mql"), SKOS.prefLabel, Literal("MQL", lang="fr")))


def _related_to_ancestor(g: Graph) -> None:
    g.add((concept("crm-onboarding"), SKOS.related, concept("data-management")))
    g.add((concept("data-management"), SKOS.related, concept("crm-onboarding")))


def _scheme_is_concept(g: Graph) -> None:
    g.add((URIRef("https://w3id.org/crmkg/scheme"), RDF.type, SKOS.Concept))


def _collection_is_concept(g: Graph) -> None:
    g.add((URIRef("https://w3id.org/crmkg/collection/nps-scale"), RDF.type, SKOS.Concept))


def _exactmatch_conflict(g: Graph) -> None:
    other = URIRef("http://example.org/crm")
    g.add((concept("crm"), SKOS.exactMatch, other))
    g.add((concept("crm"), SKOS.broadMatch, other))


def _two_memberlists(g: Graph) -> None:
    extra = BNode()
    RDFList(g, extra, [concept("lead")])
    g.add((URIRef("https://w3id.org/crmkg/collection/nps-scale"), SKOS.memberList, extra))


def _orphan(g: Graph) -> None:
    lonely = concept("lonely")
    g.add((lonely, RDF.type, SKOS.Concept))
    g.add((lonely, SKOS.prefLabel, Literal("seul", lang="fr")))


def _missing_english_definition(g: Graph) -> None:
    for literal in list(g.objects(concept("nps"), SKOS.definition)):
        if literal.language == "en":
            g.remove((concept("nps"), SKOS.definition, literal))


def _overlapping(g: Graph) -> None:
    g.add((concept("sql"), SKOS.altLabel, Literal("MQL", lang="en")))


def _redundant(g: Graph) -> None:
    g.add((concept("crm-onboarding"), SKOS.broader, concept("data-management")))
    g.add((concept("data-management"), SKOS.narrower, concept("crm-onboarding")))


def _no_source(g: Graph) -> None:
    g.remove((concept("upsell"), DCTERMS.source, None))


def _one_way(g: Graph) -> None:
    g.remove((concept("ssp"), SKOS.related, concept("dsp")))


def _top_with_broader(g: Graph) -> None:
    g.add((concept("kpi"), SKOS.broader, concept("big-data")))
    g.add((concept("big-data"), SKOS.narrower, concept("kpi")))


def _order_reversed(g: Graph) -> None:
    """The lead's definition says it comes after the MQL: the funnel says before."""
    for literal in list(g.objects(concept("lead"), SKOS.definition)):
        if literal.language == "en":
            g.remove((concept("lead"), SKOS.definition, literal))
            g.add((concept("lead"), SKOS.definition, Literal(
                str(literal).replace("before the marketing qualified lead",
                                     "after the marketing qualified lead"), lang="en")))


def _island(g: Graph) -> None:
    for name in ("island-a", "island-b"):
        g.add((concept(name), RDF.type, SKOS.Concept))
    g.add((concept("island-a"), SKOS.related, concept("island-b")))
    g.add((concept("island-b"), SKOS.related, concept("island-a")))


def _no_in_scheme(g: Graph) -> None:
    g.remove((concept("upsell"), SKOS.inScheme, None))


BREAKAGES = {
    "S9-scheme-is-concept": _scheme_is_concept,
    "S13-label-conflict": _label_conflict,
    "S14-multiple-preflabels": _two_preflabels,
    "S27-related-and-broader": _related_to_ancestor,
    "S35-memberlist-functional": _two_memberlists,
    "S36-memberlist-members": _two_memberlists,
    "S37-collection-disjoint": _collection_is_concept,
    "S46-exactmatch-conflict": _exactmatch_conflict,
    "cyclic-hierarchy": _cycle,
    "orphan-concept": _orphan,
    "missing-in-scheme": _no_in_scheme,
    "missing-label-language": _orphan,
    "missing-definition-language": _missing_english_definition,
    "overlapping-labels": _overlapping,
    "hierarchical-redundancy": _redundant,
    "disconnected-parts": _island,
    "missing-source": _no_source,
    "top-concept-has-broader": _top_with_broader,
    "omitted-inverse": _one_way,
    "order-contradiction": _order_reversed,
}


def test_every_check_has_a_breakage_test():
    assert {c.id for c in CHECKS} == set(BREAKAGES)


@pytest.mark.parametrize("check_id", sorted(BREAKAGES))
def test_check_catches_its_problem(graph, check_id):
    broken = Graph()
    for triple in graph:
        broken.add(triple)
    BREAKAGES[check_id](broken)
    report = validate_graph(broken)
    assert check_id in {f.check for f in report.findings}, report.findings
    severity = next(c.severity for c in CHECKS if c.id == check_id)
    assert report.ok() == (severity != "error")


def test_shacl_profile_catches_a_concept_without_source_or_english(graph):
    broken = Graph()
    for triple in graph:
        broken.add(triple)
    for literal in list(broken.objects(concept("cpm"), SKOS.prefLabel)):
        if literal.language == "en":
            broken.remove((concept("cpm"), SKOS.prefLabel, literal))
    broken.remove((concept("cpm"), DCTERMS.source, None))
    report = validate_graph(broken, SHAPES)
    shacl = [f for f in report.findings if f.check.startswith("shacl-")]
    assert any("prefLabel" in f.message for f in shacl)
    assert any("dct:source" in f.message for f in shacl)
    assert not report.ok()


def test_cli_validate_exits_1_on_a_broken_copy(data_copy):
    data_copy.replace(data_copy.term("lead-froid"), "related: [", "related: [lead, ")
    result = subprocess.run([sys.executable, "-m", "graph", "--data-dir", str(data_copy.root),
                             "validate"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 1
    assert "S27-related-and-broader" in result.stdout


SHACL = SHARED / "conformance/shacl"
#: the SKOS classes and properties (OrderedCollection ⊑ Collection, …), for RDFS inference
SKOS_DEFINITIONS = SHACL / "skohub-skos/skosClassAndPropertyDefinitions.ttl"


def _violations(graph: Graph, shapes: Graph, inference: str) -> list[tuple[str, str, str]]:
    """(focus node, shape component, path) of each violation, with the SKOS definitions.

    Only about what our graph describes: under RDFS inference the target of a mapping
    (``skos:exactMatch <http://zbw.eu/stw/…>``) is a skos:Concept too (the range of
    skos:semanticRelation), one that its own vocabulary describes, not ours."""
    from rdflib import Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    _, report, _ = shacl_validate(graph, shacl_graph=shapes,
                                  ont_graph=Graph().parse(SKOS_DEFINITIONS),
                                  inference=inference, advanced=True)
    described = set(graph.subjects())
    return sorted((str(report.value(r, sh.focusNode)),
                   str(report.value(r, sh.sourceConstraintComponent)).split("#")[-1],
                   str(report.value(r, sh.resultPath)))
                  for r in report.subjects(RDF.type, sh.ValidationResult)
                  if report.value(r, sh.resultSeverity) == sh.Violation
                  and report.value(r, sh.focusNode) in described)


def test_collections_are_collections_in_the_scheme(graph):
    """Typed skos:Collection as well (validators target it without inference), and in the
    scheme (VocPub 2.2.3)."""
    scheme = URIRef("https://w3id.org/crmkg/scheme")
    ordered = set(graph.subjects(RDF.type, SKOS.OrderedCollection))
    assert len(ordered) >= 5
    for collection in ordered:
        assert (collection, RDF.type, SKOS.Collection) in graph
        assert (collection, SKOS.inScheme, scheme) in graph


@needs_shared
def test_export_conforms_to_the_vocpub_multilang_profile(graph):
    shapes = Graph().parse(SHACL / "vocpub/validator.multilang.ttl")
    assert _violations(graph, shapes, "rdfs") == []


@needs_shared
def test_export_meets_vocpub_56_but_its_one_title_rule(graph):
    """VocPub 5.6 allows one skos:prefLabel in all (a monolingual profile; its multilang
    variant, above, is the one for us): that rule aside, no violation."""
    shapes = Graph().parse(SHACL / "vocpub/validator.ttl")
    found = _violations(graph, shapes, "rdfs")
    single_title = [v for v in found
                    if v[1:] == ("MaxCountConstraintComponent", str(SKOS.prefLabel))]
    assert found == single_title
    titled = set(graph.subjects(RDF.type, SKOS.Concept)) | set(
        graph.subjects(RDF.type, SKOS.Collection)) | set(
        graph.subjects(RDF.type, SKOS.ConceptScheme))
    assert {URIRef(v[0]) for v in single_title} == titled  # one each: two languages


#: skohub's shape for S37 targets the subjects of skos:inScheme, which are concepts and
#: collections, not schemes: it reads every collection in a scheme as a scheme that is a
#: collection. Our copy of it targets the schemes, as S37 says ("skos:ConceptScheme is
#: disjoint with skos:Collection").
S37_AS_WRITTEN = URIRef("http://skohub.io/skohub-shaclDisjointConceptSchemeAndCollection")
S37_AS_MEANT = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<urn:crmkg:S37> a sh:NodeShape ; sh:targetClass skos:ConceptScheme ;
  sh:sparql [ sh:prefixes skos: ; sh:message "S37: a concept scheme is not a collection." ;
              sh:select "SELECT $this WHERE { $this a skos:Collection }" ] .
"""


@pytest.mark.slow  # OWL RL inference over the whole vocabulary
@needs_shared
def test_export_meets_the_skos_integrity_shapes(graph):
    shapes = Graph().parse(SHACL / "skohub-skos/skos.shacl.ttl")
    assert (S37_AS_WRITTEN, None, None) in shapes
    shapes.remove((S37_AS_WRITTEN, None, None))
    shapes.parse(data=S37_AS_MEANT, format="turtle")
    assert _violations(graph, shapes, "owlrl") == []


@needs_shared
def test_the_corrected_s37_still_catches_a_scheme_that_is_a_collection(graph):
    broken = Graph()
    for triple in graph:
        broken.add(triple)
    broken.add((URIRef("https://w3id.org/crmkg/scheme"), RDF.type, SKOS.Collection))
    shapes = Graph().parse(data=S37_AS_MEANT, format="turtle")
    assert [v[0] for v in _violations(broken, shapes, "none")] == [
        "https://w3id.org/crmkg/scheme"]

"""crmkg stats and crmkg path, computed with networkx on the real graph."""

from __future__ import annotations

import json
import subprocess
import sys

from graph.config import PROJECT_ROOT
from graph.namespaces import RDF, SKOS
from graph.query.search import LabelIndex
from graph.relations import RELATIONS
from graph.vocabulary.analyse import concept_graph, shortest_path, statistics


def test_statistics_agree_with_the_graph(graph, vocabulary):
    figures = statistics(graph)
    assert figures["concepts"] == len(set(graph.subjects(RDF.type, SKOS.Concept)))
    assert figures["top_concepts"] == len(vocabulary.top_concepts())
    assert figures["labels"]["prefLabel"] == {"en": figures["concepts"],
                                              "fr": figures["concepts"]}
    alt_fr = sum(len(c.alt_label.get("fr", [])) for c in vocabulary.concepts.values())
    assert figures["labels"]["altLabel"]["fr"] == alt_fr
    assert figures["relations"]["broader"] == sum(len(c.broader)
                                                  for c in vocabulary.concepts.values())
    # a concept in two groups counts in both
    assert figures["concepts_per_group"] == {
        group.pref_label["fr"]: len(group.members) for group in vocabulary.groups()}
    assert figures["components"] == 1
    assert set(figures["collections"].values()) == {len(c.members)
                                                    for c in vocabulary.collections.values()}
    # with groups, top concepts are terms like any other: they may be the most central
    assert figures["most_central"]


def test_path_follows_real_triples(graph):
    index = LabelIndex(graph)
    dsp, crm = index.resolve("DSP"), index.resolve("CRM")
    steps = shortest_path(graph, dsp, crm)
    assert steps and steps[0].source == dsp and steps[-1].target == crm
    inverse = {"narrower": SKOS.broader, "follows": RELATIONS["precedes"].iri}
    for step in steps:
        if step.relation in RELATIONS:
            assert (step.source, RELATIONS[step.relation].iri, step.target) in graph
        else:
            assert (step.target, inverse.get(step.relation, SKOS.related), step.source) in graph


def test_path_prefers_typed_links(graph):
    index = LabelIndex(graph)
    steps = shortest_path(graph, index.resolve("mql"), index.resolve("sql"))
    assert [s.relation for s in steps] == ["precedes"]


def test_concept_graph_names_typed_relations_instead_of_related(graph):
    network = concept_graph(graph)
    index = LabelIndex(graph)
    dsp, ssp = index.resolve("dsp"), index.resolve("ssp")
    keys = set(network.get_edge_data(dsp, ssp, default={})) | set(
        network.get_edge_data(ssp, dsp, default={}))
    assert keys == {"counterpart"}


def test_cli_stats_and_path():
    stats = subprocess.run([sys.executable, "-m", "graph", "stats", "--json"], cwd=PROJECT_ROOT,
                           capture_output=True, text=True, check=True)
    assert json.loads(stats.stdout)["concepts"] > 100
    path = subprocess.run([sys.executable, "-m", "graph", "path", "DSP", "CRM", "--lang", "en"],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    lines = path.stdout.strip().splitlines()
    assert lines[0] == "demand-side platform"
    assert lines[-1].endswith("customer relationship management")
    unknown = subprocess.run([sys.executable, "-m", "graph", "path", "zzzz", "CRM"],
                             cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert unknown.returncode == 2 and "no single concept" in unknown.stderr

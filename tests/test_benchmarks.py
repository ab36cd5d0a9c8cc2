"""Smoke test of benchmarks/compare.py: its functions run end to end on our own small
vocabulary, with a couple of requests per case and no peer. Behaviour, not speed."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_compare():
    spec = importlib.util.spec_from_file_location("bench_compare",
                                                  ROOT / "benchmarks" / "compare.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_compare"] = module
    spec.loader.exec_module(module)
    return module


def test_compare_produces_a_table_with_every_case(tmp_path, monkeypatch):
    compare = load_compare()
    options = compare.Options(requests=2, duration=0.1, throughput_requests=5,
                              peer_python=None, store=False)
    results = compare.run_dataset(compare.datasets()["own"], options, log=lambda _m: None)
    table = compare.render(results)
    names = [case.name for case in results["cases"]]
    assert len(names) == 10
    for kind in ("empty", "sparql", "page"):
        assert any(case.kind == kind for case in results["cases"])
    for name in names:
        row = next(line for line in table.splitlines() if line.startswith(f"| {name} |"))
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert cells[2] not in ("—", ""), row  # our median
        assert " · " in cells[7]  # our throughput with 1 and 4 clients
        assert cells[4] == "—"  # no peer in this run
    for case in results["cases"]:
        assert len(results["latency"][("crmkg", case.name)].times) == 2
        assert results["throughput"][("crmkg", case.name, 4)] > 0
        if case.kind == "sparql":
            assert results["latency"][("engine", case.name)].median is not None
    assert results["startup"][("crmkg", "in memory")]["rss"] > 0
    assert "concept page under 20 ms median" in table
    # the section replaces only its own markers in RESULTS.md
    monkeypatch.setattr(compare, "RESULTS", tmp_path / "RESULTS.md")
    (tmp_path / "RESULTS.md").write_text("# Benchmark results\n\n<!-- http_latency:start -->\n"
                                         "kept\n<!-- http_latency:end -->\n", encoding="utf-8")
    section = compare.section("python benchmarks/compare.py --dataset own", options, [table],
                              1.0)
    compare.write_results(section)
    compare.write_results(section)
    text = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    assert "kept" in text and text.count(compare.START) == 1 and "--dataset own" in text


def test_external_stores_benchmark_runs_on_every_store(tmp_path):
    """benchmarks/external_stores.py end to end on our vocabulary: push, serve, measure."""
    import argparse

    spec = importlib.util.spec_from_file_location("bench_external",
                                                  ROOT / "benchmarks" / "external_stores.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_external"] = module
    spec.loader.exec_module(module)
    options = argparse.Namespace(stores=module.STORES, requests=2, duration=0.1)
    results = module.run_dataset(module.compare.datasets()["own"], options, log=lambda _m: None)
    table = module.render(results, module.STORES)
    measured = [s for s in module.STORES if s not in results["skipped"]]
    assert "embedded" in measured
    for store in measured:
        assert results["startup"][store]["first concept page"] > 0
        page = results["latency"][(store, "page: concept")]
        assert not isinstance(page, str) and len(page.times) == 2, page
    for store in set(measured) - {"embedded"}:
        assert results["push"][store] > 0
        straight = results["latency"][(store + " itself", "SPARQL: concept by URI, all properties")]
        assert not isinstance(straight, str) and straight.median > 0
    for case in results["cases"]:
        assert f"| {case.name} |" in table

#!/usr/bin/env python3
"""The app on its embedded store against the app in front of an external store (issue 5).

For one vocabulary (ours, STW or YSA) and each store, in the same run:

- **embedded**: `crmkg serve --data FILE` (pyoxigraph in the server process);
- **oxigraph**: Oxigraph's server (`oxigraph serve`), filled by `crmkg push`, and
  `crmkg serve` with `CRMKG_SPARQL_ENDPOINT` in front of it;
- **virtuoso**: Debian's Virtuoso 7, the same way.

It measures the push (seconds), the app's start-up (to its first answer and first
concept page), median latency of the workload of `benchmarks/compare.py` over HTTP
(one client), and throughput with 1 and 4 clients; for the external stores, also
the same SPARQL queries sent straight to the store (what the app adds on top).

This answers "when is an external store worth it": what a request costs through
the store, compared with the embedded one, on this machine.
Servers run on 127.0.0.1 only and are stopped by their own PID, also on error.

usage: python benchmarks/external_stores.py [--dataset own|stw|ysa|all] [--write]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT)]

import compare  # noqa: E402  (benchmarks/compare.py: workload, servers, timing)

from tests.support.triple_stores import STARTERS, NotInstalled  # noqa: E402

START = "<!-- external_stores.py: start -->"
END = "<!-- external_stores.py: end -->"
STORES = ["embedded", "oxigraph", "virtuoso"]


def app_in_front(endpoint: str) -> compare.Server:
    """`crmkg serve` reading from the store at ``endpoint`` (its environment setting)."""
    port = compare.free_port()
    command = ["env", f"CRMKG_SPARQL_ENDPOINT={endpoint}", sys.executable, "-m", "graph",
               "serve", "--host", "127.0.0.1", "--port", str(port)]
    return compare.Server("crmkg", command, "/-/health", port)


def push(dataset: compare.Dataset, graph_store: str, chunk_triples: int = 0) -> float:
    command = [sys.executable, "-m", "graph", "push", "--graph-store", graph_store,
               "--chunk-triples", str(chunk_triples)]
    for file in dataset.files:
        command += ["--data", str(file)]
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def straight_call(endpoint: str, case: compare.Case):
    """The case's SPARQL sent to the store itself (named graph as the default graph)."""
    graph = "https://w3id.org/crmkg/graph"
    url = endpoint + "?" + urllib.parse.urlencode({"query": case.query,
                                                   "default-graph-uri": graph})
    return lambda timeout: compare.fetch(url, case.accept, timeout)


def guarded(measurement, *args):
    """The measurement, or the store's refusal as text (Virtuoso refuses some paths)."""
    try:
        return measurement(*args)
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", "replace").strip().splitlines()
        return f"HTTP {exc.code}: {body[0][:80] if body else exc.reason}"


def cell(value) -> str:
    return value if isinstance(value, str) else compare.lat_cell(value)


def measure(server: compare.Server, cases: list[compare.Case], options: argparse.Namespace,
            results: dict, name: str) -> None:
    results["startup"][name] = compare.measure_startup(server, cases)
    compare.settle(server)
    for case in cases:
        results["latency"][(name, case.name)] = guarded(
            compare.latency, compare.http_call(server, case), options.requests, 20.0, 60)
        for clients in (1, 4):
            results["throughput"][(name, case.name, clients)] = guarded(
                compare.throughput, compare.http_call(server, case), clients,
                options.duration, 2000, 60)


def run_dataset(dataset: compare.Dataset, options: argparse.Namespace, log=print) -> dict:
    results: dict = {"dataset": dataset, "startup": {}, "latency": {}, "throughput": {},
                     "push": {}, "skipped": {}}
    with tempfile.TemporaryDirectory(prefix="crmkg-stores-") as tmp:
        workdir = Path(tmp)
        store, _ = compare.bare_store(dataset, workdir)
        cases, results["picked"] = compare.workload(store, dataset)
        results["cases"] = cases
        del store
        for name in options.stores:
            log(f"[{dataset.name}] {name}")
            external = None
            server = None
            try:
                if name == "embedded":
                    server = compare.our_server(dataset)
                else:
                    folder = workdir / name
                    folder.mkdir()
                    try:
                        external = STARTERS[name](folder)
                    except NotInstalled as missing:
                        results["skipped"][name] = str(missing)
                        continue
                    # Virtuoso: in pieces (README: it stalls on one huge transaction)
                    results["push"][name] = push(dataset, external.graph_store,
                                                 100_000 if name == "virtuoso" else 0)
                    for case in cases:
                        if case.kind == "sparql":
                            results["latency"][(name + " itself", case.name)] = guarded(
                                compare.latency, straight_call(external.query, case),
                                options.requests, 20.0, 60)
                    server = app_in_front(external.query)
                measure(server, cases, options, results, name)
            finally:
                if server is not None:
                    server.stop()
                if external is not None:
                    external.stop()
    return results


def render(results: dict, stores: list[str]) -> str:
    dataset = results["dataset"]
    lines = [f"### {dataset.title or dataset.name}", ""]
    for name, why in results["skipped"].items():
        lines.append(f"- {name}: not measured ({why})")
    shown = [s for s in stores if s not in results["skipped"]]
    pushes = ", ".join(f"{s} {results['push'][s]:.1f} s" for s in shown if s in results["push"])
    if pushes:
        lines.append(f"- `crmkg push` (build or parse, then Graph Store PUT; Virtuoso in "
                     f"pieces of 100,000 triples): {pushes}")
    starts = ", ".join(
        f"{s} {results['startup'][s]['first answer']:.2f} s / "
        f"{results['startup'][s]['first concept page']:.2f} s" for s in shown)
    lines += [f"- app start-up, to first answer / first concept page: {starts}", ""]
    head = ["case"] + [f"{s} median (4 clients req/s)" for s in shown] + \
        [f"{s} itself" for s in shown if s != "embedded"]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for case in results["cases"]:
        row = [case.name]
        for s in shown:
            lat = results["latency"].get((s, case.name))
            rate = results["throughput"].get((s, case.name, 4))
            shown_rate = rate if isinstance(rate, str) else compare.rate(rate)
            row.append(lat if isinstance(lat, str) else f"{cell(lat)} ({shown_rate})")
        for s in shown:
            if s != "embedded":
                row.append(cell(results["latency"].get((s + " itself", case.name))))
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=["own", "stw", "ysa", "all"], default="all",
                        help="all: ours, STW and YSA")
    parser.add_argument("--stores", nargs="+", choices=STORES, default=STORES)
    parser.add_argument("--requests", type=int, default=30, help="requests per latency case")
    parser.add_argument("--duration", type=float, default=2.0,
                        help="seconds of each throughput run")
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    options = parser.parse_args(argv)
    names = ["own", "stw", "ysa"] if options.dataset == "all" else [options.dataset]
    started = time.perf_counter()
    rendered = [render(run_dataset(compare.datasets()[n], options), options.stores)
                for n in names]
    command = "python benchmarks/external_stores.py " + " ".join(argv or sys.argv[1:])
    text = "\n".join([
        START, "## Embedded store against external stores (benchmarks/external_stores.py)", "",
        f"`{command.strip()}`, run in {(time.perf_counter() - started) / 60:.1f} min on "
        f"{compare.machine()}. Each store on 127.0.0.1, on the same machine as the app "
        "(so the app and the store share its 2 cores). Cells: median latency in ms over "
        "HTTP with one client (new connection each), and in brackets requests a second "
        "with 4 clients; \"itself\": the same SPARQL sent straight to the store. Load "
        f"average when done: {os.getloadavg()[0]:.1f}.", "", *rendered, END])
    print(text)
    if options.write:
        current = compare.RESULTS.read_text(encoding="utf-8")
        if START in current:
            current = current.split(START)[0] + text + current.split(END, 1)[1]
        else:
            current = current.rstrip("\n") + "\n\n" + text + "\n"
        compare.RESULTS.write_text(current, encoding="utf-8")


if __name__ == "__main__":
    main()

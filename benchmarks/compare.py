#!/usr/bin/env python3
"""Our server against its peers, same run, same data, same machine (issue 5, item 3).

Measures, for one vocabulary (STW, YSA, or our own small one):

- start-up and peak memory of `crmkg serve` in memory, with `--store` (first build)
  and with `--store` reused: seconds from launching the command to its first answer
  and to its first concept page; peak RSS (VmHWM, from /proc) of the server process,
  and of the server with its SPARQL worker processes;
- median and p95 latency over HTTP (one client, 127.0.0.1) of a SKOS workload: a
  concept by URI with all its properties, a label search (case-insensitive
  substring, LIMIT 20), the narrower-transitive count under a top concept, the
  count per top concept, the CONSTRUCT of a neighbourhood, a concept page, a
  search page, a map neighbourhood, and an empty request;
- throughput (requests a second) with 1 and 4 concurrent clients, bounded in time;
- the same SPARQL queries on rdflib-endpoint (started on 127.0.0.1 with the same
  file, from a separate virtualenv: `--peer-python`, see `pip install .[bench]`)
  and on the bare engine in-process (pyoxigraph `Store.query`, the floor).

The peer's work is bounded: each case stops after `--peer-budget` seconds of
requests, and a request that runs past `--peer-timeout` is reported as "> N s"
(the peer is then restarted, since it keeps evaluating the abandoned query).
Every server listens on 127.0.0.1 only and is stopped by its own PID, also on error.

usage: python benchmarks/compare.py [--dataset stw|ysa|own|all] [--requests N] [--write]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
DATASETS = ROOT.parent / "shared" / "datasets"
START, END = "<!-- compare:start -->", "<!-- compare:end -->"
SKOS = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
SELECT_JSON = "application/sparql-results+json"
TURTLE = "text/turtle"


@dataclass
class Dataset:
    name: str
    files: list[Path]  # empty: our own YAML vocabulary
    search: str  # a common substring of labels
    title: str = ""


def datasets() -> dict[str, Dataset]:
    return {
        "own": Dataset("own", [], "lead", "our vocabulary (YAML)"),
        "stw": Dataset("stw", [DATASETS / "stw" / "stw-skos.ttl"], "market",
                       "STW Thesaurus for Economics (110k triples)"),
        "ysa": Dataset("ysa", [DATASETS / "ysa" / "ysa-skos.ttl.gz"], "kieli",
                       "YSA, General Finnish thesaurus (413k triples)"),
    }


@dataclass
class Case:
    name: str
    kind: str  # "sparql", "page" or "empty"
    query: str = ""  # SPARQL (sparql cases)
    path: str = ""  # our server's path (page and empty cases)
    accept: str = SELECT_JSON
    target: str = ""  # "x2", "x30" (throughput against rdflib-endpoint) or ""


# ---------------------------------------------------------------- the workload

def pick(store, query: str) -> str | None:
    """The first value of the first row of a query on the bare engine."""
    for row in store.query(query):
        value = row[0]
        return None if value is None else value.value
    return None


def workload(store, dataset: Dataset) -> tuple[list[Case], dict[str, str]]:
    """The cases, with a concept and a top concept picked from the data itself."""
    top = pick(store, SKOS + "SELECT ?top (COUNT(?n) AS ?k) { ?n skos:broader ?top "
               "FILTER NOT EXISTS { ?top skos:broader ?up } } GROUP BY ?top "
               "ORDER BY DESC(?k) STR(?top) LIMIT 1")
    concept = None
    for shape in ("?c skos:broader ?b . ?b skos:broader+ <{top}> . ?n skos:broader ?c",
                  "?c skos:broader+ <{top}> . ?n skos:broader ?c",
                  "?c skos:broader <{top}>"):  # deepest first: a concept with both ways
        concept = concept or pick(store, SKOS + "SELECT ?c { " + shape.format(top=top)
                                  + " . ?c skos:prefLabel ?l } ORDER BY STR(?c) LIMIT 1")
    if dataset.name == "own":
        concept = "https://w3id.org/crmkg/id/mql"
    if top is None or concept is None:
        raise SystemExit(f"{dataset.name}: no concept hierarchy to measure")
    term = dataset.search
    q = urllib.parse.quote
    cases = [
        Case("empty request (/-/health; peer: ASK {})", "empty", "ASK {}", "/-/health"),
        Case("SPARQL: ASK {}", "sparql", "ASK {}"),
        Case("SPARQL: concept by URI, all properties", "sparql",
             f"SELECT ?p ?o {{ <{concept}> ?p ?o }}", target="x2"),
        Case("SPARQL: label search (LIMIT 20)", "sparql",
             SKOS + "SELECT ?c ?l { ?c skos:prefLabel|skos:altLabel ?l "
             f'FILTER(CONTAINS(LCASE(STR(?l)), "{term}")) }} LIMIT 20', target="x30"),
        Case("SPARQL: narrower-transitive count", "sparql",
             SKOS + f"SELECT (COUNT(DISTINCT ?c) AS ?n) {{ ?c skos:broader+ <{top}> }}",
             target="x30"),
        Case("SPARQL: count per top concept", "sparql",
             SKOS + "SELECT ?top (COUNT(?c) AS ?n) { ?c skos:broader+ ?top "
             "FILTER NOT EXISTS { ?top skos:broader ?up } } GROUP BY ?top", target="x30"),
        Case("SPARQL: CONSTRUCT neighbourhood", "sparql",
             SKOS + f"CONSTRUCT {{ <{concept}> ?p ?o . ?o skos:prefLabel ?l . "
             f"?s ?q <{concept}> }} WHERE {{ {{ <{concept}> ?p ?o "
             f"OPTIONAL {{ ?o skos:prefLabel ?l }} }} UNION {{ ?s ?q <{concept}> }} }}",
             accept=TURTLE),
        Case("page: concept", "page", path=f"/entity?uri={q(concept, safe='')}",
             accept="text/html"),
        Case("page: search", "page", path=f"/search?q={q(term)}", accept="text/html"),
        Case("map neighbourhood (JSON, depth 2)", "page",
             path=f"/map/data.json?focus={q(concept, safe='')}&depth=2",
             accept="application/json"),
    ]
    return cases, {"concept": concept, "top concept": top, "search term": term}


# ---------------------------------------------------------------- processes

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def peak_rss_mib(pid: int) -> float:
    """VmHWM (peak resident set) of a process, in MiB; 0 if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def tree_peak_rss_mib(pid: int) -> float:
    return peak_rss_mib(pid) + sum(tree_peak_rss_mib(child) for child in children(pid))


@dataclass
class Server:
    name: str
    command: list[str]
    empty_url: str  # its empty request
    port: int
    sparql_path: str = "/sparql"
    process: subprocess.Popen | None = None
    first_answer: float = 0.0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 300) -> float:
        started = time.perf_counter()
        self.process = subprocess.Popen(self.command, cwd=ROOT, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.base + self.empty_url, timeout=5) as reply:
                    reply.read()
                self.first_answer = time.perf_counter() - started
                return self.first_answer
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"{self.name} did not answer at {self.base} in {timeout} s")

    def stop(self) -> None:
        """Stop the server by its own PID (SIGTERM, then SIGKILL), and its workers."""
        if self.process is None or self.process.poll() is not None:
            self.process = None
            return
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self.process = None

    def url(self, case: Case) -> str:
        if case.kind == "sparql":
            return self.base + self.sparql_path + "?" + urllib.parse.urlencode(
                {"query": case.query})
        if case.kind == "empty" and self.sparql_path != "/sparql":
            return self.base + self.empty_url
        return self.base + case.path


def our_server(dataset: Dataset, store_dir: Path | None = None) -> Server:
    port = free_port()
    command = [sys.executable, "-m", "graph", "serve", "--host", "127.0.0.1", "--port",
               str(port)]
    for file in dataset.files:
        command += ["--data", str(file)]
    if store_dir is not None:
        command += ["--store", str(store_dir)]
    return Server("crmkg", command, "/-/health", port)


def peer_server(python: str, files: list[Path]) -> Server:
    port = free_port()
    script = ("import sys; from rdflib_endpoint.__main__ import cli; "
              "sys.argv = ['rdflib-endpoint', 'serve', '--host', '127.0.0.1', '--port', "
              f"'{port}', *{[str(f) for f in files]!r}]; cli()")
    empty = "/?" + urllib.parse.urlencode({"query": "ASK {}"})
    return Server("rdflib-endpoint", [python, "-c", script], empty, port, sparql_path="/")


# ---------------------------------------------------------------- measuring

class TimedOut(Exception):
    pass


def fetch(url: str, accept: str, timeout: float) -> float:
    request = urllib.request.Request(url, headers={"Accept": accept})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            reply.read()
            if reply.status != 200:
                raise RuntimeError(f"{url}: HTTP {reply.status}")
    except TimeoutError as exc:
        raise TimedOut from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise TimedOut from exc
        raise
    return (time.perf_counter() - started) * 1000


@dataclass
class Latency:
    times: list[float] = field(default_factory=list)
    timed_out: float | None = None  # the timeout in seconds, if a request ran past it

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def p95(self) -> float | None:
        if not self.times:
            return None
        ordered = sorted(self.times)
        return ordered[max(0, round(len(ordered) * 0.95) - 1)]


def latency(call, count: int, budget: float, timeout: float, warmup: int = 2) -> Latency:
    """Time `call` up to `count` times, stopping after `budget` seconds (one at least)."""
    result = Latency()
    try:
        for _ in range(warmup):
            if call(timeout) > budget * 1000:
                break
        deadline = time.monotonic() + budget
        while len(result.times) < count and (not result.times or time.monotonic() < deadline):
            result.times.append(call(timeout))
    except TimedOut:
        result.timed_out = timeout
    return result


def throughput(call, clients: int, duration: float, max_requests: int,
               timeout: float) -> float | str:
    """Requests a second with `clients` concurrent clients, for about `duration` seconds."""
    done = [0]
    failed: list[BaseException] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def client() -> None:
        while time.monotonic() < stop_at:
            with lock:
                if done[0] >= max_requests:
                    return
            try:
                call(timeout)
            except BaseException as exc:  # noqa: BLE001 - reported below
                failed.append(exc)
                return
            with lock:
                done[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failed and isinstance(failed[0], TimedOut):
        return f"< {1 / timeout:.2g}"
    if failed:
        raise failed[0]
    return done[0] / elapsed


def http_call(server: Server, case: Case):
    url = server.url(case)
    return lambda timeout: fetch(url, case.accept, timeout)


def engine_call(store, case: Case):
    def call(_timeout: float) -> float:
        started = time.perf_counter()
        result = store.query(case.query)
        if hasattr(result, "__iter__"):  # not an ASK (QueryBoolean)
            for _ in result:
                pass
        return (time.perf_counter() - started) * 1000
    return call


# ---------------------------------------------------------------- one dataset

@dataclass
class Options:
    requests: int = 50
    duration: float = 2.0  # seconds of each throughput run
    throughput_requests: int = 2000
    peer_python: str | None = None
    peer_budget: float = 8.0
    peer_timeout: float = 10.0
    store: bool = True


def bare_store(dataset: Dataset, workdir: Path):
    """The bare engine in-process, loaded with the same data (seconds to load)."""
    import pyoxigraph

    started = time.perf_counter()
    if dataset.files:
        store = pyoxigraph.Store()
        for file in dataset.files:
            fmt = pyoxigraph.RdfFormat.from_extension(file.name.removesuffix(".gz")
                                                      .rsplit(".", 1)[1])
            opener = gzip.open if file.name.endswith(".gz") else open
            with opener(file, "rb") as stream:
                store.bulk_load(stream, format=fmt)
    else:  # our vocabulary: built by rdflib from the YAML, as the app does
        from graph.vocabulary.build import build_from_settings

        dump = workdir / "own.nt"
        build_from_settings()[1].serialize(dump, format="nt", encoding="utf-8")
        store = pyoxigraph.Store()
        store.bulk_load(path=str(dump), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return store, time.perf_counter() - started


def plain_files(dataset: Dataset, workdir: Path) -> list[Path]:
    """The dataset's files uncompressed (rdflib-endpoint does not read .gz)."""
    out = []
    for file in dataset.files:
        if file.name.endswith(".gz"):
            target = workdir / file.name.removesuffix(".gz")
            with gzip.open(file, "rb") as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
            out.append(target)
        else:
            out.append(file)
    return out


def measure_startup(server: Server, cases: list[Case]) -> dict:
    page = next(c for c in cases if c.name == "page: concept")
    started = time.perf_counter()
    first = server.start()
    fetch(server.url(page), page.accept, 120)
    first_page = time.perf_counter() - started
    return {"first answer": first, "first concept page": first_page,
            "rss": peak_rss_mib(server.process.pid),
            "rss tree": tree_peak_rss_mib(server.process.pid)}


def settle(server: Server) -> None:
    """Wait for the background builds (label index, A–Z, tree, map network): pages that
    need them wait for them; then let the machine go quiet before timing anything."""
    for path in ("/search?q=a", "/index?letter=A", "/tree", "/map/data.json"):
        fetch(server.base + path, "text/html", 300)
    time.sleep(1.0)


def run_dataset(dataset: Dataset, options: Options, log=print) -> dict:
    results: dict = {"dataset": dataset, "startup": {}, "latency": {}, "throughput": {}}
    servers: list[Server] = []
    with tempfile.TemporaryDirectory(prefix="crmkg-bench-") as tmp:
        workdir = Path(tmp)
        try:
            log(f"[{dataset.name}] bare engine: loading")
            store, load_s = bare_store(dataset, workdir)
            results["bare load"] = load_s
            cases, picked = workload(store, dataset)
            results["cases"], results["picked"] = cases, picked
            sparql = [c for c in cases if c.kind == "sparql"]
            for case in sparql:
                results["latency"][("engine", case.name)] = latency(
                    engine_call(store, case), options.requests, 10.0, 600)
            del store

            # our server: start-up variants
            if options.store:
                store_dir = workdir / "store"
                for label in ("--store, first build", "--store, reused"):
                    log(f"[{dataset.name}] crmkg {label}")
                    server = our_server(dataset, store_dir)
                    servers.append(server)
                    results["startup"][("crmkg", label)] = measure_startup(server, cases)
                    server.stop()
            log(f"[{dataset.name}] crmkg in memory")
            ours = our_server(dataset)
            servers.append(ours)
            results["startup"][("crmkg", "in memory")] = measure_startup(ours, cases)
            settle(ours)
            for case in cases:
                results["latency"][("crmkg", case.name)] = latency(
                    http_call(ours, case), options.requests, 20.0, 60)
            for case in cases:
                for clients in (1, 4):
                    results["throughput"][("crmkg", case.name, clients)] = throughput(
                        http_call(ours, case), clients, options.duration,
                        options.throughput_requests, 60)
            start = results["startup"][("crmkg", "in memory")]
            start["rss"] = peak_rss_mib(ours.process.pid)
            start["rss tree"] = tree_peak_rss_mib(ours.process.pid)
            ours.stop()

            if options.peer_python:
                log(f"[{dataset.name}] rdflib-endpoint")
                files = plain_files(dataset, workdir) if dataset.files else [workdir / "own.nt"]
                peer = peer_server(options.peer_python, files)
                servers.append(peer)
                results["startup"][("rdflib-endpoint", "in memory")] = {
                    "first answer": peer.start(), "first concept page": None,
                    "rss": peak_rss_mib(peer.process.pid),
                    "rss tree": tree_peak_rss_mib(peer.process.pid)}
                slow: set[str] = set()
                for case in [c for c in cases if c.kind != "page"]:
                    log(f"[{dataset.name}] rdflib-endpoint: {case.name}")
                    result = latency(http_call(peer, case), options.requests,
                                     options.peer_budget, options.peer_timeout, warmup=1)
                    results["latency"][("rdflib-endpoint", case.name)] = result
                    if result.timed_out:
                        slow.add(case.name)
                        peer.stop()  # it is still evaluating the abandoned query
                        peer.start()
                for case in [c for c in cases if c.kind != "page"]:
                    for clients in (1, 4):
                        key = ("rdflib-endpoint", case.name, clients)
                        if case.name in slow:
                            results["throughput"][key] = f"< {1 / options.peer_timeout:.2g}"
                            continue
                        results["throughput"][key] = throughput(
                            http_call(peer, case), clients, options.duration,
                            options.throughput_requests, options.peer_timeout)
                        if isinstance(results["throughput"][key], str):  # timed out
                            slow.add(case.name)
                            peer.stop()
                            peer.start()
                peak = results["startup"][("rdflib-endpoint", "in memory")]
                peak["rss"] = peak_rss_mib(peer.process.pid)
                peak["rss tree"] = tree_peak_rss_mib(peer.process.pid)
                peer.stop()
        finally:
            for server in servers:
                server.stop()
    return results


# ---------------------------------------------------------------- report

def ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}" if value < 100 else f"{value:,.0f}"


def lat_cell(result: Latency | None, which: str = "median") -> str:
    if result is None:
        return "—"
    if result.timed_out and not result.times:
        return f"> {result.timed_out:g} s"
    return ms(getattr(result, which))


def rate(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return f"{value:,.0f}" if value >= 10 else f"{value:.2f}"


def verdicts(results: dict) -> list[tuple[str, bool | None, str]]:
    """(target, met?, distance) for each target of the issue."""
    out: list[tuple[str, bool | None, str]] = []
    lat, thr = results["latency"], results["throughput"]
    cases = results["cases"]
    empty = lat.get(("crmkg", cases[0].name))
    for case in cases:
        if case.kind != "sparql" or case.query == "ASK {}":
            continue
        ours, engine = lat.get(("crmkg", case.name)), lat.get(("engine", case.name))
        if not (ours and ours.median and engine and engine.median and empty and empty.median):
            continue
        bound = 2 * (engine.median + empty.median)
        met = ours.median <= bound
        out.append((f"{case.name}: median within 2× (engine + empty request)", met,
                    f"{ours.median:.2f} ms against a bound of {bound:.2f} ms "
                    f"({ours.median / bound:.2f} of it)"))
    for case in cases:
        if not case.target:
            continue
        factor = 2 if case.target == "x2" else 30
        for clients in (1, 4):
            ours = thr.get(("crmkg", case.name, clients))
            peer = thr.get(("rdflib-endpoint", case.name, clients))
            if peer is None or not isinstance(ours, float):
                continue
            if isinstance(peer, str):  # "< x": the peer timed out
                bound = float(peer.split()[1])
                ratio = ours / bound
                met = ratio >= factor
                out.append((f"{case.name}: throughput ≥ {factor}× rdflib-endpoint's, "
                            f"{clients} client(s)", met,
                            f"{ours:,.1f} req/s against {peer} req/s: more than {ratio:,.0f}×"))
                continue
            ratio = ours / peer if peer else float("inf")
            out.append((f"{case.name}: throughput ≥ {factor}× rdflib-endpoint's, "
                        f"{clients} client(s)", ratio >= factor,
                        f"{ours:,.1f} against {peer:,.1f} req/s: {ratio:,.1f}×"))
    reused = results["startup"].get(("crmkg", "--store, reused"))
    if reused:
        out.append(("start-up from an on-disk store under 1 s", reused["first answer"] < 1.0,
                    f"{reused['first answer']:.2f} s to the first answer "
                    f"({reused['first concept page']:.2f} s to the first concept page)"))
    page = lat.get(("crmkg", "page: concept"))
    if page and page.median is not None:
        out.append(("concept page under 20 ms median", page.median < 20,
                    f"{page.median:.2f} ms"))
    return out


def render(results: dict) -> str:
    dataset: Dataset = results["dataset"]
    lat, thr = results["latency"], results["throughput"]
    lines = [f"### {dataset.title or dataset.name}", ""]
    lines.append("Picked from the data: " + "; ".join(
        f"{k} `{v}`" for k, v in results["picked"].items()) + ".")
    lines += ["", "Start-up (seconds from launching the command) and peak memory "
              "(VmHWM from /proc, MiB; \"with workers\" adds the SPARQL worker processes):", "",
              "| server | store | first answer s | first concept page s | peak RSS MiB | "
              "with workers MiB |", "|---|---|---:|---:|---:|---:|"]
    lines.append(f"| pyoxigraph in-process (bulk load) | in memory | "
                 f"{results['bare load']:.2f} | — | — | — |")
    for (server, label), row in results["startup"].items():
        page = row["first concept page"]
        lines.append(f"| {server} | {label} | {row['first answer']:.2f} | "
                     f"{'—' if page is None else f'{page:.2f}'} | {row['rss']:.0f} | "
                     f"{row['rss tree']:.0f} |")
    peer = any(k[0] == "rdflib-endpoint" for k in lat)
    lines += ["", "Latency (ms, one client; median, and p95 over HTTP) and throughput "
              "(requests a second with 1 and 4 clients):", "",
              "| case | engine in-process | crmkg median | crmkg p95 | rdflib-endpoint median "
              "| rdflib-endpoint p95 | crmkg / engine+empty | crmkg req/s 1 · 4 clients | "
              "rdflib-endpoint req/s 1 · 4 clients | throughput ratio 1 · 4 |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    empty = lat.get(("crmkg", results["cases"][0].name))
    for case in results["cases"]:
        engine, ours = lat.get(("engine", case.name)), lat.get(("crmkg", case.name))
        theirs = lat.get(("rdflib-endpoint", case.name)) if peer else None
        ratio = "—"
        if engine and engine.median is not None and ours and ours.median and empty:
            ratio = f"{ours.median / (engine.median + empty.median):.2f}"
        ours_thr = [thr.get(("crmkg", case.name, n)) for n in (1, 4)]
        peer_thr = [thr.get(("rdflib-endpoint", case.name, n)) for n in (1, 4)]
        ratios = []
        for a, b in zip(ours_thr, peer_thr, strict=True):
            if isinstance(a, float) and isinstance(b, float) and b:
                ratios.append(f"{a / b:,.1f}×")
            elif isinstance(a, float) and isinstance(b, str):
                ratios.append(f"> {a / float(b.split()[1]):,.0f}×")
            else:
                ratios.append("—")
        lines.append(
            f"| {case.name} | {lat_cell(engine)} | {lat_cell(ours)} | {lat_cell(ours, 'p95')} | "
            f"{lat_cell(theirs)} | {lat_cell(theirs, 'p95')} | {ratio} | "
            f"{rate(ours_thr[0])} · {rate(ours_thr[1])} | "
            f"{rate(peer_thr[0])} · {rate(peer_thr[1])} | {' · '.join(ratios)} |")
    lines += ["", "Targets (issue 5):", "", "| target | met | measured |", "|---|---|---|"]
    for target, met, distance in verdicts(results):
        lines.append(f"| {target} | {'met' if met else 'NOT met'} | {distance} |")
    return "\n".join(lines)


def machine() -> str:
    versions = []
    for name in ("pyoxigraph", "rdflib", "flask", "waitress"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions.append(f"{name} {metadata.version(name)}")
    return (f"{platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, " + ", ".join(versions))


def peer_versions(python: str | None) -> str:
    if not python:
        return "not run"
    script = ("from importlib.metadata import version as v; import platform; "
              "print(', '.join(f'{n} {v(n)}' for n in ('rdflib-endpoint', 'rdflib', 'fastapi', "
              "'uvicorn')) + ', Python ' + platform.python_version())")
    out = subprocess.run([python, "-c", script], capture_output=True, text=True, check=False)
    return out.stdout.strip() or "unknown versions"


def section(command: str, options: Options, rendered: list[str], elapsed: float) -> str:
    return "\n".join([
        START,
        "## Our server against rdflib-endpoint and the bare engine (benchmarks/compare.py)",
        "",
        f"`{command}`, run in {elapsed / 60:.1f} min on {machine()}; peer: rdflib-endpoint "
        f"({peer_versions(options.peer_python)}), one uvicorn process, rdflib's memory store, "
        f"started with the same file (uncompressed). `crmkg serve` is waitress with its "
        "default settings (8 threads, 2 SPARQL worker processes). Latency: up to "
        f"{options.requests} requests per case after a warm-up, one client, new "
        f"connection each (urllib), client included; the peer's cases stop after "
        f"{options.peer_budget:g} s and a request past {options.peer_timeout:g} s is "
        f"reported as \"> {options.peer_timeout:g} s\" (throughput then \"< 1/timeout\"). "
        f"Throughput: {options.duration:g} s (at most {options.throughput_requests} "
        "requests) per case and client count. The engine column is pyoxigraph "
        "`Store.query` in-process on an in-memory store, results consumed. Pages exist "
        "only on our server (—). The machine is shared and noisy: read ratios more "
        "than absolute times.",
        "",
        *rendered,
        END,
    ])


def write_results(text: str) -> None:
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if START in current:
        current = current.split(START)[0] + text + current.split(END, 1)[1]
    else:
        current = current.rstrip("\n") + "\n\n" + text + "\n"
    RESULTS.write_text(current, encoding="utf-8")


def default_peer_python() -> str | None:
    for candidate in (os.environ.get("RDFLIB_ENDPOINT_PYTHON"), sys.executable,
                      "/tmp/rdfep-venv/bin/python"):
        if not candidate:
            continue
        check = subprocess.run([candidate, "-c", "import rdflib_endpoint, uvicorn"],
                               capture_output=True, check=False)
        if check.returncode == 0:
            return candidate
    return None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=["stw", "ysa", "own", "all"], default="all",
                        help="all: STW then YSA")
    parser.add_argument("--requests", type=int, default=50, help="requests per latency case")
    parser.add_argument("--duration", type=float, default=2.0,
                        help="seconds of each throughput run")
    parser.add_argument("--peer-python", help="python of a virtualenv with rdflib-endpoint "
                        "and uvicorn (default: $RDFLIB_ENDPOINT_PYTHON, this one, or "
                        "/tmp/rdfep-venv/bin/python, whichever has them)")
    parser.add_argument("--no-peer", action="store_true", help="skip rdflib-endpoint")
    parser.add_argument("--peer-budget", type=float, default=8.0,
                        help="seconds of requests per peer case")
    parser.add_argument("--peer-timeout", type=float, default=10.0,
                        help="seconds after which a peer request is abandoned")
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    peer = None if args.no_peer else (args.peer_python or default_peer_python())
    if not args.no_peer and peer is None:
        print("rdflib-endpoint not found: pip install rdflib-endpoint uvicorn "
              "(pip install .[bench]), or --no-peer", file=sys.stderr)
    options = Options(requests=args.requests, duration=args.duration, peer_python=peer,
                      peer_budget=args.peer_budget, peer_timeout=args.peer_timeout)
    names = ["stw", "ysa"] if args.dataset == "all" else [args.dataset]
    started = time.perf_counter()
    rendered = []
    command = "python benchmarks/compare.py " + " ".join(argv if argv is not None
                                                          else sys.argv[1:])
    for name in names:
        results = run_dataset(datasets()[name], options, log=lambda m: print(m, file=sys.stderr))
        rendered += [render(results), ""]
        text = section(command.strip(), options, rendered[:-1], time.perf_counter() - started)
        if args.write:  # after each dataset, so that a failure later keeps these figures
            write_results(text)
    print(text)


if __name__ == "__main__":
    main()

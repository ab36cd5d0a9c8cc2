#!/usr/bin/env python3
"""Mixed load on the web app over HTTP on 127.0.0.1: errors, latency percentiles, memory.

Starts `crmkg serve` (waitress, the production server) on a free loopback port
in a subprocess, or targets --url; then N clients (threads, each with its own
keep-alive connection) send a mix of pages, JSON twins, search, index, tree,
map neighbourhood, collection SVG, SPARQL SELECT/ASK/CONSTRUCT (the example
queries of webapp/queries/) and a few intended 404s for --seconds. Any other
answer than 2xx/3xx (404 for the intended ones), or a failed connection, is an
error. Reports counts, errors, throughput, median/p95/p99 per kind and
overall, and the RSS of the server and its query workers (from /proc) before
and after each of --repeat rounds, so that memory growth across runs shows.

usage: python benchmarks/load.py [--clients 8] [--seconds 60] [--repeat 3]
                                 [--url URL --pid PID] [--json FILE]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "webapp" / "queries"
BASE_URI = "https://w3id.org/crmkg/id/"
SEARCH_WORDS = ["lead", "qualifie", "mql", "client", "vente", "data", "funnel", "nps",
                "campagne", "prospect", "market", "sales", "crm", "panier"]
COLLECTIONS = ["funnel-stages", "nps-scale", "lead-temperatures", "data-parties"]
GROUPS = ["leads", "vente", "donnees"]
SOURCES = ["salesforce", "salesforce-blog", "hubyup", "custup", "datananas"]

#: a request to send: (kind, path, extra headers)
Request = tuple[str, str, dict[str, str]]


# --- the workload -----------------------------------------------------------------------------

def concept_ids() -> list[str]:
    """The ids of our vocabulary's concepts (the YAML files of data/terms)."""
    return sorted(path.stem for path in (ROOT / "data" / "terms").glob("*.yaml"))


def example_queries() -> dict[str, list[str]]:
    """The example queries of the query page, by form (SELECT, ASK, CONSTRUCT)."""
    found: dict[str, list[str]] = {"SELECT": [], "CONSTRUCT": []}
    for path in sorted(QUERIES.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        body = re.sub(r"(?m)^\s*(#.*|PREFIX\s+\S+\s+<[^>]*>)\s*$", "", text)
        form = (re.search(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", body, re.I) or [""])[0]
        found.setdefault(form.upper(), []).append(text)
    return found


@dataclass
class Workload:
    """Request kinds with their weights; ``pick`` draws one request."""

    concepts: list[str]
    queries: dict[str, list[str]]
    kinds: list[tuple[str, int, Callable[[random.Random], Request]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        html = {"Accept": "text/html"}

        def sparql(kind: str, text: str) -> Request:
            return kind, "/sparql?" + urllib.parse.urlencode({"query": text}), {}

        concept = self.concepts
        self.kinds = [
            ("concept page", 14, lambda r: ("concept page", f"/concept/{r.choice(concept)}", html)),
            ("concept JSON", 8, lambda r: ("concept JSON", f"/concept/{r.choice(concept)}.json",
                                           {})),
            ("search page", 6, lambda r: ("search page", "/search?q=" + r.choice(SEARCH_WORDS),
                                          html)),
            ("search JSON", 8, lambda r: ("search JSON", "/search.json?limit=8&q="
                                          + r.choice(SEARCH_WORDS)[:r.randint(2, 4)], {})),
            ("home page", 4, lambda r: ("home page", "/", html)),
            ("index page", 5, lambda r: ("index page", "/index?letter=" + r.choice("ABCDLMPS"),
                                         html)),
            ("tree page", 3, lambda r: ("tree page", "/tree", html)),
            ("map JSON", 5, lambda r: ("map JSON", f"/map/data.json?focus={r.choice(concept)}"
                                       "&depth=2", {})),
            ("collection SVG", 4, lambda r: ("collection SVG",
                                             f"/collection/{r.choice(COLLECTIONS)}.svg", {})),
            ("SPARQL SELECT", 10, lambda r: sparql("SPARQL SELECT",
                                                   r.choice(self.queries["SELECT"]))),
            ("SPARQL ASK", 6, lambda r: sparql("SPARQL ASK", f"ASK {{ <{BASE_URI}"
                                               f"{r.choice(concept)}> ?p ?o }}")),
            ("SPARQL CONSTRUCT", 4, lambda r: sparql("SPARQL CONSTRUCT",
                                                     r.choice(self.queries["CONSTRUCT"]))),
            ("collection page", 2, lambda r: ("collection page",
                                              f"/collection/{r.choice(COLLECTIONS + GROUPS)}",
                                              html)),
            ("source page", 1, lambda r: ("source page", "/entity?uri=https://w3id.org/crmkg/"
                                          f"source/{r.choice(SOURCES)}", html)),
            ("index, all letters", 1, lambda r: ("index, all letters", "/index?letter=all",
                                                 html)),
            ("about page", 1, lambda r: ("about page", "/-/about", html)),
            ("404 (intended)", 2, lambda r: ("404 (intended)",
                                             f"/concept/no-such-concept-{r.randint(0, 999)}",
                                             html)),
        ]
        self._names = [name for name, _, _ in self.kinds]
        self._weights = [weight for _, weight, _ in self.kinds]
        self._make = {name: make for name, _, make in self.kinds}

    @property
    def names(self) -> list[str]:
        return list(self._names)

    def pick(self, rng: random.Random) -> Request:
        return self._make[rng.choices(self._names, self._weights)[0]](rng)

    @staticmethod
    def expected(kind: str, status: int) -> bool:
        return status == 404 if kind == "404 (intended)" else 200 <= status < 400


def default_workload() -> Workload:
    return Workload(concept_ids(), example_queries())


# --- the clients ------------------------------------------------------------------------------

@dataclass
class Sample:
    kind: str
    status: int  # 0: the connection failed
    ms: float


@dataclass
class RoundResult:
    samples: list[Sample]
    seconds: float
    clients: int
    errors: list[str]

    def by_kind(self) -> dict[str, list[Sample]]:
        kinds: dict[str, list[Sample]] = {}
        for sample in self.samples:
            kinds.setdefault(sample.kind, []).append(sample)
        return kinds


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (p99 of 100 values is the 99th smallest)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, int(-(-fraction * len(ordered) // 1)))
    return ordered[min(rank, len(ordered)) - 1]


def _client(base: str, workload: Workload, seed: int, stop: threading.Event,
            samples: list[Sample], errors: list[str]) -> None:
    parsed = urllib.parse.urlsplit(base)
    rng = random.Random(seed)
    connection: http.client.HTTPConnection | None = None
    while not stop.is_set():
        kind, path, headers = workload.pick(rng)
        started = time.perf_counter()
        body = b""
        try:
            if connection is None:
                connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            status = response.status
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException) as exc:
            status = 0
            errors.append(f"{kind} {path}: {type(exc).__name__}: {exc}")
            if connection is not None:
                connection.close()
            connection = None
        ms = (time.perf_counter() - started) * 1000
        samples.append(Sample(kind, status, ms))
        if status and not workload.expected(kind, status):
            errors.append(f"{kind} {path[:80]}: HTTP {status} "
                          f"{body[:160].decode('utf-8', 'replace')!r}")
    if connection is not None:
        connection.close()


def run_round(base: str, workload: Workload, clients: int, seconds: float,
              seed: int = 0) -> RoundResult:
    """``clients`` threads send the workload to ``base`` for ``seconds``."""
    stop = threading.Event()
    samples: list[Sample] = []  # list.append is atomic under the GIL
    errors: list[str] = []
    threads = [threading.Thread(target=_client, args=(base, workload, seed * 1000 + n, stop,
                                                      samples, errors), daemon=True)
               for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(120)
    return RoundResult(samples, time.perf_counter() - started, clients, errors)


# --- the server and its memory ----------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(threads: int | None = None) -> tuple[subprocess.Popen, str]:
    """``crmkg serve`` on a free loopback port; returns the process and its URL, once up."""
    port = free_port()
    command = [sys.executable, "-m", "graph", "serve", "--host", "127.0.0.1", "--port", str(port)]
    if threads:
        command += ["--threads", str(threads)]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"crmkg serve exited with {server.returncode}")
        try:
            query = urllib.parse.urlencode({"query": "ASK {}"})
            urllib.request.urlopen(f"{base}/sparql?{query}", timeout=5).read()
            return server, base
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(f"the server did not start at {base}")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(5)


def _status(pid: int) -> dict[str, int]:
    figures = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                figures[name] = int(value.split()[0])
    except (OSError, ValueError):
        pass
    return figures


def children(pid: int) -> list[int]:
    """Direct child processes of ``pid`` (the server's query workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


@dataclass
class Memory:
    """RSS (and peak RSS) of the server and of its workers, in MiB."""

    server_rss: float
    server_peak: float
    workers_rss: list[float]
    workers_peak: list[float]

    @classmethod
    def of(cls, pid: int | None) -> Memory | None:
        if pid is None or not Path(f"/proc/{pid}/status").exists():
            return None
        server = _status(pid)
        workers = [_status(child) for child in children(pid)]
        return cls(server.get("VmRSS", 0) / 1024, server.get("VmHWM", 0) / 1024,
                   [w.get("VmRSS", 0) / 1024 for w in workers],
                   [w.get("VmHWM", 0) / 1024 for w in workers])

    def describe(self) -> str:
        workers = " + ".join(f"{rss:.0f}" for rss in self.workers_rss) or "none"
        return f"server {self.server_rss:.0f} MiB, workers {workers} MiB"


# --- reports ----------------------------------------------------------------------------------

def kind_rows(result: RoundResult, workload: Workload) -> list[dict[str, Any]]:
    rows = []
    groups = result.by_kind()
    for name in [*workload.names, "overall"]:
        samples = result.samples if name == "overall" else groups.get(name, [])
        times = [s.ms for s in samples]
        errors = sum(1 for s in samples if not s.status or not workload.expected(s.kind, s.status))
        rows.append({"kind": name, "requests": len(samples), "errors": errors,
                     "per_second": len(samples) / result.seconds if result.seconds else 0.0,
                     "median_ms": statistics.median(times) if times else float("nan"),
                     "p95_ms": percentile(times, 0.95), "p99_ms": percentile(times, 0.99),
                     "max_ms": max(times, default=float("nan"))})
    return rows


def markdown(rounds: list[RoundResult], memories: list[Memory | None], workload: Workload,
             command: str, load_before: str, load_after: str) -> str:
    everything = RoundResult([s for r in rounds for s in r.samples],
                             sum(r.seconds for r in rounds), rounds[0].clients,
                             [e for r in rounds for e in r.errors])
    lines = [
        f"`{command}` on {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, `crmkg serve` (waitress, 8 threads, 2 SPARQL workers); "
        f"{rounds[0].clients} clients with keep-alive connections, {len(rounds)} round(s) of "
        f"{rounds[0].seconds:.0f} s. Machine load (`uptime`) before: {load_before}; after: "
        f"{load_after}. The machine is shared with other jobs: read the figures as orders "
        "of magnitude.",
        "",
        "| request kind | requests | errors | req/s | median ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in kind_rows(everything, workload):
        name = f"**{row['kind']}**" if row["kind"] == "overall" else row["kind"]
        lines.append(f"| {name} | {row['requests']:,} | {row['errors']} | "
                     f"{row['per_second']:.1f} | {row['median_ms']:.1f} | {row['p95_ms']:.1f} | "
                     f"{row['p99_ms']:.1f} | {row['max_ms']:.0f} |")
    if any(memories):
        lines += ["", "| after | requests | req/s | p99 ms | errors | server RSS MiB | "
                      "server peak MiB | workers RSS MiB |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for number, memory in enumerate(memories):
            if memory is None:
                continue
            if number == 0:
                label, figures = "warm-up", "— | — | — | —"
            else:
                result = rounds[number - 1]
                overall = kind_rows(result, workload)[-1]
                label = f"round {number}"
                figures = (f"{overall['requests']:,} | {overall['per_second']:.0f} | "
                           f"{overall['p99_ms']:.1f} | {overall['errors']}")
            workers = " + ".join(f"{rss:.0f}" for rss in memory.workers_rss) or "—"
            lines.append(f"| {label} | {figures} | {memory.server_rss:.0f} | "
                         f"{memory.server_peak:.0f} | {workers} |")
    if everything.errors:
        lines += ["", f"First errors ({len(everything.errors)} in all):", ""]
        lines += [f"- {error}" for error in everything.errors[:10]]
    return "\n".join(lines)


def uptime() -> str:
    """The load averages over 1, 5 and 15 minutes, as `uptime` gives them."""
    try:
        return ", ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def warm_up(base: str, workload: Workload) -> None:
    """Each kind of request a few times: workers started, caches filled."""
    rng = random.Random(-1)
    for _, _, make in workload.kinds:
        for _ in range(3):
            _, path, headers = make(rng)
            request = urllib.request.Request(base + path, headers=headers)
            try:
                urllib.request.urlopen(request, timeout=60).read()
            except urllib.error.HTTPError as error:
                error.read()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--repeat", type=int, default=1, help="rounds (RSS after each)")
    parser.add_argument("--url", help="target this server instead of starting one")
    parser.add_argument("--pid", type=int, help="with --url: the server's pid, for memory")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    workload = default_workload()
    server = None
    if args.url:
        base, pid = args.url.rstrip("/"), args.pid
    else:
        server, base = start_server()
        pid = server.pid
    command = "python benchmarks/load.py " + " ".join(argv if argv is not None else sys.argv[1:])
    try:
        load_before = uptime()
        warm_up(base, workload)
        time.sleep(1)
        memories = [Memory.of(pid)]
        rounds = []
        for number in range(args.repeat):
            rounds.append(run_round(base, workload, args.clients, args.seconds, seed=number))
            time.sleep(1)  # let the last answers be freed
            memories.append(Memory.of(pid))
            overall = kind_rows(rounds[-1], workload)[-1]
            print(f"round {number + 1}: {overall['requests']:,} requests, "
                  f"{overall['errors']} errors, p99 {overall['p99_ms']:.1f} ms"
                  + (f"; {memories[-1].describe()}" if memories[-1] else ""), file=sys.stderr)
        load_after = uptime()
    finally:
        if server is not None:
            stop_server(server)
    print(markdown(rounds, memories, workload, command.strip(), load_before, load_after))
    if args.json:
        args.json.write_text(json.dumps({
            "command": command.strip(), "clients": args.clients, "seconds": args.seconds,
            "load_before": load_before, "load_after": load_after,
            "rounds": [{"kinds": kind_rows(r, workload), "errors": r.errors[:50]}
                       for r in rounds],
            "memory": [m.__dict__ if m else None for m in memories],
        }, indent=2), encoding="utf-8")
    if any(r.errors for r in rounds):
        sys.exit(1)


if __name__ == "__main__":
    main()

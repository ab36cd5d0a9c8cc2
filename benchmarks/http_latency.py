#!/usr/bin/env python3
"""Latency of pages and SPARQL queries over HTTP on 127.0.0.1 (median and p95).

Starts `crmkg serve` on a free loopback port in a subprocess (the real
production server), warms it up, then times each request N times with one
client. Prints a Markdown table; with --write, replaces the section of
benchmarks/RESULTS.md that this script owns.

usage: python benchmarks/http_latency.py [--requests N] [--write]
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
SKOS = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
CASES = [
    ("empty request (/-/health)", "/-/health"),
    ("concept page (HTML)", "/concept/mql"),
    ("concept page (JSON twin)", "/concept/mql.json"),
    ("concept RDF (Turtle)", "/concept/mql.ttl"),
    ("search page", "/search?q=qualifie"),
    ("search JSON (autocomplete)", "/search.json?q=lead&limit=8"),
    ("home page", "/"),
    ("tree page", "/tree"),
    ("map neighbourhood (JSON)", "/map/data.json?focus=dsp&depth=2"),
    ("SPARQL: ASK {}", "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"})),
    ("SPARQL: one concept, all properties",
     "/sparql?" + urllib.parse.urlencode(
         {"query": "SELECT ?p ?o { <https://w3id.org/crmkg/id/mql> ?p ?o }"})),
    ("SPARQL: label search",
     "/sparql?" + urllib.parse.urlencode({"query": SKOS + 'SELECT ?c ?l { ?c skos:prefLabel|'
                                          'skos:altLabel ?l FILTER(CONTAINS(LCASE(STR(?l)), '
                                          '"lead")) } LIMIT 20'})),
    ("SPARQL: count per top concept",
     "/sparql?" + urllib.parse.urlencode({"query": SKOS + "SELECT ?top (COUNT(?c) AS ?n) { "
                                          "?s skos:hasTopConcept ?top . ?c skos:broader+ ?top "
                                          "} GROUP BY ?top"})),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not start at {url}")


def time_requests(url: str, count: int) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    args = parser.parse_args()
    port = free_port()
    crmkg = [sys.executable, "-m", "graph", "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(crmkg, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/-/health")
        for _, path in CASES:  # warm-up: workers started, caches filled
            time_requests(base + path, 3)
        rows = []
        for name, path in CASES:
            times = sorted(time_requests(base + path, args.requests))
            p95 = times[int(len(times) * 0.95) - 1]
            rows.append(f"| {name} | {statistics.median(times):.2f} | {p95:.2f} |")
    finally:
        server.terminate()
        server.wait(10)
    command = f"python benchmarks/http_latency.py --requests {args.requests}"
    section = "\n".join([
        "<!-- http_latency:start -->",
        "## Latency over HTTP (our vocabulary, one client, 127.0.0.1)",
        "",
        f"`{command}` on {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, `crmkg serve` (waitress); {args.requests} requests "
        f"each after a warm-up; milliseconds, client included.",
        "",
        "| request | median ms | p95 ms |",
        "|---|---:|---:|",
        *rows,
        "<!-- http_latency:end -->",
    ])
    print(section)
    if args.write:
        text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
        if "<!-- http_latency:start -->" in text:
            before = text.split("<!-- http_latency:start -->")[0]
            after = text.split("<!-- http_latency:end -->")[1]
            text = before + section + after
        else:
            text = text.rstrip("\n") + "\n\n" + section + "\n"
        RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""How long ``crmkg site`` takes and how big the site is, for our vocabulary and for STW.

Each build runs ``crmkg site`` in a subprocess (a fresh process, as a user runs it),
into a temporary folder, and reports the wall time, the number of files and the size
on disk, with the biggest kinds of file. STW (../shared/datasets/stw) is skipped with
a note when the shared folder is absent. ``--write`` replaces the section of
benchmarks/RESULTS.md that this script owns.

usage: python benchmarks/static_site.py [--only own|stw] [--write]
"""

from __future__ import annotations

import argparse
import collections
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
STW = ROOT.parent / "shared" / "datasets" / "stw" / "stw-skos.ttl"
START, END = "<!-- static_site:start -->", "<!-- static_site:end -->"
CRMKG = [sys.executable, "-m", "graph"]
PER_CONCEPT = ("Per concept the site holds two HTML pages (one per language), two JSON "
               "twins, four RDF files and two mini-map data scripts: STW's 6,000-odd "
               "descriptors and subject categories make most of its files. Served "
               "compressed (gzip), HTML and JSON shrink four to six times.")


def build(name: str, extra: list[str]) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="crmkg-site-bench-") as tmp:
        output = Path(tmp) / "site"
        started = time.perf_counter()
        subprocess.run([*CRMKG, "site", "-o", str(output), *extra], check=True,
                       cwd=ROOT, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - started
        sizes: collections.Counter[str] = collections.Counter()
        counts: collections.Counter[str] = collections.Counter()
        for path in output.rglob("*"):
            if path.is_file():
                kind = path.suffix or path.name
                sizes[kind] += path.stat().st_size
                counts[kind] += 1
    return {"name": name, "seconds": seconds, "files": sum(counts.values()),
            "bytes": sum(sizes.values()), "sizes": sizes, "counts": counts}


def section(results: list[dict[str, object]], notes: list[str]) -> str:
    lines = [START, "## Static site (benchmarks/static_site.py)", "",
             f"`python benchmarks/static_site.py --write` on {platform.machine()}, "
             f"{os.cpu_count()} cores, Python {platform.python_version()}: `crmkg site` in a "
             "fresh process, both languages, every page, JSON twin, RDF file, collection "
             "drawing and map data. Wall time includes loading the vocabulary. "
             + PER_CONCEPT, "",
             "| vocabulary | build s | files | size MB | biggest kinds (MB) |",
             "|---|---:|---:|---:|---|"]
    for r in results:
        sizes = r["sizes"]
        biggest = ", ".join(f"{kind} {size / 1e6:.1f}" for kind, size in sizes.most_common(4))
        lines.append(f"| {r['name']} | {r['seconds']:.0f} | {r['files']:,} | "
                     f"{r['bytes'] / 1e6:.1f} | {biggest} |")
    lines += ["", *notes, END]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["own", "stw"])
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    args = parser.parse_args()
    results, notes = [], []
    if args.only in (None, "own"):
        results.append(build("ours (YAML, 2 languages)", []))
    if args.only in (None, "stw"):
        if STW.exists():
            results.append(build("STW (110k triples, pages in en/de labels)",
                                 ["--lang", "en", "--data", str(STW)]))
        else:
            notes.append(f"STW skipped: {STW} is absent (the shared datasets).")
    text = section(results, notes)
    print(text)
    if args.write:
        current = RESULTS.read_text(encoding="utf-8")
        if START in current:
            before, rest = current.split(START, 1)
            current = before + text + rest.split(END, 1)[1].lstrip("\n")
        else:
            current = current.rstrip("\n") + "\n\n" + text
        RESULTS.write_text(current, encoding="utf-8")


if __name__ == "__main__":
    main()

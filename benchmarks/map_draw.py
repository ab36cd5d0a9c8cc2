#!/usr/bin/env python3
"""How soon the concept map is drawn after its page has loaded, in Chromium.

Starts `crmkg serve` on a free loopback port (the production server), opens each map
page in Debian's Chromium (Playwright, never a downloaded browser) in a fresh
context, and records, in the page, when the page's load event ended and when the
map set ``data-ready="true"`` (its nodes and labels drawn). The first visit of each
page fills the server's caches (the layout is computed once per vocabulary), so it
is reported apart from the median of the following visits. The map-html export is
measured from a file, with every request refused. With --write, replaces the section
of benchmarks/RESULTS.md that this script owns.

usage: python benchmarks/map_draw.py [--visits N] [--write]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from http_latency import RESULTS, ROOT, free_port, wait_until_up  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
START, END = "<!-- map_draw:start -->", "<!-- map_draw:end -->"
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
CASES = [
    ("whole map, 1366×900", "/map", DESKTOP, "#concept-map"),
    ("whole map, phone 390×844", "/map", PHONE, "#concept-map"),
    ("neighbourhood (focus=mql, depth 2)", "/map?focus=mql&depth=2", DESKTOP, "#concept-map"),
    ("path (lead qualifie → crm)", "/map?from=lead+qualifie&to=crm", DESKTOP, "#concept-map"),
    ("mini-map of /concept/mql", "/concept/mql", DESKTOP, ".mini-map"),
]
#: run before the page's own scripts: the time the map says it is drawn
WATCH = """
window.__mapReady = null;
new MutationObserver(function (changes, observer) {
  changes.forEach(function (change) {
    if (window.__mapReady === null && change.target.getAttribute("data-ready") === "true") {
      window.__mapReady = performance.now();
      observer.disconnect();
    }
  });
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-ready"] });
"""
TIMES = """
async (selector) => {
  const started = performance.now();
  while (window.__mapReady === null && performance.now() - started < 30000) {
    await new Promise((done) => setTimeout(done, 20));
  }
  const navigation = performance.getEntriesByType("navigation")[0];
  return { loaded: navigation.loadEventEnd, ready: window.__mapReady,
           nodes: Object.keys(window.crmkgMaps[0].network.getPositions()).length };
}
"""


def visit(browser, url: str, options: dict, selector: str, block: bool = False) -> dict:
    context = browser.new_context(**options, service_workers="block")
    if block:
        context.route("**/*", lambda route: route.continue_() if route.request.url == url
                      else route.abort())
    context.add_init_script(WATCH)
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_selector(f'{selector}[data-ready="true"]', timeout=30_000)
    found = page.evaluate(TIMES, selector)
    context.close()
    return found


def measure(browser, url: str, options: dict, selector: str, visits: int,
            block: bool = False) -> tuple[dict, list[float], list[float], int]:
    first = visit(browser, url, options, selector, block)
    after_load, from_start = [], []
    for _ in range(visits):
        found = visit(browser, url, options, selector, block)
        after_load.append(max(0.0, found["ready"] - found["loaded"]))
        from_start.append(found["ready"])
    return first, after_load, from_start, first["nodes"]


def row(name: str, first: dict, after_load: list[float], from_start: list[float],
        nodes: int) -> str:
    return (f"| {name} | {nodes} | {max(0.0, first['ready'] - first['loaded']):.0f} "
            f"({first['ready']:.0f}) | "
            f"{statistics.median(after_load):.0f} | {max(after_load):.0f} | "
            f"{statistics.median(from_start):.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=10)
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "graph", "serve", "--host", "127.0.0.1",
                               "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    rows = []
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/-/health")
        with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
            exported = Path(folder) / "map.html"
            subprocess.run([sys.executable, "-m", "graph", "export", "--format", "map-html",
                            "-o", str(exported)], cwd=ROOT, check=True, capture_output=True)
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox",
                                                "--disable-gpu"])
            for name, path, options, selector in CASES:
                rows.append(row(name, *measure(browser, base + path, options, selector,
                                               args.visits)))
            rows.append(row("map-html file (file://, network refused)", *measure(
                browser, exported.as_uri(), DESKTOP, "#concept-map", args.visits, block=True)))
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
    section = "\n".join([
        START,
        "## Concept map: drawn after the page loads (benchmarks/map_draw.py)",
        "",
        f"`python benchmarks/map_draw.py --visits {args.visits}` on {platform.machine()}, "
        f"{os.cpu_count()} cores, Debian's Chromium (headless), `crmkg serve` on 127.0.0.1. "
        "Milliseconds from the end of the page's load event to the map's "
        "`data-ready=\"true\"` (every node and label drawn), and in brackets or in the "
        "last column from the start of the navigation (the request included). The first "
        "visit of each page fills the server's caches (the layout is computed once per "
        f"vocabulary, while the page itself is served), the others ({args.visits} fresh "
        "browser contexts) do not. The target: drawn under 1000 ms after the page loads.",
        "",
        "| page | nodes | first visit (from start) | median | worst | median from start |",
        "|---|---:|---:|---:|---:|---:|",
        *rows,
        END,
    ])
    print(section)
    if args.write:
        text = RESULTS.read_text(encoding="utf-8")
        if START in text:
            text = text.split(START)[0] + section + text.split(END)[1]
        else:
            text = text.rstrip("\n") + "\n\n" + section + "\n"
        RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

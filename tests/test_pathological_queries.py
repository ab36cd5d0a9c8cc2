"""Pathological SPARQL queries against a real server: bounded answers, bounded time and memory.

Each query below would run for minutes or take gigabytes if left alone
(cartesian products, unbounded property paths, huge VALUES, regex and string
blow-ups, GROUP_CONCAT of everything, deep subqueries). Sent to the app under
waitress on 127.0.0.1 with a short time limit, each must get a 503 (time or
memory limit), a bounded 200 (cut at the row or size limit, with
X-Result-Truncated) or a 400/413, never a 500, within the time limit plus a
margin; meanwhile other clients' simple requests keep being answered, the
workers stay under their memory cap, and the pool is whole again afterwards.

The time limit counts from when a request reaches the engine, queue included
(see graph/query/engine.py): N slow queries sent at once, N larger than the number
of workers, each end within the time limit plus the margin.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from graph.query.engine import MAX_RESULT_BYTES
from tests.support.servers import stop_waitress

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(),
                                reason="reads process memory from /proc")

TIME_LIMIT = 2.0
#: stopping a worker, and a shared 2-core machine's scheduling; far below the time limit
MARGIN = 2.0
WORKERS = 2
THREADS = 8  # as crmkg serve (the THREADS setting)
MEMORY_MB = 2048  # the default SPARQL_WORKER_MEMORY_MB

SKOS = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
CARTESIAN = "?a ?b ?c . ?d ?e ?f . ?g ?h ?i"
ANY_PATH = "(<http://example.org/p>|!<http://example.org/p>)*"
NUMBERS = " ".join(str(i) for i in range(6000))  # 6,000 values: 29 kB
A_STRING = "a" * 200


def nested_subqueries(depth: int) -> str:
    query = "SELECT * WHERE { ?s ?p ?o }"
    for _ in range(depth):
        query = f"SELECT * WHERE {{ {{ {query} }} }}"
    return query


def doubling(times: int, seed: str = '"abcdefghij"') -> str:
    """A string doubled ``times`` times: 10 × 2**times characters, by nested CONCAT."""
    binds = [f"BIND({seed} AS ?x0)"] + [f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})"
                                          for i in range(times)]
    return f"SELECT (STRLEN(?x{times}) AS ?n) WHERE {{ {' '.join(binds)} }}"


#: name → query. Every one must end bounded: 200 (cut, or small), 400, 413 or 503.
PATHOLOGICAL = {
    "cartesian product, 3 patterns": f"SELECT * WHERE {{ {CARTESIAN} }}",
    "cartesian product, counted": f"SELECT (COUNT(*) AS ?n) WHERE {{ {CARTESIAN} }}",
    "cartesian product, ORDER BY": f"SELECT * WHERE {{ {CARTESIAN} }} ORDER BY ?c ?f ?i",
    "cartesian product, DISTINCT": f"SELECT DISTINCT ?c ?f ?i WHERE {{ {CARTESIAN} }}",
    "CONSTRUCT of a cartesian product":
        f"CONSTRUCT {{ ?a ?b ?i . ?d ?e ?c }} WHERE {{ {CARTESIAN} }}",
    "CONSTRUCT of a counted product": "CONSTRUCT { ?a ?b ?n } WHERE { ?a ?b ?c "
        f"{{ SELECT (COUNT(*) AS ?n) WHERE {{ {CARTESIAN} }} }} }}",
    "path (broader|^broader)*": SKOS + "SELECT * WHERE { ?s (skos:broader|^skos:broader)* ?o }",
    "path (p|!p)*": f"SELECT * WHERE {{ ?s {ANY_PATH} ?o }}",
    "path (p|!p)* twice, counted":
        f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s {ANY_PATH} ?o . ?x {ANY_PATH} ?y }}",
    "path (p|!p)* ORDER BY": f"SELECT * WHERE {{ ?s {ANY_PATH} ?o }} ORDER BY DESC(STR(?o))",
    "huge VALUES × VALUES (36M rows)":
        f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?a {{ {NUMBERS} }} VALUES ?b {{ {NUMBERS} }} }}",
    "VALUES of 12,000 rows (61 kB) joined, grouped and sorted":
        "SELECT ?a (COUNT(*) AS ?n) WHERE { VALUES ?a { "
        + " ".join(str(i) for i in range(12_000)) + " } ?s ?p ?o } "
        "GROUP BY ?a ORDER BY DESC(?n)",
    "huge VALUES joined with every triple":
        "SELECT * WHERE { VALUES (?a ?b) { "
        + " ".join(f'({i} "v{i}")' for i in range(4000)) + " } ?s ?p ?o }",
    "regex (a+)+$ on long STRUUID/REPLACE strings":
        "SELECT ?l WHERE { ?c ?p ?l FILTER(isLiteral(?l)) "
        "BIND(CONCAT(STRUUID(), STRUUID(), STRUUID(), STRUUID()) AS ?u) "
        'BIND(CONCAT(REPLACE(?u, "[^a]", "a"), REPLACE(?u, "[^a]", "a"), '
        'REPLACE(STR(?l), ".", "aaaaaaaaaa"), "!") AS ?long) '
        'FILTER(REGEX(?long, "(a+)+$")) }',
    "regex (x+x+)+y over a cartesian product":
        f"SELECT * WHERE {{ {CARTESIAN} "
        'FILTER(REGEX(CONCAT(STR(?c), STR(?f), STR(?i)), "^((x+x+)+y|(.*a){12})$", "i")) }',
    "GROUP_CONCAT of a product": "SELECT (GROUP_CONCAT(CONCAT(STR(?a), STR(?c), STR(?f))) AS ?x)"
        " WHERE { ?a ?b ?c . ?d ?e ?f FILTER(!isBlank(?a) && !isBlank(?c) && !isBlank(?f)) }",
    "GROUP_CONCAT of every triple": "SELECT (GROUP_CONCAT(CONCAT(STR(?s), STR(?p), STR(?o))) "
        "AS ?x) WHERE { ?s ?p ?o FILTER(!isBlank(?s) && !isBlank(?o)) }",
    "subqueries nested 95 deep": nested_subqueries(95),
    "subqueries nested 150 deep (over the nesting limit)": nested_subqueries(150),
    "string doubled 26 times (640 MB)": doubling(26),
    "string doubled 34 times (170 GB)": doubling(34),
    "10,000 rows of 25 kB strings (over the size limit)":
        "SELECT ?x WHERE { ?a ?b ?c BIND(CONCAT(STR(?c), STR(?c)) AS ?x1) "
        "BIND(CONCAT(?x1, ?x1, ?x1, ?x1) AS ?x2) "
        "BIND(CONCAT(?x2, ?x2, ?x2, ?x2, ?x2, ?x2, ?x2, ?x2) AS ?x3) "
        "BIND(CONCAT(?x3, ?x3, ?x3, ?x3, ?x3, ?x3, ?x3, ?x3) AS ?x4) "
        "BIND(CONCAT(?x4, ?x4, ?x4, ?x4, ?x4, ?x4, ?x4, ?x4) AS ?x) }",
    "strings doubled over a product": "SELECT (MAX(STRLEN(?x5)) AS ?n) WHERE { ?a ?b ?c . "
        "?d ?e ?f BIND(CONCAT(STR(?c), STR(?f)) AS ?x0) BIND(CONCAT(?x0, ?x0) AS ?x1) "
        "BIND(CONCAT(?x1, ?x1) AS ?x2) BIND(CONCAT(?x2, ?x2) AS ?x3) "
        "BIND(CONCAT(?x3, ?x3) AS ?x4) BIND(CONCAT(?x4, ?x4) AS ?x5) }",
    "query over the length limit": "ASK { VALUES ?a { " + " ".join(
        f'"{A_STRING}{i}"' for i in range(400)) + " } }",
}


# --- the server, and what we watch of it --------------------------------------------------

@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    elapsed: float


def fetch(url: str, data: bytes | None = None, headers: dict[str, str] | None = None,
          timeout: float = 60) -> Reply:
    started = time.monotonic()
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
            status, got = response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        body, status, got = error.read(), error.code, dict(error.headers)
    return Reply(status, got, body, time.monotonic() - started)


def query(base: str, text: str) -> Reply:
    return fetch(base + "/sparql", data=urllib.parse.urlencode({"query": text}).encode(),
                 headers={"Accept": "application/sparql-results+json, text/turtle;q=0.9"})


def memory_kb(pid: int | str, field_name: str) -> int:
    """A /proc/<pid>/status figure (VmHWM, VmRSS) in kB; 0 once the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class Watch:
    """Samples the workers' peak RSS (VmHWM) and the server's RSS every 20 ms.

    A worker killed at the limit is gone before anyone can read its peak, so
    it is sampled while it lives; the last sample before its end is within
    20 ms of its peak.
    """

    def __init__(self, engine):
        self.engine = engine
        self.worker_peak_kb: dict[int, int] = {}
        self.server_peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="memory-watch")

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in self.engine.worker_pids():
                self.worker_peak_kb[pid] = max(self.worker_peak_kb.get(pid, 0),
                                               memory_kb(pid, "VmHWM"))
            self.server_peak_kb = max(self.server_peak_kb, memory_kb(os.getpid(), "VmRSS"))
            time.sleep(0.02)

    def __enter__(self) -> Watch:
        # the server is this test process: what it held before (other tests) is not counted
        self.server_start_kb = memory_kb(os.getpid(), "VmRSS")
        self._thread.start()
        return self

    @property
    def server_growth_mb(self) -> float:
        return (self.server_peak_kb - self.server_start_kb) / 1024

    def __exit__(self, *_) -> None:
        self._stop.set()
        self._thread.join(5)

    @property
    def worker_peak_mb(self) -> float:
        return max(self.worker_peak_kb.values(), default=0) / 1024


@dataclass
class Bystander:
    """Other clients: simple queries and pages in two loops while pathological queries run."""

    base: str
    replies: list[tuple[str, Reply]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    def _loop(self, kind: str) -> None:
        while not self.stop.is_set():
            if kind == "ASK":
                self.replies.append((kind, query(self.base, "ASK {}")))
            else:
                self.replies.append((kind, fetch(self.base + "/concept/lead",
                                                 headers={"Accept": "text/html"})))
            time.sleep(0.05)

    def __enter__(self) -> Bystander:
        self.threads = [threading.Thread(target=self._loop, args=(kind,), daemon=True)
                        for kind in ("ASK", "page")]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(30)


class Server:
    """The app under waitress on 127.0.0.1, with its own engine and limits."""

    def __init__(self, **settings):
        from waitress.server import create_server

        from webapp import create_app
        from webapp.serving import waitress_options

        self.app = create_app({"TESTING": True, "SPARQL_WORKERS": WORKERS,
                               "SPARQL_TIMEOUT": TIME_LIMIT, **settings})
        self.engine = self.app.extensions["crmkg"].engine
        self.engine.start()
        self.server = create_server(self.app, host="127.0.0.1", port=0,
                                    **waitress_options(self.app.config, threads=THREADS))
        self.url = f"http://127.0.0.1:{self.server.socket.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()
        assert query(self.url, "ASK {}").status == 200  # waits for the first workers
        self.wait_for_pool()

    def _serve(self) -> None:
        with contextlib.suppress(OSError, ValueError):  # its sockets closed under it at the end
            self.server.run()

    def wait_for_pool(self, timeout: float = 30) -> list[int]:
        """The worker pids, once the pool is whole again (killed workers replaced)."""
        deadline = time.monotonic() + timeout
        while len(self.engine.worker_pids()) < self.engine.size:
            assert time.monotonic() < deadline, "the pool did not recover"
            time.sleep(0.05)
        return self.engine.worker_pids()

    def close(self) -> None:
        stop_waitress(self.server, self.thread)  # no thread left writing to a closed fd
        self.engine.close()


@pytest.fixture(scope="module")
def server():
    running = Server()
    yield running
    running.close()


OUTCOMES: list[str] = []


@pytest.fixture(scope="module", autouse=True)
def report():
    """Print what each query got (pytest -s), for benchmarks/RESULTS.md."""
    yield
    if OUTCOMES:
        print("\n| query | status | seconds | limit | worker peak RSS MiB |")
        print("|---|---:|---:|---|---:|")
        print("\n".join(OUTCOMES))


# --- one at a time, with others answered meanwhile ------------------------------------------

@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_query_is_bounded(server, name):
    text = PATHOLOGICAL[name]
    with Watch(server.engine) as watch, Bystander(server.url) as bystander:
        reply = query(server.url, text)
    limit = reply.headers.get("X-Result-Truncated", "")
    OUTCOMES.append(f"| {name} | {reply.status} | {reply.elapsed:.2f} | {limit or '—'} | "
                    f"{watch.worker_peak_mb:.0f} |")

    assert reply.status in (200, 400, 413, 503), reply.body[:300]
    assert reply.elapsed < TIME_LIMIT + MARGIN, f"{reply.elapsed:.1f} s"
    if reply.status != 200:
        assert reply.headers["Content-Type"].startswith("text/plain")
        assert b"Traceback" not in reply.body
    else:  # bounded: cut at a limit, or small anyway
        assert len(reply.body) <= 2 * MAX_RESULT_BYTES
        assert limit or len(reply.body) < 10 * 1024 * 1024
    # the workers stayed under their cap, and so did the server
    assert watch.worker_peak_mb < MEMORY_MB
    assert watch.server_growth_mb < 512, "the server's memory grew by more than 512 MiB"

    # while it ran, the other client was answered, quickly and normally
    assert bystander.replies, "the other client got no answer while the query ran"
    for kind, other in bystander.replies:
        assert other.status == 200, (kind, other.status, other.body[:200])
        assert other.elapsed < TIME_LIMIT, (kind, other.elapsed)
    # and the pool is whole again: the next simple query is answered normally
    server.wait_for_pool()
    after = query(server.url, "ASK { ?s ?p ?o }")
    assert after.status == 200 and b'"boolean":true' in after.body


def test_expected_outcomes(server):
    """The cases that must be cut, stopped or refused are (not merely 'bounded')."""
    assert query(server.url, PATHOLOGICAL["cartesian product, 3 patterns"]).headers.get(
        "X-Result-Truncated") == "max-rows=10000"
    stopped = query(server.url, PATHOLOGICAL["cartesian product, counted"])
    assert stopped.status == 503 and b"time limit" in stopped.body
    assert query(server.url, PATHOLOGICAL["query over the length limit"]).status == 413
    too_deep = query(server.url, PATHOLOGICAL["subqueries nested 150 deep (over the nesting "
                                              "limit)"])
    assert too_deep.status == 400 and b"nests" in too_deep.body
    big = query(server.url, PATHOLOGICAL["10,000 rows of 25 kB strings (over the size limit)"])
    assert big.status == 200
    assert big.headers.get("X-Result-Truncated") == f"max-bytes={MAX_RESULT_BYTES}"
    server.wait_for_pool()


# --- many at once: the time limit holds under concurrency -----------------------------------

def test_time_limit_holds_under_concurrency(server):
    """Ten queries that never end, sent 0.1 s apart to two workers and eight server threads.

    Each is answered within the time limit (counted from its arrival, queue
    included) plus the margin: the first two are stopped at the limit, the
    next two wait for a worker and get what is left of their time, the others
    are refused at once (too many already wait), which leaves server threads
    free: pages are served throughout, promptly.
    """
    slow = PATHOLOGICAL["cartesian product, counted"]
    replies: dict[int, Reply] = {}

    def send(number: int) -> None:
        replies[number] = query(server.url, slow)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(10)]
    with Bystander(server.url) as bystander:
        for thread in threads:
            thread.start()
            time.sleep(0.1)
        for thread in threads:
            thread.join(TIME_LIMIT + MARGIN + 10)

    assert sorted(replies) == list(range(10))
    for number, reply in replies.items():
        assert reply.status == 503, (number, reply.status, reply.body[:200])
        assert reply.elapsed < TIME_LIMIT + MARGIN, (number, reply.elapsed)
    messages = {reply.body for reply in replies.values()}
    assert any(b"time limit" in m for m in messages)
    pages = [r for kind, r in bystander.replies if kind == "page"]
    # never held behind the slow queries (a page takes milliseconds; half the limit is far)
    assert pages and all(r.status == 200 and r.elapsed < TIME_LIMIT / 2 for r in pages)
    # simple queries get an answer or a "busy" 503, never late and never a 500
    for kind, reply in bystander.replies:
        assert reply.status in (200, 503), (kind, reply.status)
        assert reply.elapsed < TIME_LIMIT + MARGIN
    server.wait_for_pool()
    assert query(server.url, "ASK {}").status == 200


def test_queued_query_gets_only_what_is_left_of_its_time(server):
    """Two workers busy; a third query, queued 1 s later, ends by its own deadline."""
    slow = PATHOLOGICAL["cartesian product, counted"]
    replies: list[Reply] = []
    threads = [threading.Thread(target=lambda: replies.append(query(server.url, slow)))
               for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    queued = query(server.url, slow)
    for thread in threads:
        thread.join(30)
    assert queued.status == 503
    assert queued.elapsed < TIME_LIMIT + MARGIN
    server.wait_for_pool()


# --- memory -------------------------------------------------------------------------------

def test_memory_cap_is_applied_and_a_query_past_it_gets_a_fresh_worker():
    """With a 600 MiB cap, a query that needs gigabytes: 503, and a new worker takes over."""
    capped = Server(SPARQL_WORKER_MEMORY_MB=600, SPARQL_TIMEOUT=30.0)
    try:
        before = capped.wait_for_pool()
        for pid in before:  # the cap is the process's address-space limit
            limits = Path(f"/proc/{pid}/limits").read_text()
            line = next(li for li in limits.splitlines() if li.startswith("Max address space"))
            assert line.split()[3] == str(600 * 1024 * 1024), line
        with Watch(capped.engine) as watch:
            reply = query(capped.url, doubling(30))  # 10 GiB, in a few doublings past the cap
        OUTCOMES.append(f"| string doubled 30 times, 600 MiB cap | {reply.status} | "
                        f"{reply.elapsed:.2f} | memory | {watch.worker_peak_mb:.0f} |")
        assert reply.status == 503, reply.body[:300]
        assert b"memory" in reply.body
        assert reply.elapsed < 30  # the memory limit ended it, not the time limit
        assert watch.worker_peak_mb < 600
        after = capped.wait_for_pool()
        assert len(set(before) - set(after)) == 1  # one worker replaced, the other kept
        assert query(capped.url, "ASK { ?s ?p ?o }").status == 200
    finally:
        capped.close()

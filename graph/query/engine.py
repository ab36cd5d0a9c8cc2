"""Users' SPARQL queries run in worker processes that can be stopped.

Neither pyoxigraph nor rdflib can interrupt a query, and a thread cannot be
killed, so each query runs in a worker process with its own copy of the
store (an on-disk store is opened read-only instead): past the time limit the
worker is killed (the client gets a clear error) and a fresh one takes its
place, while the other workers keep answering. Each worker also caps its
memory (``RLIMIT_AS``: a query that needs more makes the worker fail, the
client gets a 503 and a fresh worker takes its place), and results are cut at
the row limit and at a size limit (:data:`MAX_RESULT_BYTES`) before they are
serialised, so that neither a worker nor the server holds a huge answer.

The time limit counts from when the request reaches the engine, queue
included: when every worker is busy, a request waits for one, and whatever it
waited is taken from the time its query may run. (A wait for a web server
thread, before the engine, is not counted; the rule below keeps threads free.)
So every request is answered within the time limit (plus the cost of stopping
a worker, well under a second) however many arrive at once; under overload the
answer is a 503 ("busy", or "stopped after the time limit"), never a late one.
The one exception is the server's start: the first requests wait for the first
workers to load the store (up to ``start_timeout``). And when every worker has
been on its query for a while (``stuck_after``: a quarter of the time limit,
at most a second), at most ``workers`` requests wait (``max_waiting``): the
others are answered 503 at once (or leave the queue with a 503), so a flood of
slow queries cannot hold every thread of the web server, and pages keep being
served meanwhile; a burst of quick queries still waits its turn
(milliseconds).
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import platform
import queue
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from graph.formats import RESULTS_BY_NAME, RESULTS_FORMATS, SERVED, SERVED_BY_NAME
from graph.query.sandbox import cut_network
from graph.text import first_non_xml_char

log = logging.getLogger(__name__)

#: bytes of results (estimated as JSON) a worker returns at most; more rows are cut
#: (``truncated``), as at the row limit. 10,000 ordinary rows take 1-5 MB.
MAX_RESULT_BYTES = 32 * 1024 * 1024

#: results formats (SELECT, ASK) and RDF syntaxes (CONSTRUCT, DESCRIBE) by name, with their
#: media type (graph/formats.py)
RESULT_FORMATS = {f.name: f.media_type for f in RESULTS_FORMATS}
GRAPH_FORMATS = {s.name: s.media_type for s in SERVED}


@dataclass
class QueryRequest:
    query: str
    result_format: str  # a key of RESULT_FORMATS or GRAPH_FORMATS
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)
    #: IRI against which relative IRIs of the query resolve (the endpoint's own URL)
    base_iri: str | None = None
    #: rows (or triples) wanted at most, below the engine's own limit (0: the engine's)
    max_rows: int = 0

    def row_limit(self, engine_limit: int) -> int:
        return min(engine_limit, self.max_rows) if self.max_rows > 0 else engine_limit


@dataclass
class QueryResponse:
    status: int
    media_type: str
    body: bytes
    truncated: bool = False
    elapsed: float = 0.0
    #: the limit that cut the results, as in the X-Result-Truncated header ("max-rows=N")
    limit: str = ""

    @classmethod
    def error(cls, status: int, message: str) -> QueryResponse:
        return cls(status, "text/plain; charset=utf-8", message.encode("utf-8"))


# --- inside a worker process -----------------------------------------------------------------


def _limit_memory(megabytes: int) -> None:
    if megabytes <= 0:
        return
    try:
        import resource
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # not on this platform
        log.warning("could not limit the memory of SPARQL workers")


def _worker_main(conn: Connection, dump_path: str, memory_mb: int, max_rows: int,
                 max_bytes: int = MAX_RESULT_BYTES, isolation: str = "") -> None:
    import pyoxigraph as ox

    _limit_memory(memory_mb)
    if Path(dump_path).is_dir():  # an on-disk store (STORE_DIR): shared, opened read-only
        store = ox.Store.read_only(dump_path)
    else:  # an N-Quads dump of the in-memory store
        store = ox.Store()
        store.bulk_load(path=dump_path, format=ox.RdfFormat.N_QUADS)
    conn.send(("ready", isolation))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request is None:
            return
        started = time.perf_counter()
        try:
            response = _evaluate(ox, store, request, max_rows, max_bytes)
        except MemoryError:
            response = QueryResponse.error(
                503, "The query needed more memory than this endpoint allows; "
                     "narrow it down or add a LIMIT.")
        except Exception as exc:  # noqa: BLE001 - an engine error is the query's, not ours:
            # the worker answers it and stays up (a dead worker is a 503 and a traceback)
            response = QueryResponse.error(400, f"The query could not be evaluated: {exc}")
        response.elapsed = time.perf_counter() - started
        conn.send(response)


def _evaluate(ox: Any, store: Any, request: QueryRequest, max_rows: int,
              max_bytes: int = MAX_RESULT_BYTES) -> QueryResponse:
    from graph.query.store import term_to_json

    max_rows = request.row_limit(max_rows)
    options: dict[str, Any] = {}
    if request.prefixes:
        options["prefixes"] = request.prefixes
    if request.base_iri:
        options["base_iri"] = request.base_iri
    try:
        if request.default_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
        if request.named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
        results = store.query(request.query, **options)
    except SyntaxError as exc:
        return QueryResponse.error(400, f"SPARQL syntax error: {exc}")
    except ValueError as exc:  # an invalid IRI in the dataset parameters
        return QueryResponse.error(
            400, f"invalid IRI in default-graph-uri or named-graph-uri: {exc}")
    try:
        if isinstance(results, ox.QueryBoolean):
            if request.result_format in GRAPH_FORMATS:
                return results_as_graph(ox, results, request)
            if request.result_format not in RESULT_FORMATS:
                request.result_format = "json"
            out = io.BytesIO()
            results.serialize(out, _results_format(ox, request.result_format))
            return QueryResponse(200, RESULT_FORMATS[request.result_format], out.getvalue())
        if isinstance(results, ox.QuerySolutions):
            names = [v.value for v in results.variables]
            bindings: list[dict[str, Any]] = []
            size, limit = 0, ""
            for row in results:  # rows are read one by one: the limits stop the evaluation
                if len(bindings) == max_rows:
                    limit = f"max-rows={max_rows}"
                    break
                binding = {n: term_to_json(row[n]) for n in names if row[n] is not None}
                size += _json_size(binding)
                if size > max_bytes:
                    limit = f"max-bytes={max_bytes}"
                    break
                bindings.append(binding)
            document = {"head": {"vars": names}, "results": {"bindings": bindings}}
            del bindings
            body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
            del document
            if request.result_format in GRAPH_FORMATS:
                parsed = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
                response = results_as_graph(ox, parsed, request)
                response.truncated, response.limit = bool(limit), limit
                return response
            fmt = request.result_format if request.result_format in RESULT_FORMATS else "json"
            if fmt != "json":
                parsed = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
                out = io.BytesIO()
                parsed.serialize(out, _results_format(ox, fmt))
                body = out.getvalue()
            return _unless_not_xml(QueryResponse(200, RESULT_FORMATS[fmt], body, bool(limit),
                                                 limit=limit))
        triples = []
        size, limit = 0, ""
        for triple in results:
            if len(triples) == max_rows:
                limit = f"max-rows={max_rows}"
                break
            size += len(str(triple))
            if size > max_bytes:
                limit = f"max-bytes={max_bytes}"
                break
            triples.append(triple)
        response = graph_answer(ox, triples, request)
        response.truncated, response.limit = bool(limit), limit
        return response
    except SyntaxError as exc:  # some errors surface while iterating
        return QueryResponse.error(400, f"SPARQL error: {exc}")
    except OSError as exc:
        return QueryResponse.error(400, f"The query could not be evaluated: {exc}")


def graph_answer(ox: Any, triples: list[Any], request: QueryRequest) -> QueryResponse:
    """A CONSTRUCT's or DESCRIBE's triples in the format asked for: an RDF syntax, or, for
    CSV and TSV, a table of subject, predicate and object (as Virtuoso gives it)."""
    if request.result_format in ("csv", "tsv"):
        from graph.query.results_rdf import triples_as_table

        out = io.BytesIO()
        ox.parse_query_results(triples_as_table(triples), ox.QueryResultsFormat.JSON).serialize(
            out, _results_format(ox, request.result_format))
        return QueryResponse(200, RESULT_FORMATS[request.result_format], out.getvalue())
    fmt = request.result_format if request.result_format in GRAPH_FORMATS else "turtle"
    body = ox.serialize(triples, format=_graph_format(ox, fmt),
                        **({"prefixes": request.prefixes} if fmt == "turtle" else {}))
    return _unless_not_xml(QueryResponse(200, GRAPH_FORMATS[fmt], body or b""))


def results_as_graph(ox: Any, results: Any, request: QueryRequest) -> QueryResponse:
    """SELECT or ASK results written as RDF (the result-set vocabulary), in the graph
    format asked for: what Fuseki and Virtuoso answer to a SELECT asked for Turtle."""
    from graph.query.results_rdf import RS, results_as_triples

    fmt = request.result_format
    body = ox.serialize(results_as_triples(results), format=_graph_format(ox, fmt),
                        **({"prefixes": {"rs": RS}} if fmt == "turtle" else {}))
    return _unless_not_xml(QueryResponse(200, GRAPH_FORMATS[fmt], body or b""))


def _unless_not_xml(response: QueryResponse) -> QueryResponse:
    """The response; or a 406 if it is XML holding a character XML 1.0 cannot hold."""
    if "xml" not in response.media_type:
        return response
    char = first_non_xml_char(response.body.decode("utf-8", "replace"))
    if char is None:
        return response
    return QueryResponse.error(
        406, f"The result holds the control character {char}, which XML 1.0 cannot hold: "
             "it has no XML form. Ask for JSON, CSV or TSV results (or Turtle, N-Triples "
             "for a graph).")


def _json_size(binding: dict[str, dict[str, str]]) -> int:
    """About the bytes a binding takes in SPARQL JSON (cheaper than serialising it)."""
    return sum(len(name) + 16 + sum(len(k) + len(v) + 6 for k, v in term.items())
               for name, term in binding.items())


def _results_format(_ox: Any, name: str) -> Any:
    return RESULTS_BY_NAME[name].ox


def _graph_format(_ox: Any, name: str) -> Any:
    return SERVED_BY_NAME[name].ox


# --- in the server ---------------------------------------------------------------------------


class _Worker:
    """A worker process started as ``python -m graph.query.engine``, talking over a socket pair.

    A subprocess (rather than multiprocessing's spawn) does not re-import the
    caller's main module, so it works the same under a console script, pytest
    or an embedding application.
    """

    def __init__(self, dump_path: Path, memory_mb: int, max_rows: int,
                 max_bytes: int = MAX_RESULT_BYTES):
        parent_socket, child_socket = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "graph.query.engine", str(child_socket.fileno()), str(dump_path),
             str(memory_mb), str(max_rows), str(max_bytes)],
            pass_fds=(child_socket.fileno(),), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL)
        child_socket.close()
        self.conn = Connection(parent_socket.detach())
        #: how the worker is cut off the network ("seccomp", "namespace"), or why it is not
        self.isolation = ""

    def wait_ready(self, timeout: float) -> bool:
        try:
            if self.conn.poll(timeout):
                message = self.conn.recv()
                if isinstance(message, tuple) and message[0] == "ready":
                    self.isolation = message[1]
                    return True
        except (EOFError, OSError):
            pass
        return False

    def stop(self) -> None:
        try:
            self.process.kill()
            self.process.wait(5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        finally:
            self.conn.close()


class QueryEngine:
    """A pool of query workers with a time limit per query."""

    def __init__(self, dump_path: Path, workers: int = 2, timeout: float = 10.0,
                 max_rows: int = 10_000, memory_mb: int = 2048, start_timeout: float = 120.0,
                 max_bytes: int = MAX_RESULT_BYTES, max_waiting: int | None = None):
        self.dump_path = dump_path
        self.size = max(1, workers)
        self.timeout = timeout
        self.max_rows = max_rows
        self.memory_mb = memory_mb
        self.max_bytes = max_bytes
        #: requests that may wait for a worker; beyond, 503 at once
        self.max_waiting = self.size if max_waiting is None else max(0, max_waiting)
        #: a worker on the same query for longer than this is "stuck" (slow query)
        self.stuck_after = min(1.0, timeout / 4)
        self._waiting = 0  # requests waiting for a worker
        self._busy: dict[_Worker, float] = {}  # worker → when it was given its query
        self.start_timeout = start_timeout
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._started = False
        self._ever_ready = False  # a worker has been ready once: the start is over
        #: how the workers are cut off the network ("seccomp", "namespace"), once one is up
        self.isolation = ""

    def start(self) -> None:
        """Start the workers (in the background); the first query waits for one."""
        with self._lock:
            if self._started:
                return
            self._started = True
        for _ in range(self.size):
            self._replace()

    def _replace(self) -> None:
        if self._closed:
            return

        def spawn() -> None:
            worker = _Worker(self.dump_path, self.memory_mb, self.max_rows, self.max_bytes)
            if worker.wait_ready(self.start_timeout) and not self._closed:
                with self._lock:
                    self._all.add(worker)
                    self._ever_ready = True
                    if worker.isolation != self.isolation:
                        self.isolation = worker.isolation
                        if not worker.isolation.startswith(("seccomp", "namespace")):
                            log.warning("SPARQL query workers can reach the network: %s; "
                                        "the query guard is the only line", worker.isolation)
                self._idle.put(worker)
            else:
                worker.stop()
                if not self._closed:
                    log.error("a SPARQL worker failed to start")
                    self._idle.put(None)  # wake a waiting request: it answers 503
        threading.Thread(target=spawn, daemon=True, name="crmkg-spawn-worker").start()

    def worker_pids(self) -> list[int]:
        """The process ids of the live workers (idle or busy), to watch their memory."""
        with self._lock:
            return sorted(worker.process.pid for worker in self._all)

    def execute(self, request: QueryRequest) -> QueryResponse:
        """Run one query; answered within ``timeout`` of the call, queue time included."""
        deadline = time.monotonic() + self.timeout
        self.start()
        # while the first workers are still starting, wait for them (not once the pool has
        # been up: a worker being replaced after a kill is waited for as a busy one)
        starting = not self._ever_ready
        wait_until = time.monotonic() + self.start_timeout if starting else deadline
        with self._lock:
            if self._waiting >= self.max_waiting and self._all_stuck():
                return self._too_busy()
            self._waiting += 1
        try:
            while True:
                try:
                    worker = self._idle.get(timeout=min(0.1, max(wait_until - time.monotonic(),
                                                                  0)))
                    break
                except queue.Empty:
                    if time.monotonic() >= wait_until:
                        return QueryResponse.error(
                            503, "All query workers stayed busy for the time limit of "
                                 f"{self.timeout:g} s; try again shortly.")
                    with self._lock:
                        if self._waiting > self.max_waiting and self._all_stuck():
                            return self._too_busy()
        finally:
            with self._lock:
                self._waiting -= 1
        return self._run(worker, request, time.monotonic() + self.timeout if starting
                         else deadline)

    @staticmethod
    def _too_busy() -> QueryResponse:
        return QueryResponse.error(503, "All query workers are busy with long queries and "
                                        "others are waiting; try again shortly.")

    def _all_stuck(self) -> bool:
        """Every worker busy, each on its query for over ``stuck_after`` (hold the lock)."""
        since = time.monotonic() - self.stuck_after
        stuck = sum(1 for started in self._busy.values() if started < since)
        return stuck >= self.size

    def _run(self, worker: _Worker | None, request: QueryRequest,
             deadline: float) -> QueryResponse:
        if worker is None:
            self._replace()
            return QueryResponse.error(503, "The query workers could not start; see the "
                                            "server log.")
        remaining = deadline - time.monotonic()
        if remaining <= 0:  # the wait took all the time: the query does not start
            self._idle.put(worker)
            return QueryResponse.error(
                503, f"All query workers stayed busy for the time limit of {self.timeout:g} s; "
                     "try again shortly.")
        with self._lock:
            self._busy[worker] = time.monotonic()
        try:
            worker.conn.send(request)
            if worker.conn.poll(remaining):
                response = worker.conn.recv()
                with self._lock:
                    self._busy.pop(worker, None)
                self._idle.put(worker)
                return response
            self._discard(worker)
            return QueryResponse.error(
                503, f"The query was stopped after the time limit of {self.timeout:g} s. "
                     "Narrow it down (a more selective pattern, a LIMIT) and try again.")
        except (EOFError, OSError, BrokenPipeError):
            self._discard(worker)
            return QueryResponse.error(
                503, "The worker evaluating the query stopped (the memory limit, most "
                     "often); narrow the query down or add a LIMIT.")

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
            self._busy.pop(worker, None)
        worker.stop()
        if not self._closed:
            self._replace()

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
            worker.stop()


def _main(argv: list[str]) -> None:
    """A worker process: ``python -m graph.query.engine FD DUMP MEMORY_MB MAX_ROWS [MAX_BYTES]``."""
    fd, dump_path, memory_mb, max_rows, *rest = argv
    try:  # first of all, while the process has a single thread
        isolation = cut_network()
    except OSError as exc:
        if platform.system() == "Linux":  # where it must work: no worker rather than one
            print(f"crmkg query worker: could not cut itself off the network ({exc}); "
                  "it does not start.", file=sys.stderr)
            sys.exit(3)
        isolation = f"none ({exc})"
    conn = Connection(int(fd))
    try:
        _worker_main(conn, dump_path, int(memory_mb), int(max_rows),
                     int(rest[0]) if rest else MAX_RESULT_BYTES, isolation)
    except (OSError, EOFError) as exc:  # the server went away, or its data with it
        if Path(dump_path).exists():  # a server shutting down removes its data: no news
            print(f"crmkg query worker stopped: {exc}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    # run from the module under its real name, so that pickled responses name
    # graph.query.engine.QueryResponse rather than __main__.QueryResponse
    from graph.query.engine import _main as worker_entry

    worker_entry(sys.argv[1:])

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
import logging
import queue
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

from graph.query.answers import MAX_RESULT_BYTES, QueryRequest, QueryResponse

__all__ = ["MAX_RESULT_BYTES", "QueryEngine", "QueryRequest", "QueryResponse"]

log = logging.getLogger(__name__)


class _Worker:
    """A worker process started as ``python -m graph.query.worker``, talking over a socket pair.

    A subprocess (rather than multiprocessing's spawn) does not re-import the
    caller's main module, so it works the same under a console script, pytest
    or an embedding application.
    """

    def __init__(self, dump_path: Path, memory_mb: int, max_rows: int,
                 max_bytes: int = MAX_RESULT_BYTES):
        parent_socket, child_socket = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "graph.query.worker", str(child_socket.fileno()), str(dump_path),
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

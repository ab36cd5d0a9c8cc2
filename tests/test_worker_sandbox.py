"""The query workers have no network, whatever the query (issue 15, the second line).

The guard is bypassed here on purpose: queries go straight to the worker pool, as if a
SERVICE had slipped past the guard, and a loopback canary must see no connection. And a
query the engine fails on gets an answer, from a worker that stays up.
"""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

import pytest

from graph.query.engine import QueryRequest
from tests.support.canary import Canary

linux_only = pytest.mark.skipif(platform.system() != "Linux",
                                reason="the workers are cut off the network on Linux only")


@pytest.fixture
def canary():
    listener = Canary()
    yield listener
    listener.close()


@pytest.fixture
def engine(app):
    engine = app.extensions["crmkg"].engine
    assert engine.execute(QueryRequest("ASK {}", "json")).status == 200  # workers are up
    return engine


@linux_only
def test_a_service_past_the_guard_reaches_nothing(engine, canary):
    """The guard is not asked: the worker itself cannot open a connection."""
    for query in (f"SELECT * WHERE {{ SERVICE <{canary.url}/sparql> {{ ?s ?p ?o }} }}",
                  f"SELECT * WHERE {{ SERVICE SILENT <{canary.url}/sparql> {{ ?s ?p ?o }} }}",
                  f"ASK {{ SERVICE <http://localhost:{canary.port}/sparql> {{ ?s ?p ?o }} }}"):
        response = engine.execute(QueryRequest(query, "json"))
        assert response.status in (200, 400), response.body
        if response.status == 400:
            assert b"Permission denied" in response.body
    assert canary.seen() == []


@linux_only
def test_the_workers_run_under_a_seccomp_filter(engine):
    assert engine.isolation == "seccomp"
    for pid in engine.worker_pids():
        status = Path(f"/proc/{pid}/status").read_text()
        assert "Seccomp:\t2" in status, status  # 2: a filter is installed


@linux_only
def test_cut_network_leaves_only_unix_sockets(tmp_path):
    """In a process of its own: no Internet socket, a Unix socket pair still works."""
    script = (
        "import socket\n"
        "from graph.query.sandbox import cut_network\n"
        "print(cut_network())\n"
        "for family in (socket.AF_INET, socket.AF_INET6):\n"
        "    try:\n"
        "        socket.socket(family)\n"
        "    except PermissionError:\n"
        "        print('refused')\n"
        "a, b = socket.socketpair()\n"
        "a.sendall(b'ok')\n"
        "print(b.recv(2).decode())\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["seccomp", "refused", "refused", "ok"]


def test_an_engine_error_is_an_answer_and_the_worker_stays(engine):
    """pyoxigraph raises RuntimeError on an unknown function: it once killed the worker."""
    before = set(engine.worker_pids())
    response = engine.execute(QueryRequest(
        "SELECT (<http://example.org/no-such-function>(?o) AS ?x) WHERE { ?s ?p ?o } LIMIT 1",
        "json"))
    assert response.status == 400, response.body
    assert b"not supported" in response.body
    assert set(engine.worker_pids()) == before
    assert engine.execute(QueryRequest("ASK {}", "json")).status == 200


def test_an_engine_error_through_the_endpoint(client):
    response = client.get("/sparql", query_string={
        "query": "SELECT (<http://example.org/f>(1) AS ?x) {}"})
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert "Traceback" not in response.get_data(as_text=True)

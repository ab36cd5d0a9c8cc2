"""Real external triple stores for the tests, started on 127.0.0.1 and stopped by their PID.

Two servers, as issue 5 asks: Oxigraph's (``oxigraph serve``, from the ``oxigraph``
package of the test extra) and Debian's Virtuoso (``virtuoso-t``, package
``virtuoso-opensource-7-bin``, installed by ``test.sh`` when missing and root).
Each runs in a temporary folder on free loopback ports and is killed at the end.
A server that is not installed makes its tests skip with the reason.

Virtuoso is started from a minimal ``virtuoso.ini`` written here (no VAD packages,
no file access outside its folder); the anonymous ``SPARQL`` account is granted
``SPARQL_UPDATE`` through ``isql`` so that its Graph Store Protocol URL
(``/sparql-graph-crud``) accepts the push's ``PUT`` without authentication. That is
a test set-up: a production Virtuoso keeps updates behind ``/sparql-auth`` (see README).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path


@dataclass
class StoreServer:
    """One running server and the URLs the app and ``crmkg push`` are given."""

    name: str
    query: str
    update: str
    graph_store: str
    process: subprocess.Popen
    #: Virtuoso's default graph is the union of all its graphs; Oxigraph's is a graph of its own
    default_graph_is_union: bool = False
    #: a Graph Store URL that asks for authentication, and the account it accepts
    graph_store_auth: tuple[str, str, str] | None = None

    def stop(self) -> None:
        """Kill the server by its own PID (never by name: other servers may run)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(30)


class NotInstalled(Exception):
    """The server's program is not on this machine; the message says how to get it."""


def free_port() -> int:
    return free_ports(1)[0]


def free_ports(count: int) -> list[int]:
    """``count`` different free ports (each socket is held until all are chosen: two calls
    of a one-port helper can get the same port back, which made Virtuoso's HTTP listener
    fail to bind beside its SQL one)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _wait_until_answering(query_url: str, process: subprocess.Popen, log: Path | None,
                          seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    probe = f"{query_url}?{urllib.parse.urlencode({'query': 'ASK {}'})}"
    while True:
        try:
            request = urllib.request.Request(
                probe, headers={"Accept": "application/sparql-results+json"})
            with urllib.request.urlopen(request, timeout=2):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                process.wait(10)
                detail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
                raise RuntimeError(
                    f"the server behind {query_url} did not start: {detail}") from None
            time.sleep(0.2)


def oxigraph_command() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def start_oxigraph(folder: Path) -> StoreServer:
    command = oxigraph_command()
    if command is None:
        raise NotInstalled("the Oxigraph server is not installed (pip install oxigraph, the "
                           "test extra, provides the oxigraph command)")
    port = free_port()
    log = folder / "oxigraph.log"
    with log.open("wb") as out:
        process = subprocess.Popen([command, "serve", "--location", str(folder / "store"),
                                    "--bind", f"127.0.0.1:{port}"],
                                   stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    _wait_until_answering(f"{base}/query", process, log)
    return StoreServer("oxigraph", f"{base}/query", f"{base}/update", f"{base}/store", process)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
ServerThreads = 10
CheckpointInterval = 60
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxQueryMem = 200M
DirsAllowed = {folder}
VADInstallDir = {folder}
CaseMode = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
EnabledDavVSP = 0
HTTPProxyEnabled = 0

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
"""


def start_virtuoso(folder: Path) -> StoreServer:
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if server is None or isql is None:
        raise NotInstalled("Virtuoso is not installed (Debian package "
                           "virtuoso-opensource-7-bin; test.sh installs it when root)")
    sql_port, http_port = free_ports(2)
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(
        folder=folder, sql_port=sql_port, http_port=http_port))
    log = folder / "virtuoso.log"
    process = subprocess.Popen([server, "+configfile", str(folder / "virtuoso.ini"),
                                "+foreground"], cwd=folder, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    _wait_until_answering(f"{base}/sparql", process, log)
    # the anonymous account may update, so the Graph Store PUT needs no authentication
    granted = subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", "dba",
                              'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
                             capture_output=True, text=True, timeout=60, cwd=folder,
                             stdin=subprocess.DEVNULL)
    if granted.returncode != 0:
        process.kill()
        process.wait(10)
        raise RuntimeError(f"isql could not grant SPARQL_UPDATE: {granted.stdout}"
                           f"{granted.stderr}")
    return StoreServer("virtuoso", f"{base}/sparql", f"{base}/sparql",
                       f"{base}/sparql-graph-crud", process,
                       default_graph_is_union=True,
                       graph_store_auth=(f"{base}/sparql-graph-crud-auth", "dba", "dba"))


STARTERS = {"oxigraph": start_oxigraph, "virtuoso": start_virtuoso}
#: where the pages and SPARQL tests run: the embedded store, then each external server
STORES = ["embedded", *STARTERS]

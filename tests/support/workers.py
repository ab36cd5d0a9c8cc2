"""The query worker processes of an engine, as the operating system sees them."""

from __future__ import annotations

import time
from pathlib import Path


def worker_pids(engine) -> set[int]:
    """The live worker processes of one engine (their command line names its data dump)."""
    marker = str(engine.dump_path).encode()
    found: set[int] = set()
    if not Path("/proc").is_dir():
        return found
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"graph.query.worker" in command and marker in command:
            found.add(int(entry.name))
    return found


def wait_for_workers(engine, timeout: float = 10.0) -> set[int]:
    """The engine's worker pids, once there are as many as it should have (or at timeout)."""
    deadline = time.monotonic() + timeout
    pids = worker_pids(engine)
    while len(pids) != engine.size and time.monotonic() < deadline:
        time.sleep(0.05)
        pids = worker_pids(engine)
    return pids

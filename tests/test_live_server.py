"""The test server itself: stopping it leaves no thread behind (see ``stop_waitress``)."""

from __future__ import annotations

import threading
import urllib.request

from tests.support.servers import LiveServer


def test_stopping_the_live_server_ends_every_thread_it_started(app):
    before = set(threading.enumerate())
    server = LiveServer(app)
    with urllib.request.urlopen(f"{server.url}/-/health", timeout=10) as response:
        assert response.status == 200
    started = set(threading.enumerate()) - before
    assert started  # the loop thread and waitress's worker threads
    server.stop()
    for thread in started:
        thread.join(10)
    assert not [t.name for t in started if t.is_alive()]

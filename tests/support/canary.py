"""A loopback listener that records every connection: the proof that nothing reached out."""

from __future__ import annotations

import socket
import threading
import time


class Canary:
    """A TCP listener on 127.0.0.1 that records every connection (and what was sent)."""

    def __init__(self):
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.1)
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._listen, daemon=True, name="canary")
        self._thread.start()

    def _listen(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except (TimeoutError, OSError):
                continue
            with connection:
                connection.settimeout(0.5)
                try:
                    received = connection.recv(4096)
                except OSError:
                    received = b""
                self.connections.append(received or b"(connected, sent nothing)")

    def seen(self, grace: float = 0.2) -> list[bytes]:
        time.sleep(grace)  # a connection still in the listen queue is counted too
        return list(self.connections)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.socket.close()

"""How the production server (waitress) runs the app: one place for ``crmkg serve`` and tests.

Waitress's defaults suit a trusted network, not an app a training room reaches: a
body of any size was buffered to disk before Flask refused it (waitress's own limit
is 1 GB), and 100 connections idle for up to 120 s each could be held by a few slow
clients. Here waitress refuses a body over twice the app's ``MAX_CONTENT_LENGTH`` at
once (413, before any byte of it is stored), and the connection limit and
idle timeout are settings (``SERVER_CONNECTION_LIMIT``, ``SERVER_CHANNEL_TIMEOUT``).
A public deployment belongs behind a buffering proxy all the same (README, "Behind a
proxy").
"""

from __future__ import annotations

from typing import Any


def waitress_options(config: Any, threads: int | None = None) -> dict[str, Any]:
    """The keyword arguments of ``waitress.serve`` / ``create_server`` for this app."""
    timeout = float(config["SERVER_CHANNEL_TIMEOUT"])
    return {
        "threads": threads or int(config["THREADS"]),
        "connection_limit": int(config["SERVER_CONNECTION_LIMIT"]),
        "channel_timeout": timeout,
        # idle connections are looked for this often: a fraction of the timeout
        "cleanup_interval": max(0.5, min(30.0, timeout / 3)),
        # twice the app's limit: a body a little over it is read whole and answered 413 by
        # the app (a client still sending when waitress closes gets a reset, not the 413);
        # a larger one is refused at once, before any of it is stored
        "max_request_body_size": 2 * int(config["MAX_CONTENT_LENGTH"]),
        "ident": "crmkg",
        "clear_untrusted_proxy_headers": True,
    }

"""What one browser context asked for and complained about: the guard every browser test
runs under (a request off 127.0.0.1, a console error or a page error fails the test)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

LOCAL_HOST = "127.0.0.1"
#: schemes that never reach the network (file: the static site opened from disk)
LOCAL_SCHEMES = {"data", "blob", "about", "file"}


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname == LOCAL_HOST


class Guard:
    """What one browser context asked for and complained about."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self._pages: set[int] = set()
        self.reported = 0  # problems already turned into a failure

    def watch_context(self, context: Any) -> None:
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("page", self.watch_page)
        context.route(lambda url: not is_local(url), lambda route: route.abort("blockedbyclient"))

    def watch_page(self, page: Any) -> None:
        if id(page) in self._pages:
            return
        self._pages.add(id(page))
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            location = message.location or {}
            self.console_errors.append(f"{message.text} ({location.get('url', '?')})")

    @property
    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not is_local(url)]

    def problems(self) -> list[str]:
        found = [f"request off 127.0.0.1: {url}" for url in self.foreign_requests]
        found += [f"console error: {text}" for text in self.console_errors]
        found += [f"page error: {text}" for text in self.page_errors]
        return found

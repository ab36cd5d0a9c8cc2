"""Plain HTTP requests to a live server, as an outside client sends them (urllib)."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message


@dataclass
class Reply:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def media_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip()


def fetch(url: str, *, method: str | None = None, data: bytes | None = None,
          headers: dict[str, str] | None = None, timeout: float = 15) -> Reply:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.headers, error.read())


def get(base: str, params: list[tuple[str, str]] | dict[str, str]) -> Reply:
    return fetch(base + "/sparql?" + urllib.parse.urlencode(params))


def post_form(base: str, params: list[tuple[str, str]] | dict[str, str]) -> Reply:
    return fetch(base + "/sparql", data=urllib.parse.urlencode(params).encode())


def post_body(base: str, body: str, content_type: str) -> Reply:
    return fetch(base + "/sparql", data=body.encode("utf-8"),
                 headers={"Content-Type": content_type})

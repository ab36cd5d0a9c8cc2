"""What the tests of the query page share: running a query in its editor, the answers the
endpoint itself gives (the expectations), the failed requests a test provokes, and axe."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from tests.support.axe import axe_violations  # noqa: F401 - the page's tests use it from here
from tests.support.browser import expect
from tests.support.http import post_form

ROWS = "#yasgui .yasr_results table.dataTable tbody tr"
ERROR = "#yasgui .yasr .query-error"
EDITOR_QUERY = "window.crmkgYasgui.getTab().getQuery()"
#: the widths the pages are looked at
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def open_page(page: Any, lang: str = "fr", fragment: str = "") -> Any:
    """The query page in ``lang``, its editor up."""
    page.goto(f"/sparql?lang={lang}{fragment}")
    expect(page.locator("#yasgui .CodeMirror")).to_be_visible()
    return page


def run(page: Any, query: str) -> Any:
    """Put ``query`` in the editor and run it with the editor's own button; the answer."""
    page.evaluate("q => { window.crmkgYasgui.getTab().setQuery(q); }", query)
    with page.expect_response(lambda r: r.request.method == "POST"
                              and r.url.split("?")[0].endswith("/sparql")
                              and "query=" in (r.request.post_data or "")
                              and _posted_query(r.request.post_data) == query) as answer:
        page.locator("#yasgui .yasqe_queryButton").click()
    return answer.value


def _posted_query(body: str) -> str:
    return (parse_qs(body).get("query") or [""])[0]


def run_select(page: Any, query: str) -> Any:
    answer = run(page, query)
    assert answer.status == 200, answer.text()
    expect(page.locator(ROWS).first).to_be_visible()
    return answer


def run_failing(page: Any, guard: Any, query: str, status: int) -> str:
    """Run a query the endpoint refuses with ``status``; the server's own message."""
    answer = run(page, query)
    assert answer.status == status
    expect(page.locator(ERROR)).to_be_visible()
    forgive_failed_load(page, guard, status)
    return answer.text()


def forgive_failed_load(page: Any, guard: Any, status: int) -> None:
    """Chromium logs each answer with an error status as a console error: the one a test
    provokes on purpose is taken off the guard's list (any other still fails the test)."""
    wanted = f"the server responded with a status of {status}"
    for _ in range(100):
        matching = [text for text in guard.console_errors if wanted in text]
        if matching:
            guard.console_errors.remove(matching[0])
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"no failed request with status {status} was logged")


def endpoint_json(base: str, query: str) -> dict[str, Any]:
    """The endpoint's own JSON answer to ``query`` (what the page must show)."""
    reply = post_form(base, {"query": query, "format": "json"})
    assert reply.status == 200, reply.text
    return json.loads(reply.body)


def endpoint_refusal(base: str, query: str) -> tuple[int, str]:
    """The status and message the endpoint answers a query it refuses."""
    reply = post_form(base, {"query": query})
    assert reply.status >= 400, reply.text
    return reply.status, reply.text


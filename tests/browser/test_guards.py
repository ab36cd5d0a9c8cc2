"""The guards of conftest.py do catch what they are there for.

Every other test relies on them to fail on a request that leaves 127.0.0.1 or on
a console or page error; a guard that saw nothing would let such a test pass.
The off-host request here goes to ``localhost``: a host name the guard refuses
(only 127.0.0.1 is allowed), yet one that would stay on this machine anyway.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.support.browser_guard import Guard, is_local


def wait_until(page, condition: Callable[[], bool], timeout_ms: int = 5_000) -> None:
    waited = 0
    while not condition():
        assert waited < timeout_ms, "the guard saw nothing"
        page.wait_for_timeout(50)
        waited += 50


def test_is_local():
    assert is_local("http://127.0.0.1:8000/map")
    assert is_local("data:,")
    assert not is_local("http://localhost:8000/")
    assert not is_local("https://cdn.jsdelivr.net/npm/vis-network")
    assert not is_local("http://127.0.0.1.nip.io/")
    assert not is_local("ftp://127.0.0.1/")


def test_the_guard_records_and_blocks_requests_off_127_0_0_1(browser, live_server):
    guard = Guard()
    context = browser.new_context(base_url=live_server.url)
    try:
        guard.watch_context(context)
        page = context.new_page()
        guard.watch_page(page)
        failed = []
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.goto("/-/about")
        elsewhere = f"http://localhost:{live_server.port}/static/style.css?guard"
        page.evaluate("url => { const img = new Image(); img.src = url; }", elsewhere)
        wait_until(page, lambda: elsewhere in failed)
        assert guard.foreign_requests == [elsewhere]
        assert any(problem.startswith("request off 127.0.0.1") for problem in guard.problems())
    finally:
        context.close()


def test_the_guard_records_console_and_page_errors(browser, live_server):
    guard = Guard()
    context = browser.new_context(base_url=live_server.url)
    try:
        guard.watch_context(context)
        page = context.new_page()
        guard.watch_page(page)
        page.goto("/-/about")
        page.evaluate("() => { console.error('guard: console'); console.warn('ignored'); }")
        page.evaluate("() => { setTimeout(() => { throw new Error('guard: page'); }, 0); }")
        wait_until(page, lambda: guard.console_errors and guard.page_errors)
        assert len(guard.console_errors) == 1 and "guard: console" in guard.console_errors[0]
        assert "guard: page" in guard.page_errors[0]
        assert guard.foreign_requests == []
    finally:
        context.close()

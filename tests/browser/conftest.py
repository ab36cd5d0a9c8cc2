"""One headless Chromium for the session, a fresh context per test, and guards.

The browser is Debian's ``/usr/bin/chromium`` (``test.sh`` installs it), driven by
Playwright's sync API: no browser is ever downloaded. Without it, or without the
``playwright`` package, every test of this folder is skipped with the reason.

Every context made through :func:`new_page` (and so the ``page`` fixture) is
guarded for the whole test:

- every request is recorded, and one whose host is not 127.0.0.1 fails the test
  (it is also aborted, so that nothing leaves the machine even then);
- console errors and uncaught page errors fail the test.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser_guard import Guard

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Playwright's waits (ms): generous next to what the pages need (the map: support/browser.py)
DEFAULT_TIMEOUT_MS = 10_000


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail the test itself (not its teardown) on what its guard saw during the test."""
    result = yield
    guard = getattr(item, "funcargs", {}).get("guard")
    if isinstance(guard, Guard):
        problems = guard.problems()
        if problems:
            guard.reported = len(problems)
            pytest.fail("the browser saw:\n" + "\n".join(problems), pytrace=False)
    return result


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (Debian's chromium package; test.sh installs it "
                    "as root): the browser tests need a real browser and never download one")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        pytest.skip("the playwright package is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                              headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def guard() -> Guard:
    """The requests and errors of every context of the current test."""
    return Guard()


@pytest.fixture
def new_page(browser: Any, live_server: Any, guard: Guard) -> Iterator[Callable[..., Any]]:
    """``new_page(**context_options)``: a page in a new guarded context on the live app.

    The guard is checked when the test body ends (pytest_runtest_call) and again
    once the contexts are closed: a request that left 127.0.0.1, a console error
    or a page error fails the test.
    """
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        options.setdefault("base_url", live_server.url)
        options.setdefault("viewport", {"width": 1280, "height": 800})
        options.setdefault("locale", "fr-FR")
        options.setdefault("service_workers", "block")
        context = browser.new_context(**options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        guard.watch_context(context)
        contexts.append(context)
        page = context.new_page()
        guard.watch_page(page)  # (a no-op when the context's "page" event came first)
        return page

    yield make
    for context in contexts:
        context.close()
    problems = guard.problems()[guard.reported:]  # what came after the test's own check
    if problems:
        pytest.fail("the browser saw, as the test ended:\n" + "\n".join(problems),
                    pytrace=False)


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """A page in a fresh guarded context (French, JavaScript on, 1280×800)."""
    return new_page()


@pytest.fixture
def screenshots_wanted() -> bool:
    return os.environ.get("CRMKG_SCREENSHOTS") == "1"

"""The search box of every page suggests terms as one types (an ARIA combobox)."""

from __future__ import annotations

import re

from tests.support.browser import expect

OPTIONS = "#site-search-list .autocomplete-option[role=option]"


def test_typing_suggests_terms_and_enter_opens_the_highlighted_one(page, live_server):
    page.goto("/")
    search = page.locator("#site-search")
    expect(search).to_have_attribute("aria-expanded", "false")

    search.click()
    search.press_sequentially("mql", delay=30)
    options = page.locator(OPTIONS)
    expect(options.first).to_be_visible()  # ~150 ms after the last key
    expect(search).to_have_attribute("aria-expanded", "true")
    assert options.count() >= 1
    for i in range(options.count()):
        assert options.nth(i).get_attribute("data-url"), "every option names its page"
    expect(options.first).to_have_attribute("data-url", "/concept/mql")

    search.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(search).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    search.press("Enter")
    page.wait_for_url(f"{live_server.url}/concept/mql")
    expect(page.locator("h1")).to_have_text("lead qualifié marketing (MQL)")  # its acronym


def test_suggestions_ignore_accents_and_escape_closes_the_list(page):
    page.goto("/")
    search = page.locator("#site-search")
    search.click()
    search.press_sequentially("qualifie", delay=30)
    labels = page.locator(f"{OPTIONS} .ac-label")
    expect(labels.filter(has_text=re.compile(r"^lead qualifié marketing$"))).to_have_count(1)
    expect(page.locator("#site-search-list")).to_be_visible()

    search.press("Escape")
    expect(page.locator("#site-search-list")).to_be_hidden()
    expect(search).to_have_attribute("aria-expanded", "false")
    expect(search).to_have_value("qualifie")  # Escape closes the list, keeps the text
    assert re.search(r"/$", page.url), "Escape does not navigate"

"""A concept page: its neighbourhood mini-map, the copy button, the English labels."""

from __future__ import annotations

from tests.support.browser import MAP_TIMEOUT_MS, expect

MQL_URI = "https://w3id.org/crmkg/id/mql"


def test_the_mini_map_draws_the_neighbourhood(page):
    page.goto("/concept/mql")
    mini = page.locator(".mini-map[data-map]")
    expect(mini).to_have_count(1)
    expect(mini.locator("canvas")).to_be_visible(timeout=MAP_TIMEOUT_MS)
    expect(mini).to_have_attribute("data-ready", "true", timeout=MAP_TIMEOUT_MS)
    drawn = int(mini.get_attribute("data-nodes"))
    assert drawn > 1, "the mini-map shows MQL and its neighbours"
    positions = page.evaluate("window.crmkgNetwork.getPositions()")
    assert MQL_URI in positions and len(positions) == drawn


def test_the_copy_button_puts_the_uri_on_the_clipboard(new_page, live_server):
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto("/concept/mql")
    button = page.locator("button[data-copy]").first
    expect(button).to_have_attribute("data-copy", MQL_URI)
    expect(button).to_have_text("Copier l'URI")
    button.click()
    expect(button).to_have_text("Copié !")
    assert page.evaluate("navigator.clipboard.readText()") == MQL_URI
    # the label comes back afterwards (2 s)
    expect(button).to_have_text("Copier l'URI", timeout=5_000)


def test_lang_en_shows_the_english_label(page):
    page.goto("/concept/mql?lang=en")
    expect(page.locator("h1")).to_have_text("marketing qualified lead (MQL)")  # its acronym
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("p.other-language[lang=fr]")).to_have_text("lead qualifié marketing")

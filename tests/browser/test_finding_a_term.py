"""Every kind of page a reader goes through to find a term passes axe-core's WCAG 2.1 A/AA
rules, in both languages, on a desktop and a phone, and fits the phone's width: home,
index (a letter and all letters), tree, search, concept, collection, group, the page of
a source glossary, About, the quiz (question and result), the map (whole, a neighbourhood,
a path) and an error page."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.axe import axe_violations
from tests.support.browser import MAP_READY, MAP_TIMEOUT_MS, expect

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
SOURCE = "https://w3id.org/crmkg/source/datananas"
PAGES = ["/", "/index", "/index?letter=all", "/tree", "/search?q=lead", "/concept/mql",
         "/concept/detracteur", "/collection/funnel-stages", "/collection/leads",
         f"/entity?uri={SOURCE}", "/-/about", "/quiz", "/map", "/map?focus=mql&depth=2",
         "/map?from=dsp&to=crm", "/concept/no-such-term"]


def _check(page: Any, path: str) -> list[str]:
    problems = [f"{path}: {v['id']} {v['nodes']}" for v in axe_violations(page)]
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    if width > viewport:
        problems.append(f"{path}: {width} px wide in a {viewport} px window")
    return problems


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_axe_violation_on_any_page_kind(new_page, guard, lang, viewport):
    page = new_page(viewport=VIEWPORTS[viewport], bypass_csp=True)
    problems: list[str] = []
    for path in PAGES:
        joiner = "&" if "?" in path else "?"
        reply = page.goto(f"{path}{joiner}lang={lang}")
        assert reply.status == (404 if "no-such" in path else 200), path
        page.wait_for_load_state("load")
        if path.startswith("/map"):
            page.wait_for_selector(MAP_READY, timeout=MAP_TIMEOUT_MS)
        problems += _check(page, path)
    # the quiz's result, after an answer
    page.goto(f"/quiz?lang={lang}")
    page.locator("input[name=choice]").first.check()
    page.locator("form.quiz-question button[type=submit]").click()
    expect(page.locator(".quiz-feedback")).to_be_visible()
    problems += _check(page, "/quiz/result")
    assert problems == []
    # the error page's own status is the one console error expected
    missing = [e for e in guard.console_errors if "/concept/no-such-term" in e and "404" in e]
    assert len(missing) == 1
    guard.console_errors.remove(missing[0])


def test_the_index_leads_from_an_acronym_to_its_concept(page, vocabulary):
    page.goto("/index?letter=M")
    mql = vocabulary.concepts["mql"]
    entry = page.locator("ul.index li.see", has_text="MQL").first
    expect(entry).to_contain_text(mql.pref_label["fr"])
    entry.locator("a").click()
    page.wait_for_url("**/concept/mql")
    expect(page.locator("h1")).to_have_text(f"{mql.pref_label['fr']} (MQL)")


def test_the_concept_page_shows_its_path(page, vocabulary):
    page.goto("/concept/MQL")  # capitals: sent on to /concept/mql
    page.wait_for_url("**/concept/mql")
    hrefs = page.locator("nav.breadcrumb li a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    ids = [href.rsplit("/", 1)[-1] for href in hrefs]
    assert hrefs[0].startswith("/collection/") and hrefs[-1] == "/concept/mql"
    concepts = ids[1:]
    assert len(concepts) >= 2, "mql sits under prospect"
    # group › broader › … › concept: each step is a broader concept of the next
    assert concepts[0] in vocabulary.collections[ids[0]].members
    assert not vocabulary.concepts[concepts[0]].broader
    for upper, lower in zip(concepts, concepts[1:], strict=False):
        assert upper in vocabulary.concepts[lower].broader, (upper, lower)
    expect(page.locator(".hierarchy .here")).to_have_text(
        vocabulary.concepts["mql"].pref_label["fr"])

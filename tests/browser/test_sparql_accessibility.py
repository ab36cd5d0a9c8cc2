"""The query page passes axe-core's WCAG 2.1 A/AA rules in both languages, on a desktop
and a phone: as it opens, with results, and with a failed query's message."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.support.browser import expect
from tests.support.sparql_page import (
    ERROR,
    VIEWPORTS,
    axe_violations,
    open_page,
    run_failing,
    run_select,
)

#: a query whose results hold our IRIs, other IRIs, labels with a language, and numbers
MIXED = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
         "SELECT ?concept ?label ?kind (STRLEN(?label) AS ?length) WHERE {\n"
         "  ?concept skos:prefLabel ?label ; a ?kind } ORDER BY ?concept LIMIT 12")
BROKEN = "SELECT ?concept WHERE { ?concept ?p }"


def _check(page, moment: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"axe, {moment}: " + "; ".join(
        f"{v['id']} ({v['help']}): {v['nodes'][:3]}" for v in violations)


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_axe_violation_before_and_after_a_query(new_page, guard, lang, viewport):
    page = new_page(viewport=VIEWPORTS[viewport], bypass_csp=True)
    open_page(page, lang)
    _check(page, "as the page opens")
    run_select(page, MIXED)
    expect(page.locator("#yasgui .yasr_results a.iri").first).to_be_visible()
    _check(page, "with results")
    run_failing(page, guard, BROKEN, 400)
    expect(page.locator(ERROR)).to_be_visible()
    _check(page, "with a failed query's message")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_axe_violation_on_the_results_page(new_page, lang):
    page = new_page(viewport=VIEWPORTS["phone"], bypass_csp=True)
    page.goto(f"/sparql?lang={lang}&format=html&query=" + quote(MIXED, safe=""))
    expect(page.locator("table.results tbody tr").first).to_be_visible()
    _check(page, "on the results page")

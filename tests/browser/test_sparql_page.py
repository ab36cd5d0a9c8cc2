"""The query page: YASGUI runs an example; the plain form works with or without JavaScript."""

from __future__ import annotations

from tests.support.browser import expect

#: the rows of YASR's table plugin (a DataTables table) inside the YASGUI host
YASR_ROWS = "#yasgui .yasr table.dataTable tbody tr"
#: the funnel's first two stages, from the first example (01-funnel-in-order.rq)
FUNNEL_START = ("suspect", "lead")


def test_yasgui_runs_the_first_example_and_shows_a_table(page):
    page.goto("/sparql")
    expect(page.locator("#yasgui .yasgui")).to_be_visible()
    expect(page.locator("#yasgui .CodeMirror")).to_be_visible()  # the editor is up
    expect(page.locator(YASR_ROWS)).to_have_count(0)  # nothing runs by itself

    example = page.locator("a.example[data-query]").first
    query = example.get_attribute("data-query")
    with page.expect_response(lambda r: r.request.method == "POST"
                              and r.url.split("?")[0].endswith("/sparql")) as answer:
        example.click()
    assert answer.value.status == 200
    assert page.url.endswith("/sparql"), "the example runs in place: no navigation"

    rows = page.locator(YASR_ROWS)
    expect(rows.first).to_be_visible()
    assert rows.count() >= 3
    # a label is shown as itself, its language as a tag beside it (not "suspect"@fr)
    labels = page.locator('#yasgui .yasr table.dataTable .value[lang="fr"]')
    expect(labels.first).to_be_visible()
    french = labels.all_inner_texts()
    for label in FUNNEL_START:
        assert label in french
    # in funnel order: suspect before lead
    assert french.index("suspect") < french.index("lead")
    expect(page.locator("#yasgui .yasr table.dataTable")).not_to_contain_text('"@fr')
    # the editor holds the example that ran
    editor_text = page.evaluate("window.crmkgYasgui.getTab().getQuery()")
    assert editor_text.strip() == query.strip()


def _cell_texts(page) -> list[str]:
    """The values of the results table (a literal's language is a tag beside it)."""
    return [text.strip() for text in
            page.locator("table.results tbody td :is(.value, a.iri)").all_inner_texts()]


def _run_plain_form(page):
    page.goto("/sparql")
    form = page.locator("form:has(textarea[name=query])")
    expect(form.locator("select[name=format]")).to_have_value("html")
    form.locator("select[name=format]").select_option("html")
    assert "SELECT" in form.locator("textarea[name=query]").input_value()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    table = page.locator("table.results")
    expect(table).to_be_visible()
    assert table.locator("tbody tr").count() >= 3
    cells = _cell_texts(page)
    for label in FUNNEL_START:
        assert label in cells, f"{label!r} not among the result cells {cells}"


def test_plain_form_shows_a_results_table(page):
    _run_plain_form(page)


def test_plain_form_works_without_javascript(new_page):
    page = new_page(java_script_enabled=False)
    _run_plain_form(page)
    # and the first example's link is itself a query that gives the same table
    page.goto("/sparql")
    expect(page.locator("#yasgui .yasgui")).to_have_count(0)  # no YASGUI without JS
    page.locator("a.example[data-query]").first.click()
    expect(page.locator("table.results tbody tr").first).to_be_visible()
    assert "suspect" in _cell_texts(page)

"""The hierarchy: a "+N" link loads a node's children in place."""

from __future__ import annotations

from tests.support.browser import expect

GROUP = "https://w3id.org/crmkg/collection/leads"


def test_expand_loads_the_children_inline(page, live_server):
    page.goto(f"/tree?node={GROUP}")
    links = page.locator("li[data-expand] > a.expand")
    assert links.count() >= 1, "the group 'leads' has members with narrower concepts"
    item = page.locator("li[data-expand]:has(> a.expand)").first
    link = item.locator(":scope > a.expand")
    uri = item.get_attribute("data-uri")
    children = int(item.get_attribute("data-children"))
    assert children >= 1
    expect(link).to_have_text(f"+{children}")
    before = page.url
    item = page.locator(f'li[data-uri="{uri}"]')
    expect(item.locator("ul.tree")).to_have_count(0)

    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url)
            if frame == page.main_frame else None)
    with page.expect_response(lambda r: "/tree.json" in r.url) as answer:
        link.click()
    assert answer.value.ok
    expect(item.locator("ul.tree")).to_have_count(1)
    expect(item.locator("ul.tree > li")).to_have_count(children)
    assert page.url == before, "the children load in place"
    assert navigations == [], f"the page navigated: {navigations}"
    # the new children are links to their concept pages, focused for the keyboard
    first = item.locator("ul.tree > li > a").first
    expect(first).to_be_focused()
    assert first.get_attribute("href").startswith("/concept/")

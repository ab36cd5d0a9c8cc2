"""The hierarchy as an ARIA tree (static/tree.js): one Tab stop for the whole tree, the
arrow keys to move, open and close; a node whose children were not sent loads them in
place; without the script, nested lists of plain links."""

from __future__ import annotations

from tests.support.browser import expect

GROUP = "https://w3id.org/crmkg/collection/leads"


def test_one_tab_stop_and_the_arrow_keys(page):
    page.goto("/tree")
    tree = page.locator("ul.tree[role=tree]")
    expect(tree).to_have_count(1)
    items = page.locator("a[role=treeitem]")
    total = items.count()
    assert total > 100, "our tree is sent whole"
    # one item only is in the Tab order
    assert page.locator("a[role=treeitem][tabindex='0']").count() == 1
    assert page.locator("a[role=treeitem][tabindex='-1']").count() == total - 1
    page.locator("main").focus()
    page.keyboard.press("Tab")
    first = items.first
    expect(first).to_be_focused()
    page.keyboard.press("Tab")  # the next Tab leaves the tree
    assert page.evaluate("document.activeElement.getAttribute('role')") != "treeitem"

    # down moves to the next visible item; left closes an open branch, right opens it
    first.focus()
    expect(first).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    second = page.locator("a[role=treeitem][tabindex='0']")
    assert second.get_attribute("href") != first.get_attribute("href")
    page.keyboard.press("ArrowUp")
    expect(first).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(first).to_have_attribute("aria-expanded", "false")
    group = first.locator("xpath=following-sibling::ul")
    expect(group).to_be_hidden()
    page.keyboard.press("ArrowRight")
    expect(first).to_have_attribute("aria-expanded", "true")
    expect(group).to_be_visible()
    # Enter opens the page of the focused node
    page.keyboard.press("Enter")
    page.wait_for_url("**/collection/**")


def test_a_branch_not_sent_loads_in_place(page, live_server):
    page.goto(f"/tree?node={GROUP}")
    closed = page.locator("a[role=treeitem][aria-expanded='false']")
    assert closed.count() >= 1, "the group 'leads' has members with narrower concepts"
    uri = closed.first.locator("xpath=..").get_attribute("data-uri")
    li = page.locator(f'li[data-uri="{uri}"]')
    item = li.locator(":scope > a[role=treeitem]")
    children = int(li.get_attribute("data-children"))
    before = page.url
    with page.expect_response(lambda r: "/tree.json" in r.url) as answer:
        li.locator(":scope > .twisty").click()
    assert answer.value.ok
    expect(item).to_have_attribute("aria-expanded", "true")
    expect(li.locator(":scope > ul[role=group] > li")).to_have_count(children)
    assert page.url == before, "the children load in place"
    first = li.locator(":scope > ul > li > a[role=treeitem]").first
    assert first.get_attribute("href").startswith("/concept/")


def test_without_javascript_every_node_is_a_link(new_page):
    page = new_page(java_script_enabled=False)
    page.goto(f"/tree?node={GROUP}")
    expect(page.locator("[role=tree]")).to_have_count(0)
    links = page.locator(".tree-root li > a.node")
    assert links.count() >= 1
    more = page.locator(".tree-root li > a.expand").first
    assert "/tree?node=" in more.get_attribute("href")

"""Labels and definitions holding markup show as text on every page."""

from __future__ import annotations

import json
import re

import pytest

HOSTILE_LABEL = '<script>alert("label")</script> cookie "quoted" \'single\''
HOSTILE_DEFINITION = ('A definition with </script><img src=x onerror=alert(1)> and '
                      '<b>bold</b> & "quotes".')
HOSTILE_ALT = "javascript:alert(1)"


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    from tests.support.data import DataCopy
    from webapp import create_app

    copy = DataCopy(tmp_path_factory.mktemp("hostile") / "data")
    path = copy.term("cookie")
    text = path.read_text(encoding="utf-8")
    text = text.replace("prefLabel:\n  fr: cookie",
                        "prefLabel:\n  fr: " + json.dumps(HOSTILE_LABEL))
    text = re.sub(r"definition:\n  fr: >-\n(    .*\n)+",
                  "definition:\n  fr: " + json.dumps(HOSTILE_DEFINITION) + "\n", text, count=1)
    text = text.replace("altLabel:\n  fr: [", "altLabel:\n  fr: [" + json.dumps(HOSTILE_ALT) + ", ")
    path.write_text(text, encoding="utf-8")
    app = create_app({"DATA_DIR": str(copy.root), "SPARQL_WORKERS": 1})
    app.extensions["crmkg"].engine.start()
    yield app.test_client()
    app.extensions["crmkg"].engine.close()


PAGES = ["/concept/cookie", "/search?q=cookie", "/search?q=script", "/index?letter=S",
         "/tree", "/map", "/map?focus=cookie", "/concept/rgpd", "/collection/donnees",
         "/sparql?format=html&query=" + "SELECT%20%3Fl%20%7B%20%3Fc%20%3Chttp%3A%2F%2Fwww.w3.org"
         "%2F2004%2F02%2Fskos%2Fcore%23prefLabel%3E%20%3Fl%20%7D"]


@pytest.mark.parametrize("url", PAGES)
def test_markup_in_data_is_shown_as_text(hostile_client, url):
    response = hostile_client.get(url)
    assert response.status_code == 200, response.data[:300]
    html = response.get_data(as_text=True)
    assert '<script>alert("label")' not in html
    assert "<img src=x" not in html
    assert "<b>bold</b>" not in html
    scripts = re.findall(r"<script\b[^>]*>", html)
    for tag in scripts:  # only our own scripts and the JSON-LD data block
        assert 'src="/static/' in tag or 'type="application/ld+json"' in tag, tag
    assert 'href="javascript:' not in html


def test_the_hostile_label_is_visible_as_text(hostile_client):
    html = hostile_client.get("/concept/cookie").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;label&#34;)&lt;/script&gt;" in html or \
        "&lt;script&gt;alert(&quot;label&quot;)&lt;/script&gt;" in html
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert HOSTILE_LABEL in json.dumps(json.loads(block), ensure_ascii=False).replace(
        '\\"', '"')


def test_json_twins_keep_the_text_exact(hostile_client):
    data = hostile_client.get("/concept/cookie.json").get_json()
    assert data["label"] == HOSTILE_LABEL
    nodes = hostile_client.get("/map/data.json?focus=cookie").get_json()["nodes"]
    cookie = [n for n in nodes if n["id"].endswith("/cookie")][0]
    assert cookie["label"] == HOSTILE_LABEL
    assert HOSTILE_DEFINITION in cookie["title"]

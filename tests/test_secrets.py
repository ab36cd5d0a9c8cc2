"""No secret in any response, page, JSON twin, log line or error message (issue 10).

The app is started with a canary value in every secret setting: the key that signs
the quiz's cookie, and an account inside each store URL. Every route is walked (the
list the injection tests walk, :mod:`tests.support.routes`), and neither the responses nor the
log may hold a canary. Then the same with a store that cannot be reached, whose error
messages name its URL. The About page shows no server path either.
"""

from __future__ import annotations

import logging
import socket

import pytest

from graph.config import PROJECT_ROOT
from tests.support.routes import every_url

SECRET_KEY = "canary-secret-key-3e1f9b"
USER = "canary-user-5d2c"
PASSWORD = "canary-password-8a7b"
CANARIES = (SECRET_KEY, USER, PASSWORD)
CONCEPTS = ["mql", "sql", "dsp", "funnel"]
COLLECTIONS = ["funnel-stages", "nps-scale"]


def with_account(url: str) -> str:
    return url.replace("http://", f"http://{USER}:{PASSWORD}@", 1)


def assert_no_canary(where: str, *texts: str | bytes) -> None:
    for text in texts:
        data = text if isinstance(text, bytes) else text.encode("utf-8", "replace")
        for canary in CANARIES:
            assert canary.encode() not in data, f"{canary} in {where}"


def walk(application, caplog) -> int:
    """Every route, in both languages, as HTML and as JSON: no canary anywhere."""
    client = application.test_client()
    checked = 0
    urls = every_url(application, CONCEPTS, COLLECTIONS)
    for url in urls + [url + ("&" if "?" in url else "?") + "lang=en" for url in urls]:
        for accept in ("text/html", "application/json"):
            response = client.get(url, headers={"Accept": accept})
            assert_no_canary(f"{url} ({accept})", response.data, str(response.headers))
            checked += 1
    response = client.post("/quiz/reset")
    assert_no_canary("/quiz/reset", response.data, str(response.headers))
    assert_no_canary("the log", "\n".join(record.getMessage() + str(record.exc_info or "")
                                           for record in caplog.records))
    return checked


def test_the_embedded_app_tells_no_secret(caplog):
    from webapp import create_app

    caplog.set_level(logging.DEBUG)
    application = create_app({"TESTING": True, "SECRET_KEY": SECRET_KEY, "SPARQL_WORKERS": 1})
    try:
        assert walk(application, caplog) > 300
        about = application.test_client().get("/-/about.json").get_json()
        shown = {s["name"]: s["value"] for s in about["settings"]}
        assert shown["SECRET_KEY"] == "set" and shown["SPARQL_ENDPOINT"] == "not set"
        page = application.test_client().get("/-/about").get_data(as_text=True)
        assert str(PROJECT_ROOT) not in page  # no server path
        assert str(PROJECT_ROOT) not in str(about)
    finally:
        application.extensions["crmkg"].engine.close()


def test_an_app_on_an_external_store_tells_no_account(triple_store, remote_app, caplog):
    from webapp import create_app

    server = triple_store("oxigraph")
    remote_app("oxigraph")  # our vocabulary pushed into it
    caplog.set_level(logging.DEBUG)
    application = create_app({
        "TESTING": True, "SECRET_KEY": SECRET_KEY,
        "SPARQL_ENDPOINT": with_account(server.query),
        "SPARQL_UPDATE_ENDPOINT": with_account(server.update),
        "GRAPH_STORE_ENDPOINT": with_account(server.graph_store)})
    assert application.test_client().get("/concept/mql").status_code == 200  # it works
    assert walk(application, caplog) > 300
    shown = {s["name"]: s["value"]
             for s in application.test_client().get("/-/about.json").get_json()["settings"]}
    assert shown["SPARQL_ENDPOINT"] == shown["GRAPH_STORE_ENDPOINT"] == "set"


def test_a_store_that_cannot_be_reached_tells_no_account(caplog):
    from webapp import create_app

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    caplog.set_level(logging.DEBUG)
    try:
        application = create_app({
            "TESTING": True, "SECRET_KEY": SECRET_KEY,
            "SPARQL_ENDPOINT": with_account(f"http://127.0.0.1:{closed}/sparql")})
    except Exception as exc:  # noqa: BLE001 - refusing to start is fine; saying why must be safe
        assert_no_canary("the start-up error", str(exc))
        return
    client = application.test_client()
    for url in ("/", "/concept/mql", "/sparql?query=ASK%7B%7D", "/-/about", "/search?q=mql"):
        response = client.get(url)
        assert response.status_code in (200, 503), url
        assert_no_canary(url, response.data)
    assert_no_canary("the log", "\n".join(r.getMessage() for r in caplog.records))


def test_push_never_prints_the_account(triple_store, tmp_path):
    from click.testing import CliRunner

    from graph.cli import main as cli

    server = triple_store("oxigraph")
    result = CliRunner().invoke(cli, ["push", "--graph-store", with_account(server.graph_store),
                                      "--graph", "https://example.org/canary-graph"])
    assert result.exit_code == 0, result.output
    assert_no_canary("crmkg push", result.output)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    failed = CliRunner().invoke(cli, ["push", "--graph-store",
                                      with_account(f"http://127.0.0.1:{closed}/store")])
    assert failed.exit_code == 1
    assert_no_canary("crmkg push's error", failed.output)
    assert "cannot be reached" in failed.output


@pytest.mark.parametrize("setting", ["SPARQL_ENDPOINT", "PUBLIC_URL"])
def test_a_bad_url_setting_is_refused_without_repeating_its_account(setting):
    from webapp import create_app

    with pytest.raises(ValueError) as refused:
        create_app({"TESTING": True, setting: f"ftp://{USER}:{PASSWORD}@host/x"})
    assert_no_canary("the error", str(refused.value))

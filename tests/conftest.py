"""Fixtures: the real data, the real graph, and throw-away copies of the data to break."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from graph.config import PROJECT_ROOT, Settings
from graph.vocabulary.build import build_graph
from graph.vocabulary.load import load_vocabulary
from graph.vocabulary.model import Vocabulary
from tests.support.data import SHARED_MISSING, DataCopy
from tests.support.servers import LiveServer
from tests.support.triple_stores import STORES

#: test modules that take more than a few seconds each (README, "Tests": the fast subset
#: leaves them out)
SLOW_MODULES = {"test_http_load", "test_pathological_queries", "test_fuzz_routes",
                "test_fuzz_sparql", "test_fuzz_yaml", "test_any_vocabulary", "test_benchmarks",
                "test_atomic_writes", "test_slides", "test_sparql_limits", "test_import",
                "test_static_site"}
#: fixtures that start a triple store server
STORE_FIXTURES = {"triple_store", "remote_app"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test by what it needs (pyproject.toml lists the markers): the fast
    subset is ``pytest -m "not browser and not slow and not external_store"``."""
    for item in items:
        path = Path(str(item.fspath))
        if "browser" in path.parts:
            item.add_marker(pytest.mark.browser)
        if path.stem in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
        fixtures = set(getattr(item, "fixturenames", ()))
        store = getattr(getattr(item, "callspec", None), "params", {}).get("any_store_client")
        if fixtures & STORE_FIXTURES and store != "embedded":
            item.add_marker(pytest.mark.external_store)
        if any(mark.kwargs.get("reason") == SHARED_MISSING
               for mark in item.iter_markers("skipif")):
            item.add_marker(pytest.mark.shared_data)


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(PROJECT_ROOT / "data", PROJECT_ROOT / "ontology", "https://w3id.org/crmkg/")


@pytest.fixture(scope="session")
def vocabulary(settings: Settings) -> Vocabulary:
    return load_vocabulary(settings.data_dir)


@pytest.fixture(scope="session")
def graph(vocabulary: Vocabulary, settings: Settings) -> Graph:
    return build_graph(vocabulary, settings)


@pytest.fixture
def data_copy(tmp_path: Path) -> DataCopy:
    return DataCopy(tmp_path / "data")


# --- the web app ---------------------------------------------------------------------------

@pytest.fixture(scope="session")
def app():
    from webapp import create_app

    application = create_app({"TESTING": True, "SPARQL_WORKERS": 2, "SPARQL_TIMEOUT": 5.0})
    application.extensions["crmkg"].engine.start()
    yield application
    application.extensions["crmkg"].engine.close()


@pytest.fixture(scope="session")
def static_site(tmp_path_factory):
    """Our vocabulary built once as a static site (crmkg site): its folder and report."""
    from webapp.staticsite.build import build_site

    folder = tmp_path_factory.mktemp("static-site") / "site"
    return build_site(folder, lang="fr")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def live_server(app):
    server = LiveServer(app)
    yield server
    server.stop()


# --- external triple stores (tests/support/triple_stores.py) ------------------------------



@pytest.fixture(scope="session")
def triple_store(tmp_path_factory):
    """``triple_store(name)``: that server, started on first use and stopped at the end.

    A server that is not installed makes the test skip, with how to install it.
    """
    from tests.support.triple_stores import STARTERS, NotInstalled

    running: dict[str, object] = {}

    def get(name: str):
        if name not in running:
            try:
                running[name] = STARTERS[name](tmp_path_factory.mktemp(name))
            except NotInstalled as missing:
                running[name] = missing
        server = running[name]
        if isinstance(server, NotInstalled):
            pytest.skip(str(server))
        return server

    yield get
    for server in running.values():
        if not isinstance(server, NotInstalled):
            server.stop()


@pytest.fixture(scope="session")
def remote_app(triple_store):
    """``remote_app(name)``: the app reading from that server, our vocabulary pushed into it."""
    from click.testing import CliRunner

    from graph.cli import main as cli
    from webapp import create_app

    apps: dict[str, object] = {}

    def get(name: str):
        if name not in apps:
            server = triple_store(name)
            pushed = CliRunner().invoke(cli, ["push", "--graph-store", server.graph_store])
            assert pushed.exit_code == 0, pushed.output
            apps[name] = create_app({"TESTING": True, "SPARQL_ENDPOINT": server.query,
                                     "SPARQL_TIMEOUT": 10.0})
        return apps[name]

    return get


@pytest.fixture(params=STORES)
def any_store_client(request, app, remote_app):
    """A test client of the app on each store in turn (embedded, Oxigraph, Virtuoso)."""
    chosen = app if request.param == "embedded" else remote_app(request.param)
    return chosen.test_client()


# --- a loopback listener that must see nothing, and a file that must never be read -----------

@pytest.fixture(scope="module")
def canary():
    """A loopback listener standing for any server a query could make us contact."""
    from tests.support.canary import Canary

    listener = Canary()
    yield listener
    listener.close()


@pytest.fixture
def quiet_canary(canary):
    """The canary, checked to have seen nothing during the test."""
    canary.connections.clear()
    yield canary
    assert canary.seen() == [], "the endpoint connected to the canary"


@pytest.fixture
def secret_file(tmp_path) -> tuple[Path, str]:
    """A Turtle file whose only content is a unique secret (as a literal and an IRI)."""
    import uuid

    secret = f"secret-{uuid.uuid4().hex}"
    path = tmp_path / f"{secret}.ttl"
    path.write_text(f'<http://example.org/{secret}> <http://example.org/p> "{secret}" .\n',
                    encoding="utf-8")
    return path, secret

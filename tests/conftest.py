"""Fixtures: the real data, the real graph, and throw-away copies of the data to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph

from graph.config import PROJECT_ROOT, Settings
from graph.vocabulary.build import build_graph
from graph.vocabulary.load import load_vocabulary
from graph.vocabulary.model import Vocabulary

SHARED = PROJECT_ROOT.parent / "shared"
SEEDS = SHARED / "seeds"

SHARED_MISSING = ("../shared (glossaries, conformance data) is not beside this clone; "
                  "CI has it, a user's fresh clone does not")
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=SHARED_MISSING)
#: test modules that take more than a few seconds each (README, "Tests": the fast subset
#: leaves them out)
SLOW_MODULES = {"test_http_load", "test_pathological_queries", "test_fuzz_routes",
                "test_fuzz_sparql", "test_fuzz_yaml", "test_any_vocabulary", "test_benchmarks",
                "test_atomic_writes", "test_slides", "test_sparql_limits", "test_import"}
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


class DataCopy:
    """A copy of data/ in a temporary folder, with small editing helpers."""

    def __init__(self, root: Path):
        self.root = root
        shutil.copytree(PROJECT_ROOT / "data", root)

    def term(self, concept_id: str) -> Path:
        return self.root / "terms" / f"{concept_id}.yaml"

    def replace(self, path: Path, old: str, new: str) -> int:
        """Replace the first ``old`` in ``path``; return the 1-based line where it was."""
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        line = text[: text.index(old)].count("\n") + 1
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return line

    def line_of(self, path: Path, fragment: str) -> int:
        text = path.read_text(encoding="utf-8")
        return text[: text.index(fragment)].count("\n") + 1

    def load(self) -> Vocabulary:
        return load_vocabulary(self.root)


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


@pytest.fixture
def client(app):
    return app.test_client()


class LiveServer:
    """The app under waitress on 127.0.0.1, in a thread, as ``crmkg serve`` runs it."""

    def __init__(self, application):
        import socket
        import threading

        from waitress.server import create_server

        from webapp.serving import waitress_options

        self.server = create_server(application, host="127.0.0.1", port=0,
                                    **waitress_options(application.config, threads=4))
        self.port = self.server.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        with socket.create_connection(("127.0.0.1", self.port), timeout=5):
            pass

    def stop(self) -> None:
        stop_waitress(self.server, self.thread)


def stop_waitress(server, thread) -> None:
    """Stop a waitress server run in a thread, leaving no thread that writes to a closed fd.

    ``server.close()`` alone closes the trigger pipe while waitress's worker
    threads may still pull it: their ``os.write(fd, b"x")`` then lands in whatever
    file reuses that fd number, such as the pipe through which ``subprocess.Popen``
    learns that a child's exec failed; a started server then looked failed and
    Popen waited forever for it (a hang seen here). So: stop the worker threads
    first, then close every channel from the loop's own thread, and let the loop end.
    """
    server.task_dispatcher.shutdown()

    def close_everything() -> None:
        for dispatcher in list(server._map.values()):
            dispatcher.close()

    server.trigger.pull_trigger(close_everything)
    thread.join(10)


@pytest.fixture(scope="session")
def live_server(app):
    server = LiveServer(app)
    yield server
    server.stop()


# --- external triple stores (tests/triple_stores.py) ---------------------------------------

#: where the pages and SPARQL tests run: the embedded store, then each external server
STORES = ["embedded", "oxigraph", "virtuoso"]


@pytest.fixture(scope="session")
def triple_store(tmp_path_factory):
    """``triple_store(name)``: that server, started on first use and stopped at the end.

    A server that is not installed makes the test skip, with how to install it.
    """
    from tests.triple_stores import STARTERS, NotInstalled

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

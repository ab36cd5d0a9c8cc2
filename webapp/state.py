"""Everything the views share, built once when the app starts.

What is served: our YAML vocabulary (the default), or the RDF files of
``DATA_FILES`` (any SKOS vocabulary), or both (``WITH_OWN_DATA``). Every input
is bulk-loaded into one pyoxigraph store, in memory or on disk (``STORE_DIR``,
reopened at the next start when its inputs have not changed), and the views
read everything from that store. The rdflib graph of our own vocabulary is
built only when it is served, for the quiz and the checksum; the app never
parses external files with rdflib.

What takes a moment on a large vocabulary is built after start-up, in a
background thread (the label index) or on first use and then kept
(:meth:`AppState.cached`: the map's network, the A–Z index, the top of the tree).
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from rdflib import Graph

from graph import __version__
from graph.config import Settings, as_namespace
from graph.query.engine import QueryEngine
from graph.query.reader import VocabularyReader
from graph.query.remote import RemoteQueryEngine, RemoteStore
from graph.query.search import LabelIndex
from graph.query.store import EmbeddedStore, Progress, Source, StoreError, rdf_file_format
from graph.vocabulary.build import build_graph
from graph.vocabulary.load import load_vocabulary
from graph.vocabulary.model import Vocabulary

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class AppState:
    store: EmbeddedStore | RemoteStore
    reader: VocabularyReader
    index: LabelIndex
    engine: QueryEngine | RemoteQueryEngine
    base_uri: str
    #: our own vocabulary as an rdflib graph, when it is served (the quiz reads it); else None
    graph: Graph | None = None
    #: our own vocabulary's model, when it is served (the slides read it); else None
    vocabulary: Vocabulary | None = None
    #: whether our YAML vocabulary is among what is served
    own_data: bool = True
    #: the external RDF files served (DATA_FILES), as given
    data_files: list[str] = field(default_factory=list)
    version: str = __version__
    counts: dict[str, int] = field(default_factory=dict)
    data_checksum: str = ""
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False)
    _locks: dict[Any, threading.Lock] = field(default_factory=dict, repr=False)
    _guard: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def concept_namespace(self) -> str:
        return self.base_uri + "id/"

    def local_id(self, uri: str) -> str | None:
        """The id of a concept of our namespace (the end of its URI), else None."""
        if uri.startswith(self.concept_namespace):
            rest = uri[len(self.concept_namespace):]
            if rest and "/" not in rest and "?" not in rest and "#" not in rest:
                return rest
        return None

    def kept(self, kind: str) -> list[Any]:
        """The keys of one kind (first item) the cache holds now."""
        with self._guard:
            return [k for k in self._cache if isinstance(k, tuple) and k[:1] == (kind,)]

    def forget(self, kind: str) -> None:
        """Drop what the cache holds of one kind (first item of the key)."""
        with self._guard:
            for key in [k for k in self._cache if isinstance(k, tuple) and k[:1] == (kind,)]:
                del self._cache[key]

    def cached(self, key: Any, build: Callable[[], T], keep: int | None = None) -> T:
        """``build()`` once per key (the data does not change while the app runs): the
        app's one cache, for pages' data, drawings and decks alike.

        ``keep``: for keys that are tuples, at most that many of the same kind (the same
        first item: ``("deck", …)``) are kept, the oldest dropped first.
        """
        try:
            return self._cache[key]
        except KeyError:
            pass
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._cache:
                value = build()
                with self._guard:
                    if keep is not None and isinstance(key, tuple):
                        same = [k for k in self._cache if isinstance(k, tuple) and k[:1] == key[:1]]
                        for old in same[:max(0, len(same) - keep + 1)]:
                            del self._cache[old]
                            self._locks.pop(old, None)
                    self._cache[key] = value
            return self._cache[key]


def _extra_graph_source(path: str, graph_iri: str) -> Source:
    """One file of EXTRA_NAMED_GRAPHS: a file of triples, loaded into its named graph."""
    fmt, _ = rdf_file_format(Path(path))
    if fmt.supports_datasets:
        raise ValueError(f"EXTRA_NAMED_GRAPHS: {path}: not a file of triples (use .nt, .ttl "
                         "or .rdf)")
    return Source.file(path, graph=graph_iri)


def _own_data_digest(settings: Settings) -> str:
    """What our vocabulary's triples are made from: the YAML and ontology files, the base
    URI and the code that loads and builds the graph (an on-disk store built from them is
    reused only while all of these are unchanged)."""
    import graph as package

    digest = hashlib.sha256(f"{settings.base_uri}\n{__version__}\n".encode())
    code = Path(package.__file__).parent
    roots = {"code": code, "data": settings.data_dir, "ontology": settings.ontology_dir}
    files = [("code", path) for path in sorted((code / "vocabulary").glob("*.py"))]
    files += [("code", code / name) for name in ("namespaces.py", "relations.py", "text.py")]
    for label, folder in (("data", settings.data_dir), ("ontology", settings.ontology_dir)):
        files += [(label, path) for path in sorted(folder.rglob("*")) if path.is_file()]
    for label, path in files:
        digest.update(f"{label}:{path.relative_to(roots[label]).as_posix()}:".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def build_state(config: dict) -> AppState:
    settings = Settings.from_values(config)
    data_files = [str(f) for f in config.get("DATA_FILES") or []]
    own_data = not data_files or bool(config.get("WITH_OWN_DATA"))
    sources: list[Source] = []
    graph = vocabulary = None
    checksums: list[str] = []
    if own_data:
        vocabulary = load_vocabulary(settings.data_dir)
        graph = build_graph(vocabulary, settings)
        ntriples = graph.serialize(format="nt", encoding="utf-8")
        sources.append(Source(name="our vocabulary (YAML)", data=ntriples,
                              digest=_own_data_digest(settings)))
        # Turtle, not N-Triples: rdflib names the blank nodes of lists at random, and the
        # Turtle writer prints those lists inline, so the same data gives the same bytes
        checksums.append(hashlib.sha256(graph.serialize(format="turtle",
                                                        encoding="utf-8")).hexdigest())
    try:
        sources += [Source.file(f) for f in data_files]
    except StoreError as exc:
        raise ValueError(f"DATA_FILES: {exc}") from None
    sources += [_extra_graph_source(str(path), str(graph_iri))
                for path, graph_iri in config.get("EXTRA_NAMED_GRAPHS") or []]

    endpoint = str(config.get("SPARQL_ENDPOINT") or "").strip()
    if endpoint and config.get("EXTRA_NAMED_GRAPHS"):
        raise ValueError("EXTRA_NAMED_GRAPHS: with SPARQL_ENDPOINT, load those graphs into "
                         "the store itself (crmkg push --graph IRI --data FILE): the store's "
                         "graphs are the named graphs of every query")
    if endpoint:  # an external store, loaded beforehand with crmkg push
        return _remote_state(config, settings, endpoint, graph, vocabulary, own_data,
                             data_files, checksums, sources)

    store_dir = str(config.get("STORE_DIR") or "").strip()
    progress = Progress() if data_files or store_dir else None
    if store_dir:  # the counts are kept in the manifest: a reused store does not count again
        store = EmbeddedStore.open_or_build(Path(store_dir), sources, progress,
                                            summarise=lambda s: VocabularyReader(s).counts())
    else:
        store = EmbeddedStore.from_sources(sources, progress)
    reader = VocabularyReader(store)
    counts = dict(store.info.summary or reader.counts())
    if vocabulary is not None:
        counts["sources"] = len(vocabulary.sources)
    # our vocabulary alone: the digest of its sorted N-Triples; else one over every input's
    checksums += [source.sha256 for source in sources if source.path is not None]
    checksum = checksums[0] if not data_files else hashlib.sha256(
        "\n".join(checksums).encode()).hexdigest()
    engine_source = store.worker_source
    if engine_source is None:
        workdir = Path(tempfile.mkdtemp(prefix="crmkg-"))
        atexit.register(shutil.rmtree, workdir, ignore_errors=True)
        engine_source = workdir / "store.nq"
        store.dump(engine_source)
    engine = QueryEngine(engine_source, workers=int(config["SPARQL_WORKERS"]),
                         timeout=float(config["SPARQL_TIMEOUT"]),
                         max_rows=int(config["SPARQL_MAX_ROWS"]),
                         memory_mb=int(config["SPARQL_WORKER_MEMORY_MB"]))
    atexit.register(engine.close)
    index = LabelIndex.deferred(reader.label_entries, background=True)
    return AppState(
        store=store, reader=reader, index=index, engine=engine, base_uri=settings.base_uri,
        graph=graph, vocabulary=vocabulary, own_data=own_data, data_files=data_files,
        counts=counts, data_checksum=checksum,
    )


def remote_graph_iri(config: dict) -> str:
    """The named graph of an external store that holds the vocabulary (REMOTE_GRAPH)."""
    return (str(config.get("REMOTE_GRAPH") or "").strip()
            or as_namespace(config["BASE_URI"]) + "graph")


def _remote_state(config: dict, settings: Settings, endpoint: str, graph: Graph | None,
                  vocabulary: Vocabulary | None, own_data: bool, data_files: list[str],
                  checksums: list[str], sources: list[Source]) -> AppState:
    """Pages read from the store at SPARQL_ENDPOINT; users' queries are forwarded to it."""
    timeout = float(config["SPARQL_TIMEOUT"])
    store = RemoteStore(endpoint, remote_graph_iri(config), timeout=max(timeout, 30.0))
    reader = VocabularyReader(store)
    started = time.perf_counter()
    counts = dict(reader.counts())
    store.info.seconds = time.perf_counter() - started
    if vocabulary is not None:
        counts["sources"] = len(vocabulary.sources)
    checksums += [source.sha256 for source in sources if source.path is not None]
    checksum = checksums[0] if not data_files else hashlib.sha256(
        "\n".join(checksums).encode()).hexdigest()
    engine = RemoteQueryEngine(store, timeout=timeout, max_rows=int(config["SPARQL_MAX_ROWS"]))
    index = LabelIndex.deferred(reader.label_entries, background=True)
    return AppState(
        store=store, reader=reader, index=index, engine=engine, base_uri=settings.base_uri,
        graph=graph, vocabulary=vocabulary, own_data=own_data, data_files=data_files,
        counts=counts, data_checksum=checksum,
    )

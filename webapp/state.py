"""Everything the views share, built once when the app starts."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from graph import __version__
from graph.build import build_graph
from graph.config import Settings
from graph.engine import QueryEngine
from graph.load import load_vocabulary
from graph.reader import VocabularyReader
from graph.search import LabelIndex
from graph.store import EmbeddedStore


@dataclass
class AppState:
    graph: Graph
    store: EmbeddedStore
    reader: VocabularyReader
    index: LabelIndex
    engine: QueryEngine
    base_uri: str
    version: str = __version__
    counts: dict[str, int] = field(default_factory=dict)
    data_checksum: str = ""

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


def _load_named_graph(store: EmbeddedStore, path: Path, graph_iri: str) -> None:
    """One file of EXTRA_NAMED_GRAPHS, loaded before the workers' dump is taken."""
    import pyoxigraph as ox

    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
    if fmt is None or fmt.supports_datasets:
        raise ValueError(f"EXTRA_NAMED_GRAPHS: {path}: not a file of triples (use .nt, .ttl "
                         "or .rdf)")
    store.load_file(path, fmt.media_type, named_graph=graph_iri)


def build_state(config: dict) -> AppState:
    import hashlib

    settings = Settings(Path(config["DATA_DIR"]), Path(config["ONTOLOGY_DIR"]),
                        config["BASE_URI"] if config["BASE_URI"].endswith(("/", "#"))
                        else config["BASE_URI"] + "/")
    vocabulary = load_vocabulary(settings.data_dir)
    graph = build_graph(vocabulary, settings)
    store = EmbeddedStore.from_graph(graph)
    for path, graph_iri in config.get("EXTRA_NAMED_GRAPHS") or []:
        _load_named_graph(store, Path(path), str(graph_iri))
    workdir = Path(tempfile.mkdtemp(prefix="crmkg-"))
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    dump = workdir / "store.nq"
    store.dump(dump)
    engine = QueryEngine(dump, workers=int(config["SPARQL_WORKERS"]),
                         timeout=float(config["SPARQL_TIMEOUT"]),
                         max_rows=int(config["SPARQL_MAX_ROWS"]),
                         memory_mb=int(config["SPARQL_WORKER_MEMORY_MB"]))
    atexit.register(engine.close)
    lines = sorted(graph.serialize(format="nt", encoding="utf-8").splitlines())
    checksum = hashlib.sha256(b"\n".join(lines)).hexdigest()
    return AppState(
        graph=graph, store=store, reader=VocabularyReader(store), index=LabelIndex(graph),
        engine=engine, base_uri=settings.base_uri,
        counts={"concepts": len(vocabulary.concepts), "collections": len(vocabulary.collections),
                "sources": len(vocabulary.sources), "triples": len(graph)},
        data_checksum=checksum,
    )

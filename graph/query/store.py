"""The embedded triple store (pyoxigraph) that the web app reads from.

rdflib builds and serialises our own graph; pyoxigraph loads everything else
and answers every query: its bulk loader reads YSA (413k triples) in about a
second where rdflib's parser needs ten, and its SPARQL is two to three orders
of magnitude faster on large vocabularies (see ``../shared/design/MEASURED.md``).
Rows come back as plain dicts in the shape of SPARQL JSON results (or, for the
app's big reads, tuples of strings), so that a remote store can answer the same
way.

A store lives in memory, or on disk (``STORE_DIR``): :meth:`EmbeddedStore.open_or_build`
reopens a store built from the same inputs (a manifest of the input files and
their SHA-256 sits beside it, written last and atomically) and otherwise bulk-loads
it again, reporting its progress on stderr.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import Graph

from graph.files import remove_leftovers, swap_folder, write_atomically
from graph.formats import file_suffixes, syntax_of_file

log = logging.getLogger(__name__)

#: one binding: {"type": "uri"|"literal"|"bnode", "value": ..., "xml:lang"?, "datatype"?}
Term = dict[str, str]
Row = dict[str, Term]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

#: what an on-disk store directory holds
MANIFEST = "manifest.json"
DATA = "oxigraph"
LOCK = ".lock"
#: a store being loaded, and a replaced one being removed (hidden, beside DATA)
BUILDING = ".oxigraph.building-"
OLD = ".oxigraph.old-"
#: bumped when the layout of an on-disk store or of its manifest changes
STORE_FORMAT = 1


class StoreError(ValueError):
    """An input or a store directory that cannot be used; the message says why and what to do."""


def term_to_json(term: Any) -> Term:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        result = {"type": "literal", "value": term.value}
        if term.language:
            result["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            result["datatype"] = term.datatype.value
        return result
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {  # type: ignore[dict-item]
            "subject": term_to_json(term.subject),
            "predicate": term_to_json(term.predicate),
            "object": term_to_json(term.object)}}
    raise TypeError(f"not an RDF term: {term!r}")


# --- inputs ----------------------------------------------------------------------------------

def is_url(text: str) -> bool:
    """``http://…``, ``https://…``, ``file:…`` or any other ``scheme://``: never fetched."""
    lowered = text.strip().lower()
    return "://" in lowered or lowered.startswith(("http:", "https:", "file:", "ftp:"))


def rdf_file_format(path: Path) -> tuple[ox.RdfFormat, bool]:
    """The RDF format of a file by its suffix, and whether it is gzip-compressed."""
    name = path.name.lower()
    compressed = name.endswith(".gz")
    if compressed:
        name = name[:-3]
    suffix = name.rsplit(".", 1)[-1] if "." in name else ""
    syntax = syntax_of_file(suffix)
    if syntax is None:
        known = ", ".join(f".{s}" for s in file_suffixes())
        raise StoreError(f"{path}: cannot tell its RDF format from its name; name it with one "
                         f"of {known} (and .gz when compressed)")
    return syntax.ox, compressed


@dataclass(frozen=True)
class Source:
    """One input of a store: an RDF file, or N-Triples that the app made (our vocabulary)."""

    name: str
    path: Path | None = None
    data: bytes | None = None
    #: the named graph to load triples into; None: the default graph
    graph: str | None = None
    #: what identifies ``data`` when its bytes do not (rdflib names blank nodes at random)
    digest: str | None = None

    @classmethod
    def file(cls, value: str | os.PathLike[str], graph: str | None = None) -> Source:
        """A local RDF file; a URL is refused (the app never fetches anything)."""
        text = os.fspath(value)
        if is_url(text):
            raise StoreError(f"{text}: a URL; this app never downloads data. Download the "
                             "file yourself and give its local path.")
        path = Path(text).expanduser().resolve()
        if not path.is_file():
            raise StoreError(f"{text}: no such file")
        rdf_file_format(path)  # refuse an unknown suffix before anything loads
        return cls(name=path.name, path=path, graph=graph)

    @property
    def size(self) -> int:
        return self.path.stat().st_size if self.path is not None else len(self.data or b"")

    @cached_property
    def sha256(self) -> str:
        if self.digest is not None:
            return self.digest
        digest = hashlib.sha256()
        if self.path is not None:
            with self.path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
        else:
            digest.update(self.data or b"")
        return digest.hexdigest()

    def fingerprint(self) -> dict[str, Any]:
        """What the manifest records of this input (a change of any of it means a rebuild)."""
        return {"name": self.name, "path": str(self.path) if self.path else None,
                "size": self.size, "sha256": self.sha256, "graph": self.graph}

    def describe(self) -> str:
        if self.path is None:
            return f"{self.name} (N-Triples, {_size(self.size)})"
        fmt, compressed = rdf_file_format(self.path)
        return f"{self.name} ({fmt.name}{', gzip' if compressed else ''}, " \
               f"{_size(self.size)})"


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1000
    return f"{n} GB"


class Progress:
    """A progress indicator on stderr: a bar redrawn in place on a terminal, lines otherwise.

    pyoxigraph's bulk loader takes no progress callback, so the bytes it reads
    are counted on the way in (compressed bytes for a .gz file).
    """

    def __init__(self, stream: IO[str] | None = None, interval: float = 0.5):
        self.stream = stream if stream is not None else sys.stderr
        self.interval = interval
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._total = 0
        self._last = 0.0
        self._started = 0.0

    def message(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def start(self, index: int, count: int, source: Source) -> None:
        self._total = source.size
        self._started = self._last = time.perf_counter()
        self.message(f"crmkg: loading {index}/{count} {source.describe()}")

    def update(self, done: int) -> None:
        now = time.perf_counter()
        if now - self._last < self.interval or not self._total:
            return
        self._last = now
        share = min(done / self._total, 1.0)
        line = (f"  [{'#' * int(share * 30):<30}] {share:4.0%}  {_size(done)} of "
                f"{_size(self._total)}  {now - self._started:5.1f} s")
        if self._tty:
            print("\r" + line, end="", file=self.stream, flush=True)
        else:
            self.message(line)

    def finish(self, source: Source) -> None:
        elapsed = time.perf_counter() - self._started
        if self._tty:
            print("\r" + " " * 78 + "\r", end="", file=self.stream, flush=True)
        self.message(f"  {source.name}: read in {elapsed:.2f} s")


class _CountingReader(io.RawIOBase):
    """A binary file that reports how many bytes have been read from it."""

    def __init__(self, raw: IO[bytes], counted: IO[bytes], progress: Progress):
        self.raw = raw
        self.counted = counted  # the file on disk, whose position is the progress
        self.progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        buffer[:len(data)] = data
        self.progress.update(self.counted.tell())
        return len(data)


def load_source(store: ox.Store, source: Source, progress: Progress | None = None) -> None:
    """Bulk-load one input into ``store`` (never with rdflib: ten times slower)."""
    target = ox.NamedNode(source.graph) if source.graph else ox.DefaultGraph()
    if source.path is None:
        store.bulk_load(source.data or b"", format=ox.RdfFormat.N_TRIPLES, to_graph=target)
        return
    fmt, compressed = rdf_file_format(source.path)
    if fmt.supports_datasets and source.graph:
        raise StoreError(f"{source.path}: holds named graphs itself ({fmt.name}); it cannot "
                         f"be loaded into the graph <{source.graph}>")
    options: dict[str, Any] = {"format": fmt}
    if not fmt.supports_datasets:
        options["to_graph"] = target
    try:
        with contextlib.ExitStack() as stack:
            handle: IO[bytes] = stack.enter_context(source.path.open("rb"))
            stream: IO[bytes] = stack.enter_context(_gzip(handle)) if compressed else handle
            if progress is not None:
                stream = _CountingReader(stream, handle, progress)  # type: ignore[assignment]
            store.bulk_load(stream, **options)
    except SyntaxError as exc:
        text = str(exc)
        if "LoadDocumentCallback" in text or "remote context" in text.lower():
            raise StoreError(
                f"{source.path}: its JSON-LD refers to a remote @context, and this app never "
                "fetches anything. Put the context inline in the file (or convert the file "
                f"to Turtle or N-Triples). ({text})") from None
        raise StoreError(f"{source.path}: not valid {fmt.name}: {text}") \
            from None
    except OSError as exc:
        raise StoreError(f"{source.path}: could not be read: {exc}") from None


def _gzip(handle: IO[bytes]) -> IO[bytes]:
    import gzip

    return gzip.GzipFile(fileobj=handle, mode="rb")  # type: ignore[return-value]


# --- the store -------------------------------------------------------------------------------

@dataclass
class StoreInfo:
    """How the store was obtained, for /-/about and for tests."""

    kind: str  # "in-memory" or "on-disk"
    path: str | None = None
    reused: bool = False
    seconds: float = 0.0
    summary: dict[str, Any] | None = None


class EmbeddedStore:
    """A pyoxigraph store holding the vocabulary in its default graph."""

    def __init__(self, store: ox.Store | None = None, path: Path | None = None):
        self.store = store if store is not None else ox.Store()
        #: the directory of an on-disk store (opened read-only), None in memory
        self.path = path
        self.info = StoreInfo("on-disk" if path else "in-memory",
                              str(path) if path else None)

    @classmethod
    def from_graph(cls, graph: Graph) -> EmbeddedStore:
        embedded = cls()
        embedded.load_graph(graph)
        return embedded

    @classmethod
    def from_sources(cls, sources: list[Source], progress: Progress | None = None,
                     ) -> EmbeddedStore:
        """An in-memory store of these inputs."""
        started = time.perf_counter()
        embedded = cls()
        for number, source in enumerate(sources, start=1):
            if progress is not None and source.path is not None:
                progress.start(number, len(sources), source)
            load_source(embedded.store, source, progress if source.path else None)
            if progress is not None and source.path is not None:
                progress.finish(source)
        embedded.info.seconds = time.perf_counter() - started
        return embedded

    @classmethod
    def open_or_build(cls, directory: Path, sources: list[Source],
                      progress: Progress | None = None,
                      summarise: Callable[[EmbeddedStore], dict[str, Any]] | None = None,
                      ) -> EmbeddedStore:
        """The on-disk store of these inputs in ``directory``: reopened, or built afresh.

        The store is reopened (in well under a second, whatever its size) when
        ``directory/manifest.json`` records exactly these inputs (paths, sizes,
        SHA-256) and the same pyoxigraph version; otherwise it is rebuilt with the
        bulk loader, into a hidden folder beside the current store, which is swapped in
        only when whole. The manifest is written last, atomically: a load that was
        interrupted leaves the previous store with its manifest, or no manifest (the
        load is done again at the next start), never a half store with one. What
        ``summarise`` returns (counts) is kept in the manifest and given back on reuse.
        """
        started = time.perf_counter()
        directory = Path(directory).expanduser().resolve()
        if directory.exists() and not directory.is_dir():
            raise StoreError(f"{directory}: not a directory")
        directory.mkdir(parents=True, exist_ok=True)
        data_dir = directory / DATA
        wanted = {"format": STORE_FORMAT, "pyoxigraph": ox.__version__,
                  "inputs": [source.fingerprint() for source in sources]}
        with _locked(directory / LOCK):
            _remove_leftovers(directory)
            current = _read_manifest(directory / MANIFEST)
            if current is not None and data_dir.is_dir() and all(
                    current.get(key) == value for key, value in wanted.items()):
                reopened = cls._reopen(directory, current, progress)
                if reopened is not None:
                    reopened.info.seconds = time.perf_counter() - started
                    return reopened
            log.info("store %s: building from %d input(s)", directory, len(sources))
            _check_store_files(data_dir)  # before the work: refuse a folder that is not ours
            if progress is not None:
                progress.message(f"crmkg: building the store in {directory}")
            building, summary, triples = cls._build_beside(directory, sources, progress,
                                                           summarise)
            with contextlib.suppress(FileNotFoundError):
                (directory / MANIFEST).unlink()  # from now on, an interruption means a load
            swap_folder(building, data_dir, directory / f"{OLD}{os.getpid()}")
            manifest = {**wanted, "triples": triples, "summary": summary,
                        "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                        "seconds": round(time.perf_counter() - started, 3)}
            write_atomically(directory / MANIFEST,
                              json.dumps(manifest, indent=2, ensure_ascii=False).encode())
            if progress is not None:
                progress.message(f"crmkg: store ready, {triples:,} triples in "
                                 f"{time.perf_counter() - started:.1f} s")
            embedded = cls(ox.Store.read_only(str(data_dir)), data_dir)
            embedded.info.summary = summary
            embedded.info.seconds = time.perf_counter() - started
            return embedded

    @classmethod
    def _reopen(cls, directory: Path, manifest: dict[str, Any],
                progress: Progress | None) -> EmbeddedStore | None:
        """The store its manifest describes, read-only; None if it cannot be opened."""
        try:
            store = ox.Store.read_only(str(directory / DATA))
        except OSError as exc:
            log.warning("store %s could not be reopened (%s): building it again", directory, exc)
            return None
        log.info("store %s: reused (built %s)", directory, manifest.get("built"))
        if progress is not None:
            progress.message(f"crmkg: reopened the store in {directory} "
                             f"({manifest.get('triples', 0):,} triples, built "
                             f"{manifest.get('built')}; inputs unchanged)")
        embedded = cls(store, directory / DATA)
        embedded.info.reused = True
        embedded.info.summary = manifest.get("summary")
        return embedded

    @classmethod
    def _build_beside(cls, directory: Path, sources: list[Source], progress: Progress | None,
                      summarise: Callable[[EmbeddedStore], dict[str, Any]] | None,
                      ) -> tuple[Path, dict[str, Any] | None, int]:
        """Load the inputs into a new store beside the current one; its folder, summary
        and size. The current store stays usable (and its manifest valid for its inputs)
        until the new one is whole: killed at any point, the next start finds either the
        old store with its manifest, or no manifest (a new load), never a half store."""
        building = Path(tempfile.mkdtemp(prefix=BUILDING, dir=directory))
        writable = ox.Store(str(building))
        try:
            for number, source in enumerate(sources, start=1):
                if progress is not None:
                    progress.start(number, len(sources), source)
                load_source(writable, source, progress)
                if progress is not None:
                    progress.finish(source)
            writable.flush()
            built = cls(writable, building)
            summary = summarise(built) if summarise is not None else None
            triples = len(writable)
        except BaseException:
            writable = built = None  # close it now, not when the traceback goes
            gc.collect()
            shutil.rmtree(building, ignore_errors=True)
            raise
        del built, writable
        gc.collect()  # closes the read-write instance before it is reopened read-only
        return building, summary, triples

    def load_graph(self, graph: Graph, named_graph: str | None = None) -> None:
        data = graph.serialize(format="nt", encoding="utf-8")
        target = ox.NamedNode(named_graph) if named_graph else ox.DefaultGraph()
        self.store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=target)

    def load_file(self, path: Path, media_type: str, named_graph: str | None = None) -> None:
        target = ox.NamedNode(named_graph) if named_graph else ox.DefaultGraph()
        fmt = ox.RdfFormat.from_media_type(media_type)
        self.store.bulk_load(path=str(path), format=fmt, to_graph=target)

    def named_graphs(self) -> set[str]:
        return {g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)}

    def __len__(self) -> int:
        return len(self.store)

    def select(self, query: str) -> list[Row]:
        """Rows of a trusted SELECT (the app's own queries, not users')."""
        results = self.store.query(query)
        names = [v.value for v in results.variables]
        return [{name: term_to_json(solution[name]) for name in names
                 if solution[name] is not None} for solution in results]

    def select_values(self, query: str) -> list[tuple[str | None, ...]]:
        """The values of a trusted SELECT's variables, as strings: an IRI or a literal's
        text as it is, a blank node as ``_:id``, None when unbound.

        For the app's large reads (every label, every link): five to ten times
        faster than :meth:`select`. Project ``LANG(?x)`` when a language matters;
        filter blank nodes out here rather than with ``isIRI`` in the query,
        which costs twice the time on an on-disk store.
        """
        results = self.store.query(query)
        width = len(results.variables)
        blank = ox.BlankNode
        return [tuple(None if term is None else
                      f"_:{term.value}" if isinstance(term, blank) else term.value
                      for term in (solution[i] for i in range(width)))
                for solution in results]

    def count(self, query: str) -> int:
        """The first value of the first row of a trusted SELECT, as an integer."""
        rows = self.select_values(query)
        return int(rows[0][0] or 0) if rows else 0

    def ask(self, query: str) -> bool:
        return bool(self.store.query(query))

    def construct(self, query: str) -> list[Any]:
        """The triples of a trusted CONSTRUCT."""
        return list(self.store.query(query))

    def dump(self, path: Path) -> None:
        """Every quad as N-Quads, for the query workers to load."""
        self.store.dump(str(path), format=ox.RdfFormat.N_QUADS)

    @property
    def worker_source(self) -> Path | None:
        """What a query worker opens (read-only) instead of loading a dump, if anything."""
        return self.path


def _read_manifest(path: Path) -> dict[str, Any] | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _check_store_files(data_dir: Path) -> None:
    """Refuse to replace a ``DIR/oxigraph`` that does not look like a store we built."""
    if data_dir.exists() and (not data_dir.is_dir() or (
            any(data_dir.iterdir()) and not (data_dir / "CURRENT").is_file())):
        raise StoreError(f"{data_dir}: exists and is not a store this app built; "
                         "move it away or choose another --store directory")


def _remove_leftovers(directory: Path) -> None:
    """What a killed load left: a store being built, or the old one being replaced."""
    remove_leftovers(directory, BUILDING, OLD)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One process at a time checks or builds a store directory."""
    try:
        import fcntl
    except ImportError:  # not on this platform: no lock
        yield
        return
    with path.open("a+") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

"""``crmkg import FILE --to DIR``: any SKOS vocabulary → our YAML, and what it cannot hold.

The file is read with pyoxigraph (by its suffix, gzip or not; nothing is ever
fetched: a URL or a JSON-LD remote ``@context`` is refused). Each concept
becomes ``DIR/terms/<id>.yaml``, collections go to ``collections.yaml``, the
resources that ``dct:source`` cites to ``sources.yaml``, the description of the
concept scheme(s) (and of the agents they name) to ``scheme.ttl``, and
``vocabulary.yaml`` (the import profile) says what differs from our own data:
the base URI, the schemes, the languages every concept has, which statements
the build derives (:data:`graph.vocabulary.load.PROFILE_BUILD`).

Every triple of the file is either held by the model or dropped with a reason.
The import then loads and builds ``DIR`` as any other data folder and compares
the result with the file: what the model holds must come back identical (the
report says so, or lists what did not), what was dropped is listed by property
with counts and reasons, and what the build adds that the file did not state
(SKOS inverses a file states only in part, for instance) is listed too. All of
it goes to ``DIR/import-report.md``.

Ids come from the end of each URI (slugified; a clash is settled in URI order,
the later URIs getting a short hash), so that importing the same file again gives
the same files; a URI that is not ``<base>id/<id>`` is kept in the YAML (``uri:``).

The import runs in stages, a module each: :mod:`.read` reads the file,
:mod:`.map` maps it onto the model (with :mod:`.map_base`, :mod:`.map_concepts` and
:mod:`.map_resources`), :mod:`.write` writes the folder, and :mod:`.report` compares
the rebuilt graph with the file and writes the report. This module runs them in turn.
"""

from __future__ import annotations

import gc
import logging
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph

from graph.config import Settings
from graph.files import write_atomically
from graph.importer.errors import ImportFailure
from graph.importer.map import _Mapper
from graph.importer.read import SourceFile, file_format, read_rdf
from graph.importer.report import Comparison, compare, render_report
from graph.importer.write import (
    REPORT_FILE,
    WRITTEN,
    assign_ids,
    comment,
    flow_list,
    prepare_target,
    publish,
    scalar,
    slugify,
    staging_folder,
    text_lines,
    write_staged,
)
from graph.vocabulary.load import load_vocabulary
from graph.vocabulary.yamlfile import DataError, DataErrors

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What an import did: counts, and the comparison of the rebuilt graph with the file."""

    source: Path
    target: Path
    triples: int
    concepts: int
    collections: int
    sources: int
    schemes: int
    #: dropped triples by reason and by predicate (CURIEs)
    dropped: Counter[tuple[str, str]]
    #: triples the build states that the file did not, by predicate
    added: Counter[str]
    #: triples the model was meant to hold but that did not come back (should be empty)
    lost: Counter[str]
    held: int
    report_path: Path
    profile: dict[str, Any] = field(default_factory=dict)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    rebuilt_triples: int = 0

    @property
    def dropped_total(self) -> int:
        return sum(self.dropped.values())

    def dropped_by_predicate(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for (_reason, predicate), n in self.dropped.items():
            counts[predicate] += n
        return counts


def import_vocabulary(location: str | Path, target: Path, base_uri: str | None = None,
                      force: bool = False, settings: Settings | None = None) -> Outcome:
    """Read ``location``, write ``target``, check the round trip and write the report."""
    # hundreds of thousands of long-lived objects and no cycles: the collector only costs
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import(location, target, base_uri, force, settings)
    finally:
        if collecting:
            gc.enable()


def _import(location: str | Path, target: Path, base_uri: str | None, force: bool,
            settings: Settings | None) -> Outcome:
    settings = settings or Settings.from_env()
    if base_uri is not None and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", base_uri):
        raise ImportFailure(f"--base-uri {base_uri!r} is not an absolute URI")
    source = read_rdf(location)
    target = Path(target)
    prepare_target(target, force)
    ext = Graph()
    ext.parse(settings.ontology_dir / "ext.ttl", format="turtle")
    mapper = _Mapper(source, base_uri, ext)
    files = mapper.run()
    staging = staging_folder(target)
    try:
        outcome = _write_and_check(staging, target, files, source, mapper, settings)
        publish(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return outcome


def _write_and_check(staging: Path, target: Path, files: dict[str, bytes], source: SourceFile,
                     mapper: _Mapper, settings: Settings) -> Outcome:
    """Write the files into ``staging``, load and build them, compare, write the report."""
    write_staged(staging, files)

    from graph.vocabulary.build import build_graph

    try:
        vocabulary = load_vocabulary(staging)
    except (DataError, DataErrors) as exc:
        raise ImportFailure(f"the YAML written in {target} does not load (a bug of the "
                            f"importer, please report it):\n{exc}") from None
    rebuilt = build_graph(vocabulary, settings)
    diff = compare(source.graph, rebuilt, set(mapper.drops))
    for triple in diff.back:  # dropped, yet derived again by the build: not lost after all
        del mapper.drops[triple]
    dropped_counts: Counter[tuple[str, str]] = Counter(
        (why, mapper.curie(triple[1])) for triple, why in mapper.drops.items())
    added_counts: Counter[str] = Counter(mapper.curie(p) for _s, p, _o in diff.added)
    for predicate, n in diff.added_blank.items():
        added_counts[mapper.curie(predicate)] += n
    lost_counts: Counter[str] = Counter(mapper.curie(p) for _s, p, _o in diff.lost)
    for predicate, n in diff.lost_blank.items():
        lost_counts[mapper.curie(predicate)] += n
    outcome = Outcome(
        source=source.path, target=target, triples=len(source.graph),
        concepts=len(vocabulary.concepts), collections=len(vocabulary.collections),
        sources=len(vocabulary.sources), schemes=len(mapper.profile["schemes"]),
        dropped=dropped_counts, added=added_counts, lost=lost_counts,
        held=len(source.graph) - len(mapper.drops) - sum(lost_counts.values()),
        report_path=target / REPORT_FILE, profile=mapper.profile,
        renamed=sorted(mapper.renamed), rebuilt_triples=len(rebuilt))
    write_atomically(staging / REPORT_FILE,
                     render_report(outcome, source, mapper).encode("utf-8"))
    return outcome

__all__ = ["REPORT_FILE", "WRITTEN", "Comparison", "ImportFailure", "Outcome", "SourceFile",
           "assign_ids", "comment", "compare", "file_format", "flow_list", "import_vocabulary",
           "prepare_target", "publish", "read_rdf", "render_report", "scalar", "slugify",
           "staging_folder", "text_lines"]

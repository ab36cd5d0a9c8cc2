"""crmkg export: every RDF format round-trips; the CSV opens in a spreadsheet; writes are atomic."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from graph.config import PROJECT_ROOT
from graph.export import EXPORTERS, exporter_for, format_names
from graph.export.csv_glossary import COLUMNS
from graph.export.rdf import RDF_FORMATS
from graph.files import write_atomically


def crmkg(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graph", *args], cwd=PROJECT_ROOT,
                          capture_output=True, check=False, **kwargs)


@pytest.mark.parametrize("name", sorted(RDF_FORMATS))
def test_rdf_format_round_trips(graph, vocabulary, name):
    data = exporter_for(name).render(graph, vocabulary)
    parsed = Graph().parse(data=data, format=RDF_FORMATS[name])
    assert len(parsed) == len(graph)
    assert isomorphic(parsed, graph)


@pytest.mark.parametrize("name", sorted({e.name for e in EXPORTERS.values()}))
def test_every_export_is_the_same_bytes_in_separate_processes(tmp_path, name):
    """Two exports in two processes with other hash seeds (as on two machines): the same
    bytes, and nothing but the one line that names the file on standard error."""
    import os

    outputs = []
    for seed in ("1", "2"):
        target = tmp_path / f"{seed}.out"
        result = crmkg("export", "--format", name, "-o", str(target),
                       env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONWARNINGS": "always"})
        assert result.returncode == 0, result.stderr
        assert result.stderr.decode().splitlines() == [
            f"wrote {target} ({name}, {target.stat().st_size:,} bytes)"]  # no warning
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]


def test_jsonld_declares_just_the_prefixes_it_uses(graph, vocabulary):
    import json
    import re

    document = json.loads(exporter_for("jsonld").render(graph, vocabulary))
    body = json.dumps(document["@graph"])
    used = set(re.findall(r'"([a-z][\w-]*):(?!//)', body))  # compact IRIs' prefixes
    assert set(document["@context"]) == used
    assert {"skos", "concept", "dct", "crmkg"} <= used


def test_cli_writes_a_file_that_parses_back(tmp_path, graph):
    target = tmp_path / "out" / "vocab.ttl"
    result = crmkg("export", "--format", "turtle", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert isomorphic(Graph().parse(target, format="turtle"), graph)
    assert [p.name for p in target.parent.iterdir()] == ["vocab.ttl"]  # no temporary left


def test_cli_writes_to_standard_output_by_default(graph):
    result = crmkg("export", "--format", "ntriples")
    assert result.returncode == 0
    assert isomorphic(Graph().parse(data=result.stdout, format="nt"), graph)


def test_unknown_format_is_a_usage_error():
    result = crmkg("export", "--format", "docx", text=True)
    assert result.returncode == 2
    assert "turtle" in result.stderr and "Traceback" not in result.stderr


def test_csv_is_a_flat_bilingual_glossary(graph, vocabulary):
    data = exporter_for("csv").render(graph, vocabulary)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0].keys()) == COLUMNS
    assert len(rows) == len(vocabulary.concepts)
    by_id = {row["id"]: row for row in rows}
    for concept in vocabulary.concepts.values():
        row = by_id[concept.id]
        assert row["label_fr"] == concept.pref_label["fr"]
        assert row["definition_en"] == concept.definition["en"]
        assert row["alt_labels_en"].split(" | ") == (concept.alt_label.get("en") or [""])
        assert row["sources"].split(" | ") == (concept.sources or [""])
        assert row["hidden_labels_en"].split(" | ") == (concept.hidden_label.get("en") or [""])
        # one column a kind of note, never two notes merged in one cell
        for column, attribute in (("scope_note", "scope_note"), ("example", "example"),
                                  ("editorial_note", "editorial_note"),
                                  ("history_note", "history_note")):
            for lang in ("fr", "en"):
                assert row[f"{column}_{lang}"] == getattr(concept, attribute).get(lang, "")
        for parent in concept.broader:
            assert concept.id in by_id[parent]["narrower"].split(" | ")


def test_csv_is_in_the_order_a_french_reader_expects(graph, vocabulary):
    """Accents and case aside: "éditeur" among the e's, not after "webinaire"."""
    import unicodedata

    data = exporter_for("csv").render(graph, vocabulary).decode("utf-8-sig")
    labels = [row["label_fr"] for row in csv.DictReader(io.StringIO(data))]

    def plain(text: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFKD", text.casefold())
                       if not unicodedata.combining(c))

    assert [plain(label) for label in labels] == sorted(plain(label) for label in labels)
    accented = [label for label in labels if label[0] in "éÉèÈ"]
    assert accented, "the test needs a label that starts with an accent"
    first_f = next(i for i, label in enumerate(labels) if plain(label).startswith("f"))
    assert all(labels.index(label) < first_f for label in accented)


def test_csv_gives_each_collection_and_the_position_in_it(graph, vocabulary):
    data = exporter_for("csv").render(graph, vocabulary).decode("utf-8-sig")
    by_id = {row["id"]: row for row in csv.DictReader(io.StringIO(data))}
    for collection in vocabulary.collections.values():
        for position, member in enumerate(collection.members, start=1):
            place = f"{collection.id}:{position}" if collection.ordered else collection.id
            assert place in by_id[member]["collections"].split(" | ")


def test_registry_names_and_media_types():
    assert set(format_names()) == {"turtle", "rdfxml", "jsonld", "ntriples", "csv", "flashcards",
                                  "map-html"}
    assert EXPORTERS["map-html"].media_type == "text/html"
    assert EXPORTERS["ttl"].media_type == "text/turtle"
    with pytest.raises(KeyError, match="choose one of"):
        exporter_for("pdf")


def test_atomic_write_replaces_the_file_whole(tmp_path: Path):
    target = tmp_path / "vocab.ttl"
    target.write_bytes(b"old")
    write_atomically(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vocab.ttl"]


def test_interrupted_export_leaves_the_previous_file_intact(tmp_path: Path):
    """A writer killed in the middle of an export never leaves a half-written file."""
    target = tmp_path / "vocab.ttl"
    target.write_bytes(b"previous export")
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "import graph.files as atomic\n"
        "real_fdopen = os.fdopen\n"
        "class Dying:\n"
        "    def __init__(self, handle): self.handle = handle\n"
        "    def __enter__(self): return self\n"
        "    def __exit__(self, *exc): return False\n"
        "    def write(self, data):\n"
        "        self.handle.write(data[:100]); self.handle.flush(); os._exit(9)\n"
        "atomic.os.fdopen = lambda fd, mode: Dying(real_fdopen(fd, mode))\n"
        f"atomic.write_atomically(Path({str(target)!r}), b'x' * 100000)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, check=False)
    assert result.returncode == 9
    assert target.read_bytes() == b"previous export"


"""crmkg export --format flashcards: a CSV that Anki imports (and any CSV reader reads)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest

from graph.config import PROJECT_ROOT
from graph.export import exporter_for
from graph.export.flashcards import COLUMNS, HEADER_LINES


@pytest.fixture(scope="module")
def data(graph, vocabulary) -> bytes:
    return exporter_for("flashcards").render(graph, vocabulary)


def split(data: bytes) -> tuple[list[str], list[list[str]]]:
    """Anki's way: the leading lines that start with '#' are headers, the rest is CSV."""
    text = data.decode("utf-8")
    lines = text.splitlines(keepends=True)
    headers = []
    while lines and lines[0].startswith("#"):
        headers.append(lines.pop(0).rstrip("\r\n"))
    return headers, list(csv.reader(io.StringIO("".join(lines))))


def cards(data: bytes) -> dict[tuple[str, str], dict[str, str]]:
    _, rows = split(data)
    found = {}
    for row in rows:
        card = dict(zip(COLUMNS, row, strict=True))
        concept_id, lang = card["GUID"].removeprefix("crmkg-").rsplit("-", 1)
        found[concept_id, lang] = card
    return found


def test_the_format_is_registered():
    exporter = exporter_for("flashcards")
    assert exporter.media_type == "text/csv" and exporter.extension == ".csv"
    assert exporter_for("anki") is exporter


def test_anki_header_lines_come_first(data):
    assert not data.startswith(b"\xef\xbb\xbf")  # a BOM would hide the first header from Anki
    data.decode("utf-8")
    headers, rows = split(data)
    assert headers == list(HEADER_LINES)
    assert headers[0] == "#separator:Comma"  # before #columns, which Anki splits with it
    assert "#html:false" in headers
    assert "#tags column:3" in headers
    columns = next(h for h in headers if h.startswith("#columns:")).removeprefix("#columns:")
    assert columns.split(",")[:3] == ["Front", "Back", "Tags"]
    assert all(len(row) == len(COLUMNS) for row in rows)
    tags_index = int(next(h for h in headers if h.startswith("#tags column:")).split(":")[1])
    assert COLUMNS[tags_index - 1] == "Tags"
    guid_index = int(next(h for h in headers if h.startswith("#guid column:")).split(":")[1])
    assert COLUMNS[guid_index - 1] == "GUID"


def test_no_data_line_can_be_taken_for_a_comment(data):
    lines = data.decode("utf-8").split("\r\n")[len(HEADER_LINES):]
    assert lines[-1] == ""  # the file ends with a line break
    for line in lines[:-1]:
        assert line.startswith('"') and not line.startswith("#")  # every cell is quoted


def test_one_card_per_concept_and_language(data, vocabulary):
    found = cards(data)
    learnable = list(vocabulary.concepts.values())  # top concepts too: they are terms
    assert len(split(data)[1]) == len(found) == 2 * len(learnable)
    assert set(found) == {(c.id, lang) for c in learnable for lang in ("fr", "en")}
    # French first (the vocabulary's default language), then English
    langs = [row[3].rsplit("-", 1)[1] for row in split(data)[1]]
    assert langs == sorted(langs, key=("fr", "en").index)


def test_tags_are_group_ids_and_the_language(data, vocabulary):
    groups = {g.id for g in vocabulary.groups()}
    for (concept_id, lang), card in cards(data).items():
        tags = card["Tags"].split(" ")
        assert all(tag and " " not in tag for tag in tags)
        assert tags[-1] == f"lang::{lang}"
        assert set(tags[:-1]) == {g.id for g in vocabulary.groups()
                                  if concept_id in g.members}
        assert set(tags[:-1]) <= groups and tags[:-1]


def test_front_is_the_term_and_back_the_definition(data, vocabulary):
    found = cards(data)
    mql = found["mql", "fr"]
    assert mql["Front"] == "lead qualifié marketing (MQL)"
    assert mql["Back"].startswith(vocabulary.concepts["mql"].definition["fr"])
    assert mql["Back"].endswith("en : marketing qualified lead (MQL)")
    assert found["mql", "en"]["Front"] == "marketing qualified lead (MQL)"
    assert found["mql", "en"]["Back"].endswith("fr: lead qualifié marketing (MQL)")
    assert found["lead", "fr"]["Front"] == "lead"  # plurals and synonyms are not acronyms
    for (concept_id, lang), card in found.items():
        concept = vocabulary.concepts[concept_id]
        assert card["Front"].startswith(concept.pref_label[lang])
        assert concept.definition[lang] in card["Back"]
        other = "en" if lang == "fr" else "fr"
        assert concept.pref_label[other] in card["Back"]


def test_accents_and_quotes_survive(data):
    text = data.decode("utf-8")
    assert "données" in text and "é" in text
    for card in cards(data).values():
        assert "\ufffd" not in card["Back"]


def test_the_cli_writes_the_file(tmp_path, data):
    target = tmp_path / "cards.csv"
    result = subprocess.run([sys.executable, "-m", "graph", "export", "--format", "flashcards",
                             "-o", str(target)], cwd=PROJECT_ROOT, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "flashcards" in result.stderr
    assert target.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir()] == ["cards.csv"]

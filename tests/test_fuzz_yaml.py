"""The loader never crashes on any YAML: it loads, or names file, line and fix (issue 6).

Hypothesis writes random bytes (invalid UTF-8, BOMs), random documents, mutations of
the real files (lines lost, doubled, re-indented, tabs, cut short) and known nasty
YAML (billion laughs, recursive aliases, ``!!python/object`` tags, 5,000-deep
brackets, several documents) into one file of a copy of ``data/``, loads the copy,
and restores the file. Anything but success or a :class:`~graph.vocabulary.yamlfile.DataError`
that names its file, line and fix — another exception, or no answer within a few
seconds — fails. What this found is kept below as ``@example``\\ s. ``scripts/fuzz.py``
runs the same strategies for longer.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from graph.vocabulary.yamlfile import DataError, DataErrors
from tests.support.fuzz_strategies import NASTY_YAML, check_load, yaml_inputs

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

FUZZ = settings(max_examples=50, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])
#: the files written to: a term, a new term, the collections and the sources
TARGETS = ["terms/mql.yaml", "terms/zz-new-term.yaml", "collections.yaml", "sources.yaml"]

BILLION_LAUGHS = NASTY_YAML[0]
#: found by this fuzzing, fixed in graph/vocabulary/yamlfile.py (6997127): each crashed or
#: hung the loader
REGRESSIONS = [
    BILLION_LAUGHS,                                     # hung: aliases expanded 9**9 times
    b"a: &a [*a]\n",                                    # RecursionError: a recursive alias
    b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n",         # RecursionError in the composer
    b"a: " + b"{a: " * 3000 + b"}" * 3000 + b"\n",      # RecursionError
    b"prefLabel:\n  fr: a\n  en: b\nmodified: 2020-13-45\n",  # ValueError: month 13
    b"prefLabel: !!int abc\n",                          # ValueError from the constructor
]


def _write_and_load(root: Path, relative: str, content: bytes) -> str:
    path = root / relative
    original = path.read_bytes() if path.exists() else None
    path.write_bytes(content)
    try:
        return check_load(root)
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)


@pytest.mark.parametrize("relative", TARGETS)
def test_any_input_loads_or_is_explained(data_copy, relative):
    source = data_copy.root / ("terms/mql.yaml" if relative.startswith("terms/") else relative)
    original = source.read_text(encoding="utf-8")

    @FUZZ
    @given(content=yaml_inputs(original))
    def run(content: bytes) -> None:
        _write_and_load(data_copy.root, relative, content)

    for regression in REGRESSIONS:
        run = example(content=regression)(run)
    run()


@FUZZ
@given(content=st.sampled_from(NASTY_YAML))
def test_nasty_yaml_is_refused_with_a_message(tmp_path_factory, content):
    root = _fresh_copy(tmp_path_factory)
    assert _write_and_load(root, "terms/mql.yaml", content) == "refused"


_COPIES: dict[int, Path] = {}


def _fresh_copy(factory: pytest.TempPathFactory) -> Path:
    from tests.support.data import DataCopy

    key = id(factory)
    if key not in _COPIES:
        _COPIES[key] = DataCopy(factory.mktemp("fuzz") / "data").root
    return _COPIES[key]


def test_billion_laughs_is_refused_quickly_and_clearly(data_copy):
    path = data_copy.term("mql")
    path.write_bytes(BILLION_LAUGHS)
    start = time.monotonic()
    with pytest.raises((DataError, DataErrors)) as caught:
        data_copy.load()
    assert time.monotonic() - start < 2
    errors = caught.value.errors if isinstance(caught.value, DataErrors) else [caught.value]
    (error,) = [e for e in errors if e.path == path]
    assert "aliases" in error.message and error.line == 2
    assert "write the value out in full" in error.fix


def test_deep_nesting_names_the_line(data_copy):
    path = data_copy.term("mql")
    path.write_text("prefLabel:\n  fr: a\n  en: b\nx: " + "[" * 3000 + "]" * 3000 + "\n",
                    encoding="utf-8")
    with pytest.raises(DataErrors) as caught:
        data_copy.load()
    (error,) = [e for e in caught.value.errors if e.path == path]
    assert error.line == 4 and "nested more than 100 levels" in error.message


def test_python_tags_are_never_constructed(data_copy, tmp_path):
    canary = tmp_path / "canary"
    path = data_copy.term("mql")
    path.write_text(f"prefLabel: !!python/object/apply:os.system ['touch {canary}']\n",
                    encoding="utf-8")
    with pytest.raises((DataError, DataErrors)):
        data_copy.load()
    assert not canary.exists()

"""The project's data for tests: ``../shared/`` (when it is beside the clone) and a
throw-away copy of ``data/`` to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.config import PROJECT_ROOT
from graph.vocabulary.load import load_vocabulary
from graph.vocabulary.model import Vocabulary

SHARED = PROJECT_ROOT.parent / "shared"
SEEDS = SHARED / "seeds"

SHARED_MISSING = ("../shared (glossaries, conformance data) is not beside this clone; "
                  "CI has it, a user's fresh clone does not")
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=SHARED_MISSING)


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

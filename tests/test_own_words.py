"""No passage of 10 or more words in the project repeats a source glossary."""

from __future__ import annotations

import subprocess
import sys

from graph.config import PROJECT_ROOT
from tests.support.data import SHARED, needs_shared


@needs_shared
def test_seed_overlap_finds_no_repeated_passage():
    result = subprocess.run([sys.executable, str(SHARED / "tools/seed_overlap.py"),
                             str(PROJECT_ROOT)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
    assert result.stdout.strip().endswith("0 passage(s) of 10+ words repeat the source glossaries")

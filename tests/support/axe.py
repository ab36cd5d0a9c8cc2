"""axe-core in the browser tests: where it is, and its WCAG 2.1 A/AA violations on a page.

``test.sh`` installs the pinned axe-core from npm into ``.cache/axe/`` (ignored by git),
as it installs Chromium; ``CRMKG_AXE`` may name another copy of ``axe.min.js``. Without
it, the accessibility checks skip and say how to get it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from graph.config import PROJECT_ROOT

AXE = Path(os.environ.get("CRMKG_AXE")
           or PROJECT_ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG A/AA violations on the page as it is now (the context must have
    ``bypass_csp=True``: the script goes in inline)."""
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: ./test.sh installs it (npm install --prefix "
                    ".cache/axe axe-core)")
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async tags => {
             const r = await axe.run(document, {runOnly: {type: "tag", values: tags}});
             const nodes = v => v.nodes.slice(0, 5).map(n => n.target.join(" "));
             return {passes: r.passes.length,
                     violations: r.violations.map(v => ({id: v.id, help: v.help,
                                                         nodes: nodes(v)}))};
           }""",
        AXE_TAGS)
    assert found["passes"] > 0, "axe checked nothing"
    return found["violations"]

"""Where the project's files are and which URIs the vocabulary uses.

Every setting has a default that works in a clone of the repository and can be
overridden by a ``CRMKG_*`` environment variable, so the CLI and the web app
see the same values.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Persistent namespace of the vocabulary. Concepts are ``<base>id/<id>``.
DEFAULT_BASE_URI = "https://w3id.org/crmkg/"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    ontology_dir: Path
    base_uri: str

    @classmethod
    def from_env(cls) -> Settings:
        base = os.environ.get("CRMKG_BASE_URI", DEFAULT_BASE_URI)
        if not base.endswith(("/", "#")):
            base += "/"
        return cls(
            data_dir=Path(os.environ.get("CRMKG_DATA_DIR", PROJECT_ROOT / "data")),
            ontology_dir=Path(os.environ.get("CRMKG_ONTOLOGY_DIR", PROJECT_ROOT / "ontology")),
            base_uri=base,
        )

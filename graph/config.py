"""Settings: one system for the command line and the web app.

Every setting is a name with a default and a meaning. The core ones (where the data
and the ontology are, the base URI) are defined here and read by the command line;
the web app adds its own (:mod:`webapp.settings`) to the same machinery. Values come,
each overriding the one before, from the defaults, a TOML file (``CRMKG_CONFIG``),
``CRMKG_*`` environment variables, then what the caller passes (a test, a command's
options).
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Persistent namespace of the vocabulary. Concepts are ``<base>id/<id>``.
DEFAULT_BASE_URI = "https://w3id.org/crmkg/"
#: the prefix of every setting in the environment
ENV_PREFIX = "CRMKG_"

#: name → (default, what it does): the settings the command line and the app share
CORE_SETTINGS: dict[str, tuple[Any, str]] = {
    "DATA_DIR": (str(PROJECT_ROOT / "data"), "folder of the vocabulary's YAML files"),
    "ONTOLOGY_DIR": (str(PROJECT_ROOT / "ontology"), "folder of scheme.ttl, ext.ttl, shapes.ttl"),
    "BASE_URI": (DEFAULT_BASE_URI, "namespace of the vocabulary; concepts are <BASE_URI>id/<id>"),
}


def as_namespace(uri: str) -> str:
    """A base URI as a namespace: ending with '/' or '#' (one is added when it has neither)."""
    uri = uri.strip()
    return uri if uri.endswith(("/", "#")) else uri + "/"


@dataclass(frozen=True)
class Settings:
    """The core settings as the vocabulary's code uses them."""

    data_dir: Path
    ontology_dir: Path
    base_uri: str

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> Settings:
        return cls(Path(values["DATA_DIR"]), Path(values["ONTOLOGY_DIR"]),
                   as_namespace(str(values["BASE_URI"])))

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """Defaults, the ``CRMKG_CONFIG`` file and the environment; then ``overrides``
        (upper-case names, None ignored)."""
        given = {k: v for k, v in overrides.items() if v is not None}
        return cls.from_values(read_settings(CORE_SETTINGS, overrides=given,
                                             ignore_unknown=True))


def read_settings(definitions: Mapping[str, tuple[Any, str]],
                  config_file: str | os.PathLike[str] | None = None,
                  overrides: Mapping[str, Any] | None = None,
                  ignore_unknown: bool = False) -> dict[str, Any]:
    """Defaults → TOML file (``config_file`` or ``CRMKG_CONFIG``) → ``CRMKG_*`` environment
    → ``overrides``. ``ignore_unknown``: a file may hold settings of another part."""
    values = {name: default for name, (default, _) in definitions.items()}
    config_file = config_file or os.environ.get(ENV_PREFIX + "CONFIG")
    if config_file:
        values.update(_from_file(Path(config_file), definitions, ignore_unknown))
    values.update(_from_environment(definitions))
    if overrides:
        values.update(overrides)
    return values


def _from_file(path: Path, definitions: Mapping[str, tuple[Any, str]],
               ignore_unknown: bool) -> dict[str, Any]:
    """A TOML file of ``NAME = value`` lines (names as defined, any case)."""
    with path.open("rb") as handle:
        raw = {key.upper(): value for key, value in tomllib.load(handle).items()}
    unknown = sorted(set(raw) - set(definitions))
    if unknown and not ignore_unknown:
        raise ValueError(f"{path}: unknown setting(s) {', '.join(unknown)}; known: "
                         + ", ".join(definitions))
    return {key: value for key, value in raw.items() if key in definitions}


def _from_environment(definitions: Mapping[str, tuple[Any, str]]) -> dict[str, Any]:
    found = {}
    for name, (default, _) in definitions.items():
        text = os.environ.get(ENV_PREFIX + name)
        if text is not None:
            found[name] = _convert(text, default, ENV_PREFIX + name)
    return found


def _convert(text: str, default: Any, where: str) -> Any:
    if isinstance(default, bool):
        if text.lower() in ("1", "true", "yes", "on"):
            return True
        if text.lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"{where}: expected true or false, not {text!r}")
    if isinstance(default, list):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{where}: expected a JSON list, {exc}") from None
        if not isinstance(value, list):
            raise ValueError(f"{where}: expected a JSON list, not {text!r}")
        return value
    if isinstance(default, int):
        return int(text)
    if isinstance(default, float):
        return float(text)
    return text

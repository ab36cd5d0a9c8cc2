"""Settings: defaults → file → CRMKG_* environment → the mapping a test passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.config import PROJECT_ROOT
from webapp.settings import SETTINGS, load_settings


def test_defaults():
    values = load_settings()
    assert values["SPARQL_TIMEOUT"] == SETTINGS["SPARQL_TIMEOUT"][0]
    assert values["DEFAULT_LANGUAGE"] == "fr"


def test_order_of_precedence(tmp_path: Path, monkeypatch):
    config = tmp_path / "crmkg.toml"
    config.write_text("sparql_timeout = 3.5\nsparql_max_rows = 50\ncors = false\n",
                      encoding="utf-8")
    assert load_settings(config)["SPARQL_TIMEOUT"] == 3.5
    monkeypatch.setenv("CRMKG_SPARQL_TIMEOUT", "7")
    monkeypatch.setenv("CRMKG_CORS", "yes")
    values = load_settings(config)
    assert values["SPARQL_TIMEOUT"] == 7.0 and values["CORS"] is True
    assert values["SPARQL_MAX_ROWS"] == 50  # from the file, untouched by the environment
    assert load_settings(config, {"SPARQL_TIMEOUT": 1.0})["SPARQL_TIMEOUT"] == 1.0
    monkeypatch.setenv("CRMKG_CONFIG", str(config))
    assert load_settings()["SPARQL_MAX_ROWS"] == 50


def test_bad_settings_are_explained(tmp_path: Path, monkeypatch):
    config = tmp_path / "crmkg.toml"
    config.write_text("sparql_timout = 3\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown setting"):
        load_settings(config)
    monkeypatch.setenv("CRMKG_CORS", "maybe")
    with pytest.raises(ValueError, match="CRMKG_CORS"):
        load_settings()


def test_readme_documents_every_setting():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in SETTINGS if f"CRMKG_{name}" not in readme]
    assert not missing, f"README does not mention {missing}"


def test_app_uses_the_settings(app):
    assert app.extensions["crmkg"].engine.timeout == app.config["SPARQL_TIMEOUT"]
    assert app.config["CORS"] is True

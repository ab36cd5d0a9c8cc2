"""The profile of an imported vocabulary: ``vocabulary.yaml`` and ``scheme.ttl``.

``crmkg import`` writes the profile beside the YAML it makes from another SKOS
vocabulary; its presence switches the loader to the rules of imported vocabularies
(see :mod:`graph.vocabulary.schema`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph.vocabulary.fields import Fields, did_you_mean
from graph.vocabulary.model import Origin, Profile
from graph.vocabulary.schema import (
    ANY_LANGUAGE_TAG,
    ID_PATTERN,
    IRI_PATTERN,
    PROFILE_BUILD,
    PROFILE_FILE,
    SCHEME_FILE,
    Schema,
)
from graph.vocabulary.yamlfile import DataError, read_yaml_or_report

PROFILE_SCHEMA = Schema(
    {"base": "uri", "importedFrom": "str", "languages": "list", "schemes": "map",
     "mainScheme": "id", "inScheme": "ids", "required": "map",
     "notationDatatype": "uri", "build": "map"},
    required=("base", "schemes", "mainScheme"),
)


def read_profile(data_dir: Path, errors: list[DataError]) -> Profile | None:
    """``vocabulary.yaml`` and ``scheme.ttl`` of an imported vocabulary, if there are."""
    path = data_dir / PROFILE_FILE
    if not path.is_file():
        return None
    doc = read_yaml_or_report(path, errors)
    if doc is None:
        return None
    fields = Fields(doc, (), PROFILE_SCHEMA, errors, PROFILE_FILE)
    if not fields.mapping:
        return None
    base = _base(fields)
    schemes = _schemes(fields)
    main = fields.one_id("mainScheme") or ""
    if schemes and main not in schemes:
        fields.fail(("mainScheme",), f"'{main}' is not one of the schemes",
                    "name one of the ids under 'schemes'")
    in_scheme = fields.ids("inScheme")
    for i, scheme_id in enumerate(in_scheme):
        if scheme_id not in schemes:
            fields.fail(("inScheme", i), f"'{scheme_id}' is not one of the schemes",
                        "name ids listed under 'schemes'")
    languages = _languages(fields)
    required = _required(fields)
    build = _build(fields)
    metadata = _scheme_metadata(data_dir / SCHEME_FILE, base, errors)
    if not fields.ok:
        return None
    return Profile(base=base, schemes=schemes, main=main, languages=list(languages),
                   required=required, in_scheme=in_scheme,
                   notation_datatype=fields.uri("notationDatatype"), build=build,
                   metadata=metadata, imported_from=fields.string("importedFrom"),
                   origin=Origin(path, 1))


def _base(fields: Fields) -> str:
    base = fields.uri("base") or ""
    if base and not base.endswith(("/", "#")):
        fields.fail(("base",), "'base' must end with '/' or '#'", f"write 'base: {base}/'")
    return base


def _schemes(fields: Fields) -> dict[str, str]:
    schemes: dict[str, str] = {}
    raw_schemes = fields.mapping.get("schemes")
    if not isinstance(raw_schemes, dict) or not raw_schemes:
        fields.fail(("schemes",), "'schemes' must map scheme ids to their URIs",
                    "write 'schemes:' then lines such as '  main: https://example.org/scheme'")
        return schemes
    for scheme_id, uri in raw_schemes.items():
        if not isinstance(scheme_id, str) or not ID_PATTERN.match(scheme_id):
            fields.fail(("schemes", scheme_id), f"'{scheme_id}' is not a valid scheme id",
                        "use lower-case words joined by '-'")
        elif not isinstance(uri, str) or not IRI_PATTERN.match(uri):
            fields.fail(("schemes", scheme_id), f"the URI of scheme '{scheme_id}' is not "
                        "an absolute URI", "write the full URI")
        else:
            schemes[scheme_id] = uri
    return schemes


def _is_language_list(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(x, str) and ANY_LANGUAGE_TAG.match(x) for x in value)


def _languages(fields: Fields) -> list[str]:
    languages = fields.mapping.get("languages") or []
    if not _is_language_list(languages):
        fields.fail(("languages",), "'languages' must be a list of language tags",
                    "write 'languages: [en, de]'")
        return []
    return languages


def _required(fields: Fields) -> dict[str, list[str]]:
    required: dict[str, list[str]] = {}
    raw_required = fields.mapping.get("required") or {}
    if not isinstance(raw_required, dict):
        fields.fail(("required",), "'required' must map prefLabel or definition to languages",
                    "write 'required: {prefLabel: [en], definition: []}'")
        return required
    for key, langs in raw_required.items():
        if key not in ("prefLabel", "definition") or not _is_language_list(langs):
            fields.fail(("required", key), f"'required' cannot say {key}: {langs!r}",
                        "write 'prefLabel: [en]' or 'definition: []'")
        else:
            required[key] = langs
    return required


def _build(fields: Fields) -> dict[str, bool]:
    build: dict[str, bool] = {}
    raw_build = fields.mapping.get("build") or {}
    if not isinstance(raw_build, dict):
        fields.fail(("build",), "'build' must map derived statements to true or false",
                    "write 'build:' then lines such as '  narrower: true'")
        return build
    for key, value in raw_build.items():
        if key not in PROFILE_BUILD:
            fields.fail(("build", key), f"unknown key '{key}' in 'build'",
                        did_you_mean(key, PROFILE_BUILD))
        elif not isinstance(value, bool):
            fields.fail(("build", key), f"'{key}' must be true or false",
                        f"write '{key}: true' or '{key}: false'")
        else:
            build[key] = value
    return build


def _scheme_metadata(scheme_path: Path, base: str, errors: list[DataError]) -> Any:
    """``scheme.ttl`` parsed, or None (rdflib is imported only when there is one)."""
    if not scheme_path.is_file():
        return None
    from rdflib import Graph

    metadata = Graph()
    try:
        metadata.parse(scheme_path, format="turtle", publicID=base or None)
    except Exception as exc:  # noqa: BLE001 - any parser error is the file's mistake
        line = getattr(exc, "lines", None) or 1
        errors.append(DataError(scheme_path, line if isinstance(line, int) else 1,
                                f"{SCHEME_FILE} is not valid Turtle: {exc}",
                                "fix the Turtle syntax"))
        return None
    return metadata

"""Reads the keys of one YAML mapping against a :class:`~graph.vocabulary.schema.Schema`.

Each reader returns what it could read and records every mistake as a
:class:`~graph.vocabulary.yamlfile.DataError` naming the line and the fix, so that a
parser reads all the fields of an entry and one load lists every mistake.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from typing import Any

from graph.text import fold_case
from graph.vocabulary.schema import ANY_LANGUAGE_TAG, ID_PATTERN, IRI_PATTERN, LANGUAGE_TAG, Schema
from graph.vocabulary.yamlfile import DataError, KeyPath, YamlDocument


class Fields:
    """Reads the keys of one mapping against a schema, recording errors."""

    def __init__(self, doc: YamlDocument, base: KeyPath, schema: Schema,
                 errors: list[DataError], what: str):
        self.doc, self.base, self.errors = doc, base, errors
        self.ok = True
        #: an imported vocabulary: texts kept exactly, labels compared exactly, any tag
        self.verbatim = schema.verbatim
        mapping = value_at(doc.data, base)
        #: the entry is a mapping (else it is reported, and read as an empty one)
        self.is_mapping = isinstance(mapping, dict)
        if not isinstance(mapping, dict):
            self.fail((), f"{what} must be a mapping of keys such as "
                           f"{', '.join(list(schema.keys)[:3])}",
                       f"write '{(schema.required or list(schema.keys))[0]}:' on its own "
                       "line, then the values indented")
            self.mapping: dict[str, Any] = {}
            return
        self.mapping = mapping
        for key in mapping:
            if key not in schema.keys:
                self.fail((key,), f"unknown key '{key}' in {what}",
                          schema.elsewhere.get(key) or did_you_mean(key, schema.keys))
        for key in schema.required:
            if key not in mapping:
                self.fail((), f"{what} has no '{key}'", f"add '{key}:' with its values")

    def fail(self, keypath: KeyPath, message: str, fix: str) -> None:
        self.ok = False
        self.errors.append(self.doc.error((*self.base, *keypath), message, fix))

    def text(self, key: str, required_languages: tuple[str, ...] = ()) -> dict[str, str]:
        value = self.mapping.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail((key,), f"'{key}' must give one text per language",
                       f"write '{key}:' then lines such as '  fr: …' and '  en: …'")
            return {}
        result: dict[str, str] = {}
        for lang, text in value.items():
            if not self._language(key, lang):
                continue
            if not isinstance(text, str) or not text.strip():
                self.fail((key, lang), f"'{key}' in '{lang}' must be a non-empty text"
                           + (f", not {text!r}" if text is not None else ""),
                           "write the text, in quotes if it looks like a number, a date, "
                           "'yes'/'no' or 'true'/'false'")
                continue
            result[lang] = self._clean(text)
        for lang in required_languages:
            if lang not in value:
                self.fail((key,), f"'{key}' has no '{lang}' text",
                           f"add a line '  {lang}: …' under '{key}'")
        return result

    def _clean(self, text: str) -> str:
        return text if self.verbatim else " ".join(text.split())

    def notes(self, key: str, required_languages: tuple[str, ...] = (),
              ) -> tuple[dict[str, str], dict[str, list[str]]]:
        """With a profile, a note may hold several texts in one language (a list): the
        first, and the others."""
        value = self.mapping.get(key)
        if not self.verbatim or not isinstance(value, dict) or not any(
                isinstance(v, list) for v in value.values()):
            return self.text(key, required_languages), {}
        first: dict[str, str] = {}
        more: dict[str, list[str]] = {}
        singles = {lang: v for lang, v in value.items() if not isinstance(v, list)}
        if singles:
            first.update(Fields._sub(self, key, singles).text(key))
        for lang, items in value.items():
            if not isinstance(items, list) or not self._language(key, lang):
                continue
            texts = []
            for i, item in enumerate(items):
                if not isinstance(item, str) or not item.strip():
                    self.fail((key, lang, i), f"'{key}' in '{lang}' holds {item!r}, not a text",
                               "write the text, in quotes if needed")
                    continue
                texts.append(item)
            if texts:
                first[lang], rest = texts[0], texts[1:]
                if rest:
                    more[lang] = rest
        for lang in required_languages:
            if lang not in value:
                self.fail((key,), f"'{key}' has no '{lang}' text",
                           f"add a line '  {lang}: …' under '{key}'")
        return first, more

    @staticmethod
    def _sub(fields: Fields, key: str, mapping: dict[str, Any]) -> Fields:
        """The same fields, with ``key`` holding only ``mapping`` (to reuse text())."""
        copy = object.__new__(Fields)
        copy.__dict__.update(fields.__dict__)
        copy.mapping = {key: mapping}
        return copy

    def uri(self, key: str) -> str | None:
        value = self.mapping.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not IRI_PATTERN.match(value):
            self.fail((key,), f"'{key}' must be an absolute URI, not {value!r}",
                       f"write '{key}: https://example.org/…'")
            return None
        return value

    def uris(self, key: str, pattern: re.Pattern[str] = IRI_PATTERN,
             example: str = "http://www.wikidata.org/entity/Q42") -> list[str]:
        return self._distinct(key, pattern, "URIs", "[URI, URI]", lambda item: (
            f"{item!r} in '{key}' is not an absolute URI",
            f"write the full URI, such as {example}"))

    def _distinct(self, key: str, pattern: re.Pattern[str], noun: str, example: str,
                  bad: Callable[[Any], tuple[str, str]]) -> list[str]:
        """A list of strings that match ``pattern`` (one string: a list of one), no repeats;
        ``bad(item)`` gives the message and the fix for an item that does not match."""
        value = self.mapping.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail((key,), f"'{key}' must be a list of {noun}", f"write '{key}: {example}'")
            return []
        result: list[str] = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not pattern.match(item):
                self.fail((key, i), *bad(item))
                continue
            if item in result:
                self.fail((key, i), f"'{item}' is listed twice in '{key}'", "remove the repeat")
                continue
            result.append(item)
        return result

    def notations(self, key: str, datatype: str | None) -> list[tuple[str, str | None]]:
        """Texts (of the profile's notation datatype), or {value: …, datatype: URI|null}."""
        value = self.mapping.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            value = [value]
        result: list[tuple[str, str | None]] = []
        for i, item in enumerate(value):
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                item = str(item)
            if isinstance(item, str) and item:
                entry = (item, datatype)
            elif (isinstance(item, dict) and set(item) <= {"value", "datatype"}
                  and isinstance(item.get("value"), str)
                  and (item.get("datatype") is None or (isinstance(item["datatype"], str)
                                                        and IRI_PATTERN.match(item["datatype"])))):
                entry = (item["value"], item.get("datatype"))
            else:
                self.fail((key, i), f"{item!r} in '{key}' is not a notation",
                           "write a text, or {value: text, datatype: URI}")
                continue
            if entry in result:
                self.fail((key, i), f"the notation {entry[0]!r} is listed twice",
                           "remove the repeat")
                continue
            result.append(entry)
        return result

    def texts(self, key: str) -> dict[str, list[str]]:
        value = self.mapping.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail((key,), f"'{key}' must give a list of texts per language",
                       f"write '{key}:' then lines such as '  fr: [a, b]'")
            return {}
        result: dict[str, list[str]] = {}
        for lang, items in value.items():
            if not self._language(key, lang):
                continue
            if items is None:
                items = []
            if isinstance(items, str):
                items = [items]
            if not isinstance(items, list):
                self.fail((key, lang), f"'{key}' in '{lang}' must be a list of texts",
                           "write the texts as a list: [first, second]")
                continue
            clean: list[str] = []
            fold = (lambda x: x) if self.verbatim else fold_case
            for i, item in enumerate(items):
                if not isinstance(item, str) or not item.strip():
                    self.fail((key, lang, i), f"'{key}' in '{lang}' holds {item!r}, not a text",
                               "quote the value")
                    continue
                item = self._clean(item)
                if fold(item) in {fold(x) for x in clean}:
                    self.fail((key, lang, i), f"'{item}' is listed twice in '{key}' ({lang})",
                               "remove the repeated label")
                    continue
                clean.append(item)
            result[lang] = clean
        return result

    def ids(self, key: str) -> list[str]:
        return self._distinct(key, ID_PATTERN, "ids", "[id1, id2]", lambda item: (
            f"'{item}' in '{key}' is not an id",
            "ids are lower-case words joined by '-', as in the file names of data/terms"))

    def one_id(self, key: str) -> str | None:
        value = self.mapping.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.fail((key,), f"'{key}' must be one id", f"write '{key}: some-id'")
            return None
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.mapping.get(key, default)
        if not isinstance(value, bool):
            self.fail((key,), f"'{key}' must be true or false, not {value!r}",
                       f"write '{key}: true' or '{key}: false'")
            return default
        return value

    def string(self, key: str) -> str | None:
        value = self.mapping.get(key)
        if value is None:
            return None
        if isinstance(value, (int, float, date)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.fail((key,), f"'{key}' must be a text", "write the text, in quotes if needed")
            return None
        return value.strip()

    def integer(self, key: str) -> int | None:
        value = self.mapping.get(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail((key,), f"'{key}' must be a whole number", f"write '{key}: 12'")
            return None
        return value

    def day(self, key: str) -> date | None:
        value = self.mapping.get(key)
        if value is None:
            return None
        if not isinstance(value, date):
            self.fail((key,), f"'{key}' must be a date", f"write '{key}: 2021-12-21' (no quotes)")
            return None
        return value

    def _language(self, key: str, lang: Any) -> bool:
        if isinstance(lang, str) and LANGUAGE_TAG.match(lang):
            return True
        if self.verbatim and isinstance(lang, str) and ANY_LANGUAGE_TAG.match(lang):
            return True
        self.fail((key,), f"'{lang}' under '{key}' is not a language tag",
                   "use a language tag such as 'fr' or 'en'")
        return False


def slug(text: str) -> str:
    """An id made from ``text``, to suggest in a fix."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "new-id"


def did_you_mean(word: str, choices: Any, where: str = "") -> str:
    """The fix for an unknown key or id: the close ones, else where to find one."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    if where:
        return f"use an id that exists in {where}"
    return "allowed keys: " + ", ".join(sorted(choices))


def value_at(data: Any, keypath: KeyPath) -> Any:
    """The value at ``keypath``; None where the path leaves the mappings."""
    for key in keypath:
        data = data.get(key) if isinstance(data, dict) else None
    return data

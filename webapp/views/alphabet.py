"""The A–Z index's entries: every concept under the initial of its label, and its other
labels (acronyms first of all: MQL, SQL, CRM) as see-references to it ("MQL → lead
qualifié marketing"), as printed glossaries do. Sales people think in acronyms.

Built once per language and kept (:meth:`AppState.cached`): two reads of the store
(the preferred labels, then every alternative label).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.text import fold_search, is_acronym, local_name
from webapp.pages import state

#: the letter of the all-letters view (``/index?letter=all``)
ALL = "all"


@dataclass(frozen=True)
class Entry:
    """One line of the index: a concept's preferred label, or another of its labels that
    refers to it (``see`` is then the preferred label)."""

    key: str
    label: str
    uri: str
    see: str | None = None

    @property
    def letter(self) -> str:
        return self.key[0].upper() if self.key and self.key[0].isalpha() else "#"


def _chosen(labels: dict[str, list[str]], lang: str) -> tuple[str, str | None]:
    """The label the pages show in ``lang`` (as :func:`graph.query.reader.pick` does) and
    the language it was taken from, whose other labels the index lists with it."""
    for candidate in (lang, "en", "fr", ""):
        if labels.get(candidate):
            return sorted(labels[candidate], key=str.casefold)[0], candidate
    for language, values in sorted(labels.items()):
        if values:
            return sorted(values, key=str.casefold)[0], language
    return "", None


def variant_key(label: str) -> str:
    """A label with each word's plural ending aside: "leads qualifiés marketing" is only
    the plural of "lead qualifié marketing", and is not listed again."""
    return " ".join(re.sub(r"(?<=\w\w)[sx]$", "", word) for word in fold_search(label).split())


def _references(lang: str, chosen: dict[str, tuple[str, str | None]]) -> list[Entry]:
    """The alternative labels, in the language of each concept's shown label."""
    found: list[Entry] = []
    seen: set[tuple[str, str]] = set()
    for uri, label, language, kind in sorted(state().reader.label_entries()):
        if kind != "alt" or uri not in chosen:
            continue
        pref, pref_language = chosen[uri]
        if language != pref_language or not label.strip():
            continue
        key = variant_key(label) if not is_acronym(label) else fold_search(label)
        if key == variant_key(pref) or (uri, key) in seen:
            continue
        seen.add((uri, key))
        found.append(Entry(fold_search(label), label, uri, pref))
    return found


def index_entries(lang: str) -> dict[str, list[Entry]]:
    """Every entry under its initial, sorted (a preferred label before the references
    that read the same)."""

    def build() -> dict[str, list[Entry]]:
        chosen: dict[str, tuple[str, str | None]] = {}
        entries: list[Entry] = []
        for uri, labels in state().reader.preferred_labels().items():
            label, language = _chosen(labels, lang)
            label = label or local_name(uri)
            chosen[uri] = (label, language)
            entries.append(Entry(fold_search(label), label, uri))
        entries += _references(lang, chosen)
        by_letter: dict[str, list[Entry]] = {}
        for entry in sorted(entries, key=lambda e: (e.key, e.see is not None,
                                                    e.label.casefold(), e.uri)):
            by_letter.setdefault(entry.letter, []).append(entry)
        return by_letter

    return state().cached(("index", lang), build)

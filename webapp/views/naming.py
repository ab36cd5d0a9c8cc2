"""How the pages name concepts: with their acronyms ("lead qualifié marketing (MQL)"),
and French's elision before a vowel ("la définition d'opportunité", not "de opportunité").
"""

from __future__ import annotations

from graph.text import acronyms
from webapp.pages import current_language, state

#: the letters before which French writes d' for de (a mute h is too rare in our terms to
#: guess: "haut de l'entonnoir" takes de)
VOWELS = set("aeiouyàâäéèêëîïôöùûüœæ")


def de(word: str) -> str:
    """French "de" before ``word``, elided before a vowel: "de lead", "d'opportunité"
    (in English pages, "of")."""
    if current_language() == "en":
        return "of "
    return "d'" if word[:1].lower() in VOWELS else "de "


def acronyms_of(uris: list[str], labels: dict[str, str], lang: str) -> dict[str, list[str]]:
    """The acronyms of each concept in ``lang`` (those its label does not show already)."""
    alternatives = state().reader.alt_labels(uris)
    return {uri: acronyms(labels.get(uri, ""), alternatives.get(uri, {}).get(lang, []))
            for uri in uris}


def with_acronyms(label: str, found: list[str]) -> str:
    """``lead qualifié marketing (MQL)``; the label alone without acronyms."""
    return f"{label} ({', '.join(found)})" if found else label

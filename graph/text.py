"""Text helpers every part shares: languages, folding, sentences, acronyms, names, XML.

Each is defined once, so that a page, a slide and a drawing that speak of the same
notion cut its definition at the same place and show the same acronym.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

#: the languages every concept of our vocabulary is written in, French first
LANGUAGES = ("fr", "en")

# --- folding: three strengths, for three uses ----------------------------------------------

_NOT_WORD = re.compile(r"[^\w]+")


def fold_case(text: str) -> str:
    """Case aside (NFC, case-folded): two labels that a reader would call the same."""
    return unicodedata.normalize("NFC", text).casefold()


def fold_spaces(text: str) -> str:
    """Case and runs of white space aside: a text as a quiz compares answers."""
    return fold_case(" ".join(text.split()))


def fold_search(text: str) -> str:
    """Case, accents and punctuation aside: what search and alphabetical order compare
    ("qualifie" finds "qualifié", "éditeur" sorts among the e's)."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", without_accents.casefold()).split())


def letters(text: str) -> str:
    """Only the letters and digits, case aside: eCRM and e-CRM are one spelling."""
    return "".join(c for c in fold_spaces(text) if c.isalnum())


# --- sentences -----------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«\"“(]?[A-ZÀ-ÖØ-Þ0-9])")


def first_sentence(text: str) -> str:
    """The first sentence of a definition (all of it when it is a single sentence)."""
    parts = _SENTENCE_END.split(" ".join(text.split()), maxsplit=1)
    return parts[0] if parts else ""


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.–—-(") + "…"


# --- acronyms ------------------------------------------------------------------------------

_ACRONYM = re.compile(r"^[0-9A-Za-z][0-9A-Za-z&./-]{1,7}$")


def is_acronym(label: str) -> bool:
    """MQL, KPI, SaaS, e-CRM, M-CRM, B2B: one short word, mostly capitals."""
    if not _ACRONYM.match(label):
        return False
    found = [c for c in label if c.isalpha()]
    capitals = sum(c.isupper() for c in found)
    return capitals >= 2 and capitals * 2 >= len(found)


def acronyms(pref_label: str, alt_labels: Iterable[str]) -> list[str]:
    """The acronyms among the alternative labels of one language, without plurals and
    without those that the preferred label already shows."""
    pref_words = {fold_spaces(w) for w in re.findall(r"[\w&./-]+", pref_label)}
    pref_letters = letters(pref_label)
    found: list[str] = []
    for label in alt_labels:
        if not is_acronym(label) or fold_spaces(label) in pref_words:
            continue
        if letters(label) == pref_letters:
            continue  # eCRM is only another spelling of e-CRM
        if label.endswith("s") and any(fold_spaces(label[:-1]) == fold_spaces(f)
                                       for f in found):
            continue  # KPIs beside KPI
        if fold_spaces(label) not in {fold_spaces(f) for f in found}:
            found.append(label)
    return found


def term_with_acronyms(pref_label: str, alt_labels: Iterable[str]) -> str:
    """``lead qualifié marketing (MQL)``; the preferred label alone without acronyms."""
    found = acronyms(pref_label, alt_labels)
    return f"{pref_label} ({', '.join(found)})" if found else pref_label


# --- names ---------------------------------------------------------------------------------

def local_name(uri: str) -> str:
    """The end of a URI: after its last '/', '#', ':', '?', '=' or '&' (ignoring a '/' or
    '#' at the very end); the URI itself when it has none."""
    parts = [p for p in re.split(r"[/#:?=&]", uri.rstrip("/#")) if p]
    return parts[-1] if parts else uri


# --- XML -----------------------------------------------------------------------------------

#: characters that no XML 1.0 document can hold, not even as character references
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def first_non_xml_char(text: str) -> str | None:
    """The first character of ``text`` that XML 1.0 cannot hold, as ``U+XXXX``; or None.

    pyoxigraph and rdflib write them as they are, giving a document no XML parser
    reads: an XML output (RDF/XML, SPARQL XML results) refuses with this name instead.
    """
    found = NOT_XML.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def xml_safe(text: str) -> str:
    """``text`` without the characters XML cannot hold: for drawings and slides, which
    show the rest of a label rather than fail."""
    return NOT_XML.sub("", text)

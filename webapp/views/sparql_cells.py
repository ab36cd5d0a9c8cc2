"""How a value of a SPARQL result is shown to a reader: our IRIs as links to our pages,
other IRIs marked as leaving the site, typed literals as values ("1", not
``"1"^^xsd:integer``; a date as a date), a literal's language as a discreet tag.

The results page (``/sparql?format=html``) uses it; the query page does the same in the
browser (``static/sparql-values.js``), with the same words, so that a value reads the
same on both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from flask import url_for

from graph.query.reader import iri
from webapp.pages import concept_url, state

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
INTEGERS = {XSD + name for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte")}
DECIMALS = {XSD + "decimal", XSD + "double", XSD + "float"}
#: datatypes whose value is the text itself: no tag beside it
PLAIN = {XSD + "string", RDF_LANG_STRING}
MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}
#: what a thousands group and the decimal point are written as (fr: a narrow no-break space)
GROUP = {"fr": "\u202f", "en": ","}
POINT = {"fr": ",", "en": "."}
BOOLEANS = {"fr": {"true": "vrai", "1": "vrai", "false": "faux", "0": "faux"},
            "en": {"true": "true", "1": "true", "false": "false", "0": "false"}}
#: the prefixes a datatype tag is written with
TAG_PREFIXES = {XSD: "xsd:", "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
                "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
                "http://www.opengis.net/ont/geosparql#": "geo:"}
_DATE = re.compile(r"(-?\d{4,})-(\d\d)-(\d\d)(Z|[+-]\d\d:\d\d)?")
_DATE_TIME = re.compile(r"(-?\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
_INTEGER = re.compile(r"([+-]?)(\d+)")
_DECIMAL = re.compile(r"([+-]?)(\d*)(?:\.(\d*))?(?:([eE])([+-]?\d+))?")
#: IRIs asked about at once when looking for the ones the store describes
LOOKUP_CHUNK = 400


@dataclass
class Shown:
    """One value as the reader sees it."""

    text: str
    href: str | None = None  # our page for it, or the IRI itself (external)
    external: bool = False  # a link that leaves this site
    lang: str | None = None  # a literal's language tag
    datatype: str | None = None  # a datatype worth showing beside the value
    exact: str | None = None  # the value as written in SPARQL, when the text differs
    number: bool = False  # a number: aligned right, as figures are

    @property
    def html_lang(self) -> str | None:
        """The language tag, for an HTML ``lang`` attribute when it is a plain one."""
        return self.lang if self.lang and _LANGUAGE_TAG.fullmatch(self.lang) else None


def show(term: dict[str, str], lang: str, pages: dict[str, str]) -> Shown:
    """A term of the SPARQL JSON results as the reader sees it, in ``lang`` (fr or en)."""
    kind, value = term.get("type"), term.get("value", "")
    if kind == "uri":
        if value in pages:
            return Shown(value, href=pages[value])
        if value.startswith(("http://", "https://")):
            return Shown(value, href=value, external=True)
        return Shown(value)
    if kind == "bnode":
        return Shown(f"_:{value}")
    if term.get("xml:lang"):
        return Shown(value, lang=term["xml:lang"])
    datatype = term.get("datatype", "")
    if not datatype or datatype in PLAIN:
        return Shown(value)
    text = typed_value(value, datatype, lang)
    exact = f'"{value}"^^{tag(datatype)}'
    if text is None:
        return Shown(value, datatype=tag(datatype), exact=exact)
    return Shown(text, exact=exact, number=datatype in INTEGERS or datatype in DECIMALS)


def typed_value(value: str, datatype: str, lang: str) -> str | None:
    """A typed literal written as a value in ``lang``; None when it is not one we read."""
    lang = lang if lang in MONTHS else "en"
    if datatype in INTEGERS:
        return integer(value, lang)
    if datatype in DECIMALS:
        return decimal(value, lang)
    if datatype == XSD + "boolean":
        return BOOLEANS[lang].get(value.strip())
    if datatype == XSD + "date":
        return date(value, lang)
    if datatype == XSD + "dateTime":
        return date_time(value, lang)
    return None


def integer(value: str, lang: str) -> str | None:
    found = _INTEGER.fullmatch(value.strip())
    if not found:
        return None
    digits = found[2].lstrip("0") or "0"
    sign = "-" if found[1] == "-" and digits != "0" else ""
    return sign + _grouped(digits, lang)


def decimal(value: str, lang: str) -> str | None:
    found = _DECIMAL.fullmatch(value.strip())
    if not found or not (found[2] or found[3]):
        return None  # NaN, INF, or not a number: as it is
    whole = _grouped(found[2].lstrip("0") or "0", lang)
    text = ("-" if found[1] == "-" else "") + whole
    if found[3]:
        text += POINT[lang] + found[3]
    if found[4]:
        text += "E" + found[5]
    return text


def _grouped(digits: str, lang: str) -> str:
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return GROUP[lang].join(groups)


def _day(year: str, month: str, day: str, lang: str) -> str | None:
    if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        return None
    return f"{int(day)} {MONTHS[lang][int(month) - 1]} {year}"


def _zone(zone: str | None) -> str:
    if not zone:
        return ""
    return " (UTC)" if zone == "Z" else f" (UTC{zone})"


def date(value: str, lang: str) -> str | None:
    found = _DATE.fullmatch(value.strip())
    if not found:
        return None
    day = _day(found[1], found[2], found[3], lang)
    return day and day + _zone(found[4])


def date_time(value: str, lang: str) -> str | None:
    found = _DATE_TIME.fullmatch(value.strip())
    if not found:
        return None
    day = _day(found[1], found[2], found[3], lang)
    if day is None or int(found[4]) > 24 or int(found[5]) > 59 or int(found[6]) > 60:
        return None
    time = f"{found[4]}:{found[5]}"
    if found[6] != "00" or (found[7] or "").strip(".0"):
        time += f":{found[6]}{found[7] or ''}"
    return f"{day}{' à ' if lang == 'fr' else ', '}{time}{_zone(found[8])}"


def tag(datatype: str) -> str:
    """A datatype as a short tag: ``xsd:gYear``; an unknown namespace as the whole IRI."""
    for namespace, prefix in TAG_PREFIXES.items():
        if datatype.startswith(namespace) and len(datatype) > len(namespace):
            return prefix + datatype[len(namespace):]
    return f"<{datatype}>"


def pages_for(uris: Iterable[str]) -> dict[str, str]:
    """Our page for each IRI that has one: a concept of our namespace, or any resource the
    store describes (``/entity?uri=``); the others have none (one query per 400 IRIs)."""
    app_state = state()
    pages: dict[str, str] = {}
    others = []
    for uri in dict.fromkeys(uris):
        if app_state.local_id(uri) is not None:
            pages[uri] = concept_url(uri)
        elif _writable(uri):
            others.append(uri)
    for start in range(0, len(others), LOOKUP_CHUNK):
        chunk = " ".join(iri(uri) for uri in others[start:start + LOOKUP_CHUNK])
        for (uri,) in app_state.store.select_values(
                f"SELECT DISTINCT ?s WHERE {{ VALUES ?s {{ {chunk} }} ?s ?p ?o }}"):
            if uri is not None:
                pages[uri] = url_for("concepts.entity", uri=uri)
    return pages


def _writable(uri: str) -> bool:
    try:
        iri(uri)
    except ValueError:
        return False
    return True


def shown_rows(rows: list[dict[str, dict[str, str]]], names: list[str],
               lang: str) -> list[list[Shown | None]]:
    """The rows of a SELECT's results, each value as shown (None where unbound)."""
    uris = (term["value"] for row in rows for term in row.values() if term.get("type") == "uri")
    pages = pages_for(uris)
    return [[show(row[name], lang, pages) if name in row else None for name in names]
            for row in rows]

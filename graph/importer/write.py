"""Writing the YAML folder: the ids that name the files, YAML written by hand so that it
reads like our own data, ``vocabulary.yaml`` and ``scheme.ttl``, and the staging folder that
puts a finished import in place in one step (the third stage of ``crmkg import``)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import unicodedata
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph
from rdflib.compare import to_canonical_graph

from graph import files
from graph.files import remove_leftovers, sync_folder, write_new_file
from graph.importer.errors import ImportFailure
from graph.importer.map_base import NOTES
from graph.text import local_name
from graph.vocabulary.load import ID_PATTERN, PROFILE_BUILD, PROFILE_FILE, SCHEME_FILE

if TYPE_CHECKING:
    from graph.importer.map_base import _Item

REPORT_FILE = "import-report.md"
#: files and folders an import writes in DIR (``--force`` replaces only these)
WRITTEN = (PROFILE_FILE, SCHEME_FILE, "sources.yaml", "collections.yaml", REPORT_FILE)


# --- ids and text ----------------------------------------------------------------------------

def slugify(text: str, limit: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return slug


def _digest(uri: str, length: int = 6) -> str:
    return hashlib.sha1(uri.encode("utf-8")).hexdigest()[:length]


def assign_ids(uris: Iterable[str], canonical_prefix: str, used: set[str] | None = None,
               ) -> dict[str, str]:
    """A stable, unique id for each URI: ``<prefix><id>`` gives ``id``; otherwise the slug
    of its local name, the first URI (in URI order) keeping it and the others getting
    ``-<6 hex digits of its SHA-1>``."""
    used = set() if used is None else used
    result: dict[str, str] = {}

    def canonical(uri: str) -> str | None:
        if uri.startswith(canonical_prefix):
            rest = uri[len(canonical_prefix):]
            if ID_PATTERN.match(rest):
                return rest
        return None

    ordered = sorted(uris, key=lambda u: (canonical(u) is None, u))
    for uri in ordered:
        wanted = canonical(uri) or slugify(local_name(uri)) or f"id-{_digest(uri, 8)}"
        candidate, length = wanted, 6
        while candidate in used:
            candidate = f"{wanted}-{_digest(uri, length)}"
            length += 2
        used.add(candidate)
        result[uri] = candidate
    return result


# YAML written by hand, so that it looks like our own files: block mappings, flow lists,
# folded blocks for long texts; every scalar quoted when a plain one could be misread.
_WIDTH = 92
_YAML_WORDS = {"yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"}
#: never in a plain scalar (the first character must be a letter, which rules out the rest)
_PLAIN_FORBIDDEN = set(":#,[]{}?\t")
_BREAKS = {"\x85", "\u2028", "\u2029"}


def _printable(ch: str) -> bool:
    code = ord(ch)
    return (ch in "\t\n\r" or 0x20 <= code <= 0x7E or code == 0x85
            or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF)


_PLAIN_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9\-._~/:@!$&()*+;=%]*[^:]")


def _plain_ok(text: str) -> bool:
    if _PLAIN_URI.fullmatch(text) and ": " not in text:
        return True
    return (bool(text) and text[0].isalpha() and text == text.strip() and "  " not in text
            and text.lower() not in _YAML_WORDS
            and not any(ch in _PLAIN_FORBIDDEN or ch in _BREAKS or ch == "\n"
                        or not _printable(ch) for ch in text))


def _quoted(text: str) -> str:
    out = ['"']
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ch in _BREAKS or not _printable(ch) or ord(ch) < 0x20:
            code = ord(ch)
            out.append(f"\\x{code:02X}" if code < 0x100 else
                       f"\\u{code:04X}" if code < 0x10000 else f"\\U{code:08X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def scalar(value: Any) -> str:
    """One YAML scalar: plain when it reads back as the same string, else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, date)):
        return str(value) if not isinstance(value, date) else value.isoformat()
    if value is None:
        return "null"
    text = str(value)
    return text if _plain_ok(text) else _quoted(text)


def _foldable(text: str) -> bool:
    return (text == " ".join(text.split()) and text == text.replace("\t", "")
            and all(_printable(ch) and ch not in _BREAKS for ch in text))


def _literal_ok(text: str) -> bool:
    lines = text.split("\n")
    return ("\n" in text and "\r" not in text and not text.endswith("\n")
            and lines[0][:1] not in (" ", "\t", "")
            and all(line == "" or line.strip() for line in lines)
            and all(_printable(ch) and ch not in _BREAKS for ch in text))


def _fold(text: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return lines


def text_lines(prefix: str, text: str, indent: int) -> list[str]:
    """``prefix`` (such as ``"  en:"`` or ``"    -"``) followed by the text: on the same line
    when it fits, else as a folded (or literal) block indented by ``indent``."""
    one = f"{prefix} {scalar(text)}"
    if len(one) <= _WIDTH and "\n" not in text:
        return [one]
    pad = " " * indent
    if _foldable(text):
        return [f"{prefix} >-", *(pad + line for line in _fold(text, _WIDTH - indent))]
    if _literal_ok(text):
        return [f"{prefix} |-", *((pad + line) if line else "" for line in text.split("\n"))]
    return [one]


def flow_list(prefix: str, items: list[Any]) -> list[str]:
    """``prefix [a, b, …]``, wrapped under the opening bracket when long."""
    if not items:
        return [f"{prefix} []"]
    parts = [scalar(item) for item in items]
    lines: list[str] = []
    start = f"{prefix} ["
    pad = " " * len(start)
    current = start
    for i, part in enumerate(parts):
        piece = part + ("]" if i == len(parts) - 1 else ",")
        if current not in (start, pad) and len(current) + 1 + len(piece) > _WIDTH:
            lines.append(current)
            current = pad + piece
        else:
            current += (" " if current not in (start, pad) else "") + piece
    lines.append(current)
    return lines


def comment(text: str) -> str:
    clean = "".join(ch if _printable(ch) and ch not in _BREAKS and ch not in "\n\r\t" else " "
                    for ch in text)
    return ("# " + " ".join(clean.split()))[:_WIDTH * 2]

# --- the files ------------------------------------------------------------------------------

def _fields_lines(fields: dict[str, Any], indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for key, value in fields.items():
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            for lang, text in value.items():
                lines.extend(text_lines(f"{pad}  {scalar(lang)}:", text, indent + 4)
                             if isinstance(text, str)
                             else flow_list(f"{pad}  {scalar(lang)}:", text))
        elif isinstance(value, list):
            lines.extend(flow_list(f"{pad}{key}:", value))
        elif isinstance(value, str) and key not in ("uri", "language"):
            lines.extend(text_lines(f"{pad}{key}:", value, indent + 2))
        else:
            lines.append(f"{pad}{key}: {scalar(value)}")
    return lines


def _mapping_file(title: str, items: dict[str, dict[str, Any]]) -> str:
    lines = [comment(title) + " Written by `crmkg import`."]
    if not items:
        lines.append("{}")
    for item_id, fields in items.items():
        lines.append(f"{scalar(item_id)}:")
        lines.extend(_fields_lines(fields, 2) or ["  {}"])
    return "\n".join(lines) + "\n"


def _profile_yaml(profile: dict[str, Any]) -> str:
    lines = [
        "# How this folder was imported (`crmkg import`) and how to load and build it: the",
        "# loader applies these rules instead of those of our own data",
        "# (see graph/vocabulary/load.py).",
        "",
        "# concepts are <base>id/<id>, unless their file gives their uri:",
        f"base: {scalar(profile['base'])}",
        f"importedFrom: {scalar(profile['importedFrom'])}",
        "# the languages of the labels, most used first",
    ]
    lines.extend(flow_list("languages:", profile["languages"]))
    lines.append("# id → URI of each concept scheme; scheme.ttl holds their description")
    lines.append("schemes:")
    for key, uri in profile["schemes"].items():
        lines.append(f"  {scalar(key)}: {scalar(uri)}")
    lines.append("# the scheme of 'topConcept: true' (others: 'topConceptOf: [id]')")
    lines.append(f"mainScheme: {scalar(profile['mainScheme'])}")
    lines.append("# the schemes of a concept whose file has no inScheme:")
    lines.extend(flow_list("inScheme:", profile["inScheme"]))
    lines.append("# the languages in which every concept must have a prefLabel, a definition")
    lines.append("required:")
    for key, langs in profile["required"].items():
        lines.extend(flow_list(f"  {key}:", langs))
    if profile.get("notationDatatype"):
        lines.append("# the datatype of the notations written as plain texts")
        lines.append(f"notationDatatype: {scalar(profile['notationDatatype'])}")
    lines.append("# what the build derives (true), or leaves as each file states it (false)")
    lines.append("build:")
    for key, value in profile["build"].items():
        lines.append(f"  # {PROFILE_BUILD[key]}")
        lines.append(f"  {key}: {scalar(bool(value))}")
    return "\n".join(lines) + "\n"



def _concept_yaml(item: _Item, languages: list[str], notation_datatype: str | None) -> str:
    """``terms/<id>.yaml``, headed by its labels as a comment, as our own files are."""
    f = item.fields
    labels = f.get("prefLabel", {})
    header = " / ".join(labels[lang] for lang in _lang_order(labels, languages)[:2]) or item.uri
    lines = [comment(header)]
    for key, value in f.items():
        if key in ("prefLabel", *NOTES) or key in ("altLabel", "hiddenLabel"):
            lines.append(f"{key}:")
            for lang in _lang_order(value, languages):
                texts = value[lang]
                if key in ("altLabel", "hiddenLabel"):
                    lines.extend(flow_list(f"  {scalar(lang)}:", texts))
                elif isinstance(texts, list):
                    lines.append(f"  {scalar(lang)}:")
                    for text in texts:
                        lines.extend(text_lines("    -", text, 6))
                else:
                    lines.extend(text_lines(f"  {scalar(lang)}:", texts, 4))
        elif key == "notation":
            plain = all(dt == notation_datatype for _t, dt in value)
            if plain:
                lines.extend(flow_list("notation:", [t for t, _dt in value]))
            else:
                lines.append("notation:")
                for text, dt in value:
                    if dt == notation_datatype:
                        lines.append(f"  - {scalar(text)}")
                    else:
                        lines.append(f"  - {{value: {scalar(text)}, datatype: "
                                     f"{scalar(dt) if dt else 'null'}}}")
        elif isinstance(value, list):
            lines.extend(flow_list(f"{key}:", value))
        else:
            lines.append(f"{key}: {scalar(value)}")
    return "\n".join(lines) + "\n"


def _lang_order(mapping: dict[str, Any], languages: list[str]) -> list[str]:
    """The vocabulary's languages first (most used first), then the others."""
    rank = {lang: i for i, lang in enumerate(languages)}
    return sorted(mapping, key=lambda lang: (rank.get(lang, len(rank)), lang))


def _scheme_ttl(metadata: Graph, prefixes: dict[str, str], file_name: str) -> bytes:
    """``scheme.ttl``, with only the prefixes it uses, and stable blank node labels."""
    graph = Graph()
    for prefix, namespace in sorted(prefixes.items()):
        if prefix and any(str(n).startswith(namespace) for t in metadata for n in t):
            graph.bind(prefix, namespace, override=True, replace=True)
    if any(isinstance(n, BNode) for t in metadata for n in t):
        metadata = to_canonical_graph(metadata)  # blank node labels that do not change
    for triple in metadata:
        graph.add(triple)
    body = graph.serialize(format="turtle", encoding="utf-8")
    header = (f"# The concept scheme(s) of {file_name} and the agents they name, "
              "as the file describes them.\n# Edit freely; `crmkg import` wrote it, and "
              "the build reads it instead of ontology/scheme.ttl.\n").encode()
    return header + body


# --- the folder ------------------------------------------------------------------------------

def prepare_target(target: Path, force: bool) -> None:
    """DIR must be new or empty, unless ``force``: then what an import writes is replaced
    (terms/*.yaml included) and anything else in DIR is left alone. Nothing is deleted
    here: the import is written beside DIR first (see :func:`publish`)."""
    if target.exists() and not target.is_dir():
        raise ImportFailure(f"{target}: exists and is not a folder")
    if target.is_dir() and any(not _is_leftover(p) for p in target.iterdir()) and not force:
        raise ImportFailure(f"{target}: is not empty; choose a new folder, or add --force "
                            "to replace the files of a previous import there")


#: names of what an interrupted import may leave (removed by the next import there)
_STAGING = ".{name}.importing-"
_OLD_TERMS = ".terms.old-"


def _is_leftover(path: Path) -> bool:
    return path.name.startswith(_OLD_TERMS)


def staging_folder(target: Path) -> Path:
    """A new folder beside ``target`` (same file system: a rename moves it) to write the
    import into, after removing what an interrupted import left there."""
    parent = target.absolute().parent
    remove_leftovers(parent, _STAGING.format(name=target.name))
    if target.is_dir():
        remove_leftovers(target, _OLD_TERMS)
    return files.staging_folder(parent, _STAGING.format(name=target.name))


def write_staged(staging: Path, contents: dict[str, bytes]) -> None:
    """Write the files of an import (path in DIR → bytes) into ``staging``."""
    (staging / "terms").mkdir(parents=True, exist_ok=True)
    # each file flushed to disk before the folder is renamed into place: in parallel, as
    # most of the time is fsync. Plain writes, not write_atomically: nobody reads the
    # staging folder before it is whole, and a temporary file and a look for stale ones
    # per file made a 35,000-file import quadratic (each look lists the whole folder)
    with ThreadPoolExecutor(max_workers=16) as pool:
        for future in [pool.submit(write_new_file, staging / name, data)
                       for name, data in contents.items()]:
            future.result()
    sync_folder(staging / "terms")
    sync_folder(staging)


def publish(staging: Path, target: Path) -> None:
    """Put a finished import in place, so that an interruption never leaves half of one.

    A new or empty DIR: one rename of the staged folder (a killed import leaves DIR as
    it was, and a hidden ``.DIR.importing-*`` folder beside it, which the next import
    removes). With ``--force`` over a previous import: ``terms/`` and each file are
    renamed into place, a few renames instead of the whole writing; files of DIR that
    an import does not write are kept (in ``terms/`` too).
    """
    if not target.exists() or (target.is_dir() and not any(target.iterdir())):
        os.rename(staging, target)  # POSIX: replaces an empty folder in one step
        sync_folder(target.absolute().parent)
        return
    old_terms = target / f"{_OLD_TERMS}{os.getpid()}"
    if (target / "terms").is_dir():
        os.rename(target / "terms", old_terms)
    os.rename(staging / "terms", target / "terms")
    for name in WRITTEN:
        if (staging / name).exists():
            os.replace(staging / name, target / name)
        else:
            (target / name).unlink(missing_ok=True)
    if old_terms.is_dir():
        for kept in old_terms.iterdir():  # a user's own files beside the terms
            if kept.suffix != ".yaml" and not (target / "terms" / kept.name).exists():
                os.rename(kept, target / "terms" / kept.name)
        shutil.rmtree(old_terms)
    shutil.rmtree(staging, ignore_errors=True)
    sync_folder(target)

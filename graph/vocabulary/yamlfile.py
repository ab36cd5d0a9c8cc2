"""Read a YAML file and remember the line of every value, for error messages.

PyYAML's ``safe_load`` forgets where values came from and silently keeps the
last of two duplicate keys; editors of ``data/`` need both facts, so we walk
the composed node tree ourselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

#: a path to a value inside a document: keys and list indexes
KeyPath = tuple[Any, ...]


@dataclass
class DataError(Exception):
    """One mistake in a data file: where it is, what is wrong, how to fix it."""

    path: Path
    line: int
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.line}: {self.message}\n    fix: {self.fix}"


class DataErrors(Exception):
    """Every mistake found in one load, so that they can all be fixed at once."""

    def __init__(self, errors: list[DataError]):
        self.errors = sorted(errors, key=lambda e: (str(e.path), e.line, e.message))
        super().__init__(f"{len(self.errors)} error(s) in the data files")

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass
class YamlDocument:
    path: Path
    data: Any
    lines: dict[KeyPath, int]

    def line(self, *keypath: Any) -> int:
        """The line of a value, or of its nearest enclosing value."""
        key = tuple(keypath)
        while key not in self.lines and key:
            key = key[:-1]
        return self.lines.get(key, 1)

    def error(self, keypath: KeyPath, message: str, fix: str) -> DataError:
        return DataError(self.path, self.line(*keypath), message, fix)


_SYNTAX_FIXES = (
    ("mapping values are not allowed", "a text that contains ': ' must be quoted, or written "
     "as a folded block after '>-' on the next lines"),
    ("found character '\\t'", "indent with spaces, never tabs"),
    ("could not find expected ':'", "every line of a mapping needs 'key: value'; check the "
     "indentation and any unclosed quote above"),
    ("did not find expected key", "check the indentation: keys of one mapping start in the "
     "same column"),
    ("found unexpected end of stream", "a quote or bracket is not closed"),
    ("expected ',' or ']'", "a list in brackets is not closed, or an item "
     "contains ',' or ':' and needs quotes"),
    ("found undefined alias", "remove the '*' at the start of the value or quote it"),
)


def _syntax_fix(problem: str) -> str:
    for fragment, fix in _SYNTAX_FIXES:
        if fragment in problem:
            return fix
    return "check the indentation and the quoting on that line and the one above"


#: libyaml's parser, when PyYAML was built with it: the same documents, five times faster
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def read_yaml(path: Path) -> YamlDocument:
    """Parse ``path``; raise :class:`DataError` (with line and fix) on any syntax problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise DataError(path, line, "the file is not valid UTF-8",
                        "save the file with the UTF-8 encoding") from exc
    if _FAST_LOADER is not None:
        # libyaml parses a correct file (an imported vocabulary has tens of thousands);
        # any problem is parsed again by PyYAML's own parser, whose messages we explain
        try:
            return _parse(path, text, _FAST_LOADER)
        except DataErrors:
            raise  # found in the parsed document: PyYAML would find the same
        except DataError as exc:
            if not isinstance(exc.__cause__, yaml.YAMLError):
                raise  # our own checks (aliases, depth, bad dates): the same with PyYAML
        except Exception:  # noqa: BLE001, S110 - reported below, as without libyaml
            pass
    return _parse(path, text, yaml.SafeLoader)


def read_yaml_or_report(path: Path, errors: list[DataError]) -> YamlDocument | None:
    """:func:`read_yaml`, or None with its errors added to ``errors``: one load lists the
    mistakes of every file."""
    try:
        return read_yaml(path)
    except DataError as exc:
        errors.append(exc)
    except DataErrors as exc:
        errors.extend(exc.errors)
    return None


def _bad_character(path: Path, text: str, exc: yaml.reader.ReaderError) -> DataError:
    line = text[: exc.position].count("\n") + 1
    return DataError(path, line, f"YAML error: character #x{exc.character:04x} is not allowed",
                     "remove the control character from that line")


def _syntax_error(path: Path, exc: yaml.MarkedYAMLError) -> DataError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
    return DataError(path, line, f"YAML syntax error: {problem}", _syntax_fix(problem))


def _parse(path: Path, text: str, loader_class: type) -> YamlDocument:
    try:
        loader = loader_class(text)
    except yaml.reader.ReaderError as exc:
        raise _bad_character(path, text, exc) from exc
    try:
        node = loader.get_single_node()
    except RecursionError as exc:
        loader.dispose()
        raise _too_deep(path, _deep_line(text)) from exc
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(path, exc) from exc
    except yaml.reader.ReaderError as exc:
        raise _bad_character(path, text, exc) from exc
    lines: dict[KeyPath, int] = {}
    errors: list[DataError] = []
    seen: set[int] = set()

    def walk(node: yaml.Node, keypath: KeyPath, line: int | None = None) -> Any:
        # a value in a mapping is reported at the line of its key
        lines[keypath] = line or node.start_mark.line + 1
        if id(node) in seen:
            # an alias (*name) makes the composer hand the same node again: walking it again
            # would expand a "billion laughs" file exponentially, or loop on a recursive one
            where = line or lines.get(keypath[:-1], lines[keypath])  # the alias's key
            raise DataError(path, where, "YAML anchors and aliases ('&name', "
                            "'*name') are not allowed in data files",
                            "write the value out in full where the '*' alias is")
        seen.add(id(node))
        if len(keypath) > MAX_DEPTH:
            raise _too_deep(path, lines[keypath])
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = construct(key_node)
                if not isinstance(key, str):
                    errors.append(DataError(path, key_node.start_mark.line + 1,
                                            f"the key {key!r} is not a name",
                                            "keys are words such as 'prefLabel' or 'fr'"))
                    continue
                if key in result:
                    errors.append(DataError(path, key_node.start_mark.line + 1,
                                            f"the key '{key}' appears twice",
                                            f"merge the two '{key}' entries into one"))
                    continue
                result[key] = walk(value_node, (*keypath, key), key_node.start_mark.line + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [walk(item, (*keypath, i)) for i, item in enumerate(node.value)]
        return construct(node)

    def construct(node: yaml.Node) -> Any:
        try:
            return loader.construct_object(node, deep=True)
        except (ValueError, OverflowError) as exc:
            # a plain value that YAML reads as a date, a number … but is not a valid one
            # ("2020-13-45", "!!int abc"): the constructor raises a bare ValueError
            raise DataError(path, node.start_mark.line + 1,
                            f"YAML error: '{node.value}' is not a valid {_tag_name(node.tag)}",
                            "quote the value to keep it as text, or correct it") from exc

    try:
        data = walk(node, ()) if node is not None else None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise DataError(path, mark.line + 1 if mark else 1, f"YAML error: {exc.problem}",
                        "quote the value") from exc
    except RecursionError as exc:
        raise _too_deep(path, _deep_line(text)) from exc
    finally:
        loader.dispose()
    if errors:
        raise DataErrors(errors)
    return YamlDocument(path, data, lines)


#: how deeply values may nest; data files need four or five levels
MAX_DEPTH = 100


def _too_deep(path: Path, line: int) -> DataError:
    return DataError(path, line, f"the values are nested more than {MAX_DEPTH} levels deep",
                     "close the brackets ('[' ']', '{' '}') or reduce the indentation; data "
                     "files need a few levels only")


def _deep_line(text: str) -> int:
    """The line where brackets first nest more than ``MAX_DEPTH`` deep (else 1)."""
    depth = 0
    line = 1
    for char in text:
        if char == "\n":
            line += 1
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif char in "]}":
            depth -= 1
    return 1


def _tag_name(tag: str) -> str:
    name = tag.rsplit(":", 1)[-1]
    return {"timestamp": "date", "int": "whole number", "float": "number",
            "bool": "true/false value"}.get(name, name)

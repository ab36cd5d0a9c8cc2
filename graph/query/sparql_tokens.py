"""The tokens of a SPARQL query, as the SPARQL 1.1 grammar (and the 1.2 parts pyoxigraph
accepts) defines its terminals.

The query guard (:mod:`graph.query.sparql`) decides what a query contains from these tokens,
so they must be cut where a parser cuts them: a name that stops one character early
turns the rest of the query into something else (``p:a·\\'`` once hid a ``SERVICE``
behind a string the guard thought had started). Every terminal follows the grammar's
productions (section 19.8 of the SPARQL 1.1 Query Language, and SPARQL 1.2's triple
terms, reifiers, annotations and base directions), with two departures, each towards
seeing *more* of the query as code:

- a local name takes at most one run of dots, as pyoxigraph 0.5 reads it
  (``ex:a.b.c`` is ``ex:a.b``, ``.``, ``c`` there, so ``ex:a.b.SERVICE`` hid a call);
- a codepoint escape (``\\u0053``) outside a string or an IRI is not a token: SPARQL 1.1
  lets a parser decode it before reading the query, pyoxigraph does not, so it is refused.

A character that starts no token makes :class:`Untokenisable`, which the guard turns
into a 400: a query it cannot read is never passed on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- the grammar's character classes (SPARQL 1.1 Query, 19.8) -----------------------------

PN_CHARS_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF"
                 "\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF"
                 "\uFDF0-\uFFFD\U00010000-\U000EFFFF")
PN_CHARS_U = PN_CHARS_BASE + "_"
#: beside PN_CHARS_U: '-', digits, U+00B7, U+0300–036F, U+203F–2040
PN_CHARS_EXTRA = "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
PN_CHARS = PN_CHARS_U + PN_CHARS_EXTRA
VARNAME_CHARS = PN_CHARS_U + "0-9\u00B7\u0300-\u036F\u203F-\u2040"

_HEX = "[0-9A-Fa-f]"
_UCHAR = rf"\\u{_HEX}{{4}}|\\U{_HEX}{{8}}"
_ECHAR = r"""\\[tbnrf"'\\]"""
_PLX = rf"%{_HEX}{_HEX}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = rf"[{PN_CHARS_BASE}][{PN_CHARS}]*(?:\.+[{PN_CHARS}]+)*"
# one run of dots at most, as pyoxigraph 0.5 (see the module's docstring)
_PN_LOCAL = (rf"(?:[{PN_CHARS_U}:0-9]|{_PLX})(?:[{PN_CHARS}:]|{_PLX})*"
             rf"(?:\.+(?:[{PN_CHARS}:]|{_PLX})+)?")

_IRIREF = re.compile(rf"""<(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*>""")
_PNAME = re.compile(rf"(?P<prefix>{_PN_PREFIX})?:(?P<local>{_PN_LOCAL})?")
_BLANK_NODE = re.compile(rf"_:[{PN_CHARS_U}0-9](?:[{PN_CHARS}]*(?:\.+[{PN_CHARS}]+)*)")
_VAR = re.compile(rf"[?$][{PN_CHARS_U}0-9][{VARNAME_CHARS}]*")
_STRING = re.compile(
    rf"""'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}|{_UCHAR}))*'''"""
    rf'''|"""(?:(?:"|"")?(?:[^"\\]|{_ECHAR}|{_UCHAR}))*"""'''
    rf"""|'(?:[^'\\\n\r]|{_ECHAR}|{_UCHAR})*'"""
    rf'''|"(?:[^"\\\n\r]|{_ECHAR}|{_UCHAR})*"''')
_LANGTAG = re.compile(r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*(?:--[a-zA-Z]+)?")
_NUMBER = re.compile(r"[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+"
                     r"|[0-9]+[eE][+-]?[0-9]+|[0-9]*\.[0-9]+|[0-9]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_SPACE = re.compile(r"(?:[ \t\r\n]|#[^\r\n]*)+")
#: punctuation, longest first
_PUNCTUATION = ("<<(", ")>>", "<<", ">>", "{|", "|}", "||", "&&", "^^", "!=", "<=", ">=",
                "{", "}", "(", ")", "[", "]", ";", ",", ".", "*", "/", "+", "-", "=", "<",
                ">", "!", "^", "|", "?", "~")

_ESCAPE = re.compile(_UCHAR)
_STRING_ESCAPE = re.compile(rf"{_UCHAR}|{_ECHAR}")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'",
           "\\": "\\"}

# token kinds
IRI, PNAME, BLANK_NODE, VAR, STRING, LANGTAG, NUMBER, WORD, PUNCT = (
    "iri", "pname", "bnode", "var", "string", "langtag", "number", "word", "punct")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int  # offset of its first character in the query

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def upper(self) -> str:
        return self.text.upper()


class Untokenisable(ValueError):
    """No token of the grammar starts at ``position``."""

    def __init__(self, text: str, position: int, what: str):
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        super().__init__(f"{line}:{column} (line:column): {what}")
        self.position = position


def skip_space(text: str, position: int) -> int:
    """The offset of the next token: white space and comments are skipped."""
    match = _SPACE.match(text, position)
    return match.end() if match else position


def token_at(text: str, position: int) -> Token:
    """The longest token starting at ``position`` (which is not white space)."""
    char = text[position]
    if char == "<":
        match = _IRIREF.match(text, position)
        if match:
            return Token(IRI, match.group(), position)
    elif char in "'\"":
        match = _STRING.match(text, position)
        if not match:
            raise Untokenisable(text, position, "a string that does not end (or holds a "
                                                "line break or a bad escape)")
        return Token(STRING, match.group(), position)
    elif char in "?$":
        match = _VAR.match(text, position)
        if match:
            return Token(VAR, match.group(), position)
        if char == "$":
            raise Untokenisable(text, position, "'$' without a variable name")
    elif char == "_":
        match = _BLANK_NODE.match(text, position)
        if not match:
            raise Untokenisable(text, position, "'_' that does not start a blank node label")
        return Token(BLANK_NODE, match.group(), position)
    elif char == "@":
        match = _LANGTAG.match(text, position)
        if not match:
            raise Untokenisable(text, position, "'@' that does not start a language tag")
        return Token(LANGTAG, match.group(), position)
    elif char.isdigit() or (char == "." and text[position + 1: position + 2].isdigit()):
        match = _NUMBER.match(text, position)
        if match:
            return Token(NUMBER, match.group(), position)
    elif char == ":" or re.match(f"[{PN_CHARS_BASE}]", char):
        match = _PNAME.match(text, position)
        if match:
            return Token(PNAME, match.group(), position)
        match = _WORD.match(text, position)
        if match:
            return Token(WORD, match.group(), position)
        raise Untokenisable(text, position, f"{char!r} that starts no keyword or name")
    for punctuation in _PUNCTUATION:
        if text.startswith(punctuation, position):
            return Token(PUNCT, punctuation, position)
    if char == "\\":
        raise Untokenisable(text, position, "a backslash outside a string or an IRI "
                                            "(escapes such as \\u0041 belong there only)")
    raise Untokenisable(text, position, f"the character {char!r} (U+{ord(char):04X}), which "
                                        "SPARQL does not allow here")


def tokens(text: str) -> list[Token]:
    """Every token of ``text``, read left to right, longest first (comments left out)."""
    found = []
    position = skip_space(text, 0)
    while position < len(text):
        token = token_at(text, position)
        found.append(token)
        position = skip_space(text, token.end)
    return found


def iri_value(token: Token) -> str:
    """The IRI an IRIREF token writes, its ``\\uXXXX`` escapes decoded (not resolved)."""
    return decode_codepoints(token.text[1:-1])


def string_value(token: Token) -> str:
    """The lexical form a string token writes."""
    quote = 3 if token.text[:3] in ("'''", '"""') else 1
    return _STRING_ESCAPE.sub(_unescape_one, token.text[quote:-quote])


def decode_codepoints(text: str) -> str:
    """``text`` with every ``\\uXXXX`` / ``\\UXXXXXXXX`` replaced by its character."""
    return _ESCAPE.sub(_unescape_one, text)


def has_codepoint_escape(text: str) -> bool:
    return _ESCAPE.search(text) is not None


def _unescape_one(match: re.Match[str]) -> str:
    escape = match.group()
    if escape[1] in "uU":
        code = int(escape[2:], 16)
        return chr(code) if code <= 0x10FFFF else "\ufffd"
    return _ECHARS[escape[1]]

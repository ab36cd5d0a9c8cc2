"""Look at a SPARQL request before anything evaluates it.

The endpoint must never fetch a URL or read a local file on a user's behalf:
``SERVICE`` makes pyoxigraph open a connection, and other engines fetch the
graphs named in ``FROM``. These checks are lexical, so they run before (and
whatever) the engine parses: comments, strings and IRIs are recognised first,
so a ``SERVICE`` inside a string or a ``?service`` variable is no false alarm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_VERBS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY",
                "WITH")

_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
    | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
    | (?P<pname>(?:[^\W\d_][\w.-]*)?:(?:[\w:%.-]|\\.)*)
    | (?P<word>[A-Za-z_][\w-]*)
    | (?P<other>\S)
    """,
    re.VERBOSE | re.UNICODE,
)


#: brackets a query may nest; the engine's parser is recursive and a few thousand
#: levels overflow its stack, which kills the worker process
MAX_NESTING = 200
#: arithmetic and path operators a query may hold (see _check_nesting)
MAX_OPERATORS = 2000
_CHAINING_WORDS = {"UNION", "OPTIONAL", "MINUS", "BIND"}
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class QueryRefused(Exception):
    """A request this endpoint will not evaluate; ``status`` is the HTTP status to answer."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class QueryInfo:
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    from_graphs: list[str] = field(default_factory=list)
    from_named_graphs: list[str] = field(default_factory=list)

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str


def tokens(text: str) -> list[_Token]:
    """SPARQL tokens without comments; strings and IRIs are single tokens."""
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind != "comment":
            found.append(_Token(kind, match.group()))
    return found


def inspect_query(text: str, known_graphs: set[str] | None = None) -> QueryInfo:
    """Classify a query and refuse what must not run (updates, SERVICE, LOAD, remote FROM).

    Raises :class:`QueryRefused`. Syntax errors are left to the engine, whose
    messages give the line and column.
    """
    toks = tokens(text)
    _check_nesting(toks)
    prefixes: dict[str, str] = {}
    base = ""
    position = 0
    while position < len(toks):  # the prologue: BASE and PREFIX declarations
        word = toks[position].text.upper()
        if word == "BASE" and position + 1 < len(toks) and toks[position + 1].kind == "iri":
            base = _unescape(toks[position + 1].text[1:-1])
            position += 2
        elif word == "PREFIX" and position + 2 < len(toks) and toks[position + 2].kind == "iri":
            prefixes[toks[position + 1].text.rstrip(":")] = _unescape(toks[position + 2].text[1:-1])
            position += 3
        else:
            break
    first = toks[position].text.upper() if position < len(toks) else ""
    words = {t.text.upper() for t in toks if t.kind == "word"}
    if first in UPDATE_VERBS or "LOAD" in words and first not in QUERY_FORMS:
        raise QueryRefused(403, "This endpoint is read-only: SPARQL Update "
                                f"({first or 'update'}) is not allowed.")
    if "SERVICE" in words:
        raise QueryRefused(403, "Federated queries (SERVICE) are disabled: this endpoint "
                                "never contacts other servers.")
    if first not in QUERY_FORMS:
        # not a query form we know: let the engine report the syntax error precisely
        return QueryInfo(form=first or "SELECT")
    info = QueryInfo(form=first)
    for i, tok in enumerate(toks):
        if tok.kind != "word" or tok.text.upper() != "FROM":
            continue
        named = i + 1 < len(toks) and toks[i + 1].text.upper() == "NAMED"
        target = toks[i + 2] if named and i + 2 < len(toks) else (
            toks[i + 1] if i + 1 < len(toks) else None)
        iri = _resolve(target, prefixes, base) if target else None
        if iri is None:
            continue  # malformed: the engine will say so
        _check_graph_iri(iri, known_graphs)
        (info.from_named_graphs if named else info.from_graphs).append(iri)
    return info


def _check_nesting(toks: list[_Token]) -> None:
    depth = deepest = run = 0
    for tok in toks:
        # a run of unary operators (!!!!…, - - -…) nests expressions as brackets do: 20,000
        # of them overflowed the parser's stack and killed the worker
        run = run + 1 if tok.kind == "other" and tok.text in "!-+" else 0
        deepest = max(deepest, depth + run)
        if tok.kind == "other" and tok.text in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif tok.kind == "other" and tok.text in "})]":
            depth -= 1
    operators = sum(1 for tok in toks if tok.kind == "other" and tok.text in "+-*/")
    if operators > MAX_OPERATORS:
        # 1+1+…+1 (8,000 terms) or a path <p>/<p>/… (10,000 steps) is evaluated recursively:
        # it overflowed the stack and killed the worker
        raise QueryRefused(400, f"The query has {operators} arithmetic or path operators "
                                f"(+ - * /); this endpoint accepts up to {MAX_OPERATORS}.")
    chained = sum(1 for tok in toks if (tok.kind == "other" and tok.text in "|&,;")
                  or (tok.kind == "word" and tok.text.upper() in _CHAINING_WORDS))
    if chained > MAX_OPERATORS:
        # 9,000 UNIONs, 8,000 MINUS, 3,000 BINDs, 20,000 || or && or | or objects after ','
        # or ';' make a tree as deep, walked recursively: it overflowed the worker's stack
        raise QueryRefused(400, f"The query chains {chained} patterns or operators (UNION, "
                                f"OPTIONAL, MINUS, BIND, || && | , ;); this endpoint accepts "
                                f"up to {MAX_OPERATORS}.")
    if deepest > MAX_NESTING:
        raise QueryRefused(400, f"The query nests brackets or operators {deepest} deep; this "
                                f"endpoint accepts up to {MAX_NESTING}.")


def _unescape(iri: str) -> str:
    """IRIs may hide characters as \\uXXXX / \\UXXXXXXXX escapes, which the engine decodes."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), iri)


def _resolve(tok: _Token, prefixes: dict[str, str], base: str) -> str | None:
    if tok.kind == "iri":
        iri = _unescape(tok.text[1:-1])
        return iri if ":" in iri.split("/")[0] or not base else base + iri
    if tok.kind == "pname":
        prefix, _, local = tok.text.partition(":")
        return prefixes.get(prefix, f"{prefix}:") + local
    return None


def _check_graph_iri(iri: str, known_graphs: set[str] | None) -> None:
    scheme = iri.split(":", 1)[0].lower()
    if scheme == "file":
        raise QueryRefused(403, f"FROM <{iri}>: this endpoint never reads local files.")
    if known_graphs is not None and iri not in known_graphs:
        raise QueryRefused(403, f"FROM <{iri}>: this endpoint does not fetch remote graphs; "
                                "FROM and FROM NAMED may only name graphs it holds "
                                "(see the service description at /sparql).")


def check_dataset_parameters(default_graphs: list[str], named_graphs: list[str]) -> None:
    """``default-graph-uri`` / ``named-graph-uri``: never a file, never fetched.

    An IRI the store does not hold is an empty graph (the SPARQL protocol tests
    expect that), so only local files are refused here.
    """
    for iri in [*default_graphs, *named_graphs]:
        if iri.split(":", 1)[0].lower() == "file":
            raise QueryRefused(403, f"<{iri}>: this endpoint never reads local files.")

"""Look at a SPARQL request before anything evaluates it: the query guard.

The endpoint must never fetch a URL or read a local file on a user's behalf:
``SERVICE`` makes pyoxigraph open a connection, other engines fetch the graphs
named in ``FROM``, and a few thousand nested brackets overflow a parser's stack.
The guard reads the query as the grammar cuts it into tokens
(:mod:`graph.query.sparql_tokens`) and refuses what must not run. It reads the query
the way every parser could, not only the way one lexer does:

- **``<`` is read both ways where it could be either.** Inside parentheses, after
  a term, ``<`` may start an IRI (a lexer that takes the longest token) or be
  "less than" (pyoxigraph, which follows the grammar's context): ``?a<?b#>'''``
  is an IRI and a string to one, a comparison and a comment to the other. The
  guard follows both readings until they meet again, and what either finds
  counts.
- **Keywords must stand alone.** pyoxigraph reads ``trueSERVICE`` as ``true
  SERVICE``: a word that is not exactly one keyword is refused, and so is a
  prefix name that holds ``SERVICE`` or ``FROM``.
- **``\\u`` escapes are read both ways too.** SPARQL 1.1 lets a parser decode
  them before reading the query (Jena does, pyoxigraph does not): a query whose
  decoded form would reach out is refused as well.
- **When it cannot be sure, it refuses.** A query it cannot cut into tokens, a
  word that is no keyword, a prefix that is not declared, a query that is not one
  of the four query forms: 400, never passed on.

Behind the guard, the embedded store's query workers have no network at all
(:mod:`graph.query.sandbox`); with an external store the guard is the only line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin

from graph.query.sparql_tokens import (
    BLANK_NODE,
    IRI,
    LANGTAG,
    NUMBER,
    PNAME,
    PUNCT,
    STRING,
    VAR,
    WORD,
    Token,
    Untokenisable,
    decode_codepoints,
    has_codepoint_escape,
    iri_value,
    skip_space,
    token_at,
)

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
#: words that only SPARQL Update uses
UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE",
                          "COPY", "WITH", "INTO", "USING", "TO", "DATA", "DEFAULT", "ALL"})
#: every keyword and built-in function name of SPARQL 1.1 and 1.2 that pyoxigraph reads,
#: with its extensions (LATERAL, ADJUST); compared without case
KNOWN_WORDS = frozenset({
    *QUERY_FORMS, *UPDATE_WORDS, "A", "TRUE", "FALSE",
    "ABS", "ADJUST", "AS", "ASC", "AVG", "BASE", "BIND", "BNODE", "BOUND", "BY", "CEIL",
    "COALESCE", "CONCAT", "CONTAINS", "COUNT", "DATATYPE", "DAY", "DESC", "DISTINCT",
    "ENCODE_FOR_URI", "EXISTS", "FILTER", "FLOOR", "FROM", "GRAPH", "GROUP", "GROUP_CONCAT",
    "HASLANG", "HASLANGDIR", "HAVING", "HOURS", "IF", "IN", "IRI", "ISBLANK", "ISIRI",
    "ISLITERAL", "ISNUMERIC", "ISTRIPLE", "ISURI", "LANG", "LANGDIR", "LANGMATCHES",
    "LATERAL", "LCASE", "LIMIT", "MAX", "MD5", "MIN", "MINUS", "MINUTES", "MONTH", "NAMED",
    "NOT", "NOW", "OBJECT", "OFFSET", "OPTIONAL", "ORDER", "PREDICATE", "PREFIX", "RAND",
    "REDUCED", "REGEX", "REPLACE", "ROUND", "SAMETERM", "SAMPLE", "SECONDS", "SELECT",
    "SEPARATOR", "SERVICE", "SHA1", "SHA256", "SHA384", "SHA512", "SILENT", "STR", "STRAFTER",
    "STRBEFORE", "STRDT", "STRENDS", "STRLANG", "STRLANGDIR", "STRLEN", "STRSTARTS",
    "STRUUID", "SUBJECT", "SUBSTR", "SUM", "TIMEZONE", "TRIPLE", "TZ", "UCASE", "UNDEF",
    "UNION", "URI", "UUID", "VALUES", "VERSION", "WHERE", "YEAR",
})
#: IRI beginnings that name other stores' built-ins able to reach out (Virtuoso's bif:, sql:)
FOREIGN_BUILTINS = ("bif:", "sql:", "http://www.openlinksw.com/schemas/bif#",
                    "http://www.openlinksw.com/schemas/sql#")

#: brackets a query may nest; the engine's parser is recursive and a few thousand
#: levels overflow its stack, which kills the worker process
MAX_NESTING = 200
#: arithmetic and path operators a query may hold, and chained patterns or operators
MAX_OPERATORS = 2000
_CHAINING_WORDS = frozenset({"UNION", "OPTIONAL", "MINUS", "BIND"})
_CHAINING_PUNCTUATION = frozenset({"|", "||", "&&", ",", ";"})
_OPENING = frozenset({"{", "(", "[", "<<", "<<(", "{|"})
_CLOSING = frozenset({"}", ")", "]", ">>", ")>>", "|}"})
#: tokens after which '<' may be "less than" (the end of an expression's term)
_TERM_ENDS = frozenset({IRI, PNAME, VAR, STRING, LANGTAG, NUMBER, BLANK_NODE})
#: alternative readings may take this many tokens beyond the main one's before the guard
#: gives up (a query written to make readings multiply)
_EXTRA_TOKENS = 10_000


class QueryRefused(Exception):
    """A request this endpoint will not evaluate; ``status`` is the HTTP status to answer."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class QueryInfo:
    """What the guard found in a query, in every way it can be read."""

    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    from_graphs: list[str] = field(default_factory=list)
    from_named_graphs: list[str] = field(default_factory=list)
    #: the keywords that matter to the guard, upper-case: SERVICE and the update words
    keywords: set[str] = field(default_factory=set)
    #: the deepest nesting of brackets (and runs of unary operators)
    depth: int = 0
    operators: int = 0
    chained: int = 0

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def inspect_query(text: str, known_graphs: set[str] | None = None,
                  base_iri: str | None = None) -> QueryInfo:
    """Classify a query and refuse what must not run (updates, SERVICE, remote FROM, …).

    Raises :class:`QueryRefused`. ``known_graphs``: the graphs ``FROM`` may name (None:
    any but a file). ``base_iri``: what relative IRIs resolve against when the query
    sets no BASE (the engine's own base).
    """
    info = read_query(text, base_iri)
    _refuse_what_must_not_run(info, known_graphs)
    return info


def read_query(text: str, base_iri: str | None = None) -> QueryInfo:
    """The guard's view of a query, every reading of it included (raises 400 if unreadable)."""
    info = _Scan(text, base_iri, strict=True).run()
    if has_codepoint_escape(text):
        try:
            decoded = _Scan(decode_codepoints(text), base_iri, strict=False).run()
        except _NotAReading:
            decoded = None
        if decoded is not None:
            info.keywords |= decoded.keywords
            info.from_graphs += decoded.from_graphs
            info.from_named_graphs += decoded.from_named_graphs
            info.depth = max(info.depth, decoded.depth)
            info.operators = max(info.operators, decoded.operators)
            info.chained = max(info.chained, decoded.chained)
    return info


def _refuse_what_must_not_run(info: QueryInfo, known_graphs: set[str] | None) -> None:
    if info.operators > MAX_OPERATORS:
        # 1+1+…+1 (8,000 terms) or a path <p>/<p>/… (10,000 steps) is evaluated recursively:
        # it overflowed the stack and killed the worker
        raise QueryRefused(400, f"The query has {info.operators} arithmetic or path operators "
                                f"(+ - * /); this endpoint accepts up to {MAX_OPERATORS}.")
    if info.chained > MAX_OPERATORS:
        # 9,000 UNIONs, 8,000 MINUS, 3,000 BINDs, 20,000 || or && or | or objects after ','
        # or ';' make a tree as deep, walked recursively: it overflowed the worker's stack
        raise QueryRefused(400, f"The query chains {info.chained} patterns or operators "
                                f"(UNION, OPTIONAL, MINUS, BIND, || && | , ;); this endpoint "
                                f"accepts up to {MAX_OPERATORS}.")
    if info.depth > MAX_NESTING:
        raise QueryRefused(400, f"The query nests brackets or operators {info.depth} deep; "
                                f"this endpoint accepts up to {MAX_NESTING}.")
    updates = sorted(info.keywords & UPDATE_WORDS)
    if updates or info.form in UPDATE_WORDS:
        raise QueryRefused(403, "This endpoint is read-only: SPARQL Update "
                                f"({info.form if info.form in UPDATE_WORDS else updates[0]}) "
                                "is not allowed.")
    if "SERVICE" in info.keywords:
        raise QueryRefused(403, "Federated queries (SERVICE) are disabled: this endpoint "
                                "never contacts other servers.")
    if "FOREIGN" in info.keywords:
        raise QueryRefused(403, "Built-in functions of other stores (bif:, sql:) are not "
                                "allowed: some of them reach out.")
    for iri in [*info.from_graphs, *info.from_named_graphs]:
        _check_graph_iri(iri, known_graphs)


class _NotAReading(Exception):
    """This reading of the query is not SPARQL: no parser takes it (dropped)."""


@dataclass
class _Run:
    """One reading of the query, from ``position`` on."""

    position: int
    stack: int = 0  # an id of :class:`_Stacks`
    after_term: bool = False  # the previous token ends a term ('<' may be "less than")
    unary: int = 0  # unary operators in a row (! - +), which nest as brackets do
    expect: str = ""  # what the previous tokens call for: "" or a step of the prologue/FROM
    from_named: bool = False
    main: bool = False
    #: why this reading is not SPARQL, if it is not
    failure: str = ""
    #: the reading this one met, and is the same as from there on
    joined: _Run | None = None
    keywords: set[str] = field(default_factory=set)
    from_graphs: list[str] = field(default_factory=list)
    from_named_graphs: list[str] = field(default_factory=list)
    depth: int = 0
    operators: int = 0
    chained: int = 0

    def fork(self, position: int) -> _Run:
        return _Run(position, self.stack, after_term=False, expect=self.expect,
                    from_named=self.from_named)

    def key(self) -> tuple:
        return (self.position, self.stack, self.after_term, self.unary, self.expect,
                self.from_named)


def _read_to_the_end(run: _Run | None) -> bool:
    """Whether a reading goes to the end of the query as SPARQL (itself, or the one it met)."""
    while run is not None:
        if run.failure:
            return False
        run = run.joined
    return True


class _Stacks:
    """Bracket stacks, interned: an id per distinct stack, so a reading's state is a small
    key and two readings that reach the same place in the same state are seen to meet."""

    def __init__(self) -> None:
        self.ids: dict[tuple[int, str], int] = {}
        self.parent = [0]
        self.top = [""]
        self.depth = [0]

    def push(self, stack: int, bracket: str) -> int:
        key = (stack, bracket)
        if key not in self.ids:
            self.ids[key] = len(self.parent)
            self.parent.append(stack)
            self.top.append(bracket)
            self.depth.append(self.depth[stack] + 1)
        return self.ids[key]


class _Scan:
    """Every reading of one query text. What the readings that are SPARQL find counts; if
    none is, the query is refused (strict) or this text is no reading (the decoded one)."""

    def __init__(self, text: str, base_iri: str | None, strict: bool):
        self.text = text
        self.strict = strict
        self.base = base_iri or ""
        self.prefixes: dict[str, str] = {}
        self.form = ""
        self.stacks = _Stacks()
        self.visited: dict[tuple, _Run] = {}  # where a reading has been, in which state
        self.pending: list[_Run] = []
        self.info = QueryInfo(form="")
        self.budget = 0
        self._declaring = ""  # the prefix a PREFIX declaration is naming

    def run(self) -> QueryInfo:
        main = _Run(0, main=True, expect="prologue")
        runs = [main]
        self._follow(main)
        self.budget += _EXTRA_TOKENS
        while self.pending:
            runs.append(self.pending.pop())
            self._follow(runs[-1])
        read = [run for run in runs if _read_to_the_end(run)]
        if not read:  # no parser reads the query in any of these ways
            if self.strict:
                raise QueryRefused(400, main.failure)
            raise _NotAReading(main.failure)
        for run in read:
            self._commit(run)
        self.info.form = self.form
        return self.info

    def _follow(self, run: _Run) -> None:
        try:
            self._walk(run)
        except _NotAReading as reason:
            run.failure = str(reason)

    def _walk(self, run: _Run) -> None:
        text = self.text
        while True:
            run.position = skip_space(text, run.position)
            key = run.key()
            if not run.main:
                if key in self.visited:  # the same as a reading already followed, from here
                    run.joined = self.visited[key]
                    return
                self.budget -= 1
                if self.budget < 0:
                    raise QueryRefused(400, "The query can be read in too many ways (a '<' "
                                            "that may start an IRI or compare, again and "
                                            "again); put spaces around comparison operators.")
            self.visited[key] = run
            if run.position >= len(text):
                if run.expect:
                    raise _NotAReading(f"The query ends where {_EXPECTED[run.expect]} was "
                                       "expected.")
                return
            try:
                token = token_at(text, run.position)
            except Untokenisable as exc:
                raise _NotAReading(f"The query cannot be read as SPARQL at {exc}.") from None
            if run.main:
                self.budget += 1
            self._take(run, token)
            run.position = token.end

    def _commit(self, run: _Run) -> None:
        info = self.info
        info.keywords |= run.keywords
        info.from_graphs += run.from_graphs
        info.from_named_graphs += run.from_named_graphs
        info.depth = max(info.depth, run.depth)
        info.operators += run.operators
        info.chained += run.chained

    def _take(self, run: _Run, token: Token) -> None:
        """One token of a reading: what it tells the guard, and where it leads."""
        if run.expect and self._expected(run, token):
            return
        if token.text[0] == "<" and token.text not in ("<", "<=") and self._may_compare(run):
            self._fork(run, token)
        kind, upper = token.kind, token.upper
        if kind == WORD:
            if upper not in KNOWN_WORDS:
                raise _NotAReading(
                    f"'{token.text}' {self._where(token)} (line:column) is not a SPARQL keyword; "
                    "write keywords apart (a space between two of them).")
            if upper == "SERVICE" or upper in UPDATE_WORDS:
                run.keywords.add(upper)
            elif upper == "FROM":
                run.expect, run.from_named = "from", False
            elif upper in _CHAINING_WORDS:
                run.chained += 1
        elif kind == PNAME:
            self._check_prefixed_name(token)
        elif kind == IRI and iri_value(token).startswith(FOREIGN_BUILTINS):
            run.keywords.add("FOREIGN")
        elif kind == PUNCT:
            self._punctuation(run, token)
        if kind == PUNCT and token.text in "!-+":
            run.unary += 1
        else:
            run.unary = 0
        run.depth = max(run.depth, self.stacks.depth[run.stack] + run.unary)
        run.after_term = kind in _TERM_ENDS or token.text in (")", "]", ">>", ")>>") or (
            kind == WORD and upper in ("TRUE", "FALSE"))

    def _punctuation(self, run: _Run, token: Token) -> None:
        text = token.text
        if text in _OPENING:
            run.stack = self.stacks.push(run.stack, text)
        elif text in _CLOSING:
            run.stack = self.stacks.parent[run.stack]
        elif text in "+-*/":
            run.operators += 1
        if text in _CHAINING_PUNCTUATION:
            run.chained += 1

    def _may_compare(self, run: _Run) -> bool:
        """Whether '<' may be "less than" here: after a term, inside parentheses."""
        return run.after_term and self.stacks.top[run.stack] == "("

    def _fork(self, run: _Run, token: Token) -> None:
        """Follow the other reading too: '<' as "less than", then what comes after it."""
        other = run.fork(token.start + 1)
        other.keywords, other.depth = set(), run.depth
        self.pending.append(other)

    def _expected(self, run: _Run, token: Token) -> bool:
        """A token the prologue or a FROM calls for; True when it was taken as such."""
        expect = run.expect
        if expect == "prologue":
            upper = token.upper if token.kind == WORD else ""
            if upper in ("BASE", "PREFIX", "VERSION"):
                run.expect = upper.lower()
                return True
            run.expect = ""
            if upper in QUERY_FORMS:
                self.form = upper
                return False
            if upper in UPDATE_WORDS:
                self.form = upper
                run.keywords.add(upper)
                return False
            raise _NotAReading(f"A query starts with SELECT, ASK, CONSTRUCT or DESCRIBE "
                               f"(after BASE and PREFIX declarations), not with "
                               f"'{token.text[:40]}' {self._where(token)}.")
        if expect == "base" and token.kind == IRI:
            self.base = self._resolve(iri_value(token))
            run.expect = "prologue"
            return True
        if expect == "prefix" and token.kind == PNAME and token.text.endswith(":"):
            self._declaring = token.text[:-1]
            run.expect = "prefix-iri"
            return True
        if expect == "prefix-iri" and token.kind == IRI:
            self.prefixes[self._declaring] = self._resolve(iri_value(token))
            run.expect = "prologue"
            return True
        if expect == "version" and token.kind == STRING:
            run.expect = "prologue"
            return True
        if expect == "from":
            if token.kind == WORD and token.upper == "NAMED" and not run.from_named:
                run.from_named = True
                return True
            if token.kind in (IRI, PNAME):
                if token.kind == PNAME:
                    self._check_prefixed_name(token)
                iri = self._resolve(self._iri_of(token))
                (run.from_named_graphs if run.from_named else run.from_graphs).append(iri)
                run.expect = ""
                return True
        raise _NotAReading(f"{_EXPECTED.get(expect, 'something else')} was expected "
                           f"{self._where(token)}, not '{token.text[:40]}'.")

    def _check_prefixed_name(self, token: Token) -> None:
        prefix = token.text.partition(":")[0]
        if prefix not in self.prefixes:
            raise _NotAReading(f"The prefix '{prefix}:' {self._where(token)} is not "
                               "declared: add PREFIX " + prefix + ": <…> at the top.")
        folded = prefix.upper()
        if "SERVICE" in folded or "FROM" in folded:
            # a parser may read SERVICEp:x as SERVICE p:x (pyoxigraph does)
            raise QueryRefused(400, f"The prefix '{prefix}:' {self._where(token)} may be "
                                    "read as a keyword (SERVICE, FROM) followed by a name; "
                                    "give it another name.")
        if self.prefixes[prefix].startswith(FOREIGN_BUILTINS):
            raise QueryRefused(403, "Built-in functions of other stores (bif:, sql:) are not "
                                    "allowed: some of them reach out.")

    def _iri_of(self, token: Token) -> str:
        if token.kind == IRI:
            return iri_value(token)
        prefix, _, local = token.text.partition(":")
        return self.prefixes[prefix] + local.replace("\\", "")

    def _resolve(self, iri: str) -> str:
        return urljoin(self.base, iri) if self.base else iri

    def _where(self, token: Token) -> str:
        line = self.text.count("\n", 0, token.start) + 1
        column = token.start - (self.text.rfind("\n", 0, token.start) + 1) + 1
        return f"at {line}:{column}"


_EXPECTED = {"prologue": "SELECT, ASK, CONSTRUCT or DESCRIBE", "base": "an IRI after BASE",
             "prefix": "a prefix name (ex:) after PREFIX",
             "prefix-iri": "an IRI after the prefix name", "version": "a string after VERSION",
             "from": "a graph IRI after FROM"}


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

"""Hypothesis strategies and checks shared by the fuzz tests and ``scripts/fuzz.py``.

The bounded tests (``tests/test_fuzz_*.py``) and the long run (``scripts/fuzz.py``)
draw from the same strategies and judge every answer with the same checks, so
that a finding of the long run becomes a test example as it is.
"""

from __future__ import annotations

import contextlib
import signal
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from graph.vocabulary.load import load_vocabulary
from graph.vocabulary.yamlfile import DataError, DataErrors

# --- time limit ---------------------------------------------------------------------------


class Hang(Exception):
    """An input took longer than the time limit of one example."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`Hang` in the main thread after ``seconds`` (a hang is a finding too)."""
    def expired(signum: int, frame: Any) -> None:
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- YAML data files ------------------------------------------------------------------------

#: what an editor's file may start with: nothing, the UTF-8 BOM, UTF-16/32 BOMs
BOMS = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"]
#: keys the loader knows, so that random documents reach past "unknown key"
KNOWN_KEYS = ["prefLabel", "altLabel", "hiddenLabel", "definition", "scopeNote", "note",
              "example", "sources", "broader", "narrower", "related", "topConcept",
              "precedes", "counterpart", "distinguishedFrom", "measuredBy", "fr", "en",
              "members", "ordered", "label", "url", "id", "modified", "created", "notation",
              "exactMatch", "closeMatch", "divergence", "<<", "1", ""]
#: YAML that has broken parsers or loaders elsewhere
NASTY_YAML = [
    # billion laughs: nine levels of nine aliases
    b"a: &a [x,x,x,x,x,x,x,x,x]\n" + b"".join(
        f"{n}: &{n} [{','.join(['*' + p] * 9)}]\n".encode()
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)),
    b"a: &a [*a]\n",
    b"prefLabel: &x\n  fr: a\n  en: b\naltLabel: *x\n",
    b"prefLabel: !!python/object/apply:os.system ['true']\n",
    b"prefLabel: !!python/object:os.system {}\n",
    b"prefLabel: !!python/name:os.system\n",
    b"prefLabel: !!binary aGVsbG8=\n",
    b"modified: 2020-13-45\n",
    b"prefLabel: !!int abc\n",
    b"prefLabel: !!float x\n",
    b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n",
    b"a: " + b"{a: " * 3000 + b"}" * 3000 + b"\n",
    b"".join(b"  " * i + b"k:\n" for i in range(400)),
    b"? [a, b]\n: c\n",
    b"prefLabel:\n  <<: {fr: a}\n",
    b"%YAML 1.1\n--- \nprefLabel: x\n...\n--- \nb: 2\n",
    b"\xef\xbb\xbf\xef\xbb\xbfprefLabel: x\n",
    b"prefLabel: \"\\ud800\"\n",
    b"prefLabel:\n  fr: a\x00b\n",
    b"prefLabel: !<tag:yaml.org,2002:str> [a]\n",
    b"x: 1e999999\n",
    b"x: 99999999999999999999999999999999999999999999\n",
    b"\t- a\n",
    b"",
    b"~\n",
    b"---\n",
]


def yaml_documents() -> st.SearchStrategy[Any]:
    """Random YAML data: nested mappings and lists of scalars, keys mostly the known ones."""
    scalars = (st.none() | st.booleans() | st.integers() | st.floats()
               | st.text(max_size=40) | st.dates() | st.sampled_from(KNOWN_KEYS))
    keys = st.sampled_from(KNOWN_KEYS) | st.text(max_size=12)
    return st.recursive(
        scalars,
        lambda children: st.lists(children, max_size=5)
        | st.dictionaries(keys, children, max_size=6),
        max_leaves=30)


@st.composite
def yaml_from_documents(draw: st.DrawFn) -> bytes:
    """A random document, dumped in block or flow style, as a term file would hold it."""
    document = draw(yaml_documents())
    flow = draw(st.sampled_from([None, True, False]))
    text = yaml.safe_dump(document, allow_unicode=True, default_flow_style=flow,
                          sort_keys=False)
    return text.encode("utf-8")


@st.composite
def mutated(draw: st.DrawFn, original: str) -> bytes:
    """A real file with an editor's slips: lines lost, doubled, re-indented, tabs, cut short,
    odd characters, bytes that are not UTF-8."""
    lines = original.splitlines(keepends=True) or ["\n"]
    for _ in range(draw(st.integers(1, 4))):
        lines = lines or [""]  # a deletion or a cut may have left nothing
        at = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "tab",
                                     "truncate", "insert", "replace-char", "swap", "bytes",
                                     "colon", "quote", "dash"]))
        line = lines[at]
        if kind == "delete":
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, line)
        elif kind == "indent":
            lines[at] = " " * draw(st.integers(1, 9)) + line
        elif kind == "dedent":
            lines[at] = line.lstrip(" ")
        elif kind == "tab":
            lines[at] = "\t" + line
        elif kind == "truncate":
            text = "".join(lines)
            cut = draw(st.integers(0, len(text)))
            lines = [text[:cut]]
        elif kind == "insert":
            lines.insert(at, draw(st.text(max_size=30)) + "\n")
        elif kind == "replace-char" and line:
            pos = draw(st.integers(0, len(line) - 1))
            lines[at] = line[:pos] + draw(st.characters()) + line[pos + 1:]
        elif kind == "swap" and len(lines) > 1:
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], line
        elif kind == "bytes":
            # invalid UTF-8 at a random place: kept as surrogates, written as the raw bytes
            raw = draw(st.binary(min_size=1, max_size=4))
            lines[at] = line + raw.decode("utf-8", "surrogateescape")
        elif kind == "colon":
            lines[at] = line.replace(" ", ": ", 1)
        elif kind == "quote":
            lines[at] = line.replace(": ", ": \"", 1)
        elif kind == "dash":
            lines[at] = "- " + line
    bom = draw(st.sampled_from(BOMS[:2]))
    return bom + "".join(lines).encode("utf-8", "surrogateescape")


def yaml_inputs(original: str) -> st.SearchStrategy[bytes]:
    """Every kind of YAML input: random bytes, random documents, mutations, nasty cases."""
    return st.one_of(
        st.builds(lambda bom, body: bom + body, st.sampled_from(BOMS), st.binary(max_size=300)),
        yaml_from_documents(),
        mutated(original),
        st.sampled_from(NASTY_YAML),
    )


def check_load(root: Path, seconds: float = 5.0) -> str:
    """Load ``root``: it must succeed or raise DataError(s) that name file, line and fix.

    Returns ``"ok"`` or ``"refused"``; anything else (another exception, a hang, a message
    without its parts) raises ``AssertionError`` with what went wrong.
    """
    try:
        with time_limit(seconds):
            load_vocabulary(root)
    except DataErrors as exc:
        assert exc.errors, "DataErrors without any error"
        for error in exc.errors:
            check_error(error, root)
        return "refused"
    except DataError as exc:
        check_error(exc, root)
        return "refused"
    return "ok"


def check_error(error: DataError, root: Path) -> None:
    """A message names the file (under the data folder), its line and a fix."""
    text = str(error)
    assert isinstance(error.path, Path), text
    assert error.path == root or root in error.path.parents, text
    assert isinstance(error.line, int) and error.line >= 1, text
    assert error.message.strip() and error.fix.strip(), text
    assert f":{error.line}: " in text and "fix: " in text, text
    assert "Traceback" not in text, text


# --- HTTP requests ------------------------------------------------------------------------

METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT",
           "PROPFIND", "FOO", "G\u00c9T"]
#: statuses that may answer a fuzzed request (503: the SPARQL time limit, or the label index
#: still being built)
ALLOWED_STATUSES = {200, 201, 204, 301, 302, 303, 304, 307, 308, 400, 403, 404, 405, 406, 409,
                    413, 414, 415, 431, 503}
SECURITY_HEADERS = {"Content-Security-Policy": None, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "same-origin"}
TRACEBACK_MARKS = ("Traceback (most recent call last)", 'File "/', "File \"<")

ACCEPTS = ["", "*/*", "*/*;q=abc", "text/html", "application/json", "text/turtle",
           "application/rdf+xml", "application/ld+json", "application/n-triples",
           "application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values", "image/png", "image/svg+xml", "foo/bar", "foo",
           ";;;", "text/html;q=0", "application/json;q=0, text/html;q=0", "*/*;q=0",
           "text/*", "application/*;q=0.5, text/html;q=0.1", "a/b;c=\"d", ",,,,",
           "text/html;q=1e400", "application/json;q=-1", "text/html; charset=\u00e9",
           "x" * 5000, ",".join(["text/html"] * 500)]
LANGUAGES = ["", "fr", "en", "de", "*", "fr-FR;q=abc", "en;q=0", "\u00e9", "x" * 3000]
CONTENT_TYPES = ["", "application/x-www-form-urlencoded", "application/sparql-query",
                 "application/sparql-query; charset=utf-16", "application/sparql-update",
                 "application/json", "multipart/form-data", "multipart/form-data; boundary=x",
                 "text/plain", "foo", ";", "application/x-www-form-urlencoded; charset=latin-1"]

#: characters that upset URL handling: separators, escapes, controls, non-ASCII
_URL_ALPHABET = (string.ascii_letters + string.digits
                 + "-._~%/?#[]@!$&'()*+,;=:\\ \"<>{}|^`\u00e9\u2603")


def _percent_bytes() -> st.SearchStrategy[str]:
    return st.binary(min_size=1, max_size=6).map(lambda b: "".join(f"%{x:02x}" for x in b))


def path_segments() -> st.SearchStrategy[str]:
    """One path segment (or query value): text, %-escapes (invalid UTF-8 too), long runs."""
    return st.one_of(
        st.text(alphabet=_URL_ALPHABET, max_size=30),
        st.text(max_size=20),
        _percent_bytes(),
        st.sampled_from(["%ff%fe", "%00", "%", "%%", "%zz", "%c3", "..", ".", "", "mql",
                         "funnel-stages", "theme-leads", "mql.json", "mql.ttl", "mql.xyz",
                         "a" * 10_000, "\u00e9" * 2000, "%2e%2e", "%2F", "\x00", "\n"]),
    )


def query_strings() -> st.SearchStrategy[str]:
    keys = st.sampled_from(["q", "lang", "format", "letter", "page", "node", "uri", "focus",
                            "depth", "from", "to", "themes", "relations", "mode", "seed",
                            "limit", "go", "collection", "query", "update", "output",
                            "default-graph-uri", "named-graph-uri", "x", ""]) | path_segments()
    pair = st.tuples(keys, path_segments()).map(lambda kv: f"{kv[0]}={kv[1]}")
    return st.lists(pair | path_segments(), max_size=4).map("&".join)


def check_response(status: int, headers: Any, body: bytes, *, method: str = "GET",
                   allowed: set[int] | None = None) -> None:
    """What every answer must be: a known status (never a 500), the security headers, no
    traceback, and an error in the documented shape."""
    allowed = ALLOWED_STATUSES if allowed is None else allowed
    assert status in allowed, f"status {status}: {body[:300]!r}"
    for name, value in SECURITY_HEADERS.items():
        assert name in headers, f"no {name} header on a {status}"
        if value is not None:
            assert headers[name] == value, f"{name}: {headers[name]}"
    text = body.decode("utf-8", "replace")
    for mark in TRACEBACK_MARKS:
        assert mark not in text, f"traceback shown in a {status}: {text[:500]}"
    if status >= 400 and method != "HEAD":
        check_error_shape(status, headers.get("Content-Type", ""), body)


def check_error_shape(status: int, content_type: str, body: bytes) -> None:
    """Errors (webapp/errors.py): a JSON error object, an HTML page, or plain text."""
    media = content_type.split(";")[0].strip()
    if media == "application/json":
        import json

        document = json.loads(body)
        assert document.get("ok") is False, document
        assert document.get("status") == status, document
        assert isinstance(document.get("error"), str) and document["error"], document
        assert isinstance(document.get("message"), str), document
    elif media == "text/html":
        assert b"<html" in body.lower() and b"</html>" in body.lower(), body[:300]
    else:
        assert media == "text/plain", f"error {status} as {content_type!r}"
        assert body.strip(), f"empty {status}"


#: what a client may send raw in a path or a query; anything else is percent-encoded
#: (a request line cannot hold spaces or controls; "%" is kept, so bad escapes get through)
_SENDABLE = "%/:@!$&'()*+,;=-._~"


def fill_rule(rule: str, segments: list[str]) -> str:
    """A URL path from a url_map rule, each ``<converter>`` replaced by a segment."""
    import re
    from urllib.parse import quote

    parts = re.split(r"<[^>]+>", rule)
    path = parts[0]
    for part, segment in zip(parts[1:], segments, strict=False):
        path += quote(segment, safe=_SENDABLE) + part
    return path


def send_query(query: str) -> str:
    from urllib.parse import quote

    return quote(query, safe=_SENDABLE + "?")


@st.composite
def http_requests(draw: st.DrawFn, rules: list[str]) -> dict[str, Any]:
    """A request to one of ``rules``: odd segments, query, method, headers and body."""
    rule = draw(st.sampled_from(rules))
    segments = [draw(path_segments()) for _ in range(rule.count("<"))]
    path = fill_rule(rule, segments)
    query = send_query(draw(query_strings()))
    method = draw(st.sampled_from(["GET", "GET", "POST"]) | st.sampled_from(METHODS))
    headers = {"Accept": draw(st.sampled_from(ACCEPTS) | st.text(max_size=40)),
               "Accept-Language": draw(st.sampled_from(LANGUAGES))}
    body = b""
    if method not in ("GET", "HEAD") or draw(st.booleans()):
        headers["Content-Type"] = draw(st.sampled_from(CONTENT_TYPES))
        body = draw(st.binary(max_size=200) | query_strings().map(
            lambda q: q.encode("utf-8", "surrogateescape")))
    # a header line holds latin-1 without line breaks: what a client can send at all
    headers = {k: v.encode("latin-1", "replace").decode("latin-1").replace("\r", " ")
               .replace("\n", " ") for k, v in headers.items()}
    return {"rule": rule, "method": method, "url": path + (f"?{query}" if query else ""),
            "headers": headers, "body": body}


def allowed_statuses(path: str) -> set[int]:
    """503 is documented for the SPARQL time limit and the search index being built only."""
    if path.startswith(("/sparql", "/search")):
        return ALLOWED_STATUSES
    return ALLOWED_STATUSES - {503}


def run_request(client: Any, request: dict[str, Any]) -> int:
    """Send one drawn request through Flask's test client, check the answer, return status."""
    response = client.open(request["url"], method=request["method"],
                           headers=request["headers"], data=request["body"])
    try:
        check_response(response.status_code, response.headers, response.get_data(),
                       method=request["method"],
                       allowed=allowed_statuses(request["url"]))
    finally:
        response.close()
    return response.status_code


# --- the OpenAPI description ------------------------------------------------------------------

def validate(instance: Any, schema: dict[str, Any], components: dict[str, Any],
             where: str = "$") -> list[str]:
    """What of ``instance`` does not match ``schema``: the part of JSON Schema that
    webapp/openapi.py uses (type, nullable, enum, required, properties, items,
    additionalProperties, allOf, $ref); jsonschema is not a dependency of the project."""
    if "$ref" in schema:
        return validate(instance, components[schema["$ref"].rsplit("/", 1)[-1]], components,
                        where)
    problems: list[str] = []
    for part in schema.get("allOf", []):
        problems += validate(instance, part, components, where)
    if instance is None:
        return problems if schema.get("nullable") or "type" not in schema else \
            [*problems, f"{where}: null"]
    kind = schema.get("type")
    checks = {"string": str, "integer": int, "number": (int, float), "boolean": bool,
              "object": dict, "array": list}
    if kind:
        ok = isinstance(instance, checks[kind])
        if kind in ("integer", "number") and isinstance(instance, bool):
            ok = False
        if not ok:
            return [*problems, f"{where}: {type(instance).__name__}, not {kind}"]
    if "enum" in schema and instance not in schema["enum"]:
        problems.append(f"{where}: {instance!r} not in {schema['enum']}")
    if isinstance(instance, dict):
        for key in schema.get("required", []):
            if key not in instance:
                problems.append(f"{where}: no '{key}'")
        for key, value in instance.items():
            if key in schema.get("properties", {}):
                problems += validate(value, schema["properties"][key], components,
                                     f"{where}.{key}")
            elif isinstance(schema.get("additionalProperties"), dict):
                problems += validate(value, schema["additionalProperties"], components,
                                     f"{where}.{key}")
    if isinstance(instance, list) and "items" in schema:
        for i, item in enumerate(instance):
            problems += validate(item, schema["items"], components, f"{where}[{i}]")
    return problems


def documented_schema(document: dict[str, Any], path: str, method: str,
                      status: int) -> dict[str, Any] | None:
    """The JSON schema the description gives for this answer (None: not JSON there)."""
    operation = document["paths"].get(path, {}).get(method.lower())
    if operation is None:
        return None
    response = operation["responses"].get(str(status))
    if response is None and status >= 400:
        return {"$ref": "#/components/schemas/Error"}
    content = (response or {}).get("content", {})
    return content.get("application/json", {}).get("schema")


# --- SPARQL -----------------------------------------------------------------------------------

SPARQL_STATUSES = {200, 400, 403, 406, 413, 414, 415, 503}
#: the engine's words when a worker died under a query (a crash, not the time limit)
WORKER_DIED = "worker evaluating the query stopped"
SPARQL_FORMATS = ["", "json", "xml", "csv", "tsv", "turtle", "ttl", "nt", "rdfxml", "jsonld",
                  "html", "srj", "foo", "%ff", "application/sparql-results+json", "text/csv",
                  "application/ld+json", "text/html", "*/*", ""]
SPARQL_ACCEPTS = ["", "*/*", "application/sparql-results+json", "application/sparql-results+xml",
                  "text/csv", "text/tab-separated-values", "text/turtle", "application/rdf+xml",
                  "application/n-triples", "application/ld+json", "text/html", "application/json",
                  "image/png", "*/*;q=abc", "text/csv;q=0", "x" * 5000]
_WEIRD_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_IRI_CHARS = st.text(st.characters(blacklist_characters='<>"{}|^`\\ \n\r\t',
                                   blacklist_categories=("Cs",)), max_size=15)


def _iri() -> st.SearchStrategy[str]:
    return st.one_of(
        _IRI_CHARS.map(lambda s: f"<https://w3id.org/crmkg/id/{s}>"),
        st.sampled_from(["<https://w3id.org/crmkg/id/mql>", "skos:prefLabel", "skos:broader",
                         "<http://x/\u2603\U0001f600>", "<\\u0041>", "<>", "<#x>", "<a b>",
                         "<http://x/\ufffd>", "<file:///etc/passwd>", "ex:", ":x", "a"]))


def _literal() -> st.SearchStrategy[str]:
    return st.one_of(
        _WEIRD_TEXT.map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"')
                        .replace("\n", "\\n").replace("\r", "\\r") + '"'),
        st.tuples(_WEIRD_TEXT.map(lambda s: s.replace("'", "")),
                  st.sampled_from(["", "@en", "@fr", "@x-" + "a" * 70, "^^xsd:integer",
                                   "^^xsd:dateTime", "^^<http://x>"])).map(
            lambda t: f"'{t[0]}'{t[1]}".replace("\n", " ").replace("\r", " ")),
        st.integers().map(str), st.floats(allow_nan=False).map(repr),
        st.sampled_from(['"\\uD800"', '"\\U00110000"', '"\\u0000"', "1e999999", "true",
                         '"""a\nb"""', "'''x'''", '"é"@fr-FR']))


def _term() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(["?s", "?p", "?o", "?x", "$y", "[]", "_:b"]), _iri(),
                     _literal())


@st.composite
def _pattern(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(st.sampled_from(["triple", "triple", "filter", "optional", "union", "group",
                                 "values", "bind", "path", "minus", "graph"]
                                if depth < 3 else ["triple", "filter"]))
    # mostly where the grammar puts them (so that many queries run), now and then anywhere
    s = draw(st.sampled_from(["?s", "?x", "[]", "_:b"]) | _iri() if draw(st.booleans())
             else _term())
    p = draw(st.sampled_from(["?p", "skos:prefLabel", "skos:broader", "a", "rdf:type"])
             | _iri() if draw(st.booleans()) else _term())
    o = draw(_term())
    if kind == "triple":
        return f"{s} {p} {o} ."
    if kind == "filter":
        function = draw(st.sampled_from(["regex(str(?o), {x})", "lang(?o) = {x}",
                                         "contains(str(?o), {x})", "?o != {x}", "bound(?x)",
                                         "strlen({x}) > 2", "isIRI({x})", "{x}"]))
        return f"FILTER({function.format(x=draw(_literal()))})"
    if kind == "values":
        values = " ".join(draw(st.lists(_literal() | _iri(), max_size=8)))
        return f"VALUES ?v {{ {values} }}"
    if kind == "bind":
        return f"BIND({draw(_literal())} AS ?b{depth})"
    if kind == "path":
        path = draw(st.sampled_from(["skos:broader*", "skos:broader+", "^skos:narrower",
                                     "(skos:broader|skos:related)*", "!rdf:type",
                                     "skos:broader/skos:broader?", "skos:related{2}"]))
        return f"<https://w3id.org/crmkg/id/mql> {path} ?o ."
    inner = draw(_pattern(depth + 1))
    if kind == "optional":
        return f"OPTIONAL {{ {inner} }}"
    if kind == "minus":
        return f"MINUS {{ {inner} }}"
    if kind == "graph":
        return f"GRAPH {draw(_iri())} {{ {inner} }}"
    if kind == "union":
        return " UNION ".join(f"{{ {inner} }}" for _ in range(draw(st.integers(2, 40))))
    return f"{{ {inner} {draw(_pattern(depth + 1))} }}"


PREFIXES = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
            "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
            "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> ")


@st.composite
def shaped_queries(draw: st.DrawFn) -> str:
    """Queries that follow the grammar (mostly), with odd terms, nesting and sizes."""
    body = " ".join(draw(st.lists(_pattern(), min_size=1, max_size=4)))
    nesting = draw(st.sampled_from([0, 0, 0, 5, 50, 199, 201, 1000]))
    body = "{ " * nesting + body + " }" * nesting
    form = draw(st.sampled_from(["SELECT * WHERE", "SELECT DISTINCT ?s ?o WHERE",
                                 "SELECT (COUNT(*) AS ?n) WHERE", "ASK", "CONSTRUCT WHERE",
                                 "DESCRIBE ?s WHERE", "CONSTRUCT { ?s ?p ?o } WHERE",
                                 "SELECT * FROM <http://x/g> WHERE", "INSERT DATA",
                                 "SELECT * { SERVICE <http://127.0.0.1:9/> {} } #"]))
    modifier = draw(st.sampled_from([" LIMIT 5", " LIMIT 5", " ORDER BY ?o LIMIT 3",
                                     " OFFSET 99999999999999999999 LIMIT 1", "", " LIMIT -1",
                                     " GROUP BY ?s LIMIT 3"]))
    query = f"{PREFIXES if draw(st.booleans()) else ''}{form} {{ {body} }}{modifier}"
    size = draw(st.sampled_from([0, 0, 0, 65_536 - len(query), 65_537 - len(query),
                                 200_000]))
    if size > 0:
        query += " " + "#" * (size - 2) + "\n"
    return query


#: how a query can repeat one piece into a long chain (each makes a tree as deep)
CHAINS = {
    "or": ("ASK {{ FILTER({}) }}", "||", "true"),
    "and": ("ASK {{ FILTER({}) }}", "&&", "1<2"),
    "not": ("ASK {{ FILTER({}true) }}", "", "!"),
    "minus": ("ASK {{ FILTER({}1 < 0) }}", " ", "-"),
    "plus": ("SELECT ({} AS ?x) {{}}", "+", "1"),
    "times": ("SELECT ({} AS ?x) {{}}", "*", "2"),
    "sequence": ("SELECT * WHERE {{ ?s {} ?o }} LIMIT 1", "/", "a"),
    "alternative": ("SELECT * WHERE {{ ?s {} ?o }} LIMIT 1", "|", "a"),
    "inverse": ("SELECT * WHERE {{ ?s {}a ?o }} LIMIT 1", "", "^"),
    "objects": ("SELECT * WHERE {{ ?s ?p {} }} LIMIT 1", ",", "1"),
    "predicates": ("SELECT * WHERE {{ ?s {} }} LIMIT 1", ";", "a 1"),
    "union": ("SELECT * WHERE {{ {} }}", " UNION ", "{}"),
    "optional": ("SELECT * WHERE {{ {} }}", " ", "OPTIONAL{}"),
    "minus-pattern": ("SELECT * WHERE {{ {} }}", " ", "MINUS{}"),
    "filter": ("SELECT * WHERE {{ {} }}", " ", "FILTER(1)"),
    "bind": ("SELECT * WHERE {{ {} }}", " ", "BIND(1 AS ?x)"),
    "in": ("ASK {{ FILTER(1 IN ({})) }}", ",", "1"),
    "concat": ("SELECT (CONCAT({}) AS ?x) {{}}", ",", "'a'"),
    "triples": ("SELECT * WHERE {{ {} }} LIMIT 1", " ", "?s ?p ?o ."),
    "parens": ("ASK {{ FILTER({}) }}", "", "("),
}


@st.composite
def chain_queries(draw: st.DrawFn) -> str:
    """One piece repeated into a long chain: what overflowed the engine's stack."""
    template, joint, piece = CHAINS[draw(st.sampled_from(sorted(CHAINS)))]
    count = draw(st.sampled_from([2, 100, 1000, 1999, 2001, 4000, 9000, 30_000]))
    return template.format(joint.join([piece] * count))


def garbage_queries() -> st.SearchStrategy[str]:
    """Random text, random SPARQL-ish tokens, and fragments of real queries."""
    words = st.sampled_from(["SELECT", "*", "WHERE", "{", "}", "(", ")", "[", "]", "?s",
                             "<http://x>", "'", '"', "PREFIX", ":", ".", ";", ",", "UNION",
                             "FILTER", "!", "^", "/", "|", "+", "GRAPH", "SERVICE", "LOAD",
                             "FROM", "NAMED", "VALUES", "#", "\\u", "\n", "\x00", "\ufeff",
                             "\u202e", "ASK", "CONSTRUCT", "DESCRIBE", "BASE", "LIMIT", "1"])
    return st.one_of(st.text(max_size=200), st.lists(words, max_size=60).map(" ".join),
                     st.lists(words, max_size=60).map("".join))


@st.composite
def sparql_requests(draw: st.DrawFn) -> dict[str, Any]:
    """A query sent as the protocol allows (GET, POST form, POST body), or nearly."""
    from urllib.parse import quote

    query = draw(st.sampled_from([
        "SELECT * WHERE { ?s ?p ?o } LIMIT 3", "ASK {}", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3",
        "DESCRIBE <https://w3id.org/crmkg/id/mql>"]) | shaped_queries() | garbage_queries()
        | chain_queries())
    how = draw(st.sampled_from(["get", "form", "body", "get-raw", "form-raw", "body-raw"]))
    fmt = draw(st.sampled_from(SPARQL_FORMATS))
    headers = {"Accept": draw(st.sampled_from(SPARQL_ACCEPTS))}
    args = f"format={quote(fmt, safe='%')}" if fmt else ""
    raw = draw(st.binary(max_size=40))  # invalid UTF-8, for the -raw ways
    encoded = query.encode("utf-8", "surrogatepass")
    if how == "get":
        url = f"/sparql?query={quote(encoded)}" + (f"&{args}" if args else "")
        return {"method": "GET", "url": url, "headers": headers, "body": b""}
    if how == "get-raw":
        url = f"/sparql?query={quote(encoded)}{''.join(f'%{b:02x}' for b in raw)}"
        return {"method": "GET", "url": url + (f"&{args}" if args else ""),
                "headers": headers, "body": b""}
    url = "/sparql" + (f"?{args}" if args else "")
    if how in ("form", "form-raw"):
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = b"query=" + quote(encoded).encode() + (raw if how == "form-raw" else b"")
    else:
        headers["Content-Type"] = draw(st.sampled_from(
            ["application/sparql-query", "application/sparql-query; charset=utf-8",
             "application/sparql-query; charset=UTF-16", "application/sparql-query; x=y"]))
        body = encoded + (raw if how == "body-raw" else b"")
    return {"method": "POST", "url": url, "headers": headers, "body": body}


def check_sparql_answer(status: int, headers: Any, body: bytes, method: str = "GET") -> None:
    """Answers of /sparql: a protocol status, errors in plain text with the parser's words,
    and never a worker killed by the query (the 503 of a crash, not of the time limit)."""
    check_response(status, headers, body, method=method, allowed=SPARQL_STATUSES)
    text = body.decode("utf-8", "replace")
    assert WORKER_DIED not in text, f"a query killed a worker: {text[:300]}"
    if status >= 400 and method != "HEAD":
        assert headers.get("Content-Type", "").startswith("text/plain"), status
        assert text.split(":", 1)[0] in ("Bad Request", "Forbidden", "Not Acceptable",
                                         "Payload Too Large", "Unsupported Media Type",
                                         "Service Unavailable", "URI Too Long",
                                         "Method Not Allowed"), text[:200]

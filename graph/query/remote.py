"""An external triple store, read over the SPARQL 1.1 Protocol (setting ``SPARQL_ENDPOINT``).

:class:`RemoteStore` has the read interface of :class:`graph.query.store.EmbeddedStore`
(``select`` rows in SPARQL-JSON term shape, ``select_values``, ``count``, ``ask``,
``construct``, ``named_graphs``, ``len``), so the pages read from it unchanged.
The vocabulary sits in one named graph of the store (``REMOTE_GRAPH``); every
query the app sends names it as the default graph (``default-graph-uri``), so
the same queries work on both stores.

:class:`RemoteQueryEngine` answers users' queries at ``/sparql`` (after the same
checks as ever, :mod:`graph.query.sparql`) by forwarding them to the endpoint, with the
time limit as the HTTP timeout, and the row limit applied here.

Written for the stores' quirks: queries are POSTed form-encoded (``query=``),
since Virtuoso hangs on a direct ``application/sparql-query`` POST; an ASK
answered as a one-row result (Virtuoso) counts as a boolean; the older
``typed-literal`` term type is read as a literal. Only the configured URLs are
contacted: redirects are refused and no proxy from the environment is used.

:func:`push_graph` replaces one named graph of a store in one request: an HTTP
``PUT`` to a Graph Store Protocol URL, or (with only an update endpoint)
``DROP SILENT GRAPH`` and ``INSERT DATA`` in one update request.
"""

from __future__ import annotations

import base64
import io
import itertools
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox

from graph.formats import syntax_of_media_type
from graph.query.answers import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    QueryRequest,
    QueryResponse,
    graph_answer,
    results_as_graph,
    results_format,
    unless_not_xml,
)
from graph.query.sparql import QueryRefused, inspect_query
from graph.query.store import Row, StoreInfo

RESULTS_JSON = "application/sparql-results+json"
#: what the app asks for a graph result: N-Triples, or Turtle (Virtuoso names N-Triples text/plain)
GRAPH_ACCEPT = "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8"


def _graph_parser(media_type: str) -> ox.RdfFormat:
    """How to read a store's graph answer, by its media type (Turtle when unknown)."""
    syntax = syntax_of_media_type(media_type)
    return syntax.ox if syntax is not None else ox.RdfFormat.TURTLE


#: the absolute IRIs named by ``GRAPH <…>`` in a query (a lexical look, enough for a dataset)
_GRAPH_IRI = re.compile(r"\bGRAPH\s*<([a-zA-Z][\w+.-]*:[^<>\"{}|^`\\\s]*)>", re.IGNORECASE)


class RemoteError(OSError):
    """The store could not be reached, or refused a request; ``status`` is its HTTP status."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Only the configured URL is ever contacted: a redirect is an error."""

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> None:
        raise urllib.error.HTTPError(req.full_url, code,
                                     f"redirect to {display_url(newurl)} refused", headers, fp)


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


_USERINFO = re.compile(r"(?<=//)[^/?#]*@")


def display_url(url: str) -> str:
    """``url`` as it may be shown or logged: without the user name and password it holds."""
    return _USERINFO.sub("", url)


def split_credentials(url: str) -> tuple[str, tuple[str, str] | None]:
    """A store URL without its ``user:password@``, and those credentials (decoded), if any.

    A store's URL may carry its account (``http://user:pass@host/sparql``): the
    credentials answer the store's Basic or Digest challenge, and the URL is used (and
    shown) without them.
    """
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url, None
    clean = urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
    return clean, (urllib.parse.unquote(parts.username or ""),
                   urllib.parse.unquote(parts.password or ""))


def _check_url(url: str, setting: str) -> str:
    parsed = urllib.parse.urlsplit(url.strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValueError(f"{setting}: expected an http(s) URL, not {display_url(url)!r}")
    return url.strip()


#: URLs whose store asked for Basic authentication, with the account that answered
_BASIC_STORES: dict[str, tuple[str, str]] = {}


def _authorization(url: str, method: str, credentials: tuple[str, str],
                   timeout: float) -> str | None:
    """The ``Authorization`` header for ``method url``, from the store's answer to a probe.

    Computed before the real request, so that a large body is sent once: a store
    that challenges (401) an unauthenticated ``PUT`` closes the connection while
    the body is still being sent. A bodyless ``HEAD`` draws the challenge (Basic, or
    Digest as Virtuoso's ``/sparql-graph-crud-auth``); none means none is needed.
    """
    basic = "Basic " + base64.b64encode(":".join(credentials).encode()).decode()
    if _BASIC_STORES.get(url) == credentials:  # it asked for Basic before: no probe again
        return basic
    refusal = _probe(url, timeout)
    challenge = refusal.headers.get("WWW-Authenticate", "") \
        if refusal is not None and refusal.code == 401 else ""
    scheme, _, parameters = challenge.partition(" ")
    if scheme.lower() == "basic":
        _BASIC_STORES[url] = credentials
        return basic
    if scheme.lower() == "digest":
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, *credentials)
        handler = urllib.request.HTTPDigestAuthHandler(passwords)
        fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(parameters))
        value = handler.get_authorization(urllib.request.Request(url, method=method), fields)
        return f"Digest {value}" if value else None
    return None


def http_request(url: str, data: bytes | None, headers: dict[str, str], timeout: float,
                 method: str = "POST", credentials: tuple[str, str] | None = None,
                 ) -> tuple[int, str, bytes]:
    """Status, media type and body of one request; an HTTP error status is returned too."""
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        if credentials is not None:
            authorization = _authorization(url, method, credentials, timeout)
            if authorization:
                req.add_header("Authorization", authorization)
        with _OPENER.open(req, timeout=timeout) as response:
            return (response.status, response.headers.get_content_type(), response.read())
    except urllib.error.HTTPError as exc:
        body = exc.read() if exc.fp is not None else b""
        media_type = exc.headers.get_content_type() if exc.headers else "text/plain"
        return exc.code, media_type, body or str(exc.reason).encode()
    except TimeoutError:
        raise
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError):
            raise TimeoutError(str(reason)) from None
        if data and isinstance(reason, (BrokenPipeError, ConnectionResetError)):
            # a store that refuses a request (401 most often) may close the connection
            # while the body is still being sent: ask again without one to learn why
            refusal = _status_without_body(url, method, timeout)
            if refusal is not None:
                return refusal
        raise RemoteError(f"the SPARQL store at {display_url(url)} cannot be reached: "
                          f"{reason}") from None


def _status_without_body(url: str, method: str,
                         timeout: float) -> tuple[int, str, bytes] | None:
    """A 401 that a bodyless request draws from ``url``, as an answer; else None."""
    refusal = _probe(url, timeout)
    if refusal is None or refusal.code != 401:
        return None
    return 401, "text/plain", (f"{method} refused: the store asks for authentication "
                               "(give --user)").encode()


def _probe(url: str, timeout: float) -> urllib.error.HTTPError | None:
    """The error a bodyless ``HEAD`` to ``url`` draws (its status and headers), if any."""
    try:
        with _OPENER.open(urllib.request.Request(url, method="HEAD"), timeout=timeout):
            return None
    except urllib.error.HTTPError as exc:
        return exc
    except OSError:
        return None


def normalise_document(document: dict[str, Any], ask: bool = False) -> dict[str, Any]:
    """A SPARQL JSON results document as the app expects it.

    An ASK answered as one row of one value (Virtuoso: ``__ask_retval`` = 1) becomes
    ``{"boolean": …}``; a ``typed-literal`` term becomes a ``literal``.
    """
    if "boolean" in document:
        return {"head": {}, "boolean": bool(document["boolean"])}
    bindings = document.get("results", {}).get("bindings", [])
    if ask:
        values = [term.get("value") for row in bindings[:1] for term in row.values()]
        return {"head": {}, "boolean": bool(values) and str(values[0]).lower()
                in ("1", "true")}
    for row in bindings:
        for term in row.values():
            if term.get("type") == "typed-literal":
                term["type"] = "literal"
            if term.get("datatype") == "http://www.w3.org/2001/XMLSchema#string":
                del term["datatype"]
    return document


class RemoteStore:
    """The app's read interface (as :class:`~graph.query.store.EmbeddedStore`) on a SPARQL
    endpoint."""

    def __init__(self, endpoint: str, graph: str | None, timeout: float = 30.0):
        self.endpoint, self.credentials = split_credentials(
            _check_url(endpoint, "SPARQL_ENDPOINT"))
        #: the named graph holding the vocabulary; None: the store's default graph
        self.graph = graph or None
        self.timeout = timeout
        self.info = StoreInfo("remote", self.endpoint)
        self._named: tuple[float, set[str]] | None = None

    # --- the protocol ----------------------------------------------------------------------

    def request(self, query: str, accept: str, default_graphs: list[str] | None = None,
                named_graphs: list[str] | None = None, timeout: float | None = None,
                ) -> tuple[str, bytes]:
        """POST ``query=`` form-encoded; the media type and body of a 200 answer."""
        fields = [("query", query)]
        fields += [("default-graph-uri", g) for g in default_graphs or []]
        fields += [("named-graph-uri", g) for g in named_graphs or []]
        status, media_type, body = http_request(
            self.endpoint, urllib.parse.urlencode(fields).encode(),
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
            self.timeout if timeout is None else timeout, credentials=self.credentials)
        if status != 200:
            text = body.decode("utf-8", "replace").strip()
            raise RemoteError(f"the SPARQL store answered {status}: {text[:2000]}", status)
        return media_type, body

    def _dataset(self) -> list[str]:
        return [self.graph] if self.graph else []

    def _results(self, query: str, ask: bool = False) -> dict[str, Any]:
        _, body = self.request(query, RESULTS_JSON, self._dataset())
        return normalise_document(json.loads(body), ask=ask)

    # --- what the app reads ----------------------------------------------------------------

    def select(self, query: str) -> list[Row]:
        return self._results(query)["results"]["bindings"]

    def select_values(self, query: str) -> list[tuple[str | None, ...]]:
        document = self._results(query)
        names = document["head"]["vars"]
        return [tuple(None if (term := row.get(name)) is None else
                      f"_:{term['value']}" if term["type"] == "bnode" else term["value"]
                      for name in names)
                for row in document["results"]["bindings"]]

    def count(self, query: str) -> int:
        rows = self.select_values(query)
        return int(rows[0][0] or 0) if rows else 0

    def ask(self, query: str) -> bool:
        return bool(self._results(query, ask=True)["boolean"])

    def construct(self, query: str) -> list[Any]:
        media_type, body = self.request(query, GRAPH_ACCEPT, self._dataset())
        fmt = _graph_parser(media_type)
        return [quad.triple for quad in ox.parse(body, format=fmt)]

    def named_graphs(self, timeout: float | None = None) -> set[str]:
        """The store's named graphs (kept a minute: the endpoint checks each query against them)."""
        now = time.monotonic()
        if self._named is None or now - self._named[0] > 60:
            _, body = self.request("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                   RESULTS_JSON, timeout=timeout)
            rows = normalise_document(json.loads(body))["results"]["bindings"]
            self._named = (now, {row["g"]["value"] for row in rows
                                 if row.get("g", {}).get("type") == "uri"})
        return set(self._named[1])

    def __len__(self) -> int:
        return self.count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")

    @property
    def worker_source(self) -> None:
        return None


class RemoteQueryEngine:
    """Users' queries forwarded to the store: ``execute(QueryRequest) -> QueryResponse``,
    as :class:`graph.query.engine.QueryEngine`, with the time limit as the HTTP timeout."""

    def __init__(self, store: RemoteStore, timeout: float = 10.0, max_rows: int = 10_000):
        self.store = store
        self.timeout = timeout
        self.max_rows = max_rows
        self.size = 1  # the store's own concurrency; shown in /-/about

    def start(self) -> None:
        """Nothing to start: the store runs elsewhere."""

    def close(self) -> None:
        """Nothing to stop."""

    def execute(self, request: QueryRequest) -> QueryResponse:
        started = time.perf_counter()
        try:
            info = inspect_query(request.query)
        except QueryRefused as refused:  # the view has checked already
            return QueryResponse.error(refused.status, refused.message)
        default_graphs, named_graphs = list(request.default_graphs), list(request.named_graphs)
        # no dataset in the request: the one the embedded store gives, the vocabulary as the
        # default graph and the store's other graphs as named graphs (read within the limit)
        ours = not (default_graphs or named_graphs or info.from_graphs or info.from_named_graphs)
        if ours:
            default_graphs = self.store._dataset()
        accept = GRAPH_ACCEPT if info.returns_graph else RESULTS_JSON
        query = request.query
        if request.base_iri:  # relative IRIs resolve against our endpoint, not the store's
            query = f"BASE <{request.base_iri}>\n{query}"
        try:
            if ours and default_graphs:
                named_graphs = self._named_graphs_for(request.query)
            media_type, body = self.store.request(query, accept, default_graphs,
                                                  named_graphs, timeout=self.timeout)
        except TimeoutError:
            return QueryResponse.error(
                503, f"The query was stopped after the time limit of {self.timeout:g} s. "
                     "Narrow it down (a more selective pattern, a LIMIT) and try again.")
        except RemoteError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                return QueryResponse.error(400, f"SPARQL error: {exc}")
            return QueryResponse.error(503, f"The SPARQL store could not answer: {exc}")
        try:
            response = (self._graph(request, media_type, body) if info.returns_graph
                        else self._results(request, body, ask=info.form == "ASK"))
        except (ValueError, SyntaxError, KeyError) as exc:
            response = QueryResponse.error(
                503, f"The SPARQL store's answer could not be read: {exc}")
        response.elapsed = time.perf_counter() - started
        return response

    def _named_graphs_for(self, query: str) -> list[str]:
        """The store's graphs but ours, and every graph the query names in ``GRAPH <…>``.

        Naming the latter too is for Virtuoso: given a dataset, it answers
        ``GRAPH <g> { … }`` with one empty solution when ``g`` is not among the
        dataset's named graphs, instead of none; listed, even absent, it is right.
        """
        named = self.store.named_graphs(timeout=self.timeout) - {self.store.graph}
        named.update(iri for iri in _GRAPH_IRI.findall(query) if iri != self.store.graph)
        return sorted(named)

    def _results(self, request: QueryRequest, body: bytes, ask: bool) -> QueryResponse:
        document = normalise_document(json.loads(body), ask=ask)
        fmt = request.result_format if request.result_format in RESULT_FORMATS else "json"
        truncated = False
        if "boolean" not in document:
            bindings, max_rows = document["results"]["bindings"], request.row_limit(self.max_rows)
            truncated = len(bindings) > max_rows
            document["results"]["bindings"] = bindings[:max_rows]
        data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
        if request.result_format in GRAPH_FORMATS:
            response = results_as_graph(
                ox, ox.parse_query_results(data, ox.QueryResultsFormat.JSON), request)
            response.truncated = truncated
            return response
        if fmt != "json":
            out = io.BytesIO()
            ox.parse_query_results(data, ox.QueryResultsFormat.JSON).serialize(
                out, results_format(ox, fmt))
            data = out.getvalue()
        return unless_not_xml(QueryResponse(200, RESULT_FORMATS[fmt], data, truncated))

    def _graph(self, request: QueryRequest, media_type: str, body: bytes) -> QueryResponse:
        parser = _graph_parser(media_type)
        max_rows = request.row_limit(self.max_rows)
        triples = [quad.triple for quad in itertools.islice(
            ox.parse(body, format=parser), max_rows + 1)]
        response = graph_answer(ox, triples[:max_rows], request)
        response.truncated = len(triples) > max_rows
        return response


def push_graph(ntriples: bytes, graph: str, graph_store: str | None = None,
               update: str | None = None, timeout: float = 600.0,
               credentials: tuple[str, str] | None = None, chunk_triples: int = 0) -> str:
    """Replace the named graph ``graph`` of a store by these triples, in one request.

    With a Graph Store Protocol URL: ``PUT URL?graph=IRI`` (N-Triples). With only an
    update endpoint: ``DROP SILENT GRAPH`` then ``INSERT DATA`` in one update request.
    ``credentials`` (user, password) answer the store's Basic or Digest challenge.

    ``chunk_triples`` > 0 sends at most that many triples a request: the first
    request replaces the graph, the next ones add to it (Graph Store ``POST``, or
    ``INSERT DATA``). For a store that stalls on one huge transaction (Virtuoso with
    its default buffers, replacing a large graph by another): the replacement is
    then no longer atomic, readers may see a partial graph while it loads.
    Returns what was done, for the command line; raises :class:`RemoteError`.
    """
    if not graph_store and not update:
        raise ValueError("give a Graph Store Protocol URL (--graph-store) or an update "
                         "endpoint (--update)")
    chunks = list(_chunks(ntriples, chunk_triples)) if chunk_triples > 0 else [ntriples]
    how = _send(chunks[0], graph, graph_store, update, timeout, credentials, replace=True)
    for chunk in chunks[1:]:
        _send(chunk, graph, graph_store, update, timeout, credentials, replace=False)
    if len(chunks) > 1:
        how += f", in {len(chunks)} requests of at most {chunk_triples:,} triples"
    return how


def _chunks(ntriples: bytes, size: int) -> Iterator[bytes]:
    """N-Triples cut between lines, ``size`` triples at most a piece, except the first.

    Every triple with a blank node goes into the first piece: a blank node label
    names the same node only within one document, so the triples of an RDF list
    (our ordered collections) must arrive together.
    """
    lines = ntriples.splitlines(keepends=True)
    blank = [line for line in lines if _has_blank_node(line)]
    ground = [line for line in lines if not _has_blank_node(line)]
    first = max(size - len(blank), 0)
    yield b"".join(blank + ground[:first])
    for start in range(first, len(ground), size):
        yield b"".join(ground[start:start + size])


def _has_blank_node(line: bytes) -> bool:
    """A blank node as subject or object (a literal holding " _:" merely comes first too)."""
    return line.startswith(b"_:") or b" _:" in line


def _send(ntriples: bytes, graph: str, graph_store: str | None, update: str | None,
          timeout: float, credentials: tuple[str, str] | None, replace: bool) -> str:
    """One request: replace the graph by these triples, or add them to it."""
    if graph_store:
        url, in_url = split_credentials(_check_url(graph_store, "GRAPH_STORE_ENDPOINT"))
        credentials = credentials or in_url
        target = f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode({'graph': graph})}"
        method = "PUT" if replace else "POST"
        status, _, body = http_request(target, ntriples,
                                       {"Content-Type": "application/n-triples"}, timeout,
                                       method=method, credentials=credentials)
        how = f"{method} {target}"
    else:
        url, in_url = split_credentials(_check_url(update or "", "SPARQL_UPDATE_ENDPOINT"))
        credentials = credentials or in_url
        # blank nodes stay in the data (Virtuoso refuses them in INSERT DATA, and in
        # templates this size: push to it with its Graph Store URL instead)
        text = ((f"DROP SILENT GRAPH <{graph}> ;\n" if replace else "")
                + f"INSERT DATA {{ GRAPH <{graph}> {{\n" + ntriples.decode("utf-8") + "\n} }")
        status, _, body = http_request(url, urllib.parse.urlencode({"update": text}).encode(),
                                       {"Content-Type": "application/x-www-form-urlencoded"},
                                       timeout, credentials=credentials)
        how = f"update at {url}"
    if status not in (200, 201, 204):
        text = body.decode("utf-8", "replace").strip()
        raise RemoteError(f"{how}: the store answered {status}: {text[:2000]}", status)
    return how

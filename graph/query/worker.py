"""A query worker: a process of its own that evaluates users' SPARQL queries.

Started by :class:`graph.query.engine.QueryEngine` as ``python -m graph.query.worker``,
it first cuts itself off the network (:mod:`graph.query.sandbox`) and caps its memory,
then loads its copy of the store (or opens the on-disk one read-only) and answers the
queries the server sends over its socket, one at a time, until told to stop.
"""

from __future__ import annotations

import io
import json
import logging
import platform
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from graph.query.answers import (
    GRAPH_FORMATS,
    MAX_RESULT_BYTES,
    RESULT_FORMATS,
    QueryRequest,
    QueryResponse,
    graph_answer,
    results_as_graph,
    results_format,
    unless_not_xml,
)
from graph.query.sandbox import cut_network

log = logging.getLogger(__name__)


def _limit_memory(megabytes: int) -> None:
    if megabytes <= 0:
        return
    try:
        import resource
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # not on this platform
        log.warning("could not limit the memory of SPARQL workers")


def _worker_main(conn: Connection, dump_path: str, memory_mb: int, max_rows: int,
                 max_bytes: int = MAX_RESULT_BYTES, isolation: str = "") -> None:
    import pyoxigraph as ox

    _limit_memory(memory_mb)
    if Path(dump_path).is_dir():  # an on-disk store (STORE_DIR): shared, opened read-only
        store = ox.Store.read_only(dump_path)
    else:  # an N-Quads dump of the in-memory store
        store = ox.Store()
        store.bulk_load(path=dump_path, format=ox.RdfFormat.N_QUADS)
    conn.send(("ready", isolation))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request is None:
            return
        started = time.perf_counter()
        try:
            response = _evaluate(ox, store, request, max_rows, max_bytes)
        except MemoryError:
            response = QueryResponse.error(
                503, "The query needed more memory than this endpoint allows; "
                     "narrow it down or add a LIMIT.")
        except Exception as exc:  # noqa: BLE001 - an engine error is the query's, not ours:
            # the worker answers it and stays up (a dead worker is a 503 and a traceback)
            response = QueryResponse.error(400, f"The query could not be evaluated: {exc}")
        response.elapsed = time.perf_counter() - started
        conn.send(response)


def _evaluate(ox: Any, store: Any, request: QueryRequest, max_rows: int,
              max_bytes: int = MAX_RESULT_BYTES) -> QueryResponse:
    from graph.query.store import term_to_json

    max_rows = request.row_limit(max_rows)
    options: dict[str, Any] = {}
    if request.prefixes:
        options["prefixes"] = request.prefixes
    if request.base_iri:
        options["base_iri"] = request.base_iri
    try:
        if request.default_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
        if request.named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
        results = store.query(request.query, **options)
    except SyntaxError as exc:
        return QueryResponse.error(400, f"SPARQL syntax error: {exc}")
    except ValueError as exc:  # an invalid IRI in the dataset parameters
        return QueryResponse.error(
            400, f"invalid IRI in default-graph-uri or named-graph-uri: {exc}")
    try:
        if isinstance(results, ox.QueryBoolean):
            if request.result_format in GRAPH_FORMATS:
                return results_as_graph(ox, results, request)
            if request.result_format not in RESULT_FORMATS:
                request.result_format = "json"
            out = io.BytesIO()
            results.serialize(out, results_format(ox, request.result_format))
            return QueryResponse(200, RESULT_FORMATS[request.result_format], out.getvalue())
        if isinstance(results, ox.QuerySolutions):
            names = [v.value for v in results.variables]
            bindings: list[dict[str, Any]] = []
            size, limit = 0, ""
            for row in results:  # rows are read one by one: the limits stop the evaluation
                if len(bindings) == max_rows:
                    limit = f"max-rows={max_rows}"
                    break
                binding = {n: term_to_json(row[n]) for n in names if row[n] is not None}
                size += _json_size(binding)
                if size > max_bytes:
                    limit = f"max-bytes={max_bytes}"
                    break
                bindings.append(binding)
            document = {"head": {"vars": names}, "results": {"bindings": bindings}}
            del bindings
            body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
            del document
            if request.result_format in GRAPH_FORMATS:
                parsed = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
                response = results_as_graph(ox, parsed, request)
                response.truncated, response.limit = bool(limit), limit
                return response
            fmt = request.result_format if request.result_format in RESULT_FORMATS else "json"
            if fmt != "json":
                parsed = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
                out = io.BytesIO()
                parsed.serialize(out, results_format(ox, fmt))
                body = out.getvalue()
            return unless_not_xml(QueryResponse(200, RESULT_FORMATS[fmt], body, bool(limit),
                                                 limit=limit))
        triples = []
        size, limit = 0, ""
        for triple in results:
            if len(triples) == max_rows:
                limit = f"max-rows={max_rows}"
                break
            size += len(str(triple))
            if size > max_bytes:
                limit = f"max-bytes={max_bytes}"
                break
            triples.append(triple)
        response = graph_answer(ox, triples, request)
        response.truncated, response.limit = bool(limit), limit
        return response
    except SyntaxError as exc:  # some errors surface while iterating
        return QueryResponse.error(400, f"SPARQL error: {exc}")
    except OSError as exc:
        return QueryResponse.error(400, f"The query could not be evaluated: {exc}")


def _json_size(binding: dict[str, dict[str, str]]) -> int:
    """About the bytes a binding takes in SPARQL JSON (cheaper than serialising it)."""
    return sum(len(name) + 16 + sum(len(k) + len(v) + 6 for k, v in term.items())
               for name, term in binding.items())


def _main(argv: list[str]) -> None:
    """A worker process: ``python -m graph.query.engine FD DUMP MEMORY_MB MAX_ROWS [MAX_BYTES]``."""
    fd, dump_path, memory_mb, max_rows, *rest = argv
    try:  # first of all, while the process has a single thread
        isolation = cut_network()
    except OSError as exc:
        if platform.system() == "Linux":  # where it must work: no worker rather than one
            print(f"crmkg query worker: could not cut itself off the network ({exc}); "
                  "it does not start.", file=sys.stderr)
            sys.exit(3)
        isolation = f"none ({exc})"
    conn = Connection(int(fd))
    try:
        _worker_main(conn, dump_path, int(memory_mb), int(max_rows),
                     int(rest[0]) if rest else MAX_RESULT_BYTES, isolation)
    except (OSError, EOFError) as exc:  # the server went away, or its data with it
        if Path(dump_path).exists():  # a server shutting down removes its data: no news
            print(f"crmkg query worker stopped: {exc}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    # run from the module under its real name, so that what it pickles names its classes
    # by their module (graph.query.answers), not __main__
    from graph.query.worker import _main as worker_entry

    worker_entry(sys.argv[1:])

"""The web app's own settings, beside the core ones (graph/config.py), read the same way.

Every setting is listed here or there with its default and meaning; README's table
lists them all (a test checks that it mentions each one).
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from graph.config import CORE_SETTINGS, read_settings

#: name → (default, what it does): the web app's settings, after the core ones
SETTINGS: dict[str, tuple[Any, str]] = {
    **CORE_SETTINGS,
    "DEFAULT_LANGUAGE": ("fr", "language of the pages when the visitor has not chosen one"),
    "SPARQL_TIMEOUT": (10.0, "seconds after which a SPARQL query is abandoned (503)"),
    "SPARQL_MAX_ROWS": (10_000, "rows (or triples) returned at most; more are cut, with the "
                                "header X-Result-Truncated"),
    "SPARQL_MAX_QUERY_LENGTH": (65_536, "characters a query may have (longer: 413)"),
    "SPARQL_WORKERS": (2, "worker processes that evaluate SPARQL queries in parallel"),
    "SPARQL_WORKER_MEMORY_MB": (2048, "memory limit of each query worker process"),
    "MAX_CONTENT_LENGTH": (1_048_576, "bytes a request body may have (larger: 413)"),
    "CORS": (True, "send Access-Control-Allow-Origin: * so that browser clients elsewhere "
                   "can query"),
    "READ_ONLY": (True, "refuse SPARQL Update with 403 (the only mode of this version)"),
    "SECRET_KEY": ("", "key that signs the quiz's session cookie; empty: a random key at each "
                       "start (scores then reset when the server restarts)"),
    "SESSION_COOKIE_SECURE": (False, "send the quiz's session cookie over HTTPS only: set it "
                                     "when the app is reached through TLS (a proxy)"),
    "PUBLIC_URL": ("", "the app's address as its users reach it (https://vocab.example.org), "
                       "for the absolute URLs it writes (the SPARQL service description, the "
                       "query page, the base of users' queries) and to recognise its own "
                       "pages in a POST's Origin; empty: no response depends on the Host "
                       "header (relative URLs, the vocabulary's base URI as the queries' base)"),
    "THREADS": (8, "threads of the production server (crmkg serve)"),
    "SERVER_CONNECTION_LIMIT": (500, "connections the production server holds open at once "
                                     "(waitress's default is 100: a few slow clients could "
                                     "hold them all)"),
    "SERVER_CHANNEL_TIMEOUT": (30.0, "seconds a connection may stay idle (or a client take "
                                     "between two bytes) before the server closes it "
                                     "(waitress's default is 120)"),
    "EXTRA_NAMED_GRAPHS": ([], "extra RDF files to serve as named graphs beside the "
                               "vocabulary: a list of [file, graph IRI] pairs (in the "
                               "environment, as JSON); N-Triples, Turtle or RDF/XML by "
                               "the file's suffix (.nt, .ttl, .rdf). Empty by default. "
                               "Embedded store only: with SPARQL_ENDPOINT, push them "
                               "into the store"),
    "DATA_FILES": ([], "RDF files of a SKOS vocabulary to serve instead of our YAML one "
                       "(crmkg serve --data): Turtle, RDF/XML, N-Triples, N-Quads, TriG or "
                       "JSON-LD, by the file's suffix, gzip-compressed (.gz) or not; local "
                       "paths only, never URLs (in the environment, as a JSON list). Empty: "
                       "our vocabulary"),
    "WITH_OWN_DATA": (False, "with DATA_FILES, serve our YAML vocabulary beside them "
                             "(crmkg serve --with-own-data)"),
    "STORE_DIR": ("", "folder of an on-disk store (crmkg serve --store): reopened at the "
                      "next start if its inputs have not changed (a manifest records their "
                      "SHA-256), else loaded again; empty: an in-memory store"),
    "SPARQL_ENDPOINT": ("", "query URL (SPARQL 1.1 Protocol) of an external triple store to "
                            "read from instead of the embedded one (load it with crmkg "
                            "push); users' queries at /sparql are checked as ever, then "
                            "forwarded to it. Empty: the embedded store"),
    "SPARQL_UPDATE_ENDPOINT": ("", "update URL of the external store (crmkg push --update, "
                                   "when it has no Graph Store Protocol URL)"),
    "GRAPH_STORE_ENDPOINT": ("", "Graph Store Protocol URL of the external store: crmkg "
                                 "push replaces REMOTE_GRAPH there with one PUT"),
    "REMOTE_GRAPH": ("", "named graph of the external store holding the vocabulary; "
                         "empty: <BASE_URI>graph"),
}


#: settings a visitor never sees the value of, only whether it is set: secrets (the key
#: that signs cookies, store URLs, which may carry an account) and server paths
NOT_SHOWN = frozenset({"SECRET_KEY", "SPARQL_ENDPOINT", "SPARQL_UPDATE_ENDPOINT",
                       "GRAPH_STORE_ENDPOINT", "DATA_DIR", "ONTOLOGY_DIR", "STORE_DIR",
                       "DATA_FILES", "EXTRA_NAMED_GRAPHS"})


def shown_value(name: str, value: Any) -> Any:
    """A setting's value as /-/about shows it: "set" / "not set" for those of NOT_SHOWN."""
    if name in NOT_SHOWN:
        return "set" if value else "not set"
    return value if isinstance(value, (bool, int, float)) else str(value)


def load_settings(config_file: str | os.PathLike[str] | None = None,
                  test_config: dict[str, Any] | None = None) -> dict[str, Any]:
    values = read_settings(SETTINGS, config_file, test_config)
    _check_public_url(values.get("PUBLIC_URL", ""))
    return values


def _check_public_url(url: str) -> None:
    """PUBLIC_URL is written into pages and queries: an http(s) address, nothing more."""
    if not url:
        return
    parts = urlsplit(url)
    problem = ""
    if parts.scheme not in ("http", "https") or not parts.hostname:
        problem = "it must be an http:// or https:// address"
    elif parts.username or parts.password:
        problem = "it must not hold a user name or password"
    elif parts.query or parts.fragment or any(c in url for c in '<>"{}|\\^` \t\n'):
        problem = "it must be a plain address (no query, fragment, spaces or <>\"{}|^`)"
    if problem:
        raise ValueError(f"PUBLIC_URL: {problem}, such as https://vocab.example.org")

"""The data inputs never fetch a URL or read a file they were not given.

``crmkg serve --data``, the store loader and ``crmkg import`` refuse URLs without
connecting; JSON-LD remote contexts, RDF/XML external entities and DTDs, Turtle's
@base and @prefix naming the canary stay mere IRIs. A loopback canary sees nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.canary import Canary

# --- inputs: serve, import, extra graphs; JSON-LD contexts, XML entities, @base/@prefix -------

SKOS = "http://www.w3.org/2004/02/skos/core#"


def _urls(canary: Canary, secret_path: Path) -> list[str]:
    return [f"{canary.url}/x.ttl", f"https://127.0.0.1:{canary.port}/x.ttl",
            f"HTTP://127.0.0.1:{canary.port}/x.nt", secret_path.as_uri(),
            "file://localhost" + str(secret_path), f"ftp://127.0.0.1:{canary.port}/x.ttl"]


def test_serve_refuses_urls_without_connecting(quiet_canary, secret_file):
    """``crmkg serve --data URL``: refused with a message, before anything listens."""
    from click.testing import CliRunner

    from graph.cli import main

    path, secret = secret_file
    for url in _urls(quiet_canary, path):
        result = CliRunner().invoke(main, ["serve", "--port", "1", "--data", url])
        assert result.exit_code == 2, (url, result.output)
        assert "never downloads" in result.output, result.output
        assert secret not in result.output.replace(url, "")


def test_the_store_loader_refuses_urls_without_connecting(quiet_canary, secret_file):
    from graph.query.store import Source, StoreError
    from webapp import create_app

    path, secret = secret_file
    for url in _urls(quiet_canary, path):
        with pytest.raises(StoreError, match="never downloads"):
            Source.file(url)
        with pytest.raises(ValueError, match="never downloads"):
            create_app({"TESTING": True, "DATA_FILES": [url]})
        with pytest.raises(ValueError, match="never downloads"):
            create_app({"TESTING": True, "EXTRA_NAMED_GRAPHS": [[url, "http://example.org/g"]]})


def test_import_refuses_urls_without_connecting(quiet_canary, secret_file, tmp_path):
    from click.testing import CliRunner

    from graph.cli import main

    path, secret = secret_file
    for number, url in enumerate(_urls(quiet_canary, path)):
        target = tmp_path / f"out{number}"
        result = CliRunner().invoke(main, ["import", url, "--to", str(target)])
        assert result.exit_code != 0, (url, result.output)
        assert "never downloads" in result.output, result.output
        assert secret not in result.output.replace(url, "")
        assert not target.exists() or not any(target.iterdir())


def _jsonld_documents(canary: Canary) -> dict[str, dict]:
    remote = f"{canary.url}/context.jsonld"
    concept = {"@id": "http://example.org/v/c1", "@type": f"{SKOS}Concept",
               f"{SKOS}prefLabel": {"@value": "x", "@language": "en"}}
    return {
        "remote": {**concept, "@context": remote},
        "remote-https": {**concept, "@context": f"https://127.0.0.1:{canary.port}/c.jsonld"},
        "remote-in-list": {**concept, "@context": [{"skos": SKOS}, remote]},
        "import": {**concept, "@context": {"@import": remote, "skos": SKOS}},
        "nested": {**concept, f"{SKOS}related": {"@context": remote,
                                                 "@id": "http://example.org/v/c2"}},
        "scoped": {**concept, "@context": {"skos": SKOS, "rel": {
            "@id": f"{SKOS}related", "@context": remote}}, "rel": {"@id": "http://x/y"}},
    }


@pytest.mark.parametrize("case", ["remote", "remote-https", "remote-in-list", "import",
                                  "nested", "scoped"])
def test_jsonld_remote_contexts_are_never_fetched(quiet_canary, tmp_path, case):
    """Served (pyoxigraph's loader) and imported (crmkg import): refused, no connection."""
    import json

    from graph.importer import ImportFailure, import_vocabulary
    from webapp import create_app

    path = tmp_path / "v.jsonld"
    path.write_text(json.dumps(_jsonld_documents(quiet_canary)[case]), encoding="utf-8")
    with pytest.raises(ValueError, match="context|JSON-LD|not valid"):
        create_app({"TESTING": True, "DATA_FILES": [str(path)]})
    with pytest.raises(ImportFailure, match="context|JSON-LD|not valid"):
        import_vocabulary(path, tmp_path / "out")


def _rdfxml_documents(canary: Canary, secret_path: Path) -> dict[str, str]:
    body = (f'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            f'xmlns:skos="{SKOS}">\n  <skos:Concept rdf:about="http://example.org/v/c1">\n'
            '    <skos:prefLabel xml:lang="en">a &e; b</skos:prefLabel>\n'
            "  </skos:Concept>\n</rdf:RDF>\n")
    head = '<?xml version="1.0"?>\n'
    return {
        "entity-canary": f'{head}<!DOCTYPE rdf:RDF [ <!ENTITY e SYSTEM "{canary.url}/e"> ]>\n'
                         + body,
        "entity-file": f'{head}<!DOCTYPE rdf:RDF [ <!ENTITY e SYSTEM "{secret_path.as_uri()}"> ]>'
                       "\n" + body,
        "entity-file-relative": f'{head}<!DOCTYPE rdf:RDF [ <!ENTITY e SYSTEM '
                                f'"{secret_path.name}"> ]>\n' + body,
        "entity-public": f'{head}<!DOCTYPE rdf:RDF [ <!ENTITY e PUBLIC "-//x//y" '
                         f'"{canary.url}/p"> ]>\n' + body,
        "parameter-entity": f'{head}<!DOCTYPE rdf:RDF [ <!ENTITY % p SYSTEM "{canary.url}/p"> '
                            '%p; <!ENTITY e "x"> ]>\n' + body,
        "external-dtd": f'{head}<!DOCTYPE rdf:RDF SYSTEM "{canary.url}/rdf.dtd">\n'
                        + body.replace("&e;", "e"),
        "external-dtd-file": f'{head}<!DOCTYPE rdf:RDF SYSTEM "{secret_path.as_uri()}">\n'
                             + body.replace("&e;", "e"),
    }


RDFXML_CASES = ["entity-canary", "entity-file", "entity-file-relative", "entity-public",
                "parameter-entity", "external-dtd", "external-dtd-file"]


@pytest.mark.parametrize("case", RDFXML_CASES)
def test_rdfxml_external_entities_and_dtds_are_never_read(quiet_canary, secret_file, case):
    """Refused (entities), or loaded without the DTD (a DTD alone names nothing we use);
    never a connection, never the secret in the data."""
    from graph.importer import ImportFailure, import_vocabulary
    from webapp import create_app

    secret_path, secret = secret_file
    path = secret_path.parent / "v.rdf"
    path.write_text(_rdfxml_documents(quiet_canary, secret_path)[case], encoding="utf-8")
    try:
        application = create_app({"TESTING": True, "DATA_FILES": [str(path)]})
    except ValueError as exc:
        assert secret not in str(exc).replace(str(secret_path), "").replace(
            secret_path.as_uri(), "").replace(secret_path.name, "")
    else:
        assert case.startswith("external-dtd"), "an external entity was accepted"
        dump = application.test_client().get("/sparql", query_string={
            "query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "format": "nt"})
        assert secret not in dump.get_data(as_text=True)
        application.extensions["crmkg"].engine.close()
    try:
        outcome = import_vocabulary(path, secret_path.parent / f"out-{case}")
    except ImportFailure as exc:
        assert secret not in str(exc).replace(str(secret_path), "").replace(
            secret_path.as_uri(), "").replace(secret_path.name, "")
    else:
        assert case.startswith("external-dtd"), "an external entity was accepted"
        written = "".join(p.read_text(encoding="utf-8", errors="replace")
                          for p in (secret_path.parent / f"out-{case}").rglob("*")
                          if p.is_file())
        assert secret not in written.replace(secret_path.name, "")
        assert outcome is not None


def test_turtle_base_and_prefixes_naming_the_canary_are_only_iris(quiet_canary, tmp_path):
    """``@base``, ``@prefix``, ``BASE``/``PREFIX`` and ``xml:base``: IRIs, never fetched."""
    from graph.importer import import_vocabulary
    from webapp import create_app

    turtle = tmp_path / "v.ttl"
    turtle.write_text(f"""@base <{quiet_canary.url}/base/> .
@prefix c: <{quiet_canary.url}/prefix/> .
PREFIX skos: <{SKOS}>
BASE <https://127.0.0.1:{quiet_canary.port}/again/>
<c1> a skos:Concept ; skos:prefLabel "eins"@de ; skos:related c:c2 .
c:c2 a skos:Concept ; skos:prefLabel "zwei"@de ; skos:exactMatch <{quiet_canary.url}/m> .
""", encoding="utf-8")
    rdfxml = tmp_path / "w.rdf"
    rdfxml.write_text(f"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:skos="{SKOS}"
         xml:base="{quiet_canary.url}/xmlbase/">
  <skos:Concept rdf:about="c3"><skos:prefLabel xml:lang="de">drei</skos:prefLabel>
  <skos:related rdf:resource="{quiet_canary.url}/r"/></skos:Concept>
</rdf:RDF>
""", encoding="utf-8")
    application = create_app({"TESTING": True, "DATA_FILES": [str(turtle), str(rdfxml)]})
    client = application.test_client()
    uris = {r["uri"] for q in ("eins", "zwei", "drei")
            for r in client.get("/search.json", query_string={"q": q}).get_json()["results"]}
    assert uris == {f"https://127.0.0.1:{quiet_canary.port}/again/c1",
                    f"{quiet_canary.url}/prefix/c2", f"{quiet_canary.url}/xmlbase/c3"}
    for uri in uris:
        assert client.get("/entity", query_string={"uri": uri}).status_code == 200
        assert client.get("/map/data.json", query_string={"focus": uri}).status_code == 200
    application.extensions["crmkg"].engine.close()
    import_vocabulary(turtle, tmp_path / "imported")
    assert (tmp_path / "imported").is_dir()

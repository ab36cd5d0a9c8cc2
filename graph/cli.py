"""``crmkg``: build, check, analyse and export the vocabulary from the command line.

Every command reads the YAML in ``data/`` (or ``--data-dir``), so there is no
build step to forget. A mistake in the data is reported with file, line and
fix, and the command exits with status 1.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

import click
from rdflib import Graph

# Modules that only some commands need (pyshacl, networkx) are imported inside those
# commands, so that `crmkg serve` starts fast.
from graph import __version__
from graph.config import Settings
from graph.export import exporter_for, format_names
from graph.export.rdf import NotXmlError
from graph.files import write_atomically
from graph.query.search import LabelIndex
from graph.vocabulary.build import build_graph
from graph.vocabulary.load import load_vocabulary
from graph.vocabulary.model import Vocabulary
from graph.vocabulary.yamlfile import DataError, DataErrors


class Context:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._built: tuple[Vocabulary, Graph] | None = None

    def build(self) -> tuple[Vocabulary, Graph]:
        if self._built is None:
            try:
                vocabulary = load_vocabulary(self.settings.data_dir)
            except (DataError, DataErrors) as exc:
                errors = exc.errors if isinstance(exc, DataErrors) else [exc]
                click.echo(f"The data files have {len(errors)} problem(s):", err=True)
                click.echo(str(exc), err=True)
                sys.exit(1)
            self._built = vocabulary, build_graph(vocabulary, self.settings)
        return self._built


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="crmkg")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder with sources.yaml, collections.yaml and terms/ (default: data/).")
@click.option("--base-uri", help="Namespace of the vocabulary (default: https://w3id.org/crmkg/).")
@click.pass_context
def main(ctx: click.Context, data_dir: Path | None, base_uri: str | None) -> None:
    """The CRM, marketing and sales-development vocabulary as a SKOS knowledge graph."""
    ctx.obj = Context(Settings.from_env(DATA_DIR=data_dir, BASE_URI=base_uri or None))


@main.command()
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--no-shacl", is_flag=True, help="Skip the SHACL shapes (faster).")
@click.pass_obj
def validate(obj: Context, strict: bool, no_shacl: bool) -> None:
    """Check SKOS integrity, quality (qSKOS) and our SHACL profile.

    Exit status 0 when there is no error (no warning either with --strict), 1 otherwise.
    """
    _vocabulary, graph = obj.build()
    shapes = None if no_shacl else obj.settings.ontology_dir / "shapes.ttl"
    from graph.vocabulary.validate import validate_graph  # pyshacl: imported only when validating

    report = validate_graph(graph, shapes)
    for finding in report.findings:
        click.echo(str(finding))
    click.echo(f"{report.summary()} in {len(_vocabulary.concepts)} concepts")
    sys.exit(0 if report.ok(strict) else 1)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_obj
def stats(obj: Context, as_json: bool) -> None:
    """Counts per group and language, relations, central terms, components."""
    _vocabulary, graph = obj.build()
    from graph.vocabulary.analyse import statistics

    figures = statistics(graph)
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    click.echo(f"concepts: {figures['concepts']} (top concepts: {figures['top_concepts']})")
    click.echo("concepts per group:")
    for group, count in figures["concepts_per_group"].items():
        click.echo(f"  {count:4}  {group}")
    click.echo("labels per language:")
    for kind, counts in figures["labels"].items():
        click.echo(f"  {kind:12} " + ", ".join(f"{lang}: {n}" for lang, n in counts.items()))
    click.echo("definitions: " + ", ".join(f"{k}: {v}" for k, v in
                                          figures["definitions"].items()))
    click.echo("relations: " + ", ".join(f"{k}: {v}" for k, v in figures["relations"].items()))
    click.echo("collections:")
    for name, size in figures["collections"].items():
        click.echo(f"  {size:4}  {name}")
    click.echo("concepts per source:")
    for name, count in figures["concepts_per_source"].items():
        click.echo(f"  {count:4}  {name}")
    click.echo(f"connected components: {figures['components']} "
               f"(largest: {figures['largest_component']}); "
               f"hierarchy depth: {figures['hierarchy_depth']}")
    click.echo("most central terms (PageRank):")
    for item in figures["most_central"]:
        click.echo(f"  {item['pagerank']:.4f}  {item['label']}")


@main.command()
@click.argument("start")
@click.argument("end")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@click.pass_obj
def path(obj: Context, start: str, end: str, lang: str) -> None:
    """The chain of relations that links two terms (ids, URIs or labels).

    Example: crmkg path DSP CRM
    """
    _vocabulary, graph = obj.build()
    from graph.vocabulary.analyse import pref_label, shortest_path

    index = LabelIndex(graph)
    ends = []
    for text in (start, end):
        concept = index.resolve(text)
        if concept is None:
            suggestions = ", ".join(f"{m.label} ({m.concept.rsplit('/', 1)[-1]})"
                                    for m in index.search(text, 5))
            raise click.UsageError(f"no single concept is called '{text}'"
                                   + (f"; did you mean: {suggestions}" if suggestions else ""))
        ends.append(concept)
    steps = shortest_path(graph, ends[0], ends[1])
    if steps is None:
        click.echo("No chain of relations links these two concepts.")
        sys.exit(1)
    if not steps:
        click.echo(pref_label(graph, ends[0], lang))
        return
    click.echo(pref_label(graph, steps[0].source, lang))
    for step in steps:
        click.echo(f"  --{step.relation}--> {pref_label(graph, step.target, lang)}")


@main.command()
@click.option("--format", "format_name", default="turtle", show_default=True,
              type=click.Choice(format_names(), case_sensitive=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (atomically); standard output when absent.")
@click.pass_obj
def export(obj: Context, format_name: str, output: Path | None) -> None:
    """Export as Turtle, RDF/XML, JSON-LD, N-Triples, a CSV glossary, Anki flashcards or
    the concept map as one offline HTML file (map-html)."""
    vocabulary, graph = obj.build()
    exporter = exporter_for(format_name)
    try:
        data = exporter.render(graph, vocabulary)
    except NotXmlError as exc:
        raise click.ClickException(str(exc)) from None
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_atomically(output, data)
        click.echo(f"wrote {output} ({exporter.name}, {len(data):,} bytes)", err=True)


@main.command()
@click.option("--collection", "collection_ids", multiple=True, metavar="ID",
              help="Draw only this collection (repeatable; default: all of collections.yaml).")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True,
              help="Language of the slides (the other one is given beside each stage).")
@click.option("--template", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A .pptx whose theme, slide size and layouts to use (its slides are "
                   "not kept).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The .pptx file to write (atomically).")
@click.pass_obj
def slides(obj: Context, collection_ids: tuple[str, ...], lang: str, template: Path | None,
           output: Path) -> None:
    """A training deck (.pptx): the funnel, its stages, the sales cycle, the NPS scale,
    first/second/third-party data and an A-Z glossary, as shapes a trainer can edit.

    Example: crmkg slides --lang en --collection funnel-stages -o funnel.pptx
    """
    from graph.training.slides import (
        TemplateError,
        UnknownCollectionError,
        deck_bytes,
        scheme_title,
    )

    vocabulary, _graph = obj.build()
    try:
        data = deck_bytes(vocabulary, lang=lang, collections=list(collection_ids),
                          template=template,
                          title=scheme_title(obj.settings.ontology_dir, lang))
    except UnknownCollectionError as exc:
        raise click.BadParameter(str(exc), param_hint="'--collection'") from None
    except TemplateError as exc:
        raise click.BadParameter(str(exc), param_hint="'--template'") from None
    write_atomically(output, data)
    click.echo(f"wrote {output} ({len(data):,} bytes)", err=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 to accept other machines).")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False),
              help="A TOML file of settings (see README, 'Settings').")
@click.option("--threads", type=int, help="Server threads (default: the THREADS setting).")
@click.option("--data", "data_files", multiple=True, metavar="FILE",
              help="Serve this SKOS vocabulary instead of ours: RDF files (Turtle, RDF/XML, "
                   "N-Triples, N-Quads, TriG, JSON-LD; .gz or not; format by suffix). "
                   "--data A.ttl B.nt, or --data A.ttl --data B.nt.")
@click.option("--with-own-data", is_flag=True, default=None,
              help="With --data, serve our YAML vocabulary beside it.")
@click.option("--store", "store_dir", metavar="DIR",
              type=click.Path(file_okay=False, path_type=Path),
              help="Keep the store on disk in DIR: the next start reopens it in well under a "
                   "second if the inputs have not changed.")
@click.argument("more_data_files", nargs=-1, metavar="[FILE ...]")
@click.pass_obj
def serve(obj: Context, host: str, port: int, config_file: str | None,
          threads: int | None, data_files: tuple[str, ...], with_own_data: bool | None,
          store_dir: Path | None, more_data_files: tuple[str, ...]) -> None:
    """Serve the web app (pages, search, map, SPARQL) with a production server (waitress).

    Examples: crmkg serve --data stw-skos.ttl --store /var/cache/crmkg-stw;
    crmkg serve --data ysa-skos.ttl.gz physh.nt.gz --with-own-data
    """
    from waitress import serve as waitress_serve

    from webapp import create_app
    from webapp.serving import waitress_options

    overrides = _app_overrides(obj, (*data_files, *more_data_files), with_own_data,
                               more_data_files and not data_files)
    if store_dir is not None:
        overrides["STORE_DIR"] = str(store_dir)
    started = time.perf_counter()
    try:
        app = create_app(overrides or None, config_file=config_file)
    except (DataError, DataErrors) as exc:
        errors = exc.errors if isinstance(exc, DataErrors) else [exc]
        click.echo(f"The data files have {len(errors)} problem(s):", err=True)
        click.echo(str(exc), err=True)
        sys.exit(1)
    except (OSError, ValueError) as exc:
        click.echo(f"Cannot start: {exc}", err=True)
        sys.exit(1)
    app.extensions["crmkg"].engine.start()
    state = app.extensions["crmkg"]
    store_info = state.store.info
    click.echo(f"crmkg {__version__}: {state.counts['concepts']} concepts, "
               f"{state.counts['triples']} triples ({store_info.kind} store"
               + (f" in {store_info.path}, reused" if store_info.reused else "")
               + f"); ready in {time.perf_counter() - started:.2f} s", err=True)
    click.echo(f"Serving on http://{host}:{port}/  (SPARQL: http://{host}:{port}/sparql; "
               "Ctrl+C to stop)", err=True)
    # stop cleanly on SIGTERM too (service managers, `timeout`): workers and temp files go
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        waitress_serve(app, host=host, port=port, **waitress_options(app.config, threads))
    except OSError as exc:
        click.echo(f"Cannot listen on {host}:{port}: {exc.strerror or exc}. "
                   "Choose another --port.", err=True)
        sys.exit(1)


@main.command()
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write (replaced only if an earlier crmkg site built it).")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True,
              help="Language of the pages at the site's root (the other one is under en/ "
                   "or fr/).")
@click.option("--base-url", metavar="URL",
              help="Where the site will be published (https://example.org/vocab/): "
                   "writes a sitemap.xml. Links stay relative either way.")
@click.option("--data", "data_files", multiple=True, metavar="FILE",
              help="Build the site of this SKOS vocabulary (RDF files, as crmkg serve --data).")
@click.option("--with-own-data", is_flag=True, default=None,
              help="With --data, include our YAML vocabulary too.")
@click.pass_obj
def site(obj: Context, output: Path, lang: str, base_url: str | None,
         data_files: tuple[str, ...], with_own_data: bool | None) -> None:
    """Write the whole vocabulary as a static site: it works from any web host and when
    opened from disk (file://). Example: crmkg site -o public; python -m http.server -d public
    """
    from webapp.staticsite.build import SiteError, build_site

    overrides = _app_overrides(obj, data_files, with_own_data)
    try:
        report = build_site(output, lang=lang, base_url=base_url, overrides=overrides)
    except (DataError, DataErrors, SiteError, OSError, ValueError) as exc:
        click.echo(f"Cannot build the site: {exc}", err=True)
        sys.exit(1)
    for problem in report.problems:
        click.echo(f"warning: {problem}", err=True)
    click.echo(f"wrote {report.folder}: {report.files:,} files, {report.size / 1e6:.1f} MB "
               f"in {report.seconds:.1f} s", err=True)


def _app_overrides(obj: Context, files: tuple[str, ...], with_own_data: bool | None,
                   stray: object = False) -> dict[str, object]:
    """The app's settings from the command line: our data folder and base URI when they
    differ from the defaults, and the RDF files to serve (local files only)."""
    from graph.query.store import is_url

    if stray:
        raise click.UsageError(f"unexpected argument {files[0]!r}; to serve RDF "
                               "files, give them after --data")
    for name in files:
        if is_url(name):
            raise click.BadParameter(f"{name} is a URL; this app never downloads data. "
                                     "Download the file yourself and give its local path.",
                                     param_hint="'--data'")
        if not Path(name).is_file():
            raise click.BadParameter(f"{name}: no such file", param_hint="'--data'")
    overrides: dict[str, object] = {}
    if obj.settings.data_dir != Settings.from_env().data_dir:
        overrides["DATA_DIR"] = str(obj.settings.data_dir)
    if obj.settings.base_uri != Settings.from_env().base_uri:
        overrides["BASE_URI"] = obj.settings.base_uri
    if files:
        overrides["DATA_FILES"] = [str(Path(name).resolve()) for name in files]
    if with_own_data is not None:
        overrides["WITH_OWN_DATA"] = with_own_data
    return overrides


@main.command()
@click.option("--data", "data_files", multiple=True, metavar="FILE",
              help="Push these RDF files (as crmkg serve --data) instead of our vocabulary.")
@click.option("--with-own-data", is_flag=True, help="With --data, push our vocabulary too.")
@click.option("--graph-store", metavar="URL", envvar="CRMKG_GRAPH_STORE_ENDPOINT",
              help="Graph Store Protocol URL of the store (setting GRAPH_STORE_ENDPOINT): "
                   "the graph is replaced with one PUT.")
@click.option("--update", "update_url", metavar="URL", envvar="CRMKG_SPARQL_UPDATE_ENDPOINT",
              help="Without --graph-store: the store's update URL (SPARQL_UPDATE_ENDPOINT); "
                   "DROP and INSERT DATA in one request.")
@click.option("--graph", "graph_iri", metavar="IRI", envvar="CRMKG_REMOTE_GRAPH",
              help="Named graph to replace (setting REMOTE_GRAPH; default: <base URI>graph).")
@click.option("--chunk-triples", type=click.IntRange(min=0), default=0, metavar="N",
              help="Send at most N triples a request (the first replaces the graph, the "
                   "next add to it): for a store that stalls on one huge transaction "
                   "(Virtuoso: 100000). Not atomic then. Default 0: one request.")
@click.option("--user", metavar="NAME", envvar="CRMKG_STORE_USER",
              help="User for the store's Basic or Digest authentication; the password is "
                   "read from CRMKG_STORE_PASSWORD, or asked (never on the command line).")
@click.pass_obj
def push(obj: Context, data_files: tuple[str, ...], with_own_data: bool,
         graph_store: str | None, update_url: str | None, graph_iri: str | None,
         chunk_triples: int, user: str | None) -> None:
    """Load the vocabulary into an external triple store, replacing one named graph.

    Then serve from that store with CRMKG_SPARQL_ENDPOINT (and CRMKG_REMOTE_GRAPH).
    Example: crmkg push --graph-store http://127.0.0.1:7878/store
    """
    import pyoxigraph as ox

    from graph.query.remote import RemoteError, push_graph
    from graph.query.store import EmbeddedStore, Progress, Source, StoreError

    if not graph_store and not update_url:
        raise click.UsageError("give --graph-store URL (or --update URL)")
    credentials = None
    if user:
        password = os.environ.get("CRMKG_STORE_PASSWORD")
        if password is None:
            password = click.prompt(f"Password of {user} at the store", hide_input=True,
                                    err=True)
        credentials = (user, password)
    graph_iri = graph_iri or obj.settings.base_uri + "graph"
    sources: list[Source] = []
    if not data_files or with_own_data:
        _, graph = obj.build()
        sources.append(Source(name="our vocabulary (YAML)",
                              data=graph.serialize(format="nt", encoding="utf-8")))
    try:
        sources += [Source.file(name) for name in data_files]
        store = EmbeddedStore.from_sources(sources, Progress() if data_files else None)
    except StoreError as exc:
        raise click.BadParameter(str(exc), param_hint="'--data'") from None
    # every triple, whatever graph a dataset file put it in, goes into the one named graph
    ntriples = ox.serialize((quad.triple for quad in store.store), format=ox.RdfFormat.N_TRIPLES)
    try:
        how = push_graph(ntriples or b"", graph_iri, graph_store=graph_store,
                         update=update_url, credentials=credentials,
                         chunk_triples=chunk_triples)
    except (RemoteError, ValueError) as exc:
        click.echo(f"crmkg push: {exc}", err=True)
        sys.exit(1)
    click.echo(f"pushed {len(store):,} triples into <{graph_iri}> ({how})", err=True)


@main.command("import")
@click.argument("file", metavar="FILE")
@click.option("--to", "target", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the YAML into (new or empty, unless --force).")
@click.option("--base-uri", "import_base_uri",
              help="Namespace of the imported vocabulary: concepts <URI>id/<id> keep no "
                   "'uri:' key (default: guessed from the concepts' URIs).")
@click.option("--force", is_flag=True,
              help="Write into a non-empty folder, replacing the files of a previous import.")
@click.pass_obj
def import_(obj: Context, file: str, target: Path, import_base_uri: str | None,
            force: bool) -> None:
    """Turn a SKOS file (Turtle, N-Triples, RDF/XML, JSON-LD; .gz too) into our YAML.

    One file per concept in DIR/terms/, collections.yaml, sources.yaml, scheme.ttl and
    vocabulary.yaml (how to load and build the folder); then the folder is built and
    compared with the file, and DIR/import-report.md lists what the model cannot hold.
    Use the folder with --data-dir. Example: crmkg import stw.ttl --to stw/
    """
    from graph.importer import ImportFailure, import_vocabulary

    try:
        outcome = import_vocabulary(file, target, base_uri=import_base_uri, force=force,
                                    settings=obj.settings)
    except ImportFailure as exc:
        click.echo(f"Cannot import: {exc}", err=True)
        sys.exit(1)
    click.echo(f"read {outcome.source.name}: {outcome.triples:,} triples")
    click.echo(f"wrote {outcome.target}: {outcome.concepts:,} concepts, "
               f"{outcome.collections:,} collections, {outcome.sources:,} sources, "
               f"{outcome.schemes:,} scheme(s)")
    click.echo(f"held by the model: {outcome.held:,} triples (all came back after the build)"
               if not outcome.lost else
               f"held by the model: {outcome.held:,} triples; NOT reproduced: "
               f"{sum(outcome.lost.values()):,} (see the report)")
    click.echo(f"dropped: {outcome.dropped_total:,} triples the model cannot hold"
               + (":" if outcome.dropped_total else ""))
    for predicate, n in sorted(outcome.dropped_by_predicate().items(),
                               key=lambda kv: (-kv[1], kv[0]))[:15]:
        click.echo(f"  {n:9,}  {predicate}")
    if len(outcome.dropped_by_predicate()) > 15:
        click.echo(f"  … {len(outcome.dropped_by_predicate()) - 15} more properties")
    if outcome.added:
        click.echo(f"added by the build: {sum(outcome.added.values()):,} triples ("
                   + ", ".join(f"{p}: {n:,}" for p, n in sorted(outcome.added.items())) + ")")
    click.echo(f"report: {outcome.report_path}")
    sys.exit(1 if outcome.lost else 0)

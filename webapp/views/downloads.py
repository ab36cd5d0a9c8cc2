"""The whole vocabulary as one file: ``/vocabulary.ttl``, ``.nt``, ``.rdf``, ``.jsonld``
and the ``.csv`` glossary — the same bytes as ``crmkg export`` writes.

A trainer or a data engineer takes the vocabulary away in one click from the home and
About pages. Each file is built once (the vocabulary does not change while the app
runs) and kept. Served only with our vocabulary: another vocabulary's files are its
publisher's to hand out.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, abort, url_for

from graph.export import exporter_for
from graph.formats import SERVED
from webapp.pages import heavy_build, state, text

blueprint = Blueprint("downloads", __name__)


@dataclass(frozen=True)
class Download:
    #: the export's name (``crmkg export --format``) and the file's suffix
    export: str
    suffix: str
    #: what the link says
    name: str


#: the RDF syntaxes the web serves, then the glossary for spreadsheets
DOWNLOADS: tuple[Download, ...] = (
    *(Download(s.name, s.suffix, {"ttl": "Turtle", "nt": "N-Triples", "rdf": "RDF/XML",
                                  "jsonld": "JSON-LD"}.get(s.suffix, s.name)) for s in SERVED),
    Download("csv", "csv", "CSV"),
)


def download_links() -> list[dict[str, str]]:
    """The links the home and About pages show (none without our vocabulary)."""
    if not state().own_data:
        return []
    return [{"name": d.name, "suffix": d.suffix, "url": url_for(f"downloads.{d.suffix}"),
             "media_type": exporter_for(d.export).media_type} for d in DOWNLOADS]


def _file(download: Download) -> Response:
    app_state = state()
    if app_state.graph is None or app_state.vocabulary is None:
        abort(404, description=text(
            "Ce serveur ne sert pas le vocabulaire CRM : les fichiers des vocabulaires "
            "qu'il sert sont à demander à leurs éditeurs (ou au point SPARQL).",
            "This server does not serve the CRM vocabulary: ask the publishers of the "
            "vocabularies it serves for their files (or query the SPARQL endpoint)."))
    exporter = exporter_for(download.export)

    def build() -> bytes:
        with heavy_build():
            return exporter.render(app_state.graph, app_state.vocabulary)

    body = app_state.cached(("vocabulary-file", download.suffix), build)
    response = Response(body, content_type=f"{exporter.media_type}; charset=utf-8")
    response.headers["Content-Disposition"] = \
        f'attachment; filename="crmkg-vocabulary.{download.suffix}"'
    return response


def _register(download: Download) -> None:
    def view() -> Response:
        return _file(download)

    view.__doc__ = f"The whole vocabulary as {download.name}."
    blueprint.add_url_rule(f"/vocabulary.{download.suffix}", download.suffix, view)


for _download in DOWNLOADS:
    _register(_download)

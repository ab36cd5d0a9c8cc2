"""Training material to download: the slide deck (see issue 4).

``/slides.pptx?lang=fr&collection=funnel-stages&collection=nps-scale`` answers the
deck that ``crmkg slides`` writes, built from the vocabulary model the app loaded.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, request

from graph.vocabulary.model import Vocabulary
from webapp.pages import LANGUAGES, current_language, heavy_build, state, text

blueprint = Blueprint("training", __name__)

#: decks kept (per language, collections and day): building one takes about a second
_MAX_DECKS = 16


@blueprint.route("/slides.pptx")
def slides() -> Response:
    if not current_app.extensions["crmkg"].own_data:
        abort(404, description=text(
            "Le diaporama présente le vocabulaire CRM (l'entonnoir, le cycle de vente, le "
            "NPS), que ce serveur ne sert pas ; ajoutez --with-own-data pour le servir aussi.",
            "The slides present the CRM vocabulary (the funnel, the sales cycle, the NPS), "
            "which this server does not serve; add --with-own-data to serve it too."))
    lang = request.args.get("lang")
    if lang is None:
        lang = current_language()
    elif lang not in LANGUAGES:
        abort(400, description=f"lang must be one of {', '.join(LANGUAGES)}.")
    wanted = [part for value in request.args.getlist("collection")
              for part in value.split(",") if part]
    # python-pptx takes a fifth of a second to import: only when a deck is asked for
    from graph.training.slides import MEDIA_TYPE, UnknownCollectionError, select_collections

    vocabulary = state().vocabulary
    assert vocabulary is not None  # own_data: the app loaded it
    try:
        chosen = tuple(c.id for c in select_collections(vocabulary, wanted)) if wanted else ()
    except UnknownCollectionError as exc:
        abort(400, description=str(exc))
    data = _deck(vocabulary, lang, chosen)
    suffix = "-" + "-".join(chosen) if chosen else ""
    response = Response(data, mimetype=MEDIA_TYPE)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="crmkg-slides-{lang}{suffix}.pptx"')
    response.headers["Cache-Control"] = "no-store"
    return response


def _deck(vocabulary: Vocabulary, lang: str, chosen: tuple[str, ...]) -> bytes:
    """The deck, built once per (language, collections in data order, day).

    The key is the selection as the deck shows it (known collections, each once, in the
    vocabulary's order), so repeating or reordering ``collection=`` finds the same deck
    instead of building a new one.
    """
    from graph.training.slides import deck_bytes, scheme_title

    day = date.today()

    def build() -> bytes:
        with heavy_build():
            return deck_bytes(vocabulary, lang=lang, collections=list(chosen),
                              title=scheme_title(Path(current_app.config["ONTOLOGY_DIR"]), lang),
                              day=day)

    return state().cached(("deck", lang, chosen, day), build, keep=_MAX_DECKS)

"""What a static page loads instead of asking the server: the label index, as scripts.

A page opened from ``file://`` cannot ``fetch`` anything, but it can load a script. So
the data a page needs (the label index of search and autocomplete, the questions of the
quiz) is written as a script that hands it to a global, and the same data a server
would answer as JSON is turned into such a script by :mod:`webapp.staticsite.build`.

These routes exist only in the app that builds the site (``build.site_app``).
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, abort, render_template, request

from webapp.pages import concept_url, current_language, state, text
from webapp.staticsite.paths import file_for, page_key

blueprint = Blueprint("site", __name__, url_prefix="/site")

#: how a label's kind ranks among matches of the same quality (as graph.query.search)
KIND_RANK = {"pref": 0, "alt": 1, "hidden": 2}


def script(global_name: str, data: Any) -> Response:
    """``data`` handed to ``window[global_name]`` by a script a page loads."""
    body = (f"window.{global_name} = "
            + json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
            + ";\n")
    return Response(body, mimetype="text/javascript")


def jsonp(data: Any) -> str:
    """A JSON answer as a script that gives it to ``crmkgLoaded`` with its own address:
    how a static page's scripts read what a server would answer with JSON."""
    return ("window.crmkgLoaded(document.currentScript.src, "
            + json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
            + ");\n")


def site_path(url: str) -> str:
    """An app URL as the file it is in the site, relative to a language's root."""
    return file_for(*page_key(url))


@blueprint.route("/search.js")
def search_index() -> Response:
    """Every label, folded as the server folds it, and each concept's page, label and
    definition in the page's language: what the search page and autocomplete need."""
    lang = current_language()
    index = state().index
    index.wait()
    uris = sorted({str(concept) for _folded, concept, *_ in index.entries})
    number = {uri: n for n, uri in enumerate(uris)}
    reader = state().reader
    labels = reader.labels(uris, lang)
    definitions = reader.definitions(uris, lang)
    return script("CRMKG_SEARCH", {
        "labels": [[folded, number[str(concept)], label, language, KIND_RANK[kind]]
                   for folded, concept, label, language, kind in index.entries],
        "concepts": [[site_path(concept_url(uri)), labels[uri], definitions.get(uri, "")]
                     for uri in uris],
    })


@blueprint.route("/quiz.js")
def quiz_questions() -> Response:
    """One question per concept and mode, in the page's language, with its answer: the
    static quiz asks the same questions as the server (the same seeds of the same bank),
    and checks the answers in the page. The answers are in the file; a self-test needs
    no secret (the server's quiz says so too)."""
    from webapp.views import quiz

    lang = current_language()
    questions = quiz.bank()
    entries = questions.entries

    def concept(uri: str) -> dict[str, str]:
        entry = entries[uri]
        return {"label": entry.term(lang), "definition": entry.definition.get(lang, ""),
                "url": site_path(concept_url(uri))}

    return script("CRMKG_QUIZ", {mode: [
        {"seed": seed, "prompt": asked.prompt, "answer": asked.correct_index,
         "choices": [{"text": c.text, "concept": concept(c.uri)} for c in asked.choices]}
        for seed in range(len(questions.askable))
        for asked in [questions.question(seed, lang, mode)]] for mode in quiz.MODES})


@blueprint.route("/quiz")
def quiz_page() -> Response:
    """The quiz page as the server renders it (same template), for its first question;
    site-quiz.js then asks the others and checks the answers in the page."""
    from webapp.views import quiz

    mode = request.args.get("mode", quiz.DEFAULT_MODE)
    if mode not in quiz.MODES or state().graph is None:  # the quiz is on our vocabulary
        abort(404)
    asked = quiz.bank().question(0, current_language(), mode)
    data = quiz.question_data(asked, "", {"right": 0, "answered": 0})
    data["permalink"] = None  # the page asks questions at random: no link to one of them
    return Response(render_template("quiz/question.html", title=text("Quiz", "Quiz"),
                                    static_quiz=True, **data), mimetype="text/html")


@blueprint.route("/sparql")
def needs_a_server() -> str:
    """What the SPARQL link leads to in a static site: how to get a server."""
    from webapp.views.downloads import download_links

    return render_template("site/needs-server.html", title=text(
        "Requêtes SPARQL", "SPARQL queries"), downloads=download_links())

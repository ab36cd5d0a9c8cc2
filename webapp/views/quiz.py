"""The self-test for learners (see issue 4): four-choice questions, without JavaScript.

``GET /quiz?mode=definition|term&lang=fr|en`` asks a question (a definition and
four terms, or a term and four definitions; :mod:`graph.training.quiz` draws them);
``POST /quiz/answer`` checks the answer and sends the browser on (303, post/redirect/get)
to ``GET /quiz/result?token=…``, which shows the right one, a link to the concept and the
running score: reloading the result shows it again and resubmits nothing. ``POST
/quiz/answer.json`` answers at once, in JSON. ``POST /quiz/reset`` starts again. ``?seed=N``
asks the question of that seed (reproducible; a trainer can give the same
question to the whole room). ``/quiz.json`` is the question's JSON twin, without
the answer; ``/quiz/answer.json`` answers in JSON.

The learner's state lives in Flask's signed session cookie, under ``quiz``:
the score, the concepts already asked (so that they do not come back soon) and
the token of the *pending* question. The question itself (its seed, language,
mode and a digest of its choices) waits on the server under that token, and is
taken from there when it is answered: a token is answered once. Sending an old
cookie again (to try another choice) finds no question waiting, and is not
counted. The answer is worked out again on the server from the seed: the form
only says which of the four choices was picked and for which token, so editing it
cannot make a wrong answer right. An answer to a question that is not the
pending one (an old tab) is not counted either; the same form sent twice shows
the same result again without counting it twice. The score is a self-assessment
all the same: the questions come from a public vocabulary.

The cookie is signed with the ``SECRET_KEY`` setting, or with a random key that
``create_app`` draws when it is empty: scores then last until the server restarts.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    request,
    session,
    url_for,
)

from graph.text import LANGUAGES
from graph.training.quiz import MAX_SEED, MODES, Entry, Question, QuizBank
from webapp.pages import (
    concept_url,
    current_language,
    page_route,
    render_page,
    state,
    text,
    wants_json,
)

blueprint = Blueprint("quiz", __name__)

SESSION_KEY = "quiz"
#: how many concepts asked are remembered (and not asked again); bounds the cookie's size
REMEMBERED = 60
DEFAULT_MODE = "definition"
_bank_lock = threading.Lock()


NEEDS_OUR_VOCABULARY = (
    "Le quiz porte sur les termes et les définitions du vocabulaire CRM, que ce serveur ne "
    "sert pas : il sert un autre vocabulaire (crmkg serve --data). Ajoutez "
    "--with-own-data pour servir aussi le vocabulaire CRM.",
    "The quiz asks about the terms and definitions of the CRM vocabulary, which this "
    "server does not serve: it serves another vocabulary (crmkg serve --data). Add "
    "--with-own-data to serve the CRM vocabulary beside it.")


@blueprint.before_request
def _needs_our_vocabulary() -> None:
    """With only other vocabularies (no definitions in both languages, as a rule): say so."""
    if state().graph is None:
        abort(404, description=text(*NEEDS_OUR_VOCABULARY))


def bank() -> QuizBank:
    """The questions' material, read once from our vocabulary's graph."""
    return state().cached("quiz-bank", lambda: QuizBank.from_graph(state().graph))


# --- the learner's state ------------------------------------------------------------------

class PendingQuestions:
    """Questions waiting for their answer, kept on the server; each is answered once.

    At most ``limit`` are kept (the oldest go first) and none longer than ``ttl``
    seconds: an answer after that finds its question expired, as after a restart.
    """

    def __init__(self, limit: int = 50_000, ttl: float = 6 * 3600):
        self.limit, self.ttl = limit, ttl
        self._waiting: OrderedDict[str, tuple[float, dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, token: str, question: dict[str, Any]) -> None:
        with self._lock:
            self._waiting[token] = (time.monotonic(), question)
            while len(self._waiting) > self.limit:
                self._waiting.popitem(last=False)

    def get(self, token: str) -> dict[str, Any] | None:
        with self._lock:
            found = self._waiting.get(token)
            if found and time.monotonic() - found[0] > self.ttl:
                del self._waiting[token]
                found = None
        return found[1] if found else None

    def take(self, token: str) -> dict[str, Any] | None:
        """The question, removed: a second answer with the same token finds nothing."""
        question = self.get(token)
        with self._lock:
            return question if self._waiting.pop(token, None) else None


def pending_questions() -> PendingQuestions:
    """The questions waiting for an answer: one store for the app, made on first use."""
    return state().cached("quiz-pending", PendingQuestions)


def _quiz_state() -> dict[str, Any]:
    stored = session.get(SESSION_KEY)
    fresh: dict[str, Any] = {"right": 0, "answered": 0, "asked": [], "pending": None,
                             "last": None}
    if isinstance(stored, dict):
        fresh.update({k: v for k, v in stored.items() if k in fresh})
    return fresh


def _save(quiz: dict[str, Any]) -> None:
    session[SESSION_KEY] = quiz  # a new value, so that Flask writes the cookie


def _digest(question: Question) -> str:
    """Ties the pending question to its choices: if the data changed meanwhile, the
    seed would ask something else, and the answer must not be judged against it."""
    text_ = "|".join(c.uri for c in question.choices)
    return hashlib.sha256(text_.encode("utf-8")).hexdigest()[:16]


def _score(quiz: dict[str, Any]) -> dict[str, int]:
    return {"right": quiz["right"], "answered": quiz["answered"]}


# --- pages ----------------------------------------------------------------------------

def _mode() -> str:
    mode = request.values.get("mode") or DEFAULT_MODE
    if mode not in MODES:
        abort(400, description=text(f"Mode inconnu : « {mode} ». Choisissez "
                                    "« definition » ou « term ».",
                                    f"Unknown mode '{mode}'. Choose 'definition' or 'term'."))
    return mode


def _seed_argument() -> int | None:
    raw = request.args.get("seed")
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 16) or int(raw) >= MAX_SEED:
        abort(400, description=text(f"« seed » doit être un nombre entier de 0 à {MAX_SEED - 1}.",
                                    f"'seed' must be a whole number from 0 to {MAX_SEED - 1}."))
    return int(raw)


def _modes(lang: str, current: str) -> list[dict[str, Any]]:
    names = {"definition": text("Trouver le terme d'une définition",
                                "Find the term for a definition"),
             "term": text("Trouver la définition d'un terme", "Find the definition of a term")}
    return [{"mode": m, "label": names[m], "current": m == current,
             "url": url_for("quiz.question", mode=m, lang=lang)} for m in MODES]


def question_data(question: Question, token: str, quiz: dict[str, Any]) -> dict[str, Any]:
    return {
        "mode": question.mode,
        "language": question.lang,
        "seed": question.seed,
        "token": token,
        "prompt": question.prompt,
        "instruction": _instruction(question.mode),
        "choices": [{"value": i, "text": c.text} for i, c in enumerate(question.choices)],
        "score": _score(quiz),
        "answer_url": url_for("quiz.answer"),
        "permalink": url_for("quiz.question", mode=question.mode, lang=question.lang,
                             seed=question.seed),
        "modes": _modes(question.lang, question.mode),
    }


def _instruction(mode: str) -> str:
    if mode == "definition":
        return text("Quel terme correspond à cette définition ?",
                    "Which term matches this definition?")
    return text("Quelle définition correspond à ce terme ?",
                "Which definition matches this term?")


@page_route(blueprint, "/quiz")
def question(suffix: str | None) -> Response:
    lang = current_language()
    mode = _mode()
    seed = _seed_argument()
    quiz = _quiz_state()
    questions = bank()
    if seed is None:
        seed = questions.pick_seed(avoid=quiz["asked"])
    asked = questions.question(seed, lang, mode)
    token = secrets.token_urlsafe(12)
    pending_questions().add(token, {"seed": seed, "lang": lang, "mode": mode,
                                    "digest": _digest(asked)})
    quiz["pending"] = {"token": token}
    _save(quiz)
    data = question_data(asked, token, quiz)
    return render_page("quiz/question.html", data, suffix, title=text("Quiz", "Quiz"))


@page_route(blueprint, "/quiz/answer", methods=["GET", "POST"])
def answer(suffix: str | None) -> Response:
    if request.method == "GET":  # e.g. the language links of the page: ask a new question
        mode = request.args.get("mode")
        return redirect(url_for("quiz.question", mode=mode if mode in MODES else DEFAULT_MODE,
                                lang=current_language()), 303)
    quiz = _quiz_state()
    token = request.form.get("token", "")
    pending = quiz["pending"]

    if _is_last(quiz, token):
        # the same form sent again (back, then resend): the same result, counted once
        return _show_result(quiz, token, suffix)
    if not isinstance(pending, dict) or not token or not secrets.compare_digest(
            str(pending.get("token", "")), token):
        return _expired(quiz, suffix)
    waiting = pending_questions().get(token)
    if waiting is None:  # answered already (an old cookie sent again), or expired
        return _expired(quiz, suffix)
    asked = bank().question(int(waiting["seed"]), waiting["lang"], waiting["mode"])
    if _digest(asked) != waiting["digest"]:
        pending_questions().take(token)
        quiz["pending"] = None
        _save(quiz)
        return _expired(quiz, suffix)

    raw = request.form.get("choice", "")
    if raw == "":
        # nothing picked (a browser without form validation): ask the same question again
        data = question_data(asked, pending["token"], quiz)
        data["error"] = text("Choisissez une réponse.", "Pick an answer.")
        return render_page("quiz/question.html", data, suffix, title=text("Quiz", "Quiz"),
                           status=400)
    # an answer that was not offered (a forged form) is counted wrong
    choice = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 3 else -1
    if pending_questions().take(token) is None:  # answered meanwhile, by another request
        return _expired(quiz, suffix)

    quiz["answered"] += 1
    quiz["right"] += int(asked.is_correct(choice))
    answer_id = bank().entries[asked.answer].id
    quiz["asked"] = [i for i in quiz["asked"] if i != answer_id][-(REMEMBERED - 1):] + [answer_id]
    quiz["pending"] = None
    quiz["last"] = {"token": token, "seed": asked.seed, "lang": asked.lang, "mode": asked.mode,
                    "choice": choice}
    _save(quiz)
    return _show_result(quiz, token, suffix)


def _is_last(quiz: dict[str, Any], token: str) -> bool:
    """Whether ``token`` is the question this learner answered last."""
    last = quiz["last"]
    return bool(isinstance(last, dict) and token
                and secrets.compare_digest(str(last.get("token", "")), token))


def _show_result(quiz: dict[str, Any], token: str, suffix: str | None) -> Response:
    """The last answer's result: at once in JSON; a browser is sent to the result's own
    address (303), so that a reload there resends nothing."""
    if suffix is None and not wants_json(suffix):
        return redirect(url_for("quiz.result", token=token, lang=quiz["last"]["lang"]), 303)
    last = quiz["last"]
    replayed = bank().question(int(last["seed"]), last["lang"], last["mode"])
    return _result(replayed, int(last["choice"]), quiz, suffix)


@page_route(blueprint, "/quiz/result")
def result(suffix: str | None) -> Response:
    """The result of the question answered last (its token in the address); any other
    token, an old one or none, leads to a new question."""
    quiz = _quiz_state()
    token = request.args.get("token", "")
    if not _is_last(quiz, token):
        mode = request.args.get("mode")
        return redirect(url_for("quiz.question", mode=mode if mode in MODES else DEFAULT_MODE,
                                lang=current_language()), 303)
    last = quiz["last"]
    replayed = bank().question(int(last["seed"]), last["lang"], last["mode"])
    return _result(replayed, int(last["choice"]), quiz, suffix)


@blueprint.post("/quiz/reset")
def reset() -> Response:
    """Start again: score to zero, every concept may be asked again."""
    session.pop(SESSION_KEY, None)
    mode = request.form.get("mode")
    lang = request.form.get("lang")
    return redirect(url_for("quiz.question", mode=mode if mode in MODES else DEFAULT_MODE,
                            lang=lang if lang in LANGUAGES else current_language()), 303)


def _result(asked: Question, choice: int, quiz: dict[str, Any], suffix: str | None) -> Response:
    entries = bank().entries
    answer_entry = entries[asked.answer]
    correct = asked.is_correct(choice)
    picked = asked.choices[choice] if 0 <= choice < len(asked.choices) else None
    data = {
        "correct": correct,
        "valid_choice": picked is not None,
        "mode": asked.mode,
        "language": asked.lang,
        "seed": asked.seed,
        "prompt": asked.prompt,
        "instruction": _instruction(asked.mode),
        "choices": [{"value": i, "text": c.text, "correct": c.uri == asked.answer,
                     "chosen": i == choice, "concept": _concept(entries[c.uri], asked.lang)}
                    for i, c in enumerate(asked.choices)],
        "answer": _concept(answer_entry, asked.lang),
        "chosen": _concept(entries[picked.uri], asked.lang) if picked else None,
        "score": _score(quiz),
        "next_url": url_for("quiz.question", mode=asked.mode, lang=asked.lang),
        "permalink": url_for("quiz.question", mode=asked.mode, lang=asked.lang,
                             seed=asked.seed),
        "modes": _modes(asked.lang, asked.mode),
    }
    title = text("Bonne réponse", "Right answer") if correct else \
        text("Mauvaise réponse", "Wrong answer")
    return render_page("quiz/result.html", data, suffix, title=title)


def _concept(entry: Entry, lang: str) -> dict[str, str]:
    return {"id": entry.id, "uri": entry.uri, "label": entry.term(lang),
            "definition": entry.definition.get(lang, ""), "url": concept_url(entry.uri)}


def _expired(quiz: dict[str, Any], suffix: str | None) -> Response:
    mode = request.form.get("mode")
    lang = request.form.get("lang")
    data = {  # an error, so its JSON twin has the shape of every error (webapp/errors.py)
        "ok": False, "status": 409, "error": "Conflict",
        "message": text("Cette question n'est plus en attente de réponse : une autre question "
                        "a été posée depuis (dans un autre onglet ?) ou le serveur a redémarré. "
                        "Votre score n'a pas changé.",
                        "This question is no longer waiting for an answer: another question "
                        "was asked since (in another tab?) or the server restarted. Your score "
                        "has not changed."),
        "score": _score(quiz),
        "next_url": url_for("quiz.question", mode=mode if mode in MODES else DEFAULT_MODE,
                            lang=lang if lang in LANGUAGES else current_language()),
    }
    return render_page("quiz/expired.html", data, suffix,
                       title=text("Question expirée", "Question expired"), status=409)

"""The learners' quiz: question generation (graph/training/quiz.py) and the pages (/quiz)."""

from __future__ import annotations

import base64
import json
import re
import unicodedata

import pytest
from rdflib import URIRef

from graph.namespaces import ISOTHES, RDF, SKOS
from graph.text import LANGUAGES, acronyms, is_acronym, term_with_acronyms
from graph.training.quiz import BLANK, CHOICES, MODES, QuizBank, mask

CONCEPT = "https://w3id.org/crmkg/id/"


@pytest.fixture(scope="module")
def bank(graph) -> QuizBank:
    return QuizBank.from_graph(graph)


def seed_of(bank: QuizBank, concept_id: str) -> int:
    """The smallest seed whose question asks this concept."""
    return bank.askable.index(CONCEPT + concept_id)


def every_question(bank: QuizBank):
    for seed in range(len(bank.askable)):
        for lang in LANGUAGES:
            for mode in MODES:
                yield bank.question(seed, lang, mode)


def fold(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split())).casefold()


def groups_of(graph) -> set[str]:
    return {str(s) for s in graph.subjects(RDF.type, ISOTHES.ConceptGroup)}


def neighbours(graph, uri: str) -> set[str]:
    """Linked to the concept or in one of its groups, computed here independently of
    graph/training/quiz.py."""
    node = URIRef(uri)
    found = {str(o) for o in graph.objects(node, SKOS.related)}
    found |= {str(s) for s in graph.subjects(SKOS.related, node)}
    for parent in graph.objects(node, SKOS.broader):
        found.add(str(parent))
        found |= {str(s) for s in graph.subjects(SKOS.broader, parent)}
    found |= {str(s) for s in graph.subjects(SKOS.broader, node)}
    for collection in graph.subjects(SKOS.member, node):  # collections and groups
        found |= {str(m) for m in graph.objects(collection, SKOS.member)}
    found.discard(uri)
    return found


# --- generation -------------------------------------------------------------------------

def test_every_concept_can_be_asked(bank, vocabulary):
    # top concepts too: with groups, they are terms like any other
    assert set(bank.askable) == {CONCEPT + c.id for c in vocabulary.concepts.values()}


def test_four_distinct_choices_and_exactly_one_is_right(bank):
    for q in every_question(bank):
        uris = [c.uri for c in q.choices]
        assert len(uris) == CHOICES == len(set(uris)), q
        assert len({fold(c.text) for c in q.choices}) == CHOICES, q  # no duplicates
        assert uris.count(q.answer) == 1
        assert q.is_correct(q.correct_index)
        assert [q.is_correct(i) for i in range(CHOICES)].count(True) == 1
        assert not q.is_correct(-1) and not q.is_correct(CHOICES)


def test_no_group_is_ever_asked_nor_offered(bank, graph):
    groups = groups_of(graph)
    assert groups
    for q in every_question(bank):
        assert q.answer not in groups
        assert not groups & {c.uri for c in q.choices}


def test_distractors_are_neighbours_of_the_answer(bank, graph):
    linked = 0
    for q in every_question(bank):
        near = neighbours(graph, q.answer)
        for uri in q.distractors:
            assert uri in near, f"{uri} is not related to {q.answer}"
            assert q.tiers[uri] in (1, 2)
            linked += q.tiers[uri] == 1
    # most distractors are directly linked (related, siblings, stages), not just same group
    assert linked > 0.6 * len(bank.askable) * len(LANGUAGES) * len(MODES) * (CHOICES - 1)


def test_dsp_is_asked_with_its_counterpart_nearby(bank):
    offered = set()
    for seed in range(seed_of(bank, "dsp"), 40 * len(bank.askable), len(bank.askable)):
        offered |= set(bank.question(seed, "fr", "definition").distractors)
    assert CONCEPT + "ssp" in offered
    assert CONCEPT + "ad-exchange" in offered


def test_never_the_answers_own_labels_or_acronym_as_a_wrong_choice(bank):
    for q in every_question(bank):
        own = bank.entries[q.answer].all_labels()
        for uri in q.distractors:
            assert not own & bank.entries[uri].all_labels()
        if q.mode == "definition":
            for choice in q.choices:
                if choice.uri != q.answer:
                    assert fold(choice.text) not in own
    mql = bank.question(seed_of(bank, "mql"), "en", "definition")
    assert [c.text for c in mql.choices].count("marketing qualified lead (MQL)") == 1
    assert not any(c.text == "MQL" for c in mql.choices)


def test_modes_definition_then_term(bank, vocabulary):
    seed = seed_of(bank, "mql")
    by_definition = bank.question(seed, "fr", "definition")
    assert by_definition.answer == CONCEPT + "mql"
    mql = vocabulary.concepts["mql"]
    assert by_definition.prompt.startswith(mql.definition["fr"][:40])
    assert "lead qualifié marketing (MQL)" in [c.text for c in by_definition.choices]

    by_term = bank.question(seed, "en", "term")
    assert by_term.prompt == "marketing qualified lead (MQL)"
    right = by_term.choices[by_term.correct_index].text
    assert right.startswith(mql.definition["en"][:40])
    for choice in by_term.choices:
        assert len(choice.text) > 60  # definitions, not labels


def test_both_languages_ask_the_same_concept_for_a_seed(bank):
    seed = seed_of(bank, "nps") + 7 * len(bank.askable)
    fr = bank.question(seed, "fr", "definition")
    en = bank.question(seed, "en", "definition")
    assert fr.answer == en.answer == CONCEPT + "nps"
    assert [c.uri for c in fr.choices] == [c.uri for c in en.choices]
    assert fr.prompt != en.prompt
    assert "Net Promoter Score (NPS)" in [c.text for c in en.choices]


def test_seeds_are_reproducible(bank, graph):
    other = QuizBank.from_graph(graph)
    for seed in (0, 1, 41, 12345, 2**40 + 3):
        for mode in MODES:
            assert bank.question(seed, "fr", mode) == other.question(seed, "fr", mode)
    # and different seeds vary the question
    assert len({bank.question(s, "fr", "definition").answer for s in range(20)}) == 20


def test_pick_seed_avoids_the_concepts_already_asked(bank):
    import random

    rng = random.Random(3)
    keep = bank.askable[17]
    avoid = [bank.entries[u].id for u in bank.askable if u != keep]
    for _ in range(5):
        assert bank.question(bank.pick_seed(rng, avoid), "fr", "term").answer == keep
    # when everything was asked, anything may come again
    everything = [bank.entries[u].id for u in bank.askable]
    assert bank.question(bank.pick_seed(rng, everything), "fr", "term").answer in bank.askable


def test_wrong_parameters_are_refused(bank):
    with pytest.raises(ValueError):
        bank.question(1, "de", "definition")
    with pytest.raises(ValueError):
        bank.question(1, "fr", "guess")
    with pytest.raises(ValueError):
        bank.question(-1, "fr", "term")


def test_a_definition_never_names_its_own_term(bank, vocabulary):
    for concept in vocabulary.concepts.values():
        if concept.top_concept:
            continue
        seed = seed_of(bank, concept.id)
        for lang in LANGUAGES:
            prompt = bank.question(seed, lang, "definition").prompt
            for label in [concept.pref_label[lang], *concept.alt_label.get(lang, [])]:
                flags = 0 if is_acronym(label) else re.IGNORECASE
                assert not re.search(rf"(?<!\w){re.escape(label)}(?!\w)", prompt, flags), \
                    (concept.id, label, prompt)


def test_labels_helpers():
    assert term_with_acronyms("lead qualifié marketing",
                              ["MQL", "lead qualifié par le marketing"]) == \
        "lead qualifié marketing (MQL)"
    assert acronyms("indicateur clé de performance", ["KPI", "KPIs", "Key Performance"]) == ["KPI"]
    assert acronyms("e-CRM", ["eCRM", "CRM électronique"]) == []
    assert acronyms("BANT", ["critères BANT"]) == []
    assert acronyms("logiciel en tant que service", ["SaaS"]) == ["SaaS"]
    assert term_with_acronyms("lead", ["leads", "piste"]) == "lead"
    assert is_acronym("M-CRM") and not is_acronym("BizDev") and not is_acronym("lead")
    assert mask("Le MQL précède le SQL.", ["MQL"]) == f"Le {BLANK} précède le SQL."
    assert mask("Un Lead chaud, des leads.", ["lead", "leads"]) == f"Un {BLANK} chaud, des {BLANK}."
    assert mask("j'ai vu l'IA (AI)", ["AI", "IA"]) == f"j'ai vu l'{BLANK}"
    assert mask("leader", ["lead"]) == "leader"


# --- the pages --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def app_bank(app) -> QuizBank:
    return QuizBank.from_graph(app.extensions["crmkg"].graph)


def ask(client, **params):
    reply = client.get("/quiz.json", query_string=params)
    assert reply.status_code == 200, reply.get_data(as_text=True)
    return reply.get_json()


def right_and_wrong(bank: QuizBank, data: dict) -> tuple[int, int]:
    question = bank.question(data["seed"], data["language"], data["mode"])
    right = question.correct_index
    return right, (right + 1) % CHOICES


def answer(client, data: dict, choice, **extra):
    form = {"token": data["token"], "choice": str(choice), "mode": data["mode"],
            "lang": data["language"], **extra}
    return client.post("/quiz/answer", data=form, follow_redirects=True)


def test_the_quiz_page_is_a_form_that_needs_no_script(client, app_bank):
    seed = seed_of(app_bank, "mql")
    page = client.get(f"/quiz?seed={seed}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    form = html[html.index('<form class="quiz-question"'):]
    form = form[:form.index("</form>")]
    assert 'method="post"' in form and 'action="/quiz/answer"' in form
    assert form.count('type="radio" name="choice"') == CHOICES
    assert "Quel terme correspond à cette définition" in html
    assert "lead qualifié marketing (MQL)" in form
    assert "<script" not in form and "/concept/" not in form and CONCEPT not in form
    assert 'rel="alternate"' in page.headers["Link"]
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert "/static/quiz.css" in html


def test_the_json_twin_does_not_reveal_the_answer(client, app_bank):
    seed = seed_of(app_bank, "dsp")
    for mode in MODES:
        data = ask(client, seed=seed, mode=mode, lang="en")
        assert data["mode"] == mode and data["language"] == "en" and data["seed"] == seed
        assert [c["value"] for c in data["choices"]] == list(range(CHOICES))
        dumped = json.dumps(data)
        assert CONCEPT not in dumped and "/concept/" not in dumped
        assert not all_keys(data) & {"answer", "correct", "correct_index", "uri", "id",
                                     "concept", "chosen"}
        assert all(set(choice) == {"value", "text"} for choice in data["choices"])


def all_keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in all_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in all_keys(v)}
    return set()


def test_a_right_answer_raises_the_score(client, app_bank):
    data = ask(client, seed=seed_of(app_bank, "mql"))
    right, _ = right_and_wrong(app_bank, data)
    reply = answer(client, data, right)
    assert reply.status_code == 200
    html = reply.get_data(as_text=True)
    assert "Bonne réponse" in html
    assert 'data-right="1" data-answered="1"' in html and "1 / 1" in html
    assert 'href="/concept/mql"' in html  # the concept, after each answer
    assert "Question suivante" in html

    data = ask(client)
    right, _ = right_and_wrong(app_bank, data)
    result = client.post("/quiz/answer.json", data={"token": data["token"], "choice": right})
    assert result.get_json()["correct"] is True
    assert result.get_json()["score"] == {"right": 2, "answered": 2}


def test_a_wrong_answer_shows_the_right_one_and_the_concept(client, app_bank):
    data = ask(client, seed=seed_of(app_bank, "sql"), mode="definition")
    _, wrong = right_and_wrong(app_bank, data)
    reply = answer(client, data, wrong)
    html = reply.get_data(as_text=True)
    assert reply.status_code == 200
    assert "Mauvaise réponse" in html
    assert "La bonne réponse était" in html and "lead qualifié commercial (SQL)" in html
    assert 'class="quiz-concept-link" href="/concept/sql"' in html
    assert 'data-right="0" data-answered="1"' in html and "0 / 1" in html


def test_a_wrong_answer_in_english_term_mode(client, app_bank):
    data = ask(client, seed=seed_of(app_bank, "nps"), mode="term", lang="en")
    assert data["prompt"] == "Net Promoter Score (NPS)"
    _, wrong = right_and_wrong(app_bank, data)
    reply = client.post("/quiz/answer.json", data={"token": data["token"], "choice": wrong})
    result = reply.get_json()
    assert result["correct"] is False and result["score"] == {"right": 0, "answered": 1}
    assert result["answer"]["url"] == "/concept/nps"
    assert result["answer"]["definition"].startswith("An indicator")
    assert result["chosen"]["url"] != "/concept/nps"
    html = client.get("/quiz?lang=en&mode=term").get_data(as_text=True)
    assert "Which definition matches this term?" in html and "0 / 1" in html


def test_a_choice_that_was_not_offered_counts_wrong(client, app_bank):
    data = ask(client, seed=seed_of(app_bank, "lead"))
    for forged in ("7", "-1", "mql", "99999999999999", "²", "9" * 5000):
        reply = answer(client, data, forged)
        assert reply.status_code == 200
        html = reply.get_data(as_text=True)
        assert "Mauvaise réponse" in html and "ne faisait pas partie des choix" in html
        data = ask(client, seed=seed_of(app_bank, "lead"))
    assert data["score"] == {"right": 0, "answered": 6}


def test_an_answer_without_a_pending_question_is_refused(client, app_bank):
    data = ask(client, seed=seed_of(app_bank, "mql"))
    right, _ = right_and_wrong(app_bank, data)
    forged = dict(data, token="made-up-token")
    reply = answer(client, forged, right)
    assert reply.status_code == 409
    assert "0 / 0" in reply.get_data(as_text=True)
    # and with no session at all
    assert answer(app_client_without_session(client), data, right).status_code == 409


def app_client_without_session(client):
    return client.application.test_client()


def test_a_forged_session_cookie_is_ignored(app, app_bank):
    client = app.test_client()
    data = ask(client, seed=seed_of(app_bank, "mql"))
    right, wrong = right_and_wrong(app_bank, data)
    # hand-made cookie: the same state, unsigned, claiming a high score
    payload = {"quiz": {"right": 50, "answered": 50, "asked": [], "last": None,
                        "pending": {"token": "x", "seed": data["seed"], "lang": "fr",
                                    "mode": "definition", "digest": ""}}}
    raw = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    client.set_cookie("session", raw + ".AAAAAA.forgedsignature")
    reply = client.post("/quiz/answer", data={"token": "x", "choice": wrong})
    assert reply.status_code == 409
    assert "50 / 50" not in reply.get_data(as_text=True)


def test_answering_an_older_question_does_not_count(client, app_bank):
    first = ask(client, seed=seed_of(app_bank, "mql"))
    ask(client, seed=seed_of(app_bank, "sql"))  # a second tab asks another question
    right, _ = right_and_wrong(app_bank, first)
    reply = answer(client, first, right)
    assert reply.status_code == 409
    assert ask(client)["score"] == {"right": 0, "answered": 0}


def test_sending_the_same_answer_twice_counts_once(client, app_bank):
    data = ask(client, seed=seed_of(app_bank, "dsp"))
    right, _ = right_and_wrong(app_bank, data)
    first = answer(client, data, right)
    again = answer(client, data, right)
    assert first.status_code == again.status_code == 200
    assert "1 / 1" in again.get_data(as_text=True)
    assert ask(client)["score"] == {"right": 1, "answered": 1}


def test_the_result_has_its_own_address_and_a_reload_resends_nothing(client, app_bank):
    data = ask(client, seed=seed_of(app_bank, "mql"))
    right, _ = right_and_wrong(app_bank, data)
    form = {"token": data["token"], "choice": str(right), "mode": data["mode"],
            "lang": data["language"]}
    posted = client.post("/quiz/answer", data=form)
    assert posted.status_code == 303  # post/redirect/get
    location = posted.headers["Location"]
    assert location.startswith("/quiz/result?") and f"token={data['token']}" in location
    for _ in range(3):  # reloading the result page
        shown = client.get(location)
        assert shown.status_code == 200
        html = shown.get_data(as_text=True)
        assert "Bonne réponse" in html and "1 / 1" in html
    assert ask(client)["score"] == {"right": 1, "answered": 1}
    # another question asked since: the old result's address leads to a new question
    assert client.get("/quiz/result?token=made-up").status_code == 303
    assert client.get("/quiz/result.json?token=made-up").status_code == 303


def test_french_elides_de_before_a_vowel(app, app_bank):
    """"la définition d'opportunité", never "de opportunité"; "de lead" stays."""
    vowels = tuple("aeiouyàâéèêîïôù")
    wanted = {True: None, False: None}  # a wrong choice whose label starts with a vowel, not
    for seed in range(len(app_bank.askable)):
        question = app_bank.question(seed, "fr", "term")
        for index, choice in enumerate(question.choices):
            label = app_bank.entries[choice.uri].term("fr")
            starts = label.lower().startswith(vowels)
            if choice.uri != question.answer and wanted[starts] is None:
                wanted[starts] = (seed, index, label)
    assert None not in wanted.values()
    for starts, (seed, index, label) in wanted.items():
        client = app.test_client()
        data = ask(client, seed=seed, mode="term")
        html = answer(client, data, index).get_data(as_text=True).replace("&#39;", "'")
        article = "d'" if starts else "de "
        assert f"la définition {article}<a" in html and f">{label}</a>" in html.replace(
            "&amp;", "&")


def test_no_choice_asks_the_same_question_again(client, app_bank):
    data = ask(client, seed=seed_of(app_bank, "mql"))
    reply = client.post("/quiz/answer", data={"token": data["token"]})
    assert reply.status_code == 400
    assert "Choisissez une réponse" in reply.get_data(as_text=True)
    right, _ = right_and_wrong(app_bank, data)
    assert "Bonne réponse" in answer(client, data, right).get_data(as_text=True)


def test_questions_do_not_repeat(client, app_bank):
    seen = []
    for _ in range(12):
        data = ask(client, mode="term")
        question = app_bank.question(data["seed"], "fr", "term")
        seen.append(question.answer)
        answer(client, data, question.correct_index)
    assert len(set(seen)) == len(seen)
    assert ask(client)["score"] == {"right": 12, "answered": 12}


def test_reset_starts_again(client, app_bank):
    data = ask(client, seed=seed_of(app_bank, "mql"))
    answer(client, data, 0)
    reply = client.post("/quiz/reset", data={"mode": "term", "lang": "en"})
    assert reply.status_code == 303
    assert reply.headers["Location"].endswith("/quiz?mode=term&lang=en")
    assert ask(client)["score"] == {"right": 0, "answered": 0}


def test_the_interface_speaks_both_languages(client, app_bank, vocabulary):
    seed = seed_of(app_bank, "mql")
    fr = client.get(f"/quiz?seed={seed}&lang=fr").get_data(as_text=True)
    en = client.get(f"/quiz?seed={seed}&lang=en").get_data(as_text=True)
    assert "Quel terme correspond à cette définition" in fr and "Valider" in fr
    assert "Which term matches this definition" in en and "Check my answer" in en
    mql = vocabulary.concepts["mql"]
    assert mql.definition["fr"][:30].replace("'", "&#39;") in fr
    assert mql.definition["en"][:30] in en
    assert '<html lang="en">' in en


def test_bad_parameters_are_400(client):
    assert client.get("/quiz?mode=guess").status_code == 400
    assert client.get("/quiz?seed=abc").status_code == 400
    assert client.get("/quiz?seed=-3").status_code == 400
    assert client.get(f"/quiz?seed={2**60}").status_code == 400
    assert client.get("/quiz?seed=²").status_code == 400
    assert client.get("/quiz?seed=" + "9" * 5000).status_code == 400


def test_the_answer_url_sends_a_browser_back_to_a_question(client):
    reply = client.get("/quiz/answer?lang=en&mode=term")
    assert reply.status_code == 303
    assert reply.headers["Location"].endswith("/quiz?mode=term&lang=en")


def test_the_app_signs_the_quiz_cookie(app):
    assert app.secret_key

"""The quiz in a real browser: click an answer, see the feedback and the score, follow
the link to the concept; with JavaScript off too (a locked-down training room).

Every page load is checked by conftest.py's guard: nothing but 127.0.0.1 is asked
for, and no console or page error happens.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from graph.training.quiz import QuizBank
from tests.support.browser import expect

CONCEPT = "https://w3id.org/crmkg/id/"


@pytest.fixture(scope="module")
def bank(app) -> QuizBank:
    return QuizBank.from_graph(app.extensions["crmkg"].graph)


def seed_of(bank: QuizBank, concept_id: str) -> int:
    return bank.askable.index(CONCEPT + concept_id)


def current_question(page, bank: QuizBank):
    """The question on the page, worked out from its permanent link (?seed=)."""
    href = page.locator(".quiz-footer a[href*='seed=']").get_attribute("href")
    params = parse_qs(urlsplit(href).query)
    return bank.question(int(params["seed"][0]), params["lang"][0], params["mode"][0])


def choose(page, text: str) -> None:
    """Click the label of the choice that reads exactly ``text``."""
    page.locator(".quiz-choices label").filter(
        has=page.get_by_text(text, exact=True)).click()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_answer_by_clicking_then_follow_the_link(new_page, bank, javascript):
    page = new_page(java_script_enabled=javascript)
    page.goto(f"/quiz?seed={seed_of(bank, 'mql')}")
    expect(page.locator("h1")).to_have_text("Quel terme correspond à cette définition ?")
    expect(page.locator(".quiz-score strong")).to_have_text("0 / 0")
    expect(page.locator(".quiz-choices input[type=radio]")).to_have_count(4)

    # a right answer
    choose(page, "lead qualifié marketing (MQL)")
    expect(page.locator(".quiz-choices input:checked")).to_have_count(1)
    page.get_by_role("button", name="Valider").click()
    expect(page.locator(".quiz-feedback h1")).to_have_text("Bonne réponse !")
    expect(page.locator(".quiz-score strong")).to_have_text("1 / 1")
    expect(page.locator(".quiz-answered li.is-correct")).to_contain_text(
        "lead qualifié marketing (MQL)")

    # the next question, answered wrong on purpose
    page.get_by_role("link", name="Question suivante").click()
    expect(page.locator(".quiz-score strong")).to_have_text("1 / 1")
    question = current_question(page, bank)
    assert question.answer != CONCEPT + "mql", "a concept already asked does not come back"
    wrong = next(c for c in question.choices if c.uri != question.answer)
    choose(page, wrong.text)
    page.get_by_role("button", name="Valider").click()
    expect(page.locator(".quiz-feedback h1")).to_have_text("Mauvaise réponse")
    expect(page.locator(".quiz-score strong")).to_have_text("1 / 2")
    right = bank.entries[question.answer]
    expect(page.locator(".quiz-correct-answer")).to_have_text(right.term("fr"))
    expect(page.locator(".quiz-answered li.is-chosen")).to_contain_text("(votre réponse)")

    # the link to the concept
    page.locator("a.quiz-concept-link").click()
    expect(page).to_have_url(f"{urlsplit(page.url).scheme}://{urlsplit(page.url).netloc}"
                             f"/concept/{right.id}")
    expect(page.locator("h1")).to_have_text(right.term("fr"))  # with its acronyms


def test_english_definitions_for_a_term(page, bank):
    page.goto(f"/quiz?lang=en&mode=term&seed={seed_of(bank, 'dsp')}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".quiz-prompt")).to_have_text("demand-side platform (DSP)")
    question = bank.question(seed_of(bank, "dsp"), "en", "term")
    page.locator(".quiz-choices input[type=radio]").nth(question.correct_index).check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.locator(".quiz-feedback h1")).to_have_text("Right answer!")
    expect(page.locator(".quiz-score strong")).to_have_text("1 / 1")
    # the other concepts offered link to their pages too
    expect(page.locator(".quiz-answered a.quiz-choice-concept")).to_have_count(4)


def test_the_browser_will_not_send_an_empty_answer(page, bank):
    page.goto(f"/quiz?seed={seed_of(bank, 'sql')}")
    page.get_by_role("button", name="Valider").click()  # nothing chosen: `required` stops it
    expect(page.locator(".quiz-feedback")).to_have_count(0)
    assert urlsplit(page.url).path == "/quiz"
    assert page.locator(".quiz-choices input").first.evaluate("e => !e.validity.valid")

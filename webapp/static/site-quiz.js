// The quiz of the static site (crmkg site): the server's questions (site/quiz.js,
// window.CRMKG_QUIZ: one per concept and mode, the same seeds as the app's quiz),
// asked and checked in the page. The score is kept for the browser tab
// (sessionStorage), as the app keeps it for the session.
(function () {
  "use strict";

  var english = /^en\b/i.test(document.documentElement.lang || "");
  function say(fr, en) { return english ? en : fr; }

  var form = document.querySelector("form.quiz-question");
  var bank = window.CRMKG_QUIZ;
  if (!form || !bank) { return; }
  var mode = form.elements.mode.value;
  var questions = bank[mode] || [];
  if (!questions.length) { return; }
  var storeKey = "crmkg-quiz-" + (english ? "en" : "fr");
  var asked = null;

  function load() {
    try { return JSON.parse(window.sessionStorage.getItem(storeKey)) || null; } catch (e) { return null; }
  }
  var state = load() || { right: 0, answered: 0, recent: [] };
  function save() {
    try { window.sessionStorage.setItem(storeKey, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }

  function showScore() {
    var score = document.querySelector(".quiz-score strong");
    if (!score) { return; }
    score.textContent = state.right + " / " + state.answered;
    score.setAttribute("data-right", String(state.right));
    score.setAttribute("data-answered", String(state.answered));
  }

  // a question not among the last ones asked (as the app avoids them)
  function pick() {
    var recent = state.recent.slice(-Math.min(60, questions.length - 1));
    var open = questions.filter(function (q) { return recent.indexOf(q.seed) === -1; });
    var pool = open.length ? open : questions;
    return pool[Math.floor(Math.random() * pool.length)];
  }

  var prompt = form.querySelector(".quiz-prompt");
  var list = form.querySelector(".quiz-choices");
  var button = form.querySelector("button[type=submit]");
  var feedback = document.createElement("div");
  feedback.className = "quiz-feedback";
  feedback.setAttribute("role", "status");
  feedback.hidden = true;
  form.parentNode.insertBefore(feedback, form);

  function show(question) {
    asked = question;
    prompt.textContent = question.prompt;
    var items = list.querySelectorAll("li");
    question.choices.forEach(function (choice, i) {
      var item = items[i];
      item.className = "";
      var input = item.querySelector("input");
      input.checked = false;
      input.disabled = false;
      input.value = String(i);
      item.querySelector("label span").textContent = choice.text;
      var tag = item.querySelector(".quiz-tag");
      if (tag) { tag.remove(); }
    });
    feedback.hidden = true;
    feedback.textContent = "";
    button.textContent = say("Valider", "Check my answer");
    button.setAttribute("data-step", "answer");
  }

  function link(concept) {
    var a = document.createElement("a");
    a.href = concept.url;
    a.textContent = concept.label;
    return a;
  }

  function check(choice) {
    var right = choice === asked.answer;
    state.answered += 1;
    state.right += right ? 1 : 0;
    state.recent = state.recent.concat([asked.seed]).slice(-60);
    save();
    showScore();
    var answer = asked.choices[asked.answer].concept;
    feedback.className = "quiz-feedback " + (right ? "quiz-right" : "quiz-wrong");
    feedback.textContent = "";
    var title = document.createElement("h2");
    title.textContent = right ? say("Bonne réponse !", "Right answer!") :
      say("Mauvaise réponse", "Wrong answer");
    feedback.appendChild(title);
    var learn = document.createElement("p");
    learn.className = "quiz-learn";
    learn.appendChild(document.createTextNode(
      (right ? say("Voir la fiche : ", "See the concept: ") :
        say("La bonne réponse était : ", "The right answer was: "))));
    learn.appendChild(link(answer));
    feedback.appendChild(learn);
    feedback.hidden = false;
    list.querySelectorAll("li").forEach(function (item, i) {
      item.querySelector("input").disabled = true;
      if (i === asked.answer || i === choice) {
        item.className = i === asked.answer ? "is-correct" : "is-chosen";
        var tag = document.createElement("em");
        tag.className = "quiz-tag";
        tag.textContent = " " + (i === asked.answer ? say("(bonne réponse)", "(right answer)") :
          say("(votre réponse)", "(your answer)"));
        item.querySelector("label").appendChild(tag);
      }
    });
    button.textContent = say("Question suivante", "Next question");
    button.setAttribute("data-step", "next");
    button.focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (button.getAttribute("data-step") === "next") { show(pick()); return; }
    var chosen = form.querySelector("input[name=choice]:checked");
    if (!chosen) { return; }
    check(Number(chosen.value));
  });

  var reset = document.querySelector("form.quiz-reset");
  if (reset) {
    reset.addEventListener("submit", function (event) {
      event.preventDefault();
      state = { right: 0, answered: 0, recent: [] };
      save();
      showScore();
      show(pick());
    });
  }

  // the page came with the first question of the bank: ask a random one instead
  showScore();
  show(pick());
}());

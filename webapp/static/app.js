// Every page: search suggestions, copy buttons (the tree has its own script: tree.js).
// No framework and no inline handler (the CSP forbids them); every page works
// without this file, which only makes the same links quicker to use.
(function () {
  "use strict";

  var english = /^en\b/i.test(document.documentElement.lang || "");
  function say(fr, en) { return english ? en : fr; }

  // One polite live region, for messages a screen reader should hear.
  var statusRegion = null;
  function announce(message) {
    if (!statusRegion) {
      statusRegion = document.createElement("div");
      statusRegion.className = "visually-hidden";
      statusRegion.setAttribute("role", "status");
      statusRegion.setAttribute("aria-live", "polite");
      document.body.appendChild(statusRegion);
    }
    statusRegion.textContent = "";
    window.setTimeout(function () { statusRegion.textContent = message; }, 50);
  }

  function getJSON(url, signal) {
    return fetch(url, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: signal
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    });
  }

  function withParams(url, params) {
    var target = new URL(url, window.location.href);
    Object.keys(params).forEach(function (key) { target.searchParams.set(key, params[key]); });
    return target.pathname + target.search;
  }

  // ------------------------------------------------------------ autocomplete
  // An ARIA 1.2 combobox: the focus stays in the input, aria-activedescendant
  // names the highlighted option.
  function setUpAutocomplete() {
    var input = document.getElementById("site-search");
    var list = document.getElementById("site-search-list");
    if (!input || !list || !input.getAttribute("data-autocomplete") || !window.fetch) { return; }
    var source = input.getAttribute("data-autocomplete");
    var form = input.form;
    var timer = null;
    var controller = null;
    var active = -1;
    var lastQuery = null;
    var LIMIT = 8;

    function options() { return list.querySelectorAll(".autocomplete-option"); }

    function isOpen() { return !list.hidden; }

    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = options();
      if (!items.length) { return; }
      if (index < 0) { index = items.length - 1; }
      if (index >= items.length) { index = 0; }
      items.forEach(function (item, i) {
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      var current = items[index];
      input.setAttribute("aria-activedescendant", current.id);
      // keep the highlighted option in view without scrolling the page
      var top = current.offsetTop;
      var bottom = top + current.offsetHeight;
      if (top < list.scrollTop) {
        list.scrollTop = top;
      } else if (bottom > list.scrollTop + list.clientHeight) {
        list.scrollTop = bottom - list.clientHeight;
      }
    }

    function go(option) {
      var url = option && option.getAttribute("data-url");
      if (url) { window.location.assign(url); }
    }

    // the part of `text` that matches `query`, in <mark>, as text nodes only
    function labelNodes(text, query) {
      var span = document.createElement("span");
      span.className = "ac-label";
      var lower = text.toLowerCase();
      var at = query ? lower.indexOf(query.toLowerCase()) : -1;
      if (at < 0 || lower.length !== text.length) {
        span.textContent = text;
        return span;
      }
      span.appendChild(document.createTextNode(text.slice(0, at)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(at, at + query.length);
      span.appendChild(mark);
      span.appendChild(document.createTextNode(text.slice(at + query.length)));
      return span;
    }

    function render(query, results) {
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (!results.length) {
        var empty = document.createElement("li");
        empty.className = "autocomplete-empty";
        empty.setAttribute("role", "presentation");
        empty.textContent = say("Aucun terme ne correspond.", "No term matches.");
        list.appendChild(empty);
        if (document.activeElement !== input) { return; }
        open();
        announce(empty.textContent);
        return;
      }
      results.forEach(function (result, i) {
        var item = document.createElement("li");
        item.id = "site-search-option-" + i;
        item.className = "autocomplete-option";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.setAttribute("data-url", result.url);
        var label = String(result.label || "");
        item.appendChild(labelNodes(label, query));
        var matched = String(result.matched || "");
        if (matched && matched !== label) {
          var other = document.createElement("span");
          other.className = "ac-matched";
          other.textContent = "(" + matched + ")";
          item.appendChild(other);
        }
        if (result.definition) {
          var definition = document.createElement("span");
          definition.className = "ac-definition";
          definition.textContent = String(result.definition);
          item.appendChild(definition);
        }
        list.appendChild(item);
      });
      if (document.activeElement !== input) { return; }  // shown again on focus
      open();
      announce(results.length === 1
        ? say("1 suggestion ; flèches haut et bas pour choisir.", "1 suggestion; use the up and down arrows.")
        : say(results.length + " suggestions ; flèches haut et bas pour choisir.",
              results.length + " suggestions; use the up and down arrows."));
    }

    function lookUp() {
      var query = input.value.trim();
      if (!query) { lastQuery = null; list.textContent = ""; close(); return; }
      if (query === lastQuery) { if (list.children.length) { open(); } return; }
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      var url = withParams(source, { q: query, limit: LIMIT });
      // the static site (crmkg site) searches its own label index: see site.js
      var asked = window.crmkgLocalSearch ? window.crmkgLocalSearch(query, LIMIT) :
        getJSON(url, controller && controller.signal);
      asked.then(function (data) {
        if (input.value.trim() !== query) { return; }  // typed on since
        lastQuery = query;
        render(query, (data && data.results) || []);
      }).catch(function (error) {
        if (error && error.name === "AbortError") { return; }
        close();  // the form still works: Enter submits it
      });
    }

    input.addEventListener("input", function () {
      // what was highlighted belongs to the old text: Enter now submits the new one
      if (active >= 0) {
        options().forEach(function (item) { item.setAttribute("aria-selected", "false"); });
        input.removeAttribute("aria-activedescendant");
        active = -1;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(lookUp, 150);
    });

    input.addEventListener("keydown", function (event) {
      var count = options().length;
      switch (event.key) {
        case "ArrowDown":
        case "Down":
          event.preventDefault();
          if (!isOpen()) {
            if (count) { open(); } else { lookUp(); return; }
          }
          highlight(active + 1);
          break;
        case "ArrowUp":
        case "Up":
          event.preventDefault();
          if (!isOpen() && count) { open(); }
          highlight(active - 1);
          break;
        case "Enter":
          if (isOpen() && active >= 0 && options()[active]) {
            event.preventDefault();
            go(options()[active]);
          }
          // else: the form is submitted as usual (full search page)
          break;
        case "Escape":
        case "Esc":
          if (isOpen()) {
            event.preventDefault();
            close();
          }
          break;
        case "Tab":
          close();
          break;
        default:
          break;
      }
    });

    input.addEventListener("focus", function () {
      if (input.value.trim() && input.value.trim() === lastQuery && options().length) { open(); }
    });
    input.addEventListener("blur", function () {
      // a click on an option keeps the focus (mousedown is cancelled below)
      window.setTimeout(function () {
        if (document.activeElement !== input) { close(); }
      }, 100);
    });

    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) {
      var option = event.target.closest(".autocomplete-option");
      if (option) { go(option); }
    });
    list.addEventListener("mousemove", function (event) {
      var option = event.target.closest(".autocomplete-option");
      if (!option) { return; }
      var index = Array.prototype.indexOf.call(options(), option);
      if (index !== active) { highlight(index); }
    });
    document.addEventListener("click", function (event) {
      if (isOpen() && !list.contains(event.target) && event.target !== input) { close(); }
    });
    if (form) {
      form.addEventListener("submit", function () { close(); });
    }
  }

  // ---------------------------------------------------------- copy buttons
  function setUpCopy() {
    function selectText(element) {
      var selection = window.getSelection();
      if (!selection || !element) { return false; }
      var range = document.createRange();
      range.selectNodeContents(element);
      selection.removeAllRanges();
      selection.addRange(range);
      return true;
    }

    // the older way, for pages not served over https or localhost
    function legacyCopy(value, button) {
      var area = document.createElement("textarea");
      area.value = value;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (e) { done = false; }
      document.body.removeChild(area);
      button.focus();
      if (!done) {
        // leave the value selected on the page, ready for Ctrl+C
        var shown = button.parentElement && button.parentElement.querySelector("code");
        selectText(shown);
      }
      return done;
    }

    function feedback(button, ok) {
      if (!button.hasAttribute("data-copy-label")) {
        button.setAttribute("data-copy-label", button.textContent);
      }
      var message = ok ? say("Copié !", "Copied!")
                       : say("Sélectionné : Ctrl+C pour copier", "Selected: press Ctrl+C to copy");
      button.textContent = message;
      button.classList.toggle("copied", ok);
      button.classList.toggle("copy-failed", !ok);
      announce(message);
      window.clearTimeout(button.copyTimer);
      button.copyTimer = window.setTimeout(function () {
        button.textContent = button.getAttribute("data-copy-label");
        button.classList.remove("copied", "copy-failed");
      }, 2000);
    }

    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-copy]");
      if (!button) { return; }
      event.preventDefault();
      var value = button.getAttribute("data-copy");
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(value).then(function () {
          feedback(button, true);
        }, function () {
          feedback(button, legacyCopy(value, button));
        });
      } else {
        feedback(button, legacyCopy(value, button));
      }
    });
  }

  // --------------------------------------------------------------- print
  // The texts in the other language sit in closed <details>: open them for paper.
  function setUpPrint() {
    var opened = [];
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll("main details:not([open])").forEach(function (details) {
        details.open = true;
        opened.push(details);
      });
    });
    window.addEventListener("afterprint", function () {
      opened.forEach(function (details) { details.open = false; });
      opened = [];
    });
  }

  function start() {
    setUpAutocomplete();
    setUpCopy();
    setUpPrint();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

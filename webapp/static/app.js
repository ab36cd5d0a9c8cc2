// Every page: search suggestions, copy buttons, lazy loading of the tree.
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
      getJSON(url, controller && controller.signal).then(function (data) {
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

  // ------------------------------------------------------------------ tree
  // A node whose children were not sent shows a link "+N" to /tree?node=…;
  // with this script the link fetches the JSON twin (data-expand) and adds the
  // children under the node, as the server does for a tree sent whole.
  function setUpTree() {
    if (!document.querySelector(".tree-root")) { return; }

    function node(item, pageHref) {
      var li = document.createElement("li");
      li.setAttribute("data-uri", item.uri);
      li.setAttribute("data-expand", item.expand);
      li.setAttribute("data-children", String(item.children));
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.label;
      li.appendChild(link);
      if (item.children) {
        li.appendChild(document.createTextNode(" "));
        var more = document.createElement("a");
        more.className = "expand";
        more.href = withParams(pageHref, { node: item.uri });
        more.textContent = "+" + item.children;
        more.setAttribute("aria-label", "+" + item.children + " : " +
          say("sous-concepts de ", "narrower concepts of ") + item.label);
        li.appendChild(more);
      }
      return li;
    }

    function expand(li, link) {
      if (li.classList.contains("loading")) { return; }
      li.classList.add("loading");
      li.setAttribute("aria-busy", "true");
      getJSON(li.getAttribute("data-expand")).then(function (data) {
        var nodes = (data && data.nodes) || [];
        var group = document.createElement("ul");
        group.className = "tree";
        group.setAttribute("role", "group");
        nodes.forEach(function (item) { group.appendChild(node(item, link.getAttribute("href"))); });
        var total = (data && data.total) || nodes.length;
        if (data && data.next_page) {
          // a level of thousands of nodes: the rest on the node's own pages
          var rest = document.createElement("li");
          rest.className = "tree-more";
          var restLink = document.createElement("a");
          restLink.href = withParams(link.getAttribute("href"), { page: 2 });
          restLink.textContent = say("… et " + (total - nodes.length) + " autres",
                                     "… and " + (total - nodes.length) + " more");
          rest.appendChild(restLink);
          group.appendChild(rest);
        }
        // same markup as a branch sent by the server: details > summary + ul
        var details = document.createElement("details");
        details.open = true;
        var summary = document.createElement("summary");
        var label = li.querySelector(":scope > a:not(.expand)");
        var count = document.createElement("span");
        count.className = "count";
        count.textContent = String(total);
        if (label) { summary.appendChild(label); }
        summary.appendChild(document.createTextNode(" "));
        summary.appendChild(count);
        details.appendChild(summary);
        details.appendChild(group);
        li.textContent = "";
        li.appendChild(details);
        li.classList.remove("loading");
        li.removeAttribute("aria-busy");
        var first = group.querySelector("a");
        if (first) { first.focus(); }
        announce(nodes.length + " " + say("sous-concepts affichés", "narrower concepts shown"));
      }).catch(function () {
        // fall back on the page that lists the children
        window.location.assign(link.href);
      });
    }

    document.addEventListener("click", function (event) {
      var link = event.target.closest("li[data-expand] > a.expand");
      if (!link || event.defaultPrevented) { return; }
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
        return;  // new tab or window: the link's own page
      }
      event.preventDefault();
      expand(link.parentElement, link);
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
    setUpTree();
    setUpPrint();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

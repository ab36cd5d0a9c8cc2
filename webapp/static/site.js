// The static site (crmkg site) only: what the server does, done in the page.
// - search and autocomplete over the label index that site/search.js gives
//   (window.CRMKG_SEARCH), folded and ranked as graph/query/search.py does;
// - data a page would fetch as JSON, loaded as a script (*.data.js) instead:
//   a page opened from file:// cannot fetch, but it can load a script.
// app.js, map.js and tree.js use window.crmkgLocalSearch and window.crmkgGetData
// when they exist, and the server otherwise.
(function () {
  "use strict";

  var english = /^en\b/i.test(document.documentElement.lang || "");
  function say(fr, en) { return english ? en : fr; }

  // ---------------------------------------------------------------- data
  var waiting = {};
  window.crmkgLoaded = function (src, data) {
    var callbacks = waiting[src];
    delete waiting[src];
    if (callbacks) { callbacks.resolve(data); }
  };

  window.crmkgGetData = function (url) {
    var src = new URL(url, document.baseURI).href;
    return new Promise(function (resolve, reject) {
      waiting[src] = { resolve: resolve, reject: reject };
      var script = document.createElement("script");
      script.src = url;
      script.onerror = function () {
        delete waiting[src];
        reject(new Error(say("fichier de données introuvable : ", "data file not found: ") + url));
      };
      document.head.appendChild(script);
    });
  };

  // -------------------------------------------------------------- search
  // The root of this language's pages, from the page's own relative link to it.
  function root() {
    var meta = document.querySelector('meta[name="crmkg-root"]');
    var home = meta ? meta.getAttribute("content") : "index.html";
    return home.replace(/index\.html$/, "");
  }

  // As graph.text.fold_search: compatibility decomposition, accents dropped, case
  // folded, anything but letters, digits and "_" turned to one space.
  function fold(text) {
    var decomposed = String(text).normalize("NFKD").replace(/\p{Mn}/gu, "");
    var folded = decomposed.toLowerCase().replace(/ß/g, "ss").replace(/ς/g, "σ");
    return folded.replace(/[^\p{L}\p{N}_]+/gu, " ").trim().split(/\s+/).filter(Boolean).join(" ");
  }
  window.crmkgFold = fold;

  function compare(a, b) { return a < b ? -1 : (a > b ? 1 : 0); }

  function order(a, b) {
    return (a.rank - b.rank) || (a.kind - b.kind) || (a.label.length - b.label.length) ||
      compare(a.label.toLowerCase(), b.label.toLowerCase());
  }

  // Best match per concept (exact, then at a word's start, then inside a word).
  function search(text, limit) {
    var index = window.CRMKG_SEARCH;
    var query = fold(text);
    if (!index || !query) { return []; }
    var best = {};
    index.labels.forEach(function (row) {
      var folded = row[0];
      var rank;
      if (folded === query) { rank = 0; } else if (folded.indexOf(query) === 0 ||
          folded.indexOf(" " + query) >= 0) { rank = 1; } else if (folded.indexOf(query) > 0) {
        rank = 2;
      } else { return; }
      var match = { concept: row[1], label: row[2], language: row[3], kind: row[4], rank: rank };
      var known = best[row[1]];
      if (!known || order(match, known) < 0) { best[row[1]] = match; }
    });
    var base = root();
    return Object.keys(best).map(function (key) { return best[key]; }).sort(order)
      .slice(0, limit).map(function (m) {
        var concept = index.concepts[m.concept];
        return {
          label: concept[1], matched: m.label, matched_language: m.language,
          match: ["exact", "prefix", "contains"][m.rank], definition: concept[2],
          url: base + concept[0]
        };
      });
  }
  window.crmkgLocalSearch = function (text, limit) {
    return Promise.resolve({ q: text, results: search(text, limit || 50) });
  };

  // The search page: the results the server would have listed, from the index.
  function showResults() {
    var form = document.querySelector("form.search-page");
    var query = new URLSearchParams(window.location.search).get("q");
    if (!form || !query) { return; }
    form.querySelector("input[name=q]").value = query;
    var header = document.getElementById("site-search");
    if (header) { header.value = query; }
    var results = search(query.trim().slice(0, 200), 50);
    var count = document.createElement("p");
    count.className = "result-count";
    count.setAttribute("role", "status");
    count.textContent = results.length + " " + say("résultat(s) pour", "result(s) for") +
      " « " + query + " »";
    var list = document.createElement("ol");
    list.className = "results";
    results.forEach(function (r) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = r.url;
      link.textContent = r.label;
      item.appendChild(link);
      if (r.matched !== r.label) {
        var matched = document.createElement("span");
        matched.className = "matched";
        matched.textContent = "(" + r.matched + ")";
        item.appendChild(document.createTextNode(" "));
        item.appendChild(matched);
      }
      var definition = document.createElement("p");
      definition.textContent = r.definition;
      item.appendChild(definition);
      list.appendChild(item);
    });
    form.after(count, list);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showResults);
  } else {
    showResults();
  }
}());

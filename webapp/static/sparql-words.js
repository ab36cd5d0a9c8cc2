// The editor's interface (YASGUI, YASQE, YASR, DataTables) in the page's language.
// DataTables takes its words as configuration; YASGUI writes its own in English in its
// code, so the French page rewrites them where they appear: only in the editor's
// buttons, headers and table controls, never in a query or a result.
(function () {
  "use strict";
  var english = /^en\b/i.test(document.documentElement.lang || "");

  // the YASGUI words, as YASGUI writes them, and their French
  var FRENCH = {
    "Table": "Tableau",
    "Response": "Réponse brute",
    "Shows Table view": "Afficher le tableau",
    "Shows Response view": "Afficher la réponse brute",
    "Simple view": "Vue simple",
    "Ellipse": "Abréger",
    "Filter query results": "Filtrer les résultats",
    "Page size:": "Lignes par page :",
    "All": "Toutes",
    "Download Results": "Télécharger les résultats",
    "Download result": "Télécharger les résultats",
    "Download not supported": "Pas de téléchargement pour cette vue",
    "Run query": "Exécuter la requête",
    "Share query": "Partager la requête",
    "Query": "Requête",
    "pagination": "pages",
    "Show more": "Afficher plus",
    "Show less": "Afficher moins",
    "Copy": "Copier",
    "Download": "Télécharger"
  };
  // words with a number in them
  var FRENCH_PATTERNS = [
    [/^(\d+) results? in ([\d.]+) seconds?$/, function (m) {
      return m[1] + (m[1] === "1" ? " résultat" : " résultats") + " en " + m[2].replace(".", ",") + " s";
    }],
    [/^Shows (.+) view$/, function (m) { return "Afficher la vue « " + m[1] + " »"; }],
    [/^(\d+) results?$/, function (m) { return m[1] + (m[1] === "1" ? " résultat" : " résultats"); }],
    [/^Response in ([\d.]+) seconds?$/, function (m) { return "Réponse en " + m[1].replace(".", ",") + " s"; }],
    [/^Showing ([\d,]+) of ([\d,]+) lines?/, function (m) { return m[1] + " lignes sur " + m[2]; }],
    // the tooltip of the editor's mark on a line it cannot read (the words expected follow)
    [/^This line is invalid\. Expected:\s*$/, function () { return "Ligne incorrecte. Attendu :"; }]
  ];
  // the parts of the editor whose words are the interface's (not a query's, not a result's)
  var CHROME = ".yasqe_buttons, .yasr_header, .yasr_fallback_info, .dt-info, .dt-paging, " +
    ".yasr_results .overlay_btn, .yasqe_tooltip";
  var ATTRIBUTES = ["title", "aria-label", "placeholder"];

  function translated(text) {
    var trimmed = text.trim();
    if (!trimmed) { return null; }
    if (Object.prototype.hasOwnProperty.call(FRENCH, trimmed)) {
      return text.replace(trimmed, FRENCH[trimmed]);
    }
    for (var i = 0; i < FRENCH_PATTERNS.length; i++) {
      var found = FRENCH_PATTERNS[i][0].exec(trimmed);
      if (found) { return text.replace(trimmed, FRENCH_PATTERNS[i][1](found)); }
    }
    return null;
  }

  function translateElement(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (var node = root; node; node = walker.nextNode()) {
      if (node.nodeType === 3) {
        var text = translated(node.nodeValue);
        if (text !== null && text !== node.nodeValue) { node.nodeValue = text; }
        continue;
      }
      ATTRIBUTES.forEach(function (name) {
        var value = node.getAttribute(name);
        var french = value && translated(value);
        if (french && french !== value) { node.setAttribute(name, french); }
      });
    }
  }

  // rewrite the words now and whenever the editor redraws them
  function translate(host) {
    if (english || !host || !window.MutationObserver) { return; }
    var scheduled = false;
    function pass() {
      scheduled = false;
      host.querySelectorAll(CHROME).forEach(translateElement);
    }
    new MutationObserver(function () {
      if (!scheduled) {
        scheduled = true;
        window.requestAnimationFrame(pass);
      }
    }).observe(host, { childList: true, subtree: true, characterData: true,
                       attributes: true, attributeFilter: ATTRIBUTES });
    pass();
  }

  // DataTables' own words (YASR's table), as its configuration
  function tableLanguage() {
    var arrows = { first: "«", previous: "‹", next: "›", last: "»" };
    if (english) {
      return { paginate: arrows, thousands: ",",
               aria: { paginate: { first: "First page", previous: "Previous page",
                                   next: "Next page", last: "Last page" } } };
    }
    return {
      paginate: arrows,
      thousands: "\u202f",
      decimal: ",",
      info: "Lignes _START_ à _END_ sur _TOTAL_",
      infoEmpty: "Aucune ligne",
      infoFiltered: "(filtrées parmi _MAX_)",
      emptyTable: "Aucun résultat",
      zeroRecords: "Aucune ligne ne correspond au filtre",
      lengthLabels: { "-1": "Toutes" },
      aria: {
        orderable: " : activer pour trier",
        orderableReverse: " : activer pour inverser le tri",
        orderableRemove: " : activer pour retirer le tri",
        paginate: { first: "Première page", previous: "Page précédente", next: "Page suivante",
                    last: "Dernière page", number: "" }
      }
    };
  }

  window.crmkgSparql = window.crmkgSparql || {};
  window.crmkgSparql.words = { translate: translate, tableLanguage: tableLanguage, french: FRENCH };
})();

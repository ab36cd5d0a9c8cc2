// A failed query on the query page: what went wrong, in the page's language, with the
// server's own message (the parser's, with its line and column) and what to do next.
// YASQE throws the answer's status away (it keeps only the body), so the status of the
// last query request is noted as it comes back (watchStatus).
(function () {
  "use strict";
  var english = /^en\b/i.test(document.documentElement.lang || "");
  function say(fr, en) { return english ? en : fr; }

  // what each status means here: a title and what to do, in both languages
  var KINDS = {
    400: [say("Erreur dans la requête", "Error in the query"),
          say("Corrigez la requête à l'endroit indiqué, puis relancez-la.",
              "Fix the query where the message points, then run it again.")],
    403: [say("Requête refusée", "Query refused"),
          say("Ce point d'accès est en lecture seule et ne contacte aucun autre serveur : " +
              "les mises à jour (INSERT, DELETE, LOAD…), SERVICE et FROM vers un graphe " +
              "extérieur sont refusés.",
              "This endpoint is read-only and never contacts another server: updates " +
              "(INSERT, DELETE, LOAD…), SERVICE and FROM naming an outside graph are refused.")],
    408: [say("Requête trop longue à exécuter", "The query took too long"),
          say("Rendez-la plus sélective (un motif plus précis, un LIMIT), puis relancez-la.",
              "Make it more selective (a narrower pattern, a LIMIT), then run it again.")],
    413: [say("Requête trop longue", "Query too long"),
          say("Raccourcissez la requête ; une longue liste de valeurs tient dans VALUES.",
              "Shorten the query; a long list of values fits in VALUES.")],
    429: [say("Trop de requêtes", "Too many requests"),
          say("Patientez un instant, puis relancez la requête.",
              "Wait a moment, then run the query again.")],
    503: [say("Requête interrompue, ou serveur occupé", "Query stopped, or server busy"),
          say("Rendez la requête plus sélective (un LIMIT), ou réessayez dans un instant.",
              "Make the query more selective (a LIMIT), or try again in a moment.")],
    0: [say("Le serveur ne répond pas", "The server does not answer"),
        say("Vérifiez que l'application tourne toujours, puis relancez la requête.",
            "Check that the application is still running, then run the query again.")]
  };
  var OTHER = [say("Le serveur n'a pas pu répondre à cette requête", "The server could not answer this query"),
               say("Relisez la requête et le message ci-dessous.", "Read the query and the message below again.")];

  // our server's messages (graph/query/, webapp/views/sparql.py), in French
  var FRENCH = [
    [/^Federated queries \(SERVICE\) are disabled/, function () {
      return "Les requêtes fédérées (SERVICE) sont désactivées : ce point d'accès ne contacte jamais d'autres serveurs.";
    }],
    [/^This endpoint is read-only: SPARQL Update \((\w+)\) is not allowed/, function (m) {
      return "Ce point d'accès est en lecture seule : les mises à jour SPARQL (" + m[1] + ") n'y sont pas permises.";
    }],
    [/^this endpoint is read-only; SPARQL Update is not allowed/, function () {
      return "Ce point d'accès est en lecture seule : les mises à jour SPARQL n'y sont pas permises.";
    }],
    [/^Built-in functions of other stores/, function () {
      return "Les fonctions propres à d'autres serveurs (bif:, sql:) ne sont pas permises : certaines accèdent au réseau.";
    }],
    [/^(FROM )?<(.*)>: this endpoint never reads local files/, function (m) {
      return (m[1] || "") + "<" + m[2] + "> : ce point d'accès ne lit jamais de fichiers locaux.";
    }],
    [/^FROM <(.*)>: this endpoint does not fetch remote graphs/, function (m) {
      return "FROM <" + m[1] + "> : ce point d'accès ne va pas chercher de graphes ailleurs ; FROM et " +
        "FROM NAMED ne peuvent nommer que les graphes qu'il contient (voir sa description sur /sparql).";
    }],
    [/^The query was stopped after the time limit of ([\d.]+) s/, function (m) {
      return "La requête a été arrêtée au bout de la limite de " + m[1] + " s.";
    }],
    [/^All query workers stayed busy for the time limit of ([\d.]+) s/, function (m) {
      return "Les processus de requête sont restés occupés pendant toute la limite de " + m[1] + " s.";
    }],
    [/^All query workers are busy/, function () {
      return "Tous les processus de requête sont occupés par de longues requêtes.";
    }],
    [/^The query needed more memory than this endpoint allows/, function () {
      return "La requête a demandé plus de mémoire que ce point d'accès n'en permet.";
    }],
    [/^The worker evaluating the query stopped/, function () {
      return "Le processus qui évaluait la requête s'est arrêté (le plus souvent : la limite de mémoire).";
    }],
    [/^the query has ([\d,]+) characters; this endpoint accepts up to ([\d,]+)/, function (m) {
      return "La requête compte " + m[1].replace(/,/g, "\u202f") + " caractères ; ce point d'accès en accepte au plus " +
        m[2].replace(/,/g, "\u202f") + ".";
    }],
    [/^the query is empty/, function () { return "La requête est vide."; }],
    [/^(The data value transmitted exceeds the capacity limit|exceeds max_body of (\d+))/, function (m) {
      return "La requête envoyée dépasse la taille qu'accepte le serveur" +
        (m[2] ? " (" + m[2].replace(/\B(?=(\d{3})+$)/g, "\u202f") + " octets)." : ".");
    }],
    [/^A query starts with SELECT, ASK, CONSTRUCT or DESCRIBE .*, not with '(.*)' at (\d+):(\d+)/, function (m) {
      return "Une requête commence par SELECT, ASK, CONSTRUCT ou DESCRIBE (après les déclarations BASE et " +
        "PREFIX), pas par « " + m[1] + " » (ligne " + m[2] + ", colonne " + m[3] + ").";
    }],
    [/^The prefix '(.*):' at (\d+):(\d+) is not declared/, function (m) {
      return "Le préfixe « " + m[1] + ": » (ligne " + m[2] + ", colonne " + m[3] + ") n'est pas déclaré : ajoutez " +
        "PREFIX " + m[1] + ": <…> en tête de la requête.";
    }],
    [/^'(.*)' at (\d+):(\d+) \(line:column\) is not a SPARQL keyword/, function (m) {
      return "« " + m[1] + " » (ligne " + m[2] + ", colonne " + m[3] + ") n'est pas un mot-clé SPARQL : séparez " +
        "les mots-clés par une espace.";
    }],
    [/^The query could not be evaluated: /, function () { return "La requête n'a pas pu être évaluée."; }],
    [/^SPARQL syntax error: /, function () { return "La requête contient une erreur de syntaxe."; }]
  ];
  var REASONS = /^(Bad Request|Forbidden|Not Found|Method Not Allowed|Not Acceptable|Request Timeout|Payload Too Large|Request Entity Too Large|Unsupported Media Type|Too Many Requests|Internal Server Error|Service Unavailable|Gateway Timeout|Error)(: *|\s*\n\s*)/;

  // The status and reason of the last query request, as the answer came back.
  function watchStatus(endpoint) {
    var seen = { last: null };
    var original = window.fetch;
    window.fetch = function (input) {
      var answer = original.apply(this, arguments);
      // YASQE sends a Request object to the endpoint; our own look-ups send a URL string
      if (typeof Request !== "undefined" && input instanceof Request && input.url.split("?")[0] === endpoint) {
        seen.last = null;
        answer.then(function (response) {
          seen.last = { status: response.status, reason: response.statusText };
        }, function () { seen.last = { status: 0, reason: "" }; });
      }
      return answer;
    };
    return seen;
  }

  // the server's answer: plain text "Reason: message", or our JSON error shape
  function readMessage(text) {
    text = (text || "").trim();
    try {
      var document = JSON.parse(text);
      if (document && document.ok === false && document.message) {
        return { status: document.status, message: String(document.message) };
      }
    } catch (e) { /* plain text */ }
    // (waitress signs its own answers: not the reader's business)
    return { message: text.replace(REASONS, "").replace(/\s*\(generated by [^)]*\)\s*$/, "") };
  }

  function french(message) {
    for (var i = 0; i < FRENCH.length; i++) {
      var found = FRENCH[i][0].exec(message);
      if (found) { return FRENCH[i][1](found); }
    }
    return null;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  // the message's position ("at 1:25", "error at 3:7"), to take the cursor there
  function position(message) {
    var found = /\bat (\d+):(\d+)\b/.exec(message);
    return found ? { line: +found[1], column: +found[2] } : null;
  }

  function goToButton(where, editor) {
    var button = element("button", "query-error-goto",
      say("Aller à la ligne " + where.line + ", colonne " + where.column,
          "Go to line " + where.line + ", column " + where.column));
    button.type = "button";
    button.addEventListener("click", function () {
      var yasqe = editor();
      if (!yasqe) { return; }
      yasqe.focus();
      yasqe.setCursor({ line: where.line - 1, ch: Math.max(0, where.column - 1) });
      yasqe.scrollIntoView(null, 80);
    });
    return button;
  }

  // what YASR shows in its result area for a failed query (an errorRenderer)
  function render(error, answer, editor) {
    var read = readMessage(error && error.text);
    var status = (answer && answer.status !== undefined ? answer.status : read.status);
    if (status === undefined && error && error.status) { status = error.status; }
    var kind = KINDS[status] || OTHER;
    var box = element("div", "query-error");
    box.setAttribute("role", "alert");
    var title = element("p", "query-error-title");
    title.appendChild(element("strong", "", kind[0]));
    if (status) {
      title.appendChild(document.createTextNode(" "));
      title.appendChild(element("span", "query-error-status",
        "(" + say("code ", "status ") + status + (answer && answer.reason ? " " + answer.reason : "") + ")"));
    }
    box.appendChild(title);
    var translated = english ? null : french(read.message);
    if (translated) { box.appendChild(element("p", "query-error-text", translated)); }
    if (read.message) {
      box.appendChild(element("p", "query-error-label",
        say("Message du serveur (en anglais) :", "The server's message:")));
      var shown = element("pre", "query-error-message", read.message);
      shown.setAttribute("lang", "en");
      box.appendChild(shown);
    }
    var where = position(read.message);
    box.appendChild(element("p", "query-error-hint", kind[1]));
    if (where) { box.appendChild(goToButton(where, editor)); }
    return box;
  }

  window.crmkgSparql = window.crmkgSparql || {};
  window.crmkgSparql.errors = { watchStatus: watchStatus, render: render, readMessage: readMessage, french: french };
})();

// How a value of a SPARQL result is shown on the query page: our IRIs as links to our
// pages (same tab), other IRIs marked as leaving the site, typed literals as values
// ("1", not "1"^^xsd:integer; a date as a date), a literal's language as a discreet tag.
// The same rules, words and markup as the results page: webapp/views/sparql_cells.py and
// templates/sparql/value.html (a browser test compares the two).
(function () {
  "use strict";
  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
  var INTEGERS = ["integer", "int", "long", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt",
    "unsignedShort", "unsignedByte"].map(function (name) { return XSD + name; });
  var DECIMALS = [XSD + "decimal", XSD + "double", XSD + "float"];
  var PLAIN = [XSD + "string", RDF + "langString"];
  var MONTHS = {
    fr: ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
         "octobre", "novembre", "décembre"],
    en: ["January", "February", "March", "April", "May", "June", "July", "August", "September",
         "October", "November", "December"]
  };
  var GROUP = { fr: "\u202f", en: "," };
  var POINT = { fr: ",", en: "." };
  var BOOLEANS = { fr: { "true": "vrai", "1": "vrai", "false": "faux", "0": "faux" },
                   en: { "true": "true", "1": "true", "false": "false", "0": "false" } };
  var TAG_PREFIXES = [[XSD, "xsd:"], [RDF, "rdf:"], ["http://www.w3.org/2000/01/rdf-schema#", "rdfs:"],
                      ["http://www.opengis.net/ont/geosparql#", "geo:"]];
  var DATE = /^(-?\d{4,})-(\d\d)-(\d\d)(Z|[+-]\d\d:\d\d)?$/;
  var DATE_TIME = /^(-?\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?$/;
  var INTEGER = /^([+-]?)(\d+)$/;
  var DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:([eE])([+-]?\d+))?$/;
  var LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;
  // characters that cannot stand in an IRI written in a query (as graph/query/reader.py's iri())
  var NOT_IN_IRI = /[<>"{}|^`\\\u0000-\u0020\ufffd]/;
  var LOOKUP_CHUNK = 400;
  var LOOKUP_AT_MOST = 4000;

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function grouped(digits, lang) {
    var head = digits.length % 3 || 3;
    var groups = [digits.slice(0, head)];
    for (var i = head; i < digits.length; i += 3) { groups.push(digits.slice(i, i + 3)); }
    return groups.join(GROUP[lang]);
  }

  function integer(value, lang) {
    var found = INTEGER.exec(value.trim());
    if (!found) { return null; }
    var digits = found[2].replace(/^0+/, "") || "0";
    return (found[1] === "-" && digits !== "0" ? "-" : "") + grouped(digits, lang);
  }

  function decimal(value, lang) {
    var found = DECIMAL.exec(value.trim());
    if (!found || !(found[2] || found[3])) { return null; }
    var text = (found[1] === "-" ? "-" : "") + grouped(found[2].replace(/^0+/, "") || "0", lang);
    if (found[3]) { text += POINT[lang] + found[3]; }
    if (found[4]) { text += "E" + found[5]; }
    return text;
  }

  function day(year, month, dayOfMonth, lang) {
    var m = parseInt(month, 10), d = parseInt(dayOfMonth, 10);
    if (m < 1 || m > 12 || d < 1 || d > 31) { return null; }
    return d + " " + MONTHS[lang][m - 1] + " " + year;
  }

  function zone(text) {
    if (!text) { return ""; }
    return text === "Z" ? " (UTC)" : " (UTC" + text + ")";
  }

  function date(value, lang) {
    var found = DATE.exec(value.trim());
    var shown = found && day(found[1], found[2], found[3], lang);
    return shown ? shown + zone(found[4]) : null;
  }

  function dateTime(value, lang) {
    var found = DATE_TIME.exec(value.trim());
    var shown = found && day(found[1], found[2], found[3], lang);
    if (!shown || +found[4] > 24 || +found[5] > 59 || +found[6] > 60) { return null; }
    var time = found[4] + ":" + found[5];
    if (found[6] !== "00" || (found[7] || "").replace(/^[.0]+|0+$/g, "")) {
      time += ":" + found[6] + (found[7] || "");
    }
    return shown + (lang === "fr" ? " à " : ", ") + time + zone(found[8]);
  }

  // a typed literal written as a value in lang; null when it is not one we read
  function typedValue(value, datatype, lang) {
    lang = MONTHS[lang] ? lang : "en";
    if (INTEGERS.indexOf(datatype) >= 0) { return integer(value, lang); }
    if (DECIMALS.indexOf(datatype) >= 0) { return decimal(value, lang); }
    if (datatype === XSD + "boolean") {
      return Object.prototype.hasOwnProperty.call(BOOLEANS[lang], value.trim())
        ? BOOLEANS[lang][value.trim()] : null;
    }
    if (datatype === XSD + "date") { return date(value, lang); }
    if (datatype === XSD + "dateTime") { return dateTime(value, lang); }
    return null;
  }

  function tag(datatype) {
    for (var i = 0; i < TAG_PREFIXES.length; i++) {
      var namespace = TAG_PREFIXES[i][0];
      if (datatype.indexOf(namespace) === 0 && datatype.length > namespace.length) {
        return TAG_PREFIXES[i][1] + datatype.slice(namespace.length);
      }
    }
    return "<" + datatype + ">";
  }

  // Our pages: a concept of our namespace at /concept/<id>; any resource the store
  // describes at /entity?uri=… (asked to the endpoint, once per IRI)
  function Pages(options) {
    this.namespace = options.conceptNamespace || "";
    this.conceptPage = options.conceptPage;
    this.entityPage = options.entityPage;
    this.endpoint = options.endpoint;
    this.described = Object.create(null);  // IRI → whether the store describes it
  }

  Pages.prototype.localId = function (iri) {
    if (!this.namespace || iri.indexOf(this.namespace) !== 0) { return null; }
    var rest = iri.slice(this.namespace.length);
    return rest && !/[/?#]/.test(rest) ? rest : null;
  };

  Pages.prototype.pageFor = function (iri) {
    var local = this.localId(iri);
    if (local !== null) { return this.conceptPage + encodeURIComponent(local); }
    if (this.described[iri] === true) { return this.entityPage + "?uri=" + encodeURIComponent(iri); }
    return null;
  };

  // ask the endpoint which of these IRIs the store describes; resolves when known
  Pages.prototype.lookUp = function (iris) {
    var self = this, wanted = [], seen = Object.create(null);
    iris.forEach(function (iri) {
      if (seen[iri] || iri in self.described || self.localId(iri) !== null || NOT_IN_IRI.test(iri)) { return; }
      seen[iri] = true;
      wanted.push(iri);
    });
    wanted = wanted.slice(0, LOOKUP_AT_MOST);
    var asks = [];
    for (var start = 0; start < wanted.length; start += LOOKUP_CHUNK) {
      asks.push(this.ask(wanted.slice(start, start + LOOKUP_CHUNK)));
    }
    return Promise.all(asks).then(function () { return undefined; });
  };

  Pages.prototype.ask = function (iris) {
    var self = this;
    var query = "SELECT DISTINCT ?s WHERE { VALUES ?s { " +
      iris.map(function (iri) { return "<" + iri + ">"; }).join(" ") + " } ?s ?p ?o }";
    return fetch(this.endpoint, {
      method: "POST",
      headers: { "Accept": "application/sparql-results+json",
                 "Content-Type": "application/x-www-form-urlencoded" },
      body: "query=" + encodeURIComponent(query)
    }).then(function (response) {
      if (!response.ok) { return; }  // then they read as outside IRIs, and are asked again
      return response.json().then(function (document) {
        iris.forEach(function (iri) { self.described[iri] = false; });
        document.results.bindings.forEach(function (row) {
          if (row.s && row.s.type === "uri") { self.described[row.s.value] = true; }
        });
      });
    }, function () { return undefined; });
  };

  // one term of the SPARQL JSON results as the reader sees it (sparql_cells.show)
  function show(term, lang, pages) {
    var value = term.value || "";
    if (term.type === "uri") {
      var page = pages.pageFor(value);
      if (page) { return { text: value, href: page }; }
      if (/^https?:\/\//i.test(value)) { return { text: value, href: value, external: true }; }
      return { text: value };
    }
    if (term.type === "bnode") { return { text: "_:" + value }; }
    if (term["xml:lang"]) { return { text: value, lang: term["xml:lang"] }; }
    var datatype = term.datatype || "";
    if (!datatype || PLAIN.indexOf(datatype) >= 0) { return { text: value }; }
    var text = typedValue(value, datatype, lang);
    var exact = '"' + value + '"^^' + tag(datatype);
    if (text === null) { return { text: value, datatype: tag(datatype), exact: exact }; }
    return { text: text, exact: exact, number: INTEGERS.concat(DECIMALS).indexOf(datatype) >= 0 };
  }

  // the markup of templates/sparql/value.html; label is the IRI as written (prefixed)
  function html(shown, say, label) {
    var text = escapeHtml(label || shown.text);
    if (shown.href && shown.external) {
      return '<a class="iri external" href="' + escapeHtml(shown.href) +
        '" rel="external noopener noreferrer">' + text + '<span class="visually-hidden"> ' +
        escapeHtml(say("(site extérieur)", "(external site)")) + "</span></a>";
    }
    if (shown.href) { return '<a class="iri" href="' + escapeHtml(shown.href) + '">' + text + "</a>"; }
    var out = '<span class="value' + (shown.number ? " number" : "") + '"' +
      (shown.lang && LANGUAGE_TAG.test(shown.lang) ? ' lang="' + escapeHtml(shown.lang) + '"' : "") +
      (shown.exact ? ' title="' + escapeHtml(shown.exact) + '"' : "") + ">" + text + "</span>";
    if (shown.lang) {
      out += ' <span class="value-tag" title="' + escapeHtml(say("langue", "language")) + '">' +
        escapeHtml(shown.lang) + "</span>";
    }
    if (shown.datatype) {
      out += ' <span class="value-tag" title="' + escapeHtml(say("type de données", "datatype")) +
        '">' + escapeHtml(shown.datatype) + "</span>";
    }
    return out;
  }

  // an IRI written with one of the query's prefixes, when one fits
  function prefixed(iri, prefixes) {
    for (var name in prefixes) {
      var namespace = prefixes[name];
      if (namespace && iri.indexOf(namespace) === 0 && iri.length > namespace.length) {
        return name + ":" + iri.slice(namespace.length);
      }
    }
    return iri;
  }

  window.crmkgSparql = window.crmkgSparql || {};
  window.crmkgSparql.values = {
    Pages: Pages, show: show, html: html, prefixed: prefixed, typedValue: typedValue,
    escapeHtml: escapeHtml
  };
})();

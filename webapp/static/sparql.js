// The query page: YASGUI, pointed at this endpoint only, with nothing that reaches the
// internet (see static/vendor/README.md for each option and why); its results shown with
// links to our pages and values for typed literals (sparql-values.js), its errors with
// the server's message (sparql-errors.js), its interface in the page's language
// (sparql-words.js); a query kept across reloads and shared by a link (#query=…).
(function () {
  "use strict";
  var english = /^en\b/i.test(document.documentElement.lang || "");
  var lang = english ? "en" : "fr";
  function say(fr, en) { return english ? en : fr; }
  // where the last query is kept in this browser
  var STORE_KEY = "crmkg.sparql.query";

  // the endpoint's absolute URL, from the address this page was loaded from: the server
  // writes only the path (it never repeats the Host header it was sent)
  document.querySelectorAll("[data-absolute-from-location]").forEach(function (element) {
    if (element.hasAttribute("data-copy")) {
      element.setAttribute("data-copy", new URL(element.getAttribute("data-copy"), location.href).href);
    } else {
      element.textContent = new URL(element.textContent, location.href).href;
    }
  });
  var host = document.getElementById("yasgui");
  var parts = window.crmkgSparql;
  if (!host || !window.Yasgui || !parts || !parts.values || !parts.errors || !parts.words) { return; }
  var Yasgui = window.Yasgui;
  // absolute: with a relative endpoint YASR cannot show an error answer ("Failed to
  // construct 'URL'") and the server's message was lost
  var endpoint = new URL(host.getAttribute("data-endpoint"), location.href).href;
  var pages = new parts.values.Pages({
    conceptNamespace: host.getAttribute("data-concept-namespace"),
    conceptPage: host.getAttribute("data-concept-page"),
    entityPage: host.getAttribute("data-entity-page"),
    endpoint: endpoint
  });

  // ------------------------------------------------------------- the query kept
  function kept() {
    try { return window.localStorage.getItem(STORE_KEY); } catch (e) { return null; }
  }
  function keep(query) {
    try { window.localStorage.setItem(STORE_KEY, query); } catch (e) { /* private mode */ }
  }
  // a share link: ours (#query=…), or YASGUI's (#query=…&endpoint=…: only the query is read)
  function sharedQuery() {
    var fragment = location.hash.replace(/^#/, "");
    if (!fragment) { return null; }
    var query = new URLSearchParams(fragment).get("query");
    return query && query.trim() ? query : null;
  }
  function shareLink(query) {
    var url = new URL(location.href);
    url.hash = "";
    return url.href + "#query=" + encodeURIComponent(query);
  }
  function forgetFragment() {
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", location.pathname + location.search);
    }
  }

  // ------------------------------------------------------------- the results table
  function sortable(binding) {
    var shown = parts.values.show(binding, lang, pages);
    return shown.number && isFinite(Number(binding.value)) ? Number(binding.value) : binding.value;
  }

  // YASR's table, with our values, no cut labels, no link to the internet, labelled controls
  function ourTable(Base) {
    return class Table extends Base {
      constructor(yasr) {
        super(yasr);
        this.label = say("Tableau", "Table");
        this.helpReference = undefined;  // its help is on the internet
        this.persistentConfig = { isEllipsed: false };
      }
      initialize() {  // before each drawing: which IRIs have a page here
        var bindings = (this.yasr.results && this.yasr.results.getBindings()) || [];
        var iris = [];
        bindings.forEach(function (row) {
          Object.keys(row).forEach(function (name) {
            if (row[name] && row[name].type === "uri") { iris.push(row[name].value); }
          });
        });
        return pages.lookUp(iris);
      }
      getCellContent(binding, prefixes) {
        var shown = parts.values.show(binding, lang, pages);
        if (this.persistentConfig.compact) { shown.lang = shown.datatype = undefined; }
        var label = binding.type === "uri" ? parts.values.prefixed(binding.value, prefixes || {}) : null;
        return "<div>" + parts.values.html(shown, say, label) + "</div>";
      }
      getColumns() {
        var columns = super.getColumns();
        columns.slice(1).forEach(function (column) {
          var render = column.render;
          column.render = function (data, type, row, meta) {
            if (data !== "" && (type === "sort" || type === "type")) { return sortable(data); }
            if (data !== "" && type === "filter") {
              return data.value + " " + parts.values.show(data, lang, pages).text;
            }
            return render(data, type, row, meta);
          };
        });
        return columns;
      }
      drawControls() {
        super.drawControls();
        var controls = this.tableControls;
        var sizer = controls && controls.querySelector("select.tableSizer");
        var text = controls && controls.querySelector(".pageSizerLabel");
        if (sizer && text) {
          sizer.id = "yasr-page-size";
          var label = document.createElement("label");
          label.className = text.className;
          label.htmlFor = sizer.id;
          label.textContent = say("Lignes par page :", "Rows per page:");
          text.replaceWith(label);
        }
        var filter = controls && controls.querySelector("input.tableFilter");
        if (filter) { filter.type = "search"; }
      }
    };
  }

  // ------------------------------------------------------------- YASGUI
  function configure() {
    // set before the first instance: the LOV property/class autocompleters call the web
    Yasgui.Yasqe.defaults.autocompleters = ["variables", "prefixes"];
    var Table = Yasgui.Yasr.plugins.table;
    Table.defaults.openIriInNewWindow = false;
    Table.defaults.tableConfig.language = parts.words.tableLanguage();
    Yasgui.Yasr.registerPlugin("table", ourTable(Table));
    var answers = parts.errors.watchStatus(endpoint);
    Yasgui.Yasr.defaults.errorRenderers = [function (error) {
      return Promise.resolve(parts.errors.render(error, answers.last, editor));
    }];
  }

  function editor() {
    var tab = window.crmkgYasgui && window.crmkgYasgui.getTab();
    return tab ? tab.getYasqe() : null;
  }

  function run(query) {
    var tab = window.crmkgYasgui.getTab();
    tab.setQuery(query);
    keep(query);
    tab.query().catch(function () { /* shown in the result area */ });
  }

  // the editor's text area named by the heading above it; the result count read out
  function label(yasqe) {
    var input = yasqe.getInputField();
    input.setAttribute("aria-labelledby", "editor-title");
    input.setAttribute("aria-describedby", "editor-help");
    var count = host.querySelector(".yasr_response_chip");
    if (count) { count.setAttribute("aria-live", "polite"); }
  }

  // keep the query in this browser, and the share button's link up to date
  function follow(yasqe) {
    var share = document.querySelector(".share-query");
    var timer = null;
    function update() {
      timer = null;
      var query = yasqe.getValue();
      keep(query);
      if (share) { share.setAttribute("data-copy", shareLink(query)); }
    }
    yasqe.on("change", function () {
      if (timer === null) { timer = window.setTimeout(update, 250); }
    });
    window.addEventListener("pagehide", function () { if (timer !== null) { update(); } });
    update();
    if (share) { share.parentElement.hidden = false; }
  }

  configure();
  var shared = sharedQuery();
  var yasgui = new Yasgui(host, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    copyEndpointOnNewTab: false,
    populateFromUrl: false,  // read below: only the query, never an endpoint or headers
    persistenceId: null,  // YASGUI would keep endpoints and headers too: we keep the query
    tabName: say("Requête", "Query"),
    autofocus: false,
    yasqe: {
      value: shared || kept() || host.getAttribute("data-first-example") ||
        "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
      viewportMargin: Infinity  // every line drawn: the editor grows with the query
    }
  });
  window.crmkgYasgui = yasgui;
  var yasqe = editor();
  label(yasqe);
  follow(yasqe);
  parts.words.translate(host);
  if (shared) {
    forgetFragment();  // a reload then opens the query as edited since
    run(shared);
  }
  window.addEventListener("hashchange", function () {
    var query = sharedQuery();
    if (query) {
      forgetFragment();
      run(query);
      host.scrollIntoView();
    }
  });
  document.querySelectorAll("a.example[data-query]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      run(link.getAttribute("data-query"));
      host.scrollIntoView();
    });
  });
})();

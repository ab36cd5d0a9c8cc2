// The query page: YASGUI, pointed at this endpoint only, with nothing that reaches
// the internet (see static/vendor/README.md for each option and why).
(function () {
  "use strict";
  var host = document.getElementById("yasgui");
  if (!host || !window.Yasgui) { return; }
  var endpoint = host.getAttribute("data-endpoint");
  // set before the first instance: the LOV property/class autocompleters call the web
  window.Yasgui.Yasqe.defaults.autocompleters = ["variables", "prefixes"];
  var yasgui = new window.Yasgui(host, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    copyEndpointOnNewTab: false,
    populateFromUrl: false,
    persistenceId: null,
    yasqe: { value: host.getAttribute("data-first-example") || "SELECT * WHERE { ?s ?p ?o } LIMIT 10" }
  });
  window.crmkgYasgui = yasgui;
  document.querySelectorAll("a.example[data-query]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var tab = yasgui.getTab();
      tab.setQuery(link.getAttribute("data-query"));
      tab.query();
      host.scrollIntoView();
    });
  });
})();

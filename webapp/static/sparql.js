// The query page: YASGUI, pointed at this endpoint only, with nothing that reaches
// the internet (see static/vendor/README.md for each option and why).
(function () {
  "use strict";
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
  if (!host || !window.Yasgui) { return; }
  // absolute: with a relative endpoint YASR cannot show an error answer ("Failed to
  // construct 'URL'") and the server's message was lost
  var endpoint = new URL(host.getAttribute("data-endpoint"), location.href).href;
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

// The form of the concept map page (/map): focus, depth, path, group and relation
// filters. A change re-fetches the map's data and the server-rendered parts of the
// page (summary, path, list), with no page reload; the address bar follows
// (history.pushState), so a view can be shared, and Back returns to the last one.
// map.js calls window.crmkgMapControls.attach(view, form) with its MapView.
(function () {
  "use strict";

  function checkedList(form, name) {
    var boxes = Array.prototype.slice.call(form.querySelectorAll('input[name="' + name + '"]'));
    var checked = boxes.filter(function (b) { return b.checked; }).map(function (b) {
      return b.value;
    });
    if (checked.length === boxes.length) { return null; } // all: no filter
    return checked.length ? checked.join(",") : "none";
  }

  function paramsFromForm(form) {
    var params = new URLSearchParams();
    var value = function (name) { return (form.elements[name].value || "").trim(); };
    if (value("focus")) {
      params.set("focus", value("focus"));
      if (value("depth")) { params.set("depth", value("depth")); }
    }
    ["groups", "relations"].forEach(function (name) {
      var list = checkedList(form, name);
      if (list !== null) { params.set(name, list); }
    });
    if (value("from")) { params.set("from", value("from")); }
    if (value("to")) { params.set("to", value("to")); }
    return params;
  }

  function formFromParams(form, params) {
    ["focus", "from", "to"].forEach(function (name) {
      form.elements[name].value = params.get(name) || "";
    });
    form.elements.depth.value = params.get("depth") || form.elements.depth.defaultValue;
    ["groups", "relations"].forEach(function (name) {
      var wanted = params.getAll(name).join(",").split(",").filter(Boolean);
      form.querySelectorAll('input[name="' + name + '"]').forEach(function (box) {
        box.checked = !wanted.length || wanted.indexOf(box.value) !== -1;
      });
    });
  }

  // the summary, the path and the list come from the page itself, so they are
  // rendered by one template whether or not JavaScript runs
  var REGIONS = ["map-summary", "map-path-result", "map-list"];

  function refreshRegions(pageUrl) {
    return fetch(pageUrl, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var page = new DOMParser().parseFromString(html, "text/html");
        REGIONS.forEach(function (id) {
          var fresh = page.getElementById(id);
          var current = document.getElementById(id);
          if (fresh && current) {
            current.replaceChildren.apply(current, Array.prototype.map.call(
              fresh.childNodes, function (child) { return document.importNode(child, true); }));
          }
        });
      })
      .catch(function () { /* the map itself says when loading fails */ });
  }

  function suggestions(form) {
    var list = document.getElementById("map-suggestions");
    var url = form.getAttribute("data-suggest");
    if (!list || !url) { return; }
    var timer = null;
    var last = "";
    form.querySelectorAll('input[list="map-suggestions"]').forEach(function (input) {
      input.addEventListener("input", function () {
        var q = input.value.trim();
        clearTimeout(timer);
        if (q.length < 2 || q === last) { return; }
        timer = setTimeout(function () {
          last = q;
          fetch(url + "?limit=12&q=" + encodeURIComponent(q), {
            headers: { Accept: "application/json" }, credentials: "same-origin"
          }).then(function (r) { return r.ok ? r.json() : { results: [] }; })
            .then(function (data) {
              var seen = {};
              list.replaceChildren.apply(list, (data.results || []).filter(function (r) {
                var fresh = !seen[r.label];
                seen[r.label] = true;
                return fresh;
              }).map(function (r) {
                var option = document.createElement("option");
                option.value = r.label; // resolved by the server, as an id would be
                return option;
              }));
            }).catch(function () { /* suggestions are a convenience */ });
        }, 150);
      });
    });
  }

  function controls(view, form) {
    var dataBase = new URL(view.container.getAttribute("data-map"), window.location.href);
    var timer = null;
    var clear = document.getElementById("map-path-clear");
    var shown = window.location.search; // the query of the view on screen

    function update(push) {
      clearTimeout(timer);
      var params = paramsFromForm(form);
      var query = params.toString();
      var data = new URL(dataBase.pathname, window.location.href);
      data.search = query;
      var page = window.location.pathname + (query ? "?" + query : "");
      if (push && page !== window.location.pathname + window.location.search) {
        window.history.pushState({ map: query }, "", page);
      }
      shown = window.location.search;
      if (clear) { clear.hidden = !(params.get("from") || params.get("to")); }
      refreshRegions(page);
      return view.load(data.toString());
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      update(true);
    });
    form.addEventListener("change", function (event) {
      if (event.target.type !== "checkbox") { return; }
      view.hold(); // at once: a test or a user sees the map is not ready
      clearTimeout(timer);
      timer = setTimeout(function () { update(true); }, 200);
    });
    if (clear) {
      clear.hidden = !(form.elements.from.value || form.elements.to.value);
      clear.addEventListener("click", function () {
        form.elements.from.value = "";
        form.elements.to.value = "";
        update(true);
      });
    }
    window.addEventListener("popstate", function () {
      // a link to #map-list changes the history too: only a new query is a new view
      if (window.location.search === shown) { return; }
      formFromParams(form, new URLSearchParams(window.location.search));
      update(false);
    });
    suggestions(form);
  }

  window.crmkgMapControls = { attach: controls };
})();

// The concept map (/map) and the neighbourhood mini-map of concept pages, drawn
// with the vendored vis-network from the JSON of /map/data.json.
//
// - #concept-map[data-map]: the full map, driven by the form #map-form (focus,
//   depth, path, group and relation filters). Changes re-fetch the data and the
//   server-rendered parts of the page (summary, path, list): no page reload, and
//   the address bar follows (history.pushState), so a view can be shared.
// - .mini-map[data-map]: the same drawing without controls.
// Every map element gets data-ready="true" once its layout has settled (physics
// is then switched off so that dragging stays cheap); window.crmkgNetwork is the
// vis Network of the main map (or of the first mini-map).
//
// Labels and definitions are only ever handed to vis-network as text (strings
// drawn on the canvas, tooltips built with textContent): never as HTML.
(function () {
  "use strict";

  var LARGE = 100; // nodes: above this, cheaper layout options
  var started = false;

  // vis-network's standalone build adds seven <style> elements to <head> while it
  // loads; our CSP (style-src 'self') refuses them, which logs 14 console errors.
  // When this script runs first (it is listed before vis-network), those elements
  // go to a detached <div> instead; map.css has the few rules the map needs.
  (function keepVisStylesOut() {
    var script = document.querySelector('script[src*="vis-network"]');
    if (window.vis || !script || Object.prototype.hasOwnProperty.call(document, "head")) {
      return;
    }
    var sink = document.createElement("div");
    Object.defineProperty(document, "head", {
      configurable: true,
      get: function () { return sink; }
    });
    var restore = function () {
      if (Object.prototype.hasOwnProperty.call(document, "head")) { delete document.head; }
    };
    script.addEventListener("load", restore);
    script.addEventListener("error", restore);
    document.addEventListener("DOMContentLoaded", restore);
  })();

  // ---- drawing -------------------------------------------------------------

  function textColourOn(hex) {
    // black or white, whichever contrasts more with the background
    var m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex || "");
    if (!m) { return "#000000"; }
    var lum = [m[1], m[2], m[3]].map(function (h) {
      var c = parseInt(h, 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    var l = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2];
    return (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? "#000000" : "#ffffff";
  }

  function tooltip(node, groupLabel) {
    // an element, filled with textContent only: a label or definition holding
    // markup shows as the characters typed
    var box = document.createElement("div");
    box.className = "map-tooltip";
    var title = document.createElement("strong");
    title.textContent = node.label;
    box.appendChild(title);
    if (groupLabel && node.shape !== "box") {
      var group = document.createElement("span");
      group.className = "map-tooltip-group";
      group.textContent = groupLabel;
      box.appendChild(group);
    }
    if (node.title) {
      var definition = document.createElement("p");
      definition.textContent = node.title;
      box.appendChild(definition);
    }
    return box;
  }

  function visData(payload, previous) {
    var large = payload.nodes.length > LARGE;
    var groupLabels = {};
    (payload.groups || []).forEach(function (g) { groupLabels[g.id] = g.label; });
    var onPath = {};
    (payload.path || []).forEach(function (p) { onPath[p.uri] = true; });
    var hasPath = (payload.path || []).length > 0;
    var nodes = payload.nodes.map(function (n) {
      var colour = n.color || "#bbbbbb";
      var isHub = n.shape === "box";
      var isFocus = n.id === payload.focus;
      var node = {
        id: n.id,
        label: n.label,
        url: n.url,
        groupId: n.group,
        shape: n.shape || "dot",
        size: n.size || 14,
        title: tooltip(n, groupLabels[n.group]),
        color: {
          background: colour, border: isFocus || onPath[n.id] ? "#000000" : colour,
          highlight: { background: colour, border: "#000000" },
          hover: { background: colour, border: "#000000" }
        },
        borderWidth: onPath[n.id] ? 4 : (isFocus ? 3 : 1),
        font: isHub
          ? { color: textColourOn(colour), strokeWidth: 0, size: large ? 28 : 20 }
          : { color: "#1a1a1a" }
      };
      // (vis-network takes an undefined option as a value: only set what applies)
      if (isHub) {
        node.shapeProperties = { borderRadius: 4 };
        node.widthConstraint = { maximum: 400 };
      }
      if (hasPath && !onPath[n.id]) { node.opacity = 0.35; }
      if (previous && previous[n.id]) {
        node.x = previous[n.id].x;
        node.y = previous[n.id].y;
      }
      return node;
    });
    var boxes = {};
    payload.nodes.forEach(function (n) { if (n.shape === "box") { boxes[n.id] = true; } });
    var edges = payload.edges.map(function (e) {
      var dim = hasPath && !e.path;
      // on a big map, the many links from a concept up to its top concept are drawn
      // lighter: they would hide the links between concepts
      var faint = large && !e.path && e.relation === "broader" && boxes[e.to];
      var edge = {
        id: e.id,
        from: e.from,
        to: e.to,
        relation: e.relation,
        path: !!e.path,
        title: e.title, // a string: vis-network shows it as text
        dashes: e.dashes || false,
        width: e.width || 1.5,
        color: { color: e.color, highlight: e.color, hover: e.color,
                 opacity: dim ? 0.2 : (faint ? 0.45 : 1) }
      };
      if (e.arrows) { edge.arrows = { to: { enabled: true, scaleFactor: 0.6 } }; }
      return edge;
    });
    return { nodes: nodes, edges: edges };
  }

  function options(count, mini) {
    // Big maps: no Kamada-Kawai start (improvedLayout), a capped stabilisation
    // and straight edges, or the layout takes minutes. Small ones (a
    // neighbourhood, a mini-map) get more room per node and smaller labels,
    // since they are drawn at a scale near 1.
    var large = count > LARGE;
    var small = count <= 30;
    var o = {
      autoResize: true,
      width: "100%",
      height: "100%",
      layout: { improvedLayout: !large, randomSeed: 3 }, // the same map on every visit
      physics: {
        enabled: true,
        solver: "barnesHut",
        barnesHut: {
          gravitationalConstant: small ? -4000 : -3000,
          centralGravity: small ? 0.3 : 0.5,
          springLength: small ? 150 : (large ? 80 : 110),
          springConstant: 0.04,
          damping: 0.2,
          avoidOverlap: 0.6
        },
        stabilization: { enabled: true, iterations: large ? 400 : 800, updateInterval: 20,
                         fit: true }
      },
      edges: { smooth: large ? false : { type: "continuous" },
               hoverWidth: 0.5, selectionWidth: 1 },
      nodes: {
        // canvas units: a whole map of ~150 concepts is drawn at a scale of about 0.4
        font: { size: mini ? 20 : (small ? 15 : (large ? 22 : 18)), face: "system-ui, sans-serif",
                strokeWidth: 5, strokeColor: "#ffffff" },
        widthConstraint: { maximum: large ? 160 : 140 },
        margin: 8
      },
      interaction: {
        hover: true,
        tooltipDelay: 150,
        zoomView: !mini, // a mini-map never takes over the page's scrolling
        dragView: true,
        navigationButtons: false,
        keyboard: false,
        multiselect: false
      }
    };
    return o;
  }

  // One map: a container, its vis Network and the data it shows.
  function MapView(container, mini) {
    this.container = container;
    this.mini = mini;
    this.network = null;
    this.nodes = new window.vis.DataSet();
    this.edges = new window.vis.DataSet();
    this.request = 0;
    this.progress = mini ? null : document.getElementById("map-progress");
  }

  MapView.prototype.text = function (name) {
    return this.container.getAttribute("data-text-" + name) || "";
  };

  // a change is on its way (a fetch, or a filter about to be applied): the map
  // must not say it is ready when the layout of the old data settles meanwhile
  MapView.prototype.hold = function () {
    this.held = true;
    this.setState("loading");
  };

  MapView.prototype.setState = function (state) {
    this.container.setAttribute("data-state", state);
    this.container.setAttribute("data-ready", state === "ready" ? "true" : "false");
  };

  MapView.prototype.showProgress = function (text, percent) {
    if (!this.progress) { return; }
    this.progress.hidden = text === null;
    if (text !== null) {
      document.getElementById("map-progress-text").textContent = text;
      var bar = document.getElementById("map-progress-bar");
      if (percent === null) { bar.removeAttribute("value"); } else { bar.value = percent; }
    }
  };

  MapView.prototype.message = function (text) {
    var box = this.mini ? null : document.getElementById("map-message");
    if (!box) { return; }
    box.textContent = text || "";
    box.hidden = !text;
  };

  MapView.prototype.draw = function (payload) {
    var self = this;
    var previous = this.network ? this.network.getPositions() : null;
    var data = visData(payload, previous);
    this.held = false;
    this.message(data.nodes.length ? "" : this.text("empty"));
    this.container.setAttribute("data-nodes", String(data.nodes.length));
    this.container.setAttribute("data-edges", String(data.edges.length));
    this.container.setAttribute("data-path", (payload.path || []).map(function (p) {
      return p.uri;
    }).join(" "));
    var opts = options(data.nodes.length, this.mini);
    // the same concepts as before (a path, a relation filter, a group hidden):
    // they stay where they are, nothing moves
    var known = previous !== null && data.nodes.every(function (n) { return previous[n.id]; });
    if (this.network) {
      opts.physics.enabled = !known;
      this.network.setOptions(opts);
    }
    this.nodes.clear();
    this.edges.clear();
    this.nodes.add(data.nodes);
    this.edges.add(data.edges);
    if (!this.network) {
      this.container.replaceChildren();
      this.network = new window.vis.Network(this.container,
        { nodes: this.nodes, edges: this.edges }, opts);
      this.bind();
    } else if (!known && data.nodes.length) {
      // new concepts: the layout settles again, from where the others were
      this.network.stabilize(opts.physics.stabilization.iterations);
    }
    if (!data.nodes.length || (known && this.network)) { self.settled(known); }
  };

  MapView.prototype.bind = function () {
    var self = this;
    var network = this.network;
    network.on("startStabilizing", function () {
      if (!self.held) { self.setState("layout"); }
      self.showProgress(self.text("layout"), 0);
    });
    network.on("stabilizationProgress", function (params) {
      self.showProgress(self.text("layout"),
        Math.round(100 * params.iterations / Math.max(1, params.total)));
    });
    network.on("stabilizationIterationsDone", function () { self.settled(); });
    network.on("click", function (params) {
      if (params.nodes.length !== 1) { return; }
      var node = self.nodes.get(params.nodes[0]);
      if (node && node.url) { window.location.assign(node.url); }
    });
    network.on("hoverNode", function () { self.container.classList.add("over-node"); });
    network.on("blurNode", function () { self.container.classList.remove("over-node"); });
  };

  MapView.prototype.settled = function (kept) {
    var self = this;
    if (!this.network) { this.setState("ready"); return; }
    // the layout stays as it is; dragging a node no longer shakes the others
    this.network.setOptions({ physics: { enabled: false } });
    if (!kept) { this.stretch(); }
    this.network.fit({ animation: false });
    // fit() leaves the labels of the outermost nodes half out: a little margin
    this.network.moveTo({ scale: this.network.getScale() * 0.93 });
    this.showProgress(null);
    this.network.once("afterDrawing", function () {
      if (!self.held) { self.setState("ready"); }
    });
    this.network.redraw();
  };

  // The force layout comes out roughly round; a map is wider than high. Spread
  // the settled layout sideways to the shape of the frame: labels are wide, so
  // they gain the most from it.
  MapView.prototype.stretch = function () {
    var positions = this.network.getPositions();
    var ids = Object.keys(positions);
    if (ids.length < 8) { return; }
    var xs = ids.map(function (id) { return positions[id].x; });
    var ys = ids.map(function (id) { return positions[id].y; });
    var width = Math.max.apply(null, xs) - Math.min.apply(null, xs);
    var height = Math.max.apply(null, ys) - Math.min.apply(null, ys);
    var frame = this.container.clientWidth / Math.max(1, this.container.clientHeight);
    if (!width || !height) { return; }
    var factor = Math.min(2, (frame * height) / width);
    if (factor < 1.1) { return; }
    var network = this.network;
    ids.forEach(function (id) { network.moveNode(id, positions[id].x * factor, positions[id].y); });
  };

  MapView.prototype.load = function (url) {
    var self = this;
    var ticket = ++this.request;
    this.hold();
    this.showProgress(this.text("loading"), null);
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (!response.ok) {
            throw new Error(body.message || String(response.status));
          }
          return body;
        });
      })
      .then(function (payload) {
        if (ticket !== self.request) { return; } // a newer request is on its way
        self.payload = payload;
        self.draw(payload);
      })
      .catch(function (error) {
        if (ticket !== self.request) { return; }
        self.held = false;
        self.showProgress(null);
        self.setState("error");
        self.message(self.text("error") + error.message);
      });
  };

  // ---- the controls of /map ------------------------------------------------

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

  // ---- start ---------------------------------------------------------------

  function start() {
    if (started) { return; }
    started = true;
    if (!window.vis || !window.vis.Network) { return; } // the list stays the map
    var main = document.getElementById("concept-map");
    var minis = Array.prototype.slice.call(document.querySelectorAll(".mini-map[data-map]"));
    var views = [];
    if (main && main.getAttribute("data-map")) {
      var view = new MapView(main, false);
      views.push(view);
      var form = document.getElementById("map-form");
      if (form) { controls(view, form); }
    }
    minis.forEach(function (element) { views.push(new MapView(element, true)); });
    views.forEach(function (v) { v.load(v.container.getAttribute("data-map")); });
    if (views.length) {
      // for tests and the console; it is set once the first layout starts
      Object.defineProperty(window, "crmkgNetwork", {
        configurable: true,
        get: function () { return views[0].network; }
      });
      window.crmkgMaps = views;
    }
  }

  if (window.vis) {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();

// The concept map (/map) and the neighbourhood mini-map of concept pages, drawn
// with the vendored vis-network from the JSON of /map/data.json.
//
// - #concept-map[data-map]: the full map, driven by the form #map-form (focus,
//   depth, path, group and relation filters; map-controls.js). Changes re-fetch
//   the data and the server-rendered parts of the page (summary, path, list): no
//   page reload, and the address bar follows (history.pushState).
// - .mini-map[data-map]: the same drawing without controls.
// - data-map="#id" reads the data from the <script type="application/json"> of
//   that id instead (the map-html export, a file with no server behind it).
// The server gives every concept its place (graph/conceptmap/layout.py): nothing
// moves, the map is drawn at once. map-labels.js draws the labels. Every map
// element gets data-ready="true" once drawn; window.crmkgNetwork is the vis
// Network of the main map (or of the first mini-map), window.crmkgMaps the views.
//
// Labels and definitions are only ever handed to vis-network as text (strings
// drawn on the canvas, tooltips and cards built with textContent): never as HTML.
(function () {
  "use strict";

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

  var MARGIN_X = 80; // pixels kept free beside the outermost dots, for their labels
  var MARGIN_Y = 36;
  var MAX_SCALE = 1; // a map of two concepts is not blown up to fill the frame

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

  // places: {id: [x, y]} that replace the nodes' own (the exported file carries the
  // places of a tall frame too, for a phone: it cannot ask a server for them)
  function visData(payload, places) {
    var groupLabels = {};
    (payload.groups || []).forEach(function (g) { groupLabels[g.id] = g.label; });
    var onPath = {};
    (payload.path || []).forEach(function (p) { onPath[p.uri] = true; });
    var hasPath = (payload.path || []).length > 0;
    var nodes = payload.nodes.map(function (n) {
      var colour = n.color || "#bbbbbb";
      var isHub = n.shape === "box";
      var isFocus = n.id === payload.focus;
      // no vis-network label: map-labels.js draws them, legible and apart
      var node = {
        id: n.id,
        text: n.label,
        definition: n.title || "",
        groupLabel: groupLabels[n.group] || "",
        url: n.url,
        rank: n.rank || 0,
        x: places && places[n.id] ? places[n.id][0] : n.x || 0,
        y: places && places[n.id] ? places[n.id][1] : n.y || 0,
        groupId: n.group,
        shape: isHub ? "square" : "dot",
        size: n.size || 10,
        title: tooltip(n, groupLabels[n.group]),
        color: {
          background: colour, border: isFocus || onPath[n.id] ? "#000000" : colour,
          highlight: { background: colour, border: "#000000" },
          hover: { background: colour, border: "#000000" }
        },
        borderWidth: onPath[n.id] ? 4 : (isFocus ? 3 : 1)
      };
      if (hasPath && !onPath[n.id]) { node.opacity = 0.35; }
      if (isHub) { node.textColour = textColourOn(colour) === "#ffffff" ? colour : "#1a1a1a"; }
      return node;
    });
    var edges = payload.edges.map(function (e) {
      var dim = hasPath && !e.path;
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
                 opacity: dim ? 0.2 : (e.relation === "broader" || e.relation === "related" ? 0.55 : 0.9) }
      };
      if (e.arrows) { edge.arrows = { to: { enabled: true, scaleFactor: 0.6 } }; }
      return edge;
    });
    return { nodes: nodes, edges: edges };
  }

  function options(mini) {
    // the places come from the server: no physics, nothing to wait for
    return {
      autoResize: true,
      width: "100%",
      height: "100%",
      layout: { improvedLayout: false },
      physics: { enabled: false },
      edges: { smooth: false, hoverWidth: 0.5, selectionWidth: 1 },
      nodes: { font: { size: 0 }, borderWidth: 1 },
      interaction: {
        hover: true,
        tooltipDelay: 150,
        zoomView: !mini, // a mini-map never takes over the page's scrolling
        dragView: !mini,
        dragNodes: false,
        navigationButtons: false,
        keyboard: false,
        multiselect: false
      }
    };
  }

  // One map: a container, its vis Network and the data it shows.
  function MapView(container, mini) {
    this.container = container;
    this.mini = mini;
    this.network = null;
    this.labels = null;
    this.nodes = new window.vis.DataSet();
    this.edges = new window.vis.DataSet();
    this.request = 0;
    this.payload = null;
    this.tapped = null;
    this.pointer = "mouse";
    this.progress = mini ? null : document.getElementById("map-progress");
    this.card = null;
  }

  MapView.prototype.text = function (name) {
    return this.container.getAttribute("data-text-" + name) || "";
  };

  // a change is on its way (a fetch, or a filter about to be applied): the map
  // must not say it is ready meanwhile
  MapView.prototype.hold = function () {
    this.held = true;
    this.setState("loading");
  };

  MapView.prototype.setState = function (state) {
    this.container.setAttribute("data-state", state);
    this.container.setAttribute("data-ready", state === "ready" ? "true" : "false");
  };

  MapView.prototype.showProgress = function (text) {
    if (!this.progress) { return; }
    this.progress.hidden = text === null;
    if (text !== null) { document.getElementById("map-progress-text").textContent = text; }
  };

  MapView.prototype.message = function (text) {
    var box = this.mini ? null : document.getElementById("map-message");
    if (!box) { return; }
    box.textContent = text || "";
    box.hidden = !text;
  };

  // the frame the whole map is packed for: a phone held upright gets a tall map
  MapView.prototype.shape = function () {
    var w = this.container.clientWidth, h = this.container.clientHeight;
    return h > w * 0.9 ? "tall" : "wide";
  };

  MapView.prototype.draw = function (payload) {
    var self = this;
    var data = visData(payload, (payload.places || {})[this.shape()]);
    this.held = false;
    this.hideCard();
    this.message(data.nodes.length ? "" : this.text("empty"));
    this.container.setAttribute("data-nodes", String(data.nodes.length));
    this.container.setAttribute("data-edges", String(data.edges.length));
    this.container.setAttribute("data-path", (payload.path || []).map(function (p) {
      return p.uri;
    }).join(" "));
    this.nodes.clear();
    this.edges.clear();
    this.nodes.add(data.nodes);
    this.edges.add(data.edges);
    if (!this.network) {
      this.container.replaceChildren();
      this.network = new window.vis.Network(this.container,
        { nodes: this.nodes, edges: this.edges }, options(this.mini));
      this.labels = window.crmkgLabels.attach(this.network, this.nodes, {
        fontSize: this.mini ? 12 : 13,
        important: Math.max(3, Math.round(data.nodes.length * 0.08)),
        first: function () { return self.firstLabels(); },
        bounds: function (scale) { return self.labelBounds(scale); }
      });
      this.bind();
    }
    this.labels.refresh();
    this.letPageScroll();
    this.frame();
    this.showProgress(null);
    this.network.once("afterDrawing", function () {
      if (!self.held) { self.setState("ready"); }
    });
    this.network.redraw();
  };

  // the labels placed first: the focus, then the path in its order
  MapView.prototype.firstLabels = function () {
    var first = {};
    var payload = this.payload || {};
    if (payload.focus) { first[payload.focus] = 0; }
    (payload.path || []).forEach(function (p, i) { first[p.uri] = i + 1; });
    return first;
  };

  // labels stay within the margins the view leaves around the map (see frame), or
  // within the frame when the map, at this zoom, is smaller than it: the area depends
  // on the zoom only, so that moving the map never makes labels come and go
  MapView.prototype.labelBounds = function (scale) {
    var positions = this.network.getPositions();
    var ids = Object.keys(positions);
    if (!ids.length) { return null; }
    var xs = ids.map(function (id) { return positions[id].x; });
    var ys = ids.map(function (id) { return positions[id].y; });
    var left = Math.min.apply(null, xs), right = Math.max.apply(null, xs);
    var top = Math.min.apply(null, ys), bottom = Math.max.apply(null, ys);
    var margin = this.margins();
    var halfWidth = Math.max((right - left) / 2 + margin.x / scale,
                             this.container.clientWidth / 2 / scale);
    var halfHeight = Math.max((bottom - top) / 2 + margin.y / scale,
                              (this.container.clientHeight - 20) / 2 / scale);
    var x = (left + right) / 2, y = (top + bottom) / 2;
    return { left: x - halfWidth, right: x + halfWidth,
             top: y - halfHeight, bottom: y + halfHeight }; // not under the summary
  };

  MapView.prototype.margins = function () {
    var width = this.container.clientWidth, height = this.container.clientHeight;
    return { x: Math.min(MARGIN_X, width * 0.12), y: Math.min(MARGIN_Y, height * 0.08) };
  };

  // The view: the whole map (or the path, when one is shown) fitted to the frame
  // with room for the labels, never zoomed in past MAX_SCALE.
  MapView.prototype.frame = function () {
    var positions = this.network.getPositions();
    var ids = Object.keys(positions);
    var path = (this.payload && this.payload.path || []).map(function (p) { return p.uri; })
      .filter(function (id) { return positions[id]; });
    if (path.length) { ids = path; }
    if (!ids.length) { return; }
    var xs = ids.map(function (id) { return positions[id].x; });
    var ys = ids.map(function (id) { return positions[id].y; });
    var left = Math.min.apply(null, xs), right = Math.max.apply(null, xs);
    var top = Math.min.apply(null, ys), bottom = Math.max.apply(null, ys);
    var width = this.container.clientWidth, height = this.container.clientHeight;
    var margin = this.margins();
    if (path.length) { // more room around a path: its ends' labels stay in the frame
      margin = { x: Math.min(1.5 * MARGIN_X, width * 0.22), y: Math.min(2 * MARGIN_Y, height * 0.1) };
    }
    var scale = Math.min(MAX_SCALE,
      (width - 2 * margin.x) / Math.max(1, right - left),
      (height - 2 * margin.y - 20) / Math.max(1, bottom - top));
    this.network.moveTo({ position: { x: (left + right) / 2, y: (top + bottom) / 2 + 10 / scale },
                          scale: scale, animation: false });
  };

  MapView.prototype.zoom = function (factor) {
    if (!this.network) { return; }
    if (factor === null) { this.frame(); return; }
    this.network.moveTo({ scale: this.network.getScale() * factor, animation: false });
  };

  // vis-network's touch handling (Hammer.js) sets touch-action: none on its canvas,
  // which keeps a finger swiping over the map from scrolling the page. One finger
  // up or down scrolls the page; sideways it moves the map; two fingers zoom.
  MapView.prototype.letPageScroll = function () {
    var canvas = this.container.querySelector("canvas");
    if (canvas) { canvas.style.touchAction = "pan-y"; }
    var frame = this.container.querySelector(".vis-network");
    if (frame) { frame.style.touchAction = "pan-y"; }
  };

  MapView.prototype.open = function (id) {
    var node = this.nodes.get(id);
    if (node && node.url) { window.location.assign(node.url); }
  };

  // A tap shows the concept's definition in a card (a tooltip needs a mouse); a
  // second tap on it, or the card's button, opens its page. A click opens at once,
  // but in the exported file (data-card-always: no pages to open) it shows the card.
  MapView.prototype.select = function (id) {
    if (id === null) { this.hideCard(); return; }
    var cardFirst = this.pointer === "touch" || this.pointer === "pen"
      || this.container.hasAttribute("data-card-always");
    if (!cardFirst) { this.open(id); return; }
    if (this.tapped === id) { this.open(id); return; }
    this.showCard(id);
  };

  MapView.prototype.showCard = function (id) {
    var node = this.nodes.get(id);
    if (!node) { return; }
    if (!this.card) {
      this.card = document.createElement("div");
      this.card.className = "map-card";
      this.card.setAttribute("role", "status");
      this.container.insertAdjacentElement("afterend", this.card);
    }
    var card = this.card;
    var heading = document.createElement("strong");
    heading.textContent = node.text;
    var parts = [heading];
    if (node.groupLabel) {
      var group = document.createElement("span");
      group.className = "map-card-group";
      group.textContent = node.groupLabel;
      parts.push(group);
    }
    var definition = document.createElement("p");
    definition.textContent = node.definition || this.text("no-definition");
    parts.push(definition);
    var actions = document.createElement("p");
    actions.className = "map-card-actions";
    var link = document.createElement("a");
    link.className = "map-card-open";
    link.href = node.url;
    link.textContent = this.text("open") || "→";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "map-card-close";
    close.textContent = this.text("close") || "×";
    close.addEventListener("click", this.hideCard.bind(this));
    actions.appendChild(link);
    actions.appendChild(close);
    parts.push(actions);
    card.replaceChildren.apply(card, parts);
    card.setAttribute("data-id", id);
    // the card never hides the node it is about: over the other half of the map
    var at = this.network.canvasToDOM(this.network.getPosition(id));
    var height = this.container.clientHeight;
    var above = at.y > height / 2;
    card.classList.toggle("map-card-top", above);
    if (!this.mini) { // its text scrolls inside it rather than cover the node
      var room = above ? at.y - 56 - 30 : height - at.y - 30 - 30;
      card.style.maxHeight = Math.max(110, Math.round(room)) + "px";
    }
    card.hidden = false;
    this.tapped = id;
    this.network.selectNodes([id]);
  };

  MapView.prototype.hideCard = function () {
    this.tapped = null;
    if (this.card) { this.card.hidden = true; this.card.removeAttribute("data-id"); }
    if (this.network) { this.network.unselectAll(); }
  };

  MapView.prototype.bind = function () {
    var self = this;
    var network = this.network;
    // which kind of pointer the coming click comes from (vis-network's click does
    // not say it reliably): a finger gets the card first
    this.container.addEventListener("pointerdown", function (event) {
      self.pointer = event.pointerType || "mouse";
    }, true);
    network.on("click", function (params) {
      var id = params.nodes.length === 1 ? params.nodes[0] : self.labels.at(params.pointer.DOM);
      self.select(id === undefined ? null : id);
    });
    network.on("hoverNode", function () { self.container.classList.add("over-node"); });
    network.on("blurNode", function () { self.container.classList.remove("over-node"); });
  };

  MapView.prototype.load = function (url) {
    var self = this;
    var ticket = ++this.request;
    this.hold();
    this.showProgress(this.text("loading"));
    var inline = url.charAt(0) === "#" ? document.getElementById(url.slice(1)) : null;
    // the static site (crmkg site) gives the data as a script: see site.js
    var asked = inline ? Promise.resolve(JSON.parse(inline.textContent)) :
      window.crmkgGetData ? window.crmkgGetData(url) : fetch(
      this.mini ? url : withShape(url, this.shape()),
      { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (!response.ok) {
            throw new Error(body.message || String(response.status));
          }
          return body;
        });
      });
    return asked
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

  function withShape(url, shape) {
    var address = new URL(url, window.location.href);
    if (shape !== "wide") { address.searchParams.set("shape", shape); }
    return address.toString();
  }

  // ---- the exported file: its language buttons -----------------------------

  // <button data-map-language="en" data-map-data="#map-data-en">: the map and the
  // page's texts (elements with lang="fr" / lang="en") switch to that language
  function languages(views) {
    var buttons = document.querySelectorAll("[data-map-language]");
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var lang = button.getAttribute("data-map-language");
        document.documentElement.lang = lang;
        document.documentElement.setAttribute("data-language", lang);
        buttons.forEach(function (b) {
          b.setAttribute("aria-pressed", b === button ? "true" : "false");
        });
        if (views.length) { views[0].load(button.getAttribute("data-map-data")); }
      });
    });
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
      if (form && window.crmkgMapControls) { window.crmkgMapControls.attach(view, form); }
    }
    minis.forEach(function (element) { views.push(new MapView(element, true)); });
    views.forEach(function (v) { v.load(v.container.getAttribute("data-map")); });
    document.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        var factor = button.getAttribute("data-zoom");
        if (views.length) { views[0].zoom(factor === "fit" ? null : parseFloat(factor)); }
      });
    });
    languages(views);
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

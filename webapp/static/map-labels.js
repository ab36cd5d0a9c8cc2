// The labels of the concept map, drawn over vis-network's canvas (map.js, the
// mini-maps and the map-html export all use it).
//
// vis-network draws a label at the node's scale: small when the map is zoomed out,
// one on top of another where concepts are close, wrapped inside words when a
// width is set. Here every label is drawn at a fixed size on the screen (legible
// at any zoom), on one or two lines cut between words only, and a label is drawn
// only where it overlaps no label drawn before it: the most important concepts
// (the focus, the path, then the most linked) are placed first, and zooming in
// makes room for the others. Labels are placed again only when the zoom changes
// (a spot then on screen is preferred), so panning never makes labels come and go.
//
// window.crmkgLabels.attach(network, nodes, options) returns a controller:
//   .drawn()      the labels on screen: [{id, lines, box: {x, y, width, height}}]
//   .at(point)    the node whose label is under a point of the canvas (DOM pixels)
//   .refresh()    forget the placement (new data)
// options: fontSize (px), longest (characters on a line before it is cut),
// important (how many labels, the first, are bold and may cover another dot),
// first() ({id: order} of labels to place before the others), bounds(scale) (the
// canvas area labels must stay in).
(function () {
  "use strict";

  var LINE = 1.25; // line height, in font sizes
  var HALO = 3; // white outline around the letters, in pixels

  // a label on one line, or two cut at the space nearest its middle: never inside a word
  function lines(label, longest) {
    if (label.length <= longest || label.indexOf(" ") === -1) { return [label]; }
    var words = label.split(" ");
    var best = null;
    for (var i = 1; i < words.length; i++) {
      var first = words.slice(0, i).join(" ");
      var second = words.slice(i).join(" ");
      var width = Math.max(first.length, second.length);
      if (best === null || width < best.width) { best = { width: width, lines: [first, second] }; }
    }
    return best.lines;
  }

  function overlaps(a, b) {
    return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  }

  // a grid of the boxes placed so far, so that each new box is checked against its
  // neighbours only
  function Grid(cell) { this.cell = cell; this.cells = {}; }
  Grid.prototype.keys = function (box) {
    var keys = [];
    for (var i = Math.floor(box.x / this.cell); i <= Math.floor((box.x + box.width) / this.cell); i++) {
      for (var j = Math.floor(box.y / this.cell); j <= Math.floor((box.y + box.height) / this.cell); j++) {
        keys.push(i + ":" + j);
      }
    }
    return keys;
  };
  Grid.prototype.hits = function (box, except) {
    var keys = this.keys(box);
    for (var k = 0; k < keys.length; k++) {
      var inCell = this.cells[keys[k]] || [];
      for (var n = 0; n < inCell.length; n++) {
        if (inCell[n].owner !== except && overlaps(box, inCell[n])) { return true; }
      }
    }
    return false;
  };
  Grid.prototype.add = function (box) {
    var self = this;
    this.keys(box).forEach(function (key) { (self.cells[key] = self.cells[key] || []).push(box); });
  };

  function attach(network, nodes, options) {
    options = options || {};
    var size = options.fontSize || 13;
    var longest = options.longest || 18;
    var important = options.important || 0; // this many may cover other dots
    var font = function (bold) {
      return (bold ? "600 " : "") + size + "px system-ui, -apple-system, 'Segoe UI', sans-serif";
    };
    var measure = document.createElement("canvas").getContext("2d");
    var placement = null; // {scale, labels}
    var onScreen = [];

    // the order labels are placed in: the focus, the path, then by rank
    function ordered() {
      var first = options.first ? options.first() : {};
      return nodes.get().filter(function (n) { return n.text; }).sort(function (a, b) {
        var pa = first[a.id] !== undefined ? first[a.id] : Infinity;
        var pb = first[b.id] !== undefined ? first[b.id] : Infinity;
        if (pa !== pb) { return pa - pb; }
        return (a.rank || 0) - (b.rank || 0) || (a.id < b.id ? -1 : 1);
      });
    }

    // where each label goes at this zoom, in canvas units relative to its node
    function place(scale, canvas) {
      var list = ordered();
      // the part of the map on screen as the labels are placed: a spot there is
      // preferred (the ends of a path zoomed to keep their labels in the frame)
      var corner = network.DOMtoCanvas({ x: 0, y: 0 });
      var far = network.DOMtoCanvas({ x: canvas.clientWidth, y: canvas.clientHeight });
      var onScreenNow = function (box) {
        return box.x >= corner.x && box.y >= corner.y
          && box.x + box.width <= far.x && box.y + box.height <= far.y;
      };
      var positions = network.getPositions();
      var grid = new Grid(160 / scale);
      var limits = options.bounds ? options.bounds(scale) : null;
      var inside = function (box) {
        return !limits || (box.x >= limits.left && box.x + box.width <= limits.right
                           && box.y >= limits.top && box.y + box.height <= limits.bottom);
      };
      var result = [];
      var gap = 2 / scale;
      var first = options.first ? options.first() : {};
      list.forEach(function (n) {  // every dot is in the way of other labels
        var p = positions[n.id];
        var r = (n.size || 10) + 1 / scale;
        // the focus's and the path's dots are never covered, even by a bold label
        grid.add({ x: p.x - r, y: p.y - r, width: 2 * r, height: 2 * r, owner: n.id, dot: true,
                   kept: first[n.id] !== undefined });
      });
      list.forEach(function (n, index) {
        var p = positions[n.id];
        var text = lines(n.text, longest);
        var bold = index < important;
        measure.font = font(bold);
        var width = Math.max.apply(null, text.map(function (t) { return measure.measureText(t).width; }));
        var w = (width + 2 * HALO) / scale;
        var h = (text.length * size * LINE + HALO) / scale;
        var r = (n.size || 10);
        var spots = [
          { x: p.x - w / 2, y: p.y + r + gap }, // below
          { x: p.x + r + gap, y: p.y - h / 2 }, // right
          { x: p.x - r - gap - w, y: p.y - h / 2 }, // left
          { x: p.x - w / 2, y: p.y - r - gap - h } // above
        ];
        var boxes = spots.map(function (spot) {
          return { x: spot.x, y: spot.y, width: w, height: h, owner: n.id };
        });
        var free = function (box) { return !grid.hits(box, n.id); };
        // an important label may cover a dot (not the focus's or the path's), never a label
        var coverable = function (box) { return bold && !labelHit(grid, box); };
        var offScreen = function (box) { return !onScreenNow(box); };
        // a spot on screen first, free, then over a dot; only then one off screen
        var chosen = null;
        [[onScreenNow, free], [onScreenNow, coverable], [offScreen, free],
         [offScreen, coverable]].forEach(function (rule) {
          for (var s = 0; s < boxes.length && !chosen; s++) {
            if (rule[0](boxes[s]) && inside(boxes[s]) && rule[1](boxes[s])) { chosen = boxes[s]; }
          }
        });
        if (chosen) {
          chosen.label = true;
          grid.add(chosen);
          result.push({ id: n.id, lines: text, bold: bold, dx: chosen.x - p.x, dy: chosen.y - p.y,
                        width: w, height: h, colour: n.textColour });
        }
      });
      return result;
    }

    function labelHit(grid, box) {
      var keys = grid.keys(box);
      for (var k = 0; k < keys.length; k++) {
        var inCell = grid.cells[keys[k]] || [];
        for (var n = 0; n < inCell.length; n++) {
          if ((inCell[n].label || inCell[n].kept) && inCell[n].owner !== box.owner
              && overlaps(box, inCell[n])) { return true; }
        }
      }
      return false;
    }

    function draw(ctx) {
      var scale = network.getScale();
      if (!placement || Math.abs(placement.scale - scale) > 1e-9) {
        placement = { scale: scale, labels: place(scale, ctx.canvas) };
      }
      var canvas = ctx.canvas;
      var ratio = canvas.width / Math.max(1, canvas.clientWidth);
      var positions = network.getPositions();
      onScreen = [];
      ctx.save();
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.textAlign = "left";
      ctx.textBaseline = "top";
      ctx.lineJoin = "round";
      placement.labels.forEach(function (label) {
        var p = positions[label.id];
        if (!p) { return; }
        var at = network.canvasToDOM({ x: p.x + label.dx, y: p.y + label.dy });
        var box = { x: at.x, y: at.y, width: label.width * scale, height: label.height * scale };
        if (box.x > canvas.clientWidth || box.y > canvas.clientHeight
            || box.x + box.width < 0 || box.y + box.height < 0) { return; }
        ctx.font = font(label.bold);
        ctx.lineWidth = 2 * HALO;
        ctx.strokeStyle = "rgba(255, 255, 255, 0.92)";
        ctx.fillStyle = label.colour || "#1a1a1a";
        label.lines.forEach(function (line, i) {
          var y = at.y + HALO / 2 + i * size * LINE;
          ctx.strokeText(line, at.x + HALO, y);
          ctx.fillText(line, at.x + HALO, y);
        });
        onScreen.push({ id: label.id, lines: label.lines, box: box });
      });
      ctx.restore();
    }

    network.on("afterDrawing", draw);

    return {
      drawn: function () { return onScreen.slice(); },
      at: function (point) {
        for (var i = onScreen.length - 1; i >= 0; i--) {
          var b = onScreen[i].box;
          if (point.x >= b.x && point.x <= b.x + b.width && point.y >= b.y && point.y <= b.y + b.height) {
            return onScreen[i].id;
          }
        }
        return null;
      },
      refresh: function () { placement = null; }
    };
  }

  window.crmkgLabels = { attach: attach, lines: lines };
})();

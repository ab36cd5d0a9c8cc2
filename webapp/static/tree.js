// The hierarchy as an ARIA tree (the WAI-ARIA "navigation treeview" pattern).
// The server sends nested lists of links: without this script each node is one link,
// one Tab stop. With it the whole tree is one Tab stop: the arrow keys move from node
// to node (up, down), open and close a branch (right, left), Home and End go to the
// first and last node, a letter to the next node that starts with it, Enter opens the
// concept. A node whose children were not sent (a large vocabulary) loads them from
// the page's JSON twin when it is opened; the arrow beside a node opens it by mouse.
(function () {
  "use strict";

  var english = /^en\b/i.test(document.documentElement.lang || "");
  function say(fr, en) { return english ? en : fr; }

  function isOpen(item) { return item.getAttribute("aria-expanded") === "true"; }
  function isBranch(item) { return item.hasAttribute("aria-expanded"); }
  function itemOf(li) { return li.querySelector(":scope > a.node"); }
  function groupOf(item) { return item.parentElement.querySelector(":scope > ul.tree"); }

  function visibleItems(tree) {
    return Array.prototype.filter.call(tree.querySelectorAll("a[role=treeitem]"), function (item) {
      return !item.parentElement.closest("ul[hidden]");
    });
  }

  function moveTo(tree, item) {
    if (!item) { return; }
    tree.querySelectorAll("a[role=treeitem][tabindex='0']").forEach(function (other) {
      other.tabIndex = -1;
    });
    item.tabIndex = 0;
    item.focus();
  }

  function countText(n) {
    var count = document.createElement("span");
    count.className = "count";
    count.textContent = String(n);
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " " + say("sous-concept", "narrower concept") + (n > 1 ? "s" : "");
    count.appendChild(hidden);
    return count;
  }

  // one node as the server writes it (li > a.node), for children loaded here
  function newNode(data) {
    var li = document.createElement("li");
    li.setAttribute("data-uri", data.uri);
    li.setAttribute("data-expand", data.expand);
    li.setAttribute("data-branch", data.branch);
    li.setAttribute("data-children", String(data.children));
    var link = document.createElement("a");
    link.className = "node";
    link.href = data.url;
    link.textContent = data.label;
    if (data.children) {
      link.appendChild(document.createTextNode(" "));
      link.appendChild(countText(data.children));
    }
    li.appendChild(link);
    return li;
  }

  function upgrade(li) {
    var item = itemOf(li);
    if (!item) { return; }
    li.setAttribute("role", "none");
    item.setAttribute("role", "treeitem");
    item.tabIndex = -1;
    var group = li.querySelector(":scope > ul.tree");
    var more = li.querySelector(":scope > a.expand");
    if (more) {
      li.setAttribute("data-branch", more.getAttribute("href"));
      more.remove();
    }
    var children = parseInt(li.getAttribute("data-children") || "0", 10);
    if (!group && !children) { return; }
    if (group) { group.setAttribute("role", "group"); }
    item.setAttribute("aria-expanded", group ? "true" : "false");
    li.classList.toggle("open", Boolean(group));
    var twisty = document.createElement("span");
    twisty.className = "twisty";
    twisty.setAttribute("aria-hidden", "true");
    li.insertBefore(twisty, item);
  }

  function load(tree, item) {
    var li = item.parentElement;
    if (li.classList.contains("loading")) { return; }
    li.classList.add("loading");
    item.setAttribute("aria-busy", "true");
    fetch(li.getAttribute("data-expand"), {
      headers: { Accept: "application/json" }, credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      var group = document.createElement("ul");
      group.className = "tree";
      group.setAttribute("role", "group");
      (data.nodes || []).forEach(function (node) {
        var child = newNode(node);
        group.appendChild(child);
        upgrade(child);
      });
      if (data.next_page) {  // a level of thousands of nodes: the rest on its own pages
        var rest = newNode({ uri: "", expand: "", branch: "", children: 0,
                             url: li.getAttribute("data-branch") + "&page=2",
                             label: say("… et " + (data.total - data.nodes.length) + " autres",
                                        "… and " + (data.total - data.nodes.length) + " more") });
        rest.classList.add("tree-more");
        group.appendChild(rest);
        upgrade(rest);
      }
      li.appendChild(group);
      li.classList.remove("loading");
      item.removeAttribute("aria-busy");
      item.setAttribute("aria-expanded", "true");
      li.classList.add("open");
    }).catch(function () {
      window.location.assign(li.getAttribute("data-branch") || item.href);
    });
  }

  function open(tree, item) {
    var group = groupOf(item);
    if (!group) { load(tree, item); return; }
    group.hidden = false;
    item.setAttribute("aria-expanded", "true");
    item.parentElement.classList.add("open");
  }

  function close(item) {
    var group = groupOf(item);
    if (group) { group.hidden = true; }
    item.setAttribute("aria-expanded", "false");
    item.parentElement.classList.remove("open");
  }

  function parentItem(item) {
    var group = item.parentElement.parentElement.closest("li");
    return group ? itemOf(group) : null;
  }

  function nameOf(item) {
    var copy = item.cloneNode(true);
    copy.querySelectorAll(".count").forEach(function (c) { c.remove(); });
    return copy.textContent.trim().toLocaleLowerCase();
  }

  function onKey(tree, event) {
    var item = event.target.closest("a[role=treeitem]");
    if (!item || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var items = visibleItems(tree);
    var at = items.indexOf(item);
    var key = event.key;
    if (key === "ArrowDown") { moveTo(tree, items[at + 1]); }
    else if (key === "ArrowUp") { moveTo(tree, items[at - 1]); }
    else if (key === "Home") { moveTo(tree, items[0]); }
    else if (key === "End") { moveTo(tree, items[items.length - 1]); }
    else if (key === "ArrowRight") {
      if (isBranch(item) && !isOpen(item)) { open(tree, item); }
      else if (isOpen(item)) { moveTo(tree, visibleItems(tree)[at + 1]); }
    } else if (key === "ArrowLeft") {
      if (isOpen(item)) { close(item); } else { moveTo(tree, parentItem(item)); }
    } else if (key === "*") {
      var siblings = item.parentElement.parentElement.querySelectorAll(":scope > li > a.node");
      siblings.forEach(function (other) { if (isBranch(other) && !isOpen(other)) { open(tree, other); } });
    } else if (key.length === 1 && key.trim()) {
      var wanted = key.toLocaleLowerCase();
      var after = items.slice(at + 1).concat(items.slice(0, at + 1));
      var found = after.filter(function (other) { return nameOf(other).charAt(0) === wanted; })[0];
      if (!found) { return; }
      moveTo(tree, found);
    } else { return; }
    event.preventDefault();
  }

  function setUp(root) {
    var tree = root.querySelector(":scope > ul.tree");
    if (!tree) { return; }
    tree.setAttribute("role", "tree");
    tree.setAttribute("aria-label", tree.getAttribute("data-label") || say("Arborescence", "Hierarchy"));
    tree.querySelectorAll("li").forEach(upgrade);
    var first = tree.querySelector("a[role=treeitem]");
    if (first) { first.tabIndex = 0; }
    tree.addEventListener("keydown", function (event) { onKey(tree, event); });
    tree.addEventListener("focusin", function (event) {
      var item = event.target.closest("a[role=treeitem]");
      if (item && item.tabIndex !== 0) { moveTo(tree, item); }
    });
    tree.addEventListener("click", function (event) {
      var twisty = event.target.closest(".twisty");
      if (!twisty) { return; }
      var item = twisty.parentElement.querySelector(":scope > a.node");
      if (isOpen(item)) { close(item); } else { open(tree, item); }
      moveTo(tree, item);
    });
    document.querySelectorAll(".tree-hint[hidden]").forEach(function (hint) { hint.hidden = false; });
  }

  function start() { document.querySelectorAll(".tree-root").forEach(setUp); }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

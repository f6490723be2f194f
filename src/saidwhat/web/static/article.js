// Article page: link the highlighted text and the statement list (hover and click).
// Reads only data-* attributes the server wrote; builds the detail box with DOM text
// nodes (cloneNode of server-rendered, escaped markup), never with innerHTML strings.
(function () {
  "use strict";
  var text = document.getElementById("article-text");
  var detail = document.getElementById("statement-detail");
  if (!text) return;

  function pieces(key) {
    return text.querySelectorAll('[data-st="' + CSS.escape(key) + '"]');
  }
  function item(key) {
    return document.querySelector('.st-item[data-st="' + CSS.escape(key) + '"]');
  }
  function clear(cls) {
    document.querySelectorAll("." + cls).forEach(function (el) { el.classList.remove(cls); });
  }
  function mark(key, cls) {
    clear(cls);
    if (!key) return;
    pieces(key).forEach(function (el) { el.classList.add(cls); });
    var li = item(key);
    if (li) li.classList.add(cls);
  }
  function select(key, scrollText) {
    mark(key, "selected");
    var li = item(key);
    if (!li || !detail) return;
    var copy = li.cloneNode(true);
    copy.removeAttribute("id");
    copy.removeAttribute("tabindex");  // the detail box is a copy, not another stop
    copy.classList.remove("selected", "hover");
    detail.replaceChildren(copy);
    detail.hidden = false;
    if (scrollText) {
      var first = pieces(key)[0];
      if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
    } else {
      li.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  }
  function keyOf(el) {
    var host = el && el.closest ? el.closest("[data-st]") : null;
    return host ? host.getAttribute("data-st") : null;
  }

  text.addEventListener("mouseover", function (e) { mark(keyOf(e.target), "hover"); });
  text.addEventListener("mouseleave", function () { clear("hover"); });
  text.addEventListener("click", function (e) {
    var key = keyOf(e.target);
    if (key) select(key, false);
  });
  document.querySelectorAll(".st-item").forEach(function (li) {
    li.addEventListener("mouseenter", function () { mark(li.getAttribute("data-st"), "hover"); });
    li.addEventListener("mouseleave", function () { clear("hover"); });
    li.addEventListener("click", function (e) {
      if (e.target.closest("a")) return;
      select(li.getAttribute("data-st"), true);
    });
    li.addEventListener("keydown", function (e) {
      // Enter or Space selects; the arrow keys (and j / k) move along the list.
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        select(li.getAttribute("data-st"), true);
        return;
      }
      var step = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1 }[e.key];
      if (!step) return;
      var items = Array.prototype.slice.call(document.querySelectorAll("ol .st-item"));
      var next = items[items.indexOf(li) + step];
      if (next) {
        e.preventDefault();
        next.focus();
      }
    });
  });
  // Arriving from a search result (#st-123): select that statement.
  var m = /^#st-(\d+)$/.exec(window.location.hash);
  if (m) select(m[1], true);
})();

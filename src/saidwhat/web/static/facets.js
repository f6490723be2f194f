// The search page's facets (templates/_facets.html), an enhancement only: without this
// file every box, the sort and each histogram bar still work (the form's Apply button,
// the bars' links). Here: ticking a box or changing the sort submits the form, and a
// drag over the histogram chooses the dates from the first bar to the last one touched.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (form) {
    // empty fields and the default sort stay out of the address (shorter, shareable links)
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.disabled) return;
        if (el.value === "" || (el.name === "sort" && el.value === "newest")) el.disabled = true;
      });
    });
    // back to this page from the next one: its fields are usable again
    window.addEventListener("pageshow", function () {
      Array.prototype.forEach.call(form.elements, function (el) { el.disabled = false; });
    });
    document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () {
        var offset = form.querySelector("input[name=offset]");
        if (offset) offset.remove();
        form.requestSubmit ? form.requestSubmit() : form.submit();
      });
    });
  }

  var box = document.getElementById("histogram");
  if (!box) return;
  var svg = box.querySelector("svg");
  var bars = Array.prototype.slice.call(svg.querySelectorAll("a.bar"));
  var brush = svg.querySelector("rect.brush");
  if (!bars.length) return;
  var start = null;
  var moved = false;

  function indexAt(clientX) {
    var r = svg.getBoundingClientRect();
    var i = Math.floor(((clientX - r.left) / r.width) * bars.length);
    return Math.max(0, Math.min(bars.length - 1, i));
  }

  function draw(a, b) {
    var lo = Math.min(a, b), hi = Math.max(a, b);
    brush.setAttribute("x", String(lo * 10));
    brush.setAttribute("width", String((hi - lo + 1) * 10));
  }

  svg.addEventListener("pointerdown", function (e) {
    if (e.button !== 0) return;
    start = indexAt(e.clientX);
    moved = false;
    svg.setPointerCapture(e.pointerId);
    e.preventDefault();
  });
  svg.addEventListener("pointermove", function (e) {
    if (start === null) return;
    var at = indexAt(e.clientX);
    if (at !== start) moved = true;
    draw(start, at);
  });
  svg.addEventListener("pointerup", function (e) {
    if (start === null) return;
    var end = indexAt(e.clientX);
    var lo = Math.min(start, end), hi = Math.max(start, end);
    start = null;
    var url = new URL(moved ? bars[lo].getAttribute("href") : bars[end].getAttribute("href"), location.href);
    if (moved) url.searchParams.set("until", bars[hi].dataset.until);
    location.assign(url.toString());
  });
  // a drag must not also follow the link the pointer went down on
  bars.forEach(function (bar) {
    bar.addEventListener("click", function (e) { if (e.detail > 0) e.preventDefault(); });
  });
})();

// The review queue by keyboard: j/k next/previous claim, c confirm, x reject, space selects.
// Keys typed into a field are left alone; without this script every button still works.
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-review-queue] [data-claim]"));
  if (!rows.length) return;
  // The first claim is the current one from the start: c, x, c … works through the queue.
  var current = 0;
  rows[0].classList.add("current");

  function go(index) {
    if (index < 0 || index >= rows.length) return;
    if (current >= 0) rows[current].classList.remove("current");
    current = index;
    rows[current].classList.add("current");
    rows[current].focus();
    rows[current].scrollIntoView({ block: "nearest" });
  }

  rows.forEach(function (row, i) {
    row.addEventListener("click", function () {
      if (current >= 0) rows[current].classList.remove("current");
      current = i;
      row.classList.add("current");
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.closest("input, textarea, select, button, [contenteditable]")) return;
    var row = rows[current];
    switch (event.key) {
      case "j": go(current + 1); break;
      case "k": go(Math.max(current - 1, 0)); break;
      case "c": if (row) row.querySelector("[data-confirm]").click(); break;
      case "x": if (row) row.querySelector("[data-reject]").click(); break;
      case " ":
        if (!row) return;
        var box = row.querySelector("input[type=checkbox]");
        box.checked = !box.checked;
        break;
      default: return;
    }
    event.preventDefault();
  });
})();

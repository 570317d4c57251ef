// growthpole report: sortable tables (no dependencies, no network).
(function () {
  "use strict";
  function key(td) {
    if (!td) return "";
    var s = td.getAttribute("data-sort");
    if (s === null) return td.textContent.trim().toLowerCase();
    if (s === "") return null;
    var n = Number(s);
    return isNaN(n) ? s.toLowerCase() : n;
  }
  function sortBy(table, col, th) {
    var tbody = table.tBodies[0];
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    var rows = Array.prototype.slice.call(tbody.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[col]), y = key(b.cells[col]);
      if (x === null && y === null) return 0;
      if (x === null) return 1;   // missing values last, either way
      if (y === null) return -1;
      var c = (typeof x === "number" && typeof y === "number") ? x - y : String(x).localeCompare(String(y));
      return dir === "ascending" ? c : -c;
    });
    rows.forEach(function (r) { tbody.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir);
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      var b = th.querySelector("button");
      if (b) b.addEventListener("click", function () { sortBy(table, i, th); });
    });
  });
})();

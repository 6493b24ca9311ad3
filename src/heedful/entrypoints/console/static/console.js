/* Heedful console: the little the server cannot do. No inline scripts (the CSP forbids them). */
(function () {
  "use strict";

  // A 5xx or a dropped connection swaps nothing: say so in the notice area instead of failing silently.
  function tell(message) {
    var area = document.getElementById("notice");
    if (!area) { return; }
    var p = document.createElement("p");
    p.className = "notice notice-error";
    p.textContent = message;
    area.replaceChildren(p);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status >= 500) { tell(document.body.dataset.failure); }
  });
  document.addEventListener("htmx:sendError", function () { tell(document.body.dataset.failure); });

  // On a phone, tables become stacked rows (console.css): each cell is labelled with the heading
  // of its column. Tables whose rows carry their own headings, or that have none, are left alone.
  function stack(root) {
    root.querySelectorAll("table:not([data-stacked])").forEach(function (table) {
      var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
      if (!head || table.classList.contains("keep-table")) { return; }
      var names = [];
      Array.prototype.forEach.call(head.cells, function (cell) {
        for (var i = 0; i < (cell.colSpan || 1); i += 1) { names.push(cell.textContent.trim()); }
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var column = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (!cell.hasAttribute("data-label")) { cell.setAttribute("data-label", names[column] || ""); }
            column += cell.colSpan || 1;
          });
        });
      });
      table.setAttribute("data-stacked", "");
    });
  }
  document.addEventListener("DOMContentLoaded", function () { stack(document); });
  document.addEventListener("htmx:load", function (event) { stack(event.detail.elt.parentNode || document); });

  // A successful swap clears an old notice, so it never describes a problem that is gone.
  document.addEventListener("htmx:afterSwap", function (event) {
    var area = document.getElementById("notice");
    if (area && event.detail.target !== area) { area.replaceChildren(); }
  });
})();

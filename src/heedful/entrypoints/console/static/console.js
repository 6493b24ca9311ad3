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

  // The inbox by keyboard, as agents know it from help desks: j / k move through the threads and
  // Enter opens one; on a thread r replies, n writes a note, a assigns, e resolves, / picks a
  // canned reply, u goes back to the inbox. Keys typed into a field are the field's.
  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }
  function lines() { return Array.prototype.slice.call(document.querySelectorAll("#threads .thread-line")); }
  function move(step) {
    var all = lines();
    if (!all.length) { return; }
    var at = all.findIndex(function (line) { return line.classList.contains("is-current"); });
    var next = Math.max(0, Math.min(all.length - 1, at < 0 ? 0 : at + step));
    all.forEach(function (line) { line.classList.remove("is-current"); line.removeAttribute("aria-current"); });
    all[next].classList.add("is-current");
    all[next].setAttribute("aria-current", "true");
    var link = all[next].querySelector("a");
    if (link) { link.focus(); }
  }
  function focus(id) {
    var field = document.getElementById(id);
    if (!field) { return false; }
    field.focus();
    return true;
  }
  function resolve() {
    var status = document.getElementById("thread-status-select");
    if (!status || !status.form) { return; }
    status.value = "resolved";
    status.form.requestSubmit();
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var handled = true;
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "r": handled = focus("reply-body"); break;
      case "n": handled = focus("note-body"); break;
      case "a": handled = focus("assign-agent"); break;
      case "/": handled = focus("canned-choice"); break;
      case "e": resolve(); break;
      case "u": if (document.getElementById("thread-body")) { window.location.href = "/console/inbox"; } else { handled = false; } break;
      default: handled = false;
    }
    if (handled) { event.preventDefault(); }
  });
})();

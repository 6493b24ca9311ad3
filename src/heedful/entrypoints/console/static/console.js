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

  // A successful swap clears an old notice, so it never describes a problem that is gone.
  document.addEventListener("htmx:afterSwap", function (event) {
    var area = document.getElementById("notice");
    if (area && event.detail.target !== area) { area.replaceChildren(); }
  });
})();

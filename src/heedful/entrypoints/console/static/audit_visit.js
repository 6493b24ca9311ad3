/* An evaluator's visit (audits/visit.html): the check-in position, and a draft kept on the phone.
 *
 * The draft lives in localStorage under the visit and the server version the page showed. Until the
 * server holds something newer (a save or a submission changes the version), a reload or a page
 * opened again offline brings her answers back. A visit that is no longer editable forgets it.
 */
(function () {
  "use strict";
  var form = document.getElementById("visit-form");
  if (!form) { return; }
  var key = "heedful-visit-" + form.dataset.visit;
  var store = null;
  try { store = window.localStorage; } catch (e) { store = null; }

  if (form.dataset.editable !== "yes") {
    if (store) { store.removeItem(key); }
    return;
  }

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name.indexOf("answer:") === 0 || (el.name && el.name.indexOf("na:") === 0);
    });
  }

  function keep() {
    if (!store) { return; }
    var values = {};
    fields().forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        values[el.id] = el.checked;
      } else {
        values[el.id] = el.value;
      }
    });
    try {
      store.setItem(key, JSON.stringify({ version: form.dataset.version, values: values }));
      var note = document.getElementById("offline-note");
      if (note) { note.hidden = false; }
    } catch (e) { /* full or private mode: the server draft still works */ }
  }

  function restore() {
    if (!store) { return; }
    var kept = null;
    try { kept = JSON.parse(store.getItem(key) || "null"); } catch (e) { kept = null; }
    if (!kept || kept.version !== form.dataset.version) {
      store.removeItem(key); // the server holds something newer than this phone's copy
      return;
    }
    fields().forEach(function (el) {
      if (!(el.id in kept.values)) { return; }
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = kept.values[el.id] === true;
      } else {
        el.value = kept.values[el.id];
      }
    });
  }

  restore();
  form.addEventListener("input", keep);
  form.addEventListener("change", keep);

  // Check-in: the position when the phone allows it, else the time alone. Never waits forever.
  var located = false;
  form.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.check-in-button") : null;
    if (!button || located || !navigator.geolocation) { return; }
    event.preventDefault();
    var sent = false;
    function send() {
      if (sent) { return; }
      sent = true;
      located = true;
      if (form.requestSubmit) { form.requestSubmit(button); } else { button.click(); }
    }
    navigator.geolocation.getCurrentPosition(function (position) {
      form.elements.latitude.value = String(position.coords.latitude);
      form.elements.longitude.value = String(position.coords.longitude);
      send();
    }, send, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
    window.setTimeout(send, 12000);
  });
})();

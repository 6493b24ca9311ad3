/* The playbook form (playbooks/_form.html) and the JSON text area are two views of one document.
 *
 * Each field carries the JSON path it writes (data-path). Typing in a field sets that value in the
 * document and rewrites the JSON; adding or removing a row, or choosing another kind of action,
 * changes the document and asks the server to draw the form again. Every change asks the server
 * what read_playbook says (debounced) and shows the message next to the field its path names.
 * Without this script the form stays hidden and the text area is the editor.
 */
(function () {
  "use strict";
  var editor = document.getElementById("editor");
  var source = document.getElementById("playbook-source");
  if (!editor || !source || !window.fetch) { return; }
  var headers = {};
  try { headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}"); } catch (e) { headers = {}; }
  var waiting = null;
  var asked = 0;

  function form() { return document.getElementById("playbook-form"); }

  function steps(path) {
    var out = [];
    path.replace(/([A-Za-z_]+)|\[(\d+)\]/g, function (_, key, index) {
      out.push(key !== undefined && key !== "" ? key : Number(index));
      return "";
    });
    return out;
  }

  function read() {
    // Lines starting with // are notes (playbooks.py drops them too).
    var text = source.value.split("\n").map(function (line) { return /^\s*\/\//.test(line) ? "" : line; }).join("\n");
    try { return JSON.parse(text); } catch (e) { return null; }
  }

  function write(doc) { source.value = JSON.stringify(doc, null, 2); }

  function parentOf(doc, path, make) {
    var keys = steps(path), node = doc;
    for (var i = 0; i < keys.length - 1; i += 1) {
      if (node[keys[i]] === undefined || node[keys[i]] === null) {
        if (!make) { return null; }
        node[keys[i]] = typeof keys[i + 1] === "number" ? [] : {};
      }
      node = node[keys[i]];
    }
    return { node: node, key: keys[keys.length - 1] };
  }

  function walk(doc, keys) {
    var node = doc;
    for (var i = 0; i < keys.length; i += 1) {
      if (node === null || typeof node !== "object") { return null; }
      node = node[keys[i]];
    }
    return node;
  }

  // Empty objects left behind by a cleared optional field go too (customer.preference = {}).
  function prune(doc, path) {
    var keys = steps(path);
    for (var n = keys.length - 1; n >= 1; n -= 1) {
      var holder = walk(doc, keys.slice(0, n - 1)), key = keys[n - 1];
      var node = holder && holder[key];
      var hollow = node && typeof node === "object" && !Array.isArray(node) && Object.keys(node).length === 0;
      if (!hollow || Array.isArray(holder)) { return; }
      delete holder[key];
    }
  }

  function valueOf(field) {
    var kind = field.dataset.type, text = field.value;
    if (kind === "list") {
      return Array.prototype.filter.call(form().querySelectorAll("[data-path=\"" + field.dataset.path + "\"]"), function (box) {
        return box.checked;
      }).map(function (box) { return box.value; });
    }
    if (kind === "int") { return /^-?\d+$/.test(text.trim()) ? parseInt(text.trim(), 10) : text; }
    if (kind === "json") {
      try { return JSON.parse(text); } catch (e) { return text; }
    }
    return text;
  }

  function empty(field, value) {
    if (field.dataset.type === "list") { return value.length === 0; }
    return field.hasAttribute("data-optional") && field.value.trim() === "";
  }

  function set(field) {
    var doc = read();
    if (!doc) { return; }
    var value = valueOf(field), at = parentOf(doc, field.dataset.path, true);
    if (empty(field, value)) { delete at.node[at.key]; prune(doc, field.dataset.path); } else { at.node[at.key] = value; }
    write(doc);
    later(check);
  }

  function later(job) {
    window.clearTimeout(waiting);
    waiting = window.setTimeout(job, 400);
  }

  function post(url) {
    var body = new URLSearchParams();
    body.set("source", source.value);
    return window.fetch(url, { method: "POST", headers: headers, body: body, credentials: "same-origin" });
  }

  function show(errors) {
    var root = form();
    if (!root) { return; }
    root.querySelectorAll("[data-error-for]").forEach(function (p) { p.hidden = true; p.textContent = ""; });
    root.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    var top = root.querySelector("[data-error-top]");
    top.hidden = true; top.textContent = "";
    errors.forEach(function (error) {
      // The longest path the form shows that the error's path starts with: the field or its row.
      var best = null;
      root.querySelectorAll("[data-error-for]").forEach(function (p) {
        var path = p.dataset.errorFor;
        var inside = error.path === path || error.path.indexOf(path + ".") === 0 || error.path.indexOf(path + "[") === 0;
        if (inside && (!best || path.length > best.dataset.errorFor.length)) { best = p; }
      });
      var place = best || top;
      place.textContent = (best && best.dataset.errorFor === error.path ? "" : (error.label ? error.label + ": " : "")) + error.message;
      place.hidden = false;
      if (best) {
        var field = root.querySelector("[data-path=\"" + best.dataset.errorFor + "\"]");
        if (field && field.matches("input, select")) { field.setAttribute("aria-invalid", "true"); }
      }
    });
  }

  function check() {
    var mine = asked += 1;
    post(form().dataset.validateUrl).then(function (answer) { return answer.json(); }).then(function (found) {
      if (mine === asked) { show(found.errors || []); }
    }).catch(function () { /* the next change asks again */ });
  }

  function redraw() {
    post(form().dataset.formUrl).then(function (answer) { return answer.text(); }).then(function (html) {
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var fresh = holder.querySelector("#playbook-form");
      if (!fresh) { return; }
      fresh.hidden = false;
      form().replaceWith(fresh);
      check();
    });
  }

  function restructure(field) {
    var doc = read();
    if (!doc) { return; }
    if (field.dataset.restructure === "action") {
      var blank = JSON.parse(field.options[field.selectedIndex].dataset.blank);
      var at = parentOf(doc, field.dataset.path.replace(/\.do$/, ""), false);
      at.node[at.key] = blank;
    } else if (field.dataset.restructure === "trigger") {
      var old = doc.trigger || {}, where = old.where;
      doc.trigger = field.value === "state" ? { state: "stays", horizon: { days_ahead: 1 } } : { event: field.dataset.event };
      if (where) { doc.trigger.where = where; }
    }
    write(doc);
    redraw();
  }

  editor.addEventListener("input", function (event) {
    var field = event.target;
    if (field === source) { later(function () { if (read()) { redraw(); } }); return; }
    if (field.dataset.path && !field.dataset.restructure && field.type !== "checkbox") { set(field); }
  });
  editor.addEventListener("change", function (event) {
    var field = event.target;
    if (field.dataset.restructure) { restructure(field); return; }
    if (field.dataset.path && (field.type === "checkbox" || field.tagName === "SELECT")) { set(field); }
  });
  editor.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-add], button[data-remove]");
    if (!button) { return; }
    var doc = read();
    if (!doc) { return; }
    if (button.dataset.add) {
      var at = parentOf(doc, button.dataset.add, true);
      if (!Array.isArray(at.node[at.key])) { at.node[at.key] = []; }
      at.node[at.key].push(JSON.parse(button.dataset.blank));
    } else {
      var gone = parentOf(doc, button.dataset.remove, false);
      if (gone && Array.isArray(gone.node)) { gone.node.splice(gone.key, 1); }
    }
    write(doc);
    redraw();
  });

  var first = form();
  if (first) { first.hidden = false; check(); }
}());

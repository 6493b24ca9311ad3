/* The chat page: send to the public chat API, poll it every two seconds for replies. */
(function () {
  "use strict";
  var POLL_MS = 2000;
  var root = document.getElementById("chat");
  var form = document.getElementById("chat-form");
  if (!root || !form) { return; }
  var list = document.getElementById("messages");
  var error = document.getElementById("chat-error");
  var token = root.dataset.token || "";
  var cursor = parseInt(root.dataset.cursor || "0", 10) || 0;
  var seen = {};
  var polling = null;
  Array.prototype.forEach.call(list.children, function (li) { seen[li.dataset.id] = true; });

  function remember(value) {
    // Scoped to this page: each location's chat keeps its own conversation.
    var cookie = "heedful_chat=" + encodeURIComponent(value) + "; path=" + location.pathname +
      "; max-age=" + 60 * 60 * 24 * 30;
    cookie += location.protocol === "https:" ? "; samesite=none; secure" : "; samesite=lax";
    document.cookie = cookie;
  }

  function show(message) {
    if (seen[message.id]) { return; }
    seen[message.id] = true;
    var li = document.createElement("li");
    li.className = "message " + (message.direction === "in" ? "mine" : "theirs");
    li.dataset.id = message.id;
    li.dataset.sequence = message.sequence;
    var author = document.createElement("span");
    author.className = "author";
    author.textContent = message.direction === "in" ? root.dataset.you : message.author_label;
    var body = document.createElement("span");
    body.className = "body";
    body.textContent = message.body;
    li.append(author, body);
    list.append(li);
    li.scrollIntoView({block: "end"});
    if (message.sequence > cursor) { cursor = message.sequence; }
  }

  function poll() {
    if (!token) { return; }
    fetch("/api/v1/conversations/chat/" + encodeURIComponent(token) + "/messages?after=" + cursor,
          {headers: {"Accept": "application/json"}, credentials: "omit"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (page) {
        if (!page) { return; }
        page.items.forEach(show);
        if (page.cursor > cursor) { cursor = page.cursor; }
      })
      .catch(function () { /* the next poll tries again */ });
  }

  function startPolling() {
    if (polling === null && token) { polling = setInterval(poll, POLL_MS); }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = form.elements.text.value.trim();
    if (!text) { return; }
    var body = {text: text, language: root.dataset.language, location_id: root.dataset.locationId};
    if (token) {
      body.visitor_token = token;
    } else {
      if (form.elements.name.value.trim()) { body.name = form.elements.name.value.trim(); }
      if (form.elements.email.value.trim()) { body.email = form.elements.email.value.trim(); }
    }
    var button = form.querySelector("button");
    button.disabled = true;
    error.hidden = true;
    fetch("/api/v1/conversations/chat", {
      method: "POST",
      headers: {"Content-Type": "application/json", "Accept": "application/json"},
      credentials: "omit",
      body: JSON.stringify(body)
    })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (answer) {
        if (!token) {
          token = answer.visitor_token;
          remember(token);
          form.querySelector(".who").hidden = true;
        }
        show(answer.message);
        form.elements.text.value = "";
        startPolling();
      })
      .catch(function () {
        error.textContent = root.dataset.failed;
        error.hidden = false;
      })
      .finally(function () { button.disabled = false; });
  });

  startPolling();
})();

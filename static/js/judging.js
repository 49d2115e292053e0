/* Score sheet on a tablet: every tap is saved at once by a small JSON POST; taps not yet
   acknowledged stay in localStorage (kept across reloads) and are retried until saved.
   Each criterion's levels are native radios (one tab stop, arrow keys move within); the
   Submit button stays disabled and the line above it names the criteria still to score. */
(function () {
  "use strict";
  var root = document.getElementById("score-sheet");
  if (!root || root.dataset.editable !== "true") return;

  var key = "ideathon-sheet:" + root.dataset.sheet;
  var url = root.dataset.saveUrl;
  var retryTimer = null;
  var inFlight = {};

  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "{}") || {}; } catch (e) { return {}; }
  }
  function store(pending) {
    try {
      if (Object.keys(pending).length) localStorage.setItem(key, JSON.stringify(pending));
      else localStorage.removeItem(key);
    } catch (e) { /* storage full or private mode: the server copy still counts */ }
  }
  function setPending(name, value) { var p = load(); p[name] = value; store(p); }
  function clearPending(name, value) {
    var p = load();
    if (name in p && p[name] === value) { delete p[name]; store(p); }
  }

  function criterionBox(id) { return root.querySelector('.criterion[data-criterion="' + id + '"]'); }
  function showStatus(id, state, text) {
    var box = criterionBox(id);
    if (!box) return;
    var status = box.querySelector(".criterion-status");
    status.dataset.status = state;
    status.textContent = text || root.dataset["msg" + state.charAt(0).toUpperCase() + state.slice(1)] || "";
    updateSubmit();
  }
  function select(id, value) {
    var box = criterionBox(id);
    if (!box) return;
    box.classList.remove("is-unscored");
    box.classList.add("is-scored");
    box.querySelectorAll(".level-radio").forEach(function (radio) {
      radio.checked = radio.value === value;
    });
  }
  function updateSubmit() {
    var button = root.querySelector("[data-submit-sheet]");
    if (!button) return;
    var missing = [], pending = false;
    root.querySelectorAll(".criterion").forEach(function (box) {
      if (!box.querySelector(".level-radio:checked")) missing.push(box.dataset.name);
      else if (box.querySelector(".criterion-status").dataset.status !== "saved") pending = true;
    });
    button.disabled = missing.length > 0 || pending;
    var hint = document.getElementById("submit-hint");
    if (!hint) return;
    var text = missing.length ? root.dataset.msgMissing.replace("%(names)s", missing.join(", "))
      : pending ? root.dataset.msgPending : root.dataset.msgReady;
    if (hint.textContent.trim() !== text) hint.textContent = text;
  }

  function post(body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": window.ideathon.csrfToken() },
      body: JSON.stringify(body)
    });
  }

  /* One request at a time per criterion: a quick second choice (an arrow key, a second tap)
     waits for the first answer, so the server always ends with the last choice. */
  var busy = {}, queued = {};
  function send(name, value) {
    var isComment = name === "comment";
    var id = isComment ? null : name.slice(2);
    var token = name + "=" + value;
    inFlight[name] = token;
    if (id) showStatus(id, "saving");
    if (busy[name]) { queued[name] = value; return; }
    busy[name] = true;
    var body = isComment ? { comment: value } : { criterion: id, value: value };
    post(body).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (inFlight[name] !== token) return; // a newer choice of the same criterion follows
        if (response.ok) {
          clearPending(name, value);
          if (id) showStatus(id, "saved");
          else commentStatus(root.dataset.msgSaved);
        } else if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
          clearPending(name, value); // refused for good (closed, submitted, out of range): say why
          if (id) showStatus(id, "error", data.error || response.statusText);
          else commentStatus(data.error || response.statusText);
        } else {
          throw new Error("retry");
        }
      });
    }).catch(function () {
      if (inFlight[name] !== token) return;
      if (id) showStatus(id, "unsaved");
      else commentStatus(root.dataset.msgUnsaved);
      scheduleRetry();
    }).then(function () {
      busy[name] = false;
      if (name in queued) {
        var next = queued[name];
        delete queued[name];
        send(name, next);
      }
    });
  }

  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, 4000);
  }
  function flush() {
    var pending = load();
    Object.keys(pending).forEach(function (name) { send(name, pending[name]); });
  }

  var comment = root.querySelector("[data-comment]");
  var commentTimer = null;
  function commentStatus(text) {
    var el = root.querySelector(".comment-status");
    if (el) el.textContent = text || "";
  }

  root.addEventListener("change", function (event) {
    var radio = event.target;
    if (!radio.classList || !radio.classList.contains("level-radio") || radio.disabled) return;
    var id = radio.dataset.criterion, value = radio.value;
    select(id, value);
    setPending("c:" + id, value);
    send("c:" + id, value);
  });
  if (comment) {
    comment.addEventListener("input", function () {
      setPending("comment", comment.value);
      commentStatus(root.dataset.msgSaving);
      clearTimeout(commentTimer);
      commentTimer = setTimeout(function () { send("comment", comment.value); }, 700);
    });
  }
  window.addEventListener("online", flush);

  // Taps made before a reload (or while offline) come back and are sent again.
  var pending = load();
  Object.keys(pending).forEach(function (name) {
    if (name === "comment") { if (comment) comment.value = pending[name]; }
    else { select(name.slice(2), pending[name]); showStatus(name.slice(2), "unsaved"); }
  });
  updateSubmit();
  flush();
})();

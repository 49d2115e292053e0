/* Score sheet on a tablet: every tap is saved at once by a small JSON POST; taps not yet
   acknowledged stay in localStorage (kept across reloads) and are retried until saved. */
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
    box.querySelectorAll(".level").forEach(function (b) {
      b.setAttribute("aria-checked", b.dataset.value === value ? "true" : "false");
    });
  }
  function updateSubmit() {
    var button = root.querySelector("[data-submit-sheet]");
    if (!button) return;
    var boxes = root.querySelectorAll(".criterion");
    var ready = Array.prototype.every.call(boxes, function (b) {
      return b.querySelector(".criterion-status").dataset.status === "saved";
    });
    button.disabled = !ready;
  }

  function post(body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": window.ideathon.csrfToken() },
      body: JSON.stringify(body)
    });
  }

  function send(name, value) {
    var isComment = name === "comment";
    var id = isComment ? null : name.slice(2);
    var token = name + "=" + value;
    inFlight[name] = token;
    if (id) showStatus(id, "saving");
    var body = isComment ? { comment: value } : { criterion: id, value: value };
    post(body).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (inFlight[name] !== token) return; // a newer tap of the same criterion is on its way
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

  root.addEventListener("click", function (event) {
    var button = event.target.closest(".level");
    if (!button || button.disabled) return;
    var id = button.dataset.criterion, value = button.dataset.value;
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

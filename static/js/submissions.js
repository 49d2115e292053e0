/* The idea form: cooperative fields follow the team choice; Send without a connection keeps
   the idea on this device (idea-queue.js: its one-time token, every field, the attachment) and
   sends it once the site answers again (background sync where the browser has it, else the
   `online` event, each page load and a retry every 30 s): each idea then gets its receipt code,
   shown on the list below the form (docs/offline.md). A kiosk moves on to a blank form at once.
   The kiosk's "start over" asks first (a modal dialog), then clears the draft; a kiosk left
   alone asks "Still there?", then erases the form; the kiosk receipt stays until "Done", or
   gives way to a blank form after its safety timeout, replacing itself in the history (Back
   never shows it). No framework. */
(function () {
  "use strict";

  var RETRY_MS = 30000;
  var form = document.getElementById("idea-form");
  var queue = window.ideathonIdeaQueue;
  var panel = document.getElementById("offline-queue");
  var saved = document.getElementById("queued-message");

  function newToken() {  /* 24 random bytes, URL-safe base64: services.TOKEN_PATTERN */
    var bytes = new Uint8Array(24);
    crypto.getRandomValues(bytes);
    return btoa(String.fromCharCode.apply(null, bytes))
      .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, name) { return values[name]; });
  }

  function timeOf(ms) {
    return new Date(ms).toLocaleTimeString(document.documentElement.lang, {
      hour: "2-digit", minute: "2-digit"
    });
  }

  /* The list of ideas kept on this device: its state, never what a participant typed. */
  function showQueue() {
    if (!queue || !panel) return Promise.resolve();
    var texts = panel.dataset;
    var list = document.getElementById("offline-queue-list");
    return queue.all().then(function (items) {
      var here = items.filter(function (item) { return item.url === form.getAttribute("action"); });
      list.textContent = "";
      here.forEach(function (item) {
        var line = document.createElement("li");
        line.className = "offline-item py-1 border-bottom";
        line.dataset.state = item.status;
        var text = document.createElement("span");
        if (item.status === "sent") text.textContent = fill(texts.textSent, { code: item.code });
        else if (item.status === "refused") {
          text.textContent = fill(texts.textRefused, { reason: item.error });
          text.className = "text-danger";
        } else if (item.status === "reentering") text.textContent = texts.textReentering;
        else text.textContent = fill(texts.textPending, { time: timeOf(item.savedAt) });
        line.appendChild(text);
        if (item.status === "sent" && texts.kiosk !== "yes" && item.receiptUrl) {
          var link = document.createElement("a");
          link.href = item.receiptUrl;
          link.className = "btn btn-link btn-touch";
          link.textContent = texts.textReceipt;
          line.appendChild(document.createTextNode(" "));
          line.appendChild(link);
        }
        if (item.status === "refused" || item.status === "reentering") {
          var again = document.createElement("button");
          again.type = "button";
          again.className = "btn btn-outline-secondary btn-touch ms-2";
          again.textContent = texts.textReenter;
          again.addEventListener("click", function () { reenter(item); });
          line.appendChild(again);
        }
        list.appendChild(line);
      });
      panel.hidden = here.length === 0;
    });
  }

  function sendQueue() {
    if (!queue) return Promise.resolve();
    return queue.flush().then(showQueue);
  }

  /* The form as it was sent: every field but the file, which is kept as a Blob. */
  function keepIdea() {
    var fields = [];
    var file = null;
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string") fields.push([name, value]);
      else if (value && value.size) file = value;
    });
    var action = form.getAttribute("action");
    var item = {
      token: form.elements.submit_token.value,
      url: action,
      postUrl: action + (action.indexOf("?") < 0 ? "?" : "&") + "lang=" + document.documentElement.lang,
      fields: fields,
      file: file,
      fileName: file ? file.name : null,
      version: form.elements.form_version.value,
      savedAt: Date.now(),
      status: "pending"
    };
    return queue.put(item);
  }

  /* Nothing of this participant stays on the screen: every field emptied, messages gone. */
  function blank() {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.type === "hidden" || el.type === "submit" || el.type === "button") return;
      if (el.type === "checkbox" || el.type === "radio") el.checked = false;
      else if (el.tagName === "SELECT") el.selectedIndex = 0;
      else el.value = "";
      el.classList.remove("is-invalid");
      el.removeAttribute("aria-invalid");
    });
    form.querySelectorAll(".invalid-feedback").forEach(function (m) { m.textContent = ""; });
    var errors = document.getElementById("form-errors");
    if (errors) errors.remove();
    form.elements.submit_token.value = newToken();
    if (form.dataset.draftKey) {
      try { localStorage.removeItem("ideathon-draft:" + form.dataset.draftKey); } catch (e) { /* ignore */ }
    }
    form.dispatchEvent(new Event("change"));
  }

  function reenter(item) {
    blank();
    item.fields.forEach(function (pair) {
      var name = pair[0];
      if (name === "csrf_token" || name === "form_version") return;
      var controls = form.querySelectorAll('[name="' + name + '"]');
      Array.prototype.forEach.call(controls, function (el) {
        if (el.type === "checkbox") el.checked = true;
        else if (el.type === "radio") el.checked = el.value === pair[1];
        else el.value = pair[1];
      });
    });
    form.dispatchEvent(new Event("change"));
    item.status = "reentering";
    queue.put(item).then(showQueue);
    form.querySelector("input:not([type=hidden]), textarea").focus();
  }

  function saveOffline() {
    return keepIdea().then(function () {
      blank();
      saved.hidden = false;
      window.scrollTo(0, 0);
      saved.focus();
      return window.ideathon.offline.ready();
    }).then(function (registration) {
      if (registration && registration.sync) {
        return registration.sync.register("ideathon-ideas").catch(function () { return null; });
      }
      return null;
    }).then(showQueue);
  }

  if (form) {
    var coop = form.querySelector(".cooperative-fields");
    var sync = function () {
      var chosen = form.querySelector('input[name="team_kind"]:checked');
      if (coop) coop.hidden = !(chosen && chosen.value === "cooperative");
    };
    form.addEventListener("change", sync);
    sync();
    if (window.ideathon.offline && window.ideathon.offline.isCopy) {
      form.elements.submit_token.value = newToken();  /* a kept page's token is not this idea's */
    }

    var sending = false;
    var button = document.getElementById("submit-idea");
    var done = function () {
      sending = false;
      if (button) button.removeAttribute("aria-busy");
    };
    form.addEventListener("submit", function (event) {
      /* One tap is enough: the server also ignores repeats of the same form (one-time token). */
      event.preventDefault();
      if (sending) return;
      sending = true;
      /* form.submit() sends no button: "Add a member" (the form back, one row longer) says so. */
      if (event.submitter && event.submitter.name) {
        var pressed = document.createElement("input");
        pressed.type = "hidden";
        pressed.name = event.submitter.name;
        pressed.value = event.submitter.value;
        form.appendChild(pressed);
      }
      if (button) button.setAttribute("aria-busy", "true");
      saved.hidden = true;
      var offline = function () {
        if (!queue) { done(); return; }
        saveOffline().then(done, done);
      };
      if (navigator.onLine === false) { offline(); return; }
      /* A small request first: when the site cannot be reached, the idea is kept here. */
      fetch(form.dataset.pingUrl, { cache: "no-store", credentials: "same-origin" })
        .then(function () {
          var token = form.elements.submit_token.value;
          var sendNow = function () {
            HTMLFormElement.prototype.submit.call(form);
            setTimeout(done, 15000);  /* a connection dropped while sending: allow a resend */
          };
          if (!queue) { sendNow(); return; }
          /* An idea put back in the form leaves the list: the form sends it now. */
          queue.remove(token).then(sendNow, sendNow);
        })
        .catch(offline);
    });

    if (queue) {
      showQueue().then(sendQueue);
      window.addEventListener("online", sendQueue);
      setInterval(function () { if (navigator.onLine !== false) sendQueue(); }, RETRY_MS);
      if ("serviceWorker" in navigator) {
        navigator.serviceWorker.addEventListener("message", function (event) {
          if (event.data && event.data.type === "ideas-synced") showQueue();
        });
      }
    }

    /* Team members: the empty rows after the first wait behind "Add a member", which shows the
       next one; once every row shows, the button asks the server for one more. */
    var team = form.querySelector("[data-team-members]");
    if (team) {
      var addMember = team.querySelector("[data-add-member]");
      var rows = Array.prototype.slice.call(team.querySelectorAll("[data-member-row]"));
      var filled = function (row) {
        return Array.prototype.some.call(row.querySelectorAll("input, select"), function (field) {
          return field.type === "checkbox" ? false : field.value.trim() !== "";
        }) || row.querySelector(".is-invalid") !== null;
      };
      var last = 0;
      rows.forEach(function (row, index) { if (filled(row)) last = index; });
      rows.forEach(function (row, index) { row.hidden = index > last; });
      /* "Remove this member" empties the row and puts it away (an empty row is not sent). */
      rows.forEach(function (row) {
        var remove = row.querySelector("[data-remove-member]");
        if (!remove) return;
        remove.hidden = false;
        remove.addEventListener("click", function () {
          row.querySelectorAll("input, select").forEach(function (field) {
            if (field.type === "checkbox") field.checked = false; else field.value = "";
            field.dispatchEvent(new Event("input", { bubbles: true }));
          });
          if (rows.filter(function (r) { return !r.hidden; }).length > 1) row.hidden = true;
          if (addMember) addMember.focus();
        });
      });
      if (addMember) {
        addMember.addEventListener("click", function (event) {
          var next = rows.filter(function (row) { return row.hidden; })[0];
          if (!next) return;  /* the server adds a row */
          event.preventDefault();
          next.hidden = false;
          var first = next.querySelector("input");
          if (first) first.focus();
        });
      }
    }
  }

  var startOver = document.querySelector("[data-start-over]");
  var dialog = document.getElementById("start-over-dialog");
  if (startOver && dialog && form) {
    startOver.addEventListener("click", function () { dialog.showModal(); });
    dialog.querySelector("[data-start-over-cancel]").addEventListener("click", function () {
      dialog.close();
    });
    dialog.addEventListener("close", function () { startOver.focus(); });
    dialog.querySelector("[data-start-over-confirm]").addEventListener("click", function () {
      try { localStorage.removeItem("ideathon-draft:" + form.dataset.draftKey); } catch (e) { /* ignore */ }
      window.location.replace(window.location.pathname);
    });
  }

  var idle = document.querySelector("[data-idle-reset]");
  if (idle) {
    var idleMs = (parseInt(idle.dataset.idleReset, 10) || 90) * 1000;
    var warning = parseInt(idle.dataset.idleWarning, 10) || 20;
    var count = idle.querySelector("[data-idle-count]");
    var countText = count.textContent;
    var keep = idle.querySelector("[data-idle-continue]");
    var idleTimer = null;
    var tickTimer = null;
    var remaining = warning;
    var erase = function () {
      try { localStorage.removeItem("ideathon-draft:" + idle.dataset.idleDraft); } catch (e) { /* ignore */ }
      window.location.replace(idle.dataset.idleUrl);
    };
    var tickDown = function () {
      count.textContent = countText.replace(/\d+/, String(remaining));
      if (remaining <= 0) { erase(); return; }
      remaining -= 1;
      tickTimer = setTimeout(tickDown, 1000);
    };
    var ask = function () {
      remaining = warning;
      idle.hidden = false;
      keep.focus();
      tickDown();
    };
    var active = function () {
      if (!idle.hidden) return;  /* while asking, only "Continue" keeps the form */
      clearTimeout(idleTimer);
      idleTimer = setTimeout(ask, idleMs);
    };
    keep.addEventListener("click", function () {
      clearTimeout(tickTimer);
      idle.hidden = true;
      active();
    });
    ["pointerdown", "keydown", "input", "touchstart", "wheel"].forEach(function (type) {
      document.addEventListener(type, active, { capture: true, passive: true });
    });
    active();
  }

  document.querySelectorAll("a[data-replace]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.location.replace(link.href);
    });
  });

  var countdown = document.querySelector("[data-countdown]");
  if (countdown) {
    var left = parseInt(countdown.dataset.countdown, 10) || 120;
    var url = countdown.dataset.countdownUrl;
    var tick = function () {
      var seconds = left % 60;
      countdown.textContent = "(" + Math.floor(left / 60) + ":" + (seconds < 10 ? "0" : "") + seconds + ")";
      if (left <= 0) { window.location.replace(url); return; }
      left -= 1;
      setTimeout(tick, 1000);
    };
    tick();
  }
})();

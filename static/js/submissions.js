/* The idea form: cooperative fields follow the team choice; sending without a connection shows a
   message instead of the browser's error page (the form and its draft stay); the kiosk's "start
   over" asks first (a modal dialog), then clears the draft; a kiosk left alone asks "Still
   there?", then erases the form; the kiosk receipt stays until "Done", or gives way to a blank
   form after its safety timeout, replacing itself in the history (Back never shows it). No
   framework. */
(function () {
  "use strict";

  var form = document.getElementById("idea-form");
  if (form) {
    var coop = form.querySelector(".cooperative-fields");
    var sync = function () {
      var chosen = form.querySelector('input[name="team_kind"]:checked');
      if (coop) coop.hidden = !(chosen && chosen.value === "cooperative");
    };
    form.addEventListener("change", sync);
    sync();

    var sending = false;
    var button = document.getElementById("submit-idea");
    var offline = document.getElementById("offline-message");
    var done = function () {
      sending = false;
      if (button) button.removeAttribute("aria-busy");
    };
    var showOffline = function () {
      done();
      offline.hidden = false;
      offline.focus();
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
      offline.hidden = true;
      if (navigator.onLine === false) { showOffline(); return; }
      /* A small request first: when the site cannot be reached, the form stays on screen. */
      fetch(form.dataset.pingUrl, { cache: "no-store", credentials: "same-origin" })
        .then(function () {
          HTMLFormElement.prototype.submit.call(form);
          setTimeout(done, 15000);  /* a connection dropped while sending: allow a resend */
        })
        .catch(showOffline);
    });

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

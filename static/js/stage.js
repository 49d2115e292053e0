// The pitch round: the running order's drag and drop (the up/down buttons work without it),
// the stage screen's live state, and a judge's tablet following the team on stage.
(function () {
  "use strict";

  function postJson(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": window.ideathon.csrfToken(),
      },
      body: JSON.stringify(body),
    });
  }

  // --- Running order: drag a team to its place ---
  document.querySelectorAll("[data-running-order]").forEach(function (list) {
    var dragged = null;
    list.addEventListener("dragstart", function (event) {
      dragged = event.target.closest("li[data-idea]");
      if (dragged) { event.dataTransfer.effectAllowed = "move"; }
    });
    list.addEventListener("dragover", function (event) {
      var over = event.target.closest("li[data-idea]");
      if (!dragged || !over || over === dragged) { return; }
      event.preventDefault();
      var box = over.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? over.nextSibling : over);
    });
    list.addEventListener("drop", function (event) {
      event.preventDefault();
      if (!dragged) { return; }
      dragged = null;
      var order = Array.prototype.map.call(list.querySelectorAll("li[data-idea]"), function (li) {
        return Number(li.dataset.idea);
      });
      postJson(list.dataset.url, { order: order }).then(function () {
        window.location.reload();
      });
    });
  });

  // --- The stage screen ---
  function clockText(seconds) {
    if (seconds === null || seconds === undefined) { return "–:––"; }
    var s = Math.max(0, seconds);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function setTeam(element, team) {
    element.textContent = "";
    if (!team) { element.textContent = "—"; return; }
    var bdi = document.createElement("bdi");
    bdi.textContent = team.title;
    element.appendChild(bdi);
  }

  // A panel of a higher floor (the audience vote): its title, lines and image (a QR code),
  // kept in place between polls so that the image is not fetched and redrawn every time.
  function showPanels(panels, list) {
    var keep = {};
    list.forEach(function (panel) {
      keep[panel.key] = true;
      var section = panels.querySelector('[data-key="' + CSS.escape(panel.key) + '"]');
      if (!section) {
        section = document.createElement("section");
        section.className = "stage-panel";
        section.dataset.key = panel.key;
        panels.appendChild(section);
      }
      var text = section.querySelector(".stage-panel-text");
      if (!text) {
        text = document.createElement("div");
        text.className = "stage-panel-text";
        section.insertBefore(text, section.firstChild);
      }
      text.textContent = "";
      var title = document.createElement("h2");
      title.className = "stage-label";
      title.textContent = panel.title;
      text.appendChild(title);
      (panel.lines || []).forEach(function (line) {
        var p = document.createElement("p");
        p.textContent = line;
        text.appendChild(p);
      });
      var image = section.querySelector("img");
      if (!panel.image_url) {
        if (image) { image.remove(); }
        return;
      }
      if (!image) {
        image = document.createElement("img");
        image.className = "stage-panel-image";
        image.width = 320;
        image.height = 320;
        section.appendChild(image);
      }
      if (image.getAttribute("src") !== panel.image_url) { image.setAttribute("src", panel.image_url); }
      image.alt = panel.image_alt || "";
    });
    Array.prototype.forEach.call(panels.querySelectorAll("[data-key]"), function (section) {
      if (!keep[section.dataset.key]) { section.remove(); }
    });
  }

  var stage = document.querySelector("[data-stage]");
  if (stage) {
    var left = null;
    var paused = false;
    var clock = stage.querySelector("[data-clock]");
    var phase = stage.querySelector("[data-phase]");
    var room = stage.dataset.room;
    var show = function (state) {
      if (!state.phase) { return; }
      if (state.language !== room) { window.location.reload(); return; }  // the room's changed
      var words = { pitch: stage.dataset.pitch, questions: stage.dataset.questions,
        paused: stage.dataset.paused, waiting: stage.dataset.waiting, done: stage.dataset.done };
      if (phase) { phase.textContent = words[state.phase] || ""; }
      var now = stage.querySelector("[data-on-stage]");
      var next = stage.querySelector("[data-up-next]");
      if (now) { setTeam(now, state.on_stage); }
      if (next) { setTeam(next, state.up_next); }
      var panels = stage.querySelector("[data-panels]");
      if (panels) { showPanels(panels, state.panels || []); }
      left = state.seconds_left;
      paused = state.paused;
      if (clock) {
        clock.textContent = clockText(left);
        clock.classList.toggle("is-late", left === 0);
      }
    };
    var poll = function () {
      fetch(stage.dataset.url, { headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) { if (state) { show(state); } })
        .catch(function () {});
    };
    window.setInterval(function () {
      if (left !== null && !paused && left > 0) {
        left -= 1;
        if (clock) { clock.textContent = clockText(left); clock.classList.toggle("is-late", left === 0); }
      }
    }, 1000);
    window.setInterval(poll, 2000);
    poll();
  }
})();

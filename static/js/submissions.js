/* The idea form: cooperative fields follow the team choice; the kiosk's "start over" clears the
   draft; the kiosk receipt counts down to a blank form. No framework. */
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
    form.addEventListener("submit", function (event) {
      /* One tap is enough: the server also ignores repeats of the same form (one-time token). */
      if (sending) { event.preventDefault(); return; }
      sending = true;
      var button = document.getElementById("submit-idea");
      if (button) button.setAttribute("aria-busy", "true");
      setTimeout(function () { sending = false; }, 15000);  /* a dropped connection: allow a resend */
    });

    var startOver = form.querySelector("[data-start-over]");
    if (startOver) {
      startOver.addEventListener("click", function () {
        try { localStorage.removeItem("ideathon-draft:" + form.dataset.draftKey); } catch (e) { /* ignore */ }
        window.location.replace(window.location.pathname);
      });
    }
  }

  var countdown = document.querySelector("[data-countdown]");
  if (countdown) {
    var left = parseInt(countdown.dataset.countdown, 10) || 20;
    var url = countdown.dataset.countdownUrl;
    var text = countdown.textContent;
    var tick = function () {
      countdown.textContent = text.replace(/\d+/, String(left));
      if (left <= 0) { window.location.replace(url); return; }
      left -= 1;
      setTimeout(tick, 1000);
    };
    tick();
  }
})();

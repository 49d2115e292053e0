// A judge's tablet during the pitch round: a banner names the team on stage with a link to
// the judge's own sheet; with "follow the stage" ticked, the tablet opens it by itself.
(function () {
  "use strict";

  // --- A judge's tablet: "now pitching", and following the stage when asked ---
  var banner = document.querySelector("[data-now-pitching]");
  if (banner) {
    var follow = document.querySelector("[data-follow-stage]");
    var key = "ideathon-follow-stage:" + banner.dataset.event;
    if (follow) {
      follow.checked = window.sessionStorage.getItem(key) === "1";
      follow.addEventListener("change", function () {
        window.sessionStorage.setItem(key, follow.checked ? "1" : "0");
      });
    }
    var link = banner.querySelector("a");
    var title = banner.querySelector("[data-title]");
    var check = function () {
      fetch(banner.dataset.url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (now) {
          if (!now) { return; }
          banner.hidden = !now.sheet_url;
          if (!now.sheet_url) { return; }
          title.textContent = now.title;
          link.href = now.sheet_url;
          var here = window.location.pathname === new URL(now.sheet_url, window.location.href).pathname;
          if (follow && follow.checked && !here) { window.location.assign(now.sheet_url); }
        })
        .catch(function () {});
    };
    window.setInterval(check, 4000);
    check();
  }
})();

/* Export status page: polls the JSON state until the export is done or failed. */
(function () {
  "use strict";
  var card = document.querySelector("[data-export-status]");
  if (!card) return;
  var bar = card.querySelector("[data-progress]");
  var message = card.querySelector("[data-message]");
  var download = card.querySelector("[data-download]");
  var retry = card.querySelector("[data-retry]");
  var delay = 1000;

  function show(state) {
    card.dataset.status = state.status;
    bar.style.width = state.progress + "%";
    bar.parentElement.setAttribute("aria-valuenow", state.progress);
    bar.classList.toggle("bg-danger", state.status === "failed");
    bar.classList.toggle("bg-success", state.status === "done");
    bar.classList.toggle("progress-bar-animated", state.status === "queued" || state.status === "running");
    message.textContent = state.message;
    download.classList.toggle("d-none", state.status !== "done");
    retry.classList.toggle("d-none", state.status !== "failed");
  }

  function poll() {
    if (card.dataset.status === "done" || card.dataset.status === "failed") return;
    fetch(card.dataset.pollUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (state) { show(state); delay = 1000; } else { delay = Math.min(delay * 2, 15000); }
      })
      .catch(function () { delay = Math.min(delay * 2, 15000); })
      .then(function () { setTimeout(poll, delay); });
  }
  setTimeout(poll, delay);
})();

// The audience prize's live results on a stage screen: every few seconds, the JSON count of
// the panel's data-audience-results; shown only while the organisers choose to show it.
(function () {
  "use strict";
  document.querySelectorAll("[data-audience-results]").forEach(function (panel) {
    var list = panel.querySelector("[data-audience-list]");
    function refresh() {
      fetch(panel.dataset.audienceResults, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.json(); })
        .then(function (data) {
          list.hidden = !data.shown;
          if (!data.shown) { return; }
          list.replaceChildren.apply(list, data.ideas.map(function (idea) {
            var item = document.createElement("li"), title = document.createElement("bdi"), votes = document.createElement("span");
            item.className = "d-flex justify-content-between gap-3 border-bottom py-2";
            title.textContent = idea.title;
            votes.className = "fw-bold";
            votes.textContent = idea.votes.toLocaleString(document.documentElement.lang || undefined);
            item.append(title, votes);
            return item;
          }));
        })
        .catch(function () {});
    }
    setInterval(refresh, 3000);
  });
})();

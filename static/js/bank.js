// Project bank: one more row in the repeatable list of financing sources (the edit page).
(function () {
  "use strict";
  var button = document.getElementById("add-financing-row");
  var template = document.getElementById("financing-row-template");
  var rows = document.getElementById("financing-rows");
  if (!button || !template || !rows) return;
  button.addEventListener("click", function () {
    var row = template.content.firstElementChild.cloneNode(true);
    rows.appendChild(row);
    row.querySelector("input").focus();
  });
})();

// The needs map: a tap on a region opens its page (the list beside the map has the same links
// for the keyboard and for fingers that miss a small region).
(function () {
  "use strict";
  document.querySelectorAll(".needs-map .area[data-href]").forEach(function (area) {
    area.addEventListener("click", function () {
      window.location.assign(area.getAttribute("data-href"));
    });
  });
})();

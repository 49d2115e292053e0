// Project bank: one more row in the repeatable list of financing sources.
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

// Check-in at the door: the tablet's camera reads the ticket's QR code with the browser's own
// BarcodeDetector (no library, no CDN); where it is missing, the code is typed (the form).
(function () {
  "use strict";
  var page = document.getElementById("check-in");
  if (!page) { return; }
  var result = document.getElementById("check-in-result");
  var video = document.getElementById("check-in-video");
  var last = "", busy = false;

  function show(ok, text) {
    result.textContent = text;
    result.className = "alert " + (ok ? "alert-success" : "alert-danger");
  }

  function send(code) {
    busy = true;
    fetch(page.dataset.checkInUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json",
                "X-CSRFToken": window.ideathon.csrfToken()},
      body: JSON.stringify({code: code})
    }).then(function (response) { return response.json(); })
      .then(function (data) { show(data.ok, data.ok ? data.message : data.error); })
      .catch(function () { show(false, page.dataset.offline || "—"); })
      .finally(function () { setTimeout(function () { busy = false; }, 1500); });
  }

  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
  document.getElementById("camera-block").hidden = false;
  document.getElementById("camera-missing").hidden = true;
  document.getElementById("camera-start").addEventListener("click", function (click) {
    click.target.hidden = true;
    var detector = new window.BarcodeDetector({formats: ["qr_code"]});
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}}).then(function (stream) {
      video.srcObject = stream;
      return video.play();
    }).then(function tick() {
      if (!busy && video.readyState >= 2) {
        detector.detect(video).then(function (codes) {
          if (codes.length && codes[0].rawValue !== last) {
            last = codes[0].rawValue;
            send(last);
          }
        }).catch(function () {});
      }
      requestAnimationFrame(tick);
    }).catch(function () {
      document.getElementById("camera-missing").hidden = false;
    });
  });
})();

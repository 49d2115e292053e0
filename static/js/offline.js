/* Every page: registers the service worker (static/js/sw.js, served at /sw.js), says "offline —
   will sync" on a page shown from the tablet's copy or while the connection is down, keeps only
   the present visitor's pages (signing out deletes the previous one's), and asks the worker to
   fetch the visitor's pages ahead of time (core.offline.manifest). The jury's and the kiosk's
   scripts call `window.ideathon.offline.refresh()` after a change of what the visitor needs
   offline, and read `window.ideathon.offline.isCopy` (docs/offline.md). */
(function () {
  "use strict";

  var root = document.documentElement;
  var meta = document.querySelector('meta[name="offline-scope"]');
  var scope = meta ? meta.content : "anyone";
  var banner = document.getElementById("offline-banner");
  var isCopy = root.hasAttribute("data-offline-copy");
  var REFRESH_MS = 5 * 60 * 1000;
  var REFRESHED = "ideathon-offline-refreshed:" + scope;

  function show() {
    var offline = isCopy || navigator.onLine === false;
    if (banner) banner.hidden = !offline;
    root.classList.toggle("is-offline", offline);
  }
  window.addEventListener("online", function () { isCopy = false; show(); });
  window.addEventListener("offline", show);
  show();

  var worker = null;
  function tell(message) {
    if (worker) worker.postMessage(message);
  }
  function refresh(force) {
    if (isCopy || navigator.onLine === false) return;
    var last = 0;
    try { last = parseInt(sessionStorage.getItem(REFRESHED), 10) || 0; } catch (e) { /* ignore */ }
    if (!force && Date.now() - last < REFRESH_MS) return;
    try { sessionStorage.setItem(REFRESHED, String(Date.now())); } catch (e) { /* ignore */ }
    /* This page too, when it is one to keep: the first was shown before the worker ran. */
    var here = meta && meta.hasAttribute("data-kept") ? [location.pathname + location.search] : [];
    tell({ type: "precache", pages: here });
  }

  window.ideathon = window.ideathon || {};
  window.ideathon.offline = {
    isCopy: isCopy,
    refresh: function () { refresh(true); },
    /* The registration, for background sync (null without a service worker). */
    ready: function () {
      return "serviceWorker" in navigator ? navigator.serviceWorker.ready : Promise.resolve(null);
    }
  };

  if (!("serviceWorker" in navigator) || !meta) return;
  if (window.caches) {  /* another visitor's pages go, even before the worker runs */
    caches.keys().then(function (names) {
      names.forEach(function (name) {
        if (/^ideathon-pages-/.test(name) && !name.endsWith("-" + scope)) caches.delete(name);
      });
    }).catch(function () { /* ignore */ });
  }
  navigator.serviceWorker.register(meta.dataset.worker, { scope: "/" }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    worker = registration.active;
    tell({ type: "scope", scope: scope });
    refresh(false);
  }).catch(function () { /* no service worker: the pages work online as before */ });
})();

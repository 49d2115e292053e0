/* The offline hall's service worker (docs/offline.md), served at /sw.js (core.views) with its
   cache version written in: a deploy that changes an asset or the idea form brings a new worker,
   whose caches replace the old ones (deleted when it takes over).
   - Assets (/static/, /vendor/): from the cache, else the network (and kept).
   - Pages (navigations): the network first, with a short timeout; a page whose answer carries
     `Ideathon-Offline: <scope>` (a view marked `available_offline`) is kept in that scope's
     cache, and another scope's pages are deleted then. Without the network, the kept copy is
     shown, marked `data-offline-copy` (the page says "offline — will sync").
   - Nothing else is touched: posts, JSON, the health check go to the network as they are.
   - Background sync "ideathon-ideas" sends the ideas queued while offline (idea-queue.js). */
"use strict";

var VERSION = "__CACHE_VERSION__";
var PREFIX = "ideathon-";
var ASSETS = PREFIX + "assets-" + VERSION;
var PAGES = PREFIX + "pages-" + VERSION + "-";  /* + the visitor's scope */
var NAVIGATION_TIMEOUT_MS = 4000;
var SYNC_TAG = "ideathon-ideas";

importScripts("/static/js/idea-queue.js");

function isAsset(url) {
  return url.pathname.indexOf("/static/") === 0 || url.pathname.indexOf("/vendor/") === 0;
}

function pageCaches() {
  return caches.keys().then(function (names) {
    return names.filter(function (name) { return name.indexOf(PAGES) === 0; });
  });
}

/* Only one visitor's pages on a tablet: keeping `scope`'s deletes every other one's. */
function keepScope(scope) {
  return pageCaches().then(function (names) {
    return Promise.all(names.filter(function (name) { return name !== PAGES + scope; })
      .map(function (name) { return caches.delete(name); }));
  });
}

function keepPage(url, response) {
  var scope = response.headers.get("Ideathon-Offline");
  if (!scope || !response.ok || response.redirected) return Promise.resolve();
  return keepScope(scope).then(function () { return caches.open(PAGES + scope); })
    .then(function (cache) { return cache.put(url, response); });
}

/* What the visitor needs offline (core.offline.manifest): the assets, then their pages, and
   `extra` pages (the page that registered the worker, shown before the worker ran). */
function precache(extra) {
  return fetch("/offline/manifest.json", { credentials: "same-origin", cache: "no-store" })
    .then(function (response) { return response.json(); })
    .then(function (manifest) {
      return keepScope(manifest.scope).then(function () {
        return caches.open(ASSETS);
      }).then(function (cache) {
        return Promise.all(manifest.assets.map(function (url) {
          return cache.match(url).then(function (hit) {
            return hit || fetch(url).then(function (r) { return r.ok ? cache.put(url, r) : null; });
          }).catch(function () { return null; });
        }));
      }).then(function () {
        return Promise.all(manifest.pages.concat(extra || []).map(function (url) {
          return fetch(url, { credentials: "same-origin", cache: "no-store" })
            .then(function (response) { return keepPage(url, response); })
            .catch(function () { return null; });
        }));
      });
    });
}

self.addEventListener("install", function (event) {
  event.waitUntil(precache().catch(function () { return null; }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(PREFIX) === 0 && name.indexOf(VERSION) < 0;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "precache") {
    event.waitUntil(precache(data.pages).catch(function () { return null; }));
  }
  if (data.type === "scope") event.waitUntil(keepScope(data.scope));
});

function cachedPage(url) {
  return pageCaches().then(function (names) {
    var look = function (i, options) {
      if (i >= names.length) return Promise.resolve(undefined);
      return caches.open(names[i]).then(function (cache) { return cache.match(url, options); })
        .then(function (hit) { return hit || look(i + 1, options); });
    };
    return look(0, { ignoreVary: true }).then(function (hit) {
      return hit || look(0, { ignoreVary: true, ignoreSearch: true });
    });
  });
}

function markedCopy(response) {
  return response.text().then(function (html) {
    var headers = new Headers(response.headers);
    headers.delete("Content-Length");
    return new Response(html.replace("<html ", '<html data-offline-copy="1" '), {
      status: 200, headers: headers
    });
  });
}

function navigate(request) {
  var network = fetch(request);
  var timeout = new Promise(function (resolve, reject) {
    setTimeout(function () { reject(new Error("timeout")); }, NAVIGATION_TIMEOUT_MS);
  });
  return Promise.race([network, timeout]).then(function (response) {
    keepPage(request.url, response.clone()).catch(function () { return null; });
    return response;
  }, function () {
    return cachedPage(request.url).then(function (hit) {
      if (hit) return markedCopy(hit);
      return network;  /* nothing kept: the network's answer or the browser's own error */
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(request));
  } else if (isAsset(url)) {
    event.respondWith(caches.open(ASSETS).then(function (cache) {
      return cache.match(request).then(function (hit) {
        return hit || fetch(request).then(function (response) {
          if (response.ok) cache.put(request, response.clone());
          return response;
        });
      });
    }));
  }
});

function tellPages(message) {
  return self.clients.matchAll({ type: "window" }).then(function (clients) {
    clients.forEach(function (client) { client.postMessage(message); });
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag !== SYNC_TAG) return;
  var queue = self.ideathonIdeaQueue;
  event.waitUntil(queue.flush().then(function (changed) {
    return tellPages({ type: "ideas-synced", changed: changed });
  }).then(queue.all).then(function (items) {
    var waiting = items.some(function (item) { return item.status === "pending"; });
    if (waiting) throw new Error("ideas still waiting");  /* the browser tries again later */
  }));
});

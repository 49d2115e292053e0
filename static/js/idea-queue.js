/* Ideas sent while offline (docs/offline.md): kept in IndexedDB with their one-time token, every
   field and the attachment (a Blob), then posted again once the site answers. Loaded by the idea
   form (submissions.js) and by the service worker (background sync): no DOM here.
   An item: {token, url (the form's), postUrl, fields: [[name, value]...], file, fileName, version, savedAt,
   status: "pending" | "sent" | "refused", code, receiptUrl, error, sentAt}. The server stores
   one idea per token, so posting an item again (a lost answer, two tablets' replays, the page
   and the service worker at once) gets the same receipt back. */
(function (scope) {
  "use strict";

  var DB = "ideathon-offline";
  var STORE = "ideas";
  var MANIFEST = "/offline/manifest.json";
  var SENT_KEPT_MS = 12 * 3600 * 1000;  /* a sent idea's line stays half a day on the list */
  var RETRY_STATUSES = { 400: 1, 408: 1, 425: 1, 429: 1 };  /* and every 5xx: try again later */

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "token" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && result.result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
        tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function all() {
    return run("readonly", function (store) { return store.getAll(); }).then(function (items) {
      return (items || []).sort(function (a, b) { return a.savedAt - b.savedAt; });
    });
  }

  function put(item) { return run("readwrite", function (store) { store.put(item); }); }
  function remove(token) { return run("readwrite", function (store) { store.delete(token); }); }

  function forget(items) {
    var now = Date.now();
    var old = items.filter(function (item) {
      return item.status === "sent" && now - (item.sentAt || 0) > SENT_KEPT_MS;
    });
    return Promise.all(old.map(function (item) { return remove(item.token); }));
  }

  function post(item, csrf) {
    var body = new FormData();
    item.fields.forEach(function (pair) {
      if (pair[0] !== "csrf_token") body.append(pair[0], pair[1]);
    });
    body.append("csrf_token", csrf);
    if (item.file) body.append("attachment", item.file, item.fileName || "attachment");
    return fetch(item.postUrl || item.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf }
    }).then(function (response) {
      if (response.status >= 500 || RETRY_STATUSES[response.status]) return null;  /* later */
      return response.json().then(function (answer) {
        if (answer.ok) {
          item.status = "sent";
          item.code = answer.code;
          item.receiptUrl = answer.receipt_url;
          item.sentAt = Date.now();
        } else {
          item.status = "refused";
          item.error = answer.error;
          item.errors = answer.errors || {};
        }
        return put(item).then(function () { return item; });
      }, function () { return null; });
    });
  }

  var flushing = null;
  /* Send every pending idea, oldest first; stops at the first one the site cannot take now
     (offline, busy). Resolves to the number of ideas whose state changed. */
  function flush() {
    if (flushing) return flushing;
    flushing = all().then(function (items) {
      var pending = items.filter(function (item) { return item.status === "pending"; });
      if (!pending.length) return forget(items).then(function () { return 0; });
      return fetch(MANIFEST, { cache: "no-store", credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (manifest) {
          var changed = 0;
          var next = function (i) {
            if (i >= pending.length) return changed;
            return post(pending[i], manifest.csrf).then(function (done) {
              if (!done) return changed;
              changed += 1;
              return next(i + 1);
            });
          };
          return next(0);
        });
    }).catch(function () { return 0; }).then(function (changed) {
      flushing = null;
      return changed;
    }, function (error) { flushing = null; throw error; });
    return flushing;
  }

  scope.ideathonIdeaQueue = { all: all, put: put, remove: remove, flush: flush };
})(self);

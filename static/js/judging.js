/* A jury tablet's actions, kept through a Wi-Fi outage (issue 19, docs/offline.md).

   Every action (a tap on a level, the comment, Submit) goes into a queue in IndexedDB with an
   id of its own (a uuid), the time of the tap and the sheet's version, then the queue is sent
   in order, one request at a time. The queue survives reloads; it is sent again when the
   network comes back, and the server counts an action once however often it arrives
   (judging/offline.py). An action the server refuses (judging closed, sheet submitted, judge
   removed) stays in the queue, marked refused, and is shown with the server's reason until the
   judge presses "Noted". The tablet tells the server how many actions it holds (shown to the
   organisers on the progress page). On the score sheet, each criterion's levels are native
   radios (one tab stop, arrow keys move within); the Submit button stays disabled and the line
   above it names the criteria still to score. */
(function () {
  "use strict";
  var bar = document.getElementById("jury-sync");
  if (!bar) return;
  var root = document.getElementById("score-sheet");
  var editable = !!root && root.dataset.editable === "true";
  var sheetId = root ? parseInt(root.dataset.sheet, 10) : null;

  /* --- The device and the last sync (localStorage) ------------------------------------------ */
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40; bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }
  function local(key, value) {
    try {
      if (value === undefined) return localStorage.getItem(key);
      localStorage.setItem(key, value);
    } catch (e) { /* private mode: kept for this page only */ }
    return value;
  }
  var device = local("ideathon-device") || local("ideathon-device", uuid());
  var lastSync = parseInt(local("ideathon-last-sync") || "0", 10) || null;
  /* The server's clock minus this tablet's, learnt from the Date of its answers and changed
     only when it moves by more than 3 s: taps are sent on the server's clock (last write wins
     by the time of the tap between two tablets), and two quick taps keep their order. */
  var offset = parseInt(local("ideathon-clock-offset") || "0", 10) || 0;
  function learnClock(response) {
    var date = Date.parse(response.headers.get("Date") || "");
    if (isNaN(date)) return;
    var measured = date + 500 - Date.now(); // Date counts whole seconds
    if (Math.abs(measured - offset) > 3000) {
      offset = measured;
      local("ideathon-clock-offset", String(offset));
    }
  }

  /* --- The queue: IndexedDB, or localStorage where IndexedDB cannot open ------------------- */
  var DB_NAME = "ideathon-jury", STORE = "actions";
  var memory = null; // the localStorage fallback's copy
  function openDb() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "seq", autoIncrement: true });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  var dbReady = openDb().catch(function () { return null; });
  function fallback() {
    if (!memory) {
      try { memory = JSON.parse(local("ideathon-queue") || "[]") || []; } catch (e) { memory = []; }
    }
    return memory;
  }
  function saveFallback() { local("ideathon-queue", JSON.stringify(memory)); }
  /* One transaction; `work(store)` returns a function giving the result once it completes. */
  function tx(mode, work, fallbackWork) {
    return dbReady.then(function (db) {
      if (!db) return fallbackWork();
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode);
        var result = work(t.objectStore(STORE));
        t.oncomplete = function () { resolve(result()); };
        t.onerror = t.onabort = function () { reject(t.error); };
      });
    });
  }
  function all() {
    return tx("readonly", function (store) {
      var request = store.getAll();
      return function () { return request.result || []; };
    }, function () { return fallback().slice(); });
  }
  function add(item) {
    return tx("readwrite", function (store) {
      var request = store.add(item);
      return function () { item.seq = request.result; return item; };
    }, function () {
      var list = fallback();
      item.seq = list.reduce(function (m, a) { return Math.max(m, a.seq); }, 0) + 1;
      list.push(item); saveFallback(); return item;
    });
  }
  function put(item) {
    return tx("readwrite", function (store) {
      store.put(item);
      return function () { return item; };
    }, function () {
      memory = fallback().map(function (a) { return a.seq === item.seq ? item : a; });
      saveFallback(); return item;
    });
  }
  function remove(seqs) {
    return tx("readwrite", function (store) {
      seqs.forEach(function (seq) { store.delete(seq); });
      return function () { return null; };
    }, function () {
      memory = fallback().filter(function (a) { return seqs.indexOf(a.seq) < 0; });
      saveFallback(); return null;
    });
  }

  /* --- Sending, in order, one request at a time --------------------------------------------- */
  var csrf = window.ideathon.csrfToken();
  var sending = null, inFlight = null, retryTimer = null, retryDelay = 4000, signedOut = false;
  var online = navigator.onLine !== false;

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "X-Tablet-Id": device },
      body: JSON.stringify(body)
    });
  }
  /* A token refused (a page kept too long in the cache): take a fresh one from the judge's list. */
  function refreshToken() {
    return fetch(bar.dataset.refreshUrl, { credentials: "same-origin" }).then(function (r) {
      return r.text();
    }).then(function (html) {
      var match = /<meta name="csrf-token" content="([^"]+)"/.exec(html);
      if (match) csrf = match[1];
      return !!match;
    }).catch(function () { return false; });
  }
  function answerOf(response) {
    var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
    return (json ? response.json() : Promise.resolve(null)).catch(function () { return null; })
      .then(function (data) { return { response: response, data: data }; });
  }
  function sendOne(item, retried) {
    var body = Object.assign({}, item.body, {
      action: item.id, tapped_at: item.tappedAt + offset, version: item.version
    });
    return post(item.url, body).then(answerOf).then(function (a) {
      learnClock(a.response);
      var status = a.response.status;
      if (a.data && a.data.ok) return "sent";
      if (!a.data || status === 401) { // a sign-in page (the session ended) or a proxy's page
        if (a.response.redirected || status === 200 || status === 401) signedOut = true;
        throw new Error("not sent");
      }
      if (status === 400 && !retried) {
        return refreshToken().then(function (fresh) {
          if (fresh) return sendOne(item, true);
          item.state = "refused"; item.error = a.data.error || String(status);
          return "refused";
        });
      }
      if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
        item.state = "refused"; item.error = a.data.error || String(status);
        return "refused";
      }
      throw new Error("retry");
    });
  }
  /* Send what waits, oldest first, until nothing waits (a tap made meanwhile joins the round). */
  function round(reported) {
    return all().then(function (items) {
      var pending = items.filter(function (a) { return a.state !== "refused"; });
      if (!pending.length) return reported ? report(items) : null;
      if (!reported) report(items);
      var chain = Promise.resolve();
      pending.forEach(function (item) {
        chain = chain.then(function () {
          inFlight = item.seq;
          return sendOne(item).then(function (outcome) {
            online = true; signedOut = false; retryDelay = 4000;
            lastSync = Date.now(); local("ideathon-last-sync", String(lastSync));
            var done = outcome === "sent" ? remove([item.seq]) : put(item);
            return done.then(function () { return settled(item, outcome); });
          });
        });
      });
      return chain.then(function () {
        // The tablet's copies of the judge's pages now lag behind the server: fetch them again.
        if (window.ideathon.offline) window.ideathon.offline.refresh();
        return round(true);
      });
    });
  }
  var again = false;
  function flush() {
    if (sending) { again = true; return sending; }
    again = false;
    clearTimeout(retryTimer); retryTimer = null;
    sending = round(false).catch(function () {
      online = signedOut; // reached, but signed out; else the network is down
      retryTimer = setTimeout(flush, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 60000);
    }).then(function () {
      inFlight = null; sending = null;
      if (again && !retryTimer) flush(); // an action queued after the last look
      return refresh();
    });
    return sending;
  }
  /* What the tablet holds, for the organisers' progress page. */
  function report(items) {
    if (!bar.dataset.reportUrl) return;
    var waiting = items.filter(function (a) { return a.state !== "refused"; });
    var oldest = waiting.reduce(function (m, a) { return m === null || a.tappedAt < m ? a.tappedAt : m; }, null);
    var body = { device: device, pending: waiting.length, oldest: oldest, last_sync: lastSync, sent_at: Date.now() };
    return post(bar.dataset.reportUrl, body).catch(function () { /* offline: next time */ });
  }

  /* --- Queueing an action -------------------------------------------------------------------- */
  var version = root ? root.dataset.version : null;
  function pageTitle() {
    var h1 = document.querySelector(".idea-full h1 span");
    return h1 ? h1.textContent.trim() : "";
  }
  function enqueue(kind, body, label) {
    var item = {
      id: uuid(), kind: kind, sheet: sheetId, body: body, tappedAt: Date.now(), version: version,
      url: kind === "submit" ? root.dataset.submitUrl : root.dataset.saveUrl,
      label: label || "", title: pageTitle(), state: "pending"
    };
    var before = kind === "comment" ? dropUnsentComments() : Promise.resolve();
    return before.then(function () { return add(item); }).then(function () {
      refresh(); flush(); return item;
    });
  }
  /* A comment replaces the same sheet's comments not yet sent (one request, not one a key). */
  function dropUnsentComments() {
    return all().then(function (items) {
      var stale = items.filter(function (a) {
        return a.kind === "comment" && a.sheet === sheetId && a.state !== "refused" && a.seq !== inFlight;
      }).map(function (a) { return a.seq; });
      return stale.length ? remove(stale) : null;
    });
  }

  /* --- What the judge sees ------------------------------------------------------------------- */
  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (m, name) { return name in values ? values[name] : m; });
  }
  function clock(ms) {
    return new Date(ms).toLocaleTimeString(document.documentElement.lang || undefined,
      { hour: "2-digit", minute: "2-digit" });
  }
  function refresh() {
    return all().then(function (items) {
      var waiting = items.filter(function (a) { return a.state !== "refused"; });
      var refused = items.filter(function (a) { return a.state === "refused"; });
      var parts = [];
      if (!online || navigator.onLine === false) parts.push(bar.dataset.msgOffline);
      if (signedOut) parts.push(bar.dataset.msgSignIn);
      parts.push(waiting.length ? fill(bar.dataset.msgWaiting, { n: waiting.length }) : bar.dataset.msgSent);
      if (lastSync) parts.push(fill(bar.dataset.msgLastSync, { time: clock(lastSync) }));
      var status = document.getElementById("sync-status");
      var text = parts.join(" · ");
      if (status.textContent !== text) status.textContent = text;
      bar.dataset.pending = String(waiting.length);
      bar.dataset.refused = String(refused.length);
      bar.hidden = !(waiting.length || refused.length || lastSync);
      showRefused(refused);
      if (root) showSheet(items);
    });
  }
  function showRefused(refused) {
    var box = document.getElementById("refused-list");
    var list = box.querySelector("ul");
    var seen = {};
    refused.forEach(function (item) {
      seen[item.seq] = true;
      if (list.querySelector('[data-seq="' + item.seq + '"]')) return;
      var li = document.createElement("li");
      li.dataset.seq = item.seq;
      li.className = "refused-action d-flex flex-wrap align-items-center gap-2";
      var what = document.createElement("span");
      var kind = bar.dataset["msg" + item.kind.charAt(0).toUpperCase() + item.kind.slice(1)] || item.kind;
      what.textContent = [kind, item.label, item.title].filter(Boolean).join(" · ") + " " + clock(item.tappedAt) + " — " + item.error;
      what.setAttribute("dir", "auto");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-danger btn-touch";
      button.textContent = bar.dataset.msgDismiss;
      button.addEventListener("click", function () { remove([item.seq]).then(refresh); });
      li.appendChild(what); li.appendChild(button);
      list.appendChild(li);
    });
    list.querySelectorAll("[data-seq]").forEach(function (li) {
      if (!seen[li.dataset.seq]) li.remove();
    });
    box.hidden = !refused.length;
  }

  /* --- The score sheet ----------------------------------------------------------------------- */
  function criterionBox(id) { return root.querySelector('.criterion[data-criterion="' + id + '"]'); }
  function showStatus(id, state, text) {
    var box = criterionBox(id);
    if (!box) return;
    var status = box.querySelector(".criterion-status");
    var words = text || root.dataset["msg" + state.charAt(0).toUpperCase() + state.slice(1)] || "";
    if (status.dataset.status === state && status.textContent === words) return;
    status.dataset.status = state;
    status.textContent = words;
  }
  function select(id, value) {
    var box = criterionBox(id);
    if (!box) return;
    box.classList.remove("is-unscored");
    box.classList.add("is-scored");
    box.querySelectorAll(".level-radio").forEach(function (radio) { radio.checked = radio.value === value; });
  }
  var submittedHere = false, restored = false;
  function showSheet(items) {
    var mine = items.filter(function (a) { return a.sheet === sheetId; });
    var latest = {};
    mine.forEach(function (a) {
      if (a.kind === "score") latest["c:" + a.body.criterion] = a;
      else latest[a.kind] = a;
    });
    Object.keys(latest).forEach(function (name) {
      var a = latest[name];
      if (a.kind === "score") {
        if (!restored) select(String(a.body.criterion), String(a.body.value));
        if (a.state === "refused") showStatus(String(a.body.criterion), "error", a.error);
        else showStatus(String(a.body.criterion), online ? "saving" : "unsaved");
      } else if (a.kind === "comment" && !restored && comment && a.state !== "refused") {
        comment.value = a.body.comment;
      }
    });
    // A criterion whose actions are all sent shows "Saved".
    root.querySelectorAll(".criterion").forEach(function (box) {
      var status = box.querySelector(".criterion-status");
      if (!latest["c:" + box.dataset.criterion] && (status.dataset.status === "saving" || status.dataset.status === "unsaved")) {
        showStatus(box.dataset.criterion, "saved");
      }
    });
    if (comment) commentStatus(latest.comment && latest.comment.state !== "refused" ? root.dataset.msgUnsaved : (latest.comment ? latest.comment.error : ""));
    var submit = latest.submit;
    if (submit && submit.state !== "refused") lockSheet();
    else if (submittedHere && submit && submit.state === "refused") unlockSheet();
    else if (submittedHere && !submit) window.location.reload(); // sent: the server's page says what next
    restored = true;
    updateSubmit();
  }
  function lockSheet() {
    if (submittedHere) return;
    submittedHere = true;
    root.querySelectorAll(".level-radio, [data-comment], [data-submit-sheet]").forEach(function (el) { el.disabled = true; });
    var hint = document.getElementById("submit-hint");
    if (hint) hint.textContent = root.dataset.msgSubmittedHere;
    root.dataset.submittedHere = "true";
  }
  function unlockSheet() {
    submittedHere = false;
    delete root.dataset.submittedHere;
    root.querySelectorAll(".level-radio, [data-comment]").forEach(function (el) { el.disabled = false; });
  }
  function updateSubmit() {
    var button = root.querySelector("[data-submit-sheet]");
    if (!button || submittedHere) return;
    var missing = [];
    root.querySelectorAll(".criterion").forEach(function (box) {
      if (!box.querySelector(".level-radio:checked")) missing.push(box.dataset.name);
    });
    button.disabled = missing.length > 0;
    var hint = document.getElementById("submit-hint");
    if (!hint) return;
    var text = missing.length ? fill(root.dataset.msgMissing, { names: missing.join(", ") }) : root.dataset.msgReady;
    if (hint.textContent.trim() !== text) hint.textContent = text;
  }
  var comment = root ? root.querySelector("[data-comment]") : null;
  function commentStatus(text) {
    var el = root.querySelector(".comment-status");
    if (el && el.textContent !== (text || "")) el.textContent = text || "";
  }
  function settled(item, outcome) {
    if (!root || item.sheet !== sheetId) return;
    if (item.kind === "comment" && outcome === "sent") commentStatus(root.dataset.msgSaved);
    return refresh();
  }

  if (root && editable) {
    root.addEventListener("change", function (event) {
      var radio = event.target;
      if (!radio.classList || !radio.classList.contains("level-radio") || radio.disabled) return;
      var id = radio.dataset.criterion, value = radio.value;
      select(id, value);
      showStatus(id, online ? "saving" : "unsaved");
      updateSubmit();
      var box = criterionBox(id);
      enqueue("score", { criterion: parseInt(id, 10), value: value }, (box ? box.dataset.name : "") + " = " + value);
    });
    var commentTimer = null;
    if (comment) {
      comment.addEventListener("input", function () {
        commentStatus(root.dataset.msgSaving);
        clearTimeout(commentTimer);
        commentTimer = setTimeout(function () { enqueue("comment", { comment: comment.value }); }, 700);
      });
    }
    var form = root.querySelector("[data-submit-sheet]") && root.querySelector("[data-submit-sheet]").form;
    if (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (comment && commentTimer) { // a comment still being typed goes first
          clearTimeout(commentTimer); commentTimer = null;
          enqueue("comment", { comment: comment.value });
        }
        lockSheet();
        enqueue("submit", {});
      });
    }
  }

  /* Taps kept by the page before the queue existed (localStorage) join the queue. */
  if (root && editable) {
    var oldKey = "ideathon-sheet:" + sheetId, old = null;
    try { old = JSON.parse(localStorage.getItem(oldKey) || "null"); } catch (e) { old = null; }
    if (old && typeof old === "object") {
      try { localStorage.removeItem(oldKey); } catch (e) { /* ignore */ }
      Object.keys(old).forEach(function (name) {
        if (name === "comment") enqueue("comment", { comment: String(old[name]) });
        else enqueue("score", { criterion: parseInt(name.slice(2), 10), value: String(old[name]) });
      });
    }
  }

  window.addEventListener("online", function () { online = true; retryDelay = 4000; flush(); });
  window.addEventListener("offline", function () { online = false; refresh(); });
  // While actions wait, the tablet says so every minute, and tries again.
  setInterval(function () {
    all().then(function (items) {
      if (items.some(function (a) { return a.state !== "refused"; })) flush();
    });
  }, 60000);
  refresh().then(flush);
})();

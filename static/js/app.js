/* Small helpers shared by the pages; no framework. */
(function () {
  "use strict";

  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  window.ideathon = window.ideathon || {};
  window.ideathon.csrfToken = function () { return csrfMeta ? csrfMeta.content : ""; };

  /* Drafts survive reloads and dropped connections: any form with data-draft-key keeps what is
     typed in localStorage, restores it into empty fields, and is cleared by a page that carries
     data-clear-draft="<key>" (the receipt). With data-draft-max-age (seconds, the kiosk's idle
     reset) a draft older than that is erased, never restored: it was another participant's. */
  var SKIP = { csrf_token: 1, submit_token: 1, password: 1 };
  var SAVED_AT = "__saved_at";
  function draftable(el) {
    return el.name && !SKIP[el.name] && el.type !== "file" && el.type !== "password" &&
      el.type !== "hidden" && el.type !== "submit";
  }
  function save(form, key) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!draftable(el)) return;
      if (el.type === "checkbox") data[el.name] = el.checked;
      else if (el.type === "radio") { if (el.checked) data[el.name] = el.value; }
      else data[el.name] = el.value;
    });
    data[SAVED_AT] = Date.now();
    try { localStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* storage full: ignore */ }
  }
  function restore(form, key) {
    var raw = null;
    try { raw = localStorage.getItem(key); } catch (e) { return; }
    if (!raw) return;
    var data; try { data = JSON.parse(raw); } catch (e) { return; }
    var maxAge = parseInt(form.dataset.draftMaxAge, 10);
    if (maxAge && !(Date.now() - (data[SAVED_AT] || 0) < maxAge * 1000)) {
      try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
      return;
    }
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!draftable(el) || !(el.name in data)) return;
      if (el.type === "checkbox") { if (!el.checked) el.checked = !!data[el.name]; }
      else if (el.type === "radio") { if (data[el.name] === el.value) el.checked = true; }
      else if (!el.value) el.value = data[el.name];
    });
  }
  document.querySelectorAll("form[data-draft-key]").forEach(function (form) {
    var key = "ideathon-draft:" + form.dataset.draftKey;
    restore(form, key);
    form.addEventListener("input", function () { save(form, key); });
    form.addEventListener("change", function () { save(form, key); });
  });
  document.querySelectorAll("[data-clear-draft]").forEach(function (el) {
    try { localStorage.removeItem("ideathon-draft:" + el.dataset.clearDraft); } catch (e) { /* ignore */ }
  });

  /* A form that comes back with errors: each message is tied to its field (aria-describedby,
     aria-invalid; the `field` macros already do it, this covers hand-written fields), and
     focus moves to the first field at fault, else to the page's error message. */
  var CONTROLS = "input:not([type=hidden]), select, textarea";
  function controlOf(message) {
    var scope = message.parentElement;
    for (var level = 0; scope && level < 3; level += 1, scope = scope.parentElement) {
      var before = Array.prototype.filter.call(scope.querySelectorAll(CONTROLS), function (c) {
        return c.compareDocumentPosition(message) & Node.DOCUMENT_POSITION_FOLLOWING;
      });
      var invalid = before.filter(function (c) { return c.classList.contains("is-invalid"); });
      if (invalid.length || before.length) return (invalid.length ? invalid : before).pop();
    }
    return null;
  }
  var messages = document.querySelectorAll("main .invalid-feedback");
  Array.prototype.forEach.call(messages, function (message, n) {
    if (!message.textContent.trim()) return;
    var control = controlOf(message);
    if (!control) return;
    if (!message.id) message.id = "field-error-" + (n + 1);
    var described = (control.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (described.indexOf(message.id) < 0) described.push(message.id);
    control.setAttribute("aria-describedby", described.join(" "));
    control.setAttribute("aria-invalid", "true");
  });
  var firstInvalid = document.querySelector("main [aria-invalid='true']:not([disabled])");
  var errorAlert = document.querySelector("main .flash.alert-danger");
  if (firstInvalid) {
    firstInvalid.focus();
  } else if (errorAlert) {
    errorAlert.setAttribute("tabindex", "-1");
    errorAlert.focus();
  }

  /* A table that scrolls sideways (phones) can be scrolled from the keyboard too: its wrapper
     becomes a named region that takes the focus, named after the table's caption or the
     heading above it (WCAG 2.1.1; axe's scrollable-region-focusable). Not when it fits. */
  function regionName(wrapper) {
    var caption = wrapper.querySelector("caption");
    if (caption) return caption.textContent.trim();
    for (var el = wrapper; el && el !== document.body; el = el.parentElement) {
      for (var prev = el.previousElementSibling; prev; prev = prev.previousElementSibling) {
        if (/^H[1-6]$/.test(prev.tagName)) return prev.textContent.trim();
        var heading = prev.querySelector("h1, h2, h3, h4, h5, h6");
        if (heading) return heading.textContent.trim();
      }
    }
    return document.title;
  }
  function markScrollingTables() {
    document.querySelectorAll(".table-responsive").forEach(function (wrapper) {
      var scrolls = wrapper.scrollWidth > wrapper.clientWidth + 1;
      if (scrolls && !wrapper.hasAttribute("tabindex")) {
        wrapper.setAttribute("tabindex", "0");
        wrapper.setAttribute("role", "region");
        wrapper.setAttribute("aria-label", regionName(wrapper));
        wrapper.dataset.scrolls = "1";
      } else if (!scrolls && wrapper.dataset.scrolls) {
        ["tabindex", "role", "aria-label", "data-scrolls"].forEach(function (name) {
          wrapper.removeAttribute(name);
        });
      }
    });
  }
  markScrollingTables();
  window.addEventListener("resize", markScrollingTables);

  /* No inline handlers (the Content-Security-Policy forbids them): print and back buttons. */
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("[data-back]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (window.history.length > 1) { event.preventDefault(); window.history.back(); }
    });
  });
  /* Places (any form holding [data-places]): the province list narrows to the chosen region
     (province codes start with their region's, "06.141"), and the commune list is fetched for
     the chosen province (data-communes-url, PROVINCE standing for its code). Without a script
     every province is listed under its region and the server checks that they agree. */
  document.querySelectorAll("[data-places]").forEach(function (box) {
    var form = box.closest("form") || box;
    var region = form.querySelector('select[name="region_code"]');
    var province = form.querySelector('select[name="province_code"]');
    var commune = form.querySelector('select[name="commune_code"]');
    if (!region || !province) return;
    var every = province.innerHTML;
    var wanted = commune ? commune.value : "";
    if (commune && !wanted && form.dataset.draftKey) {
      try {
        wanted = (JSON.parse(localStorage.getItem("ideathon-draft:" + form.dataset.draftKey)) || {}).commune_code || "";
      } catch (e) { /* no draft */ }
    }
    var none = commune && commune.options.length ? commune.options[0].cloneNode(true) : null;
    function narrow() {
      var keep = province.value;
      province.innerHTML = every;
      if (region.value) {
        Array.prototype.slice.call(province.querySelectorAll("optgroup")).forEach(function (group) {
          var first = group.querySelector("option");
          if (first && first.value.indexOf(region.value + ".") === 0) {
            while (group.firstChild) province.appendChild(group.firstChild);
          }
          province.removeChild(group);
        });
      }
      province.value = keep;
      if (province.value !== keep) province.value = "";
    }
    function loadCommunes() {
      if (!commune || !box.dataset.communesUrl) return;
      var keep = commune.value || wanted;
      wanted = "";
      commune.innerHTML = "";
      if (none) commune.appendChild(none.cloneNode(true));
      if (!province.value) return;
      fetch(box.dataset.communesUrl.replace("PROVINCE", encodeURIComponent(province.value)), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (rows) {
          rows.forEach(function (row) {
            var option = document.createElement("option");
            option.value = row[0];
            option.textContent = row[1];
            commune.appendChild(option);
          });
          commune.value = keep;
          if (commune.value !== keep) commune.value = "";
        })
        .catch(function () { /* offline: the commune is optional */ });
    }
    region.addEventListener("change", function () { narrow(); loadCommunes(); });
    province.addEventListener("change", loadCommunes);
    narrow();
    if (commune && province.value && (wanted || commune.options.length <= 1)) loadCommunes();
  });

  /* File inputs (`file_input` in templates/_macros.html): the chosen file's name beside the
     button, in place of "no file chosen"; again after a reset (the kiosk's) or a page restored
     from the browser's history, which may have emptied the input. */
  function showFileName(input) {
    var name = input.parentNode.querySelector(".file-picker-name");
    if (!name) return;
    var files = Array.prototype.map.call(input.files || [], function (file) { return file.name; });
    name.textContent = files.length ? files.join(", ") : name.getAttribute("data-empty");
  }
  function showFileNames(root) {
    Array.prototype.forEach.call(root.querySelectorAll(".file-picker-input"), showFileName);
  }
  document.addEventListener("change", function (event) {
    if (event.target.classList && event.target.classList.contains("file-picker-input")) {
      showFileName(event.target);
    }
  });
  document.addEventListener("reset", function (event) {
    var form = event.target;
    setTimeout(function () { showFileNames(form); }, 0);  /* after the fields are reset */
  }, true);
  window.addEventListener("pageshow", function () { showFileNames(document); });
})();

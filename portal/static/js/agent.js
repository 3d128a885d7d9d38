/* Agent console: live preview, the article picker (panel and "??words"), insert buttons.
   The reply form works without this file; it only adds the conveniences. */
(function () {
  "use strict";
  var form = document.querySelector("[data-composer]");
  if (!form) { return; }
  var body = form.querySelector("[data-composer-body]");
  var picker = form.querySelector("[data-picker]");
  var preview = document.querySelector("[data-preview-target]");
  var results = document.querySelector("[data-panel-results]");
  var labels = results ? results.dataset : {};
  var TRIGGER = /(?:\?\?|？？)([^\s?？][^\n?？]{0,60})$/;

  Array.prototype.forEach.call(document.querySelectorAll("[data-js-only]"), function (el) {
    el.hidden = false;
  });

  function getJSON(url) {
    return fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error(r.status)); });
  }

  // --- preview: the same sanitizing renderer the customer's page uses -------------------
  function refreshPreview() {
    if (preview) { window.PortalPreview(form.dataset.previewUrl, body.value, preview); }
  }

  // --- inserting text at the caret (or in place of "??words") ---------------------------
  function place(text, mode, start, end) {
    var before = body.value.slice(0, start), after = body.value.slice(end);
    if (mode === "link") {
      if (before && !/\s$/.test(before)) { text = " " + text; }
    } else if (before && !/\n\n$/.test(before)) {
      text = (/\n$/.test(before) ? "\n" : "\n\n") + text;
    }
    if (mode !== "link") { text += "\n\n"; }
    body.value = before + text + after;
    var caret = before.length + text.length;
    body.focus();
    body.setSelectionRange(caret, caret);
    refreshPreview();
  }

  function insert(slug, anchor, mode, start, end) {
    var query = new URLSearchParams({slug: slug, anchor: anchor, mode: mode});
    return getJSON(form.dataset.insertUrl + "?" + query.toString())
      .then(function (d) { place(d.text, mode, start, end); });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-insert]");
    if (!button) { return; }
    var item = button.closest("[data-slug]");
    insert(item.dataset.slug, item.dataset.anchor, button.dataset.insert,
           body.selectionStart, body.selectionEnd);
  });

  function search(q) {
    return getJSON(form.dataset.searchUrl + "?q=" + encodeURIComponent(q))
      .then(function (d) { return d.results; });
  }

  function describe(hit, li) {
    var title = document.createElement("strong");
    title.textContent = hit.question;
    li.appendChild(title);
    if (hit.audience === "internal") {
      var badge = document.createElement("span");
      badge.className = "badge internal";
      badge.textContent = labels.labelInternal || "internal";
      li.appendChild(document.createTextNode(" "));
      li.appendChild(badge);
    }
    if (hit.question !== hit.title) {
      var context = document.createElement("span");
      context.className = "muted";
      context.textContent = " · " + hit.title;
      li.appendChild(context);
    }
  }

  // --- the panel's search box ------------------------------------------------------------
  var panelSearch = document.querySelector("[data-panel-search]");
  if (panelSearch && results) {
    var input = panelSearch.querySelector("input"), searchTimer = null;
    panelSearch.addEventListener("submit", function (event) { event.preventDefault(); });
    input.addEventListener("input", function () {
      clearTimeout(searchTimer);
      var q = input.value.trim();
      if (!q) { results.textContent = ""; return; }
      searchTimer = setTimeout(function () {
        search(q).then(function (hits) {
          if (input.value.trim() !== q) { return; }
          results.textContent = "";
          hits.forEach(function (hit) {
            var li = document.createElement("li");
            li.className = "hit";
            li.dataset.slug = hit.slug;
            li.dataset.anchor = hit.anchor;
            describe(hit, li);
            var actions = document.createElement("div");
            actions.className = "hit-actions";
            hit.modes.forEach(function (mode) {
              var button = document.createElement("button");
              button.type = "button";
              button.dataset.insert = mode;
              button.textContent = labels["label" + mode.charAt(0).toUpperCase() + mode.slice(1)];
              actions.appendChild(button);
            });
            li.appendChild(actions);
            results.appendChild(li);
          });
          if (!hits.length) {
            var empty = document.createElement("li");
            empty.className = "muted";
            empty.textContent = labels.labelEmpty || "";
            results.appendChild(empty);
          }
        });
      }, 200);
    });
  }

  // --- "??words": the same picker from the keyboard --------------------------------------
  var found = [], active = 0, triggerStart = -1, pickerTimer = null, lastQuery = "";

  function closePicker() { picker.hidden = true; found = []; triggerStart = -1; lastQuery = ""; }

  function highlight(index) {
    var items = picker.querySelectorAll("li");
    if (!items.length) { return; }
    active = (index + items.length) % items.length;
    Array.prototype.forEach.call(items, function (li, i) {
      li.classList.toggle("active", i === active);
      li.setAttribute("aria-selected", i === active ? "true" : "false");
    });
  }

  function choose(index) {
    var hit = found[index];
    if (!hit || triggerStart < 0) { return; }
    var start = triggerStart, end = body.selectionStart;
    closePicker();
    insert(hit.slug, hit.anchor, hit.modes[0], start, end);
  }

  function showPicker(hits) {
    found = hits;
    picker.textContent = "";
    hits.forEach(function (hit, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      describe(hit, li);
      li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
      picker.appendChild(li);
    });
    picker.hidden = hits.length === 0;
    highlight(0);
  }

  body.addEventListener("input", function () {
    refreshPreview();
    var match = TRIGGER.exec(body.value.slice(0, body.selectionStart));
    if (!match) { closePicker(); return; }
    triggerStart = body.selectionStart - match[0].length;
    var q = match[1].trim();
    clearTimeout(pickerTimer);
    pickerTimer = setTimeout(function () {
      if (q === lastQuery) { return; }
      lastQuery = q;
      search(q).then(function (hits) { if (triggerStart >= 0 && lastQuery === q) { showPicker(hits); } });
    }, 200);
  });

  body.addEventListener("keydown", function (event) {
    if (picker.hidden) { return; }
    if (event.key === "ArrowDown") { highlight(active + 1); event.preventDefault(); }
    else if (event.key === "ArrowUp") { highlight(active - 1); event.preventDefault(); }
    else if (event.key === "Escape") { closePicker(); event.preventDefault(); }
    else if (event.key === "Enter" && !event.isComposing) { choose(active); event.preventDefault(); }
  });
  body.addEventListener("blur", function () { setTimeout(closePicker, 150); });
})();

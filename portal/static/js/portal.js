/* Help Portal: progressive enhancement only; every page works without this file. */
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]');

  // Live preview through the same renderer and sanitizer as the public page; the editor
  // uses it here and the agent's composer through window.PortalPreview.
  var timers = new WeakMap();
  function preview(url, text, target) {
    clearTimeout(timers.get(target));
    timers.set(target, setTimeout(function () {
      var body = new FormData();
      body.append("body", text);
      fetch(url, {method: "POST", body: body, credentials: "same-origin",
            headers: {"X-CSRFToken": csrf ? csrf.content : ""}})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) { target.innerHTML = data.html; } });
    }, 300));
  }
  window.PortalPreview = preview;

  var source = document.querySelector("[data-preview-source]");
  var target = document.querySelector("[data-preview-target]");
  if (source && target) {
    source.addEventListener("input", function () {
      preview(target.dataset.previewUrl, source.value, target);
    });
  }
})();

/* Type-ahead: titles, questions and aliases by prefix or pinyin, from /api/v1/suggest. */
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-suggest]");
  Array.prototype.forEach.call(inputs, function (input) {
    var box = document.createElement("ul");
    box.className = "suggest-box";
    box.hidden = true;
    box.setAttribute("role", "listbox");
    input.setAttribute("aria-autocomplete", "list");
    input.parentNode.appendChild(box);
    var active = -1, timer = null, last = "";

    function close() { box.hidden = true; active = -1; }
    function render(items) {
      box.textContent = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        var a = document.createElement("a");
        a.href = item.url;
        a.textContent = item.text;
        li.appendChild(a);
        box.appendChild(li);
      });
      box.hidden = items.length === 0;
      active = -1;
    }
    function highlight(step) {
      var items = box.querySelectorAll("li");
      if (!items.length) { return; }
      if (active >= 0) { items[active].classList.remove("active"); }
      active = (active + step + items.length) % items.length;
      items[active].classList.add("active");
    }
    input.addEventListener("input", function () {
      var q = input.value.trim();
      clearTimeout(timer);
      if (!q) { close(); return; }
      timer = setTimeout(function () {
        if (q === last) { return; }
        last = q;
        fetch("/api/v1/suggest?q=" + encodeURIComponent(q), {credentials: "same-origin"})
          .then(function (r) { return r.ok ? r.json() : {suggestions: []}; })
          .then(function (data) { if (input.value.trim() === q) { render(data.suggestions); } })
          .catch(close);
      }, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (box.hidden) { return; }
      if (event.key === "ArrowDown") { highlight(1); event.preventDefault(); }
      else if (event.key === "ArrowUp") { highlight(-1); event.preventDefault(); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = box.querySelectorAll("a")[active].href;
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  });
})();

/* Ask form: offer matching answers while the customer types (the last chance to self-serve). */
(function () {
  "use strict";
  var form = document.querySelector("[data-ask-form]");
  var list = document.querySelector("[data-ask-suggestions]");
  if (!form || !list) { return; }
  var subject = form.querySelector("[name=subject]"), body = form.querySelector("[name=body]");
  var timer = null, last = "";
  function update() {
    var q = (subject.value + " " + body.value.slice(0, 200)).trim();
    if (q === last) { return; }
    last = q;
    if (!q) { return; }
    fetch(list.dataset.url + "?q=" + encodeURIComponent(q), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : {results: []}; })
      .then(function (data) {
        list.textContent = "";
        data.results.forEach(function (item) {
          var li = document.createElement("li"), a = document.createElement("a");
          a.href = item.url; a.textContent = item.title;
          li.appendChild(a);
          if (item.context) {
            var span = document.createElement("span");
            span.className = "muted"; span.textContent = " · " + item.context;
            li.appendChild(span);
          }
          list.appendChild(li);
        });
        if (!data.results.length) {
          var empty = document.createElement("li");
          empty.className = "muted"; empty.textContent = list.dataset.empty;
          list.appendChild(empty);
        }
      });
  }
  [subject, body].forEach(function (field) {
    field.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 300); });
  });
  update();
})();

/* Destructive staff actions (restore, archive, disable, aliases) ask before they submit. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target.closest ? event.target.closest("form[data-confirm]") : null;
    if (form && !window.confirm(form.dataset.confirm)) { event.preventDefault(); }
  }, true);
})();

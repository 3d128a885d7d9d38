/* Help Portal: progressive enhancement only; every page works without this file. */
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]');

  // Editor: live preview through the same renderer and sanitizer as the public page.
  var source = document.querySelector("[data-preview-source]");
  var target = document.querySelector("[data-preview-target]");
  if (source && target) {
    var timer = null;
    source.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var body = new FormData();
        body.append("body", source.value);
        fetch(target.dataset.previewUrl, {method: "POST", body: body, credentials: "same-origin",
              headers: {"X-CSRFToken": csrf ? csrf.content : ""}})
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (data) { if (data) { target.innerHTML = data.html; } });
      }, 300);
    });
  }
})();

/* Article picker: a plain slug input becomes a type-ahead of matching articles.
   Without this file the input still takes a slug; the server checks it exists. */
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-article-picker]");
  if (!inputs.length) { return; }
  var list = document.getElementById("article-picker-matches");
  if (!list) {
    list = document.createElement("datalist");
    list.id = "article-picker-matches";
    document.body.appendChild(list);
  }
  Array.prototype.forEach.call(inputs, function (input) {
    var timer = null;
    input.addEventListener("input", function () {
      var q = input.value.trim();
      clearTimeout(timer);
      if (!q) { return; }
      timer = setTimeout(function () {
        fetch(input.dataset.articlePicker + "?q=" + encodeURIComponent(q), {credentials: "same-origin"})
          .then(function (r) { return r.ok ? r.json() : {results: []}; })
          .then(function (data) {
            list.textContent = "";
            data.results.forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.slug;
              option.label = item.title;
              option.textContent = item.title;
              list.appendChild(option);
            });
          });
      }, 150);
    });
  });
})();

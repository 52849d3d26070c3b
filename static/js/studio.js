// Live preview for the studio's Markdown fields. Progressive enhancement only: without
// this script the preview shows the last saved text, and every form still works.
(function () {
  "use strict";
  var token = document.querySelector("input[name=csrf_token]");
  if (!token || !window.fetch) { return; }

  function attach(field) {
    var target = document.getElementById(field.getAttribute("data-preview"));
    var url = field.getAttribute("data-preview-url");
    if (!target || !url) { return; }
    var timer = null;
    var sent = 0;
    function refresh() {
      var body = new FormData();
      body.append("text", field.value);
      var mine = ++sent;
      fetch(url, { method: "POST", body: body, credentials: "same-origin",
                   headers: { "X-CSRFToken": token.value } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          // Only the newest answer counts; the server has sanitised it already.
          if (html !== null && mine === sent) {
            target.innerHTML = html;
            target.setAttribute("data-updated", String(mine));
          }
        })
        .catch(function () { /* keep the last preview; saving still works */ });
    }
    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 400);
    });
  }

  var fields = document.querySelectorAll("textarea[data-preview]");
  for (var i = 0; i < fields.length; i++) { attach(fields[i]); }
})();

// The question editor: show only the fields of the chosen kind of question. Without
// this script every kind's fields are shown, each under a heading naming its kind.
(function () {
  "use strict";
  var choice = document.querySelector("[data-kind-choice]");
  if (!choice) { return; }
  var parts = document.querySelectorAll("[data-kinds]");
  function show() {
    var picked = choice.querySelector("input:checked");
    var kind = picked ? picked.value : "single";
    for (var i = 0; i < parts.length; i++) {
      var kinds = parts[i].getAttribute("data-kinds").split(" ");
      parts[i].hidden = kinds.indexOf(kind) < 0;
    }
  }
  choice.addEventListener("change", show);
  show();
})();

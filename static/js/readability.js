/* Live B1 readability advice under text fields: progressive enhancement only.
   Without JavaScript the "Check readability" button re-renders the form with the same advice.
   Posts the text (JSON, with the CSRF token) a moment after typing stops, and puts the HTML the
   server made (escaped there) under the field. */
(function () {
  "use strict";
  if (!window.fetch || !window.JSON) { return; }
  var WAIT_MS = 800;
  var blocks = document.querySelectorAll("[data-readability-for]");
  Array.prototype.forEach.call(blocks, function (block) {
    var field = document.getElementById(block.getAttribute("data-readability-for"));
    var result = block.querySelector(".portal-readability__result");
    if (!field || !result) { return; }
    var timer = null;
    var last = null;
    var controller = null;

    function check() {
      var text = field.value;
      if (text === last) { return; }
      last = text;
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      fetch(block.getAttribute("data-url"), {
        method: "POST",
        credentials: "same-origin",
        headers: {"Content-Type": "application/json",
                  "X-CSRFToken": block.getAttribute("data-csrf")},
        body: JSON.stringify({text: text}),
        signal: controller ? controller.signal : undefined
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (data) {
        if (data && typeof data.html === "string") { result.innerHTML = data.html; }
      }).catch(function () { /* advice is optional: stay quiet */ });
    }

    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, WAIT_MS);
    });
  });
})();

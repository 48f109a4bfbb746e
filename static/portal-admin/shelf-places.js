// The need form: when staff pick a shelf, show under the field which of its positions are
// free and which need holds each taken one. The server writes the sentences (in the page's
// language and digits); after a submit the field's help text already says the same, so the
// form works without this script. A file, not an inline script: the Content Security Policy
// allows only our own script files.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var select = document.querySelector("select[data-places-url]");
  var help = select && document.getElementById(select.id + "_helptext");
  var target = help && help.querySelector("[data-shelf-places]");
  if (!target) return;
  var asked = 0;

  function show(lines) {
    target.replaceChildren();
    lines.filter(Boolean).forEach(function (line, index) {
      if (index) target.appendChild(document.createElement("br"));
      target.appendChild(document.createTextNode(line));
    });
  }

  select.addEventListener("change", function () {
    var mine = ++asked;  // only the answer for the latest choice is shown
    var url = new URL(select.dataset.placesUrl, window.location.href);
    if (select.value) url.searchParams.set("shelf", select.value);
    if (select.dataset.need) url.searchParams.set("need", select.dataset.need);
    target.setAttribute("aria-busy", "true");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (places) {
        if (mine === asked) show([places.free_text, places.taken_text]);
      })
      .catch(function () {
        if (mine === asked) show([select.dataset.placesError]);
      })
      .finally(function () {
        if (mine === asked) target.removeAttribute("aria-busy");
      });
  });
});

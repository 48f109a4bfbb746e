/* Names the search-as-you-type boxes of the admin (select2) for screen readers. select2 draws
   a box with role="textbox" whose only name is the text it shows, and that is empty until a
   choice is made (axe: aria-input-field-name); the box is given its field's label instead.
   select2 is started by Django's autocomplete.js in a jQuery ready callback, which jQuery runs
   after DOMContentLoaded; the boxes are named once the page has loaded, and again for inline
   rows added later. */
(function () {
  "use strict";
  function nameBoxes() {
    document.querySelectorAll(".select2-selection__rendered[role=textbox]").forEach(function (box) {
      if (box.hasAttribute("aria-label")) return;
      var id = (box.id || "").replace(/^select2-/, "").replace(/-container$/, "");
      var label = id && document.querySelector('label[for="' + id + '"]');
      if (label) box.setAttribute("aria-label", label.textContent.replace(/[:：]\s*$/, "").trim());
    });
  }
  window.addEventListener("load", function () { setTimeout(nameBoxes, 0); });
  document.addEventListener("formset:added", function () { setTimeout(nameBoxes, 0); });
})();

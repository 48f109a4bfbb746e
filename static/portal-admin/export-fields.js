/* The export page's "select all" box (portal/templates/admin/import_export/export.html): ticks
   or clears every column. A file, not the inline handler django-import-export writes, which
   the Content Security Policy does not run. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var toggle = document.getElementById("select-all-toggle");
  if (!toggle) return;
  toggle.addEventListener("change", function () {
    document.querySelectorAll('.selectable-field-export-row input[type="checkbox"]').forEach(function (box) {
      box.checked = toggle.checked;
    });
  });
});

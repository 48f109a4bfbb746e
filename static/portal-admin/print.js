// The shelf-labels page: a button that opens the browser's print dialog (no inline
// script: the Content Security Policy allows only our own script files).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});

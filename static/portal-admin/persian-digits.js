// The admin's own scripts write some text after the page loads (the "2 of 40 selected"
// counter of the action bar). On a Persian page the server-side pass (core.digits) has
// already run, so the same conversion is applied here to what those scripts write.
(function () {
  "use strict";
  if (!(document.documentElement.lang || "").startsWith("fa")) {
    return;
  }
  var PERSIAN = "۰۱۲۳۴۵۶۷۸۹";
  function persian(text) {
    return text.replace(/[0-9]/g, function (d) { return PERSIAN[+d]; });
  }
  function convert(node) {
    if (node.nodeType === Node.TEXT_NODE) {
      var changed = persian(node.nodeValue);
      if (changed !== node.nodeValue) {
        node.nodeValue = changed;
      }
      return;
    }
    node.childNodes.forEach(convert);
  }
  function watch(element) {
    convert(element);
    new MutationObserver(function () { convert(element); })
      .observe(element, {childList: true, characterData: true, subtree: true});
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".action-counter").forEach(watch);
  });
})();

/* The Jalali date picker (jalalidatepicker.min.js, vendored) for the inputs core/widgets.py
   marks with data-jdp. Loaded as a file, never inline (the Content Security Policy); any
   number of inputs may bring this script, it starts once.

   - The picker opens on a click or tap, not on keyboard focus: someone tabbing through a
     form types the date and is not covered by a calendar; Escape closes it and keeps focus
     in the field (the picker itself would drop focus to the page).
   - Persian pages show Persian digits in the field, while the picker reads and writes ASCII
     digits: each marked input's value is read to the picker in ASCII digits and written back
     in Persian ones. The server reads either (core.text.parse_typed_date). */
(function () {
  "use strict";
  if (window.portalJalaliInputs) return;
  window.portalJalaliInputs = true;

  var self = document.currentScript;
  var SELECTOR = "input[data-jdp]";
  var PERSIAN = "۰۱۲۳۴۵۶۷۸۹";
  var ARABIC = "٠١٢٣٤٥٦٧٨٩";
  var persianPage = (document.documentElement.lang || "").indexOf("fa") === 0;

  function asciiDigits(text) {
    return String(text).replace(/[۰-۹٠-٩]/g, function (d) {
      var i = PERSIAN.indexOf(d);
      return String(i >= 0 ? i : ARABIC.indexOf(d));
    });
  }

  function persianDigits(text) {
    return String(text).replace(/[0-9]/g, function (d) { return PERSIAN[+d]; });
  }

  var nativeValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value");

  function translateDigits(input) {
    if (!persianPage || input.portalJalaliDigits) return;
    input.portalJalaliDigits = true;
    Object.defineProperty(input, "value", {
      configurable: true,
      get: function () { return asciiDigits(nativeValue.get.call(this)); },
      set: function (text) { nativeValue.set.call(this, persianDigits(text)); }
    });
  }

  function withPicker(callback) {
    if (window.jalaliDatepicker) { callback(window.jalaliDatepicker); return; }
    var source = self && self.getAttribute("data-picker");
    if (!source) return;  // no picker: the inputs still take typed dates
    var style = self.getAttribute("data-picker-style");
    if (style) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = style;
      document.head.appendChild(link);
    }
    var script = document.createElement("script");
    script.src = source;
    script.onload = function () { if (window.jalaliDatepicker) callback(window.jalaliDatepicker); };
    document.head.appendChild(script);
  }

  function start(picker) {
    picker.startWatch({
      autoShow: false,  // opened by a click below, not by focus
      autoReadOnlyInput: false,  // typing always works, on phones too
      persianDigits: persianPage,
      time: false,
      date: true,
      hasSecond: false,
      showCloseBtn: true,
      selector: SELECTOR
    });
    var openFor = null;  // the input whose calendar is open (the picker does not say)
    function close() {
      if (openFor) { openFor = null; picker.hide(); }
    }
    function inCalendar(node) {
      return Boolean(node.closest && node.closest("jdp-container"));
    }
    document.addEventListener("click", function (event) {
      var input = event.target.closest ? event.target.closest(SELECTOR) : null;
      if (input && !input.disabled && !input.readOnly) {
        translateDigits(input);
        picker.show(input);
        openFor = input;
      } else if (!inCalendar(event.target)) {
        openFor = null;  // the picker closes itself on a click elsewhere
      }
    });
    document.addEventListener("jdp:change", function () { openFor = null; }, true);  // closed after a choice
    // Focus moving on (Tab) closes the calendar of the field it leaves.
    document.addEventListener("focusin", function (event) {
      if (openFor && event.target !== openFor && !inCalendar(event.target)) close();
    });
    window.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && openFor) {
        event.stopPropagation();
        close();
      }
    }, true);
  }

  function go() {
    if (document.querySelector(SELECTOR)) withPicker(start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", go);
  } else {
    go();
  }
})();

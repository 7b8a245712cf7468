// A search box above each unit select: the select lists a short set of units; typing (without
// diacritics) finds the others in the user's scope through the units' autocomplete.
// The autocomplete URL and the hint come from this script tag's data-url and data-hint
// (templates/records/_unit_picker.html): no inline script (Content-Security-Policy).
(function () {
  "use strict";
  var me = document.currentScript;
  var url = me.dataset.url;
  var hint = me.dataset.hint;
  function setUp() {
    document.querySelectorAll("select[data-unit-picker]").forEach(function (select) {
      if (select.dataset.unitPickerReady) { return; }
      select.dataset.unitPickerReady = "1";
      var original = Array.prototype.map.call(select.options, function (o) { return [o.value, o.text]; });
      var box = document.createElement("input");
      box.type = "search";
      box.className = "form-control form-control-sm mt-1";
      box.placeholder = hint;
      box.setAttribute("aria-label", hint);
      select.parentNode.insertBefore(box, select.nextSibling);
      var timer = null;
      function fill(rows) {
        var current = select.value;
        var keep = Array.prototype.filter.call(select.options, function (o) { return o.value === "" || o.value === current; })
          .map(function (o) { return [o.value, o.text]; });
        select.innerHTML = "";
        var seen = {};
        keep.concat(rows).forEach(function (row) {
          if (seen[row[0]]) { return; }
          seen[row[0]] = true;
          var option = new Option(row[1], row[0]);
          option.selected = row[0] === current;
          select.add(option);
        });
      }
      box.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); } });
      box.addEventListener("input", function () {
        clearTimeout(timer);
        var q = box.value.trim();
        if (!q) { fill(original); return; }
        timer = setTimeout(function () {
          fetch(url + "?action=" + encodeURIComponent(select.dataset.unitPicker) + "&q=" + encodeURIComponent(q), {credentials: "same-origin"})
            .then(function (r) { return r.json(); })
            .then(function (data) { fill(data.results.map(function (u) { return [String(u.id), u.name + " (" + u.code + ")"]; })); });
        }, 300);
      });
    });
  }
  setUp();
})();

// Searchable pickers (phoihop/core/widgets.py): every select[data-autocomplete-url] becomes a
// Tom Select (vendor/tom-select) that loads its options from that URL as the user types.
// The endpoint answers {"results": [{"id", "text", "search"}]}: "text" is the label shown,
// "search" the same text folded (no diacritics, đ -> d), so "nguyen van" matches "Nguyễn Văn"
// here as it does on the server. Everything comes from data-* attributes (no inline script:
// Content-Security-Policy):
//   data-autocomplete-url      the endpoint, with its fixed filters (action, level, ...);
//   data-autocomplete-forward  optional "param=field,param2=field2": the current value of another
//                              field of the same form goes along as ?param=value;
//   data-placeholder, data-no-results, data-loading, data-remove   the words shown.
// Pickers that htmx swaps in later are set up on htmx:load.
(function () {
  "use strict";
  if (typeof window.TomSelect !== "function") { return; }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function forwarded(select) {
    var spec = select.dataset.autocompleteForward;
    var params = [];
    if (!spec || !select.form) { return params; }
    spec.split(",").forEach(function (pair) {
      var parts = pair.split("=");
      var field = select.form.elements.namedItem(parts[1] || parts[0]);
      if (field && field.value) { params.push([parts[0], field.value]); }
    });
    return params;
  }

  function setUp(select) {
    if (select.tomselect || select.dataset.pickerReady) { return; }
    select.dataset.pickerReady = "1";
    var url = select.dataset.autocompleteUrl;
    var multiple = select.multiple;
    var plugins = multiple ? {remove_button: {title: select.dataset.remove || "×"}} : {};
    if (!multiple && !select.required) { plugins.clear_button = {title: select.dataset.remove || "×"}; }
    var picker = new window.TomSelect(select, {
      plugins: plugins,
      valueField: "id",
      labelField: "text",
      searchField: ["search", "text"],
      sortField: [{field: "$score"}, {field: "$order"}],
      placeholder: select.dataset.placeholder || "",
      maxOptions: 50,
      loadThrottle: 250,
      preload: "focus",
      closeAfterSelect: !multiple,
      // Several to choose: the text typed for one is gone once it is chosen, ready for the next.
      onItemAdd: function () {
        if (multiple) { this.setTextboxValue(""); this.refreshOptions(false); }
      },
      allowEmptyOption: false,
      load: function (query, callback) {
        var sep = url.indexOf("?") === -1 ? "?" : "&";
        var params = new URLSearchParams(forwarded(select));
        params.set("q", query);
        fetch(url + sep + params.toString(), {credentials: "same-origin", headers: {"Accept": "application/json"}})
          .then(function (response) { return response.ok ? response.json() : {results: []}; })
          .then(function (data) { callback(data.results || []); })
          .catch(function () { callback(); });
      },
      render: {
        no_results: function () { return '<div class="no-results">' + escapeHtml(select.dataset.noResults || "") + "</div>"; },
        // No role="status" here: the dropdown is a listbox, which may hold only options (axe).
        loading: function () { return '<div class="m-2"><span class="spinner-border spinner-border-sm" aria-hidden="true"></span><span class="visually-hidden">' + escapeHtml(select.dataset.loading || "") + "</span></div>"; },
        option: function (item) { return "<div>" + escapeHtml(item.text) + "</div>"; },
        item: function (item) { return "<div>" + escapeHtml(item.text) + "</div>"; }
      }
    });
    // Tom Select moves the <label> to its own input; the original select stays in the form,
    // out of sight and out of the tab order, and leaves the accessibility tree too (axe).
    select.setAttribute("aria-hidden", "true");
    // An answer that comes back once the list is closed (a choice made from what was already
    // shown before a slower, earlier search answered, or Escape) only adds its options: Tom Select
    // would open the list again over the fields below, where the next click would pick an option
    // instead of reaching the button the user aimed at. Its loadCallback opens the list only for
    // a focused picker, so it runs as if unfocused then.
    var loadCallback = picker.loadCallback;
    picker.loadCallback = function (options, optgroups) {
      if (this.isOpen) { return loadCallback.call(this, options, optgroups); }
      var focused = this.isFocused;
      this.isFocused = false;
      try {
        return loadCallback.call(this, options, optgroups);
      } finally {
        this.isFocused = focused;
      }
    };
    // One to choose: while text is typed, the chosen item under the search box is hidden (the
    // CSS lays the box over the item so that the picker keeps its height; phoihop.css).
    // Tom Select fires "update" on the box when it sets the text itself (cleared on a choice).
    if (!multiple) {
      var typing = function () {
        picker.wrapper.classList.toggle("picker-typing", picker.control_input.value !== "");
      };
      picker.control_input.addEventListener("input", typing);
      picker.control_input.addEventListener("update", typing);
    }
    // A forwarded field changed: what was loaded for the old value no longer holds.
    if (select.dataset.autocompleteForward && select.form) {
      select.form.addEventListener("change", function (event) {
        if (event.target === select || !event.target.name) { return; }
        if (select.dataset.autocompleteForward.indexOf("=" + event.target.name) === -1) { return; }
        picker.clearOptions();
        picker.loadedSearches = {};
      });
    }
  }

  function setUpAll(root) {
    (root || document).querySelectorAll("select[data-autocomplete-url]").forEach(setUp);
  }

  setUpAll(document);
  document.addEventListener("htmx:load", function (event) { setUpAll(event.target); });
})();

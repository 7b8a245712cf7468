// Behaviour shared by every page, loaded from base.html. The Content-Security-Policy forbids
// inline scripts and on*= attributes, so templates mark elements with data-* attributes:
//   data-confirm="question"  on a <form> (asked on submit) or a button/link (asked on click);
//   data-print               on a button that prints the page;
//   data-tree-toggle         on the unit tree's "open" button (htmx loads the children);
//   data-no-submit-on-enter  on a search box inside a form: Enter does not submit the form.
// A .table-responsive box that scrolls sideways takes the keyboard focus (no attribute needed).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target.closest("[data-confirm]:not(form), [data-print]") : null;
    if (!target) { return; }
    if (target.hasAttribute("data-print")) {
      event.preventDefault();
      window.print();
      return;
    }
    if (!window.confirm(target.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target instanceof Element && event.target.hasAttribute("data-no-submit-on-enter")) {
      event.preventDefault();
    }
  });
  // The unit tree: once a node's children are loaded, the button shows it open and loads no more.
  document.addEventListener("htmx:afterRequest", function (event) {
    var button = event.detail && event.detail.elt;
    if (!(button instanceof Element) || !button.hasAttribute("data-tree-toggle") || !event.detail.successful) { return; }
    button.setAttribute("aria-expanded", "true");
    button.textContent = "\u25be";
    button.removeAttribute("hx-get");
    if (window.htmx) { window.htmx.process(button); }
  });
  // A table wider than the screen scrolls sideways in its .table-responsive box: when it does,
  // the box takes the keyboard focus so that the arrow keys scroll it (WCAG 2.1.1; axe's
  // scrollable-region-focusable). Checked again when the window resizes and htmx swaps content.
  function focusableScrollers() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  }
  var resizeTimer = null;
  document.addEventListener("DOMContentLoaded", focusableScrollers);
  document.addEventListener("htmx:load", focusableScrollers);
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(focusableScrollers, 150);
  });
})();

// Changing the sender redraws the recipients: each unit has its own lower units and counterparts.
// The form's own URL comes from this script tag's data-url (templates/records/exchange_form.html).
(function () {
  "use strict";
  var url = document.currentScript.dataset.url;
  var sender = document.getElementById("id_sender");
  if (sender) {
    sender.setAttribute("hx-get", url);
    sender.setAttribute("hx-trigger", "change");
    sender.setAttribute("hx-include", "#exchange-form");
    sender.setAttribute("hx-target", "#recipient-picker");
    sender.setAttribute("hx-select", "#recipient-picker");
    sender.setAttribute("hx-swap", "outerHTML");
    if (window.htmx) { window.htmx.process(sender); }
  }
})();

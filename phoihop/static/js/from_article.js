// "Ghi hội nghị từ bài viết": a person's "unit of the new person" is asked only when the person
// is to be added as new (the choice "new" of the row's "in the list of people").
(function () {
  "use strict";
  document.querySelectorAll("[data-testid=person-row]").forEach(function (row) {
    var choice = row.querySelector("select[name$='-person']");
    var unit = row.querySelector("[data-new-in]");
    if (!choice || !unit) {
      return;
    }
    var sync = function () {
      unit.hidden = choice.value !== "new";
    };
    choice.addEventListener("change", sync);
    sync();
  });
})();

// Activity pages: unit search boxes (over orgunits:autocomplete), partner suggestions that
// follow the lead unit, and the indicator block of the chosen phase. Without this script the
// form still works: every choice is a plain select or checkbox.
(function () {
  "use strict";

  function debounce(fn, ms) {
    let timer = null;
    return function (...args) {
      clearTimeout(timer);
      timer = setTimeout(() => fn.apply(this, args), ms);
    };
  }

  async function findUnits(url, q) {
    const sep = url.includes("?") ? "&" : "?";
    const response = await fetch(url + sep + "q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } });
    if (!response.ok) return [];
    return (await response.json()).results || [];
  }

  // List filter: a datalist of unit codes, filled as the user types.
  document.querySelectorAll("[data-unit-datalist]").forEach((input) => {
    const list = document.getElementById(input.getAttribute("list"));
    input.addEventListener("input", debounce(async () => {
      const q = input.value.trim();
      if (q.length < 2 || !list) return;
      const units = await findUnits(input.dataset.unitDatalist, q);
      list.replaceChildren(...units.map((u) => {
        const option = document.createElement("option");
        option.value = u.code;
        option.label = u.name;
        return option;
      }));
    }, 250));
  });

  function addCheckbox(container, id, name, checked) {
    let box = container.querySelector(`input[value="${id}"]`);
    if (!box) {
      const wrap = document.createElement("div");
      wrap.className = "form-check";
      box = document.createElement("input");
      box.className = "form-check-input";
      box.type = "checkbox";
      box.name = "partners";
      box.value = id;
      box.id = "partner-" + id;
      const label = document.createElement("label");
      label.className = "form-check-label";
      label.htmlFor = box.id;
      label.textContent = name;
      wrap.append(box, label);
      container.append(wrap);
    }
    if (checked) box.checked = true;
    return box;
  }

  // Form: search boxes that add a unit to a select or to the partner checkboxes.
  document.querySelectorAll("[data-unit-search]").forEach((input) => {
    const results = input.parentElement.querySelector(".unit-search-results");
    input.addEventListener("input", debounce(async () => {
      const q = input.value.trim();
      results.replaceChildren();
      if (q.length < 2) return;
      const units = await findUnits(input.dataset.unitSearch, q);
      results.replaceChildren(...units.map((u) => {
        const item = document.createElement("button");
        item.type = "button";
        item.className = "list-group-item list-group-item-action small py-1";
        item.textContent = u.name + " (" + u.code + ")";
        item.addEventListener("click", () => {
          if (input.dataset.targetSelect) {
            const select = document.querySelector(input.dataset.targetSelect);
            let option = select.querySelector(`option[value="${u.id}"]`);
            if (!option) {
              option = new Option(u.name, u.id);
              select.add(option);
            }
            select.value = String(u.id);
            select.dispatchEvent(new Event("change", { bubbles: true }));
          } else if (input.dataset.targetChecks) {
            addCheckbox(document.querySelector(input.dataset.targetChecks), u.id, u.name, true);
          }
          input.value = "";
          results.replaceChildren();
        });
        return item;
      }));
    }, 250));
  });

  // Partner suggestions follow the lead unit: its counterparts; chosen ones stay. On a new
  // activity (data-preselect) the counterparts are ticked, and those ticked for the previous
  // lead unit (and not touched since) go with it.
  const lead = document.getElementById("id_lead_unit");
  const partners = document.getElementById("partner-options");
  const dataNode = lead && document.getElementById(lead.dataset.counterparts);
  if (lead && partners && dataNode) {
    const counterparts = JSON.parse(dataNode.textContent);
    const preselect = partners.dataset.preselect === "1";
    if (preselect) {
      partners.querySelectorAll("input:checked").forEach((box) => { box.dataset.auto = "1"; });
    }
    partners.addEventListener("change", (event) => { delete event.target.dataset.auto; });
    lead.addEventListener("change", () => {
      partners.querySelectorAll(".form-check").forEach((wrap) => {
        const box = wrap.querySelector("input");
        if (!box.checked || box.dataset.auto === "1") wrap.remove();
      });
      (counterparts[lead.value] || []).forEach(([id, name]) => {
        const box = addCheckbox(partners, id, name, preselect);
        if (preselect) box.dataset.auto = "1";
      });
    });
  }

  // The commune list narrows to the names matching what is typed, with or without diacritics.
  // Delegated: the area picker is replaced by htmx when the province or the lead unit changes.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  document.addEventListener("input", (event) => {
    const input = event.target.closest && event.target.closest("[data-filter-select]");
    if (!input) return;
    const select = document.querySelector(input.dataset.filterSelect);
    const wanted = fold(input.value.trim());
    Array.from(select.options).forEach((option) => {
      option.hidden = !(option.value === "" || option.selected || fold(option.text).includes(wanted));
    });
  });

  // Only the chosen phase's indicators are shown and sent.
  const phase = document.getElementById("id_phase");
  const blocks = document.querySelectorAll("[data-phase-block]");
  function showPhase() {
    blocks.forEach((block) => {
      const on = !phase || phase.value === "" || block.dataset.phaseBlock === phase.value || blocks.length === 1;
      block.hidden = !on;
      block.querySelectorAll("input").forEach((input) => { input.disabled = !on; });
    });
  }
  if (phase && blocks.length > 1) {
    phase.addEventListener("change", showPhase);
    showPhase();
  }
})();

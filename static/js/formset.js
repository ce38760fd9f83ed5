// Editable formset tables (templates/includes/_inline_formset.html): add and remove rows in place.
(function () {
  "use strict";
  function refreshEmpty(box) {
    const visible = box.querySelectorAll("[data-formset-row]:not([hidden])").length;
    const empty = box.querySelector("[data-formset-empty]");
    if (empty) empty.hidden = visible > 0;
  }
  document.addEventListener("click", function (event) {
    const add = event.target.closest("[data-formset-add]");
    if (add) {
      const box = add.closest("[data-formset]");
      const total = box.querySelector('input[name$="-TOTAL_FORMS"]');
      const max = box.querySelector('input[name$="-MAX_NUM_FORMS"]');
      if (max && +total.value >= +max.value) return;
      const html = box.querySelector("template[data-formset-template]").innerHTML.replace(/__prefix__/g, total.value);
      const body = box.querySelector("[data-formset-body]");
      body.insertAdjacentHTML("beforeend", html);
      total.value = +total.value + 1;
      const row = body.lastElementChild;
      const first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
      refreshEmpty(box);
      box.dispatchEvent(new CustomEvent("formset:changed", { bubbles: true }));
      return;
    }
    const remove = event.target.closest("[data-formset-remove]");
    if (remove) {
      const row = remove.closest("[data-formset-row]");
      const box = row.closest("[data-formset]");
      const flag = row.querySelector('input[name$="-DELETE"]');
      if (flag) flag.checked = true;
      row.hidden = true;
      refreshEmpty(box);
      box.dispatchEvent(new CustomEvent("formset:changed", { bubbles: true }));
    }
  });
  // Rows added by the server (a standard kit's lines, htmx): the "no line yet" note goes too.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    const box = event.target.closest && event.target.closest("[data-formset]");
    if (box) refreshEmpty(box);
  });
})();

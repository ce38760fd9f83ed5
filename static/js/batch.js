// HQ's batch pages (projects to approve, projects to fund): tick all, and the count and total of
// the projects ticked — with what the chosen envelope would have left — said as they change.
// Only a help: the confirmation page computes the same figures on the server.
(function () {
  "use strict";
  const form = document.querySelector("form[data-batch]");
  if (!form) {
    return;
  }
  const summary = form.querySelector("[data-batch-summary]");
  const boxes = Array.from(form.querySelectorAll("input[name=projects]"));
  const all = form.querySelector("[data-batch-all]");
  const envelope = form.querySelector("select[name=envelope]");

  // Centimes as integers, so that the sums are exact; written like the server's format_amount.
  function centimes(text) {
    return Math.round(Number(text) * 100);
  }
  function written(value) {
    const sign = value < 0 ? "-" : "";
    const digits = String(Math.abs(value)).padStart(3, "0");
    const whole = digits.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, summary.dataset.thousands);
    return sign + whole + summary.dataset.decimal + digits.slice(-2) + "\u00a0" + summary.dataset.unit;
  }
  function update() {
    const ticked = boxes.filter(function (box) { return box.checked && !box.disabled; });
    const total = ticked.reduce(function (sum, box) { return sum + centimes(box.dataset.amount); }, 0);
    if (all) {
      const open = boxes.filter(function (box) { return !box.disabled; });
      all.checked = open.length > 0 && ticked.length === open.length;
      all.indeterminate = ticked.length > 0 && ticked.length < open.length;
    }
    if (!ticked.length) {
      summary.textContent = summary.dataset.none;
      return;
    }
    const option = envelope && envelope.selectedOptions[0];
    const left = option ? written(centimes(option.dataset.available) - total) : "";
    summary.textContent = summary.dataset.some
      .replace("{count}", ticked.length)
      .replace("{total}", written(total))
      .replace("{left}", left);
  }
  if (all) {
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { if (!box.disabled) { box.checked = all.checked; } });
      update();
    });
  }
  boxes.forEach(function (box) { box.addEventListener("change", update); });
  update();
})();

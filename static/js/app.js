// Small behaviours shared by all pages. Forms work without JavaScript; this only helps.
(function () {
  "use strict";
  // Ask before a destructive action: <button data-confirm="Archive this case file?">.
  document.addEventListener("click", function (event) {
    const trigger = event.target.closest("[data-confirm]");
    if (trigger && !window.confirm(trigger.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();

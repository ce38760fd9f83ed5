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

  // A create form is sent once: its buttons wait while it is on its way. A courtesy only — the
  // server makes a second copy land on the first (reintegration/once.py).
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (event.defaultPrevented || form.method.toLowerCase() !== "post" || !form.querySelector("input[name=submission]")) {
      return;
    }
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "1";
    // After this tick, so that the pressed button's name and value still go with the form.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
      });
    }, 0);
    // Back to normal if the page stays (a download, or the browser's back button).
    window.setTimeout(function () {
      delete form.dataset.sending;
      form.querySelectorAll("[aria-busy=true]").forEach(function (button) {
        button.disabled = false;
        button.removeAttribute("aria-busy");
      });
    }, 8000);
  });

  // A filter that applies itself when changed: <select data-autosubmit> (no inline onchange, which
  // the Content Security Policy refuses).
  document.addEventListener("change", function (event) {
    const field = event.target.closest("[data-autosubmit]");
    if (field && field.form) {
      field.form.requestSubmit();
    }
  });

  // A 429 (too many lookups) carries a message for the user: htmx shows it where the answer
  // goes instead of dropping it like other errors.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 429) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();

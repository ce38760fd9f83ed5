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

  // A refused form opens on its summary (read out first), whose links move the focus to the
  // field concerned, not only the page's scroll.
  const summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
  document.addEventListener("click", function (event) {
    const link = event.target.closest("a[data-focus-field]");
    const target = link && document.getElementById(link.hash.slice(1));
    if (target) {
      event.preventDefault();
      const field = target.matches("input, select, textarea, button") ? target : target.querySelector("input, select, textarea, button");
      (field || target).focus();
      (field || target).scrollIntoView({block: "center"});
    }
  });

  // "This field is required" goes once the field is filled: the red mark stays only where
  // something is still missing (the server checks again on sending).
  document.addEventListener("input", function (event) {
    const field = event.target;
    if (!field.classList || !field.classList.contains("is-invalid")) {
      return;
    }
    // A box or a choice counts as filled once ticked (its value is there either way).
    const filled = field.type === "checkbox" || field.type === "radio" ? field.checked : field.value.trim();
    if (!filled) {
      return;
    }
    field.classList.remove("is-invalid");
    field.removeAttribute("aria-invalid");
    const wrapper = field.closest("[id^=div_]") || field.parentElement;
    // Live messages (the plan's figures, aria-live) are the preview's to update, not ours.
    wrapper.querySelectorAll(".invalid-feedback:not([aria-live])").forEach(function (message) {
      message.hidden = true;
    });
  });

  // "Other actions" (<details>) closes with Escape or a click elsewhere, like a menu.
  document.addEventListener("keydown", function (event) {
    const open = event.key === "Escape" && event.target.closest && event.target.closest("details.other-actions[open]");
    if (open) {
      open.open = false;
      open.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.other-actions[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) {
        menu.open = false;
      }
    });
  });

  // The sticky Save/Register bar at the bottom of a long form never covers the field in focus.
  // (scroll-padding-bottom in app.css does it for links and scrollIntoView; Chromium's Tab
  // does not heed it when the field is already partly in view.)
  document.addEventListener("focusin", function (event) {
    const field = event.target;
    const form = field.closest && field.closest("form");
    const bar = form && form.querySelector(".sticky-bottom");
    if (!bar || bar.contains(field)) {
      return;
    }
    const hidden = field.getBoundingClientRect().bottom - bar.getBoundingClientRect().top;
    if (hidden > 0) {
      window.scrollBy({top: hidden + 16, behavior: "instant"});
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

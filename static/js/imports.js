/* Site import and measurement forms: one click per upload (no double submits while the server reads the file). No inline scripts (CSP). */
(function () {
  "use strict";
  document.querySelectorAll("form[data-import-form]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit][data-busy-label]");
      if (!button) return;
      // Disable after the submit has been dispatched, so the button's own value is still sent.
      window.setTimeout(function () {
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
        button.textContent = button.getAttribute("data-busy-label");
      }, 0);
    });
  });
})();
/* The preview's "blank cells clear" option shows its effect at once. */
(function () {
  "use strict";
  document.querySelectorAll("input[data-autosubmit]").forEach(function (input) {
    input.addEventListener("change", function () { input.form.submit(); });
  });
})();

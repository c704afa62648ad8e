/* Portal behaviour: the live sites grid and unsaved-change warnings. No inline scripts (CSP). */
(function () {
  "use strict";

  var pending = 0; // requests in flight: leaving the page now could lose an edit

  document.body.addEventListener("htmx:beforeRequest", function () { pending += 1; });
  document.body.addEventListener("htmx:afterRequest", function () { pending = Math.max(0, pending - 1); });

  // Field errors arrive as text in a div tied to the input; mark the input to match.
  function syncErrors(root) {
    (root || document).querySelectorAll("[data-error-for]").forEach(function (box) {
      var input = document.getElementById(box.getAttribute("data-error-for"));
      if (!input) return;
      var bad = box.textContent.trim() !== "";
      input.classList.toggle("is-invalid", bad);
      if (bad) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
    });
  }
  document.body.addEventListener("htmx:afterSettle", function () { syncErrors(); });
  document.body.addEventListener("htmx:oobAfterSwap", function () { syncErrors(); });

  // A failed request (e.g. a removal refused because someone changed the site) is said plainly.
  document.body.addEventListener("htmx:responseError", function (event) {
    var box = document.getElementById("grid-alert");
    var text = event.detail.xhr && event.detail.xhr.responseText;
    if (box) {
      box.textContent = text && text.length < 400 ? text : "That did not work. Reload the page and try again.";
      box.hidden = false;
    }
  });
  document.body.addEventListener("htmx:sendError", function () {
    var box = document.getElementById("grid-alert");
    if (box) { box.textContent = "The portal cannot be reached: your last change is not saved yet."; box.hidden = false; }
  });

  function initGrid(grid) {
    var body = grid.querySelector("#grid-body");
    var newRow = grid.querySelector("[data-new-row]");

    function cellIndex(el) {
      var cell = el.closest("td");
      return Array.prototype.indexOf.call(cell.parentNode.children, cell);
    }

    function focusCell(row, index) {
      var target = row && row.children[index] &&
        row.children[index].querySelector("input:not([type=hidden]):not([type=checkbox]), select");
      if (target) { target.focus(); if (target.select) target.select(); }
    }

    grid.addEventListener("keydown", function (event) {
      var el = event.target;
      if (!el.matches("input, select") || el.type === "checkbox") return;
      var row = el.closest("tr");
      var inNewRow = row === newRow;
      if (event.key === "Enter" && !event.ctrlKey && !event.metaKey && !event.altKey) {
        if (inNewRow && !event.shiftKey) return; // Enter in the last row adds the site
        event.preventDefault();
        var index = cellIndex(el);
        var target;
        if (event.shiftKey) {
          target = inNewRow ? body.lastElementChild : row.previousElementSibling;
        } else {
          target = row.nextElementSibling || newRow;
        }
        if (target) {
          el.dispatchEvent(new Event("change", { bubbles: true }));
          focusCell(target, index);
        }
      } else if ((event.ctrlKey || event.metaKey) && (event.key === "d" || event.key === "D")) {
        var duplicate = row.querySelector("[data-duplicate-row]");
        if (duplicate) { event.preventDefault(); duplicate.click(); }
      }
    });

    document.body.addEventListener("site-created", function () {
      var empty = document.getElementById("grid-empty");
      if (empty) empty.remove();
      var form = document.getElementById("row-new-form");
      newRow.querySelectorAll("input, select").forEach(function (el) {
        if (el.getAttribute("form") !== "row-new-form") return;
        if (el.tagName === "SELECT") el.selectedIndex = 0;
        else if (el.type !== "hidden") el.value = el.defaultValue;
      });
      if (form) focusCell(newRow, 1);
    });
  }

  document.querySelectorAll("[data-grid]").forEach(initGrid);

  // After a refused save, "Keep mine" saves the row again over the newer version.
  document.body.addEventListener("click", function (event) {
    var button = event.target.closest("[data-keep-mine]");
    if (!button) return;
    var row = button.getAttribute("data-keep-mine");
    var version = document.getElementById(row + "-version");
    var form = document.getElementById(row + "-form");
    if (!version || !form) return;
    version.value = button.getAttribute("data-version");
    form.requestSubmit();
  });

  // The same for the organisation questions: autosave again over the newer version.
  document.body.addEventListener("click", function (event) {
    var button = event.target.closest("[data-keep-answers]");
    if (!button) return;
    var version = document.getElementById("id_version");
    if (!version) return;
    version.value = button.getAttribute("data-version");
    htmx.trigger(version.form, "change");
  });

  // Bulk edit: show the value control that fits the chosen field.
  document.querySelectorAll("[data-bulk]").forEach(function (form) {
    var chooser = form.querySelector("[data-bulk-field]");
    function update() {
      form.querySelectorAll("[data-bulk-value]").forEach(function (control) {
        var on = control.getAttribute("data-bulk-value") === chooser.value;
        control.hidden = !on;
        control.disabled = !on;
        if (on) control.id = "bulk-value"; else control.removeAttribute("id");
      });
    }
    chooser.addEventListener("change", update);
    update();
  });

  // Forms marked data-warn-unsaved ask before the page is left with unsaved edits.
  document.querySelectorAll("form[data-warn-unsaved]").forEach(function (form) {
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
  });

  window.addEventListener("beforeunload", function (event) {
    if (pending > 0) { event.preventDefault(); event.returnValue = ""; }
  });
})();

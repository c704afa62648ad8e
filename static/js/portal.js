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

  // A destructive form asks first. The server asks too (a confirmation page) unless the
  // form says it was confirmed, so without JavaScript nothing happens on one stray click.
  document.body.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-confirm]")) return;
    if (!window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
      return;
    }
    var confirmed = form.querySelector("input[name=confirmed]");
    if (!confirmed) {
      confirmed = document.createElement("input");
      confirmed.type = "hidden";
      confirmed.name = "confirmed";
      form.appendChild(confirmed);
    }
    confirmed.value = "yes";
  });
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

  // The grid shows one window of the sites; paging swaps #grid-window, so rows, the
  // new-site row and the pager are looked up when needed, never kept.
  function initGrid(grid) {
    var lastChange = 0; // a row's autosave waits 150 ms: paging must not drop it
    var pendingFocus = null; // where the cursor goes once the next window is in

    function body() { return grid.querySelector("#grid-body"); }
    function newRow() { return grid.querySelector("[data-new-row]"); }

    function cellIndex(el) {
      var cell = el.closest("td");
      return Array.prototype.indexOf.call(cell.parentNode.children, cell);
    }

    function focusCell(row, index) {
      var target = row && row.children[index] &&
        row.children[index].querySelector("input:not([type=hidden]):not([type=checkbox]), select");
      if (target) { target.focus(); if (target.select) target.select(); }
      return !!target;
    }

    // Move to the next or previous page, the cursor in the same column.
    function turnPage(link, index, where) {
      if (!link) return false;
      pendingFocus = { index: index, where: where };
      link.click();
      return true;
    }

    grid.addEventListener("change", function (event) {
      if (event.target.closest("[data-row]")) lastChange = Date.now();
    }, true);

    grid.addEventListener("keydown", function (event) {
      var el = event.target;
      if (!el.matches("input, select") || el.type === "checkbox" || !el.closest("#grid-window")) return;
      var row = el.closest("tr");
      if (!row) return;
      var inNewRow = row === newRow();
      var index = cellIndex(el);
      if (event.key === "PageDown" || event.key === "PageUp") {
        var link = grid.querySelector(event.key === "PageDown" ? "[data-page-next]" : "[data-page-previous]");
        if (link) {
          event.preventDefault();
          el.dispatchEvent(new Event("change", { bubbles: true }));
          turnPage(link, index, event.key === "PageDown" ? "first" : "last");
        }
      } else if (event.key === "Enter" && !event.ctrlKey && !event.metaKey && !event.altKey) {
        if (inNewRow && !event.shiftKey) return; // Enter in the last row adds the site
        event.preventDefault();
        var target;
        if (event.shiftKey) {
          target = inNewRow ? body().lastElementChild : row.previousElementSibling;
          el.dispatchEvent(new Event("change", { bubbles: true }));
          if (!target && turnPage(grid.querySelector("[data-page-previous]"), index, "last")) return;
        } else {
          target = row.nextElementSibling;
          el.dispatchEvent(new Event("change", { bubbles: true }));
          // Past the last row of a page comes the next page; past the last page, the new row.
          if (!target && turnPage(grid.querySelector("[data-page-next]"), index, "first")) return;
          target = target || newRow();
        }
        if (target) focusCell(target, index);
      } else if ((event.ctrlKey || event.metaKey) && (event.key === "d" || event.key === "D")) {
        var duplicate = row.querySelector("[data-duplicate-row]");
        if (duplicate) { event.preventDefault(); duplicate.click(); }
      }
    });

    // A new window is asked for only once every edit typed so far is saved.
    document.body.addEventListener("htmx:confirm", function (event) {
      var target = event.detail.target;
      if (!target || target.id !== "grid-window") return;
      function busy() { return pending > 0 || Date.now() - lastChange < 400; }
      if (!busy()) return;
      event.preventDefault();
      (function wait() {
        if (busy()) { setTimeout(wait, 60); return; }
        event.detail.issueRequest(true);
      })();
    });

    document.body.addEventListener("htmx:afterSettle", function (event) {
      var win = event.detail.elt && event.detail.elt.id === "grid-window" ? event.detail.elt : null;
      if (!win) return;
      placeFocus(win);
    });

    function placeFocus(win) {
      var rows = win.querySelectorAll("[data-row]");
      var focusId = win.getAttribute("data-focus");
      if (pendingFocus) {
        var wanted = pendingFocus;
        pendingFocus = null;
        focusCell(wanted.where === "first" ? rows[0] : rows[rows.length - 1], wanted.index);
      } else if (focusId && document.getElementById(focusId)) {
        var row = document.getElementById(focusId);
        row.scrollIntoView({ block: "center" });
        focusCell(row, 1);
      } else if (document.activeElement === document.body && rows.length) {
        focusCell(rows[0], 1); // the pager link clicked is gone: start at the first row
      }
    }

    // Opened at a site (a jump, or a link to its row): the cursor starts in its row.
    var first = grid.querySelector("#grid-window");
    if (first && first.getAttribute("data-focus")) placeFocus(first);

    // "Select every site on this page" ticks the rows shown, and only them.
    grid.addEventListener("change", function (event) {
      if (!event.target.matches("[data-select-page]")) return;
      grid.querySelectorAll("[data-row] input[name=sites]").forEach(function (box) {
        box.checked = event.target.checked;
      });
    });

    document.body.addEventListener("site-created", function () {
      var empty = document.getElementById("grid-empty");
      if (empty) empty.remove();
      var form = document.getElementById("row-new-form");
      var line = newRow();
      line.querySelectorAll("input, select").forEach(function (el) {
        if (el.getAttribute("form") !== "row-new-form") return;
        if (el.tagName === "SELECT") el.selectedIndex = 0;
        else if (el.type !== "hidden") el.value = el.defaultValue;
      });
      if (form) focusCell(line, 1);
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

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

    cellKeys(grid, {
      newRow: newRow,
      cellIndex: cellIndex,
      focusCell: focusCell,
      nextPage: function (index, where) {
        var link = grid.querySelector(where === "first" ? "[data-page-next]" : "[data-page-previous]");
        return turnPage(link, index, where);
      }
    });

    grid.addEventListener("keydown", function (event) {
      var el = event.target;
      if (event.defaultPrevented) return; // a spreadsheet key already handled by cellKeys
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

  // Spreadsheet keys. A cell is entered "to move": arrows, Home/End move between cells,
  // typing replaces its content. F2, Enter or a click edit it: the caret is in the cell and
  // Left/Right/Home/End move the caret. Up/Down always move between rows and never step a
  // number or change a dropdown (an accidental change would autosave). Escape puts back the
  // value the cell had when it was entered. Kept apart from the grid's other handlers.
  function cellKeys(grid, grid_) {
    var pointer = false; // the next focus comes from a click: the user means to edit

    function isCell(el) {
      return el && el.matches && el.matches("input, select") && el.type !== "checkbox" &&
        el.type !== "hidden" && !!el.closest("#grid-window [data-row], #grid-window [data-new-row]");
    }
    function setMode(el, mode) {
      el.setAttribute("data-mode", mode);
      var cell = el.closest("td");
      if (cell) cell.classList.toggle("is-editing", mode === "edit");
    }
    function caretAtEnd(el) {
      // Number inputs have no selection API; giving the value back puts the caret at its end.
      var value = el.value;
      el.value = "";
      el.value = value;
    }
    function openPicker(el) {
      try { el.showPicker(); } catch (e) { /* older browsers: Alt+Down opens it natively */ }
    }
    function editable(row) {
      return Array.prototype.filter.call(row.children, function (td) {
        return td.querySelector("input:not([type=hidden]):not([type=checkbox]), select");
      });
    }
    function rowBelow(row) {
      var next = row.nextElementSibling;
      if (next) return next;
      return row.closest("tbody") ? grid_.newRow() : null;
    }
    function rowAbove(row) {
      var previous = row.previousElementSibling;
      if (previous) return previous;
      if (row.closest("tfoot")) return grid.querySelector("#grid-body").lastElementChild;
      return null;
    }
    function moveAcross(el, row, step, toEnd) {
      var cells = editable(row);
      var here = cells.indexOf(el.closest("td"));
      var to = toEnd ? (step < 0 ? 0 : cells.length - 1) : here + step;
      if (to < 0 || to >= cells.length || to === here) return;
      grid_.focusCell(row, Array.prototype.indexOf.call(row.children, cells[to]));
    }
    function moveDown(el, row, index, step) {
      var target = step > 0 ? rowBelow(row) : rowAbove(row);
      if (!target && grid_.nextPage(index, step > 0 ? "first" : "last")) return;
      if (target) grid_.focusCell(target, index);
    }

    grid.addEventListener("pointerdown", function (event) {
      if (isCell(event.target)) pointer = true;
    }, true);

    grid.addEventListener("focusin", function (event) {
      var el = event.target;
      if (!isCell(el)) return;
      el.setAttribute("data-before", el.value);
      setMode(el, pointer ? "edit" : "move");
      pointer = false;
    });
    grid.addEventListener("focusout", function (event) {
      if (isCell(event.target)) setMode(event.target, "move");
    });
    grid.addEventListener("input", function (event) {
      var el = event.target;
      if (isCell(el) && el.getAttribute("data-mode") === "move" && el.tagName !== "SELECT") setMode(el, "typed");
    });

    // The wheel over a focused number scrolls the page instead of stepping the number.
    grid.addEventListener("wheel", function (event) {
      var el = event.target;
      if (el.type !== "number" || el !== document.activeElement || !isCell(el)) return;
      event.preventDefault();
      window.scrollBy(event.deltaX, event.deltaY);
    }, { passive: false });

    grid.addEventListener("keydown", function (event) {
      var el = event.target;
      if (!isCell(el) || event.ctrlKey && !/^(Home|End)$/.test(event.key) || event.metaKey) return;
      var row = el.closest("tr");
      var index = grid_.cellIndex(el);
      var mode = el.getAttribute("data-mode") || "move";
      var isSelect = el.tagName === "SELECT";
      var key = event.key;
      if (key === "Escape") {
        var before = el.getAttribute("data-before");
        if (before !== null && el.value !== before) {
          el.value = before;
          // A dropdown saves as soon as it changes: save the value put back too.
          if (isSelect) el.dispatchEvent(new Event("change", { bubbles: true }));
        }
        setMode(el, "move");
        if (el.select) el.select();
      } else if (key === "F2" || (key === "Enter" && mode === "move" && !event.shiftKey && !event.altKey) ||
                 (isSelect && event.altKey && key === "ArrowDown")) {
        setMode(el, "edit");
        if (isSelect) openPicker(el); else caretAtEnd(el);
      } else if ((key === "ArrowUp" || key === "ArrowDown") && !event.altKey) {
        moveDown(el, row, index, key === "ArrowDown" ? 1 : -1);
      } else if ((key === "ArrowLeft" || key === "ArrowRight") && (mode !== "edit" || isSelect)) {
        moveAcross(el, row, key === "ArrowRight" ? 1 : -1, false);
      } else if ((key === "Home" || key === "End") && (mode !== "edit" || isSelect || event.ctrlKey)) {
        var step = key === "Home" ? -1 : 1;
        if (event.ctrlKey) {
          var rows = grid.querySelectorAll("#grid-body [data-row]");
          row = (step < 0 ? rows[0] : rows[rows.length - 1]) || row;
        }
        moveAcross(el, row, step, true);
      } else {
        return;
      }
      event.preventDefault();
    }, true);
  }

  // Live feedback: after a row saves, its score shows how far it moved ("+12", fading) and
  // the grade and the summary's average flash when they changed.
  function scoreFeedback() {
    var before = {};
    function scoreOf(box) {
      var chip = box && box.querySelector("[data-score]");
      var value = chip ? parseInt(chip.getAttribute("data-score"), 10) : NaN;
      return { score: value, grade: box ? (box.querySelector("[data-grade]") || {}).textContent : null };
    }
    function average() {
      var stat = document.querySelector("#live-summary [data-average]");
      return stat ? parseInt(stat.getAttribute("data-average"), 10) : NaN;
    }
    function showDelta(box, delta) {
      var mark = document.createElement("span");
      mark.className = "score-delta " + (delta > 0 ? "is-up" : "is-down");
      mark.setAttribute("data-score-delta", "");
      mark.setAttribute("aria-hidden", "true"); // the row's status already says it saved
      mark.textContent = (delta > 0 ? "+" : "\u2212") + Math.abs(delta);
      box.appendChild(mark);
      setTimeout(function () { mark.remove(); }, 2600);
    }
    function flash(el) {
      if (!el) return;
      el.classList.remove("is-changed");
      void el.offsetWidth; // restart the animation
      el.classList.add("is-changed");
    }
    document.body.addEventListener("htmx:beforeRequest", function (event) {
      var form = event.detail.elt;
      if (!form || !/^row-\d+-form$/.test(form.id || "")) return;
      var key = form.id.replace(/-form$/, "");
      before[key] = { row: scoreOf(document.getElementById(key + "-score")), average: average() };
    });
    document.body.addEventListener("htmx:afterRequest", function (event) {
      var form = event.detail.elt;
      if (!form || !/^row-\d+-form$/.test(form.id || "")) return;
      var key = form.id.replace(/-form$/, "");
      var was = before[key];
      delete before[key];
      var box = document.getElementById(key + "-score");
      if (!was || !box) return;
      var now = scoreOf(box);
      if (!isNaN(now.score) && !isNaN(was.row.score) && now.score !== was.row.score) showDelta(box, now.score - was.row.score);
      if (now.grade !== was.row.grade) flash(box.querySelector("[data-grade]"));
      var avg = average();
      if (!isNaN(avg) && !isNaN(was.average) && avg !== was.average) {
        var stat = document.querySelector("#live-summary [data-average]");
        showDelta(stat, avg - was.average);
        flash(stat);
      }
    });
  }

  // A refused save is settled in its cell: bring the cell into view (beside the frozen
  // columns), where the user is looking, rather than leave it off-screen.
  function cellConflicts() {
    document.body.addEventListener("htmx:afterRequest", function (event) {
      var form = event.detail.elt;
      if (!form || !/^row-\d+-form$/.test(form.id || "")) return;
      var row = document.getElementById(form.id.replace(/-form$/, ""));
      var box = row && row.querySelector("[data-cell-conflict]");
      if (!box) return;
      var cell = box.closest("td");
      var frozenEdge = row.children[2].getBoundingClientRect().right;
      var left = cell.getBoundingClientRect().left;
      var wrapRight = cell.closest(".grid-wrap").getBoundingClientRect().right;
      // Hidden under the frozen columns or past the right edge: its start beside them.
      var hidden = left < frozenEdge - 1 || left > wrapRight - 40;
      cell.scrollIntoView({ block: "nearest", inline: hidden ? "start" : "nearest" });
    });
  }

  // Dropdowns as wide as their longest label, so no answer is cut ("Partly (LAN or").
  function sizeDropdowns(grid) {
    var line = grid.querySelector("[data-new-row]");
    if (!line) return;
    var canvas = document.createElement("canvas").getContext("2d");
    line.querySelectorAll("td[class^='col-'] select").forEach(function (select) {
      var style = getComputedStyle(select);
      canvas.font = style.fontWeight + " " + style.fontSize + " " + style.fontFamily;
      var widest = 0;
      Array.prototype.forEach.call(select.options, function (option) {
        widest = Math.max(widest, canvas.measureText(option.textContent).width);
      });
      var room = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight) +
        parseFloat(style.borderLeftWidth) + parseFloat(style.borderRightWidth) + 4;
      var column = select.closest("td").className.split(" ")[0].replace(/^col-/, "");
      grid.style.setProperty("--w-" + column, Math.ceil(widest + room) + "px");
    });
  }

  document.querySelectorAll("[data-grid]").forEach(initGrid);
  document.querySelectorAll("[data-grid]").forEach(sizeDropdowns);
  scoreFeedback();
  cellConflicts();

  // After a refused save the row saves again over the newer version: "Keep mine" as typed,
  // "Take theirs" with the other person's values put in the conflicting cell first, so the
  // user's other edits in the row are kept either way.
  document.body.addEventListener("click", function (event) {
    var button = event.target.closest("[data-keep-mine], [data-take-theirs]");
    if (!button) return;
    var theirs = button.hasAttribute("data-take-theirs");
    var row = button.getAttribute(theirs ? "data-take-theirs" : "data-keep-mine");
    var version = document.getElementById(row + "-version");
    var form = document.getElementById(row + "-form");
    if (!version || !form) return;
    var values = theirs ? JSON.parse(button.getAttribute("data-values") || "{}") : {};
    var first = null;
    Object.keys(values).forEach(function (name) {
      var input = document.getElementById(row + "-" + name);
      if (!input) return;
      input.value = values[name];
      first = first || input;
    });
    version.value = button.getAttribute("data-version");
    form.requestSubmit();
    if (first) first.focus();
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

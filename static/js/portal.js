/* Portal behaviour: the keyboard-first sites grid and unsaved-change warnings. No inline scripts (CSP). */
(function () {
  "use strict";

  function initGrid(form) {
    var body = form.querySelector("[data-grid-body]");
    var template = document.getElementById("site-row-template");
    var total = form.querySelector("input[name$='-TOTAL_FORMS']");
    var prefix = total.name.replace(/-TOTAL_FORMS$/, "");
    var dirtyNote = form.querySelector("[data-dirty-note]");
    var dirty = false;

    function markDirty() {
      dirty = true;
      if (dirtyNote) dirtyNote.hidden = false;
    }

    function renumber() {
      body.querySelectorAll("[data-row]").forEach(function (row, i) {
        var cell = row.querySelector("[data-row-number]");
        if (cell && cell.firstChild && cell.firstChild.nodeType === 3) cell.firstChild.nodeValue = String(i + 1);
        else if (cell) cell.insertBefore(document.createTextNode(String(i + 1)), cell.firstChild);
      });
    }

    function addRow(values) {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("tbody");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      if (values) {
        row.querySelectorAll("input, select").forEach(function (el) {
          var key = el.name.replace(prefix + "-" + index + "-", "");
          if (key in values && key !== "name" && el.type !== "hidden" && el.type !== "checkbox") el.value = values[key];
          if (key === "name" && values.name) el.value = values.name + " (copy)";
        });
      }
      body.appendChild(row);
      total.value = String(index + 1);
      var empty = form.querySelector("[data-grid-empty]");
      if (empty) empty.remove();
      renumber();
      markDirty();
      return row;
    }

    function rowValues(row) {
      var values = {};
      row.querySelectorAll("input, select").forEach(function (el) {
        var key = el.name.replace(/^.*-\d+-/, "");
        values[key] = el.value;
      });
      return values;
    }

    function cellIndex(el) {
      var cell = el.closest("td");
      return Array.prototype.indexOf.call(cell.parentNode.children, cell);
    }

    function focusCell(row, index) {
      var target = row && row.children[index] && row.children[index].querySelector("input:not([type=hidden]):not([type=checkbox]), select");
      if (target) { target.focus(); if (target.select) target.select(); }
    }

    form.querySelector("[data-add-row]").addEventListener("click", function () {
      var row = addRow();
      focusCell(row, 1);
    });

    body.addEventListener("input", markDirty);
    body.addEventListener("change", function (event) {
      markDirty();
      if (event.target.matches("[data-delete-row]")) {
        event.target.closest("tr").classList.toggle("is-deleted", event.target.checked);
      }
    });

    body.addEventListener("click", function (event) {
      var button = event.target.closest("[data-duplicate-row]");
      if (!button) return;
      var copy = addRow(rowValues(button.closest("tr")));
      focusCell(copy, 1);
    });

    body.addEventListener("keydown", function (event) {
      var el = event.target;
      if (!el.matches("input, select")) return;
      var row = el.closest("tr");
      if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        var index = cellIndex(el);
        var next = event.shiftKey ? row.previousElementSibling : row.nextElementSibling;
        if (!next && !event.shiftKey) next = addRow();
        focusCell(next, index);
      } else if ((event.ctrlKey || event.metaKey) && (event.key === "d" || event.key === "D")) {
        event.preventDefault();
        var copy = addRow(rowValues(row));
        focusCell(copy, cellIndex(el));
      }
    });

    form.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && (event.key === "s" || event.key === "S")) {
        event.preventDefault();
        dirty = false;
        form.requestSubmit();
      }
    });

    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
  }

  document.querySelectorAll("form[data-grid]").forEach(initGrid);

  // Any form marked data-warn-unsaved asks before the page is left with unsaved edits.
  document.querySelectorAll("form[data-warn-unsaved]").forEach(function (form) {
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
  });
})();

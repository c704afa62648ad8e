/* Sites grid: select a range, paste a block from a spreadsheet, undo the last change. No inline scripts (CSP). */
(function () {
  "use strict";

  var panel = document.querySelector("[data-grid-paste]");
  var grid = document.querySelector("[data-grid]");
  if (!panel || !grid) return;
  var undoButton = panel.querySelector("[data-grid-undo]");
  var undoLabel = panel.querySelector("[data-undo-label]");
  var status = panel.querySelector("[data-paste-status]");
  var alertBox = document.getElementById("grid-alert");
  var anchor = null; // the cell a range starts from: the last one focused without Shift
  var typed = false; // typed in the focused cell since focusing it: Ctrl+Z is the input's own

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function cellOf(el) { return el && el.closest ? el.closest("#grid-window td[class*='col-']") : null; }
  function columnOf(td) {
    var match = /(?:^|\s)col-([a-z_]+)/.exec(td.className);
    return match ? match[1] : "";
  }
  function rowsOf() { return Array.prototype.slice.call(grid.querySelectorAll("#grid-body > tr[data-row]")); }

  // --- Selection: Shift+click or Shift+Arrow up/down marks a range of cells -------------
  function clearSelection() {
    grid.querySelectorAll("td.is-selected").forEach(function (td) { td.classList.remove("is-selected"); });
  }
  function selectRange(from, to) {
    clearSelection();
    var rows = Array.prototype.slice.call(grid.querySelectorAll("#grid-window tbody tr, #grid-window tfoot tr"));
    var r1 = rows.indexOf(from.parentNode), r2 = rows.indexOf(to.parentNode);
    var c1 = from.cellIndex, c2 = to.cellIndex;
    if (r1 < 0 || r2 < 0) return;
    for (var r = Math.min(r1, r2); r <= Math.max(r1, r2); r++) {
      for (var c = Math.min(c1, c2); c <= Math.max(c1, c2); c++) {
        var td = rows[r].children[c];
        if (td && cellOf(td) === td) td.classList.add("is-selected");
      }
    }
  }
  function topLeft() {
    var first = grid.querySelector("td.is-selected");
    if (!first) return null;
    var left = first;
    grid.querySelectorAll("td.is-selected").forEach(function (td) {
      if (td.parentNode === first.parentNode && td.cellIndex < left.cellIndex) left = td;
    });
    return left;
  }

  var extent = null; // the other corner of the range, while Shift extends it
  grid.addEventListener("focusin", function (event) {
    var td = cellOf(event.target);
    typed = false;
    if (!td) return;
    anchor = td;
    extent = null;
    clearSelection();
  });
  grid.addEventListener("input", function () { typed = true; });
  grid.addEventListener("mousedown", function (event) {
    var td = cellOf(event.target);
    if (!td || !event.shiftKey || !anchor) return;
    event.preventDefault(); // the cursor stays where the range started
    extent = td;
    selectRange(anchor, extent);
  });
  grid.addEventListener("keydown", function (event) {
    if (!event.shiftKey || (event.key !== "ArrowDown" && event.key !== "ArrowUp")) return;
    if (!anchor || !cellOf(event.target)) return;
    var from = extent || anchor;
    var row = event.key === "ArrowDown" ? from.parentNode.nextElementSibling : from.parentNode.previousElementSibling;
    var next = row && row.children[from.cellIndex];
    if (!next || cellOf(next) !== next) return;
    event.preventDefault();
    extent = next;
    selectRange(anchor, extent);
  });

  // --- Paste ------------------------------------------------------------------------------
  function say(text) { status.textContent = text; }
  function showError(text, problems) {
    if (!alertBox) { say(text); return; }
    alertBox.textContent = "";
    var lead = document.createElement("p");
    lead.className = "mb-1";
    lead.textContent = text;
    alertBox.appendChild(lead);
    if (problems && problems.length > 1) {
      var list = document.createElement("ul");
      list.className = "mb-0 small";
      problems.slice(0, 20).forEach(function (p) {
        var item = document.createElement("li");
        item.textContent = "Line " + p.line + ": " + p.message;
        list.appendChild(item);
      });
      alertBox.appendChild(list);
    }
    alertBox.hidden = false;
  }
  function clearErrors() {
    if (alertBox) alertBox.hidden = true;
    grid.querySelectorAll("[data-paste-error]").forEach(function (el) {
      el.removeAttribute("data-paste-error");
      el.classList.remove("is-invalid");
      el.removeAttribute("aria-invalid");
      var box = document.getElementById(el.id + "-error");
      if (box) box.textContent = "";
    });
  }
  // Each refused cell is marked where it sits, with its message under it.
  function markProblems(rows, problems) {
    problems.forEach(function (p) {
      var row = rows[p.line - 1];
      if (!row || !p.column) return;
      var input = document.getElementById(row.id + "-" + p.column);
      var box = document.getElementById(row.id + "-" + p.column + "-error");
      if (!input) return;
      input.setAttribute("data-paste-error", "");
      input.classList.add("is-invalid");
      input.setAttribute("aria-invalid", "true");
      if (box) box.textContent = p.message;
    });
  }

  function refreshWindow() {
    if (!window.htmx) { window.location.reload(); return Promise.resolve(); }
    return window.htmx.ajax("GET", window.location.pathname + window.location.search, {
      target: "#grid-window", swap: "outerHTML"
    });
  }

  function post(url, data) {
    var body = new FormData();
    Object.keys(data).forEach(function (k) { body.append(k, data[k]); });
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (json) { return { ok: response.ok, json: json }; },
        function () { return { ok: false, json: { message: "That did not work. Reload the page and try again." } }; });
    }, function () {
      return { ok: false, json: { message: "The portal cannot be reached: nothing was changed." } };
    });
  }

  function showUndo(label) {
    undoButton.hidden = !label;
    undoLabel.textContent = label || "Undo";
    undoButton.setAttribute("aria-label", label ? label + " (Ctrl+Z)" : "Undo");
  }

  function pasteBlock(td, text) {
    var column = columnOf(td);
    var row = td.parentNode;
    var rows = rowsOf();
    var start = rows.indexOf(row);
    var below = start < 0 ? [] : rows.slice(start);
    var ids = below.map(function (tr) {
      var version = document.getElementById(tr.id + "-version");
      return tr.id.replace("row-", "") + ":" + (version ? version.value : "0");
    });
    clearErrors();
    say("Pasting…");
    // The window shown (search, grade): lines past this page go on over the sites that
    // follow in it, on the following pages, before any site is added.
    var shown = grid.querySelector("#grid-window input[name=window]");
    var data = { text: text, column: column, rows: ids.join(","), window: shown ? shown.value : "" };
    return post(panel.getAttribute("data-paste-url"), data)
      .then(function (result) {
        if (!result.ok) {
          say("Nothing was pasted.");
          showError(result.json.message, result.json.problems);
          markProblems(below, result.json.problems || []);
          return;
        }
        showUndo(result.json.undo);
        // Said once the grid shows the stored values, not before.
        return refreshWindow().then(function () { say(result.json.message); });
      });
  }

  grid.addEventListener("paste", function (event) {
    var td = cellOf(event.target);
    if (!td) return;
    var data = event.clipboardData || window.clipboardData;
    var text = data ? data.getData("text/plain") : "";
    // One plain value goes into the cell as typed; a block (tabs or lines) fills the grid.
    if (!text || !/[\t\r\n]/.test(text.replace(/[\r\n]+$/, ""))) return;
    event.preventDefault();
    pasteBlock(topLeft() || td, text);
  });

  // --- Undo -------------------------------------------------------------------------------
  function undo() {
    clearErrors();
    say("Undoing…");
    return post(panel.getAttribute("data-undo-url"), {}).then(function (result) {
      showUndo(result.json.undo);
      if (!result.ok) { say("Nothing was undone."); showError(result.json.message); return; }
      return refreshWindow().then(function () { say(result.json.message); });
    });
  }
  undoButton.addEventListener("click", undo);
  document.addEventListener("keydown", function (event) {
    if (!(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey) return;
    if (event.key !== "z" && event.key !== "Z") return;
    // In a cell just typed in, Ctrl+Z undoes the typing, as in any field.
    if (typed && cellOf(event.target)) return;
    if (!cellOf(event.target) && event.target.matches && event.target.matches("input, textarea, select")) return;
    if (undoButton.hidden) return;
    event.preventDefault();
    undo();
  });

  // Autosaves, additions and bulk sets change what Undo would take back: ask after each.
  function refreshUndo() {
    fetch(panel.getAttribute("data-undo-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (json) { if (json) showUndo(json.undo); }, function () {});
  }
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var verb = event.detail.requestConfig && event.detail.requestConfig.verb;
    if (verb && verb.toLowerCase() === "post" && event.detail.successful) refreshUndo();
  });
  refreshUndo();
})();

/* Sites grid offline: an edit that cannot be saved (no connection) waits in the browser and is
   sent through the same versioned row save when the portal answers again. No inline scripts (CSP). */
(function () {
  "use strict";

  var grid = document.querySelector("[data-grid][data-offline-scope]");
  var queue = window.PortalOffline;
  if (!grid || !queue) return; // htmx loads deferred: its events are listened to, never waited for
  var scope = grid.getAttribute("data-offline-scope");
  var RETRY_MS = 10000; // a periodic retry too: "online" does not fire when only the server was down
  var unsent = {}; // row id -> {field: {value, version}}: typed, not yet known to be saved
  var waiting = {}; // row id -> {field: key}: kept in IndexedDB
  var syncing = false;

  function rowForm(el) {
    var form = el && el.id && /^row-\d+-form$/.test(el.id) ? el : null;
    return form;
  }
  function rowOf(form) { return form.id.replace(/-form$/, ""); }
  function version(row) {
    var input = document.getElementById(row + "-version");
    return input ? Number(input.value) : 0;
  }
  function count() {
    return Object.keys(waiting).reduce(function (n, row) { return n + Object.keys(waiting[row]).length; }, 0);
  }
  function refresh() { queue.banner(count()); }

  // A cell waiting to sync says so where it is.
  function markCell(row, field, on) {
    var input = document.getElementById(row + "-" + field);
    var cell = input && input.closest("td");
    if (!cell) return;
    cell.classList.toggle("is-waiting", on);
    var note = cell.querySelector("[data-cell-waiting]");
    if (on && !note) {
      note = document.createElement("span");
      note.className = "cell-waiting";
      note.setAttribute("data-cell-waiting", "");
      note.textContent = "Waiting to sync";
      cell.appendChild(note);
    } else if (!on && note) {
      note.remove();
    }
  }
  function rowStatus(row, text) { queue.note(document.getElementById(row + "-status"), text); }

  // What was typed in a row, field by field, with the version it was typed over.
  grid.addEventListener("change", function (event) {
    var el = event.target;
    var form = el.form;
    if (!rowForm(form) || !el.name || el.name === "version") return;
    var row = rowOf(form);
    unsent[row] = unsent[row] || {};
    var was = unsent[row][el.name];
    unsent[row][el.name] = { value: el.value, version: was ? was.version : version(row) };
  });

  // Keep a row's unsent edits in the browser: the connection is gone or the save failed.
  function keep(row) {
    var edits = unsent[row] || {};
    var jobs = Object.keys(edits).map(function (field) {
      waiting[row] = waiting[row] || {};
      waiting[row][field] = scope + "|" + row + "|" + field;
      markCell(row, field, true);
      return queue.put({ scope: scope, item: row, field: field, value: edits[field].value, version: edits[field].version });
    });
    if (jobs.length) rowStatus(row, "Waiting to sync: kept on this device");
    refresh();
    return Promise.all(jobs);
  }

  // Offline: the save is not even tried (it would fail); the edit is kept at once.
  document.body.addEventListener("htmx:confirm", function (event) {
    var form = rowForm(event.detail.elt);
    if (!form || navigator.onLine) return;
    event.preventDefault();
    keep(rowOf(form));
  });
  document.body.addEventListener("htmx:sendError", function (event) {
    var form = rowForm(event.detail.elt);
    if (!form) return;
    keep(rowOf(form));
    var alert = document.getElementById("grid-alert");
    if (alert) alert.hidden = true; // the banner says it: kept, and sent later
  });

  // The portal answered the row's save (saved, unchanged, refused as a conflict or invalid):
  // the edits it carried are no longer waiting. A conflict is settled in its cell as usual.
  var posted = {};
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var form = rowForm(event.detail.elt);
    if (!form) return;
    var row = rowOf(form);
    posted[row] = JSON.parse(JSON.stringify(unsent[row] || {}));
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var form = rowForm(event.detail.elt);
    if (!form) return;
    var row = rowOf(form);
    var sent = posted[row] || {};
    delete posted[row];
    var xhr = event.detail.xhr;
    if (!xhr || !xhr.status || xhr.status >= 500) return; // not answered: still waiting
    var done = [];
    Object.keys(sent).forEach(function (field) {
      var now = unsent[row] && unsent[row][field];
      if (now && now.value === sent[field].value) delete unsent[row][field];
      if (waiting[row] && waiting[row][field]) {
        done.push(waiting[row][field]);
        delete waiting[row][field];
        markCell(row, field, false);
      }
    });
    queue.remove(done).then(refresh, refresh);
  });

  // Send what waits, row by row in the order it was typed, through the row's own save.
  function submitRow(row, edits) {
    return new Promise(function (resolve) {
      var form = document.getElementById(row + "-form");
      if (!form) { resolve(true); return; } // on another page: sent when it is shown
      var versionInput = document.getElementById(row + "-version");
      // Over the version the edits were typed from: the server merges edits of other
      // fields made meanwhile and refuses (in the cell) a change to the same field.
      var from = Math.min.apply(null, edits.map(function (e) { return e.version; }));
      if (versionInput && from) versionInput.value = String(from);
      unsent[row] = unsent[row] || {};
      edits.forEach(function (e) { unsent[row][e.field] = { value: e.value, version: e.version }; });
      function done(event) {
        if (event.detail.elt !== form) return;
        document.body.removeEventListener("htmx:afterRequest", done);
        resolve(!!(event.detail.xhr && event.detail.xhr.status && event.detail.xhr.status < 500));
      }
      document.body.addEventListener("htmx:afterRequest", done);
      form.requestSubmit();
    });
  }

  function sync() {
    if (syncing || !navigator.onLine) return Promise.resolve();
    syncing = true;
    return queue.list(scope).then(function (edits) {
      var order = [];
      var byRow = {};
      edits.forEach(function (e) {
        if (!byRow[e.item]) { byRow[e.item] = []; order.push(e.item); }
        byRow[e.item].push(e);
      });
      return order.reduce(function (chain, row) {
        return chain.then(function (ok) { return ok ? submitRow(row, byRow[row]) : false; });
      }, Promise.resolve(true));
    }).catch(function () {}).then(function () { syncing = false; refresh(); });
  }

  // After a reload (online or not), the edits kept are put back in their cells.
  function restore() {
    return queue.list(scope).then(function (edits) {
      edits.forEach(function (e) {
        var input = document.getElementById(e.item + "-" + e.field);
        waiting[e.item] = waiting[e.item] || {};
        waiting[e.item][e.field] = e.key;
        if (!input) return; // a row on another page of the grid: counted, sent when shown
        input.value = e.value;
        unsent[e.item] = unsent[e.item] || {};
        unsent[e.item][e.field] = { value: e.value, version: e.version };
        markCell(e.item, e.field, true);
        rowStatus(e.item, "Waiting to sync: kept on this device");
      });
      refresh();
    });
  }

  // Rows kept for another page of the grid are put back and sent when that page is shown.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail.elt || event.detail.elt.id !== "grid-window") return;
    restore().then(function () { if (count()) sync(); });
  });

  window.addEventListener("online", function () { refresh(); sync(); });
  window.addEventListener("offline", refresh);
  setInterval(function () { if (count()) sync(); }, RETRY_MS);
  restore().then(function () { if (count()) sync(); });
})();

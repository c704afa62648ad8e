/* Edits kept in the browser while the portal cannot be reached (IndexedDB), and the service
   worker that keeps pages opened before readable offline. No inline scripts (CSP). */
(function () {
  "use strict";

  var DB = "portal-offline";
  var STORE = "edits";
  var opened = null;

  function open() {
    if (opened) return opened;
    opened = new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        var store = request.result.createObjectStore(STORE, { keyPath: "key" });
        store.createIndex("scope", "scope");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
    return opened;
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(result && "value" in result ? result.value : result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  var seq = 0;
  // One edit waiting: ``scope`` is the page's queue (an assessment's grid for one user, or
  // an invite step), ``item`` the record (a grid row), ``field`` the input, ``version`` the
  // record's version the edit was made from (the server merges or refuses over it).
  // A later edit of the same field replaces the earlier one but keeps its place and version.
  function put(edit) {
    var key = edit.scope + "|" + edit.item + "|" + edit.field;
    return run("readwrite", function (store) {
      var get = store.get(key);
      get.onsuccess = function () {
        var was = get.result;
        store.put({
          key: key, scope: edit.scope, item: edit.item, field: edit.field, value: edit.value,
          version: was ? was.version : edit.version,
          seq: was ? was.seq : Date.now() * 1000 + (seq++ % 1000)
        });
      };
    });
  }

  // Every edit of a scope, oldest first.
  function list(scope) {
    var out = { value: [] };
    return run("readonly", function (store) {
      var cursor = store.index("scope").openCursor(IDBKeyRange.only(scope));
      cursor.onsuccess = function () {
        var c = cursor.result;
        if (!c) return;
        out.value.push(c.value);
        c.continue();
      };
      return out;
    }).then(function (edits) {
      return edits.sort(function (a, b) { return a.seq - b.seq; });
    });
  }

  function remove(keys) {
    if (!keys.length) return Promise.resolve();
    return run("readwrite", function (store) { keys.forEach(function (k) { store.delete(k); }); });
  }

  function sameValue(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  // --- The banner: how many edits wait, said once and kept up to date ---------------------
  function banner(count) {
    var box = document.getElementById("offline-banner");
    if (!box) return;
    var text = box.querySelector("[data-offline-text]");
    var offline = !navigator.onLine;
    box.hidden = !count && !offline;
    box.setAttribute("data-offline-count", String(count));
    var edits = count === 1 ? "1 change is" : count + " changes are";
    if (count && offline) {
      text.textContent = "You are offline. " + edits + " kept on this device, waiting to sync: " +
        (count === 1 ? "it is" : "they are") + " sent when the connection returns.";
    } else if (count) {
      text.textContent = (count === 1 ? "1 change" : count + " changes") + " waiting to sync: sending when the portal answers.";
    } else {
      text.textContent = "You are offline. Changes you make are kept on this device and sent when the connection returns.";
    }
  }

  // A status line (a grid row's, a questionnaire's) says the edit waits on this device.
  function note(box, text) {
    if (!box) return;
    box.textContent = "";
    var span = document.createElement("span");
    span.className = "text-warning-emphasis";
    span.setAttribute("data-status", "waiting");
    span.textContent = text;
    box.appendChild(span);
  }

  // --- The service worker ------------------------------------------------------------------
  // A page kept for offline use says so on <html data-offline-kept>, once the worker has its
  // copy written: reloaded offline from then on, it opens from that copy.
  var KEEP_TRIES = 5; // a few tries, further apart each time: bounded, and quiet when offline
  var keepTries = 0;
  function onKept(event) {
    var data = event.data || {};
    if (data.type !== "kept" || data.page !== location.href.split("#")[0]) return;
    if (data.kept) {
      document.documentElement.setAttribute("data-offline-kept", "");
    } else if (navigator.onLine && keepTries < KEEP_TRIES) {
      // The network said "online" a moment before it carried requests again: try again soon.
      keepTries += 1;
      setTimeout(askToKeep, 1000 * keepTries);
    }
  }
  function askToKeep() {
    if (document.documentElement.hasAttribute("data-offline-kept")) return;
    navigator.serviceWorker.getRegistration("/").then(tellWorker).catch(function () {});
  }

  function tellWorker(registration) {
    if (!registration || !registration.active) return;
    var meta = document.querySelector("meta[name=offline-page]");
    var body = document.body;
    var message = { type: "page" };
    // Staff pages say who is signed in (empty on the login page): pages kept for
    // someone else are dropped. An invite page says nothing: it has no account.
    if (body.hasAttribute("data-offline-owner")) message.owner = body.getAttribute("data-offline-owner");
    if (meta) {
      // This page and what it loaded, for the first visit (the worker did not serve it yet).
      message.page = location.href.split("#")[0];
      message.assets = performance.getEntriesByType("resource").map(function (e) { return e.name; })
        .filter(function (name) { return name.indexOf(location.origin + "/static/") === 0; });
    }
    registration.active.postMessage(message);
  }

  function registerWorker() {
    if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
    var meta = document.querySelector("meta[name=offline-page]");
    // Installed by the pages people edit offline; other pages only talk to it if it is there
    // (so a user who never opens them runs no worker).
    var ready = meta ? navigator.serviceWorker.register("/sw.js").then(function () {
      return navigator.serviceWorker.ready;
    }) : navigator.serviceWorker.getRegistration("/");
    if (meta) {
      navigator.serviceWorker.addEventListener("message", onKept);
      navigator.serviceWorker.startMessages();
      // The connection dropped before the worker could fetch its copy (the first visit):
      // asked again when it returns, so the page opens offline from then on.
      window.addEventListener("online", function () { keepTries = 0; askToKeep(); });
    }
    ready.then(tellWorker).catch(function () { /* no worker: the page still works online */ });
  }

  // Logging out drops the pages kept offline (they show this user's customers) and the
  // edits waiting; with edits waiting, it asks first.
  function guardLogout() {
    document.querySelectorAll("form[data-logout]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.getAttribute("data-cleared") === "yes") return;
        event.preventDefault();
        var waiting = Number((document.getElementById("offline-banner") || { getAttribute: function () { return 0; } })
          .getAttribute("data-offline-count") || 0);
        if (waiting && !window.confirm(waiting + " change(s) made offline are not sent yet. Log out anyway and lose them?")) return;
        var jobs = [];
        if (window.caches) jobs.push(caches.keys().then(function (names) { return Promise.all(names.map(function (n) { return caches.delete(n); })); }));
        if (window.indexedDB) {
          jobs.push(open().then(function (db) {
            return new Promise(function (resolve) {
              var tx = db.transaction(STORE, "readwrite");
              tx.objectStore(STORE).clear();
              tx.oncomplete = resolve;
              tx.onerror = resolve;
            });
          }, function () {}));
        }
        Promise.all(jobs).catch(function () {}).then(function () {
          form.setAttribute("data-cleared", "yes");
          form.submit();
        });
      });
    });
  }

  window.PortalOffline = { put: put, list: list, remove: remove, banner: banner, note: note, sameValue: sameValue };
  registerWorker();
  guardLogout();
})();

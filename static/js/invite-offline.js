/* The customer's questionnaire offline: answers that cannot be saved wait in the browser and go
   through the step's own versioned autosave when the connection returns. No inline scripts (CSP). */
(function () {
  "use strict";

  var form = document.querySelector("form[data-autosave][hx-post]");
  var queue = window.PortalOffline;
  if (!form || !queue) return; // htmx loads deferred: used only once the page is in
  var scope = "invite:" + form.getAttribute("hx-post");
  var ITEM = "answers";
  var RETRY_MS = 10000;
  var unsent = {}; // field name -> {value: [values], version}
  var waiting = {}; // field name -> key in IndexedDB
  var syncing = false;
  var SKIP = { csrfmiddlewaretoken: true, version: true };

  function version() {
    var input = form.querySelector("input[name=version]");
    return input ? Number(input.value) : 0;
  }
  function valuesOf(name) { return new FormData(form).getAll(name).map(String); }
  function count() { return Object.keys(waiting).length; }
  function say(text) { queue.note(document.getElementById("autosave-status"), text); }
  function refresh() {
    queue.banner(count());
    if (count()) say(count() === 1 ? "1 answer waiting to sync: kept on this device." : count() + " answers waiting to sync: kept on this device.");
  }

  form.addEventListener("change", function (event) {
    var name = event.target.name;
    if (!name || SKIP[name]) return;
    var was = unsent[name];
    unsent[name] = { value: valuesOf(name), version: was ? was.version : version() };
  });

  function keep() {
    var jobs = Object.keys(unsent).map(function (name) {
      waiting[name] = scope + "|" + ITEM + "|" + name;
      return queue.put({ scope: scope, item: ITEM, field: name, value: unsent[name].value, version: unsent[name].version });
    });
    refresh();
    return Promise.all(jobs);
  }

  document.body.addEventListener("htmx:confirm", function (event) {
    if (event.detail.elt !== form || navigator.onLine) return;
    event.preventDefault(); // offline: not tried, kept at once
    keep();
  });
  document.body.addEventListener("htmx:sendError", function (event) {
    if (event.detail.elt === form) keep();
  });

  var posted = {};
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt === form) posted = JSON.parse(JSON.stringify(unsent));
  });
  // Answered (saved, refused as a conflict with its "Keep my answer", or invalid with its
  // message): the answers it carried no longer wait.
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt !== form) return;
    var xhr = event.detail.xhr;
    var sent = posted;
    posted = {};
    if (!xhr || !xhr.status || xhr.status >= 500) return;
    var done = [];
    Object.keys(sent).forEach(function (name) {
      if (unsent[name] && queue.sameValue(unsent[name].value, sent[name].value)) delete unsent[name];
      if (waiting[name]) { done.push(waiting[name]); delete waiting[name]; }
    });
    queue.remove(done).then(function () { queue.banner(count()); });
  });

  function setValues(name, values) {
    form.querySelectorAll("[name='" + name.replace(/'/g, "") + "']").forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        input.checked = values.indexOf(input.value) >= 0;
      } else if (input.tagName === "SELECT" && input.multiple) {
        Array.prototype.forEach.call(input.options, function (o) { o.selected = values.indexOf(o.value) >= 0; });
      } else {
        input.value = values[0] === undefined ? "" : values[0];
      }
    });
  }

  function sync() {
    if (syncing || !navigator.onLine || !count()) return Promise.resolve();
    syncing = true;
    return queue.list(scope).then(function (edits) {
      if (!edits.length) return null;
      return new Promise(function (resolve) {
        // Over the version the answers were given from: others' answers to other questions
        // are merged; the same question changed meanwhile comes back as a conflict.
        var input = form.querySelector("input[name=version]");
        var from = Math.min.apply(null, edits.map(function (e) { return e.version; }));
        if (input && from) input.value = String(from);
        function done(event) {
          if (event.detail.elt !== form) return;
          document.body.removeEventListener("htmx:afterRequest", done);
          resolve();
        }
        document.body.addEventListener("htmx:afterRequest", done);
        window.htmx.trigger(form, "change");
      });
    }).catch(function () {}).then(function () { syncing = false; });
  }

  function restore() {
    return queue.list(scope).then(function (edits) {
      edits.forEach(function (e) {
        setValues(e.field, e.value);
        waiting[e.field] = e.key;
        unsent[e.field] = { value: e.value, version: e.version };
      });
      refresh();
    });
  }

  window.addEventListener("online", function () { queue.banner(count()); sync(); });
  window.addEventListener("offline", function () { queue.banner(count()); });
  setInterval(function () { if (count()) sync(); }, RETRY_MS);
  restore().then(function () {
    if (!navigator.onLine) queue.banner(count());
    sync();
  });
})();

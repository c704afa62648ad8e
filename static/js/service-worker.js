/* The portal's service worker: pages opened before, and their assets, stay readable offline.
   Served from /sw.js so that its scope is the whole site. Network first, the cache only when
   the network fails, and only for GET: a save is never answered from a cache. */
"use strict";

var PAGES = "portal-pages-v1";
var ASSETS = "portal-assets-v1";
// Only the pages people edit offline are kept: the sites grid of an assessment and the
// steps of a customer's questionnaire. Other pages (pipeline, proposals) are never stored.
var KEPT_PAGES = [
  /^\/assessments\/\d+\/sites\/$/,
  /^\/i\/[^/]+\/(organisation|voice)\/$/,
  /^\/i\/[^/]+\/sites\/\d+\/$/
];
var OWNER_KEY = "/__offline-owner__"; // who the kept staff pages belong to (a fake URL in PAGES)

function keptPage(url) {
  return url.origin === self.location.origin && KEPT_PAGES.some(function (re) { return re.test(url.pathname); });
}
function asset(url) {
  return url.origin === self.location.origin && url.pathname.indexOf("/static/") === 0;
}

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  var current = [PAGES, ASSETS];
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return current.indexOf(n) < 0; }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function store(cacheName, request, response) {
  // Only complete, same-origin answers: never a redirect to the login page or an error page.
  // Returns when the copy is written: "kept" is said, and a reload may count on it, only then.
  if (!response || response.status !== 200 || response.type !== "basic" || response.redirected) return Promise.resolve(false);
  var copy = response.clone();
  return caches.open(cacheName).then(function (cache) { return cache.put(request, copy); })
    .then(function () { return true; }, function () { return false; });
}

// What a navigation gets when neither the network nor a kept copy can answer: a page that says
// so, built here so that it needs nothing from the network (the browser's own error page reads
// as if the portal were broken). Fixed text and no user data: its inline style is the only
// thing its policy allows.
var OFFLINE_PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
  '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Offline · Teams Phone readiness</title>' +
  '<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:2rem 1rem;color:#212529;background:#f8f9fa}' +
  'main{max-width:34rem;margin:0 auto;background:#fff;border:1px solid #dee2e6;border-radius:.5rem;padding:1.5rem}' +
  'h1{font-size:1.35rem;margin:0 0 .75rem}a{color:#0d6efd}</style></head><body><main data-offline-page>' +
  '<h1>You are offline</h1>' +
  '<p>The portal cannot be reached, and this page was not kept on this device, so it cannot open ' +
  'without a connection.</p>' +
  '<p>The sites grid and the questionnaire screens you opened before do open offline, and the ' +
  'changes you made there are kept on this device until they are sent.</p>' +
  '<p><a href="">Try again</a> once the connection is back.</p></main></body></html>';

function offlinePage() {
  return new Response(OFFLINE_PAGE, {
    status: 503,
    statusText: "Offline",
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
    }
  });
}

function fromCache(cacheName, request) {
  return caches.open(cacheName).then(function (cache) {
    // A page opened at another window of the grid (?page=3) still opens offline.
    // ignoreVary: the copy was fetched by this worker, not by the page's own navigation.
    return cache.match(request, { ignoreVary: true }).then(function (hit) {
      // A questionnaire screen is its topic: another topic's copy would show other questions.
      if (hit || new URL(request.url).searchParams.has("topic")) return hit;
      return cache.match(request, { ignoreSearch: true, ignoreVary: true });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return; // saves always go to the network
  var url = new URL(request.url);
  var navigation = request.mode === "navigate" && url.origin === self.location.origin;
  var page = navigation && keptPage(url);
  if (!navigation && !asset(url)) return;
  var cacheName = page ? PAGES : ASSETS;
  // A navigation this worker cannot fetch is answered with the kept copy, else with the
  // offline page: never the browser's error page. Pages that are not kept are not stored.
  function fallback(response) {
    var kept = navigation && !page ? Promise.resolve(null) : fromCache(cacheName, request);
    return kept.then(function (hit) {
      if (hit) return hit;
      // The portal answered, with an error and no copy to show instead: its own page says more.
      if (response && response.type !== "error") return response;
      return navigation ? offlinePage() : Response.error();
    });
  }
  event.respondWith(fetch(request).then(function (response) {
    // No real answer (a network error as a response, or the portal down behind its proxy):
    // the copy kept is more use than an error page.
    // A page that is not kept has no copy: the portal's own error answer is shown as it is.
    if (response.type === "error" || (response.status >= 500 && (page || !navigation))) {
      return fallback(response);
    }
    if (navigation && !page) return response;
    // Written before the worker may stop, so a reload right after finds the copy.
    event.waitUntil(store(cacheName, request, response));
    return response;
  }, function () {
    return fallback(null);
  }));
});

// Messages from pages: keep this page and its assets (the first visit, before this worker
// controlled the page), forget everything (logout), and who is signed in now: kept pages of
// another user (or of nobody, on the login page) are thrown away.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "page") {
    // In turn: a page of another user is thrown away before this one is kept.
    var who = "owner" in data ? owner(String(data.owner || "")) : Promise.resolve();
    var source = event.source;
    event.waitUntil(who.then(function () { return keep(data.page, data.assets || []); }).then(function (kept) {
      // The page learns that it opens offline now (or that it must ask again, once online).
      if (source && data.page) source.postMessage({ type: "kept", page: data.page, kept: kept });
    }));
  } else if (data.type === "forget") {
    event.waitUntil(forget());
  }
});

// Keep a page and its assets; true once the page is in the cache (already there, or stored now).
function keep(page, assets) {
  var jobs = [];
  var kept = Promise.resolve(false);
  if (page && keptPage(new URL(page))) {
    kept = caches.open(PAGES).then(function (cache) {
      return cache.match(page).then(function (hit) {
        if (hit) return true;
        return fetch(page, { credentials: "same-origin" }).then(function (r) { return store(PAGES, page, r); });
      });
    }).catch(function () { return false; }); // offline already: asked again when back online
  }
  assets.forEach(function (href) {
    var url = new URL(href);
    if (!asset(url)) return;
    jobs.push(caches.open(ASSETS).then(function (cache) {
      return cache.match(href).then(function (hit) {
        if (hit) return null;
        return fetch(href).then(function (r) { return store(ASSETS, href, r); });
      });
    }).catch(function () { /* offline already: kept next time */ }));
  });
  // The page counts as kept once its assets are in too: offline, it needs them to work.
  return Promise.all(jobs).then(function () { return kept; });
}

function forget() {
  return caches.keys().then(function (names) {
    return Promise.all(names.map(function (n) { return caches.delete(n); }));
  });
}

function owner(who) {
  return caches.open(PAGES).then(function (cache) {
    return cache.match(OWNER_KEY).then(function (hit) {
      return hit ? hit.text() : null;
    }).then(function (was) {
      if (was === who) return null;
      return caches.delete(PAGES).then(function () {
        if (!who) return null;
        return caches.open(PAGES).then(function (fresh) { return fresh.put(OWNER_KEY, new Response(who)); });
      });
    });
  });
}

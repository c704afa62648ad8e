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
  if (!response || response.status !== 200 || response.type !== "basic" || response.redirected) return;
  var copy = response.clone();
  caches.open(cacheName).then(function (cache) { return cache.put(request, copy); });
}

function fromCache(cacheName, request) {
  return caches.open(cacheName).then(function (cache) {
    // A page opened at another window of the grid (?page=3) still opens offline.
    // ignoreVary: the copy was fetched by this worker, not by the page's own navigation.
    return cache.match(request, { ignoreVary: true }).then(function (hit) {
      return hit || cache.match(request, { ignoreSearch: true, ignoreVary: true });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return; // saves always go to the network
  var url = new URL(request.url);
  var page = request.mode === "navigate" && keptPage(url);
  if (!page && !asset(url)) return;
  var cacheName = page ? PAGES : ASSETS;
  event.respondWith(fetch(request).then(function (response) {
    // No real answer (a network error as a response, or the portal down behind its proxy):
    // the copy kept is more use than an error page.
    if (response.type === "error" || response.status >= 500) {
      return fromCache(cacheName, request).then(function (hit) { return hit || response; });
    }
    store(cacheName, request, response);
    return response;
  }, function (error) {
    return fromCache(cacheName, request).then(function (hit) {
      if (hit) return hit;
      throw error;
    });
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
    event.waitUntil(who.then(function () { return keep(data.page, data.assets || []); }));
  } else if (data.type === "forget") {
    event.waitUntil(forget());
  }
});

function keep(page, assets) {
  var jobs = [];
  if (page && keptPage(new URL(page))) {
    jobs.push(caches.open(PAGES).then(function (cache) {
      return cache.match(page).then(function (hit) {
        if (hit) return null;
        return fetch(page, { credentials: "same-origin" }).then(function (r) { store(PAGES, page, r); });
      });
    }));
  }
  assets.forEach(function (href) {
    var url = new URL(href);
    if (!asset(url)) return;
    jobs.push(caches.open(ASSETS).then(function (cache) {
      return cache.match(href).then(function (hit) {
        if (hit) return null;
        return fetch(href).then(function (r) { store(ASSETS, href, r); });
      });
    }));
  });
  return Promise.all(jobs).catch(function () { /* offline already: kept next time */ });
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

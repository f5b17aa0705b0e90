// Vigil's service worker (served at /sw.js by vigil.site.offline, so its scope is the site).
//
// It lets a monitor open, with no connection, the checklist pages of the visits they are on
// (docs/offline.md). Only two kinds of requests are handled, network first:
// - pages under {{ offline_prefix }} opened by the browser (navigations, GET): the answer from
//   the network, and when the server marked it for keeping (the header X-Vigil-Offline: keep,
//   sent only for checklist pages of the person's own visits) a copy sealed with the session's
//   key (secure-store.js) is kept; with no connection, that copy is opened and served, or a
//   short page says the page was not kept;
// - static files under {{ static_prefix }} (public): kept as they are, served when offline.
// Nothing else is touched (answers are sent by the page; its queue replays them). A page asks
// for copies with a message {type: "keep", urls: [...]} (after loading, and after each save).
// Sign-out erases the copies and the key (Clear-Site-Data, and secure-store.js).
"use strict";
importScripts("{{ secure_store|escapejs }}");

var PAGES = "vigil-pages-v1";
var STATIC = "vigil-static-v1";
var STATIC_PREFIX = "{{ static_prefix|escapejs }}";
var OFFLINE_PREFIX = "{{ offline_prefix|escapejs }}";
var KEEP = ["content-type", "content-language", "content-security-policy"];
var NOT_KEPT = "{{ not_kept|escapejs }}";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function ours(url) { return url.origin === self.location.origin; }
function isStatic(url) { return ours(url) && url.pathname.indexOf(STATIC_PREFIX) === 0; }
function isPage(request, url) {
  return request.method === "GET" && request.mode === "navigate" && ours(url) &&
    url.pathname.indexOf(OFFLINE_PREFIX) === 0;
}

function keepPage(url, response) {
  if (response.status !== 200 || response.redirected ||
      response.headers.get("X-Vigil-Offline") !== "keep") {
    return Promise.resolve(false);
  }
  return VigilSecureStore.hasKey().then(function (has) {
    if (!has) { return false; }
    var headers = {};
    KEEP.forEach(function (name) {
      var value = response.headers.get(name);
      if (value !== null) { headers[name] = value; }
    });
    return response.text().then(function (text) {
      return VigilSecureStore.sealText(JSON.stringify({ headers: headers, body: text }), url);
    }).then(function (sealed) {
      return caches.open(PAGES).then(function (cache) {
        return cache.put(url, new Response(sealed, { headers: { "Content-Type": "application/octet-stream" } }));
      });
    }).then(function () { return true; });
  }).catch(function () { return false; });
}

function keptPage(url) {
  return caches.open(PAGES).then(function (cache) { return cache.match(url); }).then(function (hit) {
    if (!hit) { return null; }
    return hit.arrayBuffer().then(function (buffer) {
      return VigilSecureStore.openText(buffer, url);
    }).then(function (text) {
      var page = JSON.parse(text);
      var headers = new Headers(page.headers);
      headers.set("X-Vigil-Served", "offline-copy");
      return new Response(page.body, { status: 200, headers: headers });
    });
  }).catch(function () { return null; });
}

function notKept() {
  return new Response(NOT_KEPT, {
    status: 503,
    headers: { "Content-Type": "text/plain; charset=utf-8", "X-Vigil-Served": "offline-none" }
  });
}

function fromNetworkOrKept(request) {
  var url = request.url.split("#")[0];
  return fetch(request).then(function (response) {
    keepPage(url, response.clone());
    return response;
  }, function () {
    return keptPage(url).then(function (page) { return page || notKept(); });
  });
}

function staticFile(request) {
  return fetch(request).then(function (response) {
    if (response.ok && response.type === "basic") {
      var copy = response.clone();
      caches.open(STATIC).then(function (cache) { return cache.put(request, copy); });
    }
    return response;
  }, function () {
    return caches.open(STATIC).then(function (cache) { return cache.match(request); })
      .then(function (hit) { return hit || Response.error(); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (isPage(request, url)) {
    event.respondWith(fromNetworkOrKept(request));
  } else if (request.method === "GET" && isStatic(url)) {
    event.respondWith(staticFile(request));
  }
});

// A page asks for copies: its own address and its neighbours' (pages), its files (static).
self.addEventListener("message", function (event) {
  var data = event.data || {};
  var port = event.ports && event.ports[0];
  if (data.type !== "keep" || !Array.isArray(data.urls)) { return; }
  var jobs = data.urls.slice(0, 50).map(function (raw) {
    var url;
    try { url = new URL(String(raw), self.location.href); } catch (e) { return Promise.resolve(false); }
    url.hash = "";
    if (isStatic(url)) {
      return fetch(url.href).then(function (response) {
        if (!response.ok) { return false; }
        return caches.open(STATIC).then(function (cache) { return cache.put(url.href, response); })
          .then(function () { return true; });
      }).catch(function () { return false; });
    }
    if (!ours(url) || url.pathname.indexOf(OFFLINE_PREFIX) !== 0) { return Promise.resolve(false); }
    return fetch(url.href, { credentials: "same-origin", redirect: "manual" })
      .then(function (response) { return keepPage(url.href, response); })
      .catch(function () { return false; });
  });
  event.waitUntil(Promise.all(jobs).then(function (results) {
    if (port) { port.postMessage({ kept: results.filter(Boolean).length }); }
  }));
});

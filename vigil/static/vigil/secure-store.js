// Vigil: nothing readable stays on the device (docs/offline.md).
//
// One helper for everything a page keeps on the device: the checklist answers and the visit
// forms not yet sent (checklist.js, offline-forms.js) and the copies of pages the service
// worker keeps to open them offline (sw.js imports this file). Everything is sealed with
// AES-GCM (a random 96-bit IV per entry, the entry's name as additional data) under one key
// per signed-in session on this device: a WebCrypto key made here, not extractable (no script
// can read it out, only use it), kept in IndexedDB ("vigil-secure"). The key and everything
// sealed with it are erased at sign-out (the server's Clear-Site-Data header, and this script
// on the page that follows: `data-wipe-device`), and when another person signs in on the
// device (`data-device-user` differs from the owner noted here). What is stored: in
// localStorage `vigil:sealed:NAME` = {"v": 1, "iv": base64, "ct": base64}; in Cache Storage,
// the pages as IV + ciphertext. Limits: while the session lasts, the key is on the device next
// to what it protects (it protects against reading storage, backups and other users of the
// device after sign-out, not against someone holding the unlocked, signed-in browser).
(function (scope) {
  "use strict";
  var DB = "vigil-secure";
  var KEYS = "keys";
  var KEY_ID = "session";
  var PREFIX = "vigil:sealed:";
  var OWNER = "vigil:device-owner";
  var subtle = scope.crypto && scope.crypto.subtle;
  var enc = new TextEncoder();
  var dec = new TextDecoder();

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function database() {
    var open = scope.indexedDB.open(DB, 1);
    open.onupgradeneeded = function () { open.result.createObjectStore(KEYS); };
    return request(open);
  }
  function keyRecord(value) {
    return database().then(function (db) {
      var tx = db.transaction(KEYS, value === undefined ? "readonly" : "readwrite");
      var store = tx.objectStore(KEYS);
      var done = request(value === undefined ? store.get(KEY_ID) : store.put(value, KEY_ID));
      return done.then(function (result) { db.close(); return result; });
    });
  }
  var keyPromise = null;
  // The session's key; made (not extractable) when `create` and there is none.
  function key(create) {
    if (!subtle || !scope.indexedDB) { return Promise.reject(new Error("no WebCrypto")); }
    if (keyPromise && typeof scope.document !== "undefined") { return keyPromise; }
    var found = keyRecord().then(function (record) {
      if (record && record.key) { return record.key; }
      if (!create) { return null; }
      return subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"])
        .then(function (made) { return keyRecord({ key: made, at: Date.now() }).then(function () { return made; }); });
    });
    found.then(function (k) { if (!k) { keyPromise = null; } }, function () { keyPromise = null; });
    keyPromise = found;
    return found;
  }
  function sealBytes(bytes, label) {
    return key(true).then(function (k) {
      var iv = scope.crypto.getRandomValues(new Uint8Array(12));
      return subtle.encrypt({ name: "AES-GCM", iv: iv, additionalData: enc.encode(label) }, k, bytes)
        .then(function (ct) {
          var out = new Uint8Array(12 + ct.byteLength);
          out.set(iv, 0);
          out.set(new Uint8Array(ct), 12);
          return out.buffer;
        });
    });
  }
  function openBytes(buffer, label) {
    return key(false).then(function (k) {
      if (!k) { throw new Error("no key"); }
      var all = new Uint8Array(buffer);
      return subtle.decrypt({ name: "AES-GCM", iv: all.slice(0, 12), additionalData: enc.encode(label) },
        k, all.slice(12));
    });
  }
  function b64(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length; i += 0x8000) {
      s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(s);
  }
  function unb64(text) {
    var s = atob(text);
    var out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) { out[i] = s.charCodeAt(i); }
    return out;
  }

  var api = {
    // Worker and page alike: seal/open a text under a label (the cache keeps pages this way).
    sealText: function (text, label) { return sealBytes(enc.encode(text), label); },
    openText: function (buffer, label) {
      return openBytes(buffer, label).then(function (plain) { return dec.decode(plain); });
    },
    hasKey: function () { return key(false).then(Boolean, function () { return false; }); }
  };

  if (typeof scope.document === "undefined" || !scope.localStorage) {
    scope.VigilSecureStore = api;
    return;
  }

  // ---- On pages: the sealed queue in localStorage, sign-out and the service worker. ----
  var queue = Promise.resolve();
  function serial(task) {  // one operation at a time, in order, whatever the previous gave
    var next = queue.then(task, task);
    queue = next.then(null, function () { return undefined; });
    return next;
  }
  function readSealed(name) {
    var raw = null;
    try { raw = scope.localStorage.getItem(PREFIX + name); } catch (e) { return Promise.resolve(null); }
    if (!raw) { return Promise.resolve(null); }
    var entry;
    try { entry = JSON.parse(raw); } catch (e) { entry = null; }
    if (!entry || entry.v !== 1 || typeof entry.iv !== "string" || typeof entry.ct !== "string") {
      scope.localStorage.removeItem(PREFIX + name);
      return Promise.resolve(null);
    }
    var iv = unb64(entry.iv);
    var ct = unb64(entry.ct);
    var buffer = new Uint8Array(iv.length + ct.length);
    buffer.set(iv, 0);
    buffer.set(ct, iv.length);
    return api.openText(buffer.buffer, name).then(JSON.parse, function () {
      // Sealed under a key that is gone (signed out meanwhile): unreadable, so dropped.
      scope.localStorage.removeItem(PREFIX + name);
      return null;
    });
  }
  function writeSealed(name, value) {
    if (value === null || value === undefined) {
      try { scope.localStorage.removeItem(PREFIX + name); } catch (e) { /* nothing kept */ }
      return Promise.resolve();
    }
    return api.sealText(JSON.stringify(value), name).then(function (buffer) {
      var all = new Uint8Array(buffer);
      var entry = { v: 1, iv: b64(all.subarray(0, 12)), ct: b64(all.subarray(12)) };
      scope.localStorage.setItem(PREFIX + name, JSON.stringify(entry));
    });
  }
  function wipe() {
    keyPromise = null;
    try {
      Object.keys(scope.localStorage).forEach(function (name) {
        if (name.indexOf("vigil:") === 0) { scope.localStorage.removeItem(name); }
      });
    } catch (e) { /* storage disabled: nothing kept */ }
    var steps = [];
    if (scope.indexedDB) {
      steps.push(new Promise(function (resolve) {
        var req = scope.indexedDB.deleteDatabase(DB);
        req.onsuccess = req.onerror = req.onblocked = function () { resolve(); };
      }));
    }
    if (scope.caches) {
      steps.push(scope.caches.keys().then(function (names) {
        return Promise.all(names.filter(function (n) { return n.indexOf("vigil-") === 0; })
          .map(function (n) { return scope.caches.delete(n); }));
      }));
    }
    return Promise.all(steps).then(function () { return undefined; }, function () { return undefined; });
  }

  var body = scope.document.body;
  var user = body ? body.getAttribute("data-device-user") || "" : "";
  var ready;
  if (body && body.hasAttribute("data-wipe-device")) {
    ready = serial(wipe);  // signed out: the key, the queue and the kept pages go
  } else if (user) {
    ready = serial(function () {
      var owner = null;
      try { owner = scope.localStorage.getItem(OWNER); } catch (e) { owner = null; }
      var step = owner && owner !== user ? wipe() : Promise.resolve();  // another person's
      return step.then(function () {
        try { scope.localStorage.setItem(OWNER, user); } catch (e) { /* storage disabled */ }
      });
    });
  } else {
    ready = Promise.resolve();
  }
  scope.document.documentElement.setAttribute("data-secure-store", "loading");
  ready.then(function () {
    scope.document.documentElement.setAttribute("data-secure-store", "ready");
  });

  var worker = null;
  var sw = body ? body.getAttribute("data-sw") : null;
  if (sw && user && scope.navigator.serviceWorker && scope.isSecureContext) {
    worker = ready.then(function () {
      return scope.navigator.serviceWorker.register(sw, { scope: "/" });
    }).then(function () { return scope.navigator.serviceWorker.ready; }, function () { return null; });
  }

  api.get = function (name) { return serial(function () { return readSealed(name); }); };
  api.set = function (name, value) { return serial(function () { return writeSealed(name, value); }); };
  api.remove = function (name) { return api.set(name, null); };
  // Read, change and write back in one step (`change` gets the value or null, returns the new).
  api.update = function (name, change) {
    return serial(function () {
      return readSealed(name).then(function (value) { return writeSealed(name, change(value)); });
    });
  };
  // A plaintext entry left by an older version of Vigil: sealed under `name`, then removed.
  api.adopt = function (legacy, name) {
    return serial(function () {
      var raw = null;
      try { raw = scope.localStorage.getItem(legacy); } catch (e) { return undefined; }
      if (raw === null) { return undefined; }
      scope.localStorage.removeItem(legacy);
      var value;
      try { value = JSON.parse(raw); } catch (e) { return undefined; }
      return writeSealed(name, value);
    });
  };
  api.wipe = function () { return serial(wipe); };
  // Ask the service worker to keep (sealed) copies of these addresses, for opening offline;
  // resolves to the number it kept (0 without a service worker).
  api.keepOffline = function (urls) {
    if (!worker) { return Promise.resolve(0); }
    return key(true).then(function () { return worker; }).then(function (registration) {
      if (!registration || !registration.active) { return 0; }
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) { resolve((event.data && event.data.kept) || 0); };
        registration.active.postMessage({ type: "keep", urls: urls }, [channel.port2]);
      });
    }, function () { return 0; });
  };
  scope.VigilSecureStore = api;
})(self);

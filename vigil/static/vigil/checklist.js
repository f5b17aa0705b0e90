// Vigil checklists: survive a dropped connection without losing what was typed, and open
// offline (docs/offline.md).
//
// Progressive enhancement. Without JavaScript the fill page is a plain form with a Save
// button; with it, htmx sends each answer as it changes (hx-post on each question). This
// script adds:
// - every answer is kept on this device as soon as it is typed, sealed (AES-GCM under the
//   session's key, secure-store.js: no answer is ever stored readable), and forgotten once
//   the server has saved it or refused it with a message; answers not sent (no connection,
//   server error, session ended) are put back into the page on the next visit, and sent again
//   when the device is back online (at most 14 days later);
// - each answer carries the revision of the saved answer it was changed from (`base-CODE`,
//   updated from X-Vigil-Revision after each save): when someone saved another answer
//   meanwhile, the server refuses (409) and the page shows both, theirs and yours; the queued
//   answer stays until the person chooses ("Save mine instead" or "Keep theirs");
// - the service worker is asked to keep a sealed copy of this page, of the checklist's other
//   themes and of the page's files, refreshed after each save, so the page opens offline.
//   `<html data-offline-copy>` says "saving" or "ready" (browser tests wait on it).
(function () {
  "use strict";
  var form = document.querySelector("form[data-checklist]");
  var store = window.VigilSecureStore;
  if (!form || !window.fetch || !store || !store.get) { return; }
  var user = form.getAttribute("data-user") || "";
  var NAME = "checklist:" + user + ":" + form.getAttribute("data-checklist");
  var LEGACY = "vigil:" + NAME;  // the plaintext queue of earlier versions, sealed on sight
  var MAX_AGE_MS = 14 * 24 * 3600 * 1000;
  var CODE = /^[A-Za-z0-9_-]{1,60}$/;
  var REVISION = "X-Vigil-Revision";

  function valid(pending) { return pending && typeof pending === "object" ? pending : {}; }
  function update(change) {
    return store.update(NAME, function (value) {
      var pending = change(valid(value));
      return Object.keys(pending).length ? pending : null;
    }).catch(function () { /* no WebCrypto or storage: the answer is still sent as usual */ });
  }
  function boxOf(el) {
    return el && el.closest ? el.closest("[data-question][hx-post]") : null;
  }
  function boxFor(code) {
    return CODE.test(code) ? form.querySelector('[data-question="' + code + '"][hx-post]') : null;
  }
  function inputsOf(box) {
    return Array.prototype.filter.call(box.querySelectorAll("input, textarea, select"), function (el) {
      return el.name && !el.disabled && el.name.indexOf("initial-") !== 0;
    });
  }
  function baseOf(box) { return box.querySelector('input[name^="base-"]'); }
  function paramsOf(box) {
    var out = [];
    inputsOf(box).forEach(function (el) {
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
      out.push([el.name, el.value]);
    });
    return out;
  }
  function typed(params) {  // what was answered, whatever version it was made from
    return JSON.stringify((params || []).filter(function (p) { return String(p[0]).indexOf("base-") !== 0; }));
  }
  function remember(box) {
    var code = box.getAttribute("data-question");
    var entry = { url: box.getAttribute("hx-post"), params: paramsOf(box), at: Date.now() };
    return update(function (pending) { pending[code] = entry; return pending; });
  }
  function forget(code, params) {
    return update(function (pending) {
      if (pending[code] && (!params || typed(pending[code].params) === typed(params))) {
        delete pending[code];
      }
      return pending;
    });
  }
  function rebase(code, revision) {
    // The saved answer's revision: the next change is made from it (in the page and the queue).
    var box = boxFor(code);
    var input = box ? baseOf(box) : null;
    if (revision === null || revision === undefined) { return; }
    if (input) { input.value = revision; }
    update(function (pending) {
      if (pending[code] && Array.isArray(pending[code].params)) {
        pending[code].params = pending[code].params.map(function (p) {
          return String(p[0]) === "base-" + code ? [p[0], revision] : p;
        });
      }
      return pending;
    });
  }
  function status(code, text) {
    var el = document.getElementById("status-" + code);
    if (!el || !text) { return; }
    var span = document.createElement("span");
    span.className = "text-danger-emphasis fw-semibold";
    span.textContent = text;
    el.replaceChildren(span);
  }
  function message(name) { return form.getAttribute("data-msg-" + name) || ""; }
  function sameOrigin(url) { return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/"; }
  function redirected(xhr, box) {
    // A session that ended sends the request to the login page: not saved.
    if (!xhr || !xhr.responseURL) { return false; }
    return new URL(xhr.responseURL).pathname !== box.getAttribute("hx-post");
  }

  // The offline copy of this page: its address, its other themes, its files.
  var copyTimer = null;
  var html = document.documentElement;
  function keepCopy(urls) {
    html.setAttribute("data-offline-copy", "saving");
    return store.keepOffline(urls).then(function () { html.setAttribute("data-offline-copy", "ready"); });
  }
  function refreshCopy() {
    if (navigator.onLine === false) { return; }
    html.setAttribute("data-offline-copy", "saving");
    window.clearTimeout(copyTimer);
    copyTimer = window.setTimeout(function () { keepCopy(thisTheme()); }, 300);
  }
  function thisTheme() {  // this page under each of its addresses (with and without ?theme=)
    var here = new URL(window.location.href);
    var urls = [here.href];
    var theme = form.querySelector("input[name=theme]");
    var first = document.querySelector("#theme-select option");
    if (theme && theme.value) {
      var url = new URL(here.pathname, here);
      url.searchParams.set("theme", theme.value);
      urls.push(url.href);
      if (first && first.value === theme.value) { urls.push(new URL(here.pathname, here).href); }
    }
    return urls.filter(function (u, i) { return urls.indexOf(u) === i; });
  }
  function neighbours() {
    var urls = [window.location.href];
    var here = new URL(window.location.href);
    document.querySelectorAll("#theme-select option").forEach(function (option) {
      var url = new URL(here.pathname, here);
      url.searchParams.set("theme", option.value);
      urls.push(url.href);
    });
    document.querySelectorAll("script[src], link[rel=stylesheet][href], link[rel=manifest][href], link[rel=icon][href]")
      .forEach(function (el) { urls.push(el.src || el.href); });
    return urls;
  }

  // Keep what is typed at once, before any request is made.
  ["input", "change"].forEach(function (type) {
    form.addEventListener(type, function (event) {
      var box = boxOf(event.target);
      if (box) { remember(box); }
    });
  });

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var box = boxOf(event.detail.elt);
    if (box) { box.vigilSent = paramsOf(box); }
  });
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var box = boxOf(event.detail.elt);
    if (!box) { return; }
    var code = event.detail.xhr.status;
    if (redirected(event.detail.xhr, box)) {
      event.detail.shouldSwap = false;
    } else if (code === 422 || code === 409) {
      // A refused answer comes with its message, a conflict with both answers: show them.
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var box = boxOf(event.detail.elt);
    if (!box) { return; }
    var code = box.getAttribute("data-question");
    var xhr = event.detail.xhr;
    if (redirected(xhr, box)) {
      status(code, message("signin"));
    } else if (xhr && xhr.status === 409) {
      rebase(code, xhr.getResponseHeader(REVISION));  // kept in the queue until a choice
    } else if (xhr && xhr.status > 0 && xhr.status < 500) {
      if (xhr.status === 200) { rebase(code, xhr.getResponseHeader(REVISION)); refreshCopy(); }
      forget(code, box.vigilSent);
    } else {
      status(code, message(xhr && xhr.status >= 500 ? "failed" : "offline"));
    }
  });

  // A conflict: send mine over theirs (the base is theirs now), or drop mine and show theirs.
  form.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-conflict-mine], [data-conflict-theirs]") : null;
    var box = boxOf(button);
    if (!box) { return; }
    event.preventDefault();
    if (button.hasAttribute("data-conflict-mine")) {
      remember(box).then(function () { window.htmx.trigger(box, "change"); });
    } else {
      forget(box.getAttribute("data-question")).then(function () { window.location.reload(); });
    }
  });

  // Send again what was not sent: answers of this theme and of any other.
  var flushing = false;
  function flush() {
    if (flushing || navigator.onLine === false) { return; }
    flushing = true;
    store.get(NAME).then(function (value) {
      var pending = valid(value);
      var codes = Object.keys(pending);
      var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
      function next() {
        var code = codes.shift();
        if (code === undefined) { flushing = false; return; }
        var entry = pending[code];
        if (!CODE.test(code) || !entry || !sameOrigin(entry.url) || !Array.isArray(entry.params) ||
            Date.now() - (entry.at || 0) > MAX_AGE_MS) {
          forget(code);
          next();
          return;
        }
        var body = new URLSearchParams();
        entry.params.forEach(function (pair) { body.append(String(pair[0]), String(pair[1])); });
        fetch(entry.url, {
          method: "POST",
          body: body,
          credentials: "same-origin",
          redirect: "manual",
          headers: { "X-CSRFToken": csrf ? csrf.value : "", "HX-Request": "true" }
        }).then(function (response) {
          if (response.type === "opaqueredirect" || response.status === 0) {
            status(code, message("signin"));
            flushing = false;
            return undefined;
          }
          if (response.status >= 500) {
            status(code, message("failed"));
            next();
            return undefined;
          }
          return response.text().then(function (text) {
            if (response.status === 409) {
              rebase(code, response.headers.get(REVISION));
            } else {
              if (response.status === 200) { rebase(code, response.headers.get(REVISION)); refreshCopy(); }
              forget(code, entry.params);
            }
            var el = document.getElementById("status-" + code);
            if (el) { el.innerHTML = text; }  // the server's own partial (escaped by Django)
            next();
          });
        }).catch(function () {
          status(code, message("offline"));
          flushing = false;
        });
      }
      next();
      return undefined;
    }, function () { flushing = false; });
  }

  // Back on the page: put back what was typed but not saved, then send it.
  store.adopt(LEGACY, NAME).then(function () { return store.get(NAME); }).then(function (value) {
    var pending = valid(value);
    Object.keys(pending).forEach(function (code) {
      var box = boxFor(code);
      var entry = pending[code];
      if (!box || !entry || !Array.isArray(entry.params)) { return; }
      if (typed(paramsOf(box)) === typed(entry.params)) { forget(code); return; }  // saved already
      var values = {};
      entry.params.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
      inputsOf(box).forEach(function (el) {
        var chosen = values[el.name] || [];
        if (el.type === "radio" || el.type === "checkbox") { el.checked = chosen.indexOf(el.value) !== -1; }
        else if (chosen.length || el.type !== "hidden") { el.value = chosen.length ? chosen[0] : ""; }
      });
      status(code, message("restored"));
    });
    html.setAttribute("data-restored", "yes");
    window.addEventListener("online", flush);
    if (navigator.onLine !== false) {
      keepCopy(neighbours());
      flush();
    }
  });
})();

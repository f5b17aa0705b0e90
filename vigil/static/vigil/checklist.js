// Vigil checklists: survive a dropped connection without losing what was typed.
//
// Progressive enhancement. Without JavaScript the fill page is a plain form with a Save
// button; with it, htmx sends each answer as it changes (hx-post on each question). This
// script adds: every answer is kept on this device (localStorage) as soon as it is typed and
// forgotten once the server has decided on it (saved, or refused with a message); answers
// not sent (no connection, server error, session ended) are restored into the page on the
// next visit and sent again when the device is back online. Nothing else is stored.
(function () {
  "use strict";
  var form = document.querySelector("form[data-checklist]");
  if (!form || !window.fetch) { return; }
  var KEY = "vigil:checklist:" + (form.getAttribute("data-user") || "") + ":" +
    form.getAttribute("data-checklist");
  var MAX_AGE_MS = 14 * 24 * 3600 * 1000;
  var CODE = /^[A-Za-z0-9_-]{1,60}$/;

  function load() {
    try {
      var data = JSON.parse(window.localStorage.getItem(KEY) || "{}");
      return data && typeof data === "object" ? data : {};
    } catch (e) { return {}; }
  }
  function store(pending) {
    try {
      if (Object.keys(pending).length) { window.localStorage.setItem(KEY, JSON.stringify(pending)); }
      else { window.localStorage.removeItem(KEY); }
    } catch (e) { /* storage full or disabled: the answer is still sent as usual */ }
  }
  function boxOf(el) {
    return el && el.closest ? el.closest("[data-question][hx-post]") : null;
  }
  function inputsOf(box) {
    return Array.prototype.filter.call(box.querySelectorAll("input, textarea, select"), function (el) {
      return el.name && !el.disabled && el.name.indexOf("initial-") !== 0;
    });
  }
  function paramsOf(box) {
    var out = [];
    inputsOf(box).forEach(function (el) {
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
      out.push([el.name, el.value]);
    });
    return out;
  }
  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
  function remember(box) {
    var pending = load();
    pending[box.getAttribute("data-question")] = {
      url: box.getAttribute("hx-post"), params: paramsOf(box), at: Date.now()
    };
    store(pending);
  }
  function forget(code, params) {
    var pending = load();
    if (pending[code] && (!params || same(pending[code].params, params))) {
      delete pending[code];
      store(pending);
    }
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
    if (redirected(event.detail.xhr, box)) {
      event.detail.shouldSwap = false;
    } else if (event.detail.xhr.status === 422) {
      // A refused answer comes with its message: show it in place of the saved state.
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
    } else if (xhr && xhr.status > 0 && xhr.status < 500) {
      forget(code, box.vigilSent);
    } else {
      status(code, message(xhr && xhr.status >= 500 ? "failed" : "offline"));
    }
  });

  // Send again what was not sent: answers of this theme and of any other.
  var flushing = false;
  function flush() {
    if (flushing || navigator.onLine === false) { return; }
    var pending = load();
    var codes = Object.keys(pending);
    if (!codes.length) { return; }
    flushing = true;
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
        return response.text().then(function (html) {
          forget(code, entry.params);
          var el = document.getElementById("status-" + code);
          if (el) { el.innerHTML = html; }  // the server's own partial (escaped by Django)
          next();
        });
      }).catch(function () {
        status(code, message("offline"));
        flushing = false;
      });
    }
    next();
  }

  // Back on the page: put back what was typed but not saved, then send it.
  var pending = load();
  Object.keys(pending).forEach(function (code) {
    if (!CODE.test(code)) { return; }
    var box = form.querySelector('[data-question="' + code + '"][hx-post]');
    var entry = pending[code];
    if (!box || !entry || !Array.isArray(entry.params)) { return; }
    if (same(paramsOf(box), entry.params)) { forget(code); return; }  // already saved
    var values = {};
    entry.params.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    inputsOf(box).forEach(function (el) {
      var chosen = values[el.name] || [];
      if (el.type === "radio" || el.type === "checkbox") { el.checked = chosen.indexOf(el.value) !== -1; }
      else { el.value = chosen.length ? chosen[0] : ""; }
    });
    status(code, message("restored"));
  });
  window.addEventListener("online", flush);
  flush();
})();

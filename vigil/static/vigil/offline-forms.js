// Vigil: the forms a monitor fills on a visit survive a dropped connection.
//
// Progressive enhancement of any `form[data-offline]` (the attributes come from the template
// "_offline_form.html"; without JavaScript the form is sent as usual). What is typed is kept
// on this device as it is typed, sealed under the session's key (secure-store.js: AES-GCM,
// nothing readable is stored, all of it erased at sign-out), under the user and the form's
// address; put back if the page is opened again before it was saved, and forgotten as soon as
// the server has saved it. Save sends the form in the background: when the connection is down the data
// stays here, a message says so, and it is sent again once the device is back online. Each
// form carries a key made here (`submission_key`); the server saves a form once per key
// (vigil/core/submissions.py), so a form sent twice, because an answer was lost on the way,
// is saved once. Fields marked `data-offline-skip` (a sealed identity) are never stored.
(function () {
  "use strict";
  var secure = window.VigilSecureStore;
  if (!secure || !secure.get) { return; }
  var FIELD = "submission_key";
  var MAX_AGE_MS = 14 * 24 * 3600 * 1000;
  var RETRY_MS = 20 * 1000;

  function uuid4() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  function setup(form) {
    var action = new URL(form.getAttribute("action") || window.location.href, window.location.href);
    var KEY = "form:" + form.getAttribute("data-offline") + ":" + action.pathname;
    var LEGACY = "vigil:" + KEY;  // the plaintext entry of earlier versions, sealed on sight
    var current = null;  // what is kept, as last written (the sealed copy follows it)
    var touched = false;
    var login = form.getAttribute("data-offline-login") || "";
    var keyInput = form.querySelector('input[name="' + FIELD + '"]');
    if (!keyInput) {
      keyInput = document.createElement("input");
      keyInput.type = "hidden";
      keyInput.name = FIELD;
      form.appendChild(keyInput);
    }
    // Two live regions: at the top for what was put back, next to Save for what Save did.
    function region(before) {
      var box = document.createElement("div");
      box.setAttribute("role", "status");
      box.setAttribute("data-testid", "offline-status");
      before.parentNode.insertBefore(box, before);
      return box;
    }
    var button = form.querySelector("[type=submit]");
    var top = region(form.firstChild || form.appendChild(document.createTextNode("")));
    var bottom = button ? region(button.parentNode === form ? button : button.parentNode) : top;
    var sending = false;
    var retry = null;

    function load() { return current; }
    function store(entry) {
      current = entry;
      secure.set(KEY, entry).catch(function () { /* no WebCrypto or storage: sent as usual */ });
    }
    function forget() {
      current = null;
      secure.remove(KEY).catch(function () { /* nothing kept */ });
    }
    function fields() {
      return Array.prototype.filter.call(form.elements, function (el) {
        return el.name && !el.disabled && el.name !== "csrfmiddlewaretoken" &&
          ["file", "password", "submit", "button", "reset"].indexOf(el.type) === -1 &&
          !el.hasAttribute("data-offline-skip");
      });
    }
    function values() {
      var out = [];
      fields().forEach(function (el) {
        if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
        if (el.tagName === "SELECT" && el.multiple) {
          Array.prototype.forEach.call(el.selectedOptions, function (o) { out.push([el.name, o.value]); });
          return;
        }
        out.push([el.name, el.value]);
      });
      return out;
    }
    function typed(pairs) {
      return JSON.stringify(pairs.filter(function (pair) { return pair[0] !== FIELD; }));
    }
    function apply(pairs) {
      var chosen = {};
      pairs.forEach(function (pair) { (chosen[pair[0]] = chosen[pair[0]] || []).push(String(pair[1])); });
      fields().forEach(function (el) {
        var mine = chosen[el.name] || [];
        if (el.type === "radio" || el.type === "checkbox") {
          el.checked = mine.indexOf(el.value) !== -1;
        } else if (el.tagName === "SELECT" && el.multiple) {
          Array.prototype.forEach.call(el.options, function (o) { o.selected = mine.indexOf(o.value) !== -1; });
        } else {
          el.value = mine.length ? mine[0] : "";
        }
        el.dispatchEvent(new Event("change", { bubbles: false }));
      });
    }
    function remember(queued) {
      store({ at: Date.now(), fields: values(), queued: queued });
    }
    function show(name, kind) {
      var box = name === "restored" ? top : bottom;
      var text = form.getAttribute("data-msg-" + name) || "";
      top.replaceChildren();
      bottom.replaceChildren();
      if (!text) { return; }
      var folded = form.closest("details");
      if (folded) { folded.open = true; }
      var p = document.createElement("p");
      p.className = "alert alert-" + (kind || "warning");
      p.textContent = text;
      box.appendChild(p);
      if (box === bottom) { p.scrollIntoView({ block: "nearest" }); }
    }
    function later() {
      window.clearTimeout(retry);
      retry = window.setTimeout(function () { if (navigator.onLine !== false) { send(); } }, RETRY_MS);
    }

    function send() {
      var entry = load();
      if (sending || !entry || !entry.queued) { return; }
      sending = true;
      window.clearTimeout(retry);
      var body = new FormData(form);
      if (form.vigilSubmitter && form.vigilSubmitter.name) {
        body.append(form.vigilSubmitter.name, form.vigilSubmitter.value);
      }
      fetch(action.href, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-Vigil-Form": "1" }
      }).then(function (response) {
        sending = false;
        var location = response.headers.get("X-Vigil-Location");
        if (location !== null) {
          var target = new URL(location, window.location.href);
          if (login && target.pathname === new URL(login, window.location.href).pathname) {
            remember(false);
            show("signin");
            return;
          }
          forget();  // saved: nothing stays on the device
          var here = window.location;
          if (target.pathname === here.pathname && target.search === here.search && target.hash) {
            here.hash = target.hash;  // this very page, at a section: load it again
            here.reload();
          } else {
            here.assign(target.href);
          }
          return;
        }
        if (response.status >= 500) {
          remember(false);
          show("failed");
          return;
        }
        // Not saved (a field to correct, or refused): the server's own page says why.
        remember(false);
        sendPlainly();
      }).catch(function () {
        sending = false;
        show("offline");
        later();
      });
    }
    function sendPlainly() {
      if (form.vigilSubmitter && form.vigilSubmitter.name) {
        var extra = document.createElement("input");
        extra.type = "hidden";
        extra.name = form.vigilSubmitter.name;
        extra.value = form.vigilSubmitter.value;
        form.appendChild(extra);
      }
      HTMLFormElement.prototype.submit.call(form);
    }

    function restore(entry) {
      if (entry && !(typeof entry === "object" && Array.isArray(entry.fields))) { entry = null; }
      if (entry && Date.now() - (entry.at || 0) > MAX_AGE_MS) { forget(); entry = null; }
      if (touched) { return; }  // typed before the kept copy was opened: what was typed wins
      if (entry) {
        current = entry;
        if (typed(values()) !== typed(entry.fields)) {
          apply(entry.fields);
          show("restored", "info");
        }
        keyInput.value = (entry.fields.filter(function (p) { return p[0] === FIELD; })[0] || [])[1] || "";
      }
      if (!keyInput.value) { keyInput.value = uuid4(); }
      if (entry && entry.queued) { send(); }
    }

    ["input", "change"].forEach(function (type) {
      form.addEventListener(type, function () {
        touched = true;
        if (!keyInput.value) { keyInput.value = uuid4(); }
        var now = load();
        remember(Boolean(now && now.queued));
      });
    });
    form.addEventListener("submit", function (event) {
      if (!window.fetch || event.defaultPrevented) { return; }
      event.preventDefault();
      form.vigilSubmitter = event.submitter || null;
      if (!keyInput.value) { keyInput.value = uuid4(); }
      remember(true);
      send();
    });
    form.querySelectorAll("[data-offline-discard]").forEach(function (link) {
      link.addEventListener("click", forget);
    });
    window.addEventListener("online", send);
    secure.adopt(LEGACY, KEY).then(function () { return secure.get(KEY); })
      .then(restore, function () { restore(null); });
  }

  document.querySelectorAll("form[data-offline]").forEach(setup);
})();

/* metpwa's outbox: every gym-floor write (a set, vitals, a client's response, an outcome-measure
   result) goes here first, so the wifi dropping loses nothing (issue 20).
   - Each tap is one entry with its own idempotency key; a retry of that entry keeps its key, and the
     server takes each key once (services/outbox.py), so replaying the outbox twice adds nothing.
   - Entries live in IndexedDB, sealed with AES-GCM under a key the server holds for this sign-in
     (#app data-outbox-key). The key is dropped at sign-out and forgotten here at lock, so what is
     left on a shared iPad cannot be read or sent by the next person. Without WebCrypto (plain http
     on a LAN) nothing is written to storage and the pages post as before.
   - Sent in order on `online`, on focus and visibility, and on a timer with backoff (iPad Safari has
     no Background Sync).
   - A calm badge in the top bar says "Offline: N waiting" or "All saved"; tapping it lists what is
     waiting, and an entry the server refused stays there with its reason until it is discarded.
   Pages mark their forms with data-outbox="set|vitals|response|measure". */
(function () {
  "use strict";

  var DB_NAME = "metpwa-outbox";
  var STORE = "entries";
  var KEY_SLOT = "metpwa-outbox-key";  // sessionStorage: the key for the offline page of this tab
  var metpwa = window.metpwa = window.metpwa || {};

  var SHELL_SLOT = "metpwa-shell";   // sessionStorage: the CSRF token and the session page's client, for a test's shell

  function readSlot(name) {
    try { return JSON.parse(window.sessionStorage.getItem(name) || "null"); } catch (e) { return null; }
  }

  // ---- a guided test's shell (issue 20) ----
  // The service worker keeps /measures/shell/<key> (no client, no keys in it) and answers an offline
  // tap on /clients/<id>/measures/<key> with it. This tab's session page left the sign-in's CSRF
  // token and outbox key and the client's name in sessionStorage (never a cache); the shell takes
  // them, and posts to the real test's address, so its result joins the outbox like any other.
  function fillShell() {
    var app = document.getElementById("app");
    if (!app || !app.hasAttribute("data-measure-shell")) return;
    var slot = readSlot(SHELL_SLOT) || { clients: {} };
    var keys = readSlot(KEY_SLOT);
    var found = new RegExp("^/clients/(\\d+)/measures/" + app.dataset.measureShell + "/?$").exec(location.pathname);
    var client = found && slot.clients ? slot.clients[found[1]] : null;
    var form = document.querySelector("[data-measure-form]");
    if (!found || !client || !keys || !slot.csrf) {
      // Opened at the shell's own address, or in a tab with no session page: nobody to record for.
      var orphan = document.querySelector("[data-shell-orphan]");
      if (orphan) orphan.hidden = false;
      if (form) form.querySelectorAll("button, input, textarea").forEach(function (node) { node.disabled = true; });
      return;
    }
    app.setAttribute("hx-headers", JSON.stringify({ "X-CSRFToken": slot.csrf }));
    app.dataset.outboxKey = keys.key;
    app.dataset.outboxStaff = keys.staff;
    document.querySelectorAll("input[name=csrf_token]").forEach(function (input) { input.value = slot.csrf; });
    var page = location.pathname.replace(/\/$/, "");
    if (form) {
      form.action = page;
      form.dataset.previewUrl = page + "/preview";
    }
    document.querySelectorAll("[data-shell-client]").forEach(function (node) { node.textContent = client.name; });
    document.title = client.name + ": " + document.title;
    document.querySelectorAll("[data-shell-back]").forEach(function (link) { link.href = client.back; });
  }
  fillShell();

  // The session page: keep what a shell needs in this tab, and have the service worker keep each
  // test's shell while the wifi is there (only once per shell and version: it asks the cache first).
  function keepForShells(root) {
    var holder = root.querySelector ? root.querySelector("[data-shell-client]") : null;
    if (!holder || !holder.dataset.shellClientName) return;
    var slot = readSlot(SHELL_SLOT) || { clients: {} };
    slot.clients = slot.clients || {};
    slot.clients[holder.dataset.shellClient] = { name: holder.dataset.shellClientName, back: holder.dataset.shellSession };
    slot.csrf = metpwa.csrfToken ? metpwa.csrfToken() : "";
    try { window.sessionStorage.setItem(SHELL_SLOT, JSON.stringify(slot)); } catch (e) { return; }
    // After the page has settled, one at a time: the screen's own load and first taps come first.
    setTimeout(function () {
      if (!navigator.onLine || !window.caches || !navigator.serviceWorker || !navigator.serviceWorker.controller) return;
      Array.prototype.reduce.call(holder.querySelectorAll("[data-shell-url]"), function (chain, link) {
        var url = link.dataset.shellUrl;
        return chain.then(function () { return caches.match(url); }).then(function (hit) {
          return hit || fetch(url, { credentials: "same-origin" });
        }).catch(function () { /* warmed next time */ });
      }, Promise.resolve());
    }, 3000);
  }

  var box = { db: null, crypto: null, staff: "", entries: [], sending: false, again: false, tries: 0, timer: null,
              ready: null };
  var handlers = {};  // per kind: what the page shows as an entry waits, is saved or is refused

  // ---- storage ----

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "seq", autoIncrement: true });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function tx(mode, work) {
    return new Promise(function (resolve, reject) {
      var t = box.db.transaction(STORE, mode);
      var result;
      t.oncomplete = function () { resolve(result); };
      t.onerror = function () { reject(t.error); };
      result = work(t.objectStore(STORE));
    });
  }

  function allRows() {
    return new Promise(function (resolve, reject) {
      var request = box.db.transaction(STORE, "readonly").objectStore(STORE).getAll();
      request.onsuccess = function () { resolve(request.result || []); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function fromBase64(text) {
    var raw = atob(text);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function importKey(text) {
    return crypto.subtle.importKey("raw", fromBase64(text), { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
  }

  function seal(entry) {
    var iv = crypto.getRandomValues(new Uint8Array(12));
    var plain = new TextEncoder().encode(JSON.stringify({
      kind: entry.kind, url: entry.url, body: entry.body, page: entry.page, label: entry.label,
      target: entry.target, performedAt: entry.performedAt, reason: entry.reason || ""
    }));
    return crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, box.crypto, plain).then(function (sealed) {
      // In the clear: only what says whose it is and whether it waits; nothing about the client.
      var row = { key: entry.key, staff: entry.staff, status: entry.status, created: entry.created, iv: iv, data: sealed };
      if (entry.seq !== undefined) row.seq = entry.seq;
      return row;
    });
  }

  function open(row) {
    return crypto.subtle.decrypt({ name: "AES-GCM", iv: row.iv }, box.crypto, row.data).then(function (plain) {
      var content = JSON.parse(new TextDecoder().decode(plain));
      content.seq = row.seq;
      content.key = row.key;
      content.staff = row.staff;
      content.status = row.status;
      content.created = row.created;
      return content;
    });
  }

  function store(entry) {
    return seal(entry).then(function (row) {
      return tx("readwrite", function (objects) {
        var request = objects.put(row);
        request.onsuccess = function () { entry.seq = request.result; };
        return request;
      });
    });
  }

  function forget(entry) {
    return tx("readwrite", function (objects) { objects.delete(entry.seq); });
  }

  // Entries of this sign-in, opened; anything sealed under another sign-in's key stays unread.
  function load() {
    return allRows().then(function (rows) {
      return Promise.all(rows.filter(function (row) { return row.staff === box.staff; }).map(function (row) {
        return open(row).catch(function () { return null; });
      }));
    }).then(function (entries) {
      box.entries = entries.filter(Boolean).sort(function (a, b) { return a.seq - b.seq; });
    });
  }

  function start() {
    if (box.ready) return box.ready;
    var app = document.getElementById("app");
    var key = app ? app.dataset.outboxKey : "";
    var staff = app ? app.dataset.outboxStaff : "";
    try {
      if (key) window.sessionStorage.setItem(KEY_SLOT, JSON.stringify({ key: key, staff: staff }));
      else if (!app) {
        // The offline page has no shell: it reads what waits with the key this tab was given.
        var slot = JSON.parse(window.sessionStorage.getItem(KEY_SLOT) || "null");
        if (slot) { key = slot.key; staff = slot.staff; }
      }
    } catch (e) { /* storage may be disabled: then the key lives only in this page */ }
    if (!key || !window.crypto || !crypto.subtle || !window.indexedDB) {
      box.ready = Promise.reject(new Error("no outbox here"));
      box.ready.catch(function () {});
      return box.ready;
    }
    box.staff = staff;
    box.ready = Promise.all([importKey(key), openDb()]).then(function (both) {
      box.crypto = both[0];
      box.db = both[1];
      return load();
    }).then(function () {
      box.entries.forEach(function (entry) { show(entry, "restored"); });
      badge();
      flush();
      // Once more shortly after: a page opened as the connection returns may find it not quite back.
      setTimeout(flush, 2000);
    });
    box.ready.catch(function () { badge(); });
    return box.ready;
  }

  // ---- adding ----

  metpwa.outbox = {
    // Usable: the page posts its writes through the outbox. Otherwise the page posts as before.
    usable: function () {
      var app = document.getElementById("app");
      return !!(app && app.dataset.outboxKey && window.crypto && crypto.subtle && window.indexedDB);
    },
    // A page's script may load after the outbox opened (scripts on demand): what it restored before
    // then is shown to the handler now, as it would have been.
    on: function (kind, handler) {
      handlers[kind] = handler;
      box.entries.forEach(function (entry) {
        if (entry.kind === kind) {
          try { handler(entry, "restored"); } catch (e) { /* the badge still says it */ }
        }
      });
    },
    // A new entry from a tap: its own key, sent as soon as it can be.
    add: function (kind, url, params, extra) {
      extra = extra || {};
      var body = new URLSearchParams(params);
      var key = body.get("idempotency_key") || metpwa.newKey();
      body.set("idempotency_key", key);
      if (!body.get("performed_at")) body.set("performed_at", String(Date.now()));
      var entry = { kind: kind, url: url, body: body.toString(), page: location.pathname + location.search,
                    label: extra.label || "", target: extra.target || "", performedAt: body.get("performed_at"),
                    key: key, staff: box.staff, status: "waiting", created: Date.now() };
      box.entries.push(entry);
      show(entry, "waiting");
      badge();
      return start().then(function () {
        entry.staff = box.staff;
        return store(entry);
      }).then(function () { flush(); return entry; });
    },
    count: function () { return box.entries.length; },
    // For the browser tests and a support look: whether it is sending and how often it has failed.
    state: function () { return { sending: box.sending, tries: box.tries, open: !!box.db, entries: box.entries.length }; },
    flush: function () { return flush(); },
    // Sign-out and the idle lock: try to send what waits, for at most `ms`.
    drain: function (ms) { return drain(ms); },
    forgetKey: forgetKey
  };

  // ---- sending ----

  function csrf() { return metpwa.csrfToken ? metpwa.csrfToken() : ""; }

  function flush() {
    // An entry added while a round is sending was not in that round's list: the round goes again
    // when it ends (without this it waited for the next focus or reconnect).
    if (box.sending) { box.again = true; return Promise.resolve(); }
    if (!box.db || !csrf()) return Promise.resolve();
    clearTimeout(box.timer);
    // Two tabs of one iPad may send the same entry at once: the server takes its key once and
    // answers both alike. (No Web Lock: one held by a page being left stalled the next page.)
    return sendAll();
  }

  function sendAll() {
    box.sending = true;
    return load().then(function () {
      var next = box.entries.filter(function (entry) { return entry.status === "waiting"; });
      return next.reduce(function (chain, entry) {
        return chain.then(function (go) { return go === false ? false : send(entry); });
      }, Promise.resolve(true));
    }).then(function (allSent) {
      box.sending = false;
      var again = box.again;
      box.again = false;
      badge();
      if (allSent === false) later();
      else {
        box.tries = 0;
        if (again) return flush();
      }
    }, function () {
      box.again = false;
      box.sending = false;
      badge();
      later();
    });
  }

  function later() {
    clearTimeout(box.timer);
    box.tries += 1;
    var delay = Math.min(60000, 2000 * Math.pow(2, Math.min(box.tries, 5)));
    box.timer = setTimeout(flush, delay);
  }

  // One entry: true to go on with the next, false to stop (no connection, locked).
  function send(entry) {
    return fetch(entry.url, {
      method: "POST", body: entry.body, credentials: "same-origin", redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true",
                 "X-CSRFToken": csrf(), "X-Metpwa-Outbox": "1" }
    }).then(function (response) {
      if (response.ok && response.headers.get("X-Outbox-Outcome") === "late") {
        return response.text().then(function (html) { return done(entry, "late", html); });
      }
      if (response.ok) return response.text().then(function (html) { return done(entry, "saved", html); });
      if (response.status === 422 || response.status === 409 || response.status === 404 || response.status === 403) {
        return response.text().then(function (html) { return refused(entry, reasonFrom(html, response.status), html); });
      }
      if (response.status === 401 || response.type === "opaqueredirect") {
        // Locked or signed out on the server: it waits, sealed, for the unlock.
        document.dispatchEvent(new CustomEvent("metpwa:lock-now"));
        return false;
      }
      return false;  // 400 (an expired page), 5xx, a proxy: the same as no connection, try later
    }, function () { return false; });
  }

  function done(entry, outcome, html) {
    return forget(entry).then(function () {
      box.entries = box.entries.filter(function (other) { return other.key !== entry.key; });
      show(entry, outcome, html);
      return true;
    });
  }

  function refused(entry, reason, html) {
    entry.status = "refused";
    entry.reason = reason;
    return store(entry).then(function () {
      show(entry, "refused", html);
      return true;
    });
  }

  function reasonFrom(html, status) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var parts = Array.prototype.map.call(holder.querySelectorAll(".field-error, .alert span, .alert strong"), function (node) {
      return node.textContent.trim();
    }).filter(Boolean);
    if (parts.length) return parts.join(" ");
    if (status === 404) return "Not found here any more (removed, or another practice's).";
    if (status === 403) return "Your role cannot record this.";
    return html.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim().slice(0, 200) || "Refused by the server.";
  }

  function drain(ms) {
    return new Promise(function (resolve) {
      var over = setTimeout(resolve, ms);
      Promise.resolve(box.ready).catch(function () {}).then(function () { return flush(); }).then(function () {
        clearTimeout(over);
        resolve();
      }, function () { clearTimeout(over); resolve(); });
    });
  }

  function forgetKey() {
    // The idle lock: what is left stays sealed; this page and this tab forget how to open it.
    try {
      window.sessionStorage.removeItem(KEY_SLOT);
      window.sessionStorage.removeItem(SHELL_SLOT);
    } catch (e) { /* disabled */ }
    box.crypto = null;
    box.entries = [];
    box.db = null;
  }

  // ---- what the page shows ----

  function show(entry, state, html) {
    var handler = handlers[entry.kind];
    if (handler) {
      try { handler(entry, state, html); } catch (e) { /* the badge still says it */ }
    }
    list();
  }

  function badge() {
    var app = document.getElementById("app");
    var holder = app ? app.querySelector(".topbar-actions") : document.querySelector("[data-outbox-here]");
    if (!holder) return;
    var button = document.getElementById("outbox-badge");
    if (!button) {
      button = document.createElement("button");
      button.type = "button";
      button.id = "outbox-badge";
      button.className = "btn btn-quiet outbox-badge";
      button.setAttribute("aria-controls", "outbox-list");
      button.setAttribute("aria-expanded", "false");
      holder.insertBefore(button, holder.firstChild);
      button.addEventListener("click", function () {
        var panel = document.getElementById("outbox-list");
        var opening = panel.hidden;
        panel.hidden = !opening;
        button.setAttribute("aria-expanded", String(opening));
      });
      var panel = document.createElement("div");
      panel.id = "outbox-list";
      panel.className = "card outbox-list";
      panel.hidden = true;
      holder.parentNode.insertBefore(panel, holder.nextSibling);
    }
    var waiting = box.entries.filter(function (entry) { return entry.status === "waiting"; }).length;
    var words = document.querySelector("[data-outbox-words]");
    if (words) {
      words.textContent = waiting ? waiting + (waiting === 1 ? " item waits" : " items wait") + " on this iPad, " +
        "sealed, and will be sent when the connection is back." : "Nothing is waiting to be sent.";
    }
    var refusedCount = box.entries.length - waiting;
    var text;
    if (waiting) text = (navigator.onLine ? "Sending: " : "Offline: ") + waiting + " waiting";
    else text = "All saved";
    if (refusedCount) text += " · " + refusedCount + " not saved";
    button.textContent = text;
    button.dataset.waiting = String(waiting);
    button.classList.toggle("is-waiting", waiting > 0);
    button.classList.toggle("is-refused", refusedCount > 0);
    // Nothing to say when nothing was ever queued on this page and all is saved.
    button.hidden = !box.entries.length && !button.dataset.shown;
    if (box.entries.length) button.dataset.shown = "1";
    list();
  }

  function list() {
    var panel = document.getElementById("outbox-list");
    if (!panel) return;
    panel.replaceChildren();
    if (!box.entries.length) {
      var none = document.createElement("p");
      none.className = "hint";
      none.textContent = "Nothing is waiting: everything entered on this iPad has reached the server.";
      panel.appendChild(none);
      return;
    }
    var items = document.createElement("ul");
    items.className = "list";
    box.entries.forEach(function (entry) {
      var row = document.createElement("li");
      row.className = "outbox-entry is-" + entry.status;
      row.dataset.outboxKey = entry.key;
      var words = document.createElement("span");
      words.textContent = (entry.label || entry.kind) + (entry.status === "refused" ? ". Not saved: " + entry.reason
                                                                                   : ": waiting");
      row.appendChild(words);
      if (entry.status === "refused") {
        var discard = document.createElement("button");
        discard.type = "button";
        discard.className = "btn btn-quiet";
        discard.textContent = "Discard";
        discard.addEventListener("click", function () {
          forget(entry).then(function () {
            box.entries = box.entries.filter(function (other) { return other.key !== entry.key; });
            show(entry, "discarded");
            badge();
          });
        });
        row.appendChild(edit(entry));
        row.appendChild(discard);
      }
      items.appendChild(row);
    });
    panel.appendChild(items);
  }

  // A refused entry is fixed in place: "Edit" puts what was entered back in the form it came from
  // (on its page; elsewhere "Open to edit" goes there first) and drops the refused entry, which the
  // server never saved. Saving again is a new entry under a new key. Only "input" events are sent:
  // a "change" would post the vitals form at once, before the trainer has fixed anything.
  var KEPT_OUT = { idempotency_key: true, performed_at: true, csrf_token: true };

  function formOf(entry) {
    if (entry.page.split("?")[0] !== location.pathname) return null;
    var path = new URL(entry.url, location.href).pathname;
    var forms = document.querySelectorAll("form[data-outbox=" + entry.kind + "], form[data-measure-form]");
    return Array.prototype.filter.call(forms, function (form) {
      var action = form.getAttribute("hx-post") || form.getAttribute("action") || "";
      return new URL(action, location.href).pathname === path &&
        (!entry.target || form.closest("#" + CSS.escape(entry.target)) || form.querySelector('[value="' + entry.target + '"]') ||
         form.hasAttribute("data-measure-form"));
    })[0] || null;
  }

  function edit(entry) {
    var form = formOf(entry);
    if (!form) {
      var away = document.createElement("a");
      away.className = "btn btn-quiet";
      away.href = entry.page;
      away.textContent = "Open to edit";
      return away;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-quiet";
    button.dataset.outboxEdit = "";
    button.textContent = "Edit";
    button.addEventListener("click", function () {
      var target = formOf(entry) || form;
      var values = new URLSearchParams(entry.body);
      target.dispatchEvent(new CustomEvent("metpwa:outbox-edit", { bubbles: true, detail: { entry: entry } }));
      var names = {};
      values.forEach(function (value, name) {
        if (KEPT_OUT[name]) return;
        (names[name] = names[name] || []).push(value);
      });
      Object.keys(names).forEach(function (name) {
        Array.prototype.forEach.call(target.querySelectorAll("[name='" + name + "']"), function (field) {
          if (field.type === "radio" || field.type === "checkbox") field.checked = names[name].indexOf(field.value) >= 0;
          else if (field.type !== "hidden" || name !== "session_exercise_id") field.value = names[name][0];
          field.dispatchEvent(new Event("input", { bubbles: true }));
        });
      });
      forget(entry).then(function () {
        box.entries = box.entries.filter(function (other) { return other.key !== entry.key; });
        show(entry, "discarded");
        badge();
        var panel = document.getElementById("outbox-list");
        if (panel) panel.hidden = true;
        target.scrollIntoView({ block: "center" });
        var first = target.querySelector("input:not([type=hidden]):not([disabled]), textarea, select");
        if (first) first.focus({ preventScroll: true });
      });
    });
    return button;
  }

  // Forms marked data-outbox post through the outbox instead of htmx: the request htmx was about
  // to make becomes an entry (htmx:confirm comes before anything is sent or disabled).
  document.addEventListener("htmx:confirm", function (event) {
    var form = event.detail.elt;
    if (!form || !form.matches || !form.matches("form[data-outbox]") || !metpwa.outbox.usable()) return;
    event.preventDefault();
    var kind = form.dataset.outbox;
    var describe = describers[kind];
    var extra = describe ? describe(form) : {};
    var fields = new FormData(form);
    fields.delete("idempotency_key");  // each tap is its own entry with its own key
    fields.delete("performed_at");
    metpwa.outbox.add(kind, form.getAttribute("hx-post") || form.action, fields, extra);
  });
  var describers = {};
  metpwa.outbox.describe = function (kind, describe) { describers[kind] = describe; };

  // ---- when to send ----

  window.addEventListener("online", function () {
    // The offline page stands in for the page that could not open: go back to it (it sends).
    if (document.querySelector("[data-offline-page]")) { location.reload(); return; }
    badge();
    flush();
  });
  // The `online` event says the wifi is up, not that the server answers (a gym's wifi that is still
  // joining, a captive portal): one reload then lands on this page again with no second event. So the
  // offline page asks the server itself (every 4 s for a minute, then every 15 s) and goes back once
  // it answers.
  (function comeBackByItself() {
    var page = document.querySelector("[data-offline-page]");
    if (!page || !page.dataset.healthUrl) return;
    var tries = 0;
    function delay() { tries += 1; return tries < 15 ? 4000 : 15000; }
    function probe() {
      if (!navigator.onLine) { setTimeout(probe, 4000); return; }
      fetch(page.dataset.healthUrl, { cache: "no-store", credentials: "same-origin" }).then(function (response) {
        if (response.ok) { location.reload(); return; }
        throw new Error("not yet");
      }).catch(function () { setTimeout(probe, delay()); });
    }
    setTimeout(probe, delay());
  })();
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-offline-retry]")) {
      event.preventDefault();
      location.reload();
    }
  });
  window.addEventListener("offline", badge);
  window.addEventListener("focus", function () { flush(); });
  document.addEventListener("visibilitychange", function () { if (!document.hidden) flush(); });
  document.addEventListener("metpwa:unlocked", function () {
    var app = document.getElementById("app");
    try {
      if (app && app.dataset.outboxKey) {
        window.sessionStorage.setItem(KEY_SLOT, JSON.stringify({ key: app.dataset.outboxKey, staff: app.dataset.outboxStaff }));
      }
    } catch (e) { /* disabled */ }
    flush();
  });

  // Sign-out: send what can be sent first (a few seconds at most), then the server drops the key
  // and the browser's storage is cleared (Clear-Site-Data); this page empties the outbox too, so
  // nothing readable is left for the next person even where that header is not honoured.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var app = document.getElementById("app");
    var logout = app && app.dataset.logoutUrl;
    if (!logout || !form.action || new URL(form.action, location.href).pathname !== logout) return;
    if (form.dataset.outboxDrained) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    drain(4000).then(function () {
      if (box.db) box.db.close();
      box.db = null;
      forgetKey();
      var gone = indexedDB.deleteDatabase(DB_NAME);
      var go = function () { form.dataset.outboxDrained = "1"; form.submit(); };
      gone.onsuccess = gone.onerror = gone.onblocked = go;
    });
  }, true);

  // The idle lock: this tab's copy of the key goes at once (the offline page can no longer open
  // what waits). With nothing waiting the page leaves for the lock screen and forgets the key too.
  // With something waiting it is sent first if it can be; otherwise the page locks where it is
  // (app.js: hidden, the PIN to come back) and sends after the unlock: the server refuses this
  // sign-in's writes while it is locked, so nobody else can send it, and signing out from the lock
  // drops the key and clears the storage.
  document.addEventListener("metpwa:locking", function (event) {
    try { window.sessionStorage.removeItem(KEY_SLOT); } catch (e) { /* disabled */ }
    if (box.entries.some(function (entry) { return entry.status === "waiting"; })) {
      event.preventDefault();
      flush();
      return;
    }
    // Locked where it is (something typed stays on the screen): the page is kept, and so is the key.
    if (event.detail && event.detail.inPlace) return;
    forgetKey();
  });

  // A steady look as well, in case a timer was lost to a sleeping iPad.
  setInterval(function () { if (box.entries.some(function (e) { return e.status === "waiting"; })) flush(); }, 30000);

  document.addEventListener("DOMContentLoaded", function () { start(); keepForShells(document); });
  // A boosted navigation keeps this script: draw the badge in the new page and show what waits for it.
  document.addEventListener("htmx:load", function (event) {
    if (event.target === document.body || event.target.id === "app" || event.target.id === "main") {
      keepForShells(event.target);
      Promise.resolve(box.ready).catch(function () {}).then(function () {
        badge();
        box.entries.forEach(function (entry) { show(entry, "restored"); });
      });
    }
  });
})();

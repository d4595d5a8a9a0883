/* metpwa page behaviour: idle lock, heartbeat, PIN pad, connection messages, the service worker.
   No inline scripts anywhere (the CSP forbids them); everything hangs off data- attributes. */
(function () {
  "use strict";

  var lastActivity = Date.now();
  var lastPing = Date.now();
  var locking = false;

  var csrfToken = window.metpwa.csrfToken;

  function appRoot() { return document.getElementById("app"); }

  function idleMs() {
    var app = appRoot();
    return app ? Number(app.dataset.idleSeconds) * 1000 : Infinity;
  }

  // Tell the server someone is here, at most once a minute, so a trainer typing a
  // long note is not locked out by the server's idle clock.
  function pingEvery() { return Math.min(60000, idleMs() / 4); }

  function lockNow() {
    var app = appRoot();
    if (!app || locking) return;
    // A page holding work that has not reached the server yet (a test result waiting for the
    // wifi) cancels this event: leaving would lose it, so the page locks where it is instead. So
    // does a page with words or numbers typed and not yet saved (a note half written when the
    // trainer stepped away to spot a client): the lock screen would come back to an empty form.
    var typed = typedNotSaved();
    if (!document.dispatchEvent(new CustomEvent("metpwa:locking", { cancelable: true, detail: { inPlace: typed } })) ||
        typed) {
      lockInPlace(app);
      return;
    }
    locking = true;
    // Hide the client's data at once; the lock page replaces this page in history
    // so Back cannot bring it back.
    document.body.classList.add("is-locking");
    var next = location.pathname + location.search;
    function show() { location.replace(app.dataset.lockUrl + "?next=" + encodeURIComponent(next)); }
    // Locking is a change (a POST with the CSRF token); the lock screen (GET) only shows it.
    // Offline, the screen is shown anyway: the server locks on its own idle clock.
    postLock(app).then(show, show);
  }

  // Fields of a form that posts, changed since the page drew them. The outbox's forms (sets, vitals,
  // the note draft) keep what was entered on their own.
  function typedNotSaved() {
    var fields = document.querySelectorAll("#app form[method=post]:not([data-outbox]) :is(input, textarea, select)");
    return Array.prototype.some.call(fields, function (field) {
      if (field.disabled || /^(hidden|search|submit|button|file|password)$/.test(field.type)) return false;
      if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
      if (field.tagName === "SELECT") {
        var chosen = Array.prototype.some.call(field.options, function (option) { return option.defaultSelected; });
        return chosen ? Array.prototype.some.call(field.options, function (option) {
          return option.selected !== option.defaultSelected;
        }) : field.selectedIndex > 0;
      }
      return field.value !== field.defaultValue;
    });
  }

  function postLock(app) {
    return fetch(app.dataset.lockNowUrl, {
      method: "POST", credentials: "same-origin", redirect: "manual",
      headers: { "X-CSRFToken": csrfToken(), "Content-Type": "application/x-www-form-urlencoded" },
      body: "reason=idle"
    });
  }

  // The lock screen, drawn over this page without leaving it: the page is hidden and taken
  // out of the accessibility tree, the server is told (as the Lock button would), and the PIN or
  // password unlocks it here. Signing out from it is the only way to drop what is waiting.
  function lockInPlace(app) {
    if (document.getElementById("in-place-lock")) return;
    locking = true;
    document.body.classList.add("is-locking", "is-locked-here");
    // The title names the client on most pages; Safari shows it above the lock.
    var title = document.title;
    document.title = "Locked · metpwa";
    app.setAttribute("aria-hidden", "true");
    app.inert = true;
    postLock(app).catch(function () { /* offline: the server locks on its own idle clock */ });

    var panel = document.createElement("section");
    panel.id = "in-place-lock";
    panel.className = "card card-narrow lock in-place-lock";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "true");
    panel.setAttribute("aria-labelledby", "in-place-lock-title");
    panel.innerHTML =
      '<h1 id="in-place-lock-title">Locked</h1>' +
      '<p class="hint">Client records stay hidden until you unlock. Work that has not reached the server yet ' +
      'is kept on this screen and is sent once you unlock.</p>' +
      '<form class="unlock-form" novalidate>' +
      '<div class="field"><label class="label" for="in-place-secret">PIN or password</label>' +
      '<input class="input" id="in-place-secret" name="secret" type="password" autocomplete="current-password" ' +
      'aria-describedby="in-place-error" required>' +
      '<p class="field-error" id="in-place-error" data-lock-error hidden></p></div>' +
      '<button type="submit" class="btn btn-primary btn-block">Unlock</button></form>' +
      '<form method="post" class="someone-else"><input type="hidden" name="csrf_token">' +
      '<button type="submit" class="btn btn-secondary btn-block">Someone else: sign in</button>' +
      '<p class="hint">Signing out here drops what is waiting on this screen.</p></form>';
    document.body.appendChild(panel);
    var leave = panel.querySelector(".someone-else");
    leave.action = app.dataset.logoutUrl;
    leave.elements.csrf_token.value = csrfToken();
    var form = panel.querySelector("form");
    var input = panel.querySelector("input");
    var error = panel.querySelector("[data-lock-error]");
    function say(text) { error.textContent = text; error.hidden = !text; }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = new URLSearchParams({ secret: input.value, csrf_token: csrfToken() });
      fetch(app.dataset.unlockUrl, {
        method: "POST", credentials: "same-origin", body: body,
        headers: { "X-CSRFToken": csrfToken() }
      }).then(function (response) {
        if (response.status === 422) {
          input.value = "";
          say("That PIN or password did not match.");
          return;
        }
        if (!response.ok) { say("The server had a problem (error " + response.status + "). Try again."); return; }
        if (new URL(response.url).pathname.indexOf("/login") === 0) {
          // Too many misses ended the sign-in: nothing here can be sent any more.
          location.replace(response.url);
          return;
        }
        panel.remove();
        document.title = title;
        document.body.classList.remove("is-locking", "is-locked-here");
        app.removeAttribute("aria-hidden");
        app.inert = false;
        locking = false;
        lastActivity = lastPing = Date.now();
        document.dispatchEvent(new CustomEvent("metpwa:unlocked"));
      }).catch(function () {
        say("No connection: unlock once the wifi is back. What is waiting stays on this screen.");
      });
    });
    input.focus();
  }

  // A page's script may ask for the lock at once (the server answered that this sign-in is locked).
  document.addEventListener("metpwa:lock-now", function () { lockNow(); });

  function noteActivity() {
    lastActivity = Date.now();
    var app = appRoot();
    if (!app || locking || Date.now() - lastPing < pingEvery()) return;
    lastPing = Date.now();
    fetch(app.dataset.pingUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
      redirect: "manual"
    }).then(function (response) {
      // Anything but 204 means the server has locked or ended this sign-in.
      if (response.status !== 204) lockNow();
    }).catch(function () { /* offline: the idle clock here still runs */ });
  }

  function checkIdle() {
    // Timestamps, not counters: a sleeping iPad wakes up already past the limit.
    if (!locking && Date.now() - lastActivity >= idleMs()) lockNow();
  }

  ["pointerdown", "keydown", "input", "touchstart", "wheel"].forEach(function (type) {
    document.addEventListener(type, noteActivity, { passive: true, capture: true });
  });
  document.addEventListener("visibilitychange", function () { if (!document.hidden) checkIdle(); });
  window.addEventListener("pageshow", function (event) {
    // A page restored from the back-forward cache must ask the server again.
    if (event.persisted && appRoot()) location.reload();
  });

  function startIdleClock() {
    if (!appRoot()) return;
    setInterval(checkIdle, Math.max(250, Math.min(5000, idleMs() / 8)));
  }

  function clearStorageIfAsked() {
    if (!document.body.dataset.clearStorage) return;
    try { window.localStorage.clear(); } catch (e) { /* storage may be disabled */ }
    try { window.sessionStorage.clear(); } catch (e) { /* storage may be disabled */ }
  }

  function showMessage(text) {
    var box = document.getElementById("messages");
    if (!box) return;
    var alert = document.createElement("div");
    alert.className = "alert alert-error";
    alert.setAttribute("role", "alert");
    var strong = document.createElement("strong");
    strong.textContent = text;
    alert.appendChild(strong);
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn btn-quiet alert-close";
    close.textContent = "Close";
    alert.appendChild(close);
    box.replaceChildren(alert);
  }

  // Honest words (issue 20): a page that could not open is not a failed save, and gym-floor writes
  // never get here (outbox.js keeps them); the message goes when the connection is back.
  document.addEventListener("htmx:sendError", function (event) {
    var config = event.detail && event.detail.requestConfig;
    var reading = config && String(config.verb || "").toLowerCase() === "get";
    showMessage(reading ? "No connection: that page could not open. Check the wifi, then tap again."
                        : "No connection: that was not saved. Check the wifi, then tap again.");
  });
  window.addEventListener("online", function () {
    var box = document.getElementById("messages");
    if (box) box.replaceChildren();
  });
  document.addEventListener("htmx:timeout", function () {
    showMessage("The server took too long: that was not saved. Tap again.");
  });
  document.addEventListener("click", function (event) {
    // Tapping a message (or its Close button) dismisses it.
    var alert = event.target.closest && event.target.closest("#messages .alert");
    if (alert) alert.remove();
  });

  function wirePinpads(root) {
    root.querySelectorAll("[data-pinpad-for]").forEach(function (pad) {
      if (pad.dataset.wired) return;
      pad.dataset.wired = "1";
      var input = document.getElementById(pad.dataset.pinpadFor);
      pad.addEventListener("click", function (event) {
        var key = event.target.closest("button");
        if (!key || !input) return;
        if (key.dataset.digit !== undefined && input.value.length < 8) {
          input.value += key.dataset.digit;
        } else if (key.hasAttribute("data-clear")) {
          input.value = "";
        }
      });
    });
  }

  // Follow-up questions appear only when their question has the answer that makes them matter.
  // Each form is wired once; a page may hold several (one per exercise card).
  function wireShowIf(root) {
    var forms = new Set();
    root.querySelectorAll("[data-show-if]").forEach(function (block) {
      var form = block.closest("form");
      if (form) forms.add(form);
    });
    forms.forEach(function (form) {
      function update() {
        form.querySelectorAll("[data-show-if]").forEach(function (block) {
          var wanted = block.dataset.showIfValue;
          var inputs = form.querySelectorAll('[name="' + block.dataset.showIf + '"]');
          var shown = Array.prototype.some.call(inputs, function (input) {
            return (input.type === "radio" || input.type === "checkbox") ? input.checked && input.value === wanted
                                                                          : input.value === wanted;
          });
          block.classList.toggle("is-hidden", !shown);
        });
      }
      if (!form.dataset.showIfWired) {
        form.dataset.showIfWired = "1";
        form.addEventListener("change", update);
      }
      update();
    });
  }

  // Tapping a place on the body outline ticks its checkbox (the checkbox is the real input).
  function wireBodyMaps(root) {
    root.querySelectorAll("[data-body-map]").forEach(function (map) {
      if (map.dataset.wired) return;
      map.dataset.wired = "1";
      var name = map.dataset.bodyMap;
      function box(region) { return map.querySelector('input[name="' + name + '"][value="' + region + '"]'); }
      function paint() {
        map.querySelectorAll("[data-region]").forEach(function (shape) {
          var input = box(shape.dataset.region);
          shape.classList.toggle("is-on", !!(input && input.checked));
        });
      }
      map.addEventListener("click", function (event) {
        var shape = event.target.closest("[data-region]");
        if (!shape) return;
        var input = box(shape.dataset.region);
        if (input) { input.checked = !input.checked; input.dispatchEvent(new Event("change", { bubbles: true })); }
      });
      map.addEventListener("change", paint);
      paint();
    });
  }

  // The signature canvas: sized for the screen's pixel density, cleared far from "sign",
  // and copied into the form as a PNG at the moment of submitting.
  function wireSignaturePads(root) {
    if (!window.SignaturePad) return;
    root.querySelectorAll("[data-signature-pad]").forEach(function (canvas) {
      if (canvas.dataset.wired) return;
      canvas.dataset.wired = "1";
      var form = canvas.closest("form");
      var pad = new window.SignaturePad(canvas, { penColor: "#10212b", minWidth: 1.2, maxWidth: 3.2 });
      // Refused for something else (the name left empty), the page comes back with the signature just
      // drawn: it is put back on the pad, not lost. One refused as a signature is drawn again.
      var kept = form.querySelector('input[name="signature"]').value;
      if (kept.indexOf("data:image/png;base64,") !== 0 || form.querySelector("#signature-error")) kept = "";
      function fit() {
        var ratio = Math.max(window.devicePixelRatio || 1, 1);
        var strokes = pad.toData();
        canvas.width = canvas.offsetWidth * ratio;
        canvas.height = canvas.offsetHeight * ratio;
        canvas.getContext("2d").scale(ratio, ratio);
        pad.clear();
        if (kept) pad.fromDataURL(kept, { width: canvas.offsetWidth, height: canvas.offsetHeight });
        pad.fromData(strokes, { clear: false });
      }
      window.addEventListener("resize", fit);
      fit();
      form.querySelector("[data-signature-clear]").addEventListener("click", function () { kept = ""; pad.clear(); });
      form.addEventListener("submit", function () {
        form.querySelector('input[name="signature"]').value = pad.isEmpty() ? "" : pad.toDataURL("image/png");
      });
    });
  }

  // Plan builder rows: move up, move down, remove. Rows post in page order, so moving a row
  // is all it takes to reorder the plan.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-row-up], [data-row-down], [data-row-remove]");
    if (!button) return;
    var row = button.closest("[data-row]");
    if (!row) return;
    if (button.hasAttribute("data-row-remove")) {
      row.remove();
    } else if (button.hasAttribute("data-row-up") && row.previousElementSibling) {
      row.parentNode.insertBefore(row, row.previousElementSibling);
    } else if (button.hasAttribute("data-row-down") && row.nextElementSibling) {
      row.parentNode.insertBefore(row.nextElementSibling, row);
    }
  });

  // Enter in the library search looks things up; it must not submit the whole plan.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches && event.target.matches("[data-pick]")) {
      event.preventDefault();
    }
  });

  function wire(root) {
    wirePinpads(root);
    wireShowIf(root);
    wireBodyMaps(root);
    wireSignaturePads(root);
  }

  // A new version waiting (issue 20): a calm line at the top of the screen says it starts when this
  // screen is left; "Start it now" is offered only while nothing is being typed, and reloads the
  // page under the new version (what waits in the outbox is sealed in storage, so nothing is lost).
  function announceUpdates(registration) {
    var hadController = !!navigator.serviceWorker.controller;
    function typing() {
      var field = document.activeElement;
      return !!(field && field.matches && field.matches("input:not([type=radio]):not([type=checkbox]):not([type=button]), textarea, select"));
    }
    function banner() {
      var main = document.getElementById("main");
      if (!registration.waiting || !hadController || !main) return;
      var note = document.getElementById("update-banner");
      if (!note) {
        note = document.createElement("div");
        note.id = "update-banner";
        note.className = "update-banner";
        note.setAttribute("role", "status");
        var words = document.createElement("p");
        words.textContent = "A new version is ready: it starts when you leave this screen.";
        var now = document.createElement("button");
        now.type = "button";
        now.className = "btn btn-quiet";
        now.dataset.updateNow = "";
        now.textContent = "Start it now";
        now.addEventListener("click", function () {
          if (!registration.waiting || typing()) return;
          navigator.serviceWorker.addEventListener("controllerchange", function () { location.reload(); });
          registration.waiting.postMessage("apply-update");
        });
        note.appendChild(words);
        note.appendChild(now);
      }
      if (!note.isConnected) main.insertBefore(note, main.firstChild);
      note.querySelector("[data-update-now]").hidden = typing();
    }
    registration.addEventListener("updatefound", function () {
      var coming = registration.installing;
      if (!coming) return;
      coming.addEventListener("statechange", function () { if (coming.state === "installed") banner(); });
    });
    document.addEventListener("focusin", banner);
    document.addEventListener("focusout", function () { setTimeout(banner, 0); });
    // A boosted navigation swaps #main: the banner goes with it unless the new version is still waiting.
    document.addEventListener("htmx:load", banner);
    banner();
  }

  function registerServiceWorker() {
    var url = document.body.dataset.swUrl;
    if (!url || !("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register(url, { scope: "/" }).then(function (registration) {
      announceUpdates(registration);
      // A new version is applied between actions: when this page is left, never mid-entry.
      window.addEventListener("pagehide", function () {
        if (registration.waiting) registration.waiting.postMessage("apply-update");
      });
      document.addEventListener("htmx:beforeRequest", function (event) {
        var config = event.detail && event.detail.requestConfig;
        if (registration.waiting && config && String(config.verb).toLowerCase() === "get" &&
            (event.detail.boosted || config.boosted)) {
          registration.waiting.postMessage("apply-update");
        }
      });
    }).catch(function () { /* not fatal */ });
  }

  // htmx already sends the CSRF token as X-CSRFToken (the shell's hx-headers); the form's hidden
  // copy, there for a post without script, need not travel twice on every logged set.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.headers["X-CSRFToken"]) delete event.detail.parameters.csrf_token;
  });

  // A file over the server's limit would be refused before the form is read (413, an error page),
  // losing everything typed with it: the choice is undone at once and the message put at the field.
  document.addEventListener("change", function (event) {
    var input = event.target;
    var app = appRoot();
    if (!input || input.type !== "file" || !app || !app.dataset.uploadMaxBytes) return;
    var limit = Number(app.dataset.uploadMaxBytes);
    var message = document.getElementById(input.id + "-error");
    var made = message && message.hasAttribute("data-upload-check");
    var field = input.closest(".field");
    var tooBig = Array.prototype.some.call(input.files || [], function (file) { return file.size > limit; });
    if (!tooBig) {
      if (made) {
        message.remove();
        input.removeAttribute("aria-invalid");
        if (field) field.classList.remove("has-error");
      }
      return;
    }
    input.value = "";
    if (!message) {
      message = document.createElement("p");
      message.className = "field-error";
      message.id = input.id + "-error";
      message.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", message);
    }
    message.setAttribute("data-upload-check", "");
    message.textContent = "That file is over " + Math.floor(limit / 1048576) +
      " MB. Scan at a lower resolution or as a PDF.";
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (described.indexOf(message.id) < 0) described.push(message.id);
    input.setAttribute("aria-describedby", described.join(" "));
    input.setAttribute("aria-invalid", "true");
    if (field) field.classList.add("has-error");
  });

  document.addEventListener("htmx:load", function (event) { wire(event.target); });
  // signature_pad loads on demand (core.js), often after the pad's form is on the page.
  document.addEventListener("metpwa:loaded", function (event) {
    if (event.detail.name === "signature") wireSignaturePads(document);
  });

  document.addEventListener("DOMContentLoaded", function () {
    clearStorageIfAsked();
    wire(document);
    startIdleClock();
    registerServiceWorker();
  });
})();

/* metpwa page behaviour: idle lock, heartbeat, PIN pad, connection messages, the service worker.
   No inline scripts anywhere (the CSP forbids them); everything hangs off data- attributes. */
(function () {
  "use strict";

  var lastActivity = Date.now();
  var lastPing = Date.now();
  var locking = false;

  function appRoot() { return document.getElementById("app"); }

  function csrfToken() {
    var app = appRoot();
    if (!app) return "";
    try { return JSON.parse(app.getAttribute("hx-headers"))["X-CSRFToken"] || ""; } catch (e) { return ""; }
  }

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
    locking = true;
    // Hide the client's data at once; the lock page replaces this page in history
    // so Back cannot bring it back.
    document.body.classList.add("is-locking");
    var next = location.pathname + location.search;
    location.replace(app.dataset.lockUrl + "?next=" + encodeURIComponent(next));
  }

  function noteActivity() {
    lastActivity = Date.now();
    var app = appRoot();
    if (!app || Date.now() - lastPing < pingEvery()) return;
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
    if (Date.now() - lastActivity >= idleMs()) lockNow();
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
    box.replaceChildren(alert);
  }

  document.addEventListener("htmx:sendError", function () {
    showMessage("No connection: that was not saved. Check the wifi, then tap again.");
  });
  document.addEventListener("htmx:timeout", function () {
    showMessage("The server took too long: that was not saved. Tap again.");
  });
  document.addEventListener("click", function (event) {
    // Tapping a message dismisses it.
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
      function fit() {
        var ratio = Math.max(window.devicePixelRatio || 1, 1);
        var strokes = pad.toData();
        canvas.width = canvas.offsetWidth * ratio;
        canvas.height = canvas.offsetHeight * ratio;
        canvas.getContext("2d").scale(ratio, ratio);
        pad.clear();
        pad.fromData(strokes);
      }
      window.addEventListener("resize", fit);
      fit();
      form.querySelector("[data-signature-clear]").addEventListener("click", function () { pad.clear(); });
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

  function registerServiceWorker() {
    var url = document.body.dataset.swUrl;
    if (!url || !("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register(url, { scope: "/" }).catch(function () { /* not fatal */ });
  }

  document.addEventListener("htmx:load", function (event) { wire(event.target); });

  document.addEventListener("DOMContentLoaded", function () {
    clearStorageIfAsked();
    wire(document);
    startIdleClock();
    registerServiceWorker();
  });
})();

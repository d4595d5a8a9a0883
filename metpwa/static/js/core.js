/* metpwa's core, loaded before the other scripts on every page: the one way to read the CSRF token
   and the one way to make an idempotency key. The other scripts call
     metpwa.csrfToken()  the token the server wrote on the shell (#app hx-headers), "" when signed out
     metpwa.newKey()     a fresh idempotency key: a version 4 UUID, 8-4-4-4-12 hex digits
     metpwa.ready(fn)    fn once the page is parsed: at DOMContentLoaded, or at once if that has passed
   and loads the scripts only some screens use (see "Scripts on demand" below).
   No inline scripts anywhere (the CSP forbids them), no build step. */
(function () {
  "use strict";

  var metpwa = window.metpwa = window.metpwa || {};

  // htmx sends this header with every request from the shell; a script's own fetch sends the same.
  metpwa.csrfToken = function () {
    var app = document.getElementById("app");
    if (!app) return "";
    try { return JSON.parse(app.getAttribute("hx-headers"))["X-CSRFToken"] || ""; } catch (e) { return ""; }
  };

  // The key a set or a test result is saved under, so a double tap or a retry after the wifi drops
  // saves it once. randomUUID needs a secure context; plain http on the practice's LAN (and older
  // Safari) still has getRandomValues, so the same version 4 UUID is made from that.
  metpwa.newKey = function () {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  };

  // Boosted navigation swaps the body and leaves the window where the last page was scrolled, so a
  // new chart opened 1,132 px down. Every boosted page lands at its top, or at the anchor its link
  // names (or its form's redirect named); a refused form (422) shows its first error instead.
  document.addEventListener("htmx:afterSettle", function (event) {
    var detail = event.detail || {};
    if (!detail.boosted) return;
    if (detail.xhr && detail.xhr.status === 422) {
      var problem = document.querySelector(".form-error, [aria-invalid='true']");
      if (problem) problem.scrollIntoView({ block: "center" });
      return;
    }
    // The anchor a link names, or the one a form's redirect named: XHR drops a redirect's fragment,
    // so the server hands it back in the URL it asks htmx to push (metpwa/landing.py).
    var link = detail.elt && detail.elt.getAttribute ? detail.elt.getAttribute("href") || "" : "";
    if (link.indexOf("#") < 0 && detail.xhr) link = detail.xhr.getResponseHeader("HX-Push-Url") || "";
    var hash = link.indexOf("#") >= 0 ? link.slice(link.indexOf("#") + 1) : "";
    var anchor = hash ? document.getElementById(decodeURIComponent(hash)) : null;
    if (anchor) anchor.scrollIntoView();
    else window.scrollTo(0, 0);
  });

  metpwa.ready = function (fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  };

  // A refused form posted without htmx (the consent signature, a file upload) comes back as a whole
  // page that opened at its top, far above the message: it opens at the first message, as a boosted one does.
  metpwa.ready(function () {
    if (location.hash) return;
    var problem = document.querySelector(".form-error, [aria-invalid='true']");
    if (problem) problem.scrollIntoView({ block: "center" });
  });

  // Scripts on demand. The signature pad, the measure screens and the session screen's script are
  // loaded only where an element asks for them with data-needs="signature measures session", on a
  // direct load or when such an element arrives with htmx (a boosted navigation swaps the body only,
  // so a script tag in the new page's head would never run). base.html names each script's
  // versioned URL in <meta name="metpwa-script-NAME">. Each loads once per page life; loaded after
  // DOMContentLoaded, it must wire what is already on the page from metpwa.ready, not from
  // DOMContentLoaded. "metpwa:loaded" (detail.name) tells scripts already running that it is here.
  var requested = {};

  function load(name) {
    if (!name || requested[name]) return;
    var meta = document.querySelector('meta[name="metpwa-script-' + name + '"]');
    if (!meta) return;
    requested[name] = true;
    var script = document.createElement("script");
    script.src = meta.content;
    script.async = false;  // several asked at once still run in the order asked
    script.dataset.script = name;
    script.addEventListener("load", function () {
      document.dispatchEvent(new CustomEvent("metpwa:loaded", { detail: { name: name } }));
    });
    // A failed download (the wifi dropped mid-navigation) may be asked for again by the next screen.
    script.addEventListener("error", function () { requested[name] = false; script.remove(); });
    document.head.appendChild(script);
  }

  metpwa.loadNeeds = function (root) {
    var elements = root.querySelectorAll ? Array.prototype.slice.call(root.querySelectorAll("[data-needs]")) : [];
    if (root.matches && root.matches("[data-needs]")) elements.unshift(root);
    elements.forEach(function (element) { element.dataset.needs.split(/\s+/).forEach(load); });
  };

  // After the deferred scripts in base.html (htmx, app.js, ...) have run, so a script loaded here
  // finds them; then on everything htmx swaps in.
  metpwa.ready(function () { metpwa.loadNeeds(document); });
  document.addEventListener("htmx:load", function (event) { metpwa.loadNeeds(event.target); });
})();

/* metpwa's core, loaded before the other scripts on every page: the one way to read the CSRF token
   and the one way to make an idempotency key. The other scripts call
     metpwa.csrfToken()  the token the server wrote on the shell (#app hx-headers), "" when signed out
     metpwa.newKey()     a fresh idempotency key: a version 4 UUID, 8-4-4-4-12 hex digits
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
  // names; a refused form (422) shows its first error instead.
  document.addEventListener("htmx:afterSettle", function (event) {
    var detail = event.detail || {};
    if (!detail.boosted) return;
    if (detail.xhr && detail.xhr.status === 422) {
      var problem = document.querySelector(".form-error, [aria-invalid='true']");
      if (problem) problem.scrollIntoView({ block: "center" });
      return;
    }
    var link = detail.elt && detail.elt.getAttribute ? detail.elt.getAttribute("href") || "" : "";
    var hash = link.indexOf("#") >= 0 ? link.slice(link.indexOf("#") + 1) : "";
    var anchor = hash ? document.getElementById(decodeURIComponent(hash)) : null;
    if (anchor) anchor.scrollIntoView();
    else window.scrollTo(0, 0);
  });
})();

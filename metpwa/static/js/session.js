/* The gym-floor session screen: big steppers, "same as last set", an idempotency key per set,
   and a session clock kept from timestamps so a sleeping iPad wakes up on time. */
(function () {
  "use strict";

  // Steppers: a tap changes the number by the button's step, within the input's limits.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-step]");
    if (!button) return;
    var input = document.getElementById(button.dataset.for);
    if (!input) return;
    var step = Number(button.dataset.step);
    var value = Number(input.value || 0) + step;
    var min = input.dataset.min === undefined ? -Infinity : Number(input.dataset.min);
    var max = input.dataset.max === undefined ? Infinity : Number(input.dataset.max);
    value = Math.min(max, Math.max(min, value));
    input.value = String(Math.round(value * 10) / 10);
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });

  // "Same as last set": copy the last logged set into the logger and log it, one tap.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-same-as-last]");
    if (!button) return;
    var form = button.closest("form");
    var card = form.closest(".ex-card");
    var rows = card.querySelectorAll(".set-row");
    if (!rows.length) return;
    var last = rows[rows.length - 1].dataset;
    ["reps", "seconds", "load", "rpe"].forEach(function (name) {
      var input = form.querySelector('input[name="' + name + '"]');
      if (input && last[name] !== undefined) input.value = last[name];
    });
    form.requestSubmit();
  });

  // Each set gets its key when first submitted and keeps it until the server has it, so a
  // double tap or a retry after the wifi drops is one set, not two.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-idempotent]")) return;
    var key = form.querySelector("[data-key]");
    if (key && !key.value) key.value = window.metpwa.newKey();
    var when = form.querySelector("[data-performed-at]");
    if (when && !when.value) when.value = String(Date.now());
  }, true);

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!form || !form.matches || !form.matches("[data-idempotent]")) return;
    var error = form.querySelector(".field-error");
    if (event.detail.successful) {
      form.querySelector("[data-key]").value = "";
      form.querySelector("[data-performed-at]").value = "";
      if (error) error.textContent = "";
      var same = form.querySelector("[data-same-as-last]");
      if (same) same.hidden = false;
    } else if (!event.detail.xhr || event.detail.xhr.status === 0) {
      if (error) error.textContent = "Not saved: no connection. Tap Done again when the wifi is back.";
    }
  });

  function tick() {
    document.querySelectorAll("[data-timer]").forEach(function (clock) {
      var seconds = Math.max(0, Math.floor((Date.now() - Number(clock.dataset.started)) / 1000));
      var minutes = Math.floor(seconds / 60);
      var hours = Math.floor(minutes / 60);
      var text = (hours ? hours + ":" + ("0" + (minutes % 60)).slice(-2) : String(minutes)) + ":" + ("0" + (seconds % 60)).slice(-2);
      clock.textContent = text;
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);
})();

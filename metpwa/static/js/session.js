/* The gym-floor session screen: one exercise open at a time, big steppers, "same as last set", an
   idempotency key per set, a rest timer after each set, and clocks kept from timestamps so a
   sleeping iPad wakes up on time. */
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
    var rows = card.querySelectorAll(".set-row, .set-pending");
    if (!rows.length) return;
    var last = rows[rows.length - 1].dataset;
    ["reps", "seconds", "load", "rpe"].forEach(function (name) {
      var input = form.querySelector('input[name="' + name + '"]');
      if (input && last[name] !== undefined) input.value = last[name];
    });
    form.requestSubmit();
  });

  // Each set gets its key when first submitted and keeps it until the server has it, so a
  // double tap or a retry is one set, not two. With the outbox (outbox.js) each tap is instead its
  // own entry with its own key, kept on the iPad until the server has it; this is the path for a
  // browser without WebCrypto.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-idempotent]")) return;
    var key = form.querySelector("[data-key]");
    if (key && !key.value) key.value = window.metpwa.newKey();
    var when = form.querySelector("[data-performed-at]");
    if (when && !when.value) when.value = String(Date.now());
  }, true);

  function logged(form) {
    var same = form.querySelector("[data-same-as-last]");
    if (same) same.hidden = false;
    var card = form.closest(".ex-card");
    startRest(Number(card && card.dataset.rest) || 60);
  }

  // Undo takes the last set back, and with it the rest that set started. Heard before the swap: the
  // swap deletes the row and the button in it, so later events no longer come from the button.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var button = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (button && button.matches && button.matches(".btn-undo") && event.detail.xhr.status < 300) stopRest();
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!form || !form.matches || !form.matches("[data-idempotent]")) return;
    var error = form.querySelector(".field-error");
    if (event.detail.successful) {
      form.querySelector("[data-key]").value = "";
      form.querySelector("[data-performed-at]").value = "";
      if (error) error.textContent = "";
      logged(form);
    } else if (!event.detail.xhr || event.detail.xhr.status === 0) {
      if (error) error.textContent = "Not saved: no connection. Tap Done again when the wifi is back.";
    }
  });

  // ---- the outbox's sets, vitals and responses on this screen ----

  function text(value, unit) { return value ? value + (unit ? " " + unit : "") : ""; }

  function setWords(fields) {
    var parts = [];
    if (fields.get("reps")) parts.push(fields.get("reps") + " reps");
    if (fields.get("seconds")) parts.push(fields.get("seconds") + " s");
    if (fields.get("load")) parts.push(text(fields.get("load"), fields.get("load_unit")));
    if (fields.get("rpe")) parts.push("RPE " + fields.get("rpe"));
    return parts.join(" · ") || "no numbers";
  }

  function cardName(form) {
    var card = form.closest(".ex-card");
    var heading = card && card.querySelector("h3");
    return heading ? heading.textContent.trim() : "Exercise";
  }

  var outbox = window.metpwa.outbox;
  if (outbox) {
    outbox.describe("set", function (form) {
      var fields = new FormData(form);
      return { label: cardName(form) + ": set of " + setWords(fields), target: fields.get("session_exercise_id") };
    });
    outbox.describe("vitals", function (form) {
      var fields = new FormData(form);
      var when = form.id.replace("vitals-", "");
      var parts = [["pain_", "pain"], ["heart_rate_", "heart rate"], ["systolic_", "systolic"], ["diastolic_", "diastolic"]]
        .filter(function (pair) { return fields.get(pair[0] + when); })
        .map(function (pair) { return pair[1] + " " + fields.get(pair[0] + when); });
      return { label: "Vitals " + when + ": " + (parts.join(", ") || "cleared"), target: form.id };
    });
    outbox.describe("response", function (form) {
      var chosen = form.querySelector("input[name=response]:checked");
      var words = chosen ? chosen.parentNode.textContent.trim() : "no answer";
      return { label: cardName(form) + ": response " + words, target: form.closest(".ex-card").id };
    });

    outbox.describe("note", function () { return { label: "Session note draft", target: "note-draft" }; });

    outbox.on("set", function (entry, state, html) {
      var onPage = entry.page.split("?")[0] === location.pathname;
      var row = document.getElementById("pending-" + entry.key);
      var table = document.getElementById("sets-" + entry.target);
      if (state === "waiting" || state === "restored") {
        if (!onPage || !table || row) return;
        var fields = new URLSearchParams(entry.body);
        row = document.createElement("tr");
        // Not a .set-row until the server has it: the exercise's progress counts only saved sets.
        row.className = "set-pending is-waiting";
        row.id = "pending-" + entry.key;
        ["reps", "seconds", "load", "rpe"].forEach(function (name) { row.dataset[name] = fields.get(name) || ""; });
        row.innerHTML = '<td class="set-n">·</td><td class="set-plan"></td><td class="set-done"></td><td class="set-undo"></td>';
        row.querySelector(".set-done").textContent = setWords(fields) + " ";
        var status = document.createElement("span");
        status.className = "outbox-status";
        row.querySelector(".set-done").appendChild(status);
        table.appendChild(row);
        setStatus(row, entry);
        if (state === "waiting") {
          var form = table.closest(".ex-card").querySelector("form[data-outbox=set]");
          if (form) logged(form);
        }
        return;
      }
      if (!row) return;
      if (state === "saved" && html) {
        var holder = document.createElement("tbody");
        holder.innerHTML = html;
        var fresh = holder.querySelector("tr");
        if (fresh && !document.getElementById(fresh.id) && window.htmx) {
          window.htmx.swap(row, html, { swapStyle: "beforebegin" });
        }
        row.remove();
        return;
      }
      if (state === "discarded") { row.remove(); return; }
      // The newest set was refused: the rest it started is for a set that did not count.
      if (state === "refused" && rest.until && row === row.parentNode.lastElementChild) stopRest();
      entry.status = state;
      setStatus(row, entry);
    });

    ["vitals", "response"].forEach(function (kind) {
      outbox.on(kind, function (entry, state, html) {
        if (entry.page.split("?")[0] !== location.pathname) return;
        var holder = document.getElementById(entry.target);
        var form = holder && (holder.matches("form") ? holder : holder.querySelector("form[data-outbox=" + kind + "]"));
        if (!form) return;
        var status = form.querySelector(".outbox-status");
        if (!status) {
          status = document.createElement("p");
          status.className = "outbox-status";
          status.setAttribute("role", "status");
          form.appendChild(status);
        }
        entry.status = state;
        setStatus(status, entry);
        // The server's answer redraws the form (the card with its flags, the vitals with "saved")
        // unless something entered after it still waits there: that would be drawn away.
        if (state === "saved" && html && window.htmx && !holder.querySelector(".is-waiting")) {
          window.htmx.swap(holder, html, { swapStyle: "outerHTML" });
        }
      });
    });

    // The note draft: the server's answer never redraws the form (the trainer may be typing in the
    // next box); only its status line says what happened. A draft waiting from before a reload is the
    // newest words: they go back in the boxes, or an edit of the older text would be sent after them.
    outbox.on("note", function (entry, state, html) {
      if (entry.page.split("?")[0] !== location.pathname) return;
      var form = document.getElementById("note-draft");
      if (!form) return;
      var status = form.querySelector("[data-note-status]");
      if (state === "restored" && entry.status === "refused") state = "refused";
      if (state === "restored" || state === "waiting") {
        if (state === "restored") {
          new URLSearchParams(entry.body).forEach(function (value, name) {
            var part = form.querySelector("textarea[name='" + name + "']");
            if (part) part.value = value;
          });
          var card = form.closest("details");
          if (card) card.open = true;
        }
        status.textContent = "Draft waiting: kept on this iPad, sealed, and sent when the connection is back.";
      } else if (state === "saved") {
        status.textContent = "Draft kept. The sign page opens with it.";
      } else if (state === "late") {
        status.textContent = "The session was signed before this draft arrived: it is kept as an addendum draft to review.";
      } else if (state === "refused") {
        status.textContent = "Draft not kept: " + entry.reason;
      } else {
        status.textContent = "";
      }
      form.classList.toggle("is-waiting", state === "waiting" || state === "restored");
      form.classList.toggle("is-refused", state === "refused");
    });
    document.addEventListener("change", function (event) {
      var part = event.target;
      if (!part.matches || !part.matches("#note-draft textarea[data-note-part]") || !outbox.usable()) return;
      part.form.requestSubmit();
    });

    // Finish and sign: what waits is sent first, so the minutes count every set.
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("form.session-footer") || form.dataset.drained || !outbox.count()) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      outbox.drain(5000).then(function () {
        form.dataset.drained = "1";
        form.requestSubmit();
      });
    }, true);
  }

  // What an entry shows where it was entered, in the same words as the outbox list.
  function setStatus(holder, entry) {
    var status = holder.classList.contains("outbox-status") ? holder : holder.querySelector(".outbox-status");
    if (!status) return;
    holder.classList.toggle("is-waiting", entry.status === "waiting" || entry.status === "restored");
    holder.classList.toggle("is-refused", entry.status === "refused");
    if (entry.status === "waiting" || entry.status === "restored") status.textContent = "waiting: saved on this iPad, sent when the connection is back";
    else if (entry.status === "refused") status.textContent = "Not saved: " + entry.reason;
    else if (entry.status === "late") status.textContent = "Arrived after the session was signed: kept as an addendum draft to review";
    else if (entry.status === "saved") status.textContent = "saved";
    else status.textContent = "";
  }

  // Focus mode: a row of the list (or "Next") opens its exercise at once, without a request; the
  // address keeps it, so a reload opens the same one. Without this script the link reloads the page.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-open-exercise]");
    if (!link) return;
    var id = link.dataset.openExercise;
    var card = document.getElementById("ex-" + id);
    if (!card) return;
    event.preventDefault();
    document.querySelectorAll(".focus .ex-card").forEach(function (other) {
      other.classList.toggle("is-closed", other !== card);
    });
    document.querySelectorAll(".ex-row").forEach(function (row) {
      var open = row.dataset.openExercise === id;
      row.classList.toggle("is-open", open);
      if (open) row.setAttribute("aria-current", "true"); else row.removeAttribute("aria-current");
    });
    history.replaceState(history.state, "", link.getAttribute("href"));
    var top = card.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight / 2) card.scrollIntoView({ block: "start" });
    var heading = card.querySelector("h3");
    if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
  });

  // The rest timer: starts on each logged set with the plan's rest, counts down in the session bar,
  // and at the end gives a gentle cue (the bar glows, a soft tone, a spoken "Rest over").
  var rest = { until: 0, audio: null };

  function restParts() {
    return {
      box: document.querySelector("[data-rest-timer]"),
      left: document.querySelector("[data-rest-left]"),
      label: document.querySelector("[data-rest-label]"),
      said: document.querySelector("[data-rest-said]")
    };
  }

  function clockText(seconds) {
    return Math.floor(seconds / 60) + ":" + ("0" + (seconds % 60)).slice(-2);
  }

  function startRest(seconds) {
    var parts = restParts();
    if (!parts.box) return;
    rest.until = Date.now() + seconds * 1000;
    parts.box.hidden = false;
    parts.box.classList.remove("is-over");
    parts.label.textContent = "Rest";
    parts.left.textContent = clockText(seconds);
    parts.said.textContent = "";
  }

  function stopRest() {
    var parts = restParts();
    rest.until = 0;
    if (parts.box) parts.box.hidden = true;
  }

  function softTone() {
    try {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) return;
      rest.audio = rest.audio || new Context();
      var now = rest.audio.currentTime;
      var tone = rest.audio.createOscillator();
      var volume = rest.audio.createGain();
      tone.frequency.value = 660;
      volume.gain.setValueAtTime(0.0001, now);
      volume.gain.exponentialRampToValueAtTime(0.12, now + 0.05);
      volume.gain.exponentialRampToValueAtTime(0.0001, now + 0.6);
      tone.connect(volume).connect(rest.audio.destination);
      tone.start(now);
      tone.stop(now + 0.65);
    } catch (ignored) { /* no sound is still a cue: the bar glows */ }
  }

  function restTick() {
    if (!rest.until) return;
    var parts = restParts();
    if (!parts.box) return;
    var left = Math.ceil((rest.until - Date.now()) / 1000);
    if (left > 0) {
      parts.left.textContent = clockText(left);
      return;
    }
    rest.until = 0;
    parts.box.classList.add("is-over");
    parts.label.textContent = "Rest over";
    parts.left.textContent = "next set";
    parts.said.textContent = "Rest over";
    softTone();
    setTimeout(function () { if (!rest.until) stopRest(); }, 15000);
  }

  // iOS lets a page make sound only after a tap: wake the audio on the tap that logs a set.
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(".btn-done, [data-same-as-last]")) {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (Context && !rest.audio) { try { rest.audio = new Context(); } catch (ignored) { rest.audio = null; } }
      if (rest.audio && rest.audio.state === "suspended") rest.audio.resume();
    }
    if (event.target.closest && event.target.closest("[data-rest-stop]")) stopRest();
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
  setInterval(function () { tick(); restTick(); }, 250);
  window.metpwa.ready(tick);  // loaded on demand: often after DOMContentLoaded
})();

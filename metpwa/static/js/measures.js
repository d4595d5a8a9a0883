/* metpwa outcome-measure screens. The stopwatch, countdowns, tap counters, stance timers and
   tap-through questionnaires only fill in ordinary inputs; the server scores and interprets them
   (a preview), and Save posts the result once under an idempotency key. While the wifi is down a
   result goes to the outbox (outbox.js: sealed on the iPad with this sign-in's key, sent once the
   server can be reached); without WebCrypto it waits in this page's memory and is sent again until
   the server answers. Wired from data- attributes: the CSP forbids inline script. */
(function () {
  "use strict";

  var jobs = {};          // results being saved, by idempotency key
  var previewSeq = 0;
  var previewTimer = null;
  var audio = null;

  function one(root, selector) { return root.querySelector(selector); }
  function all(root, selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }
  function upperFirst(text) { return text ? text.charAt(0).toUpperCase() + text.slice(1) : text; }

  var csrfToken = window.metpwa.csrfToken;
  var newKey = window.metpwa.newKey;

  // Elapsed time from two clocks. performance.now() is precise, but some browsers pause it while
  // the iPad sleeps; Date.now() keeps running. When they disagree by more than a second the screen
  // slept, and the wall clock is the one to believe.
  function Stopclock(stamp) {
    // An event time from another clock (older Safari counted from 1970) is no start time.
    var now = performance.now();
    if (!(stamp <= now && now - stamp < 1000)) stamp = now;
    this.perf = stamp;
    this.wall = Date.now() - (performance.now() - stamp);
  }
  Stopclock.prototype.seconds = function (stamp) {
    var now = stamp === undefined || stamp < this.perf || stamp > performance.now() ? performance.now() : stamp;
    var byPerf = now - this.perf;
    var byWall = Date.now() - (performance.now() - now) - this.wall;
    return (Math.abs(byWall - byPerf) > 1000 ? byWall : byPerf) / 1000;
  };

  // iOS plays sound only from an AudioContext first touched during a tap.
  function unlockAudio() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      if (audio.state === "suspended") audio.resume();
    } catch (e) { audio = null; }
  }

  function beep() {
    if (!audio) return;
    var tone = audio.createOscillator();
    var gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.value = 0.25;
    tone.connect(gain);
    gain.connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.5);
  }

  // Taps that time something act on pointerdown: the time is taken when the finger lands, not
  // when it lifts. A keyboard press arrives as a click with no pointer before it.
  function onPress(button, handler) {
    button.addEventListener("pointerdown", function (event) {
      if (!event.isPrimary || button.disabled) return;
      event.preventDefault();
      handler(event.timeStamp);
    });
    button.addEventListener("click", function (event) {
      if (event.detail === 0 && !button.disabled) handler(performance.now());
    });
  }

  function markStart(form) {
    var when = one(form, "[data-performed-at]");
    if (!when.value) when.value = new Date().toISOString();
  }

  function running(form) { return !!one(form, ".is-running"); }

  // ---- checking at the field (the server checks again) ----

  function parseNumber(text) {
    text = text.trim();
    return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text) ? parseFloat(text) : NaN;
  }

  function limitProblem(input) {
    var d = input.dataset;
    var text = input.value.trim();
    if (!text || d.low === undefined) return "";
    var value = parseNumber(text);
    var low = Number(d.low);
    var high = Number(d.high);
    if (isNaN(value)) return d.label + " must be a number";
    if (d.whole !== undefined && (value % 1 !== 0 || value < low || value > high)) {
      return d.label + " must be a whole number from " + low + " to " + high;
    }
    if (value > high && d.over) return d.over;
    if (value < low || value > high) return d.label + " must be between " + low + " and " + high + (d.unit ? " " + d.unit : "");
    return "";
  }

  // Lengths are in the unit the hallway was measured in; the distance is always in metres.
  var METRES_PER_FOOT = 0.3048;

  function walkProblems(form, problems) {
    var total = one(form, "[data-walk-total]");
    if (!total) return;
    var chosen = one(form, "[data-walk-unit]:checked");
    var laps = parseNumber(form.elements.laps.value);
    var lap = parseNumber(form.elements.lap_length.value);
    var extra = form.elements.extra.value.trim() ? parseNumber(form.elements.extra.value) : 0;
    if (!chosen || isNaN(laps) || isNaN(lap) || isNaN(extra)) {
      total.textContent = "—";
      return;
    }
    var metres = (laps * lap + extra) * (chosen.value === "ft" ? METRES_PER_FOOT : 1);
    total.textContent = Math.round(metres) + " m";
    if (extra >= lap && !problems.extra) problems.extra = "extra distance must be less than one lap (" + lap + " " + chosen.value + ")";
    if (metres > Number(total.dataset.high) && !problems.laps) problems.laps = total.dataset.over;
  }

  function wireWalk(form) {
    var box = one(form, "[data-walk-lengths]");
    if (!box) return;
    function apply() {
      var chosen = one(form, "[data-walk-unit]:checked");
      var unit = chosen ? chosen.value : "m";
      var lap = one(box, "[data-walk-lap]");
      var extra = one(box, "[data-walk-extra]");
      lap.dataset.low = box.dataset[unit + "LapLow"];
      lap.dataset.high = box.dataset[unit + "LapHigh"];
      lap.dataset.unit = unit;
      extra.dataset.high = box.dataset[unit + "ExtraHigh"];
      extra.dataset.unit = unit;
    }
    form.addEventListener("change", function (event) { if (event.target.matches("[data-walk-unit]")) apply(); });
    apply();
  }

  function validate(form) {
    var problems = {};
    var checked = {};
    all(form, "input[data-low]").forEach(function (input) {
      checked[input.name] = true;
      var problem = limitProblem(input);
      if (problem && !problems[input.name]) problems[input.name] = problem;
      if (problem) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
    });
    walkProblems(form, problems);
    all(form, "[data-error-for]").forEach(function (box) {
      // Messages for fields checked only by the server stay until the server answers again.
      if (checked[box.dataset.errorFor]) box.textContent = upperFirst(problems[box.dataset.errorFor] || "");
    });
    return Object.keys(problems).length === 0;
  }

  // Something to score: every [data-needed] input is filled, every [data-needed] group has a
  // filled box or a ticked choice.
  function complete(form) {
    return all(form, "[data-needed]").every(function (need) {
      if (need.matches("input")) return need.value.trim() !== "";
      return all(need, "input").some(function (input) {
        return (input.type === "radio" || input.type === "checkbox") ? input.checked : input.value.trim() !== "";
      });
    });
  }

  // ---- talking to the server ----

  function encoded(form) { return new URLSearchParams(new FormData(form)).toString(); }

  // Sent as htmx would send it, so the server answers with a fragment, never a whole page.
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true", "X-CSRFToken": csrfToken() }
    });
  }

  function fromHtml(html, selector) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    return holder.querySelector(selector);
  }

  function showResult(html) {
    var current = document.getElementById("measure-result");
    var fresh = fromHtml(html, "#measure-result");
    if (!current || !fresh) return;
    current.replaceWith(fresh);
    // In portrait the result lands below the control: bring it up, keeping the control in view.
    fresh.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  function resultSays(text) {
    var current = document.getElementById("measure-result");
    if (!current) return;
    var line = document.createElement("p");
    line.className = "empty";
    line.textContent = text;
    current.classList.remove("is-saved");
    current.replaceChildren(line);
  }

  // A refusal comes back as the form with each message at its field and what was entered kept.
  function swapForm(form, html) {
    var fresh = fromHtml(html, "[data-measure-form]");
    if (!fresh || !form.isConnected) return null;
    form.replaceWith(fresh);
    if (window.htmx) window.htmx.process(fresh);
    wireForm(fresh);
    return fresh;
  }

  function schedulePreview(form, delay) {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(function () { preview(form); }, delay || 0);
  }

  function preview(form) {
    if (!form.isConnected || form.classList.contains("is-saved") || form.classList.contains("is-queued") ||
        jobs[form.elements.idempotency_key.value]) return;
    if (running(form)) return;  // the trial is not over yet
    if (!validate(form)) return;
    if (!complete(form)) {
      resultSays("The result and what it means show here as soon as there is one.");
      return;
    }
    var seq = ++previewSeq;
    post(form.dataset.previewUrl, encoded(form)).then(function (response) {
      if (seq !== previewSeq) return null;
      if (response.ok) return response.text().then(showResult);
      if (response.status === 422) return response.text().then(function (html) { swapForm(form, html); });
      return null;
    }).catch(function () {
      if (seq === previewSeq) resultSays("No connection: what the result means shows once it is saved. Save it now; it waits here until the wifi is back.");
    });
  }

  function setStatus(form, kind, text) {
    if (!form.isConnected) {
      // The trainer has moved on; say it where any page shows messages.
      if (kind === "saved" || kind === "failed") message(kind, text);
      return;
    }
    var box = one(form, "[data-save-status]");
    box.className = "save-status is-" + kind;
    box.textContent = text;
  }

  function message(kind, text) {
    var box = document.getElementById("messages");
    if (!box) return;
    var alert = document.createElement("div");
    alert.className = kind === "saved" ? "alert notice" : "alert alert-error";
    alert.setAttribute("role", "alert");
    alert.textContent = text;
    box.replaceChildren(alert);
  }

  function lock(form, locked) {
    all(form, "[data-measure-fields]").forEach(function (fields) { fields.disabled = locked; });
    one(form, "[data-save]").disabled = locked;
  }

  function save(form) {
    var key = form.elements.idempotency_key.value;
    // A double tap sends nothing twice.
    if (jobs[key] || form.classList.contains("is-saved") || form.classList.contains("is-queued")) return;
    if (running(form)) {
      setStatus(form, "failed", "Stop the timer first.");
      return;
    }
    if (!validate(form) || !complete(form)) {
      setStatus(form, "failed", "Not saved: finish the test, or check the highlighted fields.");
      return;
    }
    markStart(form);
    clearTimeout(previewTimer);
    previewSeq++;
    if (window.metpwa.outbox && window.metpwa.outbox.usable()) {
      // The outbox keeps it (sealed, on this iPad) and sends it once the server can be reached.
      // Read before locking: a disabled field is not part of the form's data.
      var fields = new FormData(form);
      lock(form, true);
      form.classList.add("is-queued");
      // "Kept on this iPad" only once it is: a tab closed while the result is being sealed loses it.
      setStatus(form, "saving", "Keeping it on this iPad…");
      window.metpwa.outbox.add("measure", form.action, fields, { label: form.dataset.measureName + " result",
                                                                 target: key }).then(function () {
        if (form.classList.contains("is-queued") && form.isConnected) {
          setStatus(form, "waiting", "Waiting: not saved yet. It is kept on this iPad, sealed, and sent when the connection is back.");
        }
      }, function () {
        form.classList.remove("is-queued");
        lock(form, false);
        setStatus(form, "failed", "Not kept: this iPad could not store it. Tap Save again.");
      });
      return;
    }
    // No outbox here (no WebCrypto): the result waits in this page's memory.
    // The body is fixed now: every retry sends exactly this, under this key.
    var job = { key: key, form: form, url: form.action, body: encoded(form),
                name: form.dataset.measureName, tries: 0, timer: null, sending: false };
    jobs[key] = job;
    clearTimeout(previewTimer);
    previewSeq++;
    lock(form, true);
    setStatus(form, "saving", "Saving…");
    send(job);
  }

  function send(job) {
    if (job.sending || jobs[job.key] !== job) return;
    clearTimeout(job.timer);
    job.sending = true;
    job.tries += 1;
    post(job.url, job.body).then(function (response) {
      job.sending = false;
      if (response.ok) return response.text().then(function (html) { saved(job, html); });
      if (response.status === 422) return response.text().then(function (html) { refused(job, html); });
      if (response.status === 401 && isLockScreen(response.headers.get("HX-Redirect"))) return locked(job);
      // A proxy answering for a server it cannot reach yet: the same as no connection.
      if (response.status >= 502 && response.status <= 504) return wait(job);
      return failed(job, failure(response.status));
    }).catch(function () {
      job.sending = false;
      wait(job);
    });
  }

  function wait(job) {
    setStatus(job.form, "waiting", "Waiting: not saved yet. It is sent again when the connection is back; keep this page open.");
    var delay = Math.min(30000, 1000 * Math.pow(2, Math.min(job.tries, 5)));
    job.timer = setTimeout(function () { send(job); }, delay);
  }

  function isLockScreen(url) {
    var app = document.getElementById("app");
    return !!(url && app && new URL(url, location.href).pathname === app.dataset.lockUrl);
  }

  function locked(job) {
    // The sign-in locked (idle) before this reached the server: it waits for the unlock, on this
    // page, which locks where it is rather than leaving (app.js).
    setStatus(job.form, "waiting", "Waiting: the iPad locked before this was saved. It is sent when you unlock.");
    document.dispatchEvent(new CustomEvent("metpwa:lock-now"));
  }

  function saved(job, html) {
    delete jobs[job.key];
    job.form.classList.add("is-saved");
    one(job.form, "[data-save]").hidden = true;
    // After the trainer has moved on, this page's result area belongs to another test.
    if (job.form.isConnected) showResult(html);
    setStatus(job.form, "saved", job.form.isConnected ? "Saved." : "Saved the " + job.name + " result that was waiting.");
  }

  function refused(job, html) {
    delete jobs[job.key];
    var fresh = swapForm(job.form, html);
    if (fresh) setStatus(fresh, "failed", "Not saved: check the highlighted fields.");
    else message("failed", "The " + job.name + " result was not saved: open the test again.");
  }

  function failed(job, why) {
    delete jobs[job.key];
    if (job.form.isConnected) lock(job.form, false);
    // The key stays on the form, so tapping Save again cannot save the result twice.
    setStatus(job.form, "failed", "Not saved: " + why + (job.form.isConnected ? "" : " (" + job.name + ")"));
  }

  function failure(status) {
    if (status === 401 || status === 0) return "the sign-in ended or the iPad locked. Sign in, then run the test again.";
    if (status === 400) return "this page has expired. Reload it and run the test again.";
    if (status === 403) return "your role cannot record results.";
    if (status === 404) return "this client or test was not found.";
    return "the server had a problem (error " + status + "). Tap Save to try again.";
  }

  function sendAll() { Object.keys(jobs).forEach(function (key) { send(jobs[key]); }); }

  // The outbox's measure results: shown on the screen they were run on while it is open.
  function formFor(key) {
    var input = document.querySelector('[data-measure-form] input[name="idempotency_key"][value="' + key + '"]');
    return input ? input.form : null;
  }
  if (window.metpwa.outbox) {
    window.metpwa.outbox.on("measure", function (entry, state, html) {
      var form = formFor(entry.key);
      if (state === "saved") {
        if (!form) return;
        form.classList.remove("is-queued");
        form.classList.add("is-saved");
        one(form, "[data-save]").hidden = true;
        showResult(html);
        setStatus(form, "saved", "Saved.");
      } else if (state === "refused") {
        var fresh = form && html ? swapForm(form, html) : null;
        if (fresh) setStatus(fresh, "failed", "Not saved: " + entry.reason);
      } else if (state === "restored" && form) {
        lock(form, true);
        setStatus(form, "waiting", "Waiting: not saved yet. It is kept on this iPad, sealed, and sent when the connection is back.");
      }
    });
  }

  // A refused result reopened from the outbox list: the form is open again under a new key (the
  // refused one was never saved), and outbox.js puts the values back in it.
  document.addEventListener("metpwa:outbox-edit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-measure-form]")) return;
    form.classList.remove("is-queued", "is-saved");
    lock(form, false);
    one(form, "[data-save]").hidden = false;
    form.elements.idempotency_key.value = newKey();
    setStatus(form, "failed", "Not saved yet: check the values and save again.");
  });

  window.addEventListener("online", sendAll);
  document.addEventListener("metpwa:unlocked", sendAll);
  // The idle lock would leave the page and lose what waits in memory: keep the page, lock it in
  // place. (What waits in the outbox is sealed on the iPad and is sent after the unlock.)
  document.addEventListener("metpwa:locking", function (event) {
    if (Object.keys(jobs).length) event.preventDefault();
  });
  window.addEventListener("beforeunload", function (event) {
    // The idle lock always wins: it hides the page and leaves (app.js).
    if (!Object.keys(jobs).length || document.body.classList.contains("is-locking")) return;
    event.preventDefault();
    event.returnValue = "";
  });

  // ---- the controls ----

  function wireStopwatch(form) {
    var watch = one(form, "[data-stopwatch]");
    if (!watch) return;
    var button = one(watch, "[data-stopwatch-toggle]");
    var time = one(watch, "[data-stopwatch-time]");
    var label = one(watch, "[data-stopwatch-label]");
    var another = one(watch, "[data-another-trial]");
    var list = one(watch, "[data-trials]");
    var template = one(watch, "[data-trial-template]");
    var max = Number(watch.dataset.maxTrials) || 3;
    var clock = null;
    var frame = null;
    var state = "ready";

    function trials() { return all(list, "[data-trial]"); }
    function show(seconds) { time.textContent = seconds.toFixed(2); }
    function setState(next) {
      var count = trials().length;
      state = next;
      watch.classList.toggle("is-running", next === "running");
      button.disabled = next === "stopped" || (next === "ready" && count >= max);
      if (next === "running") label.textContent = "Stop";
      else if (next === "stopped") label.textContent = "Stopped";
      else label.textContent = count >= max ? max + " trials recorded" : "Start" + (count ? " trial " + (count + 1) : "");
      another.hidden = !(next === "stopped" && count < max);
    }
    function addTrial(value) {
      var row = template.content.firstElementChild.cloneNode(true);
      one(row, "input").value = value;
      list.appendChild(row);
      return row;
    }
    function tick() {
      show(clock.seconds());
      frame = requestAnimationFrame(tick);
    }
    onPress(button, function (stamp) {
      if (state === "running") {
        cancelAnimationFrame(frame);
        var seconds = Math.round(clock.seconds(stamp) * 100) / 100;
        show(seconds);
        addTrial(seconds.toFixed(2));
        setState("stopped");
        schedulePreview(form);
      } else if (state === "ready" && trials().length < max) {
        clock = new Stopclock(stamp);
        markStart(form);
        setState("running");
        tick();
      }
    });
    another.addEventListener("click", function () {
      show(0);
      setState("ready");
    });
    one(watch, "[data-trial-add]").addEventListener("click", function () {
      if (state === "running" || trials().length >= max) return;
      markStart(form);
      one(addTrial(""), "input").focus();
      setState(trials().length ? "stopped" : "ready");
    });
    list.addEventListener("click", function (event) {
      var discard = event.target.closest("[data-trial-discard]");
      if (!discard) return;
      discard.closest("[data-trial]").remove();
      if (state !== "running") {
        if (!trials().length) show(0);
        setState(trials().length ? "stopped" : "ready");
      }
      schedulePreview(form);
    });
    var kept = trials();
    if (kept.length) show(parseNumber(one(kept[kept.length - 1], "input").value) || 0);
    setState(kept.length ? "stopped" : "ready");
  }

  function wireCountdowns(form) {
    all(form, "[data-countdown]").forEach(function (box) {
      var total = Number(box.dataset.seconds);
      var button = one(box, "[data-countdown-toggle]");
      var time = one(box, "[data-countdown-time]");
      var label = one(box, "[data-countdown-label]");
      var bar = one(box, "[data-countdown-progress]");
      var stop = one(box, "[data-countdown-stop]");
      var startLabel = label.textContent;
      var endAt = null;
      var timer = null;

      function show(left) {
        var whole = Math.ceil(left);
        time.textContent = Math.floor(whole / 60) + ":" + ("0" + (whole % 60)).slice(-2);
        bar.value = left;
      }
      function tick() {
        // From the wall clock: a countdown that slept with the screen is still right when it wakes.
        var left = Math.max(0, (endAt - Date.now()) / 1000);
        show(left);
        if (left <= 0) finish("Time");
      }
      function finish(text) {
        clearInterval(timer);
        timer = null;
        endAt = null;
        box.classList.remove("is-running");
        box.classList.add("is-done");
        stop.hidden = true;
        label.textContent = text + ": tap to reset";
        if (text === "Time") beep();
        box.dispatchEvent(new CustomEvent("measure:timeup", { bubbles: true }));
      }
      onPress(button, function () {
        if (timer) return;
        if (box.classList.contains("is-done")) {
          box.classList.remove("is-done");
          label.textContent = startLabel;
          show(total);
          return;
        }
        unlockAudio();
        markStart(form);
        endAt = Date.now() + total * 1000;
        box.classList.add("is-running");
        label.textContent = "Counting down";
        stop.hidden = false;
        timer = setInterval(tick, 100);
        tick();
      });
      stop.addEventListener("click", function () { if (timer) finish("Stopped early"); });
      document.addEventListener("visibilitychange", function () { if (timer && !document.hidden) tick(); });
    });
    form.addEventListener("measure:timeup", function () {
      all(form, "[data-counter-input]").forEach(function (input) {
        // Zero is a result too: the client could not complete a stand or a lap.
        if (!input.value.trim()) input.value = "0";
      });
      schedulePreview(form);
    });
  }

  function wireCounters(form) {
    all(form, "[data-counter]").forEach(function (box) {
      var input = one(box, "[data-counter-input]");
      var shown = one(box, "[data-counter-show]");
      box.addEventListener("click", function (event) {
        var step = event.target.closest("[data-counter-step]");
        if (!step) return;
        var value = Math.max(0, (parseInt(input.value, 10) || 0) + Number(step.dataset.counterStep));
        input.value = String(value);
        markStart(form);
        input.dispatchEvent(new Event("input", { bubbles: true }));
      });
      input.addEventListener("input", function () { shown.textContent = input.value.trim() || "0"; });
    });
  }

  function wireStages(form) {
    var list = one(form, "[data-stages]");
    if (!list) return;
    var stages = all(list, "[data-stage]");
    var active = null;

    function held(index) { return parseNumber(one(stages[index], "[data-hold-input]").value); }
    function refresh() {
      stages.forEach(function (stage, index) {
        // The next stance is tried only after the one before is held for the full time.
        var open = index === 0 || held(index - 1) >= Number(one(stages[index - 1], "[data-hold-toggle]").dataset.seconds);
        stage.classList.toggle("is-locked", !open);
        one(stage, "[data-hold-toggle]").disabled = !open || (active !== null && active.stage !== stage);
      });
    }
    function stop(stamp) {
      var run = active;
      active = null;
      clearInterval(run.timer);
      var seconds = Math.min(run.limit, Math.round(run.clock.seconds(stamp) * 10) / 10);
      run.input.value = String(seconds);
      run.stage.classList.remove("is-running");
      run.shown.textContent = seconds + " s held";
      if (seconds >= run.limit) beep();
      else stages.slice(stages.indexOf(run.stage) + 1).forEach(function (later) { one(later, "[data-hold-input]").value = ""; });
      refresh();
      schedulePreview(form);
    }
    stages.forEach(function (stage) {
      var button = one(stage, "[data-hold-toggle]");
      onPress(button, function (stamp) {
        if (active && active.stage === stage) return stop(stamp);
        if (active) return;
        unlockAudio();
        markStart(form);
        active = { stage: stage, input: one(stage, "[data-hold-input]"), shown: one(stage, "[data-hold-time]"),
                   limit: Number(button.dataset.seconds), clock: new Stopclock(stamp), timer: null };
        stage.classList.add("is-running");
        refresh();
        active.timer = setInterval(function () {
          var seconds = active.clock.seconds();
          active.shown.textContent = seconds.toFixed(1) + " s: tap to stop";
          if (seconds >= active.limit) stop();
        }, 100);
      });
    });
    list.addEventListener("input", refresh);
    refresh();
  }

  function wireGrip(form) {
    var box = one(form, "[data-grip]");
    if (!box) return;
    function apply() {
      var chosen = one(form, "[data-grip-unit]:checked");
      var unit = chosen ? chosen.value : "kg";
      all(box, "[data-grip-reading]").forEach(function (input) {
        input.dataset.label = box.dataset.label;
        input.dataset.low = "0";
        input.dataset.high = box.dataset[unit + "High"];
        input.dataset.over = box.dataset[unit + "Over"];
        input.dataset.unit = unit;
      });
    }
    form.addEventListener("change", function (event) { if (event.target.matches("[data-grip-unit]")) apply(); });
    apply();
  }

  function wireQuestionnaire(form) {
    var box = one(form, "[data-questionnaire]");
    if (!box) return;
    var items = all(box, "[data-question]");
    var nav = one(box, "[data-questionnaire-nav]");
    var bar = one(box, "[data-questionnaire-progress]");
    var count = one(box, "[data-questionnaire-count]");
    var back = one(nav, "[data-question-back]");
    var next = one(nav, "[data-question-next]");
    var here = 0;

    function answered(item) { return !!one(item, "input:checked"); }
    function nextOpen(from) {
      for (var i = 1; i <= items.length; i++) {
        var index = (from + i) % items.length;
        if (!answered(items[index])) return index;
      }
      return -1;
    }
    function progress() {
      var done = items.filter(answered).length;
      bar.value = done;
      count.textContent = done + " of " + items.length + " answered";
    }
    function show(index) {
      here = Math.max(0, Math.min(items.length - 1, index));
      box.classList.add("is-tapthrough");
      items.forEach(function (item, i) { item.classList.toggle("is-current", i === here); });
      back.disabled = here === 0;
      next.disabled = here === items.length - 1;
    }
    function showAll() {
      box.classList.remove("is-tapthrough");
      items.forEach(function (item) { item.classList.remove("is-current"); });
    }
    box.addEventListener("change", function (event) {
      var item = event.target.closest("[data-question]");
      if (!item) return;
      markStart(form);
      progress();
      if (!box.classList.contains("is-tapthrough")) return schedulePreview(form, 300);
      // A beat on the tapped answer, so the trainer sees what was chosen, then the next item.
      setTimeout(function () {
        var open = nextOpen(items.indexOf(item));
        if (open === -1) {
          showAll();
          schedulePreview(form);
        } else {
          show(open);
        }
      }, 250);
    });
    back.addEventListener("click", function () { show(here - 1); });
    next.addEventListener("click", function () { show(here + 1); });
    one(nav, "[data-question-all]").addEventListener("click", showAll);
    nav.hidden = false;
    progress();
    var first = nextOpen(items.length - 1);
    if (first === -1) showAll(); else show(first);
  }

  function wireForm(form) {
    if (form.dataset.wired) return;
    form.dataset.wired = "1";
    var key = form.elements.idempotency_key;
    if (!key.value) key.value = newKey();
    wireStopwatch(form);
    wireCountdowns(form);
    wireCounters(form);
    wireStages(form);
    wireGrip(form);
    wireWalk(form);
    wireQuestionnaire(form);
    form.addEventListener("change", function (event) {
      // A tapped choice (pain rating, course, unit, arms used) changes the result at once.
      if (event.target.matches("input[type=radio], input[type=checkbox]") && !event.target.closest("[data-questionnaire]")) {
        schedulePreview(form);
      }
    });
    form.addEventListener("input", function (event) {
      if (event.target.matches("input[data-low], [data-walk-lap], [data-walk-extra]")) schedulePreview(form, 700);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      save(form);
    });
    walkProblems(form, {});
  }

  function wire(root) {
    if (root.matches && root.matches("[data-measure-form]")) wireForm(root);
    if (root.querySelectorAll) all(root, "[data-measure-form]").forEach(wireForm);
  }

  document.addEventListener("htmx:load", function (event) { wire(event.target); });
  window.metpwa.ready(function () { wire(document); });  // loaded on demand: often after DOMContentLoaded
})();

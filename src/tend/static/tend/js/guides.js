// Breathing pacers and timers for the personal steps, and the message templates.
// Motion is only a help: every phase is also said in words (announced politely to
// screen readers), and with prefers-reduced-motion the circle does not move at all.
(function () {
  "use strict";

  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  function setupPacer(root) {
    var circle = root.querySelector(".pacer-circle");
    var phaseText = root.querySelector(".pacer-phase");
    var count = root.querySelector(".pacer-count");
    var ticker = null;
    var d = root.dataset;
    var phases = [
      { seconds: +d.inhale, label: d.labelIn, scale: 1 },
      { seconds: +d.hold, label: d.labelHold, scale: 1 },
      { seconds: +d.exhale, label: d.labelOut, scale: 0.55 },
      { seconds: +d.rest, label: d.labelRest, scale: 0.55 }
    ].filter(function (p) { return p.seconds > 0; });
    var cycles = +d.cycles;
    var timer = null;

    function stop(message) {
      window.clearTimeout(timer);
      window.clearInterval(ticker);
      timer = null;
      count.textContent = "";
      root.classList.remove("running");
      circle.style.transitionDuration = "0s";
      circle.style.transform = "scale(0.55)";
      if (message) { phaseText.textContent = message; }
    }

    function run(cycle, index) {
      if (cycle >= cycles) { stop(d.labelDone); return; }
      var phase = phases[index];
      var left = phase.seconds;
      // The phase is announced once; the seconds only count on screen.
      phaseText.textContent = phase.label;
      count.textContent = left;
      window.clearInterval(ticker);
      ticker = window.setInterval(function () {
        left -= 1;
        if (left > 0) { count.textContent = left; }
      }, 1000);
      if (!reducedMotion.matches) {
        circle.style.transitionDuration = phase.seconds + "s";
        circle.style.transform = "scale(" + phase.scale + ")";
      }
      timer = window.setTimeout(function () {
        var next = index + 1;
        if (next >= phases.length) { run(cycle + 1, 0); } else { run(cycle, next); }
      }, phase.seconds * 1000);
    }

    root.querySelector("[data-guide-start]").addEventListener("click", function () {
      stop();
      root.classList.add("running");
      run(0, 0);
    });
    root.querySelector("[data-guide-stop]").addEventListener("click", function () { stop(" "); });
    stop();
  }

  function format(seconds) {
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function setupTimer(root) {
    var clock = root.querySelector(".timer-clock");
    var status = root.querySelector(".timer-status");
    var choice = root.querySelector("[data-timer-duration]");
    var interval = null;
    var endsAt = 0;

    var start = root.querySelector("[data-guide-start]");
    // The start button says what pressing it does now: start, start over while it
    // runs (data-label-running), or go again once done (data-label-again).
    var labelStart = start.textContent;

    function total() { return choice ? +choice.value : +root.dataset.seconds; }
    function show(seconds) { clock.textContent = format(seconds); }
    function label(text) { start.textContent = text || labelStart; }
    function stop() { window.clearInterval(interval); interval = null; }

    start.addEventListener("click", function () {
      stop();
      endsAt = Date.now() + total() * 1000;
      status.textContent = "";
      show(total());
      label(root.dataset.labelRunning);
      interval = window.setInterval(function () {
        var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
        show(left);
        if (left === 0) {
          stop();
          status.textContent = root.dataset.labelDone;
          label(root.dataset.labelAgain);
        }
      }, 250);
    });
    root.querySelector("[data-guide-stop]").addEventListener("click", function () {
      stop();
      show(total());
      label();
    });
    if (choice) { choice.addEventListener("change", function () { stop(); show(total()); label(); }); }
    show(total());
  }

  function templateButtons() {
    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-fill]");
      if (!button) { return; }
      var field = document.querySelector(button.dataset.fill);
      field.value = button.dataset.text;
      var form = field.form;
      var template = form && form.querySelector("[name=template]");
      if (template) { template.value = button.dataset.fillTemplate || ""; }
      // Setting a value from script fires no event: say so, for the gentle check.
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.focus();
    });
  }

  // Each new piece of page (the first load, and every live update htmx swaps in) gets
  // its pacers and timers started once: the hug timer arrives live in step 5.
  function setupWithin(root) {
    [root].concat(Array.prototype.slice.call(root.querySelectorAll(".pacer, .timer"))).forEach(function (el) {
      if (!el.classList || el.dataset.guideReady) { return; }
      if (el.classList.contains("pacer")) { el.dataset.guideReady = "1"; setupPacer(el); }
      if (el.classList.contains("timer")) { el.dataset.guideReady = "1"; setupTimer(el); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    templateButtons();
    // htmx may have processed the page before this runs, so the page is set up here too
    // (setting up is once per element).
    setupWithin(document.body);
    if (window.htmx) { window.htmx.onLoad(setupWithin); }
  });
})();

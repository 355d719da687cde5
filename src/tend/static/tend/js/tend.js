// tend's own script: the live connection and small conveniences.
// Kept by hand (not htmx's SSE extension) so that a reconnect always resumes from
// the last event seen: the extension drops Last-Event-ID when it rebuilds a connection.
(function () {
  "use strict";

  function connectLive(body) {
    var url = body.dataset.liveUrl;
    var lastSeen = body.dataset.liveLast || "0";
    var source = null;
    var delay = 1000;
    var replaced = false;

    function open() {
      source = new EventSource(url + "?last_event_id=" + encodeURIComponent(lastSeen));
      source.onopen = function () { delay = 1000; };
      source.onmessage = function (message) {
        if (message.lastEventId) { lastSeen = message.lastEventId; }
        var data;
        try { data = JSON.parse(message.data); } catch (e) { return; }
        if (data.kind === "closed") {
          source.close();
          if (data.reason === "replaced") {
            // Too many pages of this person are open: newer ones took over. Reloading
            // would only replace another; this page comes back when looked at again.
            replaced = true;
            return;
          }
          // No longer a member, or signed out: the page itself will now say so.
          window.location.reload();
          return;
        }
        body.dispatchEvent(new CustomEvent("tend:" + data.kind, { detail: data }));
      };
      source.onerror = function () {
        // The browser retries by itself while it can; once it gives up, we retry
        // with a growing pause, resuming after the last event we applied.
        if (source.readyState === EventSource.CLOSED) {
          window.setTimeout(open, delay);
          delay = Math.min(delay * 2, 30000);
        }
      };
    }
    open();
    window.addEventListener("pagehide", function () { if (source) { source.close(); } });
    // Signing out from this page ends its session: the stream would answer "closed" and
    // reload the page under the sign-out's own way to the landing page.
    document.addEventListener("submit", function (event) {
      if (source && event.target.matches("form[data-vault-forget]")) { source.close(); }
    });
    document.addEventListener("visibilitychange", function () {
      if (replaced && document.visibilityState === "visible") {
        replaced = false;
        open();
      }
    });
  }

  function copyButtons() {
    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-copy]");
      if (!button) { return; }
      var input = document.querySelector(button.dataset.copy);
      var status = button.parentElement.querySelector(".copy-status");
      input.select();
      var done = function () { if (status) { status.textContent = button.dataset.copied || "Copied."; } };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  }

  // Live updates redraw the screen by morphing it (htmx's outerMorph), so nothing the
  // person is in the middle of is lost: a control they changed keeps its value, focus and
  // caret until their own form has gone through; a running pacer or timer keeps running.
  function keepWhatIsInUse() {
    if (!window.htmx) { return; }
    var FORM_STATE = { value: true, checked: true, selected: true };

    function inUse(el) {
      var control = el.tagName === "OPTION" ? el.closest("select") : el;
      return !!control && (control === document.activeElement || control.hasAttribute("data-in-use"));
    }
    function mark(event) {
      var el = event.target;
      if (!el.matches || !el.matches("input, textarea, select") || el.type === "hidden") { return; }
      var group = el.type === "radio" && el.form
        ? el.form.querySelectorAll('input[type="radio"][name="' + CSS.escape(el.name) + '"]')
        : [el];
      Array.prototype.forEach.call(group, function (control) { control.setAttribute("data-in-use", ""); });
    }
    // The person's own form went through and came back redrawn: from then on its
    // controls show what was saved (htmx's morph sets attributes, not what a control
    // shows), except the one they are still typing in.
    var released = new WeakMap();
    function release(event) {
      var ctx = event.detail.ctx;
      var form = ctx.sourceElement && ctx.sourceElement.closest && ctx.sourceElement.closest("form");
      if (!form || !ctx.response || ctx.response.status >= 400 || ctx.swap === "none") { return; }
      if (!ctx.target || !ctx.target.contains(form)) { return; }
      var controls = Array.prototype.slice.call(form.querySelectorAll("[data-in-use]"));
      controls.forEach(function (el) { el.removeAttribute("data-in-use"); });
      released.set(ctx, controls);
    }
    function showSaved(event) {
      (released.get(event.detail.ctx) || []).forEach(function (el) {
        if (el === document.activeElement) { return; }
        if (el.type === "checkbox" || el.type === "radio") { el.checked = el.defaultChecked; }
        else if (el.tagName === "SELECT") {
          Array.prototype.forEach.call(el.options, function (option) { option.selected = option.defaultSelected; });
        } else { el.value = el.defaultValue; }
      });
    }

    window.htmx.registerExtension("tend-keep", {
      htmx_before_morph_attr: function (el, detail) {
        if (detail.attrName === "data-in-use" || detail.attrName === "data-guide-ready") { return false; }
        if (FORM_STATE[detail.attrName] && inUse(el)) { return false; }
      },
      // A running pacer or timer is left as it is; so is a text box in use, whose text
      // the morph would otherwise set from the page it fetched.
      htmx_before_morph_node: function (el) {
        if (el.nodeType !== 1) { return; }
        if (el.hasAttribute("data-guide-ready")) { return false; }
        if (el.tagName === "TEXTAREA" && inUse(el)) { return false; }
      }
    });
    document.addEventListener("input", mark);
    document.addEventListener("change", mark);
    document.body.addEventListener("htmx:before:swap", release);
    document.body.addEventListener("htmx:after:swap", showSaved);
  }

  document.addEventListener("DOMContentLoaded", function () {
    keepWhatIsInUse();
    if (document.body.dataset.liveUrl) { connectLive(document.body); }
    copyButtons();
    // Signed out, or a locked own phone (no person's id on <body>), a page without the
    // key's scripts still leaves no private-data key on this device (vault-keys.js does
    // the same where it is loaded).
    if (!window.tendVault && !document.body.dataset.vaultUser && window.indexedDB) {
      window.indexedDB.deleteDatabase("tend-vault");
    }
  });
})();

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

  document.addEventListener("DOMContentLoaded", function () {
    if (document.body.dataset.liveUrl) { connectLive(document.body); }
    copyButtons();
  });
})();

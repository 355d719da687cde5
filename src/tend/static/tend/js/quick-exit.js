// Quick exit: the "Quick exit" button, or Esc pressed three times within 1.5 seconds,
// replaces this page with a neutral site. location.replace swaps the current history
// entry, so Back does not return to this page; the page is blanked first so nothing
// flashes while the other site loads. It cannot clear earlier history: the help page
// says so. Without JavaScript the button is a plain link to the same site.
// The private-data key on this device is forgotten first (the next page there would
// forget it too, but a quick exit may never come back), and so it is before a sign-out
// form goes: here, since most signed-in pages do not load the key's scripts.
(function () {
  "use strict";

  var PRESSES = 3;
  var WITHIN_MS = 1500;
  var presses = [];
  var leaving = false;

  function exitUrl() {
    var link = document.querySelector("[data-quick-exit]");
    return link ? (link.getAttribute("data-quick-exit") || link.href) : "";
  }

  function leave(url) {
    if (leaving || !url) { return; }
    leaving = true;
    try {
      document.title = "";
      var main = document.getElementById("main");
      if (main) { main.replaceChildren(); }
      document.body.hidden = true;
    } catch (e) { /* leave anyway */ }
    // Leaving never waits long for the key to go: a quarter of a second at most, with
    // the page already blank.
    var gone = false;
    var once = function () { if (!gone) { gone = true; window.location.replace(url); } };
    window.setTimeout(once, 250);
    forget().then(once, once);
  }

  // By vault.js where the page loaded it, else by deleting the key's whole database.
  function forget() {
    var vault = window.tendVault;
    if (vault && vault.forget) { return vault.forget(); }
    return new Promise(function (done) {
      try {
        var request = window.indexedDB.deleteDatabase("tend-vault");
        request.onsuccess = request.onerror = request.onblocked = done;
      } catch (e) { done(); }
    });
  }

  // Signing out: the key goes before the form does (and the form goes all the same).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-vault-forget]") || form.dataset.vaultSending) { return; }
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    forget().catch(function () {}).then(function () {
      if (button) { button.disabled = false; }
      form.dataset.vaultSending = "1";
      HTMLFormElement.prototype.submit.call(form);
    });
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-quick-exit]");
    if (!link) { return; }
    // Every kind of click leaves: a middle- or Ctrl-click would open the other site in
    // a new tab and leave tend on screen.
    event.preventDefault();
    leave(link.getAttribute("data-quick-exit") || link.href);
  });
  document.addEventListener("auxclick", function (event) {
    var link = event.target.closest && event.target.closest("[data-quick-exit]");
    if (link) { event.preventDefault(); leave(link.getAttribute("data-quick-exit") || link.href); }
  });

  // Captured on the window, so a widget that stops Escape from bubbling cannot block it.
  window.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") { return; }
    if (event.repeat) { return; }  // a key held down is one press
    var now = Date.now();
    presses = presses.filter(function (at) { return now - at < WITHIN_MS; });
    presses.push(now);
    if (presses.length >= PRESSES) {
      event.preventDefault();
      leave(exitUrl());
    }
  }, true);
})();

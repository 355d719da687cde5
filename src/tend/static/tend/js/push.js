// Turning Web Push on and off for this browser, from the notification settings page.
(function () {
  "use strict";

  function urlBase64ToUint8Array(text) {
    var padding = "=".repeat((4 - (text.length % 4)) % 4);
    var raw = window.atob((text + padding).replace(/-/g, "+").replace(/_/g, "/"));
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers:inherited"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.getElementById("push-panel");
    if (!panel) { return; }
    var on = document.getElementById("push-on");
    var off = document.getElementById("push-off");
    var status = document.getElementById("push-status");
    var say = function (text) { status.textContent = text; };

    if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
      say("This browser cannot receive push notifications from tend.");
      return;
    }

    function show(subscribed) {
      on.hidden = subscribed;
      off.hidden = !subscribed;
    }

    var ready = navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    });

    ready.then(function (registration) {
      return registration.pushManager.getSubscription();
    }).then(function (subscription) {
      show(Boolean(subscription));
      if (subscription) {
        say("Push is on in this browser.");
        // Tell the server again, in case it forgot this one.
        post(panel.dataset.subscribeUrl, subscription.toJSON()).catch(function () {});
      }
    }).catch(function () {
      say("Push could not be set up in this browser.");
    });

    on.addEventListener("click", function () {
      say("Asking your browser…");
      Notification.requestPermission().then(function (permission) {
        if (permission !== "granted") {
          throw new Error("denied");
        }
        return ready;
      }).then(function (registration) {
        return registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: urlBase64ToUint8Array(panel.dataset.vapidKey)
        });
      }).then(function (subscription) {
        return post(panel.dataset.subscribeUrl, subscription.toJSON());
      }).then(function () {
        show(true);
        say("Push is on in this browser.");
      }).catch(function (error) {
        say(error && error.message === "denied"
          ? "Your browser did not allow notifications. You can change that in its site settings."
          : "Push could not be turned on. Please try again.");
      });
    });

    off.addEventListener("click", function () {
      ready.then(function (registration) {
        return registration.pushManager.getSubscription();
      }).then(function (subscription) {
        if (!subscription) { return null; }
        var endpoint = subscription.endpoint;
        return subscription.unsubscribe().then(function () {
          return post(panel.dataset.unsubscribeUrl, { endpoint: endpoint });
        });
      }).then(function () {
        show(false);
        say("Push is off in this browser.");
      }).catch(function () {
        say("Push could not be turned off. Please try again.");
      });
    });
  });
})();

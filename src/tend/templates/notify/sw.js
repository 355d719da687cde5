// tend's service worker: shows Web Push notifications and opens tend when one is tapped.
// It caches nothing: a shared phone must not keep tend's pages offline.
"use strict";

self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  var title = data.title || "tend";
  event.waitUntil(self.registration.showNotification(title, {
    body: data.body || "",
    tag: data.tag || "tend",
    data: { url: data.url || "/notifications/" },
    icon: "/static/tend/icons/tend-192.png"
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  if (target.origin !== self.location.origin) { target = new URL("/", self.location.origin); }
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
    for (var i = 0; i < windows.length; i++) {
      if ("focus" in windows[i] && "navigate" in windows[i]) {
        return windows[i].navigate(target.href).then(function (w) { return w && w.focus(); });
      }
    }
    return self.clients.openWindow(target.href);
  }));
});

// Passkeys: adding one on the account page, signing in and unlocking with one.
// The server gives the options and checks the answer (tend.accounts.passkey_views);
// this script only carries them between it and the phone's own passkey prompt.
(function () {
  "use strict";

  function toBytes(text) {
    var padding = "=".repeat((4 - (text.length % 4)) % 4);
    var raw = window.atob((text + padding).replace(/-/g, "+").replace(/_/g, "/"));
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i++) { raw += String.fromCharCode(bytes[i]); }
    return window.btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body || {})
    });
  }

  function creationOptions(options) {
    options.challenge = toBytes(options.challenge);
    options.user.id = toBytes(options.user.id);
    (options.excludeCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
    return options;
  }

  function requestOptions(options) {
    options.challenge = toBytes(options.challenge);
    (options.allowCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
    return options;
  }

  function created(credential) {
    var response = credential.response;
    return {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      response: {
        clientDataJSON: toText(response.clientDataJSON),
        attestationObject: toText(response.attestationObject),
        transports: response.getTransports ? response.getTransports() : []
      }
    };
  }

  function asserted(credential) {
    var response = credential.response;
    return {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      response: {
        clientDataJSON: toText(response.clientDataJSON),
        authenticatorData: toText(response.authenticatorData),
        signature: toText(response.signature),
        userHandle: response.userHandle ? toText(response.userHandle) : undefined
      }
    };
  }

  // Each step's answer, or the server's plain message as an error.
  function answer(response) {
    return response.json().catch(function () { return {}; }).then(function (data) {
      if (!response.ok) {
        throw new Error(data.error || (response.status === 429 ? "wait" : "refused"));
      }
      return data;
    });
  }

  function run(button, ceremony) {
    var status = document.getElementById(button.getAttribute("aria-describedby"));
    var say = function (text) { if (status) { status.textContent = text; } };
    button.addEventListener("click", function () {
      button.disabled = true;
      say(button.getAttribute("data-working"));
      post(button.getAttribute("data-options"))
        .then(answer)
        .then(ceremony)
        .then(function (credential) {
          var body = { credential: credential };
          var name = document.getElementById("passkey-name");
          if (name) { body.name = name.value; }
          return post(button.getAttribute("data-verify"), body);
        })
        .then(answer)
        .then(function (data) { window.location.assign(data.next); })
        .catch(function (error) {
          button.disabled = false;
          var known = error && error.message && ["refused", "wait"].indexOf(error.message) < 0 && error.name === "Error";
          say(known ? error.message : button.getAttribute("data-failed"));
        });
    });
    button.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.PublicKeyCredential) {
      document.querySelectorAll("[data-passkey-missing]").forEach(function (note) { note.hidden = false; });
      return;
    }
    document.querySelectorAll("[data-passkey-add]").forEach(function (button) {
      run(button, function (options) {
        return navigator.credentials.create({ publicKey: creationOptions(options) }).then(created);
      });
    });
    document.querySelectorAll("[data-passkey-sign-in]").forEach(function (button) {
      run(button, function (options) {
        return navigator.credentials.get({ publicKey: requestOptions(options) }).then(asserted);
      });
    });
  });
})();

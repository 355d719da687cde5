// Passkeys: signing in and unlocking with one (adding one: passkey-add.js).
// The server gives the options and checks the answer (tend.accounts.passkey_views);
// this script only carries them between it and the phone's own passkey prompt.
//
// Where the phone has the PRF extension, a passkey also opens the private entries
// (docs/keys.md): every ceremony asks it to evaluate the app's PRF salt. Signing in or
// unlocking with one that wraps the key, the server answers with that wrapped key,
// unwrapped here and kept (non-extractable) before the next page. The PRF output and
// the key never leave this device; without them, the next page asks for the password.
(function () {
  "use strict";

  var K = window.tendVault ? window.tendVault.keys : null;

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
    try { return JSON.parse(document.body.getAttribute("hx-headers:inherited"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body || {})
    });
  }

  function requestOptions(options) {
    options.challenge = toBytes(options.challenge);
    (options.allowCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
    return options;
  }

  // A credential as the server reads it: its ids and type, and `fields` of its response.
  function described(credential, fields) {
    return {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      response: fields
    };
  }

  function asserted(credential) {
    var response = credential.response;
    return described(credential, {
      clientDataJSON: toText(response.clientDataJSON),
      authenticatorData: toText(response.authenticatorData),
      signature: toText(response.signature),
      userHandle: response.userHandle ? toText(response.userHandle) : undefined
    });
  }

  // -- the PRF extension: the private-data key opened by a passkey ----------------------

  function askPrf(publicKey) {
    return K ? K.withPrf(publicKey) : Promise.resolve(publicKey);
  }

  function prfOutput(credential) {
    return K ? K.prfOutput(credential) : null;
  }

  // The key this passkey wraps, unwrapped with its PRF output and kept for this person
  // before the next page; when that fails, the next page asks for the password.
  function openWith(output, data) {
    var vault = data.vault;
    if (!K || !output || !vault || !vault.wrapped) { return Promise.resolve(data); }
    return K.prfKey(output).then(function (kek) {
      return K.unwrap(vault.wrapped, kek, false);
    }).then(function (dataKey) {
      return K.keepFor(vault.user, dataKey);
    }).catch(function () { /* as without PRF: the unlock prompt asks */ }).then(function () {
      return data;
    });
  }

  function signIn(options) {
    return askPrf(requestOptions(options)).then(function (request) {
      return navigator.credentials.get({ publicKey: request });
    }).then(function (credential) {
      var output = prfOutput(credential);
      return {
        credential: asserted(credential),
        fields: {},
        after: function (data) { return openWith(output, data); }
      };
    });
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
        .then(function (done) {
          var body = Object.assign({ credential: done.credential }, done.fields);
          var name = document.getElementById("passkey-name");
          if (name) { body.name = name.value; }
          return post(button.getAttribute("data-verify"), body).then(answer).then(function (data) {
            return done.after ? done.after(data) : data;
          });
        })
        .then(function (data) { window.location.assign(data.next); })
        .catch(function (error) {
          button.disabled = false;
          var known = error && error.message && ["refused", "wait"].indexOf(error.message) < 0 && error.name === "Error";
          say(known ? error.message : button.getAttribute("data-failed"));
        });
    });
    button.hidden = false;
  }

  // For passkey-add.js, which adds one on the account page (only there: a lighter sign-in page).
  window.tendPasskeys = {
    K: K, toBytes: toBytes, toText: toText, described: described, askPrf: askPrf, prfOutput: prfOutput, run: run
  };

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.PublicKeyCredential) {
      document.querySelectorAll("[data-passkey-missing]").forEach(function (note) { note.hidden = false; });
      return;
    }
    document.querySelectorAll("[data-passkey-sign-in]").forEach(function (button) {
      run(button, signIn);
    });
  });
})();

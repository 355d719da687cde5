// The forms that carry a password or a recovery code (docs/keys.md), around vault.js:
// each derives its wrapping key on this device before it goes. Sign-in, sign-up and a
// locked own phone's unlock leave the key for the page that follows (vault-panel.js
// takes it over there); a password or email change and a reset with the recovery code
// send the person's key wrapped anew. On a signed-out page (or a locked own phone) it
// also forgets every key on this device, and any stale sign-in key with them.
//
// The password never leaves for this: on the sign-in form its wrapping key is derived
// before the form goes (PBKDF2, ~1 s) and kept, non-extractable, as "pending" in
// IndexedDB; the signed-in page that follows carries the wrapped key on <body> and
// unwraps it with the pending key, which is then deleted.
(function () {
  "use strict";

  var V = window.tendVault;
  if (!V) { return; }
  var K = V.keys;

  function data() { return document.body ? document.body.dataset : {}; }

  function bytes(b64) { return V._test.fromB64url(b64 || ""); }

  function field(form, name) {
    var input = form.elements.namedItem(name);
    return input && "value" in input ? input.value : "";
  }

  function hidden(form, name, value) {
    var input = form.querySelector('input[type="hidden"][name="' + name + '"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.appendChild(input);
    }
    input.value = value;
  }

  function busy(form, on) {
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = on; }
  }

  // -- forms that carry the password: derive before they go ---------------------------

  // Runs `work` (a Promise of the fields to add) before the form is sent; a form whose
  // work fails is still sent as it is when `sendAnyway`, so signing in never depends on it.
  function before(form, work, sendAnyway, onFail) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.vaultSending) { return; }
      event.preventDefault();
      busy(form, true);
      Promise.resolve().then(work).then(function (fields) {
        Object.keys(fields || {}).forEach(function (name) { hidden(form, name, fields[name]); });
        return true;
      }, function (error) {
        if (onFail) { onFail(error); }
        return sendAnyway;
      }).then(function (send) {
        busy(form, false);
        if (send) {
          form.dataset.vaultSending = "1";
          HTMLFormElement.prototype.submit.call(form);
        }
      });
    });
  }

  function pendingFrom(kekPromise) {
    return kekPromise.then(function (kek) {
      return K.setPending({ key: kek, at: Date.now() });
    }).then(function () { return {}; });
  }

  var FORMS = {
    // Sign-in and sign-up: the wrapping key for the page that follows.
    login: function (form) {
      before(form, function () {
        return pendingFrom(K.passwordKeyForEmail(field(form, "password"), field(form, "username")));
      }, true);
    },
    signup: function (form) {
      before(form, function () {
        return pendingFrom(K.passwordKeyForEmail(field(form, "password"), field(form, "email")));
      }, true);
    },
    // A locked own phone: the page carries only the salt.
    "unlock-phone": function (form) {
      before(form, function () {
        return pendingFrom(K.passwordKey(field(form, "password"), bytes(data().vaultLockSalt), K.ITERATIONS));
      }, true);
    },
    // Password change: the same key, wrapped by the new password, sent with it.
    "password-change": function (form) {
      if (!data().vaultWrapped) { return; }
      before(form, function () {
        return K.dataKeyWith(field(form, "old_password")).then(function (dataKey) {
          return K.passwordKey(field(form, "new_password1"), bytes(data().vaultSalt), K.ITERATIONS)
            .then(function (kek) { return K.wrap(dataKey, kek); });
        }).then(function (wrapped) { return { vault_wrapped: wrapped }; });
      }, true);  // a wrong old password: the server says so
    },
    // Email change: the salt follows the email, so the key is wrapped anew.
    "email-change": function (form) {
      if (!data().vaultWrapped) { return; }
      before(form, function () {
        return K.dataKeyWith(field(form, "password")).then(function (dataKey) {
          return K.passwordKeyForEmail(field(form, "password"), field(form, "email"))
            .then(function (kek) { return K.wrap(dataKey, kek); });
        }).then(function (wrapped) { return { vault_wrapped: wrapped }; });
      }, true);
    },
    // Reset: with the recovery code, the key is unwrapped by it here and wrapped by the
    // new password; without it, the form goes as it is (the server drops the key).
    reset: function (form) {
      var status = form.querySelector("[data-vault-reset-status]");
      before(form, function () {
        var code = form.querySelector("[data-vault-reset-code]");
        if (!code || !code.value.trim()) { return {}; }
        return K.recoveryKey(code.value).then(function (rkek) {
          return K.unwrap(form.dataset.vaultRecovery, rkek, true);
        }).then(function (dataKey) {
          return K.passwordKey(field(form, "new_password1"), bytes(form.dataset.vaultSalt), K.ITERATIONS)
            .then(function (kek) { return K.wrap(dataKey, kek); });
        }).then(function (wrapped) { return { vault_wrapped: wrapped }; });
      }, false, function () {
        if (status) { status.textContent = status.dataset.wrong; }
      });
    }
  };

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-vault]").forEach(function (form) {
      var setup = FORMS[form.getAttribute("data-vault")];
      if (setup) { setup(form); }
    });
    if (!K.userId()) {
      // Signed out, or a locked own phone: no key stays on this device, and no stale
      // sign-in key either (a failed sign-in comes back here).
      V.forget();
    }
  });
})();

// The life of this person's private-data key on this device (docs/keys.md), around
// vault.js: made at sign-up or the first sign-in, unwrapped at sign-in, forgotten on
// sign-out, on a signed-out page, on a locked own phone and for anyone else's id;
// re-wrapped on a password or email change and on a reset with the recovery code.
//
// The password never leaves for this: on the sign-in form its wrapping key is derived
// before the form goes (PBKDF2, ~1 s) and kept, non-extractable, as "pending" in
// IndexedDB; the signed-in page that follows carries the wrapped key on <body> and
// unwraps it with the pending key, which is then deleted. A password typed into the
// vault's own prompts (unlock here) has no name: it is never sent.
(function () {
  "use strict";

  var V = window.tendVault;
  if (!V) { return; }
  var K = V.keys;
  var PENDING_FOR_MS = 10 * 60 * 1000;  // a sign-in's wrapping key, unused, goes after this

  function data() { return document.body ? document.body.dataset : {}; }

  function bytes(b64) { return V._test.fromB64url(b64 || ""); }

  function iterations() {
    var n = parseInt(data().vaultIterations, 10);
    return n > 0 ? n : K.ITERATIONS;
  }

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function post(url, fields) {
    var body = new URLSearchParams();
    Object.keys(fields).forEach(function (name) { body.append(name, fields[name]); });
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      body: body
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        return { status: response.status, ok: response.ok, json: json };
      });
    });
  }

  function announceReady() {
    document.dispatchEvent(new CustomEvent("tend:vault-ready", { detail: { user: K.userId() } }));
  }

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

  // -- the panel: unlock here, make the key, show the recovery code ---------------------

  function panel() { return document.getElementById("vault-panel"); }

  // The panel is fetched the first time a page needs it (most pages never do).
  var loading = null;
  function ensurePanel() {
    if (panel()) { return Promise.resolve(panel()); }
    if (!loading) {
      loading = fetch(data().vaultPanel, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) { throw new Error("no panel"); }
        return response.text();
      }).then(function (html) {
        var main = document.getElementById("main") || document.body;
        main.insertAdjacentHTML("afterbegin", html);
        panelForms();
        return panel();
      });
    }
    return loading;
  }

  function say(text) {
    var status = panel() && panel().querySelector("[data-vault-status]");
    if (status) { status.textContent = text || ""; }
  }

  function show(part) {
    if (!part && !panel()) { return Promise.resolve(); }
    return ensurePanel().then(function (p) { showIn(p, part); });
  }

  function showIn(p, part) {
    p.querySelectorAll("[data-vault-part]").forEach(function (el) {
      el.hidden = el.getAttribute("data-vault-part") !== part;
    });
    var heading = p.querySelector("#vault-heading");
    var title = { unlock: p.dataset.titleUnlock, setup: p.dataset.titleSetup, code: p.dataset.titleCode }[part];
    heading.textContent = title || "";
    p.hidden = !part;
    say("");
    if (part) { heading.focus(); }
  }

  function showCode(code) {
    return ensurePanel().then(function (p) {
      p.querySelector("[data-vault-code]").textContent = code;
      showIn(p, "code");
    });
  }

  function kept(wrapped, kek) {
    return K.unwrap(wrapped, kek, false).then(K.keep).then(K.clearPending).then(function () {
      announceReady();
    });
  }

  // A new key for someone who has none: wrapped by the password's key and by a new
  // recovery code, sent wrapped, kept here non-extractable, and the code shown once.
  function create(kek, password) {
    var dataKey, wrapped, code;
    return K.newDataKey().then(function (made) {
      dataKey = made;
      return K.wrap(dataKey, kek);
    }).then(function (w) {
      wrapped = w;
      code = K.newRecoveryCode();
      return K.recoveryKey(code);
    }).then(function (rkek) {
      return K.wrap(dataKey, rkek);
    }).then(function (recoveryWrapped) {
      dataKey = null;
      var fields = { wrapped: wrapped, recovery_wrapped: recoveryWrapped };
      if (password) { fields.password = password; }
      return post(data().vaultCreate, fields);
    }).then(function (answer) {
      if (answer.status === 409 && answer.json.wrapped) {
        // Made meanwhile on another device or tab: unwrap that one instead.
        return kept(answer.json.wrapped, kek).then(function () { return show(""); });
      }
      if (!answer.ok) {
        var error = new Error(answer.json.error || "refused");
        error.shown = !!answer.json.error;
        throw error;
      }
      return kept(wrapped, kek).then(function () { return showCode(code); });
    });
  }

  function signedIn(userId) {
    return K.forgetOthers(userId).then(K.currentKey).then(function (key) {
      if (key) {
        return K.clearPending().then(announceReady);
      }
      return K.getPending().then(function (pending) {
        var fresh = pending && pending.key && Date.now() - (pending.at || 0) < PENDING_FOR_MS;
        var wrapped = data().vaultWrapped;
        if (wrapped) {
          if (!fresh) { return K.clearPending().then(function () { return show("unlock"); }); }
          return kept(wrapped, pending.key).catch(function () {
            return K.clearPending().then(function () { return show("unlock"); });
          });
        }
        if (fresh) {
          return create(pending.key).catch(function () {
            return K.clearPending().then(function () { return show("setup"); });
          });
        }
        return show("setup");
      });
    });
  }

  function busy(form, on) {
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = on; }
  }

  function panelForms() {
    var p = panel();
    if (!p) { return; }
    // Unlocking here, by the password or the recovery code: derived and unwrapped on this
    // device; the field has no name, so what was typed is never sent.
    function unlockBy(name, wrappingKey, wrapped) {
      p.querySelector("[data-vault-form=" + name + "]").addEventListener("submit", function (event) {
        event.preventDefault();
        var form = event.target;
        busy(form, true);
        say(p.dataset.working);
        wrappingKey(form.querySelector("input").value).then(function (kek) {
          return kept(wrapped(), kek);
        }).then(function () {
          form.reset();
          show("");
        }).catch(function () {
          say(p.dataset.wrong);
        }).then(function () { busy(form, false); });
      });
    }
    unlockBy("password", function (password) {
      return K.passwordKey(password, bytes(data().vaultSalt), iterations());
    }, function () { return data().vaultWrapped; });
    unlockBy("recovery", K.recoveryKey, function () { return data().vaultRecovery; });
    passkeyUnlock(p);
    p.querySelector("[data-vault-form=setup]").addEventListener("submit", function (event) {
      event.preventDefault();
      var form = event.target;
      var password = form.querySelector("input").value;
      busy(form, true);
      say(p.dataset.working);
      K.passwordKey(password, bytes(data().vaultSalt), K.ITERATIONS).then(function (kek) {
        return create(kek, password);
      }).catch(function (error) {
        say(error && error.shown ? error.message : p.dataset.wrong);
      }).then(function () { busy(form, false); });
    });
    p.querySelector("[data-vault-done]").addEventListener("click", function () {
      p.querySelector("[data-vault-code]").textContent = "";
      show("");
    });
  }

  // Unlocking here with a passkey that opens the key: the panel carries the key as each
  // such passkey wraps it; the passkey gives its PRF output (to a challenge of our own,
  // since nothing goes to the server), which unwraps it on this device.
  function passkeyUnlock(p) {
    var button = p.querySelector("[data-vault-passkey]");
    if (!button || !window.PublicKeyCredential) { return; }
    var wrapped = JSON.parse(button.getAttribute("data-vault-passkey"));
    button.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      say(p.dataset.working);
      K.withPrf({
        challenge: window.crypto.getRandomValues(new Uint8Array(32)),
        allowCredentials: Object.keys(wrapped).map(function (id) {
          return { type: "public-key", id: bytes(id) };
        }),
        userVerification: "required"
      }).then(function (request) {
        return navigator.credentials.get({ publicKey: request });
      }).then(function (credential) {
        var output = K.prfOutput(credential);
        if (!output || !wrapped[credential.id]) { throw new Error("no PRF output"); }
        return K.prfKey(output).then(function (kek) { return kept(wrapped[credential.id], kek); });
      }).then(function () {
        show("");
      }, function () {
        say(p.dataset.failed);
      }).then(function () { button.disabled = false; });
    });
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
    },
    // A new recovery code: made here, its wrapped key sent with the password (checked
    // by the server), and shown once the server has it.
    recovery: function (form) {
      var status = form.querySelector("[data-vault-recovery-status]");
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var password = field(form, "password");
        var code = K.newRecoveryCode();
        busy(form, true);
        if (status) { status.textContent = status.dataset.working; }
        K.dataKeyWith(password).then(function (dataKey) {
          return K.recoveryKey(code).then(function (rkek) { return K.wrap(dataKey, rkek); });
        }, function () {
          return "";  // wrong password: the server says so in its words
        }).then(function (recoveryWrapped) {
          return post(form.action, { password: password, recovery_wrapped: recoveryWrapped });
        }).then(function (answer) {
          if (!answer.ok) { throw new Error(answer.json.error || status.dataset.failed); }
          form.reset();
          document.body.dataset.vaultRecovery = answer.json.recovery || "";
          if (status) { status.textContent = ""; }
          showCode(code);
        }).catch(function (error) {
          if (status) { status.textContent = error.message; }
        }).then(function () { busy(form, false); });
      });
    }
  };

  // Signing out (and deleting the account): forget the key before the form goes.
  function forgetBefore(form) {
    before(form, function () { return V.forget().then(function () { return {}; }); }, true);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var userId = K.userId();
    document.querySelectorAll("form[data-vault]").forEach(function (form) {
      var setup = FORMS[form.getAttribute("data-vault")];
      if (setup) { setup(form); }
    });
    document.querySelectorAll("form[data-vault-forget]").forEach(forgetBefore);
    if (!userId) {
      // Signed out, or a locked own phone: no key stays on this device, and no stale
      // sign-in key either (a failed sign-in comes back here).
      V.forget();
      return;
    }
    signedIn(userId).catch(function () { /* the page works on; the key stays locked */ });
  });
})();

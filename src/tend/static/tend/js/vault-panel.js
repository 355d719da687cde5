// This person's private-data key on a signed-in page (docs/keys.md), around vault.js:
// taken over on the first page after a sign-in (unwrapped with the wrapping key the
// sign-in form left, vault-keys.js), made at the first sign-in, unlocked here by the
// password, the recovery code or a passkey when this device has none, a new recovery
// code made and shown; and anyone else's key on this device forgotten. Loaded where
// keys or private entries are used, and on the first page after a sign-in or an unlock
// (base.html): other signed-in pages never need the key.
//
// A password typed into the vault's own prompts (unlock here) has no name: it is never
// sent.
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
    try { return JSON.parse(document.body.getAttribute("hx-headers:inherited"))["X-CSRFToken"]; } catch (e) { return ""; }
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

  // A new recovery code: made here, its wrapped key sent with the password (checked
  // by the server), and shown once the server has it.
  function recoveryForm(form) {
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

  document.addEventListener("DOMContentLoaded", function () {
    var userId = K.userId();
    document.querySelectorAll("form[data-vault=recovery]").forEach(recoveryForm);
    if (userId) {
      signedIn(userId).catch(function () { /* the page works on; the key stays locked */ });
    }
  });
})();

// Adding a passkey on the account page, with passkeys.js (its helpers: tendPasskeys).
// With the password typed (never sent) and a phone with the PRF extension, the
// private-data key is unwrapped here, extractable for that moment, and sent only
// wrapped by a key derived from the passkey's PRF output (docs/keys.md).
(function () {
  "use strict";

  var P = window.tendPasskeys;
  if (!P) { return; }
  var K = P.K, toBytes = P.toBytes, toText = P.toText, askPrf = P.askPrf, prfOutput = P.prfOutput;

  function creationOptions(options) {
    options.challenge = toBytes(options.challenge);
    options.user.id = toBytes(options.user.id);
    (options.excludeCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
    return options;
  }

  function created(credential) {
    var response = credential.response;
    return P.described(credential, {
      clientDataJSON: toText(response.clientDataJSON),
      attestationObject: toText(response.attestationObject),
      transports: response.getTransports ? response.getTransports() : []
    });
  }

  // Many phones evaluate the PRF only when a passkey is used, not when it is made: then
  // it is used once more, here only (its answer is not sent; the challenge is ours).
  function prfAfterCreate(credential, publicKey) {
    var output = prfOutput(credential);
    if (output || !K.prfResults(credential).enabled) { return Promise.resolve(output); }
    return askPrf({
      challenge: window.crypto.getRandomValues(new Uint8Array(32)),
      rpId: publicKey.rp.id,
      allowCredentials: [{ type: "public-key", id: credential.rawId }],
      userVerification: "required",  // the PRF has another secret without it
      timeout: publicKey.timeout
    }).then(function (request) {
      return navigator.credentials.get({ publicKey: request });
    }).then(prfOutput, function () { return null; });
  }

  // The data key, extractable for this moment, when the password to open it was typed.
  function dataKeyToWrap(button) {
    var input = document.getElementById("passkey-password");
    if (!K || !input || !input.value) { return Promise.resolve(null); }
    return K.dataKeyWith(input.value).catch(function () {
      throw new Error(button.getAttribute("data-wrong-password"));
    });
  }

  function wrappedFor(dataKey, output) {
    if (!dataKey || !output) { return Promise.resolve({}); }
    return K.prfKey(output).then(function (kek) { return K.wrap(dataKey, kek); })
      .then(function (wrapped) { return { vault_wrapped: wrapped }; });
  }

  function add(button) {
    return function (options) {
      var publicKey = creationOptions(options);
      var dataKey;
      return dataKeyToWrap(button).then(function (found) {
        dataKey = found;
        // Asked even without the key: some phones give a passkey its PRF only when made.
        return askPrf(publicKey);
      }).then(function (request) {
        return navigator.credentials.create({ publicKey: request });
      }).then(function (credential) {
        var output = dataKey ? prfAfterCreate(credential, publicKey) : null;
        return Promise.resolve(output).then(function (prf) {
          return wrappedFor(dataKey, prf);
        }).then(function (fields) {
          return { credential: created(credential), fields: fields };
        });
      });
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.PublicKeyCredential) { return; } // passkeys.js says so on the page
    document.querySelectorAll("[data-passkey-add]").forEach(function (button) {
      P.run(button, add(button));
    });
  });
})();

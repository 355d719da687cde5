// The vault: this person's private-data key on this device, and the only code that uses it.
// Web Crypto only, no library. The key (AES-GCM 256, the "DEK") is made in the browser and
// held as a NON-extractable CryptoKey in IndexedDB ("tend-vault", store "keys", under the
// signed-in person's id); the server only ever holds it wrapped (docs/keys.md):
//   - by a key derived from the password: PBKDF2-HMAC-SHA256, 600,000 iterations (OWASP's
//     2023+ figure), salt = SHA-256 of a fixed label and the normalized email, so the salt
//     is known before sign-in without any lookup that would tell who has an account;
//   - by a key derived from the recovery code (160 random bits): HKDF-SHA256, because the
//     code is already uniformly random, so a slow KDF would add nothing but waiting;
//   - by a key derived from a passkey's PRF output (32 random bytes): HKDF-SHA256 too; the
//     PRF is evaluated on one fixed salt for the app, SHA-256("tend-vault passkey prf v1").
// Wrapping is AES-KW (RFC 3394); a wrapped key is "kw1." + base64url of its 40 bytes.
// Data envelopes are "e2e1." + base64url(12-byte IV) + "." + base64url(ciphertext + tag).
(function () {
  "use strict";

  var DB_NAME = "tend-vault";
  var STORE = "keys";
  var PENDING = "pending";
  var ITERATIONS = 600000;
  var SALT_LABEL = "tend-vault salt v1\u0000";
  var RECOVERY_INFO = "tend-vault recovery wrap v1";
  var PRF_INFO = "tend-vault passkey wrap v1";
  var PRF_SALT_LABEL = "tend-vault passkey prf v1";
  var WRAPPED_PREFIX = "kw1.";
  var ENVELOPE_PREFIX = "e2e1.";
  var BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  var subtle = window.crypto && window.crypto.subtle;
  var encoder = new TextEncoder();
  var decoder = new TextDecoder("utf-8", { fatal: true });
  var lockedListeners = [];

  // -- bytes and text ------------------------------------------------------------------

  function toB64url(bytes) {
    bytes = new Uint8Array(bytes);
    var raw = "";
    for (var i = 0; i < bytes.length; i++) { raw += String.fromCharCode(bytes[i]); }
    return window.btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function fromB64url(text) {
    if (typeof text !== "string" || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) {
      throw new Error("bad base64url");
    }
    var padding = "=".repeat((4 - (text.length % 4)) % 4);
    var raw = window.atob((text + padding).replace(/-/g, "+").replace(/_/g, "/"));
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  function fromHex(hex) {
    var bytes = new Uint8Array(hex.length / 2);
    for (var i = 0; i < bytes.length; i++) { bytes[i] = parseInt(hex.substr(i * 2, 2), 16); }
    return bytes;
  }

  function toHex(bytes) {
    return Array.prototype.map.call(new Uint8Array(bytes), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function normalizeEmail(email) {
    return String(email || "").normalize("NFC").trim().toLowerCase();
  }

  // -- key derivation ------------------------------------------------------------------

  function saltFor(email) {
    return subtle.digest("SHA-256", encoder.encode(SALT_LABEL + normalizeEmail(email)))
      .then(function (digest) { return new Uint8Array(digest); });
  }

  function pbkdf2Bits(passwordBytes, salt, iterations, bits) {
    return subtle.importKey("raw", passwordBytes, "PBKDF2", false, ["deriveBits"])
      .then(function (base) {
        return subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: salt, iterations: iterations }, base, bits);
      });
  }

  function hkdfBits(secret, info, bits) {
    return subtle.importKey("raw", secret, "HKDF", false, ["deriveBits"]).then(function (base) {
      return subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(32), info: encoder.encode(info) }, base, bits);
    });
  }

  // The raw bits pass through this function once; what is kept is a non-extractable key.
  function wrappingKey(bits) {
    return subtle.importKey("raw", bits, { name: "AES-KW" }, false, ["wrapKey", "unwrapKey"]);
  }

  // Password → wrapping key. The salt is given as bytes (base64url on the page) or made
  // from the email; the iteration count comes from the stored parameters when known.
  function passwordKey(password, salt, iterations) {
    var pw = encoder.encode(String(password).normalize("NFC"));
    return pbkdf2Bits(pw, salt, iterations || ITERATIONS, 256).then(wrappingKey);
  }

  function passwordKeyForEmail(password, email) {
    return saltFor(email).then(function (salt) { return passwordKey(password, salt, ITERATIONS); });
  }

  // -- recovery codes ------------------------------------------------------------------

  function base32(bytes) {
    var out = "", bits = 0, value = 0;
    for (var i = 0; i < bytes.length; i++) {
      value = (value << 8) | bytes[i];
      bits += 8;
      while (bits >= 5) { out += BASE32[(value >>> (bits - 5)) & 31]; bits -= 5; }
    }
    if (bits > 0) { out += BASE32[(value << (5 - bits)) & 31]; }
    return out;
  }

  function unbase32(text) {
    var bytes = [], bits = 0, value = 0;
    for (var i = 0; i < text.length; i++) {
      var index = BASE32.indexOf(text[i]);
      if (index < 0) { throw new Error("bad recovery code"); }
      value = ((value << 5) | index) & 0xffff;
      bits += 5;
      if (bits >= 8) { bytes.push((value >>> (bits - 8)) & 255); bits -= 8; }
    }
    return new Uint8Array(bytes);
  }

  // 160 random bits, 32 base32 letters in 8 groups of 4: easy to copy by hand, and the
  // letters people confuse (0/O, 1/I/L, 8/B) are read leniently when typed back.
  function newRecoveryCode() {
    var letters = base32(window.crypto.getRandomValues(new Uint8Array(20)));
    return letters.match(/.{4}/g).join("-");
  }

  function recoveryBytes(code) {
    var letters = String(code || "").toUpperCase().replace(/[\s-]/g, "")
      .replace(/0/g, "O").replace(/1/g, "I").replace(/8/g, "B");
    if (letters.length !== 32) { throw new Error("bad recovery code"); }
    return unbase32(letters);
  }

  function recoveryKey(code) {
    return Promise.resolve().then(function () {
      return hkdfBits(recoveryBytes(code), RECOVERY_INFO, 256);
    }).then(wrappingKey);
  }

  // -- passkeys' PRF ----------------------------------------------------------------------

  // What every passkey's PRF is asked to evaluate: fixed, so that the same passkey gives
  // the same output at every sign-in, and of the app's own (the browser adds its own
  // "WebAuthn PRF" context before the authenticator sees it).
  function prfSalt() {
    return subtle.digest("SHA-256", encoder.encode(PRF_SALT_LABEL)).then(function (digest) {
      return new Uint8Array(digest);
    });
  }

  // WebAuthn options that ask the passkey for its PRF output on that salt.
  function withPrf(publicKey) {
    return prfSalt().then(function (salt) {
      publicKey.extensions = { prf: { eval: { first: salt } } };
      return publicKey;
    });
  }

  function prfResults(credential) {
    var results = credential.getClientExtensionResults ? credential.getClientExtensionResults() : {};
    return results.prf || {};
  }

  function prfOutput(credential) {
    var prf = prfResults(credential);
    return prf.results && prf.results.first || null;
  }

  function prfKey(prfOutput) {
    return hkdfBits(new Uint8Array(prfOutput), PRF_INFO, 256).then(wrappingKey);
  }

  // -- the data key: make, wrap, unwrap -------------------------------------------------

  // A new data key, extractable only so it can be wrapped now; callers keep the
  // non-extractable copy that unwrap() gives back, and let this one go.
  function newDataKey() {
    return subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);
  }

  function wrap(dataKey, kek) {
    return subtle.wrapKey("raw", dataKey, kek, { name: "AES-KW" }).then(function (bytes) {
      return WRAPPED_PREFIX + toB64url(bytes);
    });
  }

  // Rejects on a wrong key (AES-KW checks its integrity value) or a malformed string.
  function unwrap(wrapped, kek, extractable) {
    return Promise.resolve().then(function () {
      if (typeof wrapped !== "string" || wrapped.indexOf(WRAPPED_PREFIX) !== 0) { throw new Error("bad wrapped key"); }
      var bytes = fromB64url(wrapped.slice(WRAPPED_PREFIX.length));
      return subtle.unwrapKey("raw", bytes, kek, { name: "AES-KW" }, { name: "AES-GCM", length: 256 },
        !!extractable, ["encrypt", "decrypt"]);
    });
  }

  // -- IndexedDB -------------------------------------------------------------------------

  function openDb() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
      var request = window.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        if (!request.result.objectStoreNames.contains(STORE)) { request.result.createObjectStore(STORE); }
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
      request.onblocked = function () { reject(new Error("IndexedDB blocked")); };
    });
  }

  function withStore(mode, action) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result;
        // The action queues its requests now; its result (if any) settles before the
        // transaction completes, since a request's success comes before the completion.
        Promise.resolve(action(tx.objectStore(STORE))).then(function (value) { result = value; });
        tx.oncomplete = function () { db.close(); resolve(result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
        tx.onabort = function () { db.close(); reject(tx.error || new Error("aborted")); };
      });
    });
  }

  function idbGet(id) {
    return withStore("readonly", function (store) {
      return new Promise(function (resolve) {
        var request = store.get(id);
        request.onsuccess = function () { resolve(request.result); };
      });
    });
  }

  function idbGetAll() {
    return withStore("readonly", function (store) {
      return new Promise(function (resolve) {
        var keys = store.getAllKeys();
        keys.onsuccess = function () { resolve(keys.result); };
      });
    });
  }

  function idbPut(id, value) {
    return withStore("readwrite", function (store) { store.put(value, id); });
  }

  function idbDelete(id) {
    return withStore("readwrite", function (store) { store.delete(id); });
  }

  function idbClear() {
    return withStore("readwrite", function (store) { store.clear(); });
  }

  // -- this person's key on this page ----------------------------------------------------

  function userId() {
    var body = document.body;
    var id = body && body.dataset ? body.dataset.vaultUser : "";
    return id ? String(id) : "";
  }

  function asKey(value) {
    if (value instanceof CryptoKey) { return value; }
    if (value && value.key instanceof CryptoKey) { return value.key; }
    return null;
  }

  function currentKey() {
    var id = userId();
    if (!id) { return Promise.resolve(null); }
    return idbGet(id).then(function (value) {
      var key = asKey(value);
      if (key || !/^\d+$/.test(id)) { return key; }
      return idbGet(Number(id)).then(asKey);  // a key installed under a numeric id
    }).catch(function () { return null; });
  }

  function keep(dataKey) {
    return keepFor(userId(), dataKey);
  }

  // Under a given person's id: a passkey sign-in keeps the key before its signed-in page.
  function keepFor(id, dataKey) {
    if (!id || !(dataKey instanceof CryptoKey)) { return Promise.reject(new Error("nothing to keep")); }
    return idbPut(String(id), dataKey);
  }

  // The data key, extractable for this moment only (to wrap it anew), unwrapped with
  // the password and the wrapped key this signed-in page carries.
  function dataKeyWith(password) {
    var data = document.body.dataset;
    var iterations = parseInt(data.vaultIterations, 10);
    return Promise.resolve().then(function () {
      return passwordKey(password, fromB64url(data.vaultSalt || ""), iterations > 0 ? iterations : ITERATIONS);
    }).then(function (kek) { return unwrap(data.vaultWrapped, kek, true); });
  }

  function locked() {
    lockedListeners.slice().forEach(function (fn) {
      try { fn(); } catch (e) { /* one listener's fault is not the others' */ }
    });
    var error = new Error("locked");
    error.name = "VaultLocked";
    return error;
  }

  function needKey() {
    return currentKey().then(function (key) {
      if (!key) { throw locked(); }
      return key;
    });
  }

  function aadBytes(aad) {
    return encoder.encode(aad === undefined || aad === null ? "" : String(aad));
  }

  function sealWith(key, iv, plaintext, aad) {
    return subtle.encrypt({ name: "AES-GCM", iv: iv, additionalData: aad, tagLength: 128 }, key, plaintext);
  }

  function encryptText(text, aad) {
    return needKey().then(function (key) {
      var iv = window.crypto.getRandomValues(new Uint8Array(12));
      return sealWith(key, iv, encoder.encode(String(text)), aadBytes(aad)).then(function (sealed) {
        return ENVELOPE_PREFIX + toB64url(iv) + "." + toB64url(sealed);
      });
    });
  }

  function parseEnvelope(envelope) {
    var match = /^e2e1\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22,})$/.exec(typeof envelope === "string" ? envelope : "");
    if (!match) { throw new Error("not an envelope"); }
    return { iv: fromB64url(match[1]), sealed: fromB64url(match[2]) };
  }

  function decryptText(envelope, aad) {
    return Promise.resolve().then(function () {
      var parts = parseEnvelope(envelope);
      return needKey().then(function (key) {
        return subtle.decrypt({ name: "AES-GCM", iv: parts.iv, additionalData: aadBytes(aad), tagLength: 128 }, key, parts.sealed);
      });
    }).then(function (plain) { return decoder.decode(plain); });
  }

  function ready() {
    return currentKey().then(function (key) { return !!key; });
  }

  // Forget every key on this device (sign-out, quick exit, a signed-out page).
  function forget() {
    return idbClear().catch(function () {
      return new Promise(function (resolve) {
        var request = window.indexedDB.deleteDatabase(DB_NAME);
        request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
      });
    });
  }

  // Keep only this person's key: a key left by anyone else who used this browser goes.
  function forgetOthers(id) {
    return idbGetAll().then(function (ids) {
      return Promise.all(ids.filter(function (other) {
        return String(other) !== String(id) && other !== PENDING;
      }).map(idbDelete));
    });
  }

  window.tendVault = {
    // The contract with the pages that hold private entries (docs/keys.md).
    ready: ready,
    encryptText: encryptText,
    decryptText: decryptText,
    encryptJSON: function (value, aad) { return encryptText(JSON.stringify(value), aad); },
    decryptJSON: function (envelope, aad) { return decryptText(envelope, aad).then(JSON.parse); },
    onLocked: function (fn) { if (typeof fn === "function") { lockedListeners.push(fn); } },

    // Key lifecycle, for vault-keys.js (sign-in, sign-up, unlock, password change, reset).
    forget: forget,
    keys: {
      ITERATIONS: ITERATIONS,
      PENDING: PENDING,
      userId: userId,
      normalizeEmail: normalizeEmail,
      saltFor: saltFor,
      passwordKey: passwordKey,
      passwordKeyForEmail: passwordKeyForEmail,
      recoveryKey: recoveryKey,
      prfSalt: prfSalt,
      withPrf: withPrf,
      prfResults: prfResults,
      prfOutput: prfOutput,
      prfKey: prfKey,
      newRecoveryCode: newRecoveryCode,
      newDataKey: newDataKey,
      wrap: wrap,
      unwrap: unwrap,
      keep: keep,
      keepFor: keepFor,
      dataKeyWith: dataKeyWith,
      currentKey: currentKey,
      forgetOthers: forgetOthers,
      getPending: function () { return idbGet(PENDING).then(function (v) { return v || null; }); },
      setPending: function (value) { return idbPut(PENDING, value); },
      clearPending: function () { return idbDelete(PENDING); }
    },

    // Building blocks, exposed for the known-answer tests (tests/e2e/test_vault_vectors.py).
    _test: {
      toB64url: toB64url,
      fromB64url: fromB64url,
      fromHex: fromHex,
      toHex: toHex,
      base32: base32,
      recoveryBytes: recoveryBytes,
      pbkdf2Bits: pbkdf2Bits,
      hkdfBits: hkdfBits,
      sealWith: sealWith,
      parseEnvelope: parseEnvelope
    }
  };
})();

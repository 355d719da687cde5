// tend's private notes: sealed on this device before they are sent, opened here when shown.
//
// Everything a person keeps to themselves in steps 1-4 (and step 5's considerations, and
// the safety answer) is encrypted with their own key (vault.js, `window.tendVault`), which
// never leaves their devices unwrapped. The server stores and returns only ciphertext
// ("envelopes"); it refuses anything else (tend.core.e2e).
//
// The page marks up, in each private form:
//   <input type="hidden" name="…" value="<envelope or empty>" data-e2e-seal="text|json"
//          data-e2e-fields="names of the plain controls" data-e2e-aad="<user>:<field>:…">
//   <fieldset disabled data-e2e-plain> … the plain controls … </fieldset>
// The plain controls start disabled, so without this script (or with the key locked)
// nothing plain can be sent; this script opens the envelopes into them, enables them,
// and on every change seals them again into the hidden inputs before anything is sent.
// Plain controls are never sent, with one deliberate exception: "bring to the
// conversation", which copies that one answer as shared text (`shared`).
(function () {
  "use strict";

  var SEALED = "[data-e2e-seal]";

  function vault() { return window.tendVault; }

  function unlocked() {
    var v = vault();
    if (!v || !document.body.dataset.vaultUser) { return Promise.resolve(false); }
    return Promise.resolve().then(function () { return v.ready(); }).catch(function () { return false; });
  }

  function words() {
    var el = document.querySelector("[data-e2e-words]");
    return el ? el.dataset : {};
  }

  // Shows or takes away what a <template> holds (kept out of the page's text until then),
  // or a plain element's `hidden`.
  function reveal(selector, shown) {
    document.querySelectorAll(selector).forEach(function (el) {
      if (el.tagName !== "TEMPLATE") { el.hidden = !shown; return; }
      var next = el.nextElementSibling;
      var placed = next && next.hasAttribute("data-e2e-placed") ? next : null;
      if (shown && !placed) {
        var copy = el.content.firstElementChild.cloneNode(true);
        copy.setAttribute("data-e2e-placed", "");
        el.after(copy);
      } else if (!shown && placed) {
        placed.remove();
      }
    });
  }

  function setStatus(form, text, failed) {
    var slot = form.querySelector(form.dataset.e2eStatus || ".save-slot");
    if (!slot) { return; }
    slot.textContent = "";
    var span = document.createElement("span");
    span.className = "save-status" + (failed ? " save-error" : "");
    span.setAttribute("role", failed ? "alert" : "status");
    span.textContent = text;
    slot.appendChild(span);
  }

  // --- Reading and filling the plain controls -------------------------------------------

  function controls(form, name) {
    var plain = form.querySelector("[data-e2e-plain]");
    return plain ? Array.prototype.slice.call(plain.querySelectorAll('[name="' + CSS.escape(name) + '"]')) : [];
  }

  function valueOf(els) {
    if (!els.length) { return null; }
    var first = els[0];
    if (first.type === "checkbox") {
      if (first.hasAttribute("data-e2e-bool")) { return first.checked; }
      return els.filter(function (el) { return el.checked; }).map(function (el) { return el.value; });
    }
    if (first.type === "radio") {
      var picked = els.filter(function (el) { return el.checked; })[0];
      if (!picked) { return first.hasAttribute("data-e2e-int") ? null : ""; }
      return first.hasAttribute("data-e2e-int") ? parseInt(picked.value, 10) : picked.value;
    }
    return first.value;
  }

  function fillWith(els, value) {
    els.forEach(function (el) {
      if (el.type === "checkbox") {
        el.checked = el.hasAttribute("data-e2e-bool") ? !!value
          : Array.isArray(value) && value.indexOf(el.value) !== -1;
      } else if (el.type === "radio") {
        el.checked = value !== null && value !== undefined && String(value) === el.value;
      } else if (el.type !== "hidden") {
        el.value = value === null || value === undefined ? "" : String(value);
      }
    });
  }

  function fieldNames(input) {
    return (input.dataset.e2eFields || "").trim().split(/\s+/).filter(Boolean);
  }

  function read(form, input) {
    var names = fieldNames(input);
    if (input.dataset.e2eSeal === "text" || input.dataset.e2eList) {
      return valueOf(controls(form, names[0]));
    }
    var value = {};
    names.forEach(function (name) { value[name] = valueOf(controls(form, name)); });
    return value;
  }

  function fill(form, input, value) {
    var names = fieldNames(input);
    if (input.dataset.e2eSeal === "text" || input.dataset.e2eList) {
      fillWith(controls(form, names[0]), value);
      return;
    }
    value = value || {};
    names.forEach(function (name) {
      if (name in value) { fillWith(controls(form, name), value[name]); }
    });
  }

  // --- Opening and sealing --------------------------------------------------------------

  function open(envelope, aad, json) {
    var v = vault();
    return json ? v.decryptJSON(envelope, aad) : v.decryptText(envelope, aad);
  }

  function seal(form) {
    var v = vault();
    var inputs = Array.prototype.slice.call(form.querySelectorAll(SEALED));
    return Promise.all(inputs.map(function (input) {
      var value = read(form, input);
      if (input.dataset.e2eSeal === "text") {
        if (!value) { input.value = ""; return null; } // nothing written: nothing to seal
        return v.encryptText(value, input.dataset.e2eAad).then(function (e) { input.value = e; });
      }
      return v.encryptJSON(value, input.dataset.e2eAad).then(function (e) { input.value = e; });
    }));
  }

  // What goes to the server: the sealed inputs and the form's own plain fields (CSRF,
  // phase), never the private controls, except a deliberate "bring".
  function payload(form) {
    var data = new FormData(form);
    var plain = form.querySelector("[data-e2e-plain]");
    if (plain) {
      Array.prototype.forEach.call(plain.elements, function (el) { if (el.name) { data.delete(el.name); } });
    }
    var bring = form.querySelector("[data-e2e-bring]");
    if (bring) {
      data.delete("bring");
      data.delete("shared");
      if (bring.checked) {
        var text = form.querySelector(SEALED);
        data.set("bring", "on");
        data.set("shared", read(form, text) || "");
      }
    }
    return data;
  }

  function csrf(form) {
    var token = form.querySelector('[name="csrfmiddlewaretoken"]');
    return token ? token.value : "";
  }

  // Swaps in any out-of-band part of the answer (e.g. the count of answers on reflect).
  function outOfBand(html) {
    if (html.indexOf("hx-swap-oob") === -1) { return; }
    var doc = new DOMParser().parseFromString(html, "text/html");
    doc.querySelectorAll("[hx-swap-oob][id]").forEach(function (el) {
      var mine = document.getElementById(el.id);
      if (mine) {
        el.removeAttribute("hx-swap-oob");
        mine.replaceWith(document.importNode(el, true));
      }
    });
  }

  function failureText(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var said = doc.querySelector(".save-error, [role=alert], .form-errors");
    return said ? said.textContent.trim() : "";
  }

  var queues = new WeakMap(); // each form's latest save
  var waiting = new WeakSet(); // forms with a save queued and not yet sealed

  // Autosave: one request at a time per form, and at most one more waiting, which seals
  // the form as it is when its turn comes: the last change always wins, none is lost.
  // The form is aria-busy until its last save is answered.
  function save(form) {
    if (waiting.has(form)) { return queues.get(form); }
    waiting.add(form);
    form.setAttribute("aria-busy", "true");
    var previous = queues.get(form) || Promise.resolve();
    var next = previous.then(function () {
      waiting.delete(form);
      return seal(form).then(function () {
        return fetch(form.action, {
          method: "POST",
          body: payload(form),
          credentials: "same-origin",
          headers: { "HX-Request": "true", "X-CSRFToken": csrf(form) },
        });
      }).then(function (response) {
        return response.text().then(function (html) {
          if (response.ok) {
            setStatus(form, words().saved || "Saved", false);
            outOfBand(html);
          } else {
            setStatus(form, failureText(html) || words().failed || "Not saved", true);
          }
        });
      }).catch(function () {
        setStatus(form, words().failed || "Not saved", true);
      });
    });
    queues.set(form, next);
    next.then(function () {
      if (queues.get(form) === next) { form.removeAttribute("aria-busy"); }
    });
    return next;
  }

  function addHidden(form, name, value) {
    var extra = document.createElement("input");
    extra.type = "hidden";
    extra.name = name;
    extra.value = value;
    form.appendChild(extra);
  }

  // The page's own button: seal, then send the form as usual, without its plain part.
  function submitSealed(form) {
    var required = form.dataset.e2eRequired;
    if (required && !valueOf(controls(form, required))) {
      setStatus(form, form.dataset.e2eRequiredMessage || "", true);
      return Promise.resolve();
    }
    return seal(form).then(function () {
      // "Go on with what I was doing": said only when the person's own answer lets them.
      var proceed = (form.dataset.e2eProceed || "").split(":");
      if (proceed.length === 2 && valueOf(controls(form, proceed[0])) === proceed[1]) {
        addHidden(form, "proceed", "on");
      }
      var plain = form.querySelector("[data-e2e-plain]");
      var bring = form.querySelector("[data-e2e-bring]");
      if (bring && bring.checked) {
        addHidden(form, "bring", "on");
        addHidden(form, "shared", read(form, form.querySelector(SEALED)) || "");
      }
      if (plain) { plain.disabled = true; }
      HTMLFormElement.prototype.submit.call(form);
    });
  }

  function afterChange(form, opened) {
    form.dispatchEvent(new CustomEvent("tend:private-changed", { bubbles: true, detail: { opened: !!opened } }));
  }

  function wire(form) {
    if (form.hasAttribute("data-e2e-wired")) { return; }
    form.setAttribute("data-e2e-wired", "");
    var delay = parseInt(form.dataset.e2eAutosave, 10);
    var timer = null;
    function later(event) {
      afterChange(form);
      if (isNaN(delay)) { return; }
      clearTimeout(timer);
      var wait = event.type === "change" ? 0 : delay;
      timer = setTimeout(function () { save(form); }, wait);
    }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      (queues.get(form) || Promise.resolve()).then(function () { return submitSealed(form); })
        .catch(function () { setStatus(form, words().failed || "Not saved", true); });
    });
  }

  // Opens a form's envelopes into its controls and lets the person write.
  function openForm(form) {
    if (form.hasAttribute("data-e2e-opened")) { return Promise.resolve(); }
    var inputs = Array.prototype.slice.call(form.querySelectorAll(SEALED));
    return Promise.all(inputs.map(function (input) {
      if (!input.value) { return null; }
      return open(input.value, input.dataset.e2eAad, input.dataset.e2eSeal === "json")
        .then(function (value) { fill(form, input, value); });
    })).then(function () {
      var plain = form.querySelector("[data-e2e-plain]");
      if (plain) { plain.disabled = false; }
      // A "more" list or box with something in it stays open: nothing chosen is hidden.
      form.querySelectorAll("details").forEach(function (details) {
        var any = Array.prototype.some.call(details.querySelectorAll("input, textarea"), function (el) {
          return el.checked || (el.tagName === "TEXTAREA" && el.value);
        });
        if (any) { details.open = true; }
      });
      form.setAttribute("data-e2e-opened", "");
      wire(form);
      afterChange(form, true);
    }, function () {
      reveal("[data-e2e-broken]", true); // stays disabled: never overwrite what it holds
    });
  }

  function openText(el) {
    if (el.hasAttribute("data-e2e-opened")) { return Promise.resolve(); }
    return open(el.dataset.e2eOpen, el.dataset.aad, false).then(function (text) {
      el.textContent = text;
      el.setAttribute("data-e2e-opened", "");
    }, function () { reveal("[data-e2e-broken]", true); });
  }

  // --- What a page works out from its owner's own answers -------------------------------

  function json(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function suggestState(form) {
    var leans = json("notice-leans");
    var labels = json("notice-state-labels");
    var box = form.querySelector("[data-e2e-suggestion]");
    if (!leans || !labels || !box) { return; }
    var ticked = (valueOf(controls(form, "signals")) || []).concat(valueOf(controls(form, "feelings")) || []);
    var hyper = 0;
    var hypo = 0;
    ticked.forEach(function (key) {
      if (leans[key] === "hyper") { hyper += 1; } else if (leans[key] === "hypo") { hypo += 1; }
    });
    var state = hyper > hypo ? "hyper" : hypo > hyper ? "hypo" : "unsure";
    box.querySelector("[data-e2e-suggested]").textContent = labels[state] || state;
    box.hidden = ticked.length === 0;
  }

  function showReadiness(form) {
    var all = ["feels_open", "feels_relaxed", "feels_compassionate"].every(function (name) {
      return valueOf(controls(form, name)) === true;
    });
    document.querySelectorAll("[data-e2e-readiness-note]").forEach(function (note) {
      note.textContent = all ? note.dataset.all : note.dataset.notAll;
    });
  }

  document.addEventListener("tend:private-changed", function (event) {
    var form = event.target;
    if (form.querySelector('[name="notice"]')) { suggestState(form); }
    if (form.hasAttribute("data-e2e-readiness")) { showReadiness(form); }
    // The help after "no" is for a saved answer: shown as the page opens it, not on a tick.
    if (form.hasAttribute("data-e2e-safety-form") && event.detail && event.detail.opened) {
      reveal('[data-e2e-when="unsafe"]', valueOf(controls(form, "feels_safe")) === "no");
    }
  });

  // The safety gate, on this device: while the person's own sealed answer is "no", the
  // shared steps are closed to them here (the server cannot read the answer).
  var SHARED_MOVES = /\/(voice|needs|plan|ready|together\/[^/]+|one-screen)\/$|\/(needs|plan)\/\d+\/(acknowledge|accept)\/$/;

  function closeShared() {
    reveal("[data-e2e-unsafe]", true);
    document.querySelectorAll("[data-e2e-shared]").forEach(function (el) { el.style.display = "none"; });
    document.querySelectorAll("form").forEach(function (form) {
      var path = new URL(form.action, window.location.href).pathname;
      if (SHARED_MOVES.test(path) && !form.hasAttribute("data-e2e-form")) {
        form.setAttribute("data-e2e-closed", "");
        form.hidden = true;
        form.style.display = "none";  // a form's own display (e.g. .stack) beats [hidden]
      }
    });
  }

  function safetyGate() {
    var mark = document.querySelector("[data-e2e-safety]");
    if (!mark) { return Promise.resolve(); }
    return fetch(mark.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { sealed: "" }; })
      .then(function (body) {
        if (!body.sealed) { return; }
        return open(body.sealed, mark.dataset.aad, true).then(function (answer) {
          if (answer && answer.feels_safe === "no") { closeShared(); }
        });
      }).catch(function () { /* unreadable here: the server still asks before shared steps */ });
  }

  function orderPractices(state) {
    document.querySelectorAll("[data-e2e-state-intro]").forEach(function (intro) {
      if (intro.dataset[state]) { intro.textContent = intro.dataset[state]; }
    });
    var list = document.querySelector("[data-e2e-practices]");
    if (!list || (state !== "hyper" && state !== "hypo")) { return; }
    var first = state === "hyper" ? "down" : "up";
    var items = Array.prototype.slice.call(list.children);
    items.filter(function (li) { return li.dataset.kind === first; })
      .concat(items.filter(function (li) { return li.dataset.kind !== first; }))
      .forEach(function (li) { list.appendChild(li); });
  }

  function openReads() {
    var jobs = [];
    document.querySelectorAll("[data-e2e-read]:not([data-e2e-opened])").forEach(function (el) {
      if (!el.value) { el.setAttribute("data-e2e-opened", ""); return; }
      jobs.push(open(el.value, el.dataset.e2eAad, true).then(function (value) {
        el.setAttribute("data-e2e-opened", "");
        if (el.dataset.e2eRole === "state") { orderPractices((value && value.state) || "unsure"); }
      }, function () { reveal("[data-e2e-broken]", true); }));
    });
    var titles = json("practice-titles") || {};
    var done = document.querySelector("[data-e2e-done]");
    document.querySelectorAll("[data-e2e-session]:not([data-e2e-opened])").forEach(function (li) {
      var aad = li.dataset.aad;
      jobs.push(Promise.all([
        li.dataset.before ? open(li.dataset.before, aad, true) : null,
        li.dataset.after ? open(li.dataset.after, aad, true) : null,
      ]).then(function (both) {
        var before = both[0] || {};
        var after = both[1] || {};
        var text = titles[before.practice] || before.practice || li.textContent;
        if (done && before.intensity !== null && before.intensity !== undefined &&
            after.intensity !== null && after.intensity !== undefined) {
          text += " — " + done.dataset.labelFromTo.replace("{before}", before.intensity).replace("{after}", after.intensity);
        }
        li.textContent = text;
        li.setAttribute("data-e2e-opened", "");
      }, function () { reveal("[data-e2e-broken]", true); }));
    });
    return Promise.all(jobs);
  }

  // --- The page ------------------------------------------------------------------------

  function hasPrivate() {
    return !!document.querySelector("[data-e2e-form], [data-e2e-open], [data-e2e-read], [data-e2e-session], [data-e2e-safety], [data-e2e-download]");
  }

  function start() {
    unlocked().then(function (ok) { if (ok) { return migrateOnce(); } return null; });
    if (!hasPrivate()) { return Promise.resolve(); }
    return unlocked().then(function (ok) {
      reveal("[data-e2e-locked]", !ok);
      if (!ok) { return null; }
      var jobs = [];
      document.querySelectorAll("[data-e2e-form]").forEach(function (form) { jobs.push(openForm(form)); });
      document.querySelectorAll("[data-e2e-open]").forEach(function (el) { jobs.push(openText(el)); });
      jobs.push(openReads());
      jobs.push(safetyGate());
      wireDownload();
      return Promise.all(jobs);
    }).then(function () {
      document.documentElement.setAttribute("data-e2e-settled", "");
    });
  }

  // A live redraw (htmx's morph) must not put the sealed page back over what is open
  // here: an opened form or text stays as it is; anything new is opened in turn.
  function keepOpened() {
    if (!window.htmx) { return; }
    window.htmx.registerExtension("tend-keep-opened", {
      htmx_before_morph_node: function (el) {
        if (el.nodeType === 1 && el.hasAttribute("data-e2e-opened")) { return false; }
      }
    });
  }

  // --- Moving old private data to this scheme (once, on the owner's device) -------------
  //
  // What was written before end-to-end encryption is still stored with the server's keys
  // until its owner's device seals it: fetched from an owner-only address, sealed here,
  // posted back; the server then deletes the old copy (tend.repairs.views.legacy).
  var LEGACY_URL = "/me/private/legacy/";
  var migrating = null;

  function pageToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers:inherited") || "{}")["X-CSRFToken"] || "";
    } catch (e) { return ""; }
  }

  function migrateOnce() {
    var user = document.body.dataset.vaultUser;
    var done = "tend-e2e-moved-" + user;
    if (!user || migrating || window.sessionStorage.getItem(done)) { return migrating || Promise.resolve(); }
    var v = vault();
    function round() {
      return fetch(LEGACY_URL, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { if (!response.ok) { throw new Error("legacy"); } return response.json(); })
        .then(function (body) {
          if (!body.items.length) { return null; }
          return Promise.all(body.items.map(function (item) {
            var sealed = {};
            return Promise.all(item.parts.map(function (part) {
              var sealing = part.kind === "json" ? v.encryptJSON(part.value, part.aad) : v.encryptText(part.value, part.aad);
              return sealing.then(function (envelope) { sealed[part.name] = envelope; });
            })).then(function () { return { id: item.id, sealed: sealed }; });
          })).then(function (items) {
            return fetch(LEGACY_URL, {
              method: "POST",
              credentials: "same-origin",
              headers: { "Content-Type": "application/json", "X-CSRFToken": pageToken() },
              body: JSON.stringify({ items: items }),
            }).then(function (response) { return response.json(); });
          }).then(function (result) {
            moved += result.moved || 0;
            return result.moved && result.left ? round() : null;
          });
        });
    }
    var moved = 0;
    migrating = round().then(function () {
      window.sessionStorage.setItem(done, "1");
      // This page was drawn before: show what just moved, unless the person is writing.
      if (moved && hasPrivate() && !document.querySelector("[data-in-use]")) { window.location.reload(); }
    }).catch(function () { /* tried again on the next page */ }).then(function () { migrating = null; });
    return migrating;
  }

  // --- The download of one's own sealed notes, made here --------------------------------

  function download(button) {
    var items = json("sealed-items") || [];
    var status = document.querySelector("[data-e2e-download-status]");
    Promise.all(items.map(function (item) {
      return open(item.sealed, item.aad, item.kind === "json").then(function (value) {
        var copy = Object.assign({}, item, { value: value });
        delete copy.sealed;
        delete copy.aad;
        return copy;
      }, function () {
        return Object.assign({}, item, { value: null, unreadable: true });
      });
    })).then(function (opened) {
      var blob = new Blob([JSON.stringify({ private_notes: opened }, null, 2)], { type: "application/json" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = button.dataset.e2eDownload;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
      if (status) { status.textContent = words().saved || ""; }
    });
  }

  function wireDownload() {
    document.querySelectorAll("[data-e2e-download]:not([data-e2e-wired])").forEach(function (button) {
      button.setAttribute("data-e2e-wired", "");
      button.disabled = false;
      button.addEventListener("click", function () { download(button); });
    });
  }

  window.tendPrivate = { seal: seal, save: save, start: start, open: open, migrate: migrateOnce };

  document.addEventListener("DOMContentLoaded", function () {
    keepOpened();
    start();
    document.body.addEventListener("htmx:after:settle", start);
  });
  document.addEventListener("tend:vault-ready", start);
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("[data-e2e-opened] [data-e2e-plain]").forEach(function (plain) { plain.disabled = false; });
  });
})();

// The person's own patterns page: their practices and how strong things felt are sealed
// on their device (private.js), so the server sends them only as ciphertext, from an
// owner-only address (`me/patterns/sealed/`). This opens them with the person's key (vault.js, `window.tendVault`) and draws a table:
// which practices they used most, and how strong it usually felt before and after.
(function () {
  "use strict";

  // The usual value: the median, as the server's charts use (charts.usual).
  function usual(values) {
    var sorted = values.slice().sort(function (a, b) { return a - b; });
    var mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
  }

  function open(vault, envelope, aad) {
    return envelope ? vault.decryptJSON(envelope, aad) : Promise.resolve({});
  }

  function draw(section, opened, titles) {
    var byKey = {};
    opened.forEach(function (one) {
      var key = one.before.practice;
      if (!key) { return; }
      var row = byKey[key] || (byKey[key] = { key: key, count: 0, before: [], after: [] });
      row.count += 1;
      if (typeof one.before.intensity === "number" && typeof one.after.intensity === "number") {
        row.before.push(one.before.intensity);
        row.after.push(one.after.intensity);
      }
    });
    var rows = Object.keys(byKey).map(function (k) { return byKey[k]; });
    rows.sort(function (a, b) { return b.count - a.count || a.key.localeCompare(b.key); });
    var words = section.dataset;
    var body = section.querySelector("[data-practices-table] tbody");
    body.textContent = "";
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      var name = document.createElement("th");
      name.scope = "row";
      name.textContent = titles[row.key] || row.key;
      var often = document.createElement("td");
      often.textContent = row.count === 1 ? words.wordsOnce : words.wordsTimes.replace("{count}", row.count);
      var strong = document.createElement("td");
      strong.textContent = row.before.length
        ? words.wordsUsually.replace("{before}", usual(row.before)).replace("{after}", usual(row.after))
        : "—";
      tr.append(name, often, strong);
      body.appendChild(tr);
    });
    section.querySelector("[data-practices-table]").hidden = rows.length === 0;
  }

  function start() {
    var section = document.getElementById("practices-on-device");
    var vault = window.tendVault;
    if (!section || !vault) { return; }
    var status = section.querySelector("[data-practices-status]");
    Promise.resolve().then(function () { return vault.ready(); }).catch(function () { return false; }).then(function (ok) {
      if (!ok) { status.textContent = section.dataset.wordsLocked; return null; }
      return fetch(section.dataset.sealedUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); });
    }).then(function (data) {
      if (!data) { return null; }
      var sessions = data.sessions || [];
      var titles = data.titles || {};
      var broken = false;
      return Promise.all(sessions.map(function (s) {
        return Promise.all([open(vault, s.before, s.aad), open(vault, s.after, s.aad)]).then(function (both) {
          return { before: both[0] || {}, after: both[1] || {} };
        }, function () { broken = true; return null; });
      })).then(function (opened) {
        draw(section, opened.filter(Boolean), titles);
        status.textContent = broken ? section.dataset.wordsBroken : "";
      });
    }).catch(function () { status.textContent = section.dataset.wordsBroken; });
  }

  document.addEventListener("DOMContentLoaded", start);
  document.addEventListener("tend:vault-ready", start);
})();

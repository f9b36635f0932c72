// okit console: counts the clocks down, keeps the queue live, and marks
// new or changed rows. No inline script: the Content-Security-Policy
// allows only this file.
"use strict";

(function () {
  var body = document.body;

  function span(ms) {
    var m = Math.floor(Math.abs(ms) / 60000);
    if (m < 60) return m + " min";
    if (m < 1440) return Math.floor(m / 60) + " h " + (m % 60) + " min";
    return Math.floor(m / 1440) + " d " + Math.floor((m % 1440) / 60) + " h";
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("time.clock").forEach(function (el) {
      var ms = Date.parse(el.getAttribute("datetime")) - now;
      var late = ms < 0;
      el.textContent = (late ? body.dataset.overdue : body.dataset.left).replace("%s", span(ms));
      el.classList.toggle("late", late);
      var row = el.closest("tr");
      if (row && late) row.classList.add("overdue");
    });
  }
  tick();
  setInterval(tick, 15000);

  // Someone writing an answer or a note is active even before they send
  // it: keep their session, at most once a minute.
  var lastAlive = Date.now();
  document.addEventListener("input", function () {
    if (Date.now() - lastAlive < 60000) return;
    lastAlive = Date.now();
    fetch("/alive", { method: "POST", credentials: "same-origin" }).catch(function () {});
  });

  var table = document.getElementById("queue");
  if (!table || !window.EventSource) return;
  var live = document.getElementById("live");
  var pending = false;

  function refresh(changed) {
    if (pending) return;
    pending = true;
    fetch(table.dataset.rows, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) {
        if (r.status === 401) { window.location.reload(); throw new Error("session ended"); }
        if (!r.ok) throw new Error("rows: " + r.status);
        return r.text();
      })
      .then(function (html) {
        var before = {};
        table.querySelectorAll("tbody tr[data-case]").forEach(function (tr) { before[tr.dataset.case] = tr.innerHTML; });
        var tmp = document.createElement("table");
        tmp.innerHTML = html;
        var tbody = tmp.querySelector("tbody");
        if (!tbody) return;
        tbody.querySelectorAll("tr[data-case]").forEach(function (tr) {
          if (!(tr.dataset.case in before) || changed.indexOf(tr.dataset.case) >= 0) tr.classList.add("fresh");
        });
        table.replaceChild(tbody, table.querySelector("tbody"));
        tick();
        if (live) { live.hidden = false; live.textContent = live.textContent.split(" ")[0] + " " + new Date().toLocaleTimeString(); }
      })
      .catch(function () {})
      .finally(function () { pending = false; });
  }

  var es = new EventSource("/live");
  es.addEventListener("changed", function (e) { refresh(e.data ? e.data.split(",") : []); });
})();

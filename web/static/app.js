// okit console: counts the clocks down, keeps the queue live (from the
// stream alerts.js keeps), and marks new or changed rows. No inline script: the Content-Security-Policy
// allows only this file.
"use strict";

(function () {
  var body = document.body;

  // The page's words for durations (page.Span in Go says them the same way).
  var units = JSON.parse(body.dataset.units || "{}");
  function say(unit) {
    var args = Array.prototype.slice.call(arguments, 1);
    return (units[unit] || "%d").replace(/%d/g, function () { return args.shift(); });
  }
  function span(ms) {
    var m = Math.floor(Math.abs(ms) / 60000);
    if (m < 60) return say("m", m);
    if (m < 1440) return m % 60 === 0 ? say("h", m / 60) : say("hm", Math.floor(m / 60), m % 60);
    return say("dh", Math.floor(m / 1440), Math.floor((m % 1440) / 60));
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

  // Someone reading or writing an answer is active even without a
  // request: keep their console unlocked, telling okit at most once a
  // minute.
  var lastAlive = Date.now();
  function alive() {
    if (Date.now() - lastAlive < 60000) return;
    lastAlive = Date.now();
    fetch("/alive", { method: "POST", credentials: "same-origin" }).catch(function () {});
  }
  ["input", "keydown", "pointerdown", "scroll"].forEach(function (kind) {
    document.addEventListener(kind, alive, { passive: true });
  });

  // The queue's rows, or the supervisors' page of the present (replaced
  // whole: it holds no place to keep).
  var table = document.getElementById("queue") || document.getElementById("now");
  if (!table) return;
  var live = document.getElementById("live");
  var pending = false;
  var again = null; // the cases changed while a refresh was under way

  function refresh(changed) {
    // A change that comes while rows are being fetched may not be in
    // them: fetch once more when they are in, with every case named since.
    if (pending) {
      again = (again || []).concat(changed);
      return;
    }
    pending = true;
    fetch(table.dataset.rows, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) {
        if (r.status === 401) { window.location.reload(); throw new Error("session ended"); }
        if (!r.ok) throw new Error("rows: " + r.status);
        return r.text();
      })
      .then(function (html) {
        if (table.id === "now") {
          table.innerHTML = html;
          tick();
          stamp();
          return;
        }
        var before = {};
        table.querySelectorAll("tbody tr[data-case]").forEach(function (tr) { before[tr.dataset.case] = tr.innerHTML; });
        // Whoever was reading or moving in the list keeps their place:
        // the focus goes back to the same case's link, the page stays put.
        var active = document.activeElement;
        var focusedCase = active && table.contains(active) && active.closest("tr[data-case]");
        focusedCase = focusedCase && focusedCase.dataset.case;
        var y = window.scrollY;
        var tmp = document.createElement("table");
        tmp.innerHTML = html;
        var tbody = tmp.querySelector("tbody");
        if (!tbody) return;
        tbody.querySelectorAll("tr[data-case]").forEach(function (tr) {
          if (!(tr.dataset.case in before) || changed.indexOf(tr.dataset.case) >= 0) tr.classList.add("fresh");
        });
        table.replaceChild(tbody, table.querySelector("tbody"));
        if (focusedCase) {
          var link = tbody.querySelector('tr[data-case="' + focusedCase + '"] a');
          if (link) link.focus({ preventScroll: true });
        }
        window.scrollTo(0, y);
        document.dispatchEvent(new Event("okit:rows"));
        tick();
        stamp();
      })
      .catch(function () {})
      .finally(function () {
        pending = false;
        if (again) {
          var next = again;
          again = null;
          refresh(next);
        }
      });
  }

  // Says when the page was last brought up to date.
  function stamp() {
    if (!live) return;
    live.hidden = false;
    live.textContent = live.dataset.label + " " + new Date().toLocaleTimeString(document.documentElement.lang,
      { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: body.dataset.zone });
  }

  // Shifts start and end without a case changing: the present is also
  // fetched again every half minute.
  if (table.id === "now") setInterval(function () { refresh([]); }, 30000);

  // The page's live stream is alerts.js's.
  document.addEventListener("okit:changed", function (e) { refresh(e.detail); });
})();

// okit console: the alerts that reach a person without saying anything of
// a case (screens are seen by others): the tab's title and icon count the
// cases waiting, a screen reader is told, a sound plays (when the person
// wants it and is on shift) and the desktop is notified with the page's
// words only — "Új sürgős ügy (P1)". It also keeps the page's one live
// stream, which it hands on as the event "okit:changed", and takes a page
// away when the console locked. The server decides everything it says
// (GET /alerts): case ids and counts, never a name or a word.
"use strict";

(function () {
  var body = document.body;
  if (!body.dataset.live) return;
  var title = document.title;
  // What was waiting at the last look, kept across the tab's pages so
  // that nothing arriving while one page replaces another goes unsaid.
  var last = JSON.parse(sessionStorage.getItem("okit-alerts") || "null") || { seen: null, upto: null };
  var seen = last.seen;  // the case ids waiting
  var upto = last.upto;  // the newest supervisors' alert
  var warned = last.warned;  // the session's end was announced
  var live = document.getElementById("alert-live");
  var ending = document.getElementById("session-ending");

  // The sound is made here: no file to fetch, nothing to cache. Browsers
  // let it play only after the person touched the page once.
  var audio = null;
  function beep() {
    if (!body.dataset.sound || !window.AudioContext) return;
    audio = audio || new AudioContext();
    [0, 0.25].forEach(function (at) {
      var o = audio.createOscillator(), g = audio.createGain();
      o.frequency.value = 880;
      g.gain.setValueAtTime(0.2, audio.currentTime + at);
      g.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + at + 0.2);
      o.connect(g).connect(audio.destination);
      o.start(audio.currentTime + at);
      o.stop(audio.currentTime + at + 0.2);
    });
  }
  document.addEventListener("pointerdown", function () { if (audio) audio.resume(); });

  function say(text) {
    if (live) { live.textContent = ""; live.textContent = text; }
    beep();
    if (window.Notification && Notification.permission === "granted") {
      try { new Notification(text, { tag: "okit", lang: document.documentElement.lang }); } catch (e) { /* not in this window */ }
    }
  }

  // The tab's icon: a red disc with the count, drawn here.
  function icon(n) {
    var link = document.querySelector('link[rel="icon"]');
    if (!link) { link = document.createElement("link"); link.rel = "icon"; document.head.appendChild(link); }
    var c = document.createElement("canvas");
    c.width = c.height = 32;
    var g = c.getContext("2d");
    g.fillStyle = n ? "#b00020" : "#555";
    g.beginPath(); g.arc(16, 16, 15, 0, 2 * Math.PI); g.fill();
    g.fillStyle = "#fff"; g.font = "bold 18px sans-serif"; g.textAlign = "center"; g.textBaseline = "middle";
    g.fillText(n ? (n > 99 ? "99" : String(n)) : "", 16, 17);
    link.href = c.toDataURL("image/png");
  }

  function banner(st) {
    var form = document.getElementById("alerts");
    if (!form || !st.alerts) return;
    var any = false;
    form.querySelectorAll("span[data-kind]").forEach(function (el) {
      var n = st.alerts[el.dataset.kind] || 0;
      el.hidden = !n;
      if (n) { any = true; el.textContent = el.dataset.say.replace("%d", n); }
    });
    form.hidden = !any;
    form.elements.upto.value = st.upto;
  }

  var pending = false;
  function look() {
    if (pending) return;
    pending = true;
    fetch("/alerts", { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        if (r.status === 401) { window.location.reload(); throw new Error("session ended"); }
        if (!r.ok) throw new Error("alerts: " + r.status);
        return r.json();
      })
      .then(function (st) {
        if (st.locked && !body.dataset.locked) {
          // Locked: the page goes, the lock page (from the server) comes.
          document.dispatchEvent(new Event("okit:locking"));
          window.location.reload();
          return;
        }
        var now = {}, fresh = [], n = 0;
        st.p1.concat(st.mine).forEach(function (id) {
          if (now[id]) return;
          now[id] = true;
          n++;
          if (seen && !seen[id]) fresh.push(id);
        });
        document.title = (n ? "(" + n + ") " : "") + title;
        icon(n);
        if (fresh.some(function (id) { return st.p1.indexOf(id) >= 0; })) say(body.dataset.notifyP1);
        else if (fresh.length) say(body.dataset.notifyMine);
        else if (upto !== null && st.upto > upto) say(body.dataset.notifyAlert);
        seen = now;
        upto = st.upto;
        // A quarter of an hour before the session's absolute end, a banner
        // (and once, the alert) says to log in again; drafts are kept.
        if (ending) {
          ending.hidden = st.ends_in > 900;
          if (!ending.hidden) {
            ending.textContent = ending.dataset.say.replace("%d", Math.max(1, Math.ceil(st.ends_in / 60)));
            if (!warned) say(ending.textContent);
            warned = true;
          }
        }
        sessionStorage.setItem("okit-alerts", JSON.stringify({ seen: seen, upto: upto, warned: warned }));
        banner(st);
      })
      .catch(function () {})
      .finally(function () { pending = false; });
  }

  // The desktop asks once whether okit may notify; the question waits for
  // a click, as browsers want.
  var ask = document.getElementById("notify-ask");
  if (ask && window.Notification && Notification.permission === "default") {
    ask.hidden = false;
    ask.querySelector("button").addEventListener("click", function () {
      Notification.requestPermission().finally(function () { ask.hidden = true; });
    });
  }

  // Every half minute, and soon after the console would lock if nobody
  // touched it since the page came.
  look();
  setInterval(look, Math.min(30000, 1000 * (Number(body.dataset.lockAfter) + 1)));
  if (!window.EventSource) return;
  var es = new EventSource(body.dataset.live);
  es.addEventListener("changed", function (e) {
    look();
    document.dispatchEvent(new CustomEvent("okit:changed", { detail: e.data ? e.data.split(",") : [] }));
  });
})();

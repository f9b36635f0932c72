// okit console, the case page: says who else is on the case (and tells
// okit that this person is, viewing or writing), keeps the answer being
// written as a sealed draft every few seconds and when the page is left,
// and warns before leaving words that were not saved.
"use strict";

(function () {
  var mark = document.getElementById("presence");
  if (!mark) return;
  var text = document.getElementById("text");
  var writing = false;

  function show(list) {
    mark.textContent = "";
    list.forEach(function (p) {
      var s = document.createElement("span");
      s.className = "flag";
      s.textContent = (p.writing ? mark.dataset.writing : mark.dataset.viewing).replace("%s", p.user);
      mark.appendChild(s);
      mark.appendChild(document.createTextNode(" "));
    });
  }

  function say(state) {
    var f = new FormData();
    f.set("state", state);
    if (state === "left") { navigator.sendBeacon(mark.dataset.url, f); return; }
    fetch(mark.dataset.url, { method: "POST", body: f, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (list) { if (list) show(list); })
      .catch(function () {});
  }
  function state() { return writing ? "writing" : "viewing"; }
  say(state());
  setInterval(function () { say(state()); }, 20000);
  document.addEventListener("okit:changed", function (e) {
    if (e.detail.indexOf(mark.dataset.case) >= 0) say(state());
  });

  if (!text || !text.dataset.draft) {
    window.addEventListener("pagehide", function () { say("left"); });
    return;
  }
  var saved = text.value;   // what okit holds as the draft
  var sending = false;
  function draft() {
    return new URLSearchParams({ text: text.value });
  }
  function save() {
    if (sending || text.value === saved) return;
    sending = true;
    var value = text.value;
    fetch(text.dataset.draft, { method: "POST", body: draft(), credentials: "same-origin" })
      .then(function (r) { if (r.ok) saved = value; unsaved(); })
      .catch(function () {})
      .finally(function () { sending = false; });
  }
  // The form is marked while it holds words okit does not.
  function unsaved() { text.classList.toggle("unsaved", text.value !== saved); }
  setInterval(save, 3000);
  text.addEventListener("input", function () {
    unsaved();
    var now = text.value.trim() !== "";
    if (now !== writing) { writing = now; say(state()); }
  });
  writing = text.value.trim() !== "";

  // Sending the answer is no leaving of it ("formdata" comes with any
  // submission, a script's too, where "submit" does not).
  var submitting = false;
  text.form.addEventListener("formdata", function () { submitting = true; });
  document.addEventListener("okit:locking", function () { submitting = true; });
  window.addEventListener("beforeunload", function (e) {
    if (submitting || text.value === saved) return;
    navigator.sendBeacon(text.dataset.draft, draft());
    e.preventDefault();
    e.returnValue = "";
  });
  window.addEventListener("pagehide", function () {
    if (!submitting && text.value !== saved) navigator.sendBeacon(text.dataset.draft, draft());
    say("left");
  });
})();

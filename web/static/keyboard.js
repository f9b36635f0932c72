// okit console: the keyboard. `?` shows the keys; j and k move in the
// queue or the search results and Enter opens the case; r goes to the
// answer; / to the search; g then q to the queue; a number inserts that
// saved answer into the answer; Ctrl+Enter sends the form being written;
// Esc leaves a text box. Keys are ignored while a text field has the
// focus, except Esc and Ctrl+Enter, so that typing is never taken.
"use strict";

(function () {
  var help = document.getElementById("keys-help");
  var pendingG = false;

  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName)) &&
      !/^(checkbox|radio|button|submit)$/.test(el.type);
  }

  // The list j and k move in: the queue's rows or the search results.
  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#rows tr[data-case]"));
  }

  // move selects the next (+1) or previous (-1) row and focuses its case
  // link, so that Enter opens it. The selection is by case: the live queue
  // keeps it when it replaces the rows (window.okitSelected).
  function move(step) {
    var list = rows();
    if (!list.length) return;
    var i = list.findIndex(function (tr) { return tr.dataset.case === window.okitSelected; });
    i = i < 0 ? (step > 0 ? 0 : list.length - 1) : Math.max(0, Math.min(list.length - 1, i + step));
    select(list[i]);
  }

  function select(tr) {
    document.querySelectorAll("#rows tr.selected").forEach(function (r) { r.classList.remove("selected"); });
    tr.classList.add("selected");
    window.okitSelected = tr.dataset.case;
    var a = tr.querySelector("a[href^='/cases/']");
    if (a) a.focus();
  }

  // After a live refresh (app.js), the selected case stays selected.
  document.addEventListener("okit:rows", function () {
    var tr = window.okitSelected && document.querySelector('#rows tr[data-case="' + window.okitSelected + '"]');
    if (tr) tr.classList.add("selected");
  });

  // insert puts a saved answer's text where the cursor is in the answer.
  function insert(id) {
    var text = document.getElementById("text");
    var src = document.getElementById(id);
    if (!text || !src) return;
    var at = text.selectionStart != null ? text.selectionStart : text.value.length;
    var end = text.selectionEnd != null ? text.selectionEnd : at;
    var add = src.textContent;
    text.value = text.value.slice(0, at) + add + text.value.slice(end);
    text.focus();
    text.setSelectionRange(at + add.length, at + add.length);
    text.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener("click", function (e) {
    if (e.target.id === "keys-open" && help) { help.showModal(); return; }
    var b = e.target.closest && e.target.closest("button.insert");
    if (b) { e.preventDefault(); insert(b.dataset.saved); }
  });

  // The saved answer of number n in the voice chosen.
  function savedKey(n) {
    var voice = document.querySelector('#answer input[name="voice"]:checked');
    var sel = 'button.insert[data-key="' + n + '"]';
    var b = voice ? document.querySelector('li[data-voice="' + voice.value + '"] ' + sel) : document.querySelector(sel);
    if (b) insert(b.dataset.saved);
    return !!b;
  }

  // The safe-channel confirmation names the address chosen.
  document.addEventListener("change", function (e) {
    if (e.target.name !== "to" || e.target.type !== "radio") return;
    var form = e.target.form;
    var addr = form && form.querySelector(".safe-addr");
    if (addr) addr.textContent = e.target.parentNode.textContent.trim();
  });

  document.addEventListener("keydown", function (e) {
    var el = document.activeElement;
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && el && el.form) {
      e.preventDefault();
      if (el.form.reportValidity()) el.form.requestSubmit();
      return;
    }
    if (e.key === "Escape" && typing(el)) {
      var send = el.form && el.form.querySelector("button[type=submit]");
      (send || document.body).focus();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || typing(el)) return;
    if (pendingG) {
      pendingG = false;
      if (e.key === "q") { e.preventDefault(); window.location.href = "/queue"; }
      return;
    }
    switch (e.key) {
      case "?":
        if (help) { e.preventDefault(); help.open ? help.close() : help.showModal(); }
        return;
      case "j": e.preventDefault(); move(1); return;
      case "k": e.preventDefault(); move(-1); return;
      case "g": pendingG = true; return;
      case "/":
        e.preventDefault();
        var q = document.getElementById("q");
        if (q) { q.focus(); q.select(); } else window.location.href = "/search";
        return;
      case "r":
        var text = document.getElementById("text");
        if (text) { e.preventDefault(); text.scrollIntoView({ block: "center" }); text.focus(); }
        return;
    }
    if (/^[1-9]$/.test(e.key) && document.getElementById("text")) {
      e.preventDefault();
      swallow = e.key; // the key's character must not follow it into the answer
      setTimeout(function () { swallow = null; }, 200);
      savedKey(e.key);
    }
  });
  var swallow = null;
  ["keypress", "beforeinput"].forEach(function (type) {
    document.addEventListener(type, function (e) {
      if (swallow !== null && (e.key === swallow || e.data === swallow)) { e.preventDefault(); swallow = null; }
    }, true);
  });

  // A table wider than a phone scrolls in its own box: it takes the focus,
  // so that it can be scrolled by keyboard too.
  function scrollable() {
    document.querySelectorAll("main table").forEach(function (t) {
      if (t.scrollWidth > t.clientWidth + 1) t.setAttribute("tabindex", "0");
      else t.removeAttribute("tabindex");
    });
  }
  scrollable();
  window.addEventListener("resize", scrollable);
})();

package main

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// notificationStub stands in for the browser's desktop notifications,
// allowed, keeping what they would have shown.
const notificationStub = `window.okitNotified = [];
window.Notification = function (title, opts) { window.okitNotified.push({ title: title, body: (opts && opts.body) || "" }); };
window.Notification.permission = "granted";
window.Notification.requestPermission = function () { return Promise.resolve("granted"); };`

// A night on the console: the operator's console locks while she waits,
// a P1 still reaches her (the tab's count, a desktop notification that
// names nobody), and her password opens it again.
func TestNightAlertsAndLockInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("runs okit and Chromium")
	}
	t.Parallel()
	s := newStage(t)
	s.person("anna", "operator", true)
	s.start("OKIT_ACKNOWLEDGE=off", "OKIT_SESSION_IDLE=4s")
	base := s.console()
	ctx := newBrowser(t)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: notificationStub}); err != nil {
		t.Fatal(err)
	}
	logIn(t, ctx, base, "anna", "anna jelszava 2026")
	must(t, ctx, "the queue", chromedp.Navigate(base+"/queue"), chromedp.WaitVisible(chromedp.CSS("#queue")))

	// Nobody touches the console: it locks by itself, hiding the queue.
	must(t, ctx, "the console locks", chromedp.WaitVisible(chromedp.CSS("#lock")))
	if n := get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#queue").length`)); n != 0 {
		t.Error("the locked console still shows the queue")
	}

	// A P1 arrives: the locked console counts it and notifies, with words
	// that name nobody and say nothing of the mail.
	secret := "Kést fogott rám"
	s.deliver(letter("night-p1@example.test", "Edit Kovács <edit@example.test>", "Segítség, ma éjjel",
		"A férjem azt mondta, ma este megöl. "+secret+". Most a szomszédnál vagyok."), time.Now())
	s.wait("the P1 case", func() bool { return s.count(`SELECT count(*) FROM cases WHERE priority = 1`) == 1 })
	notified := get(t, ctx, chromedp.Poll[[]map[string]string](`window.okitNotified.length > 0 && window.okitNotified`,
		chromedp.WithPollingTimeout(30*time.Second)))
	if len(notified) != 1 || notified[0]["title"] != "Új sürgős ügy (P1)" || notified[0]["body"] != "" {
		t.Errorf("notifications %v, want one: Új sürgős ügy (P1)", notified)
	}
	if title := get(t, ctx, chromedp.Title()); !strings.HasPrefix(title, "(1) ") {
		t.Errorf("the tab's title %q does not count the P1", title)
	}
	if said := get(t, ctx, chromedp.Text(chromedp.CSS("#alert-live"))); said != "Új sürgős ügy (P1)" {
		t.Errorf("the screen reader was told %q", said)
	}
	if text := get(t, ctx, chromedp.Text(chromedp.CSS("body"))); strings.Contains(text, "Edit") || strings.Contains(text, secret) {
		t.Errorf("the locked console shows the mail:\n%s", text)
	}

	// Her password opens it again, on the queue with the P1.
	must(t, ctx, "unlock", chromedp.SendKeys(chromedp.CSS("#password"), "anna jelszava 2026"), chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("#queue")))
	if n := get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#rows tr.p1").length`)); n != 1 {
		t.Errorf("after unlocking the queue shows %d P1 rows, want 1", n)
	}
	if n := s.count(`SELECT count(*) FROM case_events WHERE kind = 'console_unlocked' AND actor = 'user:anna'`); n != 1 {
		t.Errorf("%d unlocks recorded, want 1", n)
	}

	// Ten minutes before the session's absolute end the page warns (the
	// locked one too, as it will be in a moment), and announces it once,
	// in words about the session only.
	s.count(`WITH aged AS (UPDATE sessions SET created_at = created_at - interval '11 hours 50 minutes' RETURNING 1) SELECT count(*) FROM aged`)
	must(t, ctx, "the session's end is announced", chromedp.WaitVisible(chromedp.CSS("#lock")), chromedp.WaitVisible(chromedp.CSS("#session-ending")))
	if said := get(t, ctx, chromedp.Text(chromedp.CSS("#session-ending"))); !strings.HasPrefix(said, "A munkamenet 10 perc múlva lejár") {
		t.Errorf("the warning says %q", said)
	}
	if !get(t, ctx, chromedp.Evaluate[bool](`JSON.parse(sessionStorage.getItem("okit-alerts")).warned === true`)) {
		t.Error("the session's end was not announced")
	}
}

// console waits for the stage's console to answer, and returns its address.
func (s *stage) console() string {
	s.t.Helper()
	base := "http://" + s.addr
	s.wait("the console", func() bool {
		resp, err := http.Get(base + "/login")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return base
}

// Two operators on one case, in two browsers: each sees the other there,
// live; the second answer minutes after the first asks for confirmation,
// showing the first; and an answer being written survives a reload.
func TestTwoOperatorsInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("runs okit and Chromium")
	}
	t.Parallel()
	s := newStage(t)
	s.person("anna", "operator", true)
	s.person("bea", "operator", false)
	s.start("OKIT_ACKNOWLEDGE=off")
	base := s.console()
	s.deliver(letter("two-1@example.test", "Dóra <dora@example.test>", "Kérdés", "Hova fordulhatok, ha a párom fenyeget?"), time.Now())
	s.deliver(letter("two-2@example.test", "Réka <reka@example.test>", "Másik kérdés", "Meddig lehet maradni egy krízisotthonban?"), time.Now())
	s.wait("two cases", func() bool { return s.count(`SELECT count(*) FROM cases`) == 2 })
	ref, other := s.caseOf("two-1@example.test"), s.caseOf("two-2@example.test")

	anna, bea := newBrowser(t), newBrowser(t)
	logIn(t, anna, base, "anna", "anna jelszava 2026")
	logIn(t, bea, base, "bea", "bea jelszava 2026")
	must(t, anna, "anna opens the case", chromedp.Navigate(base+"/cases/"+ref), chromedp.WaitVisible(chromedp.CSS("#text")))
	must(t, bea, "bea opens the case", chromedp.Navigate(base+"/cases/"+ref), chromedp.WaitVisible(chromedp.CSS("#text")))
	presence := func(ctx context.Context, want string) {
		t.Helper()
		js := `document.getElementById("presence").textContent.includes(` + strconv.Quote(want) + `)`
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
			t.Fatalf("the case page does not say %q: %v (it says %q)", want, err,
				get(t, ctx, chromedp.Text(chromedp.CSS("#presence"))))
		}
	}
	presence(anna, "bea nézi")
	presence(bea, "anna nézi")

	// Anna writes: bea sees that she is, not what.
	words := "Kérem, hívja a 112-t, ha veszélyben van."
	must(t, anna, "anna writes", chromedp.SendKeys(chromedp.CSS("#text"), words))
	presence(bea, "anna választ ír")
	if strings.Contains(get(t, bea, chromedp.Text(chromedp.CSS("body"))), words) {
		t.Error("bea's page shows anna's words")
	}
	must(t, anna, "anna answers", chromedp.Submit(chromedp.CSS("#text")), chromedp.WaitVisible(chromedp.CSS("p.notice")))

	// Bea answers too, seconds later: she is shown anna's answer and asked.
	must(t, bea, "bea writes", chromedp.SendKeys(chromedp.CSS("#text"), "Bea külön válasza."))
	if get(t, bea, chromedp.Evaluate[bool](`document.querySelector('input[name="take_over"]') !== null`)) {
		must(t, bea, "bea takes over", chromedp.Click(chromedp.CSS(`input[name="take_over"]`)))
	}
	must(t, bea, "bea answers", chromedp.Submit(chromedp.CSS("#text")), chromedp.WaitVisible(chromedp.CSS("#recent-answer")))
	if shown := get(t, bea, chromedp.Text(chromedp.CSS("#recent-answer"))); !strings.Contains(shown, words) || !strings.Contains(shown, "anna") {
		t.Errorf("the confirmation shows %q, not anna's answer", shown)
	}
	if v := get(t, bea, chromedp.Value(chromedp.CSS("#text"))); v != "Bea külön válasza." {
		t.Errorf("bea's words in the form after the question: %q", v)
	}
	if n := s.count(`SELECT count(*) FROM outgoing WHERE actor = 'user:bea'`); n != 0 {
		t.Fatal("bea's answer went without her confirmation")
	}
	if get(t, bea, chromedp.Evaluate[bool](`document.querySelector('input[name="take_over"]') !== null`)) {
		must(t, bea, "bea takes over", chromedp.Click(chromedp.CSS(`input[name="take_over"]`)))
	}
	must(t, bea, "bea confirms", chromedp.Click(chromedp.CSS(`input[name="confirm_recent"]`)), chromedp.Submit(chromedp.CSS("#text")),
		chromedp.WaitVisible(chromedp.CSS("p.notice")))
	if n := s.count(`SELECT count(*) FROM outgoing WHERE actor = 'user:bea'`); n != 1 {
		t.Errorf("%d answers of bea's queued after she confirmed, want 1", n)
	}

	// A draft on the other case survives a reload, sealed meanwhile.
	draft := "Ez még csak piszkozat a krízisotthonról."
	must(t, anna, "anna drafts", chromedp.Navigate(base+"/cases/"+other), chromedp.WaitVisible(chromedp.CSS("#text")),
		chromedp.SendKeys(chromedp.CSS("#text"), draft))
	s.wait("the draft saved", func() bool { return s.count(`SELECT count(*) FROM drafts`) == 1 })
	get(t, anna, chromedp.Poll[bool](`document.querySelector("#text.unsaved") === null`, chromedp.WithPollingTimeout(20*time.Second)))
	must(t, anna, "reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#text")))
	if v := get(t, anna, chromedp.Value(chromedp.CSS("#text"))); v != draft {
		t.Errorf("after a reload the answer form holds %q, want the draft", v)
	}
	if n := s.count(`SELECT count(*) FROM case_events WHERE kind = 'draft_decrypted' AND actor = 'user:anna'`); n < 1 {
		t.Error("the draft's decryption is not recorded")
	}
	s.noPlaintext(draft, words)
}

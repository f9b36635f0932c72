package main

import (
	"net/http"
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
	for _, c := range []struct {
		stdin string
		args  []string
	}{
		{"", []string{"users", "add", "anna", "--role", "operator"}},
		{"anna jelszava 2026\n", []string{"users", "password", "anna"}},
		{"", []string{"shift", "start", "anna"}},
	} {
		if out, errs, code := s.okit(c.stdin, c.args...); code != 0 {
			t.Fatalf("okit %v: %d\n%s%s", c.args, code, out, errs)
		}
	}
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

package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ncsszi/okit/seal"
	"github.com/ncsszi/okit/storage/storagetest"
)

// A night shift in a real okit serve and Chromium (issue 16, part B): a
// close asks for an outcome; a verified writer's new case links her
// earlier one, a forged From with her address links nothing; a case with
// a message sealed with another key still shows, and works; a supervisor
// sees the shift, the P1 waiting and a new one arriving live on the page
// of the present; ending the shift shows what it hands over and asks.
func TestNightShiftInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("runs okit and Chromium")
	}
	t.Parallel()
	s := newStage(t)
	s.person("anna", "operator", true)
	s.person("vera", "supervisor", false)
	// Any close is long enough ago for a new case: the reopening is
	// storage's test (TestReturningWriter); this one is about the links.
	s.start("OKIT_ACKNOWLEDGE=off", "OKIT_REOPEN_WITHIN=1ms")
	base := "http://" + s.addr
	db := context.Background()
	flora := "Flóra <flora@example.hu>"
	s.deliver(letter("flora-1@example.hu", flora, "segitseg", "A párom ma este megfenyegetett, hogy megöl. Félek.", verified("example.hu")), time.Now())
	s.stored(1)
	first := s.caseOf("flora-1@example.hu")

	ctx := newBrowser(t)
	logIn(t, ctx, base, "anna", "anna jelszava 2026")

	// Closing asks how the case ended: without an answer the browser does
	// not send the form; with one, the close event records it.
	must(t, ctx, "open the first case", chromedp.Navigate(base+"/cases/"+first), chromedp.WaitVisible(chromedp.CSS("#close")))
	if get(t, ctx, chromedp.Evaluate[bool](`document.querySelector("#close").checkValidity()`)) {
		t.Error("the close form can be sent without an outcome")
	}
	must(t, ctx, "close without an outcome", chromedp.Click(chromedp.CSS("#close button")), chromedp.Sleep(500*time.Millisecond))
	if n := s.count(`SELECT count(*) FROM cases WHERE ref = $1 AND status = 'open'`, first); n != 1 {
		t.Fatal("the case closed without an outcome")
	}
	must(t, ctx, "close as answered by phone", chromedp.Click(chromedp.CSS(`#close input[value="answered_phone"]`)),
		chromedp.Click(chromedp.CSS("#close button")), chromedp.WaitVisible(chromedp.CSS("p.notice")))
	if n := s.count(`SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.ref = $1 AND e.kind = 'case_closed'
		AND e.data->>'outcome' = 'answered_phone' AND e.actor = 'user:anna'`, first); n != 1 {
		t.Errorf("%d close events with the outcome, want 1", n)
	}

	// Someone writes with her address, unverified: a case of its own,
	// linking nothing, her case staying closed.
	s.deliver(letter("forged-1@example.net", flora, "szia", "Irj vissza, hol vagy most?", forged("example.hu")), time.Now())
	s.stored(2)
	fake := s.caseOf("forged-1@example.net")
	if fake == first || s.count(`SELECT count(*) FROM cases WHERE ref = $1 AND status = 'closed'`, first) != 1 {
		t.Fatalf("a forged From went to her case or reopened it (%s, %s)", fake, first)
	}
	must(t, ctx, "open the forged From's case", chromedp.Navigate(base+"/cases/"+fake), chromedp.WaitVisible(chromedp.CSS("pre.body")))
	if get(t, ctx, chromedp.Evaluate[bool](`document.getElementById("history") !== null`)) {
		t.Errorf("the forged From's case links a history: %s", get(t, ctx, chromedp.Text(chromedp.CSS("#history"))))
	}

	// She writes again, verified: her new case links the first, not the fake.
	s.deliver(letter("flora-2@example.hu", flora, "ujra", "Megint fenyeget, kést fogott rám. Most a szomszédnál vagyok.", verified("example.hu")), time.Now())
	s.stored(3)
	second := s.caseOf("flora-2@example.hu")
	if second == first {
		t.Fatal("with OKIT_REOPEN_WITHIN=1ms her mail reopened the first case")
	}
	must(t, ctx, "open her new case", chromedp.Navigate(base+"/cases/"+second), chromedp.WaitVisible(chromedp.CSS("#history")))
	links := get(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#history a")].map(a => a.textContent)`))
	if len(links) != 1 || links[0] != first {
		t.Errorf("her new case links %v, want [%s]", links, first)
	}
	must(t, ctx, "follow the link", chromedp.Click(chromedp.CSS("#history a")), chromedp.WaitVisible(chromedp.CSS("#history")))
	if h := get(t, ctx, chromedp.Text(chromedp.CSS("h1"))); !strings.Contains(h, first) {
		t.Errorf("the history link led to %q", h)
	}

	// A message sealed with another key joins her case (a restored
	// backup, a key rotated wrongly): the page still shows the rest.
	other, err := seal.GenerateKeys(filepath.Join(t.TempDir(), "other"), seal.Curve25519, "other", "other@example.test", []byte("another passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	opener, err := seal.LoadOpener(other.Private, []byte("another passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := opener.Sealer().SealTogether([]byte("From: x@example.test\r\n\r\nmas kulcs"), []byte(`{"subject":"mas kulcs"}`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = storagetest.Pool(s.st).Exec(db, `INSERT INTO messages (case_id, direction, raw_sealed, summary_sealed, raw_digest, sender_digest, size,
		internal_date, parse_status, priority) SELECT id, 'in', $2, $3, 'another key', 'another key', 10, now(), 'ok', 2 FROM cases WHERE ref = $1`,
		second, sealed[0], sealed[1])
	if err != nil {
		t.Fatal(err)
	}
	must(t, ctx, "open the case with an unopenable message", chromedp.Navigate(base+"/cases/"+second),
		chromedp.WaitVisible(chromedp.CSS(".unopenable")))
	if body := get(t, ctx, chromedp.Text(chromedp.CSS("section.thread"))); !strings.Contains(body, "kést fogott rám") ||
		!strings.Contains(body, "nem nyitható meg") {
		t.Errorf("the thread does not show her message beside the unopenable one:\n%s", body)
	}
	must(t, ctx, "a note on it still works", chromedp.SendKeys(chromedp.CSS("#note"), "Visszahívást kért."),
		chromedp.Submit(chromedp.CSS("#note")), chromedp.WaitVisible(chromedp.CSS("p.notice")))
	if n := get(t, ctx, chromedp.Text(chromedp.CSS("p.notice"))); strings.Contains(n, "Nem") {
		t.Errorf("adding a note: %s", n)
	}

	// The supervisor's page of the present: anna on shift, the P1 waiting,
	// and a new P1 appearing without a reload.
	sup := newBrowser(t)
	logIn(t, sup, base, "vera", "vera jelszava 2026")
	must(t, sup, "the page of the present", chromedp.Navigate(base+"/now"), chromedp.WaitVisible(chromedp.CSS("#shift")))
	// Read in one step: the live page may replace its tables at any moment.
	text := func(sel string) string {
		return get(t, sup, chromedp.Evaluate[string](`document.querySelector("`+sel+`").textContent`))
	}
	if shift := text("#shift"); !strings.Contains(shift, "anna") {
		t.Errorf("the shift table does not name anna:\n%s", shift)
	}
	if urgent := text("#urgent"); !strings.Contains(urgent, second) {
		t.Errorf("the P1 %s is not among those waiting:\n%s", second, urgent)
	}
	get(t, sup, chromedp.Evaluate[int](`window.okitTestMark = 1`))
	s.deliver(letter("edit-1@example.org", "Edit <edit@example.org>", "segitseg", "Ma éjjel megöl, kést fogott rám.", verified("example.org")), time.Now())
	s.stored(5) // with the one sealed with another key
	edit := s.caseOf("edit-1@example.org")
	get(t, sup, chromedp.Poll[bool](`document.querySelector('#urgent a[href="/cases/`+edit+`"]') !== null && window.okitTestMark === 1`,
		chromedp.WithPollingTimeout(20*time.Second)))

	// Ending the shift names the cases it hands over and asks first.
	must(t, ctx, "end of shift", chromedp.Navigate(base+"/queue"), chromedp.WaitVisible(chromedp.CSS("a#end-shift")),
		chromedp.Click(chromedp.CSS("a#end-shift")), chromedp.WaitVisible(chromedp.CSS("#hand-over")))
	handed := get(t, ctx, chromedp.Text(chromedp.CSS("#hand-over")))
	for _, ref := range []string{second, edit} {
		if !strings.Contains(handed, ref) {
			t.Errorf("the end of shift does not name %s:\n%s", ref, handed)
		}
	}
	if n := s.count(`SELECT count(*) FROM users WHERE username = 'anna' AND on_shift`); n != 1 {
		t.Fatal("asking ended the shift")
	}
	must(t, ctx, "confirm the end of shift", chromedp.Click(chromedp.CSS("#end-shift button")), chromedp.WaitVisible(chromedp.CSS("p.notice")))
	if n := s.count(`SELECT count(*) FROM users WHERE username = 'anna' AND on_shift`); n != 0 {
		t.Error("the confirmed end of shift left anna on shift")
	}
	get(t, sup, chromedp.Poll[bool](`document.querySelector("#shift").textContent.indexOf("anna") < 0`, chromedp.WithPollingTimeout(40*time.Second)))
}

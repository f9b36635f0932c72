package main

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"io"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/mail"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/ncsszi/okit/storage/storagetest"
)

// newBrowser starts a headless Chromium for the test (`make test`
// installs Debian's chromium when it is missing).
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed: run `make test`, which installs it (deploy/testdeps.sh)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.WindowSize(1280, 900), chromedp.UserDataDir(t.TempDir()))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 10*time.Minute)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

func must(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	start := time.Now()
	defer func() { t.Logf("%s: %v", what, time.Since(start).Round(time.Millisecond)) }()
	if err := chromedp.Do(ctx, steps...); err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		body, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
		t.Fatalf("%s: %v\nat %s:\n%.2000s", what, err, loc, body)
	}
}

func get[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// An operator and a supervisor at work in the console of a real okit
// serve, in a real Chromium: logging in with and without a second factor,
// the queue's order and live arrivals, a case opened (and recorded), an
// answer and a crisis-home contact reaching the mail sink, scripts in mail
// staying text, a cross-origin form refused, an idle console locked, an expired session sent to
// login, and an operator kept out of supervisors' pages.
func TestConsoleInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("runs okit and Chromium")
	}
	t.Parallel()
	bin := buildOkit(t)
	mbox := startMailbox(t)
	sink := startSink(t)
	env := okitEnv(t, bin, mbox)
	vars := envMap(env)
	for _, c := range []struct {
		stdin string
		args  []string
	}{
		{"", []string{"users", "add", "anna", "--role", "operator", "--languages", "hu,en"}},
		{"anna jelszava 2026\n", []string{"users", "password", "anna"}},
		{"", []string{"users", "add", "vera", "--role", "supervisor"}},
		{"vera jelszava 2026\n", []string{"users", "password", "vera"}},
		{"", []string{"shift", "start", "anna"}},
		{"", []string{"shelters", "add", "Tisza", "--region", "Csongrád", "--phone", "+36 62 555 0101", "--places", "2"}},
	} {
		if out, errs, code := runIn(t, vars, c.stdin, c.args...); code != 0 {
			t.Fatalf("okit %v: %d\n%s%s", c.args, code, out, errs)
		}
	}
	msg := func(id, from, subject, body string) []byte {
		return []byte("From: " + from + "\r\nTo: okit@ncsszi.hu\r\nSubject: " + subject + "\r\nMessage-ID: <" + id +
			">\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n")
	}
	mbox.Deliver(msg("info-1@example.test", "Kata <kata@example.test>", "Kérdés a válásról",
		"Szeretnék tájékoztatást kérni arról, hogyan lehet elválni, ha a férjem nem akar."), time.Now())
	mbox.Deliver(msg("danger-1@example.test", "Edit <edit@example.test>", "Segítség, ma éjjel",
		"A férjem azt mondta, ma este megöl. Kést fogott rám. Most a szomszédnál vagyok a gyerekekkel."), time.Now())
	mbox.Deliver(msg("xss-1@example.test", "<script>document.title='pwned'</script> <x@example.test>",
		"<img src=x onerror=\"document.title='pwned'\">", "Szia <script>document.title='pwned'</script> segitseg kellene"), time.Now())
	// Operators may be let in without a second factor (a warning at
	// start): this test logs in both ways. Enrolling is find_test's.
	_, addr, _, logs := startServe(t, bin, env, "OKIT_SMTP_ADDR="+sink.Addr, "OKIT_SMTP_TLS=none", "OKIT_FROM=okit@ncsszi.hu",
		"OKIT_ACKNOWLEDGE=off", "OKIT_TOTP_OPERATORS=false")
	base := "http://" + addr
	st := storagetest.Open(t, vars["OKIT_MIGRATE_DATABASE_URL"], false, time.Now)
	db := context.Background()
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); !ok(); time.Sleep(100 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("waited 30s for %s\nlog:\n%s", what, logs())
			}
		}
	}
	count := func(q string, args ...any) int {
		var n int
		if err := storagetest.Pool(st).QueryRow(db, q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	waitFor("3 cases", func() bool { return count(`SELECT count(*) FROM cases`) == 3 })
	ctx := newBrowser(t)
	must(t, ctx, "log in as anna", chromedp.Navigate(base+"/queue"), chromedp.WaitVisible(chromedp.CSS("#username")))
	must(t, ctx, "log in as anna",
		chromedp.SendKeys(chromedp.CSS("#username"), "anna"), chromedp.SendKeys(chromedp.CSS("#password"), "anna jelszava 2026"),
		chromedp.Submit(chromedp.CSS("#password")), chromedp.WaitVisible(chromedp.CSS("#queue")))
	prios := get(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#rows tr[data-case] .prio")].map(e => e.textContent)`))
	if len(prios) != 3 || prios[0] != "P1" {
		t.Fatalf("queue priorities %v, want 3 rows with the P1 first", prios)
	}
	if title := get(t, ctx, chromedp.Title()); title == "pwned" {
		t.Fatal("a script in a mail ran in the queue")
	}
	// textContent, not the rendered text: the live queue may be replacing
	// its rows at this moment.
	if subj := get(t, ctx, chromedp.Evaluate[string](`document.getElementById("rows").textContent`)); !strings.Contains(subj, "<img src=x") {
		t.Errorf("the queue does not show a mail's markup as text:\n%s", subj)
	}

	// A new mail appears without a reload, marked.
	get(t, ctx, chromedp.Evaluate[int](`window.okitTestMark = 1`))
	mbox.Deliver(msg("new-1@example.test", "Lili <lili@example.test>", "Újabb levél", "Kérdésem lenne a gyerekelhelyezésről."), time.Now())
	get(t, ctx, chromedp.Poll[bool](`document.querySelectorAll("#rows tr[data-case]").length == 4 &&
		document.querySelector("#rows tr.fresh") !== null && window.okitTestMark === 1`, chromedp.WithPollingTimeout(20*time.Second)))

	// Opening a case is recorded before anything is shown.
	var ref string
	storagetest.Pool(st).QueryRow(db, `SELECT ref FROM cases WHERE priority = 1`).Scan(&ref)
	// By the link's address: the live queue may replace its rows (and so
	// the link) at any moment, and a click can miss it.
	if !get(t, ctx, chromedp.Evaluate[bool](`document.querySelector('#rows a[href="/cases/`+ref+`"]') !== null`)) {
		t.Fatalf("the queue has no link to %s", ref)
	}
	must(t, ctx, "open the P1 case", chromedp.Navigate(base+"/cases/"+ref), chromedp.WaitVisible(chromedp.CSS("pre.body")))
	if body := get(t, ctx, chromedp.Text(chromedp.CSS("pre.body"))); !strings.Contains(body, "Kést fogott rám") {
		t.Errorf("case page body: %q", body)
	}
	if n := count(`SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.ref = $1 AND e.kind = 'case_viewed' AND e.actor = 'user:anna'`, ref); n != 1 {
		t.Errorf("%d case_viewed events for anna, want 1", n)
	}

	// An answer in her own words, and a crisis home's phone, reach the writer.
	words := "Kérem, maradjon a szomszédnál, és hívja a 112-t, ha a férje odamegy."
	frame := get(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#answer pre.frame[data-voice="formal"]')].map(e => e.textContent)`))
	must(t, ctx, "answer", chromedp.SendKeys(chromedp.CSS("#text"), words), chromedp.Submit(chromedp.CSS("#text")),
		chromedp.WaitVisible(chromedp.CSS("p.notice")))
	must(t, ctx, "send a crisis home", chromedp.SetValue(chromedp.CSS("#shelter"), "Tisza"), chromedp.Submit(chromedp.CSS("#shelter")),
		chromedp.WaitVisible(chromedp.CSS("p.notice")))
	waitFor("two mails to edit", func() bool { return len(sink.Deliveries()) >= 2 })
	var bodies []string
	for _, d := range sink.Deliveries() {
		m, err := mail.ReadMessage(bytes.NewReader(d.Data))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(quotedprintable.NewReader(m.Body))
		if d.To[0] != "edit@example.test" {
			t.Errorf("mail to %v", d.To)
		}
		bodies = append(bodies, string(b))
	}
	all := strings.Join(bodies, "\n")
	if !strings.Contains(all, words) || !strings.Contains(all, "+36 62 555 0101") {
		t.Errorf("the writer's mail lacks the answer or the crisis home's phone:\n%s", all)
	}
	// The form showed the mail as it was sent: the template around the words.
	flat := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	if len(frame) != 2 || !strings.Contains(flat(all), flat(frame[0])+" "+flat(words)+" "+flat(frame[1])) {
		t.Errorf("the answer sent is not the one the form showed:\nform: %q\nsent:\n%s", frame, all)
	}

	// A stranger replies to Edit's message: a case of his own, possibly
	// related to hers. Its answer form shows whom an answer would reach.
	mbox.Deliver([]byte("From: Idegen <idegen@example.test>\r\nTo: okit@ncsszi.hu\r\nSubject: Re: Segítség\r\n"+
		"Message-ID: <stranger-1@example.test>\r\nIn-Reply-To: <danger-1@example.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHol vagy?\r\n"), time.Now())
	waitFor("the stranger's case", func() bool { return count(`SELECT count(*) FROM cases`) == 5 })
	var strangers string
	var strangerMsg int64
	storagetest.Pool(st).QueryRow(db, `SELECT c.ref, m.id FROM cases c JOIN messages m ON m.case_id = c.id ORDER BY c.id DESC LIMIT 1`).Scan(&strangers, &strangerMsg)
	must(t, ctx, "open the stranger's case", chromedp.Navigate(base+"/cases/"+strangers), chromedp.WaitVisible(chromedp.CSS("#related")))
	if related := get(t, ctx, chromedp.Text(chromedp.CSS("#related"))); !strings.Contains(related, ref) {
		t.Errorf("the stranger's case does not name Edit's %s as possibly related: %q", ref, related)
	}
	if to := get(t, ctx, chromedp.Text(chromedp.CSS("#answer fieldset.to"))); !strings.Contains(to, "idegen@example.test") || strings.Contains(to, "edit@") {
		t.Errorf("the stranger's answer form shows the address %q", to)
	}
	// at waits for the browser to arrive at a case page (edit: Edit's, or
	// another) showing a notice.
	at := func(what string, edit bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			loc, err := chromedp.Run(ctx, chromedp.Location())
			if u, perr := url.Parse(loc); err == nil && perr == nil && strings.HasPrefix(u.Path, "/cases/") && (u.Path == "/cases/"+ref) == edit {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: the browser is at %s", what, loc)
			}
		}
		must(t, ctx, what, chromedp.WaitVisible(chromedp.CSS("p.notice")))
	}
	// The operator merges it into Edit's case (the form offers it), then
	// undoes that from the history, merges back, and splits it out by
	// ticking the message: each a button, each an event on both cases.
	must(t, ctx, "merge", chromedp.Click(chromedp.CSS("#merge button")))
	at("merged into Edit's case", true)
	must(t, ctx, "undo the merge", chromedp.Click(chromedp.CSS("form.undo button")))
	at("split out again", false)
	must(t, ctx, "merge back", chromedp.Click(chromedp.CSS("form.undo button")))
	at("merged back", true)
	must(t, ctx, "tick and split", chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="message"][value="%d"]`, strangerMsg))),
		chromedp.Click(chromedp.CSS("#split button")))
	at("split by ticking", false)
	var where string
	storagetest.Pool(st).QueryRow(db, `SELECT c.ref FROM messages m JOIN cases c ON c.id = m.case_id WHERE m.id = $1`, strangerMsg).Scan(&where)
	if loc, _ := url.Parse(get(t, ctx, chromedp.Location())); loc.Path != "/cases/"+where || where == ref || where == strangers {
		t.Errorf("after the split the stranger's message is in %s, the page at %s", where, loc)
	}
	if n := count(`SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.ref = $1 AND e.kind IN ('case_merged', 'case_split')
		AND e.actor = 'user:anna'`, ref); n != 4 {
		t.Errorf("%d merge and split events on Edit's case, want 4", n)
	}
	if n := count(`SELECT count(*) FROM messages m JOIN cases c ON c.id = m.case_id WHERE c.ref = $1 AND m.direction = 'in'`, ref); n != 1 {
		t.Errorf("Edit's case holds %d incoming messages, want her one", n)
	}

	// The script-bearing case renders as text.
	rows, _ := storagetest.Pool(st).Query(db, `SELECT ref FROM cases`)
	refs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range refs {
		must(t, ctx, "open "+r, chromedp.Navigate(base+"/cases/"+r), chromedp.WaitVisible(chromedp.CSS("h1")))
		if title := get(t, ctx, chromedp.Title()); title == "pwned" {
			t.Fatalf("a script in a mail ran on the page of %s", r)
		}
	}

	// An operator is kept out of supervisors' pages.
	must(t, ctx, "audit as operator", chromedp.Navigate(base+"/audit"), chromedp.WaitVisible(chromedp.CSS("p.notice.bad")))

	// A form on another site cannot act in the console.
	evil := httpOn(t, "localhost", fmt.Sprintf(`<form id="f" method="post" action="%s/cases/%s/close"><input name="outcome" value="duplicate"></form>
		<script>document.getElementById("f").submit()</script>`, base, ref))
	must(t, ctx, "cross-origin post", chromedp.Navigate(evil), chromedp.WaitVisible(chromedp.CSS("p.notice.bad")))
	if n := count(`SELECT count(*) FROM cases WHERE ref = $1 AND status = 'open'`, ref); n != 1 {
		t.Error("a cross-origin POST closed the case")
	}

	// A session idle past its time locks; past the absolute limit, it
	// sends the person to login.
	storagetest.Pool(st).Exec(db, `UPDATE sessions SET seen_at = seen_at - interval '2 hours'`)
	must(t, ctx, "idle session", chromedp.Navigate(base+"/queue"), chromedp.WaitVisible(chromedp.CSS("#lock")))
	if n := get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#rows, pre.body").length`)); n != 0 {
		t.Error("a locked console shows cases")
	}
	storagetest.Pool(st).Exec(db, `UPDATE sessions SET created_at = created_at - interval '13 hours'`)
	must(t, ctx, "expired session", chromedp.Navigate(base+"/queue"), chromedp.WaitVisible(chromedp.CSS("#username")))
	if loc := get(t, ctx, chromedp.Location()); !strings.Contains(loc, "/login") {
		t.Errorf("an expired session went to %s", loc)
	}

	// The supervisor enrols a second factor by scanning the QR code as
	// the browser shows it, then logs in with it.
	sup := newBrowser(t)
	must(t, sup, "log in as vera", chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(chromedp.CSS("#username"), "vera"), chromedp.SendKeys(chromedp.CSS("#password"), "vera jelszava 2026"),
		chromedp.Submit(chromedp.CSS("#password")), chromedp.WaitVisible(chromedp.CSS("#totp-secret")))
	for deadline := time.Now().Add(30 * time.Second); !get(t, sup, chromedp.Evaluate[bool](`document.querySelector("#totp-qr").complete &&
		document.querySelector("#totp-qr").naturalWidth > 0`)); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the enrol page's QR code did not load")
		}
	}
	secret := scanTOTP(t, get(t, sup, chromedp.Screenshot(chromedp.CSS("#totp-qr"))), "vera")
	if typed := get(t, sup, chromedp.Text(chromedp.CSS("#totp-secret"))); typed != secret {
		t.Errorf("the QR code holds the key %q, the page shows %q", secret, typed)
	}
	code := func(at time.Time) string {
		c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	enrolled := code(time.Now())
	must(t, sup, "enrol", chromedp.SendKeys(chromedp.CSS("#code"), enrolled), chromedp.Submit(chromedp.CSS("#code")),
		chromedp.WaitVisible(chromedp.CSS("#queue")))
	must(t, sup, "log out and in again", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), "vera"), chromedp.SendKeys(chromedp.CSS("#password"), "vera jelszava 2026"),
		chromedp.Submit(chromedp.CSS("#password")), chromedp.WaitVisible(chromedp.CSS("#code")))
	// The code just used at enrolment is refused; the next one works.
	must(t, sup, "reused code", chromedp.SendKeys(chromedp.CSS("#code"), enrolled), chromedp.Submit(chromedp.CSS("#code")),
		chromedp.WaitVisible(chromedp.CSS("p.notice.bad")))
	must(t, sup, "second factor", chromedp.SendKeys(chromedp.CSS("#code"), code(time.Now().Add(30*time.Second))),
		chromedp.Submit(chromedp.CSS("#code")), chromedp.WaitVisible(chromedp.CSS("#queue")))
	must(t, sup, "audit trail", chromedp.Navigate(base+"/audit?case="+ref), chromedp.WaitVisible(chromedp.CSS("table.audit")))
	if trail := get(t, sup, chromedp.Text(chromedp.CSS("table.audit"))); !strings.Contains(trail, "anna") {
		t.Errorf("the audit trail of %s does not name anna:\n%s", ref, trail)
	}
	must(t, sup, "dashboard", chromedp.Navigate(base+"/dashboard"), chromedp.WaitVisible(chromedp.CSS("svg.chart")))
	if p1 := get(t, sup, chromedp.Text(chromedp.CSS(`tr[data-priority="P1"]`))); !strings.Contains(p1, "1/1") {
		t.Errorf("the dashboard's P1 row does not show the one answer within target: %q", p1)
	}
	if ops := get(t, sup, chromedp.Text(chromedp.CSS(`tr[data-operator="anna"] td.sent`))); ops != "2" {
		t.Errorf("the dashboard shows %q answers by anna, want 2", ops)
	}
}

// httpOn serves one HTML page on a loopback port under host (another
// site than the console's 127.0.0.1) and returns its address.
func httpOn(t *testing.T, host, html string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, html)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return "http://" + host + ":" + port + "/"
}

// scanTOTP reads a screenshot of a QR code as an authenticator app does:
// the otpauth address of user's key at OKIT, whose secret it returns.
// gozxing (a Go port of ZXing) is the decoder, used only by tests: the
// product draws QR codes (pquerna/otp) and never reads them.
func scanTOTP(t *testing.T, shot []byte, user string) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("the screenshot of the QR code: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("the QR code as shown does not decode: %v", err)
	}
	key, err := otp.NewKeyFromURL(res.GetText())
	if err != nil || key.Type() != "totp" || key.Issuer() != "OKIT" || key.AccountName() != user {
		t.Fatalf("the QR code holds %q (%v), not the TOTP address of %s at OKIT", res.GetText(), err, user)
	}
	return key.Secret()
}

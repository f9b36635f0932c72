package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/storage/storagetest"
)

// axeScript is axe-core, which deploy/testdeps.sh installs (pinned) into
// its cache folder.
func axeScript(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("OKIT_TESTDEPS")
	if dir == "" {
		home, _ := os.UserHomeDir()
		dir = filepath.Join(home, ".cache", "okit-testdeps")
	}
	b, err := os.ReadFile(filepath.Join(dir, "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core is not installed: run `make test`, which installs it (deploy/testdeps.sh): %v", err)
	}
	return string(b)
}

// rawCode finds what no person should read on a page: a code in
// snake_case, a recorded actor ("user:anna"), a catalog key shown for a
// missing string ("[case.title]"). Rule ids inside <code> are shown on
// purpose (web/locale/README.md) and are not read.
const rawCode = `(() => {
	const clone = document.body.cloneNode(true);
	clone.querySelectorAll("code, [hidden], dialog:not([open]), script, style").forEach(e => e.remove());
	const text = clone.innerText || clone.textContent;
	const m = text.match(/\b[a-z]+_[a-z0-9_]+\b|\b(?:user|cli|system):[a-z]|\[[a-z]+\.[a-z_.]+\]/);
	return m ? m[0] + " in «" + text.slice(Math.max(0, m.index - 60), m.index + 60).replace(/\s+/g, " ") + "»" : "";
})()`

// pageProblems runs axe-core on the page and returns its serious and
// critical violations, a sideways scroll and raw codes, in words.
func pageProblems(t *testing.T, ctx context.Context, axe string) []string {
	t.Helper()
	if !get(t, ctx, chromedp.Evaluate[bool](`typeof axe !== "undefined"`)) {
		get(t, ctx, chromedp.Evaluate[bool](axe+"\n;true"))
	}
	out := get(t, ctx, chromedp.Evaluate[[]string](`axe.run(document, {resultTypes: ["violations"]}).then(r =>
		r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
			.map(v => v.impact + " " + v.id + ": " + v.help + " — " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | ")))`,
		chromedp.EvalAwaitPromise))
	if w := get(t, ctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`)); w[0] > w[1] {
		wide := get(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("body *")]
			.filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
			.slice(0, 4).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + e.className : "") + " " + Math.round(e.getBoundingClientRect().right))`))
		out = append(out, fmt.Sprintf("the page scrolls sideways: %d px wide in a %d px window (%s)", w[0], w[1], strings.Join(wide, ", ")))
	}
	if code := get(t, ctx, chromedp.Evaluate[string](rawCode)); code != "" {
		out = append(out, "a raw code on the page: "+code)
	}
	return out
}

// logIn logs a user in, enrolling or entering a second factor as asked.
func logIn(t *testing.T, ctx context.Context, base, user, password string) {
	t.Helper()
	must(t, ctx, "log in as "+user, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), user), chromedp.SendKeys(chromedp.CSS("#password"), password))
	// Submit does not wait for the page the form leads to, and the login
	// page has a "main h1" of its own: waiting for the next page's load
	// keeps the caller's next Navigate from racing the login's POST and
	// redirects (Chromium aborts one of the two, net::ERR_ABORTED).
	if _, err := chromedp.RunResponse(ctx, chromedp.Submit(chromedp.CSS("#password"))); err != nil {
		t.Fatalf("log in as %s: %v", user, err)
	}
	if get(t, ctx, chromedp.Evaluate[string](`location.pathname`)) == "/login" {
		t.Fatalf("log in as %s: still on the login page:\n%s", user, get(t, ctx, chromedp.Text(chromedp.CSS("main"))))
	}
	// okit demo's second-factor page shows the current code.
	if get(t, ctx, chromedp.Evaluate[bool](`document.getElementById("demo-code") !== null`)) {
		code := get(t, ctx, chromedp.Text(chromedp.CSS("#demo-code")))
		must(t, ctx, "second factor "+user, chromedp.SendKeys(chromedp.CSS("#code"), code), chromedp.Submit(chromedp.CSS("#code")),
			chromedp.WaitVisible(chromedp.CSS("nav")))
		return
	}
	if !get(t, ctx, chromedp.Evaluate[bool](`document.getElementById("totp-secret") !== null`)) {
		return
	}
	secret := get(t, ctx, chromedp.Text(chromedp.CSS("#totp-secret")))
	code, err := totp.GenerateCodeCustom(secret, time.Now(), totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	must(t, ctx, "enrol "+user, chromedp.SendKeys(chromedp.CSS("#code"), code), chromedp.Submit(chromedp.CSS("#code")),
		chromedp.WaitVisible(chromedp.CSS("nav")))
}

// mailTo returns the text of the mails the sink took for an address.
func mailTo(t *testing.T, deliveries [][]byte, to []string, addr string) string {
	t.Helper()
	var all []string
	for i, d := range deliveries {
		if to[i] != addr {
			continue
		}
		m, err := mail.ReadMessage(bytes.NewReader(d))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(quotedprintable.NewReader(m.Body))
		all = append(all, string(b))
	}
	return strings.Join(all, "\n")
}

// An operator finds a case by a writer's word in another form and
// without accents; answers the most urgent case by keyboard alone in four
// key presses besides her words; answers a teenager in the informal voice
// the console offers, inserting a supervisor's saved answer with one key,
// and the mail sent is in that voice. The search index leaves no trace on
// disk or in the database. Every page, in Hungarian and English, at 1280
// and 390 px, has no serious or critical axe-core violation, does not
// scroll sideways and shows no raw code.
func TestFindAnswerAndAccessInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("runs okit and Chromium")
	}
	t.Parallel()
	axe := axeScript(t)
	start := time.Now()
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
		{"", []string{"users", "add", "adam", "--role", "admin"}},
		{"adam jelszava 2026\n", []string{"users", "password", "adam"}},
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
	const planted = "Bergamottfalva" // a word only the teenager wrote
	mbox.Deliver(msg("danger@example.test", "Edit <edit@example.test>", "Segítség, ma éjjel",
		"A férjem azt mondta, ma este megöl. Kést fogott rám. Most a szomszédnál vagyok a gyerekekkel."), time.Now())
	mbox.Deliver(msg("teen@example.test", "Bogi <bogi@example.test>", "szia",
		"Szia! 16 éves vagyok. Apu megütött tegnap este "+planted+" mellett, félek hazamenni."), time.Now())
	mbox.Deliver(msg("english@example.test", "Kate <kate@example.test>", "A question",
		"Hello, I would like to know how a restraining order works in Hungary and whether you can help me with it."), time.Now())
	_, addr, _, logs := startServe(t, bin, env, "OKIT_SMTP_ADDR="+sink.Addr, "OKIT_SMTP_TLS=none", "OKIT_FROM=okit@ncsszi.hu",
		"OKIT_ACKNOWLEDGE=off")
	base := "http://" + addr
	st := storagetest.Open(t, vars["OKIT_MIGRATE_DATABASE_URL"], false, time.Now)
	db := context.Background()
	ref := func(where string) string {
		var r string
		if err := storagetest.Pool(st).QueryRow(db, `SELECT c.ref FROM cases c JOIN messages m ON m.case_id = c.id WHERE `+where).Scan(&r); err != nil {
			t.Fatalf("case %s: %v\nlog:\n%s", where, err, logs())
		}
		return r
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		var n int
		storagetest.Pool(st).QueryRow(db, `SELECT count(*) FROM cases`).Scan(&n)
		if n == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited 30s for 3 cases\nlog:\n%s", logs())
		}
	}
	// The cases in the order their messages came.
	nth := func(n int) string {
		return ref(fmt.Sprintf(`m.id = (SELECT id FROM messages ORDER BY id OFFSET %d LIMIT 1)`, n))
	}
	danger, teen, english := nth(0), nth(1), nth(2)

	// A supervisor writes saved answers; one that carries an address is refused.
	sup := newBrowser(t)
	logIn(t, sup, base, "vera", "vera jelszava 2026")
	saved := "A távoltartásról: a rendőrség 72 órára azonnal elrendelheti, a bíróság hosszabb időre."
	addSaved := func(title, voice, body string) string {
		t.Helper()
		must(t, sup, "saved answer "+title, chromedp.Navigate(base+"/answers"), chromedp.WaitVisible(chromedp.CSS("#saved-new")),
			chromedp.SendKeys(chromedp.CSS("#title-new"), title), chromedp.SetValue(chromedp.CSS(`#saved-new select[name="voice"]`), voice),
			chromedp.SendKeys(chromedp.CSS("#body-new"), body), chromedp.Submit(chromedp.CSS("#body-new")), chromedp.WaitVisible(chromedp.CSS("p.notice")))
		return get(t, sup, chromedp.Text(chromedp.CSS("p.notice")))
	}
	if n := addSaved("Távoltartás", "informal", saved); strings.Contains(n, "Nem") {
		t.Fatalf("saving an answer: %s", n)
	}
	addSaved("Távoltartás", "formal", "A távoltartásról: a rendőrség 72 órára azonnal elrendelheti.")
	if n := addSaved("Levélíró szavai", "formal", "Írjon a bogi@example.test címre."); !strings.Contains(n, "Nem mentettük") {
		t.Errorf("a saved answer with an address was not refused: %s", n)
	}

	// The operator finds the teenager's case by a word she wrote, in
	// another form and without accents.
	ctx := newBrowser(t)
	must(t, ctx, "login page", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS("#username")))
	logIn(t, ctx, base, "anna", "anna jelszava 2026")
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(500 * time.Millisecond) {
		step, cancel := context.WithTimeout(ctx, 20*time.Second)
		must(t, step, "search", chromedp.Navigate(base+"/search"), chromedp.WaitVisible(chromedp.CSS("#q")),
			chromedp.SendKeys(chromedp.CSS("#q"), "megutotte"), chromedp.Submit(chromedp.CSS("#q")), chromedp.WaitVisible(chromedp.CSS("#search-count")))
		cancel()
		if get(t, ctx, chromedp.Evaluate[bool](`document.querySelector('#results a[href="/cases/`+teen+`"]') !== null`)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the search for megutotte did not find %s:\n%s", teen, get(t, ctx, chromedp.Text(chromedp.CSS("main"))))
		}
	}
	if n := get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#results tr[data-case]").length`)); n != 1 {
		t.Errorf("the search found %d cases, want the teenager's alone", n)
	}

	// Nothing of the index is on disk: not in the files okit and the test
	// wrote, not in what PostgreSQL wrote since the test began, not in a
	// dump of the database.
	assertNowhere(t, st, start, planted)

	// The core task by keyboard: open the most urgent case and answer it.
	words := "Maradjon a szomszédnál, és hívja a 112-t, ha a férje odamegy."
	must(t, ctx, "queue", chromedp.Navigate(base+"/queue"), chromedp.WaitVisible(chromedp.CSS("#rows tr[data-case]")))
	keys := 0
	press := func(key string, opts ...chromedp.KeyOption) chromedp.Action[chromedp.Void] {
		keys++
		return chromedp.KeyEvent(key, opts...)
	}
	// ? lists the keys; Esc closes the list.
	must(t, ctx, "?", chromedp.KeyEvent("?"))
	if !get(t, ctx, chromedp.Evaluate[bool](`document.getElementById("keys-help").open`)) {
		t.Error("? does not show the keys")
	}
	must(t, ctx, "Esc", chromedp.KeyEvent(kb.Escape))
	must(t, ctx, "j chooses the most urgent case", press("j"))
	// A live refresh keeps the focus on the case chosen (WCAG 2.4.3).
	mbox.Deliver(msg("later@example.test", "Lili <lili@example.test>", "Kérdés", "Kérdésem lenne a gyerekelhelyezésről."), time.Now())
	get(t, ctx, chromedp.Poll[bool](`document.querySelectorAll("#rows tr[data-case]").length === 4 && document.querySelector("#rows tr.fresh") !== null`,
		chromedp.WithPollingTimeout(30*time.Second)))
	if f := get(t, ctx, chromedp.Evaluate[string](`document.activeElement.getAttribute("href") || document.activeElement.tagName`)); f != "/cases/"+danger {
		t.Errorf("after a live refresh the focus is on %s, want the case chosen, /cases/%s", f, danger)
	}
	must(t, ctx, "Enter opens it", press("\r"), chromedp.WaitVisible(chromedp.CSS("#text")))
	if loc := get(t, ctx, chromedp.Location()); !strings.HasSuffix(loc, "/cases/"+danger) {
		t.Fatalf("j and Enter opened %s, want the P1 case %s", loc, danger)
	}
	must(t, ctx, "r, the words, Ctrl+Enter", press("r"), chromedp.KeyEvent(words), press("\r", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.WaitVisible(chromedp.CSS("p.notice")))
	if keys > 6 {
		t.Errorf("the core task took %d key presses besides the words, want at most 6", keys)
	}

	// The teenager's case offers the informal voice; a saved answer goes
	// in with one key; the mail sent is in the informal voice.
	must(t, ctx, "the teenager's case", chromedp.Navigate(base+"/cases/"+teen), chromedp.WaitVisible(chromedp.CSS("#text")))
	if !get(t, ctx, chromedp.Evaluate[bool](`document.querySelector('input[name="voice"][value="informal"]').checked`)) {
		t.Error("the teenager's case does not offer the informal voice")
	}
	frame := get(t, ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#answer pre.frame.before")].filter(e => e.offsetParent !== null).map(e => e.textContent).join("|")`))
	if !strings.HasPrefix(frame, "Szia Bogi!") {
		t.Errorf("the frame shown is %q, want the informal one", frame)
	}
	must(t, ctx, "1 inserts the saved answer", chromedp.KeyEvent("1"))
	if text := get(t, ctx, chromedp.Evaluate[string](`document.getElementById("text").value`)); text != saved {
		t.Errorf("after the key 1 the answer holds %q, want the saved answer", text)
	}
	must(t, ctx, "send", chromedp.KeyEvent(" Vigyázz magadra!"), chromedp.KeyEvent("\r", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.WaitVisible(chromedp.CSS("p.notice")))
	var teenMail, edits string
	for deadline := time.Now().Add(30 * time.Second); teenMail == "" || edits == ""; time.Sleep(100 * time.Millisecond) {
		var data [][]byte
		var to []string
		for _, d := range sink.Deliveries() {
			data, to = append(data, d.Data), append(to, d.To[0])
		}
		teenMail, edits = mailTo(t, data, to, "bogi@example.test"), mailTo(t, data, to, "edit@example.test")
		if time.Now().After(deadline) {
			t.Fatalf("the answers were not sent\nlog:\n%s", logs())
		}
	}
	if !strings.Contains(edits, words) {
		t.Errorf("the answer by keyboard is not in Edit's mail:\n%s", edits)
	}
	if !strings.Contains(teenMail, "Szia Bogi!") || !strings.Contains(teenMail, saved+" Vigyázz magadra!") || strings.Contains(teenMail, "Önnek") {
		t.Errorf("the teenager's mail is not in the informal voice with the saved answer:\n%s", teenMail)
	}

	// Every page, both languages, both widths.
	adm := newBrowser(t)
	logIn(t, adm, base, "adam", "adam jelszava 2026")
	pages := []struct {
		ctx   context.Context
		path  string
		ready string
	}{
		{ctx, "/queue", "#queue"}, {ctx, "/search?q=megutotte", "#results"}, {ctx, "/cases/" + teen, "#text"},
		{ctx, "/cases/" + english, "#text"}, {ctx, "/cases/" + danger, "pre.body"}, {ctx, "/shelters", "main h1"},
		{ctx, "/account", "main h1"}, {sup, "/answers", "#saved-new"}, {sup, "/audit", "table.audit"},
		{sup, "/dashboard", "svg.chart"}, {adm, "/users", "main h1"},
	}
	// The check can fail: an image without a text is a critical violation.
	must(t, ctx, "canary", chromedp.Navigate(base+"/account"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	get(t, ctx, chromedp.Evaluate[bool](`document.querySelector("main").insertAdjacentHTML("beforeend", '<img src="/static/x.png">'); true`))
	if problems := pageProblems(t, ctx, axe); len(problems) == 0 || !strings.Contains(problems[0], "image-alt") {
		t.Fatalf("axe-core did not find an image without a text: %v", problems)
	}
	for _, width := range []int64{1280, 390} {
		for _, c := range []context.Context{ctx, sup, adm} {
			must(t, c, "width", chromedp.EmulateViewport(width, 900))
		}
		for _, p := range pages {
			for range 2 { // the page in one language, then the other
				must(t, p.ctx, p.path, chromedp.Navigate(base+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)))
				lang := get(t, p.ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
				for _, problem := range pageProblems(t, p.ctx, axe) {
					t.Errorf("%s (%s, %d px): %s", p.path, lang, width, problem)
				}
				must(t, p.ctx, "switch language", chromedp.Click(chromedp.CSS(`button[name="lang"]`)),
					chromedp.WaitVisible(chromedp.CSS(`html:not([lang="`+lang+`"]) main`)))
			}
		}
	}
}

// assertNowhere fails when word is in a file the test or okit wrote (but
// Chromium's profiles), in a file PostgreSQL wrote since start (its data
// directory, when this machine has it), or in a dump of the test's schema:
// the search index keeps a writer's words in memory only.
func assertNowhere(t *testing.T, st *storage.Store, start time.Time, word string) {
	t.Helper()
	forms := [][]byte{[]byte(word), []byte(strings.ToLower(word)), []byte(strings.ToLower(word[:len(word)-1]))}
	has := func(b []byte) bool {
		for _, f := range forms {
			if bytes.Contains(b, f) {
				return true
			}
		}
		return false
	}
	scan := func(root string, since time.Time, skip func(dir string) bool) int {
		n := 0
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil // a file gone meanwhile, or not ours to read
			}
			if d.IsDir() {
				if skip(path) {
					return filepath.SkipDir
				}
				return nil
			}
			info, err := d.Info()
			if err != nil || !info.Mode().IsRegular() || info.ModTime().Before(since) {
				return nil
			}
			b, err := os.ReadFile(path)
			if err == nil && has(b) {
				t.Errorf("%q is in %s", word, path)
			}
			n++
			return nil
		})
		return n
	}
	chromium := func(dir string) bool { _, err := os.Stat(filepath.Join(dir, "Local State")); return err == nil }
	n := scan(filepath.Dir(t.TempDir()), time.Time{}, chromium)
	var dataDir string
	storagetest.Pool(st).QueryRow(context.Background(), `SHOW data_directory`).Scan(&dataDir)
	if _, err := os.Stat(dataDir); dataDir != "" && err == nil {
		n += scan(dataDir, start, func(string) bool { return false })
	} else {
		t.Logf("PostgreSQL's data directory %q is not on this machine: the dump alone is scanned", dataDir)
	}
	if has(storagetest.Dump(t, st)) {
		t.Errorf("%q is in the database", word)
	}
	t.Logf("the planted word is in none of %d files and not in the database", n)
}

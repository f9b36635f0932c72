package main

import (
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ncsszi/okit/report"
	"github.com/ncsszi/okit/storage/storagetest"
)

// The second opinion at work in a real okit serve: off at first, the
// starting model activated by a supervisor raises a P2 to P1 and the case
// page says so; the operator confirms the priority (a label), okit triage
// learn trains on the labels (one audit event listing the cases) and
// stores a model nobody uses yet; a rollback to none and a broken model
// leave intake triaging by the rules alone; the dashboard shows the labels
// and the models' figures.
func TestSecondOpinionAtWork(t *testing.T) {
	if testing.Short() {
		t.Skip("runs okit and Chromium")
	}
	t.Parallel()
	bin := buildOkit(t)
	mbox := startMailbox(t)
	env := okitEnv(t, bin, mbox)
	vars := envMap(env)
	okit := func(stdin string, args ...string) string {
		t.Helper()
		out, errs, code := runIn(t, vars, stdin, args...)
		if code != 0 {
			t.Fatalf("okit %v: %d\n%s%s", args, code, out, errs)
		}
		return out
	}
	okit("", "users", "add", "anna", "--role", "operator")
	okit("anna jelszava 2026\n", "users", "password", "anna")
	okit("", "users", "add", "vera", "--role", "supervisor")
	okit("vera jelszava 2026\n", "users", "password", "vera")
	okit("", "shift", "start", "anna")
	_, addr, _, logs := startServe(t, bin, env)
	base := "http://" + addr
	st := storagetest.Open(t, vars["OKIT_DATABASE_URL"], false, time.Now)
	db := context.Background()
	// A P2 by the rules (hit yesterday, nowhere to go, drunk again
	// tonight) that the starting model reads as P1 (0.80).
	p2 := "A férjem megütött tegnap este, nem tudom hova menjek a gyerekekkel. Ma este megint részeg lesz."
	n := 0
	deliver := func(body string) (ref string, priority, raisedFrom int) {
		t.Helper()
		n++
		id := "so-" + strconv.Itoa(n) + "@example.test"
		mbox.Deliver([]byte("From: iro"+strconv.Itoa(n)+"@example.test\r\nTo: okit@ncsszi.hu\r\nSubject: kérdés\r\nMessage-ID: <"+id+
			">\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"+body+"\r\n"), time.Now())
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			// One statement, one snapshot: the newest message and the count
			// read apart could be the one before and a count with this one.
			var count int
			err := storagetest.Pool(st).QueryRow(db, `SELECT c.ref, m.priority, coalesce(m.raised_from, 0), (SELECT count(*) FROM messages)
				FROM messages m JOIN cases c ON c.id = m.case_id ORDER BY m.id DESC LIMIT 1`).Scan(&ref, &priority, &raisedFrom, &count)
			if err == nil && count == n {
				return ref, priority, raisedFrom
			}
			if time.Now().After(deadline) {
				t.Fatalf("waited 30s for message %d\nlog:\n%s", n, logs())
			}
		}
	}
	if _, p, r := deliver(p2); p != 2 || r != 0 {
		t.Fatalf("with no model active: P%d raised from %d, want P2 by the rules", p, r)
	}
	list := okit("", "triage", "model", "list")
	if !strings.Contains(list, "starting") || strings.Contains(list, "active since") {
		t.Fatalf("model list before any activation:\n%s", list)
	}
	okit("", "triage", "model", "activate", "1")
	ref, p, r := deliver(p2)
	if p != 1 || r != 2 {
		t.Fatalf("with the starting model: P%d raised from %d, want P1 raised from P2", p, r)
	}

	// The operator sees why, and confirms the priority.
	ctx := newBrowser(t)
	logIn(t, ctx, base, "anna", "anna jelszava 2026")
	must(t, ctx, "the case", chromedp.Navigate(base+"/cases/"+ref), chromedp.WaitVisible(chromedp.CSS(".second-opinion")))
	if so := get(t, ctx, chromedp.Text(chromedp.CSS(".second-opinion"))); !strings.Contains(so, "P1") || !strings.Contains(so, "P2") || !strings.Contains(so, "0.") {
		t.Errorf("the case page's second opinion: %q", so)
	}
	must(t, ctx, "priority is right", chromedp.Click(chromedp.CSS("#priority-right button")), chromedp.WaitVisible(chromedp.CSS("p.notice")))
	count := func(q string, args ...any) int {
		var n int
		if err := storagetest.Pool(st).QueryRow(db, q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if c := count(`SELECT count(*) FROM case_events WHERE kind = 'priority_confirmed' AND actor = 'user:anna'`); c != 1 {
		t.Errorf("%d priority_confirmed events by anna, want 1", c)
	}

	// Learning from the labels: the one audit event, a model stored, not active.
	zone, err := time.LoadLocation(report.Zone)
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().In(zone).Format(time.DateOnly)
	tomorrow := time.Now().In(zone).AddDate(0, 0, 1).Format(time.DateOnly)
	out := okit("", "triage", "learn", "--since", today, "--until", tomorrow)
	if !strings.Contains(out, "stored as model 2, not active") || !strings.Contains(out, "too few") {
		t.Errorf("okit triage learn said:\n%s", out)
	}
	if c := count(`SELECT count(*) FROM case_events WHERE kind = 'training_opened' AND case_id IS NULL AND jsonb_array_length(data->'cases') = 1`); c != 1 {
		t.Errorf("%d training_opened events listing the one labelled case, want 1", c)
	}
	if v := count(`SELECT version FROM triage_models WHERE active`); v != 1 {
		t.Errorf("active model %d after learning, want 1 still", v)
	}

	// okit triage explain applies a stored model as intake does: the
	// active one (the starting model, version 1, which raises the P2), or
	// a version (2, learned from the one P1 label, raises everything).
	eml := "From: iro@example.test\r\nSubject: kérdés\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + p2 + "\r\n"
	for which, model := range map[string]int{"active": 1, "2": 2, "none": 0} {
		var ex struct {
			Verdict struct {
				Raised struct{ Model int } `json:"raised"`
			} `json:"verdict"`
		}
		if err := json.Unmarshal([]byte(okit(eml, "triage", "explain", "--json", "--second-opinion", which)), &ex); err != nil {
			t.Fatal(err)
		}
		if ex.Verdict.Raised.Model != model {
			t.Errorf("okit triage explain --second-opinion %s: raised by model %d, want %d", which, ex.Verdict.Raised.Model, model)
		}
	}
	if _, errs, code := runIn(t, vars, eml, "triage", "explain", "--second-opinion", "9"); code == 0 || !strings.Contains(errs, "model 9") {
		t.Errorf("okit triage explain --second-opinion 9 (no such model): exit %d, %s", code, errs)
	}
	// A model whose figures do not read is listed as such.
	if _, err := storagetest.Pool(st).Exec(db, `UPDATE triage_models SET figures = '[1, 2]' WHERE version = 2`); err != nil {
		t.Fatal(err)
	}
	if list := okit("", "triage", "model", "list"); !regexp.MustCompile(`(?m)^2 .*figures unreadable`).MatchString(list) {
		t.Errorf("model list with model 2's figures unreadable:\n%s", list)
	}

	// Rolled back to none, then a model that does not load: the rules alone.
	okit("", "triage", "model", "activate", "0")
	if _, p, r := deliver(p2); p != 2 || r != 0 {
		t.Errorf("rolled back: P%d raised from %d, want P2", p, r)
	}
	if _, err := storagetest.Pool(st).Exec(db, `UPDATE triage_models SET model = 'not a model', active = true WHERE version = 2`); err != nil {
		t.Fatal(err)
	}
	if _, p, r := deliver(p2); p != 2 || r != 0 {
		t.Errorf("broken model: P%d raised from %d, want P2", p, r)
	}
	if !strings.Contains(logs(), "second opinion not loaded") {
		t.Error("the log does not say the broken model was not loaded")
	}
	if _, _, code := runIn(t, vars, "", "triage", "model", "activate", "2"); code == 0 {
		t.Error("okit triage model activate took a model that does not load")
	}

	// The supervisor's dashboard shows the labels and the models' figures.
	sup := newBrowser(t)
	logIn(t, sup, base, "vera", "vera jelszava 2026")
	must(t, sup, "dashboard", chromedp.Navigate(base+"/dashboard"), chromedp.WaitVisible(chromedp.CSS("#models")))
	if l := get(t, sup, chromedp.Text(chromedp.CSS("#labels"))); !strings.Contains(l, ": 1,") {
		t.Errorf("the dashboard's labels: %q", l)
	}
	if row := get(t, sup, chromedp.Text(chromedp.CSS(`#models tr[data-version="1"]`))); !strings.Contains(row, "3266") || !strings.Contains(row, "1089/1089") {
		t.Errorf("the dashboard's row of the starting model: %q", row)
	}
	must(t, sup, "activate the starting model again", chromedp.Click(chromedp.CSS(`#models tr[data-version="1"] button`)),
		chromedp.WaitVisible(chromedp.CSS("p.notice")))
	if v := count(`SELECT version FROM triage_models WHERE active`); v != 1 {
		t.Errorf("active model %d after the dashboard's button, want 1", v)
	}
}

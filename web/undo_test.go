package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/report"
	"github.com/ncsszi/okit/storage/storagetest"
	"github.com/ncsszi/okit/triage"
)

// Closing asks for an outcome: without one the case stays open; with one
// the close event records it and the figures count it.
func TestCloseAsksForAnOutcome(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.addUser(t, "op", account.Operator, "a long enough password")
	c.addCase(t, "OKIT-2026-000001", 2, "information", "Kata <kata@example.test>", "Kérdés", "Hogyan lehet elválni?")
	op := c.session(t, "op", true)
	_, page := c.do(t, op, http.MethodGet, "/cases/OKIT-2026-000001", nil)
	for _, o := range report.Outcomes() {
		if !strings.Contains(page, `name="outcome" value="`+string(o)+`" required`) {
			t.Errorf("the close form does not offer %q as required", o)
		}
	}
	for _, o := range []string{"", "solved"} {
		resp, _ := c.do(t, op, http.MethodPost, "/cases/OKIT-2026-000001/close", url.Values{"outcome": {o}})
		if n := resp.Request.URL.Query().Get("notice"); n != "problem.no_outcome" {
			t.Errorf("closing with outcome %q: notice %q, want problem.no_outcome", o, n)
		}
	}
	start := time.Now().Add(-time.Hour)
	resp, page := c.do(t, op, http.MethodPost, "/cases/OKIT-2026-000001/close", url.Values{"outcome": {"referred"}})
	if n := resp.Request.URL.Query().Get("notice"); n != "case.closed" {
		t.Fatalf("close: notice %q", n)
	}
	if !strings.Contains(page, `<span class="outcome">máshová irányítva</span>`) {
		t.Error("the case's history does not show the outcome")
	}
	var outcome string
	err := storagetest.Pool(c.st).QueryRow(context.Background(), `SELECT data->>'outcome' FROM case_events WHERE kind = 'case_closed'`).Scan(&outcome)
	if err != nil || outcome != "referred" {
		t.Errorf("the close event's outcome: %q, %v", outcome, err)
	}
	f, err := c.st.Figures(context.Background(), start, time.Now().Add(time.Hour), triage.DefaultTargets)
	if err != nil {
		t.Fatal(err)
	}
	if want := []report.OutcomeCount{{Outcome: report.Referred, Closes: 1}}; len(f.Outcomes) != 1 || f.Outcomes[0] != want[0] {
		t.Errorf("figures' outcomes %v, want %v", f.Outcomes, want)
	}
}

// Ending a shift shows the cases it would hand over and ends only when
// asked again; a form without the confirmation changes nothing.
func TestEndOfShiftAsks(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.addUser(t, "anna", account.Operator, "a long enough password")
	c.addUser(t, "bela", account.Operator, "a long enough password")
	ctx := context.Background()
	for _, u := range []string{"anna", "bela"} {
		if _, err := c.st.StartShift(ctx, u, "cli:test"); err != nil {
			t.Fatal(err)
		}
	}
	c.addCase(t, "OKIT-2026-000001", 1, "partner_violence", "Edit <edit@example.test>", "Segítség", "Megfenyegetett")
	if err := c.st.AssignTo(ctx, "OKIT-2026-000001", "anna", "cli:test"); err != nil {
		t.Fatal(err)
	}
	anna := c.session(t, "anna", true)
	_, page := c.do(t, anna, http.MethodGet, "/shift/end", nil)
	if !strings.Contains(page, `href="/cases/OKIT-2026-000001"`) || !strings.Contains(page, "Még 1 ügye vár első válaszra") {
		t.Errorf("the end-of-shift page does not name the case to hand over:\n%s", page)
	}
	c.do(t, anna, http.MethodPost, "/shift/end", nil)
	if on := onShift(t, c, "anna"); !on {
		t.Fatal("a form without the confirmation ended the shift")
	}
	resp, _ := c.do(t, anna, http.MethodPost, "/shift/end", url.Values{"confirm": {"yes"}})
	if n := resp.Request.URL.Query().Get("notice"); n != "shift.ended" || onShift(t, c, "anna") {
		t.Fatalf("confirmed end of shift: notice %q, still on shift: %v", n, onShift(t, c, "anna"))
	}
	cd, err := c.st.CaseByRef(ctx, "OKIT-2026-000001")
	if err != nil || cd.Assignee != "bela" {
		t.Errorf("the case went to %q (%v), want bela", cd.Assignee, err)
	}
}

func onShift(t *testing.T, c *console, name string) bool {
	t.Helper()
	us, err := c.st.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us {
		if u.Username == name {
			return u.OnShift
		}
	}
	t.Fatalf("no user %s", name)
	return false
}

// An admin re-enables a disabled user, recorded; they can log in again.
func TestAdminReenablesAUser(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.addUser(t, "adm", account.Admin, "a long enough password")
	c.addUser(t, "anna", account.Operator, "a long enough password")
	admin := c.session(t, "adm", true)
	if resp, _ := c.do(t, admin, http.MethodPost, "/users/anna/disable", nil); resp.Request.URL.Query().Get("notice") != "users.disabled" {
		t.Fatal("disable failed")
	}
	_, page := c.do(t, admin, http.MethodGet, "/users", nil)
	if !strings.Contains(page, `action="/users/anna/enable"`) {
		t.Error("the users page offers no way to enable anna again")
	}
	if resp, _ := c.do(t, admin, http.MethodPost, "/users/anna/enable", nil); resp.Request.URL.Query().Get("notice") != "users.enabled" {
		t.Fatalf("enable: %s", resp.Request.URL)
	}
	if resp, _ := c.do(t, admin, http.MethodPost, "/users/anna/enable", nil); resp.Request.URL.Query().Get("notice") != "problem.unchanged" {
		t.Errorf("enabling an enabled user: %s", resp.Request.URL)
	}
	var n int
	storagetest.Pool(c.st).QueryRow(context.Background(), `SELECT count(*) FROM case_events WHERE kind = 'user_enabled' AND data->>'user' = 'anna' AND actor LIKE 'user:%'`).Scan(&n)
	if n != 1 {
		t.Errorf("%d user_enabled events, want 1", n)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(c.ts.URL+"/login", url.Values{"username": {"anna"}, "password": {"a long enough password"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("anna logging in after being enabled: %d", resp.StatusCode)
	}
}

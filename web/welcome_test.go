package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/storage/storagetest"
)

// An admin adds an operator: the admin gets a one-time link, never a
// password; the person sets their own; yet the account opens no case
// until a supervisor (not the admin) confirms it. Each step is an event
// the supervisor sees on the dashboard.
func TestAdminMadeAccountWaitsForASupervisor(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	ctx := context.Background()
	c.addUser(t, "adam", account.Admin, "adam jelszava 2026")
	c.addUser(t, "vera", account.Supervisor, "vera jelszava 2026")
	c.addCase(t, "OKIT-2026-000001", 2, "partner_violence", "writer@example.test", "segitseg", "szia")
	admin, supervisor := c.session(t, "adam", true), c.session(t, "vera", true)

	_, page := c.do(t, admin, http.MethodPost, "/users", url.Values{"username": {"mallory"}, "role": {"operator"},
		"languages": {"hu"}, "load": {"5"}, "password": {"the admin's own choice"}})
	m := regexp.MustCompile(`<code>(http://[^<]+/welcome/([A-Za-z0-9_-]+))</code>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no one-time link shown to the admin:\n%s", page)
	}
	token := m[2]
	cr, err := c.st.Credentials(ctx, "mallory")
	if err != nil || cr.PasswordHash != "" || !cr.Pending {
		t.Fatalf("new account: %v, hash %q, pending %v; want no password, pending", err, cr.PasswordHash, cr.Pending)
	}

	nobody := &http.Cookie{Name: "none", Value: "x"}
	const pw = "mallory sajat jelszava"
	resp, _ := c.do(t, nobody, http.MethodPost, "/welcome/"+token, url.Values{"new": {pw}, "again": {pw}})
	if resp.Request.URL.Path != "/login" {
		t.Fatalf("setting the password from the link ended on %s", resp.Request.URL)
	}
	if resp, _ := c.do(t, nobody, http.MethodGet, "/welcome/"+token, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the link used a second time: %d, want 404", resp.StatusCode)
	}

	// The right password, but nobody has confirmed the account.
	if code, _, _ := postLogin(t, c, "192.0.2.1", "mallory", pw); code != http.StatusForbidden {
		t.Errorf("login before confirmation: %d; want 403 (a supervisor must confirm)", code)
	}
	// Nor does a session (however obtained) open a case.
	pending := c.session(t, "mallory", true)
	if resp, _ := c.do(t, pending, http.MethodGet, "/cases/OKIT-2026-000001", nil); resp.Request.URL.Path != "/login" {
		t.Errorf("a pending account's session opened %s", resp.Request.URL)
	}
	// The admin cannot confirm it; the supervisor sees it and does.
	if resp, _ := c.do(t, admin, http.MethodPost, "/users/mallory/confirm", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the admin confirming: %d, want 403", resp.StatusCode)
	}
	_, dash := c.do(t, supervisor, http.MethodGet, "/dashboard", nil)
	if !strings.Contains(dash, `action="/users/mallory/confirm"`) || !strings.Contains(dash, ": adam") {
		t.Errorf("the dashboard does not show mallory waiting, made by adam")
	}
	if resp, _ := c.do(t, supervisor, http.MethodPost, "/users/mallory/confirm", nil); !strings.Contains(resp.Request.URL.RawQuery, "accounts.confirmed") {
		t.Errorf("confirming ended on %s", resp.Request.URL)
	}
	// Now the password works, and a second factor is asked for first.
	code, _, _ := postLogin(t, c, "192.0.2.1", "mallory", pw)
	if code != http.StatusSeeOther {
		t.Errorf("login after confirmation: %d, want 303", code)
	}
	var kinds []string
	rows, _ := storagetest.Pool(c.st).Query(ctx, `SELECT kind FROM case_events WHERE data->>'user' = 'mallory' ORDER BY id`)
	for rows.Next() {
		var k string
		rows.Scan(&k)
		kinds = append(kinds, k)
	}
	if got := strings.Join(kinds, " "); !strings.Contains(got, "user_added account_link_made password_set") || !strings.Contains(got, "account_confirmed") {
		t.Errorf("events about mallory: %s", got)
	}
}

// An admin's reset of a supervisor's account ends their sessions, removes
// their password and second factor, and needs a supervisor again: the
// admin cannot reset an account and walk in with it.
func TestAdminResetNeedsASupervisor(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.addUser(t, "adam", account.Admin, "adam jelszava 2026")
	c.addUser(t, "vera", account.Supervisor, "vera jelszava 2026")
	vera := c.session(t, "vera", true)
	admin := c.session(t, "adam", true)
	_, page := c.do(t, admin, http.MethodPost, "/users/vera/reset", nil)
	if !strings.Contains(page, "/welcome/") {
		t.Fatal("no one-time link after the reset")
	}
	if resp, _ := c.do(t, vera, http.MethodGet, "/dashboard", nil); resp.Request.URL.Path != "/login" {
		t.Errorf("vera's session still works after the reset: %s", resp.Request.URL)
	}
	cr, _ := c.st.Credentials(context.Background(), "vera")
	if cr.PasswordHash != "" || cr.TOTPSealed != nil || !cr.Pending {
		t.Errorf("after the reset: hash %q, second factor %v, pending %v", cr.PasswordHash, cr.TOTPSealed != nil, cr.Pending)
	}
}

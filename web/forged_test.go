package web

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/storage/storagetest"
)

// A supervisor inserted straight into the users table, with a password
// hash of the attacker's choice, cannot log in: the row has no MAC under
// the console key. Neither can a real user whose hash was swapped for one
// the attacker knows. Each attempt raises an alert.
func TestForgedCredentialsCannotLogIn(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	ctx := context.Background()
	pool := storagetest.Pool(c.st)
	const pw = "mallory tudja ezt 2026"
	hash := account.HashPassword(pw)
	if _, err := pool.Exec(ctx, `INSERT INTO users (username, role, password_hash) VALUES ('mallory', 'supervisor', $1)`, hash); err != nil {
		t.Fatal(err)
	}
	c.addUser(t, "anna", account.Supervisor, "anna jelszava 2026")
	if _, err := pool.Exec(ctx, `UPDATE users SET password_hash = $1 WHERE username = 'anna'`, hash); err != nil {
		t.Fatal(err)
	}
	// A MAC copied from another user's row does not fit either.
	c.addUser(t, "bela", account.Supervisor, pw)
	if _, err := pool.Exec(ctx, `INSERT INTO users (username, role, password_hash, password_mac)
		SELECT 'eve', 'supervisor', password_hash, password_mac FROM users WHERE username = 'bela'`); err != nil {
		t.Fatal(err)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, name := range []string{"mallory", "anna", "eve"} {
		resp, err := client.PostForm(c.ts.URL+"/login", url.Values{"username": {name}, "password": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("Set-Cookie") != "" {
			t.Errorf("%s with the attacker's password: %d %q; want 401 and no session", name, resp.StatusCode, resp.Header.Get("Set-Cookie"))
		}
	}
	var alerts int
	pool.QueryRow(ctx, `SELECT count(*) FROM case_events WHERE kind = 'alert' AND data->>'alert' = 'credential_forged'`).Scan(&alerts)
	if alerts != 3 {
		t.Errorf("%d credential_forged alerts; want 3", alerts)
	}
	// The real password of the real user still works.
	resp, err := client.PostForm(c.ts.URL+"/login", url.Values{"username": {"bela"}, "password": {pw}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("bela's own password: %d, want 303", resp.StatusCode)
	}
}

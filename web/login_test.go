package web

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/storage/storagetest"
)

// After five wrong passwords for a user, even the right one is refused
// for a while; failed logins are recorded with the user's name only when
// it is a user's.
func TestLoginThrottling(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.addUser(t, "anna", account.Operator, "anna jelszava 2026")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	login := func(user, pw string) int {
		t.Helper()
		resp, err := client.PostForm(c.ts.URL+"/login", url.Values{"username": {user}, "password": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := login("anna jelszava 2026", "x"); code != http.StatusUnauthorized {
		t.Fatalf("a password typed as a name: %d", code)
	}
	for range 5 {
		if code := login("anna", "wrong password"); code != http.StatusUnauthorized {
			t.Fatalf("wrong password: %d", code)
		}
	}
	if code := login("anna", "anna jelszava 2026"); code != http.StatusTooManyRequests {
		t.Errorf("the right password after five wrong ones: %d, want 429", code)
	}
	var named, unnamed int
	storagetest.Pool(c.st).QueryRow(context.Background(), `SELECT count(*) FILTER (WHERE data->>'user' = 'anna'), count(*) FILTER (WHERE NOT data ? 'user')
		FROM case_events WHERE kind = 'login_failed'`).Scan(&named, &unnamed)
	if named != 5 || unnamed != 1 {
		t.Errorf("failed logins recorded: %d with anna, %d without a name; want 5 and 1", named, unnamed)
	}
}

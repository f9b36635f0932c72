package web

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/storage"
)

// An admin changes a user's role, languages, specialities and load; a
// new role ends the user's sessions; a bad field changes nothing.
func TestAdminChangesAUser(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.addUser(t, "adm", account.Admin, "a long enough password")
	c.addUser(t, "anna", account.Operator, "a long enough password")
	annas := c.session(t, "anna", true)
	admin := c.session(t, "adm", true)
	change := func(form url.Values) string {
		t.Helper()
		resp, _ := c.do(t, admin, http.MethodPost, "/users/anna", form)
		return resp.Request.URL.Query().Get("notice")
	}
	if n := change(url.Values{"role": {"operator"}, "languages": {"hu; drop table"}, "load": {"5"}}); n != "problem.user_fields" {
		t.Errorf("bad languages: %q", n)
	}
	if n := change(url.Values{"role": {"root"}, "languages": {"hu"}, "load": {"5"}}); n != "problem.user_fields" {
		t.Errorf("no such role: %q", n)
	}
	if n := change(url.Values{"role": {"supervisor"}, "languages": {"hu, DE"}, "skills": {"trafficking"}, "load": {"5"}}); n != "users.changed" {
		t.Fatalf("change: %q", n)
	}
	us, err := c.st.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got storage.User
	for _, u := range us {
		if u.Username == "anna" {
			got = u
		}
	}
	want := storage.User{ID: got.ID, Username: "anna", Role: account.Supervisor, Languages: []string{"hu", "de"}, Skills: []string{"trafficking"}, LoadLimit: 5}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("anna (-want +got):\n%s", diff)
	}
	if _, err := c.st.Session(context.Background(), tokenDigest(annas.Value), time.Hour, time.Hour, false); err == nil {
		t.Error("anna's session outlived her change of role")
	}
}

package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ncsszi/okit/storage/storagetest"
)

// What operators write in the console — notes and priority reasons — is
// sealed: no table holds it in the clear, and the case page shows it again.
func TestConsoleWritingIsSealed(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.addUser(t, "op", "operator", "a long enough password")
	if _, err := c.st.Pool().Exec(context.Background(), `INSERT INTO cases (ref, first_received, last_received) VALUES ('OKIT-2026-000001', now(), now())`); err != nil {
		t.Fatal(err)
	}
	cookie := c.session(t, "op", true)
	post := func(path string, form url.Values) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, c.ts.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(cookie)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || strings.Contains(resp.Request.URL.RawQuery, "problem") {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, resp.Request.URL)
		}
	}
	note, reason := "Zsófia a nagynénjénél alszik Kecskeméten", "Késsel fenyegette Szentendrén"
	post("/cases/OKIT-2026-000001/notes", url.Values{"body": {note}})
	post("/cases/OKIT-2026-000001/priority", url.Values{"priority": {"1"}, "reason": {reason}})
	dump := storagetest.Dump(t, c.st)
	for _, secret := range []string{note, reason, "Kecskeméten", "Szentendrén"} {
		if bytes.Contains(dump, []byte(secret)) {
			t.Errorf("%q is in the database in the clear", secret)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, c.ts.URL+"/cases/OKIT-2026-000001", nil)
	req.AddCookie(cookie)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var page bytes.Buffer
	page.ReadFrom(resp.Body)
	if !strings.Contains(page.String(), note) || !strings.Contains(page.String(), reason) {
		t.Error("the case page does not show the note and the reason")
	}
}

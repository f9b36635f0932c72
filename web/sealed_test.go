package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/storage/storagetest"
)

// What operators write in the console — notes and priority reasons — is
// sealed: no table holds it in the clear, and the case page shows it again.
func TestConsoleWritingIsSealed(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.addUser(t, "op", account.Operator, "a long enough password")
	if _, err := storagetest.Pool(c.st).Exec(context.Background(), `INSERT INTO cases (ref, first_received, last_received) VALUES ('OKIT-2026-000001', now(), now())`); err != nil {
		t.Fatal(err)
	}
	cookie := c.session(t, "op", true)
	post := func(path string, form url.Values) {
		t.Helper()
		resp, _ := c.do(t, cookie, http.MethodPost, path, form)
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
	_, page := c.do(t, cookie, http.MethodGet, "/cases/OKIT-2026-000001", nil)
	if !strings.Contains(page, note) || !strings.Contains(page, reason) {
		t.Error("the case page does not show the note and the reason")
	}
}

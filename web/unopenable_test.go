package web

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/seal"
	"github.com/ncsszi/okit/storage/storagetest"
)

// A case with a message sealed with another key and one damaged still
// shows: the writer's readable message, the two marked as not opened, a
// note sealed with another key marked too, and the answer form.
func TestCaseWithUnopenableMessages(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.addUser(t, "op", account.Operator, "a long enough password")
	id := c.addCase(t, "OKIT-2026-000001", 2, "information", "Kata <kata@example.test>", "Kérdés", "Hogyan lehet elválni?")
	pass := []byte("another passphrase")
	paths, err := seal.GenerateKeys(filepath.Join(t.TempDir(), "other"), seal.Curve25519, "other", "other@example.test", pass)
	if err != nil {
		t.Fatal(err)
	}
	other, err := seal.LoadOpener(paths.Private, pass)
	if err != nil {
		t.Fatal(err)
	}
	foreign, err := other.Sealer().SealTogether([]byte("From: x@example.test\r\n\r\nmás kulcs"), []byte(`{"subject":"más kulcs"}`))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	pool := storagetest.Pool(c.st)
	for i, sealed := range [][2][]byte{{foreign[0], foreign[1]}, {[]byte("not OpenPGP at all"), []byte("damaged")}} {
		_, err := pool.Exec(ctx, `INSERT INTO messages (case_id, direction, raw_sealed, summary_sealed, raw_digest, sender_digest, size,
			internal_date, parse_status, priority) VALUES ($1, 'in', $2, $3, $4, $4, 10, now(), 'ok', 2)`,
			id, sealed[0], sealed[1], []byte{byte(i)})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := pool.Exec(ctx, `INSERT INTO notes (case_id, kind, body_sealed, author) VALUES ($1, 'note', $2, 'user:op')`, id, foreign[1]); err != nil {
		t.Fatal(err)
	}
	resp, page := c.do(t, c.session(t, "op", true), http.MethodGet, "/cases/OKIT-2026-000001", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("case page: %d\n%s", resp.StatusCode, page)
	}
	for _, want := range []string{"Hogyan lehet elválni?", `id="answer"`, "kata@example.test"} {
		if !strings.Contains(page, want) {
			t.Errorf("the case page lacks %q", want)
		}
	}
	if n := strings.Count(page, "Ez az üzenet nem nyitható meg"); n != 2 {
		t.Errorf("%d messages marked as not opened, want 2", n)
	}
	if !strings.Contains(page, "Ez a feljegyzés nem nyitható meg") {
		t.Error("the note sealed with another key is not marked")
	}
}

package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/storage/storagetest"
)

// The page of the present names who is on shift with their load, the P1
// waiting with nobody on it, the P2 past its due time; and it shows no
// writer's words, so nothing is opened for it.
func TestNowPage(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.addUser(t, "vera", account.Supervisor, "a long enough password")
	c.addUser(t, "anna", account.Operator, "a long enough password")
	ctx := context.Background()
	if _, err := c.st.StartShift(ctx, "anna", "cli:test"); err != nil {
		t.Fatal(err)
	}
	c.addCase(t, "OKIT-2026-000001", 1, "partner_violence", "Edit <edit@example.test>", "Segítség", "Kést fogott rám")
	c.addCase(t, "OKIT-2026-000002", 2, "child_abuse", "Lili <lili@example.test>", "Kérdés", "A nevelőapám megüt")
	c.addCase(t, "OKIT-2026-000003", 4, "information", "Kata <kata@example.test>", "Kérdés", "Tájékoztatást kérek")
	pool := storagetest.Pool(c.st)
	if _, err := pool.Exec(ctx, `UPDATE cases SET due_at = now() - interval '5 minutes', first_received = now() - interval '3 hours' WHERE ref = 'OKIT-2026-000002'`); err != nil {
		t.Fatal(err)
	}
	_, page := c.do(t, c.session(t, "vera", true), http.MethodGet, "/now", nil)
	for _, want := range []string{"Szolgálatban: 1", "<td>anna</td>", "Első válaszra váró P1 és P2 ügyek: 2", "Határidőn túl, megválaszolatlanul: 1",
		`href="/cases/OKIT-2026-000001"`, `data-rows="/now/parts"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page of the present lacks %q", want)
		}
	}
	if strings.Contains(page, "OKIT-2026-000003") {
		t.Error("a P4 case is on the page of the present")
	}
	for _, secret := range []string{"Kést fogott", "nevelőapám", "edit@example.test"} {
		if strings.Contains(page, secret) {
			t.Errorf("the page of the present shows %q", secret)
		}
	}
	var opened int
	pool.QueryRow(ctx, `SELECT count(*) FROM case_events WHERE kind IN ('summary_opened', 'case_viewed')`).Scan(&opened)
	if opened != 0 {
		t.Errorf("%d decryption events for the page of the present, want none", opened)
	}
}

package web

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/storage/storagetest"
)

// A queue refreshed again and again records each case's summary once per
// session, still before showing it; a new session records it again. The
// audit page says it in a sentence naming the cases as links, filters by
// kind, and exports the same as CSV, the export itself recorded.
func TestAuditTrailReads(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.addUser(t, "op", account.Operator, "a long enough password")
	c.addUser(t, "sup", account.Supervisor, "a long enough password")
	c.addCase(t, "OKIT-2026-000001", 2, "child_abuse", "Bogi <bogi@example.test>", "szia", "Apu megütött.")
	c.addCase(t, "OKIT-2026-000002", 1, "trafficking", "Rita <rita@example.test>", "kérdés", "Elvették az útlevelemet.")
	count := func() int {
		var n int
		storagetest.Pool(c.st).QueryRow(context.Background(), `SELECT count(*) FROM case_events WHERE kind = 'summary_decrypted'`).Scan(&n)
		return n
	}
	op := c.session(t, "op", true)
	for range 5 {
		if _, page := c.do(t, op, http.MethodGet, "/queue/rows", nil); !strings.Contains(page, "Apu megütött") {
			t.Fatal("the queue does not show the summary")
		}
	}
	if n := count(); n != 1 {
		t.Errorf("%d summary events after five refreshes in one session, want 1", n)
	}
	c.do(t, c.session(t, "op", true), http.MethodGet, "/queue", nil)
	if n := count(); n != 2 {
		t.Errorf("%d summary events after a second session, want 2", n)
	}
	sup := c.session(t, "sup", true)
	_, page := c.do(t, sup, http.MethodGet, "/audit?kind=summary_decrypted&user=op", nil)
	for _, want := range []string{"2 ügy összefoglalóját nyitotta meg (beérkezett ügyek):", `<a href="/cases/OKIT-2026-000002">`, "<td>op</td>"} {
		if !strings.Contains(page, want) {
			t.Errorf("the audit page lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "user:op") || strings.Contains(page, `"cases"`) {
		t.Error("the audit page shows a recorded code")
	}
	resp, body := c.do(t, sup, http.MethodGet, "/audit.csv?kind=summary_decrypted", nil)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("CSV export: %s", ct)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(rows) != 3 || !strings.Contains(rows[1][6], "OKIT-2026-000001") {
		t.Errorf("CSV export (%v):\n%s", err, body)
	}
	var exports int
	storagetest.Pool(c.st).QueryRow(context.Background(), `SELECT count(*) FROM case_events WHERE kind = 'export' AND data->>'what' = 'audit'`).Scan(&exports)
	if exports != 1 {
		t.Errorf("%d audit exports recorded, want 1", exports)
	}
}

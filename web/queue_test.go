package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/storage/storagetest"
)

// The queue shows the most urgent cases first, a hundred a page, with the
// way to the next page and back.
func TestQueuePages(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.addUser(t, "op", account.Operator, "a long enough password")
	_, err := storagetest.Pool(c.st).Exec(context.Background(), `
		INSERT INTO cases (ref, first_received, last_received, priority, due_at)
		SELECT 'OKIT-2026-' || lpad(g::text, 6, '0'), now(), now(), CASE WHEN g = 101 THEN 1 ELSE 3 END, now() + g * interval '1 minute'
		FROM generate_series(1, 101) g`)
	if err != nil {
		t.Fatal(err)
	}
	cookie := c.session(t, "op", true)
	page := func(q string) string {
		t.Helper()
		_, body := c.do(t, cookie, http.MethodGet, "/queue"+q, nil)
		return body
	}
	first := page("")
	if n := strings.Count(first, "<tr data-case="); n != 100 {
		t.Errorf("first page: %d rows, want 100", n)
	}
	if i, j := strings.Index(first, "OKIT-2026-000101"), strings.Index(first, "OKIT-2026-000001"); i < 0 || i > j {
		t.Error("the P1 case is not the first row")
	}
	if !strings.Contains(first, `href="/queue?category=&amp;page=1&amp;view=open"`) || strings.Contains(first, "page=-1") {
		t.Error("the first page has no link to the next, or one to a previous")
	}
	second := page("?view=open&page=1")
	if n := strings.Count(second, "<tr data-case="); n != 1 || !strings.Contains(second, "OKIT-2026-000100") {
		t.Errorf("second page: %d rows", n)
	}
	if !strings.Contains(second, `page=0`) || strings.Contains(second, "page=2") {
		t.Error("the second page has no link back, or one onwards")
	}
}

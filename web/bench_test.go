package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/message"
	"github.com/ncsszi/okit/storage/storagetest"
)

// serverTimes renders path b.N times as the signed-in user and reports
// the median and 99th percentile of the server's time per page.
func serverTimes(b *testing.B, c *console, user, path string) {
	b.Helper()
	cookie := c.session(b, user, true)
	h := c.srv.Handler()
	var times []time.Duration
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(rec, req)
		times = append(times, time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d\n%.500s", path, rec.Code, rec.Body)
		}
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "ms-p50")
	b.ReportMetric(float64(times[(len(times)*99+99)/100-1].Microseconds())/1000, "ms-p99")
}

// The queue with 100,000 open cases: the query, the summaries of the
// first page opened, the audit event written, the page rendered.
// Target: p99 under 50 ms.
func BenchmarkQueuePage(b *testing.B) {
	c := newConsole(b)
	c.addUser(b, "op", account.Operator, "a long enough password")
	sum, _ := json.Marshal(message.Summary{FromName: "Kovács Anna", FromAddr: "anna@example.test", Subject: "Segítséget kérnék",
		Snippet: strings.Repeat("A férjem megint kiabált velem, és félek, hogy mi lesz este. ", 5)})
	sealed, err := c.keys.Sealer().Seal(sum)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	_, err = storagetest.Pool(c.st).Exec(ctx, `
		INSERT INTO cases (ref, first_received, last_received, priority, categories, due_at, language)
		SELECT 'OKIT-2026-' || lpad(g::text, 6, '0'), now() - g * interval '1 minute', now() - g * interval '1 minute',
			1 + g % 4, ARRAY['partner_violence'], now() + (g % 500) * interval '1 minute', 'hu'
		FROM generate_series(1, 100000) g`)
	if err == nil {
		_, err = storagetest.Pool(c.st).Exec(ctx, `
			INSERT INTO messages (case_id, direction, summary_sealed, raw_digest, size, internal_date, parse_status, priority)
			SELECT id, 'in', $1, sha256(id::text::bytea), 20000, first_received, 'ok', priority FROM cases`, sealed)
	}
	if err == nil {
		_, err = storagetest.Pool(c.st).Exec(ctx, `ANALYZE cases; ANALYZE messages`)
	}
	if err != nil {
		b.Fatal(err)
	}
	serverTimes(b, c, "op", "/queue")
}

// A case with 20 messages of about 20 KiB: each decrypted and parsed, the
// opening recorded, the page rendered. Target: p99 under 30 ms.
func BenchmarkCasePage(b *testing.B) {
	c := newConsole(b)
	c.addUser(b, "op", account.Operator, "a long enough password")
	ctx := context.Background()
	var caseID int64
	err := storagetest.Pool(c.st).QueryRow(ctx, `INSERT INTO cases (ref, first_received, last_received, priority, language)
		VALUES ('OKIT-2026-000001', now(), now(), 2, 'hu') RETURNING id`).Scan(&caseID)
	if err != nil {
		b.Fatal(err)
	}
	body := strings.Repeat("Nem tudom, kinek írjak. A párom évek óta ellenőrzi a telefonomat, és ha nem válaszolok azonnal, kiabál. ", 200)
	for i := range 20 {
		raw := fmt.Sprintf("From: Anna <anna@example.test>\r\nTo: okit@ncsszi.hu\r\nSubject: Levél %d\r\nMessage-ID: <m%d@example.test>\r\n"+
			"Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", i, i, body)
		m := message.Parse([]byte(raw))
		sum, _ := json.Marshal(message.Summarize(m))
		sealed, err := c.keys.Sealer().SealTogether([]byte(raw), sum)
		if err != nil {
			b.Fatal(err)
		}
		_, err = storagetest.Pool(c.st).Exec(ctx, `INSERT INTO messages (case_id, direction, raw_sealed, summary_sealed, raw_digest, size,
			internal_date, parse_status, priority) VALUES ($1, 'in', $2, $3, $4, $5, now() + $6 * interval '1 minute', 'ok', 2)`,
			caseID, sealed[0], sealed[1], []byte(fmt.Sprint(i)), len(raw), i)
		if err != nil {
			b.Fatal(err)
		}
	}
	serverTimes(b, c, "op", "/cases/OKIT-2026-000001")
}

// The dashboard of a year of 200,000 cases and 1,000,000 messages: the
// figures, the charts, the page. Target: under 1 s. Writing the year takes
// about a minute.
func BenchmarkDashboardPage(b *testing.B) {
	st := storagetest.New(b)
	storagetest.WriteYear(b, st)
	c := newConsoleOn(b, st, time.Now)
	c.addUser(b, "sup", account.Supervisor, "a long enough password")
	serverTimes(b, c, "sup", "/dashboard?from=2025-12-01&last=2026-11-30")
}

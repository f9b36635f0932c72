package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/message"
	"github.com/ncsszi/okit/storage/storagetest"
)

// addCase stores a case with one message of the writer's, sealed as
// intake seals it, its sender the case's writer, and returns its id.
func (c *console) addCase(t testing.TB, ref string, priority int, category, from, subject, body string) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	err := storagetest.Pool(c.st).QueryRow(ctx, `INSERT INTO cases (ref, first_received, last_received, priority, categories, language)
		VALUES ($1, now(), now(), $2, ARRAY[$3], 'hu') RETURNING id`, ref, priority, category).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	raw := fmt.Sprintf("From: %s\r\nTo: okit@ncsszi.hu\r\nSubject: %s\r\nMessage-ID: <%s@example.test>\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", from, subject, ref, body)
	sum, _ := json.Marshal(message.Summarize(message.Parse([]byte(raw))))
	sealed, err := c.keys.Sealer().SealTogether([]byte(raw), sum)
	if err != nil {
		t.Fatal(err)
	}
	_, err = storagetest.Pool(c.st).Exec(ctx, `WITH m AS (INSERT INTO messages (case_id, direction, raw_sealed, summary_sealed, raw_digest,
			sender_digest, size, internal_date, parse_status, priority) VALUES ($1, 'in', $2, $3, $4, $4, $5, now(), 'ok', $6) RETURNING id)
		INSERT INTO case_writers (case_id, message_id, field, address_digest, source, added_by) SELECT $1, id, 'from', $4, 'first', 'test' FROM m`,
		id, sealed[0], sealed[1], []byte(ref), len(raw), priority)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// Search finds a case by a writer's word in another form and without
// accents, by a note added after the index was built, and by facts; the
// search is recorded with its words sealed, and nothing of the words is
// in the database in the clear.
func TestSearch(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.addUser(t, "op", account.Operator, "a long enough password")
	c.addCase(t, "OKIT-2026-000001", 2, "child_abuse", "Bogi <bogi@example.test>", "szia", "Apu megütött tegnap este, félek hazamenni.")
	c.addCase(t, "OKIT-2026-000002", 1, "trafficking", "Rita <rita@example.test>", "kérdés", "Elvették az útlevelemet, dolgoznom kell.")
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go c.srv.Run(ctx)
	cookie := c.session(t, "op", true)
	for deadline := time.Now().Add(20 * time.Second); !c.srv.index.ready.Load(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the search index was not built in 20 s")
		}
	}
	_, page := c.do(t, cookie, http.MethodGet, "/search?q=megutotte", nil)
	if !strings.Contains(page, "OKIT-2026-000001") || strings.Contains(page, "OKIT-2026-000002") {
		t.Errorf("a search for another form of a writer's word:\n%s", page)
	}
	if !strings.Contains(page, "Apu megütött") {
		t.Error("the result does not show the summary")
	}
	_, page = c.do(t, cookie, http.MethodPost, "/cases/OKIT-2026-000002/notes", url.Values{"body": {"Szombathelyen lakik a nagynénje"}})
	for deadline := time.Now().Add(20 * time.Second); !strings.Contains(page, `href="/cases/OKIT-2026-000002"`); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("a note added after the build is not found:\n%s", page)
		}
		_, page = c.do(t, cookie, http.MethodGet, "/search?q=szombathely", nil)
	}
	_, page = c.do(t, cookie, http.MethodGet, "/search?category=trafficking&status=open", nil)
	if !strings.Contains(page, `href="/cases/OKIT-2026-000002"`) || strings.Contains(page, `href="/cases/OKIT-2026-000001"`) {
		t.Errorf("a search by category alone:\n%s", page)
	}
	var searches int
	storagetest.Pool(c.st).QueryRow(context.Background(), `SELECT count(*) FROM case_events WHERE kind = 'searched' AND actor = 'user:op'
		AND data ? 'results'`).Scan(&searches)
	if searches < 3 {
		t.Errorf("%d searches recorded, want at least 3", searches)
	}
	dump := storagetest.Dump(t, c.st)
	for _, secret := range []string{"megutotte", "szombathely", "Szombathelyen", "megut"} {
		if bytes.Contains(bytes.ToLower(dump), []byte(strings.ToLower(secret))) {
			t.Errorf("%q is in the database in the clear", secret)
		}
	}
}

// A database away while the console starts delays search; the index is
// built once it is back, without a restart.
func TestSearchIndexAfterDatabaseReturns(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.addUser(t, "op", account.Operator, "a long enough password")
	c.addCase(t, "OKIT-2026-000001", 2, "child_abuse", "Bogi <bogi@example.test>", "szia", "Apu megütött tegnap este.")
	pool := storagetest.Pool(c.st)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `ALTER TABLE cases RENAME TO cases_away`); err != nil {
		t.Fatal(err)
	}
	run, cancel := context.WithCancel(ctx)
	t.Cleanup(cancel)
	go c.srv.Run(run)
	time.Sleep(300 * time.Millisecond)
	if c.srv.index.ready.Load() {
		t.Fatal("the index says it is built without its cases")
	}
	if _, err := pool.Exec(ctx, `ALTER TABLE cases_away RENAME TO cases`); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); !c.srv.index.ready.Load(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the search index was not built after the database came back")
		}
	}
	_, page := c.do(t, c.session(t, "op", true), http.MethodGet, "/search?q=megutotte", nil)
	if !strings.Contains(page, "OKIT-2026-000001") {
		t.Errorf("the case is not found once the index is built:\n%s", page)
	}
}

package web

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/message"
	"github.com/ncsszi/okit/storage/storagetest"
)

// The case page says why a case has its priority in words: a line per
// triage rule, with the writer's words it read and how (lemma, person,
// clause), not only the rule ids stored with the message.
func TestCasePageSaysWhy(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.addUser(t, "op", account.Operator, "a long enough password")
	raw := "From: Kata <kata@example.test>\r\nTo: okit@ncsszi.hu\r\nSubject: segitseg\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\nA ferjem tegnap este fojtogatott, azt mondta ma ejjel megol.\r\n"
	sum, _ := json.Marshal(message.Summarize(message.Parse([]byte(raw))))
	sealed, err := c.keys.Sealer().SealTogether([]byte(raw), sum)
	if err != nil {
		t.Fatal(err)
	}
	_, err = storagetest.Pool(c.st).Exec(context.Background(), `WITH c AS (INSERT INTO cases (ref, first_received, last_received, priority)
		VALUES ('OKIT-2026-000001', now(), now(), 1) RETURNING id)
		INSERT INTO messages (case_id, raw_sealed, summary_sealed, raw_digest, size, internal_date, parse_status, priority, rules)
		SELECT id, $1, $2, '\x01', $3, now(), 'ok', 1, '{stored-rule-id}' FROM c`, sealed[0], sealed[1], len(raw))
	if err != nil {
		t.Fatal(err)
	}
	resp, page := c.do(t, c.session(t, "op", true), http.MethodGet, "/cases/OKIT-2026-000001", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("case page: %d", resp.StatusCode)
	}
	start := strings.Index(page, `<details class="rules">`)
	if start < 0 {
		t.Fatal("the case page has no why section")
	}
	why := html.UnescapeString(page[start : start+strings.Index(page[start:], "</details>")])
	for _, want := range []string{"«fojtogatott»", "lemma", "P1"} {
		if !strings.Contains(why, want) {
			t.Errorf("why section lacks %q:\n%s", want, why)
		}
	}
	if strings.Contains(why, "stored-rule-id") {
		t.Errorf("why section shows stored rule ids for a message it could read:\n%s", why)
	}
}

// The do-not-reply banner says why, as triage reads the writer's words.
func TestDoNotReplyBannerSaysWhy(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.addUser(t, "op", account.Operator, "a long enough password")
	raw := "From: Kata <kata@example.test>\r\nTo: okit@ncsszi.hu\r\nSubject: kerdes\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\nA ferjem minden este atnezi a telefonomat es olvassa a leveleimet.\r\n"
	sum, _ := json.Marshal(message.Summarize(message.Parse([]byte(raw))))
	sealed, err := c.keys.Sealer().SealTogether([]byte(raw), sum)
	if err != nil {
		t.Fatal(err)
	}
	_, err = storagetest.Pool(c.st).Exec(context.Background(), `WITH c AS (INSERT INTO cases (ref, first_received, last_received, flags)
		VALUES ('OKIT-2026-000001', now(), now(), '{do_not_reply}') RETURNING id)
		INSERT INTO messages (case_id, raw_sealed, summary_sealed, raw_digest, size, internal_date, parse_status, flags)
		SELECT id, $1, $2, '\x01', $3, now(), 'ok', '{do_not_reply}' FROM c`, sealed[0], sealed[1], len(raw))
	if err != nil {
		t.Fatal(err)
	}
	_, page := c.do(t, c.session(t, "op", true), http.MethodGet, "/cases/OKIT-2026-000001", nil)
	want := html.EscapeString(c.srv.catalogs["hu"].strings["reason.someone_reads"])
	if !strings.Contains(page, `role="alert"`) || !strings.Contains(page, want) {
		t.Errorf("the do-not-reply banner does not say %q", want)
	}
}

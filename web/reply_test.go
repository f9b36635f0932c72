package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/message"
	"github.com/ncsszi/okit/storage/storagetest"
)

// A writer who asked not to be answered by email gets no answer from the
// console until the operator confirms a safe channel: the form says why,
// and nothing is queued; confirmed, the answer is queued, and the event
// records the confirmation.
func TestAnswerToADoNotReplyCase(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.addUser(t, "op", account.Operator, "a long enough password")
	sum, _ := json.Marshal(message.Summary{FromName: "E.", FromAddr: "e@example.test", Subject: "kerdes"})
	sealed, err := c.keys.Sealer().Seal(sum)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, err = storagetest.Pool(c.st).Exec(ctx, `WITH c AS (INSERT INTO cases (ref, first_received, last_received, flags)
		VALUES ('OKIT-2026-000001', now(), now(), '{do_not_reply}') RETURNING id),
		m AS (INSERT INTO messages (case_id, summary_sealed, raw_digest, sender_digest, size, internal_date, parse_status, flags)
		SELECT id, $1, '\x01', '\x02', 100, now(), 'ok', '{do_not_reply}' FROM c RETURNING id, case_id)
		INSERT INTO case_writers (case_id, message_id, field, address_digest, source, added_by)
		SELECT case_id, id, 'from', '\x02', 'first', 'test' FROM m`, sealed)
	if err != nil {
		t.Fatal(err)
	}
	cookie := c.session(t, "op", true)
	queued := func() (n int) {
		storagetest.Pool(c.st).QueryRow(ctx, `SELECT count(*) FROM outgoing WHERE kind = 'answer'`).Scan(&n)
		return n
	}
	// The confirmation names the address it confirms.
	if _, page := c.do(t, cookie, http.MethodGet, "/cases/OKIT-2026-000001", nil); !strings.Contains(page, `<strong class="safe-addr"`) ||
		!regexp.MustCompile(`class="safe-addr"[^>]*>e@example.test</strong>`).MatchString(page) {
		t.Errorf("the safe-channel confirmation does not name e@example.test:\n%s", page)
	}
	resp, _ := c.do(t, cookie, http.MethodPost, "/cases/OKIT-2026-000001/answer", url.Values{"text": {"Hívjon bármikor."}})
	if got := resp.Request.URL.Query().Get("notice"); got != "problem.do_not_reply" || queued() != 0 {
		t.Fatalf("unconfirmed: notice %q, %d answers queued; want problem.do_not_reply and none", got, queued())
	}
	resp, _ = c.do(t, cookie, http.MethodPost, "/cases/OKIT-2026-000001/answer", url.Values{"text": {"Hívjon bármikor."}, "safe_channel": {"yes"}})
	if got := resp.Request.URL.Query().Get("notice"); got != "case.answer_queued" || queued() != 1 {
		t.Fatalf("confirmed: notice %q, %d answers queued", got, queued())
	}
	var confirmed bool
	storagetest.Pool(c.st).QueryRow(ctx, `SELECT (data->>'safe_channel_confirmed')::bool FROM case_events WHERE kind = 'reply_queued'`).Scan(&confirmed)
	if !confirmed {
		t.Error("the reply_queued event does not record the confirmed safe channel")
	}
}

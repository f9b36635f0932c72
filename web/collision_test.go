package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/storage/storagetest"
)

// Two operators on one case: each sees the other on the case page and on
// the queue's row; answering a colleague's case takes it over only when
// asked; an answer minutes after a colleague's waits for a confirmation
// that shows the first, the words kept as a sealed draft meanwhile.
func TestTwoOperatorsOnOneCase(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	ctx := context.Background()
	c.addUser(t, "anna", account.Operator, "a long enough password")
	c.addUser(t, "bea", account.Operator, "a long enough password")
	id := c.addCase(t, "OKIT-2026-000001", 1, "partner_violence", "Edit <edit@example.test>", "segitseg", "Megint megütött.")
	pool := storagetest.Pool(c.st)
	if _, err := pool.Exec(ctx, `UPDATE cases SET assignee_id = (SELECT id FROM users WHERE username = 'anna') WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	anna, bea := c.session(t, "anna", true), c.session(t, "bea", true)
	c.do(t, anna, http.MethodPost, "/cases/OKIT-2026-000001/presence", url.Values{"state": {"writing"}})
	if _, page := c.do(t, bea, http.MethodGet, "/cases/OKIT-2026-000001", nil); !strings.Contains(page, "anna választ ír") {
		t.Error("bea's case page does not say that anna is writing")
	}
	if _, rows := c.do(t, bea, http.MethodGet, "/queue/rows", nil); !strings.Contains(rows, "anna választ ír") {
		t.Error("bea's queue does not mark the case anna is writing on")
	}

	count := func(q string) (n int) {
		pool.QueryRow(ctx, q).Scan(&n)
		return n
	}
	answer := func(who *http.Cookie, form url.Values) *http.Response {
		resp, _ := c.do(t, who, http.MethodPost, "/cases/OKIT-2026-000001/answer", form)
		return resp
	}
	// Bea answers anna's case without taking it over: refused.
	resp := answer(bea, url.Values{"text": {"Bea válasza."}})
	if got := resp.Request.URL.Query().Get("notice"); got != "problem.assigned_elsewhere" {
		t.Errorf("answering a colleague's case: notice %q", got)
	}
	// Taking it over, she answers, and the case is hers.
	answer(bea, url.Values{"text": {"Bea válasza."}, "take_over": {"yes"}})
	if n := count(`SELECT count(*) FROM cases c JOIN users u ON u.id = c.assignee_id WHERE u.username = 'bea'`); n != 1 {
		t.Error("answering with take-over did not give bea the case")
	}
	if n := count(`SELECT count(*) FROM case_events WHERE kind = 'assigned' AND data->>'why' = 'take_over' AND actor = 'user:bea'`); n != 1 {
		t.Error("the take-over is not an event")
	}
	// Anna answers a minute later, takes over back, and is asked to confirm,
	// shown bea's words; her own wait as a sealed draft.
	resp = answer(anna, url.Values{"text": {"Anna titkos válasza."}, "take_over": {"yes"}})
	if resp.Request.URL.Query().Get("confirm") == "" {
		t.Fatalf("a second answer within minutes was not asked to confirm: %s", resp.Request.URL)
	}
	_, page := c.do(t, anna, http.MethodGet, resp.Request.URL.RequestURI(), nil)
	if !strings.Contains(page, `id="recent-answer"`) || !strings.Contains(page, "Bea válasza.") || !strings.Contains(page, "Anna titkos válasza.</textarea>") {
		t.Errorf("the confirmation does not show bea's answer and keep anna's words:\n%s", page)
	}
	if n := count(`SELECT count(*) FROM outgoing WHERE actor = 'user:anna'`); n != 0 {
		t.Fatal("the second answer was queued without a confirmation")
	}
	if n := count(`SELECT count(*) FROM drafts WHERE position('Anna titkos' in encode(text_sealed, 'escape')) = 0`); n != 1 {
		t.Error("anna's words are not kept as one sealed draft")
	}
	after := resp.Request.URL.Query().Get("confirm")
	answer(anna, url.Values{"text": {"Anna titkos válasza."}, "take_over": {"yes"}, "after": {after}, "confirm_recent": {"yes"}})
	if n := count(`SELECT count(*) FROM outgoing WHERE actor = 'user:anna'`); n != 1 {
		t.Error("the confirmed second answer was not queued")
	}
	if n := count(`SELECT count(*) FROM drafts`); n != 0 {
		t.Error("the draft outlived the answer it was")
	}
}

// Two okit serve processes behind one address: an operator on one node
// sees a colleague on the other, writing and then gone.
func TestPresenceAcrossNodes(t *testing.T) {
	t.Parallel()
	one := newConsole(t)
	two := one.node(t)
	one.addUser(t, "anna", account.Operator, "a long enough password")
	one.addUser(t, "bea", account.Operator, "a long enough password")
	one.addCase(t, "OKIT-2026-000001", 1, "partner_violence", "Edit <edit@example.test>", "segitseg", "Megint megütött.")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go one.srv.Run(ctx)
	go two.srv.Run(ctx)
	anna, bea := one.session(t, "anna", true), two.session(t, "bea", true)
	say := func(node *console, who *http.Cookie, state string) string {
		_, body := node.do(t, who, http.MethodPost, "/cases/OKIT-2026-000001/presence", url.Values{"state": {state}})
		return strings.TrimSpace(body)
	}
	eventually := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal(what)
			}
		}
	}
	// A page says its mark every 20 seconds; here more often, until the
	// other node listens.
	eventually("bea, on the other node, does not see anna writing", func() bool {
		say(one, anna, "writing")
		return say(two, bea, "viewing") == `[{"user":"anna","writing":true}]`
	})
	say(one, anna, "left")
	eventually("bea, on the other node, still sees anna after she left", func() bool { return say(two, bea, "viewing") == "null" })
	// Anna's node may have started listening after bea's last marks: bea's
	// page says hers again, as it does every 20 seconds.
	eventually("anna's node does not see bea viewing", func() bool {
		say(two, bea, "viewing")
		return say(one, anna, "viewing") == `[{"user":"bea","writing":false}]`
	})
}

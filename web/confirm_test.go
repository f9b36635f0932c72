package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/storage/storagetest"
)

// "Priority is right" is for the operator who answers the case: its
// assignee, or anyone while it has none. A colleague, a supervisor
// included, is not offered it, and the console refuses their click;
// the assignee's click is a priority_confirmed event.
func TestPriorityIsRightForTheOneWhoAnswers(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	ctx := context.Background()
	for name, role := range map[string]account.Role{"anna": account.Operator, "bea": account.Operator, "vera": account.Supervisor} {
		c.addUser(t, name, role, "a long enough password")
	}
	id := c.addCase(t, "OKIT-2026-000001", 2, "partner_violence", "Edit <edit@example.test>", "segitseg", "Megint megütött.")
	const page, confirm = "/cases/OKIT-2026-000001", "/cases/OKIT-2026-000001/priority/confirm"
	pool := storagetest.Pool(c.st)
	confirmed := func() (n int) {
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM case_events WHERE kind = 'priority_confirmed'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	offered := func(who *http.Cookie) bool {
		_, body := c.do(t, who, http.MethodGet, page, nil)
		return strings.Contains(body, `id="priority-right"`)
	}
	anna, bea, vera := c.session(t, "anna", true), c.session(t, "bea", true), c.session(t, "vera", true)
	if !offered(bea) {
		t.Error("nobody's case: bea, who may answer it, is not offered the button")
	}
	if _, err := pool.Exec(ctx, `UPDATE cases SET assignee_id = (SELECT id FROM users WHERE username = 'anna') WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	for name, who := range map[string]*http.Cookie{"bea": bea, "vera": vera} {
		if offered(who) {
			t.Errorf("anna's case: %s is offered the button", name)
		}
		resp, _ := c.do(t, who, http.MethodPost, confirm, nil)
		if got := resp.Request.URL.Query().Get("notice"); got != "problem.confirm_not_yours" {
			t.Errorf("%s confirming anna's case: notice %q", name, got)
		}
	}
	if n := confirmed(); n != 0 {
		t.Fatalf("%d confirmations recorded from colleagues, want none", n)
	}
	if !offered(anna) {
		t.Error("anna is not offered the button on her own case")
	}
	resp, _ := c.do(t, anna, http.MethodPost, confirm, nil)
	if got := resp.Request.URL.Query().Get("notice"); got != "case.priority_confirmed" || confirmed() != 1 {
		t.Errorf("anna confirming: notice %q, %d confirmations", got, confirmed())
	}
}

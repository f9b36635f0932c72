package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/storage/storagetest"
)

// Supervisors see one banner on every page for every kind of alert until
// they acknowledge it; each supervisor for themselves, and operators not
// at all.
func TestAlertBannerForSupervisors(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	ctx := context.Background()
	c.addUser(t, "op", "operator", "a long enough password")
	c.addUser(t, "sup", "supervisor", "a long enough password")
	c.addUser(t, "sup2", "supervisor", "a long enough password")
	sup, sup2, op := c.session(t, "sup", true), c.session(t, "sup2", true), c.session(t, "op", true)
	banner := func(ck *http.Cookie) string {
		_, body := c.do(t, ck, http.MethodGet, "/shelters", nil)
		m := regexp.MustCompile(`(?s)<form[^>]*id="alerts"( hidden)?>(.*?)</form>`).FindStringSubmatch(body)
		if m == nil || m[1] != "" {
			return ""
		}
		return m[2]
	}
	shown := func(banner, kind string) bool {
		return regexp.MustCompile(`<span data-kind="` + kind + `" data-say="[^"]*">`).MatchString(banner)
	}
	if b := banner(sup); b != "" {
		t.Fatalf("a banner before any alert: %s", b)
	}
	if err := c.st.RaiseAlert(ctx, storage.AlertAckRate, map[string]any{"reason": "rate"}); err != nil {
		t.Fatal(err)
	}
	if err := c.st.RaiseAlert(ctx, "canary", map[string]any{"reason": "overdue"}); err != nil {
		t.Fatal(err)
	}
	b := banner(sup)
	if !shown(b, "ack_rate") || !shown(b, "canary") || shown(b, "breach") {
		t.Errorf("the supervisor's banner does not name both alerts:\n%s", b)
	}
	if banner(op) != "" {
		t.Error("an operator sees the supervisors' banner")
	}
	upto := regexp.MustCompile(`name="upto" value="(\d+)"`).FindStringSubmatch(b)[1]
	c.do(t, sup, http.MethodPost, "/alerts/ack", url.Values{"upto": {upto}, "back": {"/shelters"}})
	if b := banner(sup); b != "" {
		t.Errorf("the banner stays after it was acknowledged: %s", b)
	}
	if banner(sup2) == "" {
		t.Error("one supervisor's acknowledgement took the other's banner")
	}
	var n int
	storagetest.Pool(c.st).QueryRow(ctx, `SELECT count(*) FROM case_events WHERE kind = 'alerts_acknowledged' AND actor = 'user:sup'`).Scan(&n)
	if n != 1 {
		t.Errorf("%d acknowledgements recorded, want 1", n)
	}
	// A new alert brings the banner back, with only itself.
	if err := c.st.RaiseAlert(ctx, "canary", nil); err != nil {
		t.Fatal(err)
	}
	if b := banner(sup); !shown(b, "canary") || shown(b, "ack_rate") {
		t.Errorf("after a new alert the banner is:\n%s", b)
	}
}

// The script's alerts are ids and counts: a P1 nobody has is the
// operator's to know, as is a case assigned to them, but not a colleague's.
func TestAlertsSayNothing(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	ctx := context.Background()
	c.addUser(t, "op", "operator", "a long enough password")
	op := c.session(t, "op", true)
	pool := storagetest.Pool(c.st)
	var p1, mine, other int64
	for _, x := range []struct {
		id       *int64
		priority int
		assignee string
	}{{&p1, 1, ""}, {&mine, 3, "op"}, {&other, 2, ""}} {
		err := pool.QueryRow(ctx, `INSERT INTO cases (ref, first_received, last_received, priority, assignee_id)
			VALUES ('OKIT-2026-'||lpad((random()*1e6)::int::text, 6, '0'), now(), now(), $1, (SELECT id FROM users WHERE username = $2))
			RETURNING id`, x.priority, x.assignee).Scan(x.id)
		if err != nil {
			t.Fatal(err)
		}
	}
	resp, body := c.do(t, op, http.MethodGet, "/alerts", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /alerts: %d", resp.StatusCode)
	}
	var st alertState
	if err := json.Unmarshal([]byte(body), &st); err != nil {
		t.Fatal(err)
	}
	if len(st.P1) != 1 || st.P1[0] != p1 || len(st.Mine) != 1 || st.Mine[0] != mine || st.Locked {
		t.Errorf("alerts %s, want p1 [%d] and mine [%d], unlocked", body, p1, mine)
	}
	if st.EndsIn < 12*3600-60 || st.EndsIn > 12*3600 {
		t.Errorf("a new session ends in %d s, want about 12 h", st.EndsIn)
	}

	// Ten minutes before the absolute limit the page is told, to warn.
	if _, err := pool.Exec(ctx, `UPDATE sessions SET created_at = created_at - interval '11 hours 50 minutes'`); err != nil {
		t.Fatal(err)
	}
	_, body = c.do(t, op, http.MethodGet, "/alerts", nil)
	if err := json.Unmarshal([]byte(body), &st); err != nil || st.EndsIn < 540 || st.EndsIn > 600 {
		t.Errorf("a session 11 h 50 min old: %s, want ends_in about 600 s", body)
	}
	if _, page := c.do(t, op, http.MethodGet, "/queue", nil); !strings.Contains(page, `id="session-ending"`) {
		t.Error("the queue has no place to warn that the session ends")
	}
}

// An idle console locks: its pages and rows show nothing of a case, its
// alerts go on, and the password (not a wrong one) opens it again; so does
// a code of the person's second factor, once.
func TestIdleConsoleLocks(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	ctx := context.Background()
	c.addUser(t, "op", "operator", "a long enough password")
	const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	sealed, err := c.keys.Sealer().Seal([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.st.SetTOTP(ctx, "op", sealed, c.bind, "test"); err != nil {
		t.Fatal(err)
	}
	op := c.session(t, "op", true)
	idle := func() {
		t.Helper()
		if _, err := storagetest.Pool(c.st).Exec(ctx, `UPDATE sessions SET seen_at = seen_at - interval '31 minutes'`); err != nil {
			t.Fatal(err)
		}
	}
	idle()
	_, body := c.do(t, op, http.MethodGet, "/queue", nil)
	if !strings.Contains(body, `id="lock"`) || strings.Contains(body, `id="rows"`) || !strings.Contains(body, `name="code"`) {
		t.Fatalf("an idle console's queue is not the lock page with a code field:\n%.600s", body)
	}
	if resp, _ := c.do(t, op, http.MethodGet, "/queue/rows", nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a locked console's rows: %d, want 401", resp.StatusCode)
	}
	if _, body := c.do(t, op, http.MethodGet, "/alerts", nil); !strings.Contains(body, `"locked":true`) {
		t.Errorf("a locked console's alerts: %s", body)
	}
	_, body = c.do(t, op, http.MethodPost, "/unlock", url.Values{"password": {"a wrong password"}, "next": {"/queue"}})
	if !strings.Contains(body, `id="lock"`) {
		t.Error("a wrong password unlocked the console")
	}
	_, body = c.do(t, op, http.MethodPost, "/unlock", url.Values{"password": {"a long enough password"}, "next": {"/queue"}})
	if !strings.Contains(body, `id="rows"`) {
		t.Errorf("the password did not unlock the console:\n%.600s", body)
	}

	idle()
	code, _ := account.TOTPCode(secret, time.Now())
	wrong := "000000"
	if code == wrong {
		wrong = "000001"
	}
	if _, body = c.do(t, op, http.MethodPost, "/unlock", url.Values{"code": {wrong}, "next": {"/queue"}}); !strings.Contains(body, `id="lock"`) {
		t.Error("a wrong code unlocked the console")
	}
	if _, body = c.do(t, op, http.MethodPost, "/unlock", url.Values{"code": {code}, "next": {"/queue"}}); !strings.Contains(body, `id="rows"`) {
		t.Errorf("the code did not unlock the console:\n%.600s", body)
	}
	idle()
	if _, body = c.do(t, op, http.MethodPost, "/unlock", url.Values{"code": {code}, "next": {"/queue"}}); !strings.Contains(body, `id="lock"`) {
		t.Error("a code used once unlocked the console again")
	}
	if n, _ := c.st.SecondFactorFailures(ctx, "op", time.Now().Add(-time.Hour)); n != 2 {
		t.Errorf("%d failed second factors recorded, want 2 (the wrong code and the reused one)", n)
	}
}

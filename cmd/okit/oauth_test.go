package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ncsszi/okit/demo"
)

// okit serve on a mailbox that takes only tokens (as Microsoft 365 does),
// signed in by a person with okit mailbox authorize: mail is read by
// XOAUTH2 and answered by OAUTHBEARER, the refresh token rotates and is
// rewritten; a revoked grant makes /healthz fail with what to do, counts
// and records a mailbox_auth alert (the supervisors' banner) once, while
// the console keeps working; signing in again is picked up without a
// restart, and the mail that came meanwhile is taken in.
func TestServeSignsInWithOAuth(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs okit")
	}
	t.Parallel()
	o := demo.StartOAuth(3 * time.Second)
	t.Cleanup(o.Close)
	s := newStageWith(t, demo.MailboxOptions{OAuth: o})
	s.sink.RequireOAuth(o, "okit@ncsszi.hu")
	file := filepath.Join(t.TempDir(), "oauth-token")
	for k, v := range map[string]string{"OKIT_IMAP_AUTH": "xoauth2", "OKIT_IMAP_PASSWORD": "", "OKIT_SMTP_AUTH": "oauthbearer",
		"OKIT_SMTP_USERNAME": "okit@ncsszi.hu", "OKIT_OAUTH_GRANT": "device_code", "OKIT_OAUTH_TOKEN_URL": o.TokenURL(),
		"OKIT_OAUTH_DEVICE_URL": o.DeviceURL(), "OKIT_OAUTH_CLIENT_ID": o.ClientID, "OKIT_OAUTH_TOKEN_FILE": file,
		"OKIT_AUTHSERV_ID": ""} {
		s.vars[k] = v
	}
	authorize := func() string {
		t.Helper()
		done := make(chan struct{})
		var out, errs string
		var code int
		go func() { defer close(done); out, errs, code = s.okit("", "mailbox", "authorize") }()
		for approved := false; !approved; {
			select {
			case <-done:
				approved = true
			case <-time.After(100 * time.Millisecond):
				o.Approve()
			}
		}
		if code != 0 {
			t.Fatalf("okit mailbox authorize: exit %d\n%s%s", code, out, errs)
		}
		return out
	}
	out := authorize()
	if !strings.Contains(out, o.URL+"/devicelogin") || !strings.Contains(out, "enter the code") {
		t.Errorf("okit mailbox authorize said:\n%s", out)
	}
	authorized := readFile(t, file)

	s.start()
	s.ready()
	s.deliver(letter("oauth-1@example.test", "Anna <anna@example.test>", "kerdes", "Szeretnek tanacsot kerni."), time.Now())
	s.stored(1)
	s.wait("the acknowledgement sent by OAUTHBEARER", func() bool { return len(s.sink.Deliveries()) == 1 })
	if readFile(t, file) == authorized {
		t.Error("the refresh token the provider rotated was not written to OKIT_OAUTH_TOKEN_FILE")
	}

	o.Revoke()
	alerts := `SELECT count(*) FROM case_events WHERE kind = 'alert' AND data->>'alert' = 'mailbox_auth'`
	s.wait("a mailbox_auth alert event", func() bool { return s.count(alerts) == 1 })
	code, health := s.get("/healthz")
	var report struct {
		Problems map[string]string `json:"problems"`
	}
	json.Unmarshal([]byte(health), &report)
	if code != http.StatusServiceUnavailable || !strings.Contains(report.Problems["mailbox_auth"], "invalid_grant") ||
		!strings.Contains(report.Problems["mailbox_auth"], "okit mailbox authorize") {
		t.Errorf("/healthz while the grant is revoked: %d %s", code, health)
	}
	if m := s.metric(`okit_alerts_total{kind="mailbox_auth"}`); m != `okit_alerts_total{kind="mailbox_auth"} 1` {
		t.Errorf("metric %q", m)
	}
	if code, _ := s.get("/login"); code != http.StatusOK {
		t.Errorf("the console answered %d while the grant is revoked", code)
	}
	s.deliver(letter("oauth-2@example.test", "Bela <bela@example.test>", "kerdes", "Szeretnek tanacsot kerni."), time.Now())
	time.Sleep(3 * time.Second)

	o.Restore()
	authorize()
	s.stored(2)
	s.wait("/healthz healthy again", func() bool { code, _ := s.get("/healthz"); return code == http.StatusOK })
	s.wait("bela's acknowledgement", func() bool { return len(s.sink.Deliveries()) == 2 })
	if n := s.count(alerts); n != 1 {
		t.Errorf("%d mailbox_auth alert events, want 1 for the one failure", n)
	}
	for _, secret := range []string{readFile(t, file), o.ClientSecret} {
		if strings.Contains(s.logs(), secret) {
			t.Error("the log holds a token or a secret")
		}
	}
}

// ready waits until the stage's okit serve answers /healthz with 200.
// Starting is not what the tests time: unlocking the private key under
// the race detector on a busy machine can take tens of seconds.
func (s *stage) ready() {
	s.t.Helper()
	for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if code, _ := s.get("/healthz"); code == http.StatusOK {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("okit serve not healthy within 90 s\n%s", s.logs())
		}
	}
}

// get fetches a path of the stage's okit serve.
func (s *stage) get(path string) (int, string) {
	addr := s.addr
	if path == "/healthz" || path == "/metrics" {
		addr = s.health
	}
	resp, err := http.Get("http://" + addr + path)
	if err != nil {
		return 0, ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

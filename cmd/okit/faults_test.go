package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ncsszi/okit/demo"
	"github.com/ncsszi/okit/storage/storagetest"
)

// writerMail is the nth writer's message, from an address of their own.
func writerMail(n int) []byte {
	return letter(fmt.Sprintf("fault-%d@example.test", n), fmt.Sprintf("Writer %d <writer%d@example.test>", n, n),
		"kerdes", "Szeretnek tanacsot kerni.")
}

// acknowledged fails unless each of n writers got exactly one mail.
func acknowledgedOnce(t *testing.T, sink *demo.Sink, n int) {
	t.Helper()
	per := map[string]int{}
	for _, d := range sink.Deliveries() {
		per[d.To[0]]++
	}
	for to, k := range per {
		if k != 1 {
			t.Errorf("%s got %d mails, want 1", to, k)
		}
	}
	if len(per) != n {
		t.Errorf("%d writers got mail, want %d", len(per), n)
	}
}

// PostgreSQL restarted while mail arrives (a private cluster: the shared
// server is never restarted): intake stops while the database is away,
// takes the mailbox again when it is back, and loses and duplicates
// nothing; okit serve keeps running throughout, and every writer is
// acknowledged once.
func TestPostgresRestartWhileMailArrives(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs okit and a PostgreSQL")
	}
	t.Parallel()
	pg := startPrivatePG(t)
	bin := buildOkit(t)
	mbox := startMailbox(t)
	sink := startSink(t)
	env := okitEnvAt(t, bin, mbox, pg.URL)
	cmd, addr, health, logs := startServe(t, bin, env, "OKIT_SMTP_ADDR="+sink.Addr, "OKIT_SMTP_TLS=none", "OKIT_FROM=valasz@example.hu",
		"OKIT_ACK_RATE=1000", "OKIT_ACK_RATE_DOMAIN=1000")
	(&stage{t: t, addr: addr, health: health, logs: logs}).ready()

	const total = 120
	delivered := make(chan struct{})
	go func() {
		defer close(delivered)
		for i := range total {
			mbox.Deliver(writerMail(i), time.Now())
			time.Sleep(50 * time.Millisecond)
		}
	}()
	time.Sleep(2 * time.Second)
	pg.Stop()
	time.Sleep(3 * time.Second) // mail keeps arriving with the database away
	pg.Start()
	<-delivered

	st := storagetest.Open(t, pg.URL, false, time.Now)
	stored := func() (n, distinct int) {
		storagetest.Pool(st).QueryRow(context.Background(),
			`SELECT count(*), count(DISTINCT raw_digest) FROM messages WHERE direction = 'in'`).Scan(&n, &distinct)
		return n, distinct
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if n, _ := stored(); n >= total && len(sink.Deliveries()) >= total {
			break
		}
		if time.Now().After(deadline) {
			n, _ := stored()
			t.Fatalf("%d stored, %d acknowledged, 30 s after the restart; want %d\n%s", n, len(sink.Deliveries()), total, logs())
		}
	}
	if cmd.ProcessState != nil {
		t.Fatalf("okit serve exited: %v\n%s", cmd.ProcessState, logs())
	}
	if n, distinct := stored(); n != total || distinct != total {
		t.Errorf("%d stored (%d distinct), want each of %d once", n, distinct, total)
	}
	if inbox, _ := mbox.Count("INBOX"); inbox != 0 {
		t.Errorf("%d messages left in the INBOX", inbox)
	}
	time.Sleep(time.Second)
	acknowledgedOnce(t, sink, total)
	if !strings.Contains(logs(), "lost the mailbox lock") {
		t.Errorf("intake did not say it stopped when the database went away\n%s", logs())
	}
}

// The SMTP server down: acknowledgements and operators' answers wait,
// retried with backoff, and each goes out once when it is back. (River
// retries after 1 s, 16 s, 81 s, ...: the server is down for 12 s here,
// so that the test stays under a minute; an outage of a minute, tried
// against Postfix, is in the README.)
func TestSMTPDownRepliesWaitAndGoOutOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs okit")
	}
	t.Parallel()
	s := newStage(t)
	delete(s.vars, "OKIT_AUTHSERV_ID")
	s.sink.Down(true)
	s.start()
	s.ready()
	down := time.Now()
	for i := range 3 {
		s.deliver(writerMail(i), time.Now())
	}
	s.stored(3)
	for i := range 2 {
		ref := s.caseOf(fmt.Sprintf("fault-%d@example.test", i))
		if _, errs, code := s.okit(fmt.Sprintf("Kedves %d, irjon nyugodtan.", i), "reply", ref); code != 0 {
			t.Fatalf("okit reply: %s", errs)
		}
	}
	time.Sleep(time.Until(down.Add(12 * time.Second)))
	if n := len(s.sink.Deliveries()); n != 0 {
		t.Fatalf("%d mails through a server that is down", n)
	}
	pending := s.count(`SELECT count(*) FROM outgoing WHERE state IN ('queued', 'composed')`)
	s.sink.Down(false)
	s.wait("3 acknowledgements and 2 answers", func() bool { return len(s.sink.Deliveries()) == 5 })
	time.Sleep(2 * time.Second)
	if pending != 5 {
		t.Errorf("%d replies waiting while the server was down, want 5", pending)
	}
	per := map[string]int{}
	for _, d := range s.sink.Deliveries() {
		per[d.To[0]]++
	}
	want := map[string]int{"writer0@example.test": 2, "writer1@example.test": 2, "writer2@example.test": 1}
	for to, n := range want {
		if per[to] != n {
			t.Errorf("%s got %d mails, want %d (acknowledgement and answer once each)", to, per[to], n)
		}
	}
	if n := s.count(`SELECT count(*) FROM outgoing WHERE state = 'sent'`); n != 5 {
		t.Errorf("%d replies recorded sent, want 5", n)
	}
}

// The OAuth token endpoint fails for a while (tokens last 2 s, so intake
// needs new ones all along): intake fails and says so, mail waits on the
// server, and once the endpoint is back everything is taken in, once. An
// outage shorter than the grace raises no alert.
func TestTokenEndpointFailsThenRecovers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs okit")
	}
	t.Parallel()
	o := demo.StartOAuth(2 * time.Second)
	t.Cleanup(o.Close)
	s := newStageWith(t, demo.MailboxOptions{OAuth: o})
	secret := t.TempDir() + "/secret"
	writeFile(t, secret, o.ClientSecret)
	for k, v := range map[string]string{"OKIT_IMAP_AUTH": "xoauth2", "OKIT_IMAP_PASSWORD": "", "OKIT_OAUTH_GRANT": "client_credentials",
		"OKIT_OAUTH_TOKEN_URL": o.TokenURL(), "OKIT_OAUTH_CLIENT_ID": o.ClientID, "OKIT_OAUTH_CLIENT_SECRET_FILE": secret,
		"OKIT_AUTHSERV_ID": ""} {
		s.vars[k] = v
	}
	s.start()
	s.ready()
	s.deliver(writerMail(0), time.Now())
	s.stored(1)

	o.Down(true)
	for i := 1; i <= 6; i++ {
		s.deliver(writerMail(i), time.Now())
		time.Sleep(time.Second)
	}
	s.wait("/healthz failing", func() bool { code, _ := s.get("/healthz"); return code == http.StatusServiceUnavailable })
	o.Down(false)
	s.stored(7)
	s.wait("/healthz healthy again", func() bool { code, _ := s.get("/healthz"); return code == http.StatusOK })
	if n := s.count(`SELECT count(DISTINCT raw_digest) FROM messages WHERE direction = 'in'`); n != 7 {
		t.Errorf("%d distinct messages, want 7", n)
	}
	if n := s.count(`SELECT count(*) FROM case_events WHERE kind = 'alert' AND data->>'alert' = 'mailbox_auth'`); n != 0 {
		t.Errorf("%d mailbox_auth alerts for an outage shorter than the grace, want 0", n)
	}
	if !strings.Contains(s.logs(), "unavailable") {
		t.Errorf("the log does not say the token endpoint was unavailable\n%s", s.logs())
	}
	s.acksSent(7)
}

// acksSent waits until n acknowledgements reached the sink.
func (s *stage) acksSent(n int) {
	s.t.Helper()
	s.wait(fmt.Sprintf("%d acknowledgements", n), func() bool { return len(s.sink.Deliveries()) == n })
}

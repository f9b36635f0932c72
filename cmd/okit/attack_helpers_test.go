package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/ncsszi/okit/demo"
	"github.com/ncsszi/okit/seal"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/storage/storagetest"
)

// authservID is the receiving server the attack tests configure: only
// its Authentication-Results are believed.
const authservID = "mx.ncsszi.hu"

// stage is a real okit serve with its mailbox, mail sink and database,
// for tests that try okit as an attacker would.
type stage struct {
	t     *testing.T
	mbox  *demo.Mailbox
	sink  *demo.Sink
	st    *storage.Store
	index *seal.Index
	vars  map[string]string
	addr  string // the console's
	// health is where /healthz and /metrics are (OKIT_HEALTH_ADDR).
	health string
	logs   func() string
}

// newStage prepares a stage; start runs okit serve on it. Settings in
// extra come after the defaults (acknowledgements on, the sink, our
// authserv-id).
func newStage(t *testing.T) *stage {
	t.Helper()
	return newStageWith(t, demo.MailboxOptions{})
}

// newStageWith prepares a stage whose mailbox is made with opts.
func newStageWith(t *testing.T, opts demo.MailboxOptions) *stage {
	t.Helper()
	bin := buildOkit(t)
	mbox, err := demo.StartMailbox("okit@ncsszi.hu", slog.New(slog.DiscardHandler), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mbox.Close() })
	s := &stage{t: t, mbox: mbox, sink: startSink(t)}
	env := okitEnv(t, bin, s.mbox)
	s.vars = envMap(env)
	s.st = storagetest.Open(t, s.vars["OKIT_MIGRATE_DATABASE_URL"], false, time.Now)
	if s.index, err = seal.LoadIndex(s.vars["OKIT_INDEX_KEY_FILE"]); err != nil {
		t.Fatal(err)
	}
	s.vars["OKIT_SMTP_ADDR"], s.vars["OKIT_SMTP_TLS"], s.vars["OKIT_FROM"] = s.sink.Addr, "none", "valasz@example.hu"
	s.vars["OKIT_AUTHSERV_ID"] = authservID
	s.vars["bin"] = bin
	return s
}

func (s *stage) start(extra ...string) {
	s.t.Helper()
	var env []string
	for k, v := range s.vars {
		if k != "bin" {
			env = append(env, k+"="+v)
		}
	}
	_, s.addr, s.health, s.logs = startServe(s.t, s.vars["bin"], append(env, extra...))
}

// letter is a small plain-text message with the given header lines.
func letter(id, from, subject, body string, headers ...string) []byte {
	h := "From: " + from + "\r\nTo: okit@ncsszi.hu\r\nSubject: " + subject + "\r\nMessage-ID: <" + id + ">\r\n"
	for _, x := range headers {
		h += x + "\r\n"
	}
	return []byte(h + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n")
}

// verified is what our server writes above mail whose From's domain
// passed DMARC; forged, above mail whose did not.
func verified(domain string) string {
	return fmt.Sprintf("Authentication-Results: %s; spf=pass smtp.mailfrom=%s; dkim=pass header.d=%s; dmarc=pass header.from=%s",
		authservID, domain, domain, domain)
}

func forged(domain string) string {
	return fmt.Sprintf("Authentication-Results: %s; spf=fail smtp.mailfrom=forger.example; dkim=none; dmarc=fail (p=reject) header.from=%s",
		authservID, domain)
}

func (s *stage) deliver(raw []byte, at time.Time) {
	s.t.Helper()
	if err := s.mbox.Deliver(raw, at); err != nil {
		s.t.Fatal(err)
	}
}

// wait waits up to 30s for cond.
func (s *stage) wait(what string, cond func() bool) {
	s.t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			s.t.Fatalf("waited 30s for %s\nlog:\n%s", what, s.logs())
		}
	}
}

func (s *stage) count(q string, args ...any) int {
	s.t.Helper()
	var n int
	if err := storagetest.Pool(s.st).QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		s.t.Fatal(err)
	}
	return n
}

// stored waits until n incoming messages are stored.
func (s *stage) stored(n int) {
	s.t.Helper()
	s.wait(fmt.Sprintf("%d messages stored", n), func() bool {
		return s.count(`SELECT count(*) FROM messages WHERE direction = 'in'`) == n
	})
}

// caseOf is the case of the message with the given Message-ID stored
// last, found by its digest as intake files it.
func (s *stage) caseOf(messageID string) string {
	s.t.Helper()
	var ref string
	err := storagetest.Pool(s.st).QueryRow(context.Background(), `SELECT c.ref FROM messages m JOIN cases c ON c.id = m.case_id
		WHERE m.message_id_digest = $1 ORDER BY m.id DESC LIMIT 1`, s.index.MessageIDDigest(messageID)).Scan(&ref)
	if err != nil {
		s.t.Fatalf("the case of <%s>: %v", messageID, err)
	}
	return ref
}

// sent is what the sink accepted, by recipient: the decoded bodies.
func (s *stage) sent() map[string][]string {
	s.t.Helper()
	out := map[string][]string{}
	for _, d := range s.sink.Deliveries() {
		m, err := mail.ReadMessage(bytes.NewReader(d.Data))
		if err != nil {
			s.t.Fatal(err)
		}
		body, _ := io.ReadAll(quotedprintable.NewReader(m.Body))
		for _, to := range d.To {
			out[to] = append(out[to], string(body))
		}
	}
	return out
}

// reasons lists the states and reasons of the acknowledgements of the
// case with the given reference, in order.
func (s *stage) acks(ref string) []string {
	s.t.Helper()
	rows, err := storagetest.Pool(s.st).Query(context.Background(), `SELECT o.state || coalesce(':' || o.reason, '') FROM outgoing o
		JOIN cases c ON c.id = o.case_id WHERE c.ref = $1 AND o.kind = 'ack' ORDER BY o.id`, ref)
	if err != nil {
		s.t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		var x string
		rows.Scan(&x)
		out = append(out, x)
	}
	return out
}

// events lists the kinds of a case's events that match one of kinds,
// with the reference their data names, if any.
func (s *stage) events(ref string, kinds ...string) []string {
	s.t.Helper()
	rows, err := storagetest.Pool(s.st).Query(context.Background(), `SELECT e.kind || coalesce(':' || (e.data->>'ref'), '')
		FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.ref = $1 AND e.kind = ANY($2) ORDER BY e.id`, ref, kinds)
	if err != nil {
		s.t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		var x string
		rows.Scan(&x)
		out = append(out, x)
	}
	return out
}

// metric reads one line of /metrics.
func (s *stage) metric(prefix string) string {
	s.t.Helper()
	resp, err := http.Get("http://" + s.health + "/metrics")
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, prefix) {
			return line
		}
	}
	return ""
}

// okit runs an okit command in process against the stage's database.
func (s *stage) okit(stdin string, args ...string) (string, string, int) {
	s.t.Helper()
	return runIn(s.t, s.vars, stdin, args...)
}

// person adds a console user with the password "NAME jelszava 2026",
// on shift when onShift says so.
func (s *stage) person(name, role string, onShift bool) {
	s.t.Helper()
	run := func(stdin string, args ...string) {
		s.t.Helper()
		if out, errs, code := s.okit(stdin, args...); code != 0 {
			s.t.Fatalf("okit %v: %d\n%s%s", args, code, out, errs)
		}
	}
	run("", "users", "add", name, "--role", role)
	run(name+" jelszava 2026\n", "users", "password", name)
	if onShift {
		run("", "shift", "start", name)
	}
}

// noPlaintext fails if any of secrets is in any column of any table, or
// in the log.
func (s *stage) noPlaintext(secrets ...string) {
	s.t.Helper()
	dump := storagetest.Dump(s.t, s.st)
	for _, x := range secrets {
		if bytes.Contains(bytes.ToLower(dump), []byte(strings.ToLower(x))) {
			s.t.Errorf("the database holds %q in the clear", x)
		}
		if strings.Contains(strings.ToLower(s.logs()), strings.ToLower(x)) {
			s.t.Errorf("the log holds %q", x)
		}
	}
}

package intake_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ncsszi/okit/demo"
	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/seal"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/storage/storagetest"
	"github.com/ncsszi/okit/triage"
)

// rules are parsed once for the package.
var rules = triage.Default()

// keys are made once for the package: key generation is the slow part.
var keys struct {
	sealer *seal.Sealer
	opener *seal.Opener
	index  *seal.Index
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "okit-intake-test-")
	if err != nil {
		panic(err)
	}
	pass := []byte("a test passphrase, long enough")
	paths, err := seal.GenerateKeys(filepath.Join(dir, "keys"), seal.Curve25519, "test", "okit@ncsszi.hu", pass)
	if err == nil {
		keys.sealer, err = seal.LoadSealer(paths.Public)
	}
	if err == nil {
		keys.opener, err = seal.LoadOpener(paths.Private, pass)
	}
	if err == nil {
		keys.index, err = seal.LoadIndex(paths.Index)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "make test keys:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// syncBuffer is a log destination safe for the goroutines of Run.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type fixture struct {
	t     testing.TB
	mbox  *demo.Mailbox
	store *storage.Store
	url   string // the store's schema, as its owner
	logs  *syncBuffer
	cfg   intake.Config
}

func newFixture(t testing.TB, opts demo.MailboxOptions) *fixture {
	t.Helper()
	f := &fixture{t: t, url: storagetest.URL(t), logs: &syncBuffer{}}
	f.store = storagetest.Open(t, f.url, true, time.Now)
	mbox, err := demo.StartMailbox("okit@ncsszi.hu", slog.New(slog.DiscardHandler), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mbox.Close() })
	f.mbox = mbox
	f.cfg = intake.Config{
		Addr: mbox.Addr, Security: intake.SecurityNone, Username: mbox.Username, Password: mbox.Password,
		Mailbox: "INBOX", After: intake.AfterMove, MoveTo: "okit-stored",
		PollInterval: 30 * time.Second, BatchSize: 50, MaxSize: 25 << 20, CommandTimeout: 30 * time.Second,
		Rules: rules, Targets: triage.DefaultTargets,
	}
	return f
}

func (f *fixture) intake() *intake.Intake {
	log := slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return intake.New(f.cfg, f.store, keys.sealer, keys.index, log, time.Now)
}

func (f *fixture) deliver(raws ...[]byte) {
	f.t.Helper()
	for _, raw := range raws {
		if err := f.mbox.Deliver(raw, time.Now()); err != nil {
			f.t.Fatal(err)
		}
	}
}

func (f *fixture) once() intake.Stats {
	f.t.Helper()
	st, err := f.intake().Once(context.Background())
	if err != nil {
		f.t.Fatalf("Once: %v\nlog:\n%s", err, f.logs)
	}
	return st
}

func (f *fixture) count(folder string) int {
	f.t.Helper()
	n, err := f.mbox.Count(folder)
	if err != nil {
		f.t.Fatalf("count %s: %v", folder, err)
	}
	return n
}

func (f *fixture) storedMessages() int {
	f.t.Helper()
	var n int
	if err := storagetest.Pool(f.store).QueryRow(context.Background(), `SELECT count(*) FROM messages`).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

// mail builds a small plain-text message.
func mail(id, from, subject, body string, headers ...string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\nTo: okit@ncsszi.hu\r\nSubject: %s\r\nMessage-ID: <%s>\r\nDate: Tue, 24 Nov 2026 03:12:00 +0100\r\n", from, subject, id)
	for _, h := range headers {
		b.WriteString(h + "\r\n")
	}
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	b.WriteString(body + "\r\n")
	return b.Bytes()
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

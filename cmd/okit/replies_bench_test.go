package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/mail"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ncsszi/okit/demo"
	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/seal"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/storage/storagetest"
	"github.com/ncsszi/okit/triage"
)

// ackRig is intake, the reply worker and a mail sink in process, on a
// fresh schema.
type ackRig struct {
	mbox     *demo.Mailbox
	in       *intake.Intake
	mu       sync.Mutex
	accepted map[string]time.Time // by recipient
}

func newAckRig(b *testing.B, ctx context.Context) *ackRig {
	r := &ackRig{accepted: map[string]time.Time{}}
	pass := []byte("benchmark passphrase")
	paths, err := seal.GenerateKeys(filepath.Join(b.TempDir(), "keys"), seal.Curve25519, "b", "okit@ncsszi.hu", pass)
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	mbox, err := demo.StartMailbox("okit@ncsszi.hu", log, demo.MailboxOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { mbox.Close() })
	r.mbox = mbox
	sink, err := demo.StartSink(func(d demo.Delivery) {
		r.mu.Lock()
		r.accepted[d.To[0]] = time.Now()
		r.mu.Unlock()
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { sink.Close() })
	sender, _ := replies.NewSMTPSender(replies.SMTPConfig{Addr: sink.Addr, Security: replies.SecurityNone})
	url := storagetest.URL(b)
	storagetest.Open(b, url, true, time.Now)
	p, err := build(ctx, settings{
		databaseURL: storagetest.As(b, url, storage.ConsoleRole), intakeDatabaseURL: storagetest.As(b, url, storage.IntakeRole),
		imap: intake.Config{Addr: mbox.Addr, Security: intake.SecurityNone, Username: mbox.Username,
			Password: mbox.Password, Mailbox: "INBOX", After: intake.AfterMove, MoveTo: "okit-stored",
			PollInterval: time.Minute, BatchSize: 100, MaxSize: 25 << 20, CommandTimeout: time.Minute,
			Rules: triage.Default(), Targets: triage.DefaultTargets, // A benchmark sends hours' worth of acknowledgements, to one domain.
			Ack: &replies.AckPolicy{Own: []string{"okit@ncsszi.hu"}, Rate: 1 << 20, RateDomain: 1 << 20}},
		keys: keyFiles{public: paths.Public, index: paths.Index, private: paths.Private, passphrase: pass},
		mail: &mailSettings{sender: sender, from: mail.Address{Address: "okit@ncsszi.hu"}},
	}, log)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(p.close)
	stopped := make(chan error, 1)
	go func() { stopped <- runLoops(ctx, log, p.workerLoops()) }()
	b.Cleanup(func() { <-stopped })
	r.in = p.intake
	return r
}

func (r *ackRig) deliver(b *testing.B, i int) time.Time {
	raw := fmt.Appendf(nil, "From: Writer <w%d@example.test>\r\nTo: okit@ncsszi.hu\r\nSubject: kerdes\r\n"+
		"Message-ID: <ack-bench-%d@example.test>\r\n\r\nSzeretnek tanacsot kerni.\r\n", i, i)
	at := time.Now()
	if err := r.mbox.Deliver(raw, at); err != nil {
		b.Fatal(err)
	}
	return at
}

// wait waits until n acknowledgements were accepted.
func (r *ackRig) wait(b *testing.B, n int) {
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		r.mu.Lock()
		got := len(r.accepted)
		r.mu.Unlock()
		if got == n {
			return
		}
	}
	b.Fatalf("not all %d acknowledged", n)
}

// BenchmarkAcknowledgement measures, with IDLE, the time from a message's
// arrival in the mailbox to the SMTP server's acceptance of its
// acknowledgement (in-process IMAP server, PostgreSQL, job queue, SMTP
// sink), one new writer every 50 ms.
func BenchmarkAcknowledgement(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := newAckRig(b, ctx)
	go r.in.Run(ctx)
	for !r.in.Health().Report().OK {
		time.Sleep(10 * time.Millisecond)
	}
	arrived := make([]time.Time, b.N)
	b.ResetTimer()
	for i := range b.N {
		arrived[i] = r.deliver(b, i)
		time.Sleep(50 * time.Millisecond)
	}
	r.wait(b, b.N)
	b.StopTimer()
	r.mu.Lock()
	defer r.mu.Unlock()
	var lat []time.Duration
	for i := range b.N {
		lat = append(lat, r.accepted[fmt.Sprintf("w%d@example.test", i)].Sub(arrived[i]))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkAcknowledgementBurst measures acknowledgements per second when
// b.N new writers' mail is waiting at once.
func BenchmarkAcknowledgementBurst(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := newAckRig(b, ctx)
	for i := range b.N {
		r.deliver(b, i)
	}
	b.ResetTimer()
	start := time.Now()
	go r.in.Run(ctx)
	r.wait(b, b.N)
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "acks/s")
}

package intake_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ncsszi/okit/demo"
	"github.com/ncsszi/okit/intake"
)

// message20KiB is a realistic 20 KiB message: a long Hungarian text in
// quoted-printable and a small attachment.
func message20KiB(i int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: =?utf-8?q?Szab=C3=B3_Ilona?= <ilona.szabo%d@example.hu>\r\nTo: okit@ncsszi.hu\r\n"+
		"Subject: =?utf-8?q?Seg=C3=ADts=C3=A9get_k=C3=A9rek?= %d\r\nMessage-ID: <bench-%d-%d@example.hu>\r\n"+
		"Date: Tue, 24 Nov 2026 03:12:00 +0100\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n", i, i, i, time.Now().UnixNano())
	line := "A p=C3=A1rom tegnap este megint kiab=C3=A1lt velem, =C3=A9s azt mondta, hogy ha elmegyek, megb=\r\n=C3=A1nom. F=C3=A9lek hazamenni a gyerekekkel.\r\n"
	for b.Len() < 16<<10 {
		b.WriteString(line)
	}
	b.WriteString("\r\n--b1\r\nContent-Type: application/pdf; name=\"latlelet.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	for b.Len() < 20<<10-60 {
		b.WriteString("JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFIvRmlsdGVyIC9GbGF0ZURlY29kZT4+\r\n")
	}
	b.WriteString("\r\n--b1--\r\n")
	return b.Bytes()
}

// BenchmarkIntake20KiB measures durable intake: fetch, parse, seal, insert
// and commit, then move, of 20 KiB messages against an in-process IMAP
// server and a real PostgreSQL.
func BenchmarkIntake20KiB(b *testing.B) {
	f := newFixture(b, demo.MailboxOptions{})
	f.cfg.BatchSize = 100
	b.StopTimer()
	for i := range b.N {
		if err := f.mbox.Deliver(message20KiB(i), time.Now()); err != nil {
			b.Fatal(err)
		}
	}
	in := f.intake()
	b.StartTimer()
	start := time.Now()
	st, err := in.Once(context.Background())
	elapsed := time.Since(start)
	if err != nil {
		b.Fatal(err)
	}
	if st.Stored != b.N {
		b.Fatalf("stored %d of %d", st.Stored, b.N)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
}

// latencyStore notes when each commit returns.
type latencyStore struct {
	intake.Store
	mu        sync.Mutex
	committed map[uint32]time.Time
}

func (l *latencyStore) Save(ctx context.Context, mb string, cp intake.Checkpoint, recs []intake.Record) ([]intake.Outcome, error) {
	outs, err := l.Store.Save(ctx, mb, cp, recs)
	now := time.Now()
	l.mu.Lock()
	for _, r := range recs {
		l.committed[r.UID] = now
	}
	l.mu.Unlock()
	return outs, err
}

// BenchmarkArrivalToCommit measures, with IDLE, the time from a message's
// arrival in the mailbox to the commit of its case: messages arrive one by
// one, 20 ms apart.
func BenchmarkArrivalToCommit(b *testing.B) {
	f := newFixture(b, demo.MailboxOptions{})
	ls := &latencyStore{Store: f.store, committed: map[uint32]time.Time{}}
	in := intake.New(f.cfg, ls, keys.sealer, keys.index, discard(), time.Now)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go in.Run(ctx)
	for !in.Health().Report().OK {
		time.Sleep(10 * time.Millisecond)
	}
	arrived := make([]time.Time, b.N)
	b.ResetTimer()
	for i := range b.N {
		arrived[i] = time.Now()
		if err := f.mbox.Deliver(message20KiB(i), arrived[i]); err != nil {
			b.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		ls.mu.Lock()
		n := len(ls.committed)
		ls.mu.Unlock()
		if n == b.N || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	b.StopTimer()
	ls.mu.Lock()
	defer ls.mu.Unlock()
	var lat []time.Duration
	for i := range b.N {
		if c, ok := ls.committed[uint32(i+1)]; ok { // UIDs start at 1
			lat = append(lat, c.Sub(arrived[i]))
		}
	}
	if len(lat) != b.N {
		b.Fatalf("%d of %d committed", len(lat), b.N)
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/message"
	"github.com/ncsszi/okit/seal"
	"github.com/ncsszi/okit/storage/storagetest"
	"github.com/ncsszi/okit/triage"
)

// BenchmarkReseal moves 2,000 messages of about 4 KiB, stored under key
// 1, to key 2 in batches of 200, as okit reseal does: opening, sealing and
// digesting each again, with their case writers. It reports rows a second.
func BenchmarkReseal(b *testing.B) {
	const n, batch = 2000, 200
	ctx := context.Background()
	pass := []byte("reseal bench passphrase")
	dir := b.TempDir()
	one, err := seal.GenerateKeys(filepath.Join(dir, "keys"), seal.Curve25519, "bench", "okit@ncsszi.hu", pass)
	if err != nil {
		b.Fatal(err)
	}
	sealer1, _ := seal.LoadSealer(one.Public)
	opener1, _ := seal.LoadOpener(one.Private, pass)
	index1, _ := seal.LoadIndex(one.Index)
	two, _, err := seal.RotateKeys(filepath.Join(dir, "keys"), index1, one.Private, pass, pass, "bench", "okit@ncsszi.hu")
	if err != nil {
		b.Fatal(err)
	}
	opener2, _ := seal.LoadOpener(two.Private, pass)
	index2, _ := seal.LoadIndex(two.Index)
	opener, _ := opener2.WithPrevious(opener1)
	index, _ := index2.WithPrevious(index1)
	body := strings.Repeat("Tájékoztatást kérnék a lehetőségekről. ", 100)
	b.StopTimer()
	for i := range b.N {
		st := storagetest.Open(b, storagetest.URL(b), true, time.Now)
		var recs []intake.Record
		for m := range n {
			from := fmt.Sprintf("writer%d@example.test", m)
			raw := []byte("From: " + from + "\r\nSubject: Kérdés\r\nMessage-ID: <" + from + ">\r\n\r\n" + body)
			sum := message.Summary{MessageID: from, FromAddr: from, Subject: "Kérdés", Snippet: body[:280]}
			sealed, err := sealer1.SealTogether(raw, sum.Marshal())
			if err != nil {
				b.Fatal(err)
			}
			recs = append(recs, intake.Record{UID: uint32(m + 1), InternalDate: time.Now(), Size: int64(len(raw)), Status: "ok",
				RawSealed: sealed[0], SummarySealed: sealed[1], RawDigest: index1.RawDigest(raw), SenderDigest: index1.AddressDigest(from),
				MessageIDDigest: index1.MessageIDDigest(from), Verdict: triage.Verdict{Priority: triage.P4, Language: "hu"}})
			if len(recs) == 100 {
				if _, err := st.Save(ctx, "bench/INBOX", intake.Checkpoint{UIDValidity: 1, LastUID: uint32(m + 1)}, recs, nil); err != nil {
					b.Fatal(err)
				}
				recs = nil
			}
		}
		r := &resealer{opener: opener, index: index}
		binder, err := seal.NewBinder(make([]byte, 32)) // no user rows: nothing to bind again
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		for {
			_, done, err := st.ResealBatch(ctx, fmt.Sprintf("bench/%d", i), batch, "cli:bench", binder, r.fix)
			if err != nil {
				b.Fatal(err)
			}
			if done {
				break
			}
		}
		b.StopTimer()
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "rows/s")
	}
}

package storage_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/storage/storagetest"
)

// BenchmarkSave100 measures storing batches of 100 messages of 20 KiB of
// ciphertext each, each in a case of its own, with the checkpoint: the
// database's share of intake.
func BenchmarkSave100(b *testing.B) {
	st := storagetest.New(b)
	ctx := context.Background()
	sealed := make([]byte, 20<<10)
	rand.Read(sealed)
	uid := uint32(0)
	b.SetBytes(100 * int64(len(sealed)))
	for b.Loop() {
		recs := make([]intake.Record, 100)
		for i := range recs {
			uid++
			recs[i] = rec(uid, fmt.Sprint(uid), fmt.Sprint("sender", uid), fmt.Sprint("id", uid))
			recs[i].RawSealed = sealed
		}
		if _, err := st.Save(ctx, "bench/INBOX", intake.Checkpoint{UIDValidity: 1, LastUID: uid}, recs, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkSave100Acknowledged is BenchmarkSave100 with the
// acknowledgement policy applied, as okit serve does: the facts gathered,
// every message decided, a job queued for each.
func BenchmarkSave100Acknowledged(b *testing.B) {
	st := storagetest.New(b)
	ctx := context.Background()
	sealed := make([]byte, 20<<10)
	rand.Read(sealed)
	policy := &replies.AckPolicy{Rate: 1 << 30, RateDomain: 1 << 30} // no limit: every message is acknowledged
	uid := uint32(0)
	b.SetBytes(100 * int64(len(sealed)))
	for b.Loop() {
		recs := make([]intake.Record, 100)
		for i := range recs {
			uid++
			recs[i] = rec(uid, fmt.Sprint(uid), fmt.Sprint("sender", uid), fmt.Sprint("id", uid))
			recs[i].RawSealed, recs[i].InternalDate = sealed, time.Now()
			recs[i].Recipient, recs[i].RecipientDomain = replies.AckOK, []byte(fmt.Sprint("domain", uid%50))
		}
		if _, err := st.Save(ctx, "bench/INBOX", intake.Checkpoint{UIDValidity: 1, LastUID: uid}, recs, policy); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "msgs/s")
}

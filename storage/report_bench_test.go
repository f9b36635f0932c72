package storage_test

import (
	"context"
	"testing"

	"github.com/ncsszi/okit/storage/storagetest"
	"github.com/ncsszi/okit/triage"
)

// BenchmarkFigures measures the figures of a whole year of 200,000 cases
// and 1,000,000 messages: the dashboard's and `okit report`'s database
// time. Target: under 1 s.
func BenchmarkFigures(b *testing.B) {
	st := storagetest.New(b)
	ctx := context.Background()
	storagetest.WriteYear(b, st)
	from, to := storagetest.YearFrom, storagetest.YearTo
	b.ResetTimer()
	for b.Loop() {
		f, err := st.Figures(ctx, from, to, triage.DefaultTargets)
		if err != nil {
			b.Fatal(err)
		}
		if f.Priorities[0].FirstAnswer.Count == 0 || len(f.Breaches) == 0 {
			b.Fatalf("figures of an empty year: %+v", f.Priorities[0])
		}
	}
}

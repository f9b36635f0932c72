package storage_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncsszi/okit/report"
	"github.com/ncsszi/okit/storage/storagetest"
	"github.com/ncsszi/okit/triage"
)

func TestFigures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := &storagetest.Clock{}
	st := storagetest.Open(t, storagetest.URL(t), true, clock.Now)
	refs := storagetest.WriteWeek(t, st, clock)

	from, to := storagetest.WeekFrom, storagetest.WeekTo
	local := storagetest.Local
	got, err := st.Figures(ctx, from, to, triage.DefaultTargets)
	if err != nil {
		t.Fatal(err)
	}
	stat := func(n int, median, p90 time.Duration) report.Stat {
		return report.Stat{Count: n, Median: median, P90: p90}
	}
	min, hour := time.Minute, time.Hour
	ptr := func(t time.Time) *time.Time { return &t }
	backlog := report.Buckets()
	backlog[0].Cases, backlog[1].Cases, backlog[4].Cases = 1, 1, 1
	want := report.Figures{
		From: from, To: to,
		Priorities: []report.Priority{
			{Priority: triage.P1, Target: 15 * min, Ack: stat(4, 2*min, 4*min), FirstAnswer: stat(3, 10*min, 30*min),
				WithinTarget: 2, Close: stat(3, 2*hour, 2*hour)},
			{Priority: triage.P2, Target: 2 * hour, FirstAnswer: stat(10, 100*min, 180*min), WithinTarget: 6,
				Close: stat(10, 24*hour, 24*hour)},
			{Priority: triage.P3, Target: 24 * hour, FirstAnswer: stat(1, 25*hour, 25*hour), Close: stat(2, hour, 26*hour)},
			{Priority: triage.P4, Target: 72 * hour, Close: stat(1, hour, hour)},
		},
		Backlog: backlog,
		Breaches: []report.Breach{
			{Ref: refs[2], Priority: triage.P1, Due: local(2, 22, 45), Answered: ptr(local(2, 23, 0))},
			{Ref: refs[3], Priority: triage.P1, Due: local(3, 8, 15)},
			{Ref: refs[10], Priority: triage.P2, Due: local(4, 16, 0), Answered: ptr(local(4, 16, 20))},
			{Ref: refs[11], Priority: triage.P2, Due: local(4, 17, 0), Answered: ptr(local(4, 17, 40))},
			{Ref: refs[12], Priority: triage.P2, Due: local(4, 18, 0), Answered: ptr(local(4, 19, 0))},
			{Ref: refs[13], Priority: triage.P2, Due: local(4, 19, 0), Answered: ptr(local(4, 20, 20))},
			{Ref: refs[15], Priority: triage.P3, Due: local(6, 9, 0), Answered: ptr(local(6, 10, 0))},
			{Ref: refs[17], Priority: triage.P2, Due: local(8, 23, 0)},
		},
		Operators: []report.Operator{
			{Name: "anna", Open: 1, Answers: 8, FirstResponse: stat(7, 60*min, 180*min)},
			{Name: "bela", Open: 1, Answers: 7, FirstResponse: stat(7, 120*min, 25*hour)},
		},
		Days: []report.Day{
			{Date: "2026-11-02", Cases: 3, Messages: 3}, {Date: "2026-11-03", Cases: 1, Messages: 1}, {Date: "2026-11-04", Cases: 10, Messages: 11}, {Date: "2026-11-05", Cases: 2, Messages: 2},
			{Date: "2026-11-06", Cases: 0, Messages: 0}, {Date: "2026-11-07", Cases: 0, Messages: 0}, {Date: "2026-11-08", Cases: 2, Messages: 3},
		},
		Categories: []report.Category{
			{Category: "family_violence", Cases: 10}, {Category: "information", Cases: 2}, {Category: "partner_violence", Cases: 2}, {Category: "child_abuse", Cases: 1},
			{Category: "legal_info", Cases: 1}, {Category: "shelter_request", Cases: 1}, {Category: "suicide_risk", Cases: 1}, {Category: "trafficking", Cases: 1},
		},
		Outcomes: []report.OutcomeCount{{Outcome: report.AnsweredByEmail, Closes: 16}},
	}
	perHour := map[int]int{0: 1, 8: 3, 9: 3, 10: 2, 11: 1, 12: 1, 13: 1, 14: 1, 15: 1, 16: 1, 17: 1, 21: 1, 22: 1, 23: 2}
	for h := range 24 {
		want.Hours = append(want.Hours, report.Hour{Hour: h, Messages: perHour[h]})
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("Figures (-want +got):\n%s", diff)
	}
}

// The backlog is the one at the period's end, whatever happened since: a
// case closed later was open then, a reopened case waits since its
// reopening.
func TestFiguresBacklogAtEnd(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := &storagetest.Clock{}
	st := storagetest.Open(t, storagetest.URL(t), true, clock.Now)
	storagetest.WriteWeek(t, st, clock)
	for _, tc := range []struct {
		name string
		to   time.Time
		want []int // cases by bucket: <1h, 1-4h, 4-24h, 1-3d, >3d
	}{
		{"before the P2 cases closed", storagetest.Local(5, 1, 0), []int{1, 0, 10, 1, 0}},
		{"just after a reopening", storagetest.Local(6, 15, 30), []int{1, 0, 0, 0, 1}},
		{"the week's end", storagetest.WeekTo, []int{1, 1, 0, 0, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := st.Figures(ctx, storagetest.WeekFrom, tc.to, triage.DefaultTargets)
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, b := range f.Backlog {
				got = append(got, b.Cases)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("backlog at %s (-want +got):\n%s", tc.to, diff)
			}
		})
	}
	if _, err := st.Figures(ctx, storagetest.WeekTo, storagetest.WeekFrom, triage.DefaultTargets); err == nil {
		t.Error("Figures of a period that ends before it starts: no error")
	}
}

// Calls at the same time each get the same figures, and none waits
// forever for connections another holds.
func TestFiguresSideBySide(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := &storagetest.Clock{}
	st := storagetest.Open(t, storagetest.URL(t), true, clock.Now)
	storagetest.WriteWeek(t, st, clock)
	want, err := st.Figures(ctx, storagetest.WeekFrom, storagetest.WeekTo, triage.DefaultTargets)
	if err != nil {
		t.Fatal(err)
	}
	const calls = 8
	got := make([]report.Figures, calls)
	errs := make([]error, calls)
	var wg sync.WaitGroup
	for i := range calls {
		wg.Go(func() {
			got[i], errs[i] = st.Figures(ctx, storagetest.WeekFrom, storagetest.WeekTo, triage.DefaultTargets)
		})
	}
	wg.Wait()
	for i := range calls {
		if errs[i] != nil {
			t.Fatalf("call %d: %v", i, errs[i])
		}
		if diff := cmp.Diff(want, got[i]); diff != "" {
			t.Errorf("call %d (-alone +side by side):\n%s", i, diff)
		}
	}
}

// A period that ends after now is measured up to now: a case whose clock
// still runs is no breach, and it waits in the backlog since its arrival.
func TestFiguresOfAPeriodRunningOn(t *testing.T) {
	t.Parallel()
	clock := &storagetest.Clock{}
	st := storagetest.Open(t, storagetest.URL(t), true, clock.Now)
	arrived := storagetest.Local(10, 9, 0)
	storagetest.History(t, st, clock, triage.DefaultTargets, []storagetest.HistoryCase{
		{Priority: triage.P2, Steps: []storagetest.Step{{At: arrived, Do: storagetest.StepMessage}}},
	})
	clock.Set(arrived.Add(30 * time.Minute))
	f, err := st.Figures(context.Background(), storagetest.Local(10, 0, 0), storagetest.Local(11, 0, 0), triage.DefaultTargets)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Breaches) != 0 || f.Backlog[0].Cases != 1 || !f.To.Equal(clock.Now()) {
		t.Errorf("breaches %v, backlog %v, to %v; want none, one case under an hour, to now", f.Breaches, f.Backlog, f.To)
	}
}

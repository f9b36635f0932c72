package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncsszi/okit/report"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/storage/storagetest"
	"github.com/ncsszi/okit/triage"
)

// cet is Budapest's time in November, without needing tzdata.
var cet = time.FixedZone("CET", 3600)

// local is a day of November 2026 at hh:mm in Budapest.
func local(day, hh, mm int) time.Time { return time.Date(2026, 11, day, hh, mm, 0, 0, cet) }

// reportHistory is a week, Monday 2 to Monday 9 November 2026 (Budapest),
// with cases whose figures are worked out by hand in TestFigures.
func reportHistory() []storagetest.HistoryCase {
	const (
		m, ack, ans, asg, cls, reo = storagetest.StepMessage, storagetest.StepAck, storagetest.StepAnswer,
			storagetest.StepAssign, storagetest.StepClose, storagetest.StepReopen
		anna, bela = "cli:anna", "cli:bela"
	)
	at := func(t time.Time, d time.Duration, do, actor string) storagetest.Step {
		return storagetest.Step{At: t.Add(d), Do: do, Actor: actor}
	}
	min, hour := time.Minute, time.Hour
	cs := []storagetest.HistoryCase{
		// 0-3: P1, acknowledged after 1-4 minutes; answered after 5, 10 and 30 minutes (2 within 15), or never.
		{Priority: triage.P1, Categories: []triage.Category{triage.PartnerViolence}, Steps: []storagetest.Step{at(local(2, 9, 0), 0, m, ""),
			at(local(2, 9, 0), min, ack, ""), at(local(2, 9, 0), 5*min, ans, anna), at(local(2, 9, 0), hour, ans, anna),
			at(local(2, 9, 0), 2*hour, cls, anna)}},
		{Priority: triage.P1, Categories: []triage.Category{triage.PartnerViolence, triage.ChildAbuse}, Steps: []storagetest.Step{at(local(2, 10, 0), 0, m, ""),
			at(local(2, 10, 0), 2*min, ack, ""), at(local(2, 10, 0), 10*min, ans, bela), at(local(2, 10, 0), 2*hour, cls, bela)}},
		{Priority: triage.P1, Categories: []triage.Category{triage.Trafficking}, Steps: []storagetest.Step{at(local(2, 22, 30), 0, m, ""),
			at(local(2, 22, 30), 3*min, ack, ""), at(local(2, 22, 30), 30*min, ans, anna), at(local(2, 22, 30), 2*hour, cls, anna)}},
		{Priority: triage.P1, Categories: []triage.Category{triage.SuicideRisk}, Steps: []storagetest.Step{at(local(3, 8, 0), 0, m, ""),
			at(local(3, 8, 0), 4*min, ack, ""), at(local(3, 8, 0), 30*min, asg, "bela")}},
	}
	// 4-13: P2 on Wednesday 08:00 … 17:00, answered after 20, 40, … 200 minutes (6 within 2 hours), closed a day later.
	for i := range 10 {
		who := anna
		if i%2 == 1 {
			who = bela
		}
		t := local(4, 8+i, 0)
		c := storagetest.HistoryCase{Priority: triage.P2, Categories: []triage.Category{triage.FamilyViolence}, Steps: []storagetest.Step{at(t, 0, m, "")}}
		if i == 0 {
			c.Steps = append(c.Steps, at(t, 10*min, m, ""))
		}
		c.Steps = append(c.Steps, at(t, time.Duration(20*(i+1))*min, ans, who), at(t, 24*hour, cls, who))
		cs = append(cs, c)
	}
	cs = append(cs,
		// 14: before the period: in no figure.
		storagetest.HistoryCase{Priority: triage.P2, Categories: []triage.Category{triage.LegalInfo}, Steps: []storagetest.Step{at(local(1, 12, 0), 0, m, ""),
			at(local(1, 12, 0), 30*min, ans, anna), at(local(1, 12, 0), hour, cls, anna)}},
		// 15: P3 answered late (25 hours), closed after 26 hours, reopened and closed an hour later.
		storagetest.HistoryCase{Priority: triage.P3, Categories: []triage.Category{triage.LegalInfo}, Steps: []storagetest.Step{at(local(5, 9, 0), 0, m, ""),
			at(local(5, 9, 0), 25*hour, ans, bela), at(local(5, 9, 0), 26*hour, cls, bela),
			at(local(5, 9, 0), 30*hour, reo, bela), at(local(5, 9, 0), 31*hour, cls, bela)}},
		// 16: P4 closed unanswered before it was due (no breach); the writer's reply after the period reopens it.
		storagetest.HistoryCase{Priority: triage.P4, Categories: []triage.Category{triage.Information}, Steps: []storagetest.Step{at(local(5, 0, 30), 0, m, ""),
			at(local(5, 0, 30), hour, cls, anna), at(local(9, 2, 0), 0, m, "")}},
		// 17: P2 due at 23:00, answered only after the period: a breach with no answer, open at the end.
		storagetest.HistoryCase{Priority: triage.P2, Categories: []triage.Category{triage.ShelterRequest}, Steps: []storagetest.Step{at(local(8, 21, 0), 0, m, ""),
			at(local(8, 21, 0), min, asg, "anna"), at(local(8, 21, 0), 4*hour, ans, anna)}},
		// 18: P3 arriving half an hour before the end, with a second message.
		storagetest.HistoryCase{Priority: triage.P3, Categories: []triage.Category{triage.Information}, Steps: []storagetest.Step{at(local(8, 23, 30), 0, m, ""),
			at(local(8, 23, 45), 0, m, "")}},
	)
	return cs
}

func TestFigures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := &storagetest.Clock{}
	st := storagetest.Open(t, storagetest.URL(t), true, clock.Now)
	for _, name := range []string{"anna", "bela"} {
		if _, err := st.AddUser(ctx, storage.User{Username: name, Role: "operator", LoadLimit: 10}); err != nil {
			t.Fatal(err)
		}
	}
	refs := storagetest.History(t, st, clock, triage.DefaultTargets, reportHistory())

	from, to := local(2, 0, 0), local(9, 0, 0)
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
	}
	perHour := map[int]int{0: 1, 8: 3, 9: 3, 10: 2, 11: 1, 12: 1, 13: 1, 14: 1, 15: 1, 16: 1, 17: 1, 21: 1, 22: 1, 23: 2}
	for h := range 24 {
		want.Hours = append(want.Hours, report.Hour{Hour: h, Messages: perHour[h]})
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("Figures (-want +got):\n%s", diff)
	}
}

package storagetest

import (
	"context"
	"testing"
	"time"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/triage"
)

// The period of Week: Monday 2 to Monday 9 November 2026, Budapest.
var (
	WeekFrom = Local(2, 0, 0)
	WeekTo   = Local(9, 0, 0)
)

// cet is Budapest's time in November, without needing tzdata.
var cet = time.FixedZone("CET", 3600)

// Local is a day of November 2026 at hh:mm in Budapest.
func Local(day, hh, mm int) time.Time { return time.Date(2026, 11, day, hh, mm, 0, 0, cet) }

// Week is a week of cases, from WeekFrom to WeekTo, whose figures are
// worked out by hand in storage's TestFigures; other tests (the CLI, the
// console) use it to check that they show the same. Its users are anna
// and bela, operators, who must exist before History writes it.
func Week() []HistoryCase {
	const (
		m, ack, ans, asg, cls, reo = StepMessage, StepAck, StepAnswer,
			StepAssign, StepClose, StepReopen
		anna, bela = "cli:anna", "cli:bela"
	)
	at := func(t time.Time, d time.Duration, do, actor string) Step {
		return Step{At: t.Add(d), Do: do, Actor: actor}
	}
	min, hour := time.Minute, time.Hour
	cs := []HistoryCase{
		// 0-3: P1, acknowledged after 1-4 minutes; answered after 5, 10 and 30 minutes (2 within 15), or never.
		{Priority: triage.P1, Categories: []triage.Category{triage.PartnerViolence}, Steps: []Step{at(Local(2, 9, 0), 0, m, ""),
			at(Local(2, 9, 0), min, ack, ""), at(Local(2, 9, 0), 5*min, ans, anna), at(Local(2, 9, 0), hour, ans, anna),
			at(Local(2, 9, 0), 2*hour, cls, anna)}},
		{Priority: triage.P1, Categories: []triage.Category{triage.PartnerViolence, triage.ChildAbuse}, Steps: []Step{at(Local(2, 10, 0), 0, m, ""),
			at(Local(2, 10, 0), 2*min, ack, ""), at(Local(2, 10, 0), 10*min, ans, bela), at(Local(2, 10, 0), 2*hour, cls, bela)}},
		{Priority: triage.P1, Categories: []triage.Category{triage.Trafficking}, Steps: []Step{at(Local(2, 22, 30), 0, m, ""),
			at(Local(2, 22, 30), 3*min, ack, ""), at(Local(2, 22, 30), 30*min, ans, anna), at(Local(2, 22, 30), 2*hour, cls, anna)}},
		{Priority: triage.P1, Categories: []triage.Category{triage.SuicideRisk}, Steps: []Step{at(Local(3, 8, 0), 0, m, ""),
			at(Local(3, 8, 0), 4*min, ack, ""), at(Local(3, 8, 0), 30*min, asg, "bela")}},
	}
	// 4-13: P2 on Wednesday 08:00 … 17:00, answered after 20, 40, … 200 minutes (6 within 2 hours), closed a day later.
	for i := range 10 {
		who := anna
		if i%2 == 1 {
			who = bela
		}
		t := Local(4, 8+i, 0)
		c := HistoryCase{Priority: triage.P2, Categories: []triage.Category{triage.FamilyViolence}, Steps: []Step{at(t, 0, m, "")}}
		if i == 0 {
			c.Steps = append(c.Steps, at(t, 10*min, m, ""))
		}
		c.Steps = append(c.Steps, at(t, time.Duration(20*(i+1))*min, ans, who), at(t, 24*hour, cls, who))
		cs = append(cs, c)
	}
	cs = append(cs,
		// 14: before the period: in no figure.
		HistoryCase{Priority: triage.P2, Categories: []triage.Category{triage.LegalInfo}, Steps: []Step{at(Local(1, 12, 0), 0, m, ""),
			at(Local(1, 12, 0), 30*min, ans, anna), at(Local(1, 12, 0), hour, cls, anna)}},
		// 15: P3 answered late (25 hours), closed after 26 hours, reopened and closed an hour later.
		HistoryCase{Priority: triage.P3, Categories: []triage.Category{triage.LegalInfo}, Steps: []Step{at(Local(5, 9, 0), 0, m, ""),
			at(Local(5, 9, 0), 25*hour, ans, bela), at(Local(5, 9, 0), 26*hour, cls, bela),
			at(Local(5, 9, 0), 30*hour, reo, bela), at(Local(5, 9, 0), 31*hour, cls, bela)}},
		// 16: P4 closed unanswered before it was due (no breach); the writer's reply after the period reopens it.
		HistoryCase{Priority: triage.P4, Categories: []triage.Category{triage.Information}, Steps: []Step{at(Local(5, 0, 30), 0, m, ""),
			at(Local(5, 0, 30), hour, cls, anna), at(Local(9, 2, 0), 0, m, "")}},
		// 17: P2 due at 23:00, answered only after the period: a breach with no answer, open at the end.
		HistoryCase{Priority: triage.P2, Categories: []triage.Category{triage.ShelterRequest}, Steps: []Step{at(Local(8, 21, 0), 0, m, ""),
			at(Local(8, 21, 0), min, asg, "anna"), at(Local(8, 21, 0), 4*hour, ans, anna)}},
		// 18: P3 arriving half an hour before the end, with a second message.
		HistoryCase{Priority: triage.P3, Categories: []triage.Category{triage.Information}, Steps: []Step{at(Local(8, 23, 30), 0, m, ""),
			at(Local(8, 23, 45), 0, m, "")}},
	)
	return cs
}

// WriteWeek adds Week's users and writes Week into st, whose clock is
// clock, on the default targets. It returns the cases' refs by index.
func WriteWeek(t testing.TB, st *storage.Store, clock *Clock) []string {
	t.Helper()
	for _, name := range []string{"anna", "bela"} {
		if _, err := st.AddUser(context.Background(), storage.User{Username: name, Role: account.Operator, LoadLimit: 10}, "test"); err != nil {
			t.Fatal(err)
		}
	}
	return History(t, st, clock, triage.DefaultTargets, Week())
}

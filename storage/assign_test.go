package storage_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/storage/storagetest"
	"github.com/ncsszi/okit/triage"
)

// stoppedClock is a clock the test moves by hand.
type stoppedClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stoppedClock) now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *stoppedClock) advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

func triaged(uid uint32, sender string, p triage.Priority, lang string, cats ...triage.Category) intake.Record {
	r := rec(uid, sender+string(rune('a'+uid)), sender, "")
	r.InternalDate = arrived
	r.Verdict = triage.Verdict{Priority: p, Categories: cats, Language: lang, Rules: []string{"test.rule"}, RuleSetVersion: "test"}
	r.Due = triage.DefaultTargets.Due(p, arrived)
	return r
}

type caseState struct {
	Priority int
	Assignee string
	Due      time.Time
	Breached bool
}

func state(t *testing.T, st *storage.Store, caseID int64) caseState {
	t.Helper()
	var s caseState
	var breached *time.Time
	err := storagetest.Pool(st).QueryRow(context.Background(), `
		SELECT c.priority, coalesce(u.username, ''), c.due_at, c.breached_at
		FROM cases c LEFT JOIN users u ON u.id = c.assignee_id WHERE c.id = $1`, caseID).Scan(&s.Priority, &s.Assignee, &s.Due, &breached)
	if err != nil {
		t.Fatal(err)
	}
	s.Due, s.Breached = s.Due.UTC(), breached != nil
	return s
}

func kinds(t *testing.T, st *storage.Store, caseID int64) []string {
	t.Helper()
	evs, err := st.Events(context.Background(), caseID)
	if err != nil {
		t.Fatal(err)
	}
	var ks []string
	for _, e := range evs {
		k := string(e.Kind)
		if a, ok := e.Data["alert"].(string); ok {
			k += ":" + a
		}
		ks = append(ks, k)
	}
	return ks
}

func TestAssignmentAndClocks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := &stoppedClock{t: arrived}
	st := storagetest.Open(t, storagetest.URL(t), true, clock.now)
	for _, u := range []storage.User{
		{Username: "anna", Role: account.Operator, Languages: []string{"hu"}, LoadLimit: 2},
		{Username: "bela", Role: account.Operator, Languages: []string{"hu", "en"}, Skills: []string{"trafficking"}, LoadLimit: 5},
		{Username: "zoe", Role: account.Admin, Languages: []string{"hu"}, LoadLimit: 5}, // admins take no cases
	} {
		if _, err := st.AddUser(ctx, u, "test"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.AddUser(ctx, storage.User{Username: "anna", Role: account.Operator, LoadLimit: 1}, "test"); err == nil {
		t.Error("a second anna was added")
	}
	save := func(recs ...intake.Record) []intake.Outcome {
		t.Helper()
		outs, err := st.Save(ctx, "okit/INBOX", intake.Checkpoint{UIDValidity: 1, LastUID: recs[len(recs)-1].UID}, recs, nil)
		if err != nil {
			t.Fatal(err)
		}
		return outs
	}

	// Nobody on shift: a P1 raises an alert and waits; a P3 just waits.
	outs := save(triaged(1, "w1", triage.P1, "hu", triage.PartnerViolence), triaged(2, "w2", triage.P3, "hu", triage.LegalInfo))
	p1, p3 := outs[0].CaseID, outs[1].CaseID
	if !outs[0].Unassigned || outs[1].Unassigned || outs[0].AssigneeID != 0 {
		t.Errorf("outcomes with nobody on shift = %+v", outs)
	}
	if diff := cmp.Diff([]string{"case_opened", "message_received", "priority_changed", "alert:p1_unassigned"}, kinds(t, st, p1)); diff != "" {
		t.Errorf("P1 events (-want +got):\n%s", diff)
	}
	if got, want := state(t, st, p1), (caseState{Priority: 1, Due: arrived.Add(15 * time.Minute)}); got != want {
		t.Errorf("P1 case = %+v, want %+v", got, want)
	}

	// Anna starts: she takes both waiting cases, the P1 first.
	if n, err := st.StartShift(ctx, "anna", "cli:test"); err != nil || n != 2 {
		t.Fatalf("StartShift(anna) = %d, %v; want 2 assigned", n, err)
	}
	if a, b := state(t, st, p1).Assignee, state(t, st, p3).Assignee; a != "anna" || b != "anna" {
		t.Errorf("after anna's start: P1 to %q, P3 to %q; want anna, anna", a, b)
	}
	// Bela starts. Anna is at her limit of 2: a new English trafficking
	// case goes to bela by skill and language anyway.
	if _, err := st.StartShift(ctx, "bela", "cli:test"); err != nil {
		t.Fatal(err)
	}
	outs = save(triaged(3, "w3", triage.P2, "en", triage.Trafficking))
	if s := state(t, st, outs[0].CaseID); s.Assignee != "bela" {
		t.Errorf("trafficking case went to %q, want bela", s.Assignee)
	}
	// A new message on anna's P3 case stays with her (sticky), though she is full,
	// and raises the case to P1 with an earlier due time.
	later := triaged(4, "w2", triage.P1, "hu", triage.PartnerViolence)
	later.InternalDate = arrived.Add(time.Hour)
	later.Due = triage.DefaultTargets.Due(triage.P1, later.InternalDate)
	outs = save(later)
	if outs[0].CaseID != p3 {
		t.Fatalf("second message of w2 opened case %d, want %d", outs[0].CaseID, p3)
	}
	if got, want := state(t, st, p3), (caseState{Priority: 1, Assignee: "anna", Due: arrived.Add(time.Hour + 15*time.Minute)}); got != want {
		t.Errorf("raised case = %+v, want %+v", got, want)
	}

	// The P1 clock runs out at 03:27; answering p3's writer stops its clock.
	if err := st.RecordFirstResponse(ctx, p3, "user:anna"); err != nil {
		t.Fatal(err)
	}
	clock.advance(14 * time.Minute)
	if bs, err := st.EscalateBreaches(ctx, func(p triage.Priority) bool { return p == triage.P1 }); err != nil || len(bs) != 0 {
		t.Fatalf("breaches at +14m = %+v, %v; want none", bs, err)
	}
	clock.advance(2 * time.Minute)
	bs, err := st.EscalateBreaches(ctx, func(p triage.Priority) bool { return p == triage.P1 })
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 1 || bs[0].CaseID != p1 {
		t.Fatalf("breaches at +16m = %+v, want case %d alone", bs, p1)
	}
	if s := state(t, st, p1); !s.Breached || s.Assignee != "bela" {
		t.Errorf("breached P1 = %+v, want breached and handed to bela", s)
	}
	if bs, _ := st.EscalateBreaches(ctx, func(triage.Priority) bool { return true }); len(bs) != 0 {
		t.Errorf("a breach was escalated twice: %+v", bs)
	}
	if diff := cmp.Diff([]string{"case_opened", "message_received", "priority_changed", "alert:p1_unassigned",
		"assigned", "clock_breached", "alert:breach", "assigned"}, kinds(t, st, p1)); diff != "" {
		t.Errorf("P1 events (-want +got):\n%s", diff)
	}

	// Bela leaves: his unanswered cases go to anna (the P1 over her limit);
	// anna's answered case stays hers.
	if n, err := st.EndShift(ctx, "bela", "cli:test"); err != nil || n != 1 {
		t.Errorf("EndShift(bela) = %d, %v; want 1 handed over (the P1; the P2 waits, anna is full)", n, err)
	}
	if s := state(t, st, p1); s.Assignee != "anna" {
		t.Errorf("after bela left, the P1 is with %q, want anna", s.Assignee)
	}
	if _, err := st.StartShift(ctx, "nobody", "cli:test"); err == nil {
		t.Error("StartShift of an unknown user succeeded")
	}
}

func TestOperatorPriorityStands(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := &stoppedClock{t: arrived}
	st := storagetest.Open(t, storagetest.URL(t), true, clock.now)
	outs, err := st.Save(ctx, "okit/INBOX", intake.Checkpoint{UIDValidity: 1, LastUID: 1}, []intake.Record{triaged(1, "w", triage.P1, "hu")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	id, ref := outs[0].CaseID, outs[0].CaseRef
	if err := st.SetPriority(ctx, ref, triage.P3, triage.DefaultTargets, "cli:anna", []byte("sealed reason")); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Save(ctx, "okit/INBOX", intake.Checkpoint{UIDValidity: 1, LastUID: 2}, []intake.Record{triaged(2, "w", triage.P1, "hu")}, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := state(t, st, id), (caseState{Priority: 3, Due: arrived.Add(24 * time.Hour)}); got != want {
		t.Errorf("case after the operator's P3 and a new P1 message = %+v, want %+v", got, want)
	}
	evs, _ := st.Events(ctx, id)
	var set *storage.Event
	for i := range evs {
		if evs[i].Actor == "cli:anna" {
			set = &evs[i]
		}
	}
	if set == nil || set.Kind != storage.EventPriorityChanged || set.Data["to"] != float64(3) || set.Data["note"] == nil {
		t.Fatalf("the operator's change is not in the history as it should be: %+v", set)
	}
	notes, err := st.Notes(ctx, id)
	if err != nil || len(notes) != 1 || string(notes[0].BodySealed) != "sealed reason" || notes[0].Kind != storage.NotePriorityReason ||
		float64(notes[0].ID) != set.Data["note"] {
		t.Errorf("the reason is not the note the event names: %+v, %v", notes, err)
	}
	if err := st.SetPriority(ctx, "OKIT-1999-000001", triage.P1, triage.DefaultTargets, "cli:anna", nil); err == nil {
		t.Error("SetPriority on an unknown case succeeded")
	}
}

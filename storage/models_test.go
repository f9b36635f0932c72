package storage_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/report"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/storage/storagetest"
	"github.com/ncsszi/okit/triage"
)

// TestModelsActivateAndRollBack: a stored model is inactive until
// activated, one at most is active, an earlier version can be activated
// again, 0 turns the second opinion off, and each change is an event.
func TestModelsActivateAndRollBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storagetest.New(t)
	if err := st.EnsureStartingModel(ctx, []byte("start"), json.RawMessage(`{"labels":296}`)); err != nil {
		t.Fatal(err)
	}
	if err := st.EnsureStartingModel(ctx, []byte("start"), json.RawMessage(`{"labels":296}`)); err != nil {
		t.Fatal(err) // a second start stores no second starting model
	}
	v2, err := st.SaveModel(ctx, storage.Model{Source: "learned", Data: []byte("w2"), Figures: json.RawMessage(`{}`), CreatedBy: "vera"})
	if err != nil {
		t.Fatal(err)
	}
	active := func() int {
		v, err := st.ActiveModelVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if got := active(); got != 0 {
		t.Fatalf("active %d before any activation, want none", got)
	}
	ms, err := st.Models(ctx)
	if err != nil || len(ms) != 2 || ms[0].Version != v2 || ms[1].Source != "starting" {
		t.Fatalf("models %+v, %v", ms, err)
	}
	v1 := ms[1].Version
	var got []int
	for _, v := range []int{v2, v1, v2, 0} {
		if err := st.ActivateModel(ctx, v, "vera"); err != nil {
			t.Fatal(err)
		}
		got = append(got, active())
	}
	if diff := cmp.Diff([]int{v2, v1, v2, 0}, got); diff != "" {
		t.Errorf("active versions (-want +got):\n%s", diff)
	}
	if err := st.ActivateModel(ctx, 999, "vera"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("activating a version that does not exist: %v", err)
	}
	var n int
	if err := storagetest.Pool(st).QueryRow(ctx, `SELECT count(*) FROM case_events WHERE kind = 'model_activated'`).Scan(&n); err != nil || n != 4 {
		t.Errorf("%d model_activated events, want 4 (%v)", n, err)
	}
}

// TestLabels: a case is a label once a person answered it, closed it,
// set its priority with a reason or confirmed it; the latest of a
// person's choices wins over the priority the case has.
func TestLabels(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storagetest.New(t)
	outs, err := st.Save(ctx, "okit@ncsszi.hu/INBOX", intake.Checkpoint{UIDValidity: 1, LastUID: 5}, []intake.Record{
		triaged(1, "anna", triage.P2, "hu"), triaged(2, "bela", triage.P3, "hu"), triaged(3, "csilla", triage.P2, "hu"),
		triaged(4, "dora", triage.P4, "hu"), triaged(5, "ede", triage.P1, "hu"),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ref := func(i int) string { return outs[i].CaseRef }
	if err := st.RecordFirstResponse(ctx, outs[0].CaseID, "anna-op"); err != nil { // answered: P2
		t.Fatal(err)
	}
	if err := st.SetPriority(ctx, ref(1), triage.P1, triage.DefaultTargets, "op", []byte("sealed reason")); err != nil { // set: P1
		t.Fatal(err)
	}
	if err := st.ConfirmPriority(ctx, ref(2), "op"); err != nil { // confirmed: P2
		t.Fatal(err)
	}
	if err := st.CloseCase(ctx, ref(3), report.NoAnswerNeeded, "op"); err != nil { // closed: P4
		t.Fatal(err)
	}
	// ede's case: nobody looked yet, no label.
	since, until := arrived.Add(-time.Hour), arrived.Add(time.Hour)
	ls, err := st.Labels(ctx, since, until)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]triage.Priority{}
	for _, l := range ls {
		got[l.CaseID] = l.Priority
		if len(l.RawSealed) == 0 {
			t.Errorf("case %d: no sealed message", l.CaseID)
		}
	}
	want := map[int64]triage.Priority{outs[0].CaseID: 2, outs[1].CaseID: 1, outs[2].CaseID: 2, outs[3].CaseID: 4}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("labels (-want +got):\n%s", diff)
	}
	if n, p1, err := st.LabelCount(ctx, since, until); n != 4 || p1 != 1 || err != nil {
		t.Errorf("label count %d (P1 %d), %v; want 4 (1)", n, p1, err)
	}
}

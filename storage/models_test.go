package storage_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncsszi/okit/account"
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
	if err := st.EnsureStartingModel(ctx, []byte("start, release 2"), json.RawMessage(`{"labels":476}`)); err != nil {
		t.Fatal(err) // a release with a new starting model adds it, inactive
	}
	v2, err := st.SaveModel(ctx, storage.Model{Source: "learned", Data: []byte("w2"), IndexKeyVersion: 2, Figures: json.RawMessage(`{}`), CreatedBy: "vera"})
	if err != nil {
		t.Fatal(err)
	}
	if m, err := st.ModelVersion(ctx, v2); err != nil || m.IndexKeyVersion != 2 {
		t.Fatalf("model %d hashed with index key %d, want 2 (%v)", v2, m.IndexKeyVersion, err)
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
	if err != nil || len(ms) != 3 || ms[0].Version != v2 || ms[1].Source != "starting" || ms[2].Source != "starting" {
		t.Fatalf("models %+v, %v", ms, err)
	}
	v1 := ms[2].Version
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

// TestLabels: labels come from the event log, one by message of the
// writer. A case's first answer and its closing label the messages
// before them with the priority the case had then (not the one it has
// now); a change with a reason and a confirmation label them too, and
// override the first answer; messages that came one after another
// before anyone judged share the label; a message no one judged after
// has none.
func TestLabels(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storagetest.New(t)
	save := func(last uint32, recs ...intake.Record) []intake.Outcome {
		t.Helper()
		outs, err := st.Save(ctx, "okit@ncsszi.hu/INBOX", intake.Checkpoint{UIDValidity: 1, LastUID: last}, recs, nil)
		if err != nil {
			t.Fatal(err)
		}
		return outs
	}
	outs := save(6, triaged(1, "anna", triage.P2, "hu"), triaged(2, "bela", triage.P3, "hu"), triaged(3, "csilla", triage.P2, "hu"),
		triaged(4, "dora", triage.P4, "hu"), triaged(5, "ede", triage.P1, "hu"), triaged(6, "feri", triage.P3, "hu"))
	ref := func(i int) string { return outs[i].CaseRef }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.RecordFirstResponse(ctx, outs[0].CaseID, "op"))                                            // anna's answered at P2
	must(st.SetPriority(ctx, ref(1), triage.P1, triage.DefaultTargets, "op", []byte("sealed reason"))) // bela's set to P1
	// Csilla's case is op's: a colleague may not confirm its priority; op
	// confirms it at P2.
	var ids []int64
	for _, u := range []string{"op", "colleague"} {
		id, err := st.AddUser(ctx, storage.User{Username: u, Role: account.Operator, Languages: []string{"hu"}, LoadLimit: 5}, "cli:test")
		must(err)
		ids = append(ids, id)
	}
	must(st.AssignTo(ctx, ref(2), "op", "cli:test"))
	if err := st.ConfirmPriority(ctx, ref(2), ids[1], "user:colleague"); !errors.Is(err, storage.ErrAssignedElsewhere) {
		t.Errorf("a colleague confirmed the priority of op's case: %v", err)
	}
	must(st.ConfirmPriority(ctx, ref(2), ids[0], "user:op"))
	must(st.CloseCase(ctx, ref(3), report.NoAnswerNeeded, "op")) // dora's closed at P4
	// ede's case: nobody looked yet, no label. Anna and feri write
	// again; anna's second message makes her case P1, after the answer.
	again := save(8, triaged(7, "anna", triage.P1, "hu"), triaged(8, "feri", triage.P3, "hu"))
	if again[0].CaseID != outs[0].CaseID || again[1].CaseID != outs[5].CaseID {
		t.Fatalf("the second messages opened cases of their own: %+v", again)
	}
	if p := state(t, st, outs[0].CaseID).Priority; p != 1 {
		t.Fatalf("anna's case is P%d after her second message, want P1", p)
	}
	// Feri's two messages are answered at P3, then set to P2 with a
	// reason; a third message comes after.
	must(st.RecordFirstResponse(ctx, outs[5].CaseID, "op"))
	must(st.SetPriority(ctx, ref(5), triage.P2, triage.DefaultTargets, "op", []byte("sealed reason")))
	third := save(9, triaged(9, "feri", triage.P3, "hu"))

	since, until := arrived.Add(-time.Hour), arrived.Add(time.Hour)
	ls, err := st.Labels(ctx, since, until)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]triage.Priority{}
	for _, l := range ls {
		got[l.MessageID] = l.Priority
		if len(l.RawSealed) == 0 {
			t.Errorf("message %d: no sealed message", l.MessageID)
		}
	}
	want := map[int64]triage.Priority{
		outs[0].MessageID: 2, // the priority when answered, though the case is P1 now
		outs[1].MessageID: 1, outs[2].MessageID: 2, outs[3].MessageID: 4,
		outs[5].MessageID: 2, again[1].MessageID: 2, // read together, answered, then corrected
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("labels by message (-want +got):\n%s", diff)
	}
	if _, ok := got[third[0].MessageID]; ok {
		t.Error("feri's third message, judged by no one, has a label")
	}
	if n, p1, err := st.LabelCount(ctx, since, until); n != 6 || p1 != 1 || err != nil {
		t.Errorf("label count %d (P1 %d), %v; want 6 (1)", n, p1, err)
	}
}

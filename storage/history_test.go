package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/report"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/storage/storagetest"
)

// A verified writer who writes again soon after her case closed gets it
// back, reopened; later, a new case that links the earlier one and goes
// to the operator who answered her. A forged From with her address does
// neither: a case of its own, no link, no reopening, no preference.
func TestReturningWriter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := &storagetest.Clock{}
	clock.Set(arrived)
	st := storagetest.Open(t, storagetest.URL(t), true, clock.Now)
	for _, u := range []string{"anna", "bela"} {
		if _, err := st.AddUser(ctx, storage.User{Username: u, Role: account.Operator, Languages: []string{"hu"}, LoadLimit: 5}, "cli:test"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.StartShift(ctx, u, "cli:test"); err != nil {
			t.Fatal(err)
		}
	}
	at := func(d time.Duration) {
		clock.Set(arrived.Add(d))
	}
	first := saveOne(t, st, nil, rec(1, "f1", "flora", "m1"))[0]
	if err := st.AssignTo(ctx, first.CaseRef, "bela", "cli:test"); err != nil {
		t.Fatal(err)
	}
	_, err := st.QueueReply(ctx, storage.Reply{CaseRef: first.CaseRef, Kind: replies.KindAnswer, Template: replies.TemplateInformation,
		TextSealed: []byte("sealed words"), Actor: "user:bela"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CloseCase(ctx, first.CaseRef, report.AnsweredByEmail, "user:bela"); err != nil {
		t.Fatal(err)
	}

	// Three days on she writes again: her case is back.
	at(72 * time.Hour)
	again := saveOne(t, st, nil, rec(2, "f2", "flora", "m2"))[0]
	if again.CaseID != first.CaseID || again.NewCase {
		t.Fatalf("her mail three days after the close went to case %s, want %s reopened", again.CaseRef, first.CaseRef)
	}
	if got := reopenReasons(t, st, first.CaseID); !cmp.Equal(got, []string{"writer_returned"}) {
		t.Errorf("reopen reasons %v, want [writer_returned]", got)
	}
	if err := st.CloseCase(ctx, first.CaseRef, report.NoAnswerNeeded, "user:bela"); err != nil {
		t.Fatal(err)
	}

	// A day later someone writes with her address, unverified.
	at(96 * time.Hour)
	forgedRec := rec(3, "x1", "flora", "x1")
	forgedRec.Auth.Verified, forgedRec.Auth.DMARC = false, "fail"
	forged := saveOne(t, st, nil, forgedRec)[0]
	if forged.CaseID == first.CaseID || !forged.NewCase || len(forged.Related) != 0 {
		t.Fatalf("a forged From: %+v, want a new case of its own, related to none", forged)
	}
	if got := reopenReasons(t, st, first.CaseID); len(got) != 1 {
		t.Errorf("a forged From reopened her case: %v", got)
	}
	if h := writerHistory(t, st, forged.CaseID); len(h) != 0 {
		t.Errorf("the forged case links %v", h)
	}
	if h := writerHistory(t, st, first.CaseID); len(h) != 0 {
		t.Errorf("her case links %v after a forged From", h)
	}
	if r := assignReason(t, st, forged.CaseID); r == "writer" {
		t.Error("the forged case went to her operator by preference")
	}

	// A month on: a new case, linking the first, to bela.
	at(30 * 24 * time.Hour)
	later := saveOne(t, st, nil, rec(4, "f3", "flora", "m3"))[0]
	if !later.NewCase {
		t.Fatalf("her mail a month after the close joined %s", later.CaseRef)
	}
	if h := writerHistory(t, st, later.CaseID); !cmp.Equal(h, []string{first.CaseRef}) {
		t.Errorf("the new case links %v, want [%s]", h, first.CaseRef)
	}
	if h := writerHistory(t, st, first.CaseID); !cmp.Equal(h, []string{later.CaseRef}) {
		t.Errorf("the first case links %v, want [%s]", h, later.CaseRef)
	}
	cd, err := st.CaseByRef(ctx, later.CaseRef)
	if err != nil {
		t.Fatal(err)
	}
	if cd.Assignee != "bela" || assignReason(t, st, later.CaseID) != "writer" {
		t.Errorf("the returning writer's case went to %q (%s), want bela by preference", cd.Assignee, assignReason(t, st, later.CaseID))
	}
}

func reopenReasons(t *testing.T, st *storage.Store, caseID int64) []string {
	t.Helper()
	rows, err := storagetest.Pool(st).Query(context.Background(), `SELECT data->>'reason' FROM case_events WHERE case_id = $1 AND kind = 'case_reopened' ORDER BY id`, caseID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		var r string
		rows.Scan(&r)
		out = append(out, r)
	}
	return out
}

func assignReason(t *testing.T, st *storage.Store, caseID int64) string {
	t.Helper()
	var r string
	storagetest.Pool(st).QueryRow(context.Background(), `SELECT coalesce(data->>'reason', '') FROM case_events WHERE case_id = $1 AND kind = 'assigned' ORDER BY id DESC LIMIT 1`, caseID).Scan(&r)
	return r
}

func writerHistory(t *testing.T, st *storage.Store, caseID int64) []string {
	t.Helper()
	h, err := st.WriterHistory(context.Background(), caseID)
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, c := range h {
		refs = append(refs, c.Ref)
	}
	return refs
}

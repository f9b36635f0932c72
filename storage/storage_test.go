package storage_test

import (
	"context"
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/storage/storagetest"
	"github.com/ncsszi/okit/triage"
)

var arrived = time.Date(2026, 11, 24, 3, 12, 0, 0, time.UTC)

func rec(uid uint32, raw, sender, msgID string, refs ...string) intake.Record {
	r := intake.Record{
		UID: uid, InternalDate: arrived.Add(time.Duration(uid) * time.Minute), Size: 100,
		RawSealed: []byte("sealed " + raw), SummarySealed: []byte("sealed summary"),
		RawDigest: []byte("raw:" + raw), Status: "ok",
		Verdict: triage.Verdict{Priority: triage.P4, Language: "hu"},
		Auth:    intake.Auth{DMARC: "pass", Verified: true}, // storage's tests are about storing; Thread's about trust
	}
	if sender != "" {
		r.SenderDigest = []byte("addr:" + sender)
	}
	if msgID != "" {
		r.MessageIDDigest = []byte("id:" + msgID)
	}
	for _, ref := range refs {
		r.RefDigests = append(r.RefDigests, []byte("id:"+ref))
	}
	return r
}

func TestMigrateTwiceAndCheckSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := storagetest.URL(t)
	st := storagetest.Open(t, url, false, time.Now)
	if err := st.CheckSchema(ctx); !errors.Is(err, storage.ErrSchemaOld) {
		t.Fatalf("CheckSchema on an empty database = %v, want ErrSchemaOld", err)
	}
	applied, err := st.Migrate(ctx)
	if err != nil || len(applied) == 0 {
		t.Fatalf("first Migrate = %v, %v; want migrations applied", applied, err)
	}
	applied, err = st.Migrate(ctx)
	if err != nil || len(applied) != 0 {
		t.Fatalf("second Migrate = %v, %v; want nothing to do", applied, err)
	}
	if err := st.CheckSchema(ctx); err != nil {
		t.Fatalf("CheckSchema after Migrate: %v", err)
	}
}

func TestSaveThreadsAndDedupes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storagetest.New(t)
	const mb = "okit@ncsszi.hu/INBOX"
	cp := intake.Checkpoint{UIDValidity: 7, LastUID: 6}

	outs, err := st.Save(ctx, mb, cp, []intake.Record{
		rec(1, "a", "anna", "m1"),
		rec(2, "b", "anna", "m2"),              // same sender, open case: joins
		rec(3, "c", "bela", "m3", "m1"),        // another sender replying in anna's thread: a case of his own
		rec(4, "d", "csilla", "m4"),            // new writer: new case
		rec(5, "e", "", "", "unknown-message"), // null sender, unknown reference: new case
		rec(6, "f", "anna", "m6", "m3"),        // anna replying to bela's message: her own case
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		Case      int64
		NewCase   bool
		Duplicate bool
	}
	var gots []got
	for _, o := range outs {
		gots = append(gots, got{o.CaseID, o.NewCase, o.Duplicate})
	}
	a, b, c, e := outs[0].CaseID, outs[2].CaseID, outs[3].CaseID, outs[4].CaseID
	want := []got{{a, true, false}, {a, false, false}, {b, true, false}, {c, true, false}, {e, true, false}, {a, false, false}}
	if diff := cmp.Diff(want, gots); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
	if len(map[int64]bool{a: true, b: true, c: true, e: true}) != 4 {
		t.Errorf("cases %d, %d, %d, %d should differ", a, b, c, e)
	}
	// Bela's case and anna's each say they may be related to the other.
	related := func(id int64) []string {
		var refs []string
		evs, err := st.Events(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range evs {
			if ev.Kind == storage.EventPossiblyRelated {
				refs = append(refs, ev.Data["ref"].(string))
			}
		}
		return refs
	}
	if diff := cmp.Diff([]string{outs[0].CaseRef}, related(b)); diff != "" {
		t.Errorf("bela's case possibly related to (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{outs[2].CaseRef}, related(a)); diff != "" {
		t.Errorf("anna's case possibly related to (-want +got):\n%s", diff)
	}
	if !regexp.MustCompile(`^OKIT-\d{4}-\d{6}$`).MatchString(outs[0].CaseRef) {
		t.Errorf("case ref %q, want OKIT-YYYY-NNNNNN", outs[0].CaseRef)
	}

	// A re-fetch after a crash: the same raw bytes are recognised.
	outs, err = st.Save(ctx, mb, intake.Checkpoint{UIDValidity: 7, LastUID: 9}, []intake.Record{rec(9, "a", "anna", "m1")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !outs[0].Duplicate || outs[0].CaseID != a {
		t.Errorf("re-fetch outcome = %+v, want a duplicate in case %d", outs[0], a)
	}
	cases, err := st.ListCases(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	count := map[int64]int{}
	for _, c := range cases {
		count[c.ID] = c.Messages
	}
	if diff := cmp.Diff(map[int64]int{a: 3, b: 1, c: 1, e: 1}, count); diff != "" {
		t.Errorf("messages per case (-want +got):\n%s", diff)
	}
	cp, ok, err := st.Checkpoint(ctx, mb)
	if err != nil || !ok || cp != (intake.Checkpoint{UIDValidity: 7, LastUID: 9}) {
		t.Errorf("checkpoint = %+v %v %v, want {7 9}", cp, ok, err)
	}
}

func TestSaveIsAllOrNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storagetest.New(t)
	const mb = "okit@ncsszi.hu/INBOX"
	bad := rec(2, "b", "anna", "m2")
	bad.Status = "nonsense" // refused by a CHECK constraint
	if _, err := st.Save(ctx, mb, intake.Checkpoint{UIDValidity: 1, LastUID: 2}, []intake.Record{rec(1, "a", "anna", "m1"), bad}, nil); err == nil {
		t.Fatal("Save with a bad record succeeded")
	}
	if cases, _ := st.ListCases(ctx, 10); len(cases) != 0 {
		t.Errorf("after a failed Save %d cases exist, want none", len(cases))
	}
	if _, ok, _ := st.Checkpoint(ctx, mb); ok {
		t.Error("after a failed Save the checkpoint moved")
	}
}

func TestEventsAreAppendOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storagetest.New(t)
	outs, err := st.Save(ctx, "x/INBOX", intake.Checkpoint{UIDValidity: 1, LastUID: 1}, []intake.Record{rec(1, "a", "anna", "m1")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := st.Events(ctx, outs[0].CaseID)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []storage.EventKind
	for _, e := range evs {
		kinds = append(kinds, e.Kind)
	}
	if diff := cmp.Diff([]storage.EventKind{storage.EventCaseOpened, storage.EventMessageReceived, storage.EventPriorityChanged}, kinds); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	for _, q := range []string{`UPDATE case_events SET kind = 'x'`, `DELETE FROM case_events`, `TRUNCATE case_events CASCADE`} {
		if _, err := storagetest.Pool(st).Exec(ctx, q); err == nil {
			t.Errorf("%s succeeded; the event log must refuse it", q)
		}
	}
}

// One process at a time holds a mailbox; the lock ends with Release, and
// a lock whose connection the server ends is lost at once, and free.
func TestLockMailbox(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storagetest.New(t)
	mb := "lock-test-" + t.Name()
	lock, err := st.LockMailbox(ctx, mb)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.LockMailbox(ctx, mb); !errors.Is(err, storage.ErrLocked) {
		t.Errorf("second lock = %v, want ErrLocked", err)
	}
	lock.Release()
	lock, err = st.LockMailbox(ctx, mb)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	if n := storagetest.EndMailboxLock(t, st, mb); n != 1 {
		t.Fatalf("ended %d lock connections, want 1", n)
	}
	select {
	case <-lock.Lost():
	case <-time.After(time.Second):
		t.Fatal("the lock was not lost within a second of its connection ending")
	}
	lock.Release()
	again, err := st.LockMailbox(ctx, mb)
	if err != nil {
		t.Fatalf("lock after the holder's connection ended: %v", err)
	}
	again.Release()
}

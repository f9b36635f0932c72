package storage_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/report"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/storage/storagetest"
)

// sealedCase opens a case whose every sealed value and digest carries
// name: its message, a note, an operator's answer and its composed copy.
func sealedCase(t *testing.T, st *storage.Store, uid uint32, name string) (ref string, caseID int64, marks []string) {
	t.Helper()
	ctx := context.Background()
	r := rec(uid, name, name, name)
	r.RawSealed, r.SummarySealed = []byte(name+"-RAW-SEALED"), []byte(name+"-SUMMARY-SEALED")
	r.RawDigest, r.SenderDigest, r.MessageIDDigest = []byte(name+"-RAW-DIGEST"), []byte(name+"-SENDER-DIGEST"), []byte(name+"-MSGID-DIGEST")
	outs, err := st.Save(ctx, "x/INBOX", intake.Checkpoint{UIDValidity: 1, LastUID: uid}, []intake.Record{r}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ref, caseID = outs[0].CaseRef, outs[0].CaseID
	if _, err := st.AddNote(ctx, ref, []byte(name+"-NOTE-SEALED"), "user:1"); err != nil {
		t.Fatal(err)
	}
	out, err := st.QueueReply(ctx, storage.Reply{CaseRef: ref, Kind: replies.KindAnswer, Template: "answer",
		TextSealed: []byte(name + "-TEXT-SEALED"), Actor: "user:1"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.StoreReply(ctx, out, replies.ReplyCopy{Sealed: []byte(name + "-COPY-SEALED"), SummarySealed: []byte(name + "-COPY-SUMMARY"),
		RawDigest: []byte(name + "-COPY-DIGEST"), MessageIDDigest: []byte(name + "-COPY-MSGID"), Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"RAW-SEALED", "SUMMARY-SEALED", "RAW-DIGEST", "SENDER-DIGEST", "MSGID-DIGEST", "NOTE-SEALED",
		"TEXT-SEALED", "COPY-SEALED", "COPY-SUMMARY", "COPY-DIGEST", "COPY-MSGID"} {
		marks = append(marks, name+"-"+m)
	}
	return ref, caseID, marks
}

func TestPurge(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := time.Date(2022, 3, 1, 10, 0, 0, 0, time.UTC)
	st := storagetest.Open(t, storagetest.URL(t), true, func() time.Time { return clock })
	const retention = 1095 * 24 * time.Hour

	oldRef, oldID, oldMarks := sealedCase(t, st, 1, "OLD")
	if err := st.CloseCase(ctx, oldRef, report.AnsweredByEmail, "user:1"); err != nil {
		t.Fatal(err)
	}
	clock = time.Date(2026, 10, 1, 10, 0, 0, 0, time.UTC)
	recentRef, _, recentMarks := sealedCase(t, st, 2, "RECENT")
	if err := st.CloseCase(ctx, recentRef, report.AnsweredByEmail, "user:1"); err != nil {
		t.Fatal(err)
	}
	_, _, openMarks := sealedCase(t, st, 3, "OPEN")
	clock = time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)

	want := storage.PurgeCounts{Cases: 1, Messages: 2, Notes: 1, Outgoing: 1, Jobs: 1}
	before := storagetest.Dump(t, st)
	got, err := st.Purge(ctx, retention, true)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dry run counts (-want +got):\n%s", diff)
	}
	if !bytes.Equal(before, storagetest.Dump(t, st)) {
		t.Error("the dry run changed the database")
	}

	got, err = st.Purge(ctx, retention, false)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("purge counts (-want +got):\n%s", diff)
	}
	dump := storagetest.Dump(t, st)
	for _, m := range oldMarks {
		if bytes.Contains(dump, []byte(m)) {
			t.Errorf("%s is still in the database after the purge", m)
		}
	}
	for _, m := range append(recentMarks, openMarks...) {
		if !bytes.Contains(dump, []byte(m)) {
			t.Errorf("%s is gone, but its case is not due for purging", m)
		}
	}

	// The case keeps its figures and its history, with the purge recorded.
	c, err := st.CaseByRef(ctx, oldRef)
	if err != nil || c.Status != "closed" {
		t.Errorf("purged case: %+v, %v; want it kept, closed", c, err)
	}
	evs, err := st.Events(ctx, oldID)
	if err != nil {
		t.Fatal(err)
	}
	last := evs[len(evs)-1]
	if last.Kind != storage.EventPurged || last.Actor != "system:purge" || last.Data["messages"] != float64(2) || last.Data["notes"] != float64(1) {
		t.Errorf("last event of the purged case = %+v, want purged by system:purge with counts", last)
	}
	if b, _ := verify(t, st, nil); b != nil {
		t.Errorf("chain after the purge: %v", b)
	}

	// Again: nothing left to do, and nothing written.
	got, err = st.Purge(ctx, retention, false)
	if err != nil || got != (storage.PurgeCounts{}) {
		t.Errorf("second purge = %+v, %v; want nothing", got, err)
	}
	if evs2, _ := st.Events(ctx, oldID); len(evs2) != len(evs) {
		t.Errorf("second purge wrote %d events", len(evs2)-len(evs))
	}
}

// Many cases are purged in batches, each once.
func TestPurgeBatches(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	st := storagetest.Open(t, storagetest.URL(t), true, func() time.Time { return clock })
	const n = 230
	var recs []intake.Record
	for i := range n {
		recs = append(recs, rec(uint32(i+1), fmt.Sprint(i), fmt.Sprint(i), fmt.Sprint(i)))
	}
	outs, err := st.Save(ctx, "x/INBOX", intake.Checkpoint{UIDValidity: 1, LastUID: n}, recs, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outs {
		if err := st.CloseCase(ctx, o.CaseRef, report.AnsweredByEmail, "user:1"); err != nil {
			t.Fatal(err)
		}
	}
	clock = clock.AddDate(4, 0, 0)
	got, err := st.Purge(ctx, 1095*24*time.Hour, false)
	if err != nil || got.Cases != n || got.Messages != n {
		t.Errorf("purge = %+v, %v; want %d cases and messages", got, err, n)
	}
	var events int
	storagetest.Pool(st).QueryRow(ctx, `SELECT count(*) FROM case_events WHERE kind = 'purged'`).Scan(&events)
	if events != n {
		t.Errorf("%d purged events, want %d", events, n)
	}
}

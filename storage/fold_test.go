package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/storage/storagetest"
	"github.com/ncsszi/okit/triage"
)

// TestNewCaseTriagedLikeAnOldOne: a case opened by a batch gets its
// messages' verdicts at insert, an open case by an update; both must end
// the same. The same three messages go once into a case opened by the
// first of them in an earlier batch, once all in one batch.
func TestNewCaseTriagedLikeAnOldOne(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storagetest.New(t)
	three := func(uid uint32, sender string) []intake.Record {
		recs := []intake.Record{rec(uid, sender+"1", sender, ""), rec(uid+1, sender+"2", sender, ""), rec(uid+2, sender+"3", sender, "")}
		recs[0].Verdict = triage.Verdict{Priority: triage.P3, Language: "en", Categories: []triage.Category{"housing"}, Flags: []triage.Flag{"minor"}}
		recs[0].Due = arrived.Add(24 * time.Hour)
		recs[1].Verdict = triage.Verdict{Priority: triage.P1, Language: "hu", Categories: []triage.Category{"violence", "children"}, Rules: []string{"r.threat"}}
		recs[1].Due = arrived.Add(time.Hour)
		recs[2].Verdict = triage.Verdict{Priority: triage.P2, Language: "hu", Categories: []triage.Category{"housing"}, Flags: []triage.Flag{"automated", "minor"}}
		recs[2].Due = arrived.Add(2 * time.Hour)
		return recs
	}
	old := three(1, "a")
	if _, err := st.Save(ctx, "okit/INBOX", intake.Checkpoint{UIDValidity: 1, LastUID: 1}, old[:1], nil); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Save(ctx, "okit/INBOX", intake.Checkpoint{UIDValidity: 1, LastUID: 3}, old[1:], nil); err != nil {
		t.Fatal(err)
	}
	outs, err := st.Save(ctx, "okit/INBOX", intake.Checkpoint{UIDValidity: 1, LastUID: 6}, three(4, "b"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !outs[0].NewCase || outs[1].NewCase || outs[1].CaseID != outs[0].CaseID || outs[2].CaseID != outs[0].CaseID {
		t.Fatalf("outcomes %+v: want one new case for the three", outs)
	}
	type triaged struct {
		Priority          int
		Categories, Flags []string
		Language          string
		Due               time.Time
		Span              time.Duration // first to last message
		Events            string        // the priority_changed events, from>to
	}
	read := func(sender string) triaged {
		var c triaged
		var first, last time.Time
		err := storagetest.Pool(st).QueryRow(ctx, `
			SELECT priority, categories, flags, language, due_at, first_received, last_received,
				(SELECT string_agg(coalesce(data->>'from', '-') || '>' || (data->>'to'), ',' ORDER BY id)
					FROM case_events e WHERE e.case_id = c.id AND kind = 'priority_changed')
			FROM cases c WHERE sender_digest = $1`, []byte("addr:"+sender)).
			Scan(&c.Priority, &c.Categories, &c.Flags, &c.Language, &c.Due, &first, &last, &c.Events)
		if err != nil {
			t.Fatal(err)
		}
		c.Due, c.Span = c.Due.UTC(), last.Sub(first)
		return c
	}
	want := triaged{Priority: 1, Categories: []string{"children", "housing", "violence"}, Flags: []string{"automated", "minor"},
		Language: "en", Due: arrived.Add(time.Hour), Span: 2 * time.Minute, Events: "->3,3>1"}
	if diff := cmp.Diff(want, read("a")); diff != "" {
		t.Errorf("case opened by the first message, then updated (-want +got):\n%s", diff)
	}
	want.Events = "->1"
	if diff := cmp.Diff(want, read("b")); diff != "" {
		t.Errorf("case opened by the batch of three (-want +got):\n%s", diff)
	}
}

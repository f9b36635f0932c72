package intake

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestThread decides cases for batches against what the store holds,
// without a database: the rule is Thread's, the store only looks up.
func TestThread(t *testing.T) {
	t.Parallel()
	open := CaseLink{ID: 7, Ref: "OKIT-2026-000007"}
	closed := CaseLink{ID: 9, Ref: "OKIT-2026-000009", Closed: true}
	known := Known{
		Stored:    map[string]Outcome{"raw-old": {CaseID: 7, CaseRef: open.Ref, MessageID: 70, Duplicate: true}},
		ByMessage: map[string]CaseLink{"id-in-7": open, "id-in-9": closed},
		BySender:  map[string]CaseLink{"anna": open},
	}
	rec := func(raw, sender, id string, refs ...string) Record {
		r := Record{RawDigest: []byte(raw), MessageIDDigest: []byte(id)}
		if sender != "" {
			r.SenderDigest = []byte(sender)
		}
		if id == "" {
			r.MessageIDDigest = nil
		}
		for _, ref := range refs {
			r.RefDigests = append(r.RefDigests, []byte(ref))
		}
		return r
	}
	tests := []struct {
		name   string
		recs   []Record
		want   []Outcome
		opens  []int
		reopen []int64
	}{
		{"already stored", []Record{rec("raw-old", "anna", "x")},
			[]Outcome{{CaseID: 7, CaseRef: open.Ref, MessageID: 70, Duplicate: true}}, nil, nil},
		{"a reply joins the case of the message it names", []Record{rec("r1", "bela", "m1", "unknown", "id-in-7")},
			[]Outcome{{CaseID: 7, CaseRef: open.Ref}}, nil, nil},
		{"a reply to a closed case reopens it", []Record{rec("r1", "csilla", "m1", "id-in-9")},
			[]Outcome{{CaseID: 9, CaseRef: closed.Ref}}, nil, []int64{9}},
		{"the sender's open case", []Record{rec("r1", "anna", "m1")},
			[]Outcome{{CaseID: 7, CaseRef: open.Ref}}, nil, nil},
		{"a reference wins over the sender", []Record{rec("r1", "anna", "m1", "id-in-9")},
			[]Outcome{{CaseID: 9, CaseRef: closed.Ref}}, nil, []int64{9}},
		{"a stranger opens a case", []Record{rec("r1", "dora", "m1")},
			[]Outcome{{CaseID: -1, NewCase: true}}, []int{0}, nil},
		{"a null sender opens a case", []Record{rec("r1", "", "m1"), rec("r2", "", "m2")},
			[]Outcome{{CaseID: -1, NewCase: true}, {CaseID: -2, NewCase: true}}, []int{0, 1}, nil},
		{"later messages of the batch join the case the first opened", []Record{
			rec("r1", "dora", "m1"), rec("r2", "dora", "m2"), rec("r3", "ede", "m3", "m1")},
			[]Outcome{{CaseID: -1, NewCase: true}, {CaseID: -1}, {CaseID: -1}}, []int{0}, nil},
		{"the same message twice in a batch", []Record{rec("r1", "dora", "m1"), rec("r1", "dora", "m1")},
			[]Outcome{{CaseID: -1, NewCase: true}, {CaseID: -1, Duplicate: true}}, []int{0}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			outs, plan := Thread(tc.recs, known)
			if diff := cmp.Diff(tc.want, outs); diff != "" {
				t.Errorf("outcomes (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.opens, plan.Opens); diff != "" {
				t.Errorf("opened (-want +got):\n%s", diff)
			}
			var reopen []int64
			for id := range plan.Reopen {
				reopen = append(reopen, id)
			}
			if diff := cmp.Diff(tc.reopen, reopen); diff != "" {
				t.Errorf("reopened (-want +got):\n%s", diff)
			}
		})
	}
	if len(known.ByMessage) != 2 || len(known.BySender) != 1 {
		t.Errorf("Thread changed what it was given: %+v", known)
	}
}

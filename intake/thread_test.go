package intake

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncsszi/okit/replies"
)

// TestThread decides cases for batches against what the store holds,
// without a database: the rule is Thread's, the store only looks up.
// Digests are plain words here: "anna" is Anna's address, "id-in-7" a
// Message-ID stored in case 7.
func TestThread(t *testing.T) {
	t.Parallel()
	annas := CaseLink{ID: 7, Ref: "OKIT-2026-000007"}
	closed := CaseLink{ID: 9, Ref: "OKIT-2026-000009", Closed: true}
	hisCase := CaseLink{ID: 11, Ref: "OKIT-2026-000011"}
	florasClosed := CaseLink{ID: 13, Ref: "OKIT-2026-000013", Closed: true}
	forgedGizi := CaseLink{ID: 15, Ref: "OKIT-2026-000015"}
	known := Known{
		Stored: map[string]Outcome{"raw-old": {CaseID: 7, CaseRef: annas.Ref, MessageID: 70, Duplicate: true}},
		ByMessage: map[string][]Named{
			"id-in-7": {{Case: annas}},
			"id-in-9": {{Case: closed}},
			// Her Message-ID, seen on her phone, used again for his own mail.
			"reused":  {{Case: hisCase}, {Case: annas}},
			"ack-out": {{Case: annas, Outgoing: 33, To: []byte("anna")}},
		},
		BySender: map[string]CaseLink{"anna": annas, "csilla": closed, "gizi": forgedGizi},
		// Anna's case knows her From as verified; the case someone opened
		// with Gizi's address, unverified, does not.
		SenderShown: map[string]bool{"anna": true, "csilla": true},
		// Flóra's case closed last week; she writes again.
		Returning: map[string]CaseLink{"flora": florasClosed},
		Writers:   map[int64][][]byte{7: {[]byte("anna"), []byte("anna-safe")}, 9: {[]byte("csilla")}, 11: {[]byte("him")}},
	}
	type rec = Record
	r := func(raw, sender, id string, refs ...string) rec {
		x := rec{RawDigest: []byte(raw), Auth: Auth{Verified: true}}
		if sender != "" {
			x.SenderDigest = []byte(sender)
		}
		if id != "" {
			x.MessageIDDigest = []byte(id)
		}
		for _, ref := range refs {
			x.RefDigests = append(x.RefDigests, []byte(ref))
		}
		return x
	}
	unverified := func(x rec) rec { x.Auth.Verified = false; return x }
	replyTo := func(x rec, d string) rec { x.ReplyToDigest = []byte(d); return x }
	bounce := func(x rec, daemon bool, returned string, to ...string) rec {
		x.DaemonSender, x.Bounce = daemon, &Bounce{Returned: []byte(returned)}
		for _, d := range to {
			x.Bounce.Recipients = append(x.Bounce.Recipients, []byte(d))
		}
		return x
	}
	var many []string
	for i := range MaxRefs {
		many = append(many, fmt.Sprint("unknown-", i))
	}
	from := func(i int) NewWriter { return NewWriter{Rec: i, Field: replies.FieldFrom} }
	tests := []struct {
		name    string
		recs    []rec
		want    []Outcome
		opens   []int
		writers []NewWriter
		reopen  map[int64]string
	}{
		{"already stored", []rec{r("raw-old", "anna", "x")},
			[]Outcome{{CaseID: 7, CaseRef: annas.Ref, MessageID: 70, Duplicate: true}}, nil, nil, nil},
		{"the writer's reply joins the case of the message it names", []rec{r("r1", "anna", "m1", "unknown", "id-in-7")},
			[]Outcome{{CaseID: 7, CaseRef: annas.Ref}}, nil, nil, nil},
		{"a reply from the address she asked answers at joins", []rec{r("r1", "anna-safe", "m1", "id-in-7")},
			[]Outcome{{CaseID: 7, CaseRef: annas.Ref}}, nil, nil, nil},
		{"a stranger's reply opens a case of its own, possibly related", []rec{r("r1", "him", "m1", "id-in-7")},
			[]Outcome{{CaseID: -1, NewCase: true, Related: []CaseLink{annas}}}, []int{0}, []NewWriter{from(0)}, nil},
		{"an unverified From with her address does not join by itself", []rec{unverified(r("r1", "anna", "m1"))},
			[]Outcome{{CaseID: -1, NewCase: true, Related: []CaseLink{annas}}}, []int{0}, []NewWriter{from(0)}, nil},
		{"her reply to her reused Message-ID goes to her case", []rec{r("r1", "anna", "m1", "reused")},
			[]Outcome{{CaseID: 7, CaseRef: annas.Ref}}, nil, nil, nil},
		{"his reply to the reused Message-ID goes to his", []rec{r("r1", "him", "m1", "reused")},
			[]Outcome{{CaseID: 11, CaseRef: hisCase.Ref}}, nil, nil, nil},
		{"a reply to a closed case reopens it", []rec{r("r1", "csilla", "m1", "id-in-9")},
			[]Outcome{{CaseID: 9, CaseRef: closed.Ref}}, nil, nil, map[int64]string{9: ReopenReply}},
		{"the verified sender's open case", []rec{r("r1", "anna", "m1")},
			[]Outcome{{CaseID: 7, CaseRef: annas.Ref}}, nil, nil, nil},
		{"a reference wins over the sender", []rec{r("r1", "csilla", "m1", "id-in-9")},
			[]Outcome{{CaseID: 9, CaseRef: closed.Ref}}, nil, nil, map[int64]string{9: ReopenReply}},
		{"a stranger opens a case with his From and Reply-To", []rec{replyTo(r("r1", "dora", "m1"), "dora-safe")},
			[]Outcome{{CaseID: -1, NewCase: true}}, []int{0}, []NewWriter{from(0), {Rec: 0, Field: replies.FieldReplyTo}}, nil},
		{"null senders open cases", []rec{r("r1", "", "m1"), r("r2", "", "m2")},
			[]Outcome{{CaseID: -1, NewCase: true}, {CaseID: -2, NewCase: true}}, []int{0, 1}, nil, nil},
		{"later messages of the batch join the case the first opened", []rec{
			r("r1", "dora", "m1"), r("r2", "dora", "m2"), r("r3", "dora", "m3", "m1")},
			[]Outcome{{CaseID: -1, NewCase: true}, {CaseID: -1}, {CaseID: -1}}, []int{0}, []NewWriter{from(0)}, nil},
		{"a stranger replying within the batch opens his own", []rec{r("r1", "dora", "m1"), r("r2", "ede", "m2", "m1")},
			[]Outcome{{CaseID: -1, NewCase: true}, {CaseID: -2, NewCase: true, Related: []CaseLink{{ID: -1}}}}, []int{0, 1},
			[]NewWriter{from(0), from(1)}, nil},
		{"the same message twice in a batch", []rec{r("r1", "dora", "m1"), r("r1", "dora", "m1")},
			[]Outcome{{CaseID: -1, NewCase: true}, {CaseID: -1, Duplicate: true}}, []int{0}, []NewWriter{from(0)}, nil},
		{"a bounce of our mail to her, from a daemon", []rec{bounce(r("r1", "mailer-daemon", "m1"), true, "ack-out", "anna")},
			[]Outcome{{CaseID: 7, CaseRef: annas.Ref, Bounced: 33}}, nil, nil, nil},
		{"a forged bounce from a person", []rec{bounce(r("r1", "him", "m1"), false, "ack-out", "anna")},
			[]Outcome{{CaseID: -1, NewCase: true, Related: []CaseLink{annas}}}, []int{0}, []NewWriter{from(0)}, nil},
		{"a bounce naming another address", []rec{bounce(r("r1", "mailer-daemon", "m1"), true, "ack-out", "him")},
			[]Outcome{{CaseID: -1, NewCase: true, Related: []CaseLink{annas}}}, []int{0}, []NewWriter{from(0)}, nil},
		{"a bounce of a writer's message, not ours", []rec{bounce(r("r1", "mailer-daemon", "m1"), true, "id-in-7", "anna")},
			[]Outcome{{CaseID: -1, NewCase: true, Related: []CaseLink{annas}}}, []int{0}, []NewWriter{from(0)}, nil},
		{"a verified writer whose case closed recently reopens it", []rec{r("r1", "flora", "m1"), r("r2", "flora", "m2")},
			[]Outcome{{CaseID: 13, CaseRef: florasClosed.Ref}, {CaseID: 13, CaseRef: florasClosed.Ref}}, nil, nil,
			map[int64]string{13: ReopenReturned}},
		{"a forged From with her address neither reopens nor names her case", []rec{unverified(r("r1", "flora", "m1"))},
			[]Outcome{{CaseID: -1, NewCase: true}}, []int{0}, []NewWriter{from(0)}, nil},
		{"the real writer does not join a case a forged From opened", []rec{r("r1", "gizi", "m1")},
			[]Outcome{{CaseID: -1, NewCase: true, Related: []CaseLink{forgedGizi}}}, []int{0}, []NewWriter{from(0)}, nil},
		{"a forged From's new case is not joined by the next verified mail", []rec{unverified(r("r1", "hedi", "m1")), r("r2", "hedi", "m2")},
			[]Outcome{{CaseID: -1, NewCase: true}, {CaseID: -2, NewCase: true, Related: []CaseLink{{ID: -1}}}}, []int{0, 1}, []NewWriter{from(0), from(1)}, nil},
		{"at most 20 references are read", []rec{r("r1", "anna", "m1", append(many, "id-in-9")...)},
			[]Outcome{{CaseID: 7, CaseRef: annas.Ref}}, nil, nil, nil},
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
			if diff := cmp.Diff(tc.writers, plan.Writers); diff != "" {
				t.Errorf("writers of new cases (-want +got):\n%s", diff)
			}
			if tc.reopen == nil {
				tc.reopen = map[int64]string{}
			}
			if diff := cmp.Diff(tc.reopen, plan.Reopen); diff != "" {
				t.Errorf("reopened (-want +got):\n%s", diff)
			}
		})
	}
	if len(known.ByMessage) != 4 || len(known.ByMessage["reused"]) != 2 || len(known.BySender) != 3 || len(known.Writers[7]) != 2 {
		t.Errorf("Thread changed what it was given: %+v", known)
	}
}

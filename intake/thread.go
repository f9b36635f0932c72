package intake

import "maps"

// CaseLink is a case a message may join.
type CaseLink struct {
	ID     int64
	Ref    string
	Closed bool // a reply to a closed case reopens it
}

// Known is what the store already holds that a batch may thread into,
// looked up by keyed digest: the store finds these candidates and Thread
// decides.
type Known struct {
	Stored    map[string]Outcome  // messages already stored, by raw digest
	ByMessage map[string]CaseLink // the case of a stored message, by Message-ID digest
	BySender  map[string]CaseLink // the sender's latest open case, by sender digest
}

// Plan is what the store must write besides the messages: the cases the
// batch opens (by the index of the record that opens each) and the closed
// cases a reply reopens.
type Plan struct {
	Opens  []int
	Reopen map[int64]bool
}

// Thread decides each record's case: the case of a stored (or earlier in
// the batch) message it replies to, else its sender's open case, else a
// new case. A record whose raw digest is stored already, or came earlier
// in the batch, is a duplicate. A new case has no id yet: records that
// share one point at the opening record through a negative CaseID
// (-1-index), which the store replaces once the case is inserted.
//
// Thread is pure: it reads known and recs and changes neither.
func Thread(recs []Record, known Known) ([]Outcome, Plan) {
	byMessage, bySender := maps.Clone(known.ByMessage), maps.Clone(known.BySender)
	if byMessage == nil {
		byMessage = map[string]CaseLink{}
	}
	if bySender == nil {
		bySender = map[string]CaseLink{}
	}
	outs := make([]Outcome, len(recs))
	plan := Plan{Reopen: map[int64]bool{}}
	seen := map[string]int{} // raw digests earlier in this batch
	for i, r := range recs {
		if o, ok := known.Stored[string(r.RawDigest)]; ok {
			outs[i] = o
			continue
		}
		if j, ok := seen[string(r.RawDigest)]; ok {
			outs[i] = Outcome{Duplicate: true, CaseID: outs[j].CaseID, CaseRef: outs[j].CaseRef}
			continue
		}
		seen[string(r.RawDigest)] = i
		c, found := CaseLink{}, false
		for _, d := range r.RefDigests {
			if c, found = byMessage[string(d)]; found {
				break
			}
		}
		if !found && r.SenderDigest != nil {
			c, found = bySender[string(r.SenderDigest)]
		}
		if !found {
			c = CaseLink{ID: int64(-1 - i)}
			plan.Opens = append(plan.Opens, i)
			outs[i].NewCase = true
		}
		if c.Closed {
			plan.Reopen[c.ID] = true
			c.Closed = false
		}
		outs[i].CaseID, outs[i].CaseRef = c.ID, c.Ref
		// Later records of the batch thread into this one's case.
		if r.MessageIDDigest != nil {
			byMessage[string(r.MessageIDDigest)] = c
		}
		if r.SenderDigest != nil {
			bySender[string(r.SenderDigest)] = c
		}
	}
	return outs, plan
}

package intake

import (
	"bytes"
	"maps"
	"slices"

	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/triage"
)

// MaxRefs is how many of a message's references threading reads: its
// In-Reply-To, then its References newest first. A message with ten
// thousand references costs no more than one with twenty.
const MaxRefs = 20

// CarriedFlags are the flags a case opened as possibly related to
// another (Outcome.Related) takes from it until a person decides: what a
// writer said of their safety (someone reads my mail, do not write) holds
// for whoever may be them.
var CarriedFlags = []triage.Flag{triage.FlagDoNotReply}

// CaseLink is a case a message may join.
type CaseLink struct {
	ID     int64
	Ref    string
	Closed bool // a reply to a closed case reopens it
}

// Named is a stored message a reference may name.
type Named struct {
	Case CaseLink
	// Outgoing and To are, for a message okit sent, the reply it is the
	// copy of and the digest of the address it went to; 0 and nil for a
	// writer's message.
	Outgoing int64
	To       []byte
}

// Known is what the store already holds that a batch may thread into,
// looked up by keyed digest: the store finds these candidates and Thread
// decides.
type Known struct {
	Stored map[string]Outcome // messages already stored, by raw digest
	// ByMessage are stored messages by Message-ID digest: several where
	// an id was used again, by accident or on purpose.
	ByMessage map[string][]Named
	// BySender is, by address digest, the latest open case that address
	// may join by itself: the From of its first message, or an address
	// an operator confirmed. Not a Reply-To: that was only its sender's
	// claim.
	BySender map[string]CaseLink
	// SenderShown says, by address digest, whether BySender's case has
	// the address shown to be its writer's: the From of a message the
	// receiving server verified, or confirmed by an operator. A case a
	// forged From opened is not: a verified sender never joins it, it is
	// only related.
	SenderShown map[string]bool
	// Returning is, by address digest, the latest case of that writer
	// closed less than the reopen window (OKIT_REOPEN_WITHIN) ago, of
	// which a verified message's From or an operator made the address a
	// writer: a verified sender with no open case returns to it.
	Returning map[string]CaseLink
	// Writers are the writer addresses (digests) of the cases ByMessage
	// and BySender name: who may join them by replying.
	Writers map[int64][][]byte
}

// NewWriter is a writer address of a case the batch opens: a Field of
// the record that opens it.
type NewWriter struct {
	Rec   int
	Field replies.Field
}

// Plan is what the store must write besides the messages: the cases the
// batch opens (by the index of the record that opens each) with their
// writer addresses, and the closed cases a message reopens, with why
// (ReopenReply or ReopenReturned).
type Plan struct {
	Opens   []int
	Writers []NewWriter
	Reopen  map[int64]string
}

// Why a message reopens a closed case, recorded on the case_reopened event.
const (
	ReopenReply    = "reply"           // it replies to a message of the case
	ReopenReturned = "writer_returned" // its verified sender's case closed recently
)

// Thread decides each record's case. A record whose raw digest is stored
// already, or came earlier in the batch, is a duplicate. Otherwise, in
// this order:
//
//   - a reply: a message its In-Reply-To or References name (at most
//     MaxRefs of them) is in a case its sender (From) is a writer of;
//   - a bounce: a null or daemon sender returns a message okit sent, and
//     names the address okit sent it to (Outcome.Bounced);
//   - its sender's open case (Known.BySender), but only for a verified
//     sender whom that case knows as verified too (Known.SenderShown): a
//     From anyone could have written never joins by itself, nor draws
//     the real writer in;
//   - its sender's case closed recently (Known.Returning), reopened, and
//     again only for a verified sender: a forged From must not open a
//     victim's case to a stranger's words, nor show it as related;
//   - else a new case, whose writers are the record's From and Reply-To.
//     Every case the record named or claimed but did not join is
//     Outcome.Related: a person decides (merge, or not).
//
// A new case has no id yet: records that share one point at the opening
// record through a negative CaseID (-1-index), which the store replaces
// once the case is inserted; so may Related.
//
// Thread is pure: it reads known and recs and changes neither.
func Thread(recs []Record, known Known) ([]Outcome, Plan) {
	t := threader{
		byMessage: maps.Clone(known.ByMessage),
		bySender:  maps.Clone(known.BySender),
		shown:     maps.Clone(known.SenderShown),
		returning: known.Returning,
		writers:   maps.Clone(known.Writers),
	}
	if t.byMessage == nil {
		t.byMessage = map[string][]Named{}
	}
	if t.bySender == nil {
		t.bySender = map[string]CaseLink{}
	}
	if t.shown == nil {
		t.shown = map[string]bool{}
	}
	if t.writers == nil {
		t.writers = map[int64][][]byte{}
	}
	outs := make([]Outcome, len(recs))
	plan := Plan{Reopen: map[int64]string{}}
	seen := map[string]int{} // raw digests earlier in this batch
	for i := range recs {
		r := &recs[i]
		if o, ok := known.Stored[string(r.RawDigest)]; ok {
			outs[i] = o
			continue
		}
		if j, ok := seen[string(r.RawDigest)]; ok {
			outs[i] = Outcome{Duplicate: true, CaseID: outs[j].CaseID, CaseRef: outs[j].CaseRef}
			continue
		}
		seen[string(r.RawDigest)] = i
		c, bounced, related, via := t.find(r)
		if via == "" {
			c = CaseLink{ID: int64(-1 - i)}
			plan.Opens = append(plan.Opens, i)
			outs[i].NewCase, outs[i].Related = true, related
			for _, w := range []struct {
				d []byte
				f replies.Field
			}{{r.SenderDigest, replies.FieldFrom}, {r.ReplyToDigest, replies.FieldReplyTo}} {
				if w.d != nil {
					plan.Writers = append(plan.Writers, NewWriter{Rec: i, Field: w.f})
					t.writers[c.ID] = append(t.writers[c.ID], w.d)
				}
			}
			if r.SenderDigest != nil {
				t.bySender[string(r.SenderDigest)] = c
				t.shown[string(r.SenderDigest)] = r.Auth.Verified
			}
		}
		if c.Closed {
			plan.Reopen[c.ID] = ReopenReply
			if via == viaReturning {
				plan.Reopen[c.ID] = ReopenReturned
			}
			c.Closed = false
		}
		outs[i].CaseID, outs[i].CaseRef, outs[i].Bounced = c.ID, c.Ref, bounced
		// Later records of the batch may reply to this one.
		if r.MessageIDDigest != nil {
			k := string(r.MessageIDDigest)
			t.byMessage[k] = append(slices.Clip(t.byMessage[k]), Named{Case: c})
		}
	}
	return outs, plan
}

// threader is Thread's working copy of what it knows, grown by the batch.
// Slices it shares with Known are clipped before appending, so Known
// stays as it was.
type threader struct {
	byMessage map[string][]Named
	bySender  map[string]CaseLink
	shown     map[string]bool
	returning map[string]CaseLink // read only
	writers   map[int64][][]byte
}

// How find found a record's case.
const (
	viaReference = "reference"
	viaBounce    = "bounce"
	viaSender    = "sender"
	viaReturning = "returning"
)

// find looks for the case a record joins, in Thread's order, saying how
// ("" for none), and lists the cases it named or claimed without joining
// them.
func (t *threader) find(r *Record) (c CaseLink, bounced int64, related []CaseLink, via string) {
	for _, d := range r.RefDigests[:min(len(r.RefDigests), MaxRefs)] {
		for _, n := range t.byMessage[string(d)] {
			if t.belongs(r.SenderDigest, n.Case.ID) {
				return n.Case, 0, nil, viaReference
			}
			related = addCase(related, n.Case)
		}
	}
	if b := r.Bounce; b != nil {
		for _, n := range t.byMessage[string(b.Returned)] {
			if r.DaemonSender && n.Outgoing != 0 && slices.ContainsFunc(b.Recipients, func(d []byte) bool { return bytes.Equal(d, n.To) }) {
				return n.Case, n.Outgoing, nil, viaBounce
			}
			related = addCase(related, n.Case)
		}
	}
	if r.SenderDigest != nil {
		if c, ok := t.bySender[string(r.SenderDigest)]; ok {
			if r.Auth.Verified && t.shown[string(r.SenderDigest)] {
				return c, 0, nil, viaSender
			}
			related = addCase(related, c)
		}
		if c, ok := t.returning[string(r.SenderDigest)]; ok && r.Auth.Verified {
			return c, 0, nil, viaReturning
		}
	}
	return CaseLink{}, 0, related, ""
}

// belongs reports whether the address sender is a writer of the case.
func (t *threader) belongs(sender []byte, caseID int64) bool {
	return sender != nil && slices.ContainsFunc(t.writers[caseID], func(w []byte) bool { return bytes.Equal(w, sender) })
}

func addCase(cs []CaseLink, c CaseLink) []CaseLink {
	if slices.ContainsFunc(cs, func(x CaseLink) bool { return x.ID == c.ID }) {
		return cs
	}
	return append(cs, c)
}

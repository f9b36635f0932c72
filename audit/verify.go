package audit

import (
	"bytes"
	"encoding/hex"
	"fmt"
)

// Link is one link of the chain as stored: its sequence number, the hash
// stored with it and its event. Missing is set when the chain names an
// event that no longer exists.
type Link struct {
	Seq     int64
	Hash    []byte
	Event   Event
	Missing bool
}

// Break is the first link that does not hold.
type Break struct {
	Seq     int64  // the link's sequence number; 0 for an event outside the chain
	EventID int64  // the event it holds, 0 if none
	Reason  string // what differs, in a sentence
}

func (b *Break) Error() string {
	if b.Seq == 0 {
		return b.Reason
	}
	if b.EventID == 0 {
		return fmt.Sprintf("chain broken at seq %d: %s", b.Seq, b.Reason)
	}
	return fmt.Sprintf("chain broken at seq %d (event %d): %s", b.Seq, b.EventID, b.Reason)
}

// Verifier checks links given in chain order. Each link is checked
// against the hash stored with the link before it, so a changed event
// shows as the break at its own link.
type Verifier struct {
	head   Head
	count  int64
	expect *Head
	seen   bool // the expected head was passed and held
	broken *Break
}

// NewVerifier starts at the beginning of the chain.
func NewVerifier() *Verifier { return &Verifier{head: Head{Hash: Genesis}} }

// Expect makes the verifier check that the chain passes through h: an
// earlier head, written down elsewhere.
func (v *Verifier) Expect(h Head) { v.expect = &h }

// Add checks the next link. It returns the first break; once broken, the
// verifier returns the same break for every later link.
func (v *Verifier) Add(l Link) *Break {
	if v.broken != nil {
		return v.broken
	}
	v.broken = v.check(l)
	if v.broken == nil {
		v.head, v.count = Head{Seq: l.Seq, Hash: l.Hash}, v.count+1
	}
	return v.broken
}

func (v *Verifier) check(l Link) *Break {
	br := func(format string, args ...any) *Break {
		return &Break{Seq: l.Seq, EventID: l.Event.ID, Reason: fmt.Sprintf(format, args...)}
	}
	switch {
	case l.Seq != v.head.Seq+1 && v.head.Seq == 0:
		return br("the chain starts at seq %d, not 1: its beginning was removed", l.Seq)
	case l.Seq != v.head.Seq+1:
		return br("seq %d follows seq %d: the links between were removed", l.Seq, v.head.Seq)
	case l.Missing:
		return br("the event this link holds was deleted")
	}
	if want := Hash(v.head.Hash, l.Seq, l.Event); !bytes.Equal(want, l.Hash) {
		return br("the event's columns (id, case, time, kind, actor, data or address) or its place in the chain "+
			"differ from what was chained: stored hash %s, the event now hashes to %s",
			short(l.Hash), short(want))
	}
	if v.expect != nil && l.Seq == v.expect.Seq {
		if !bytes.Equal(l.Hash, v.expect.Hash) {
			return br("the expected head %s differs from the chain's %s: the chain was rewritten from here or earlier",
				v.expect, Head{l.Seq, l.Hash})
		}
		v.seen = true
	}
	return nil
}

// Finish reports a chain that ends before the expected head, and returns
// the first break, if any.
func (v *Verifier) Finish() *Break {
	if v.broken == nil && v.expect != nil && !v.seen {
		v.broken = &Break{Seq: v.head.Seq, Reason: fmt.Sprintf(
			"the chain ends at seq %d, before the expected head %s: events at its end were removed", v.head.Seq, v.expect)}
	}
	return v.broken
}

// Head is the last link that held.
func (v *Verifier) Head() Head { return v.head }

// Count is how many links held.
func (v *Verifier) Count() int64 { return v.count }

func short(h []byte) string {
	s := hex.EncodeToString(h)
	if len(s) > 16 {
		return s[:16] + "…"
	}
	return s
}

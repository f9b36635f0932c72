package storagetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/report"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/triage"
)

// Clock is a stopped clock that a test moves by hand; give its Now to
// Open as the store's clock.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now is the time the clock was last set to.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// What a Step does.
const (
	StepMessage = "message" // a message of the writer arrives (INTERNALDATE At); the first opens the case
	StepAck     = "ack"     // the automatic acknowledgement of the first message is sent
	StepAnswer  = "answer"  // Actor queues an answer; the first is the case's first response
	StepAssign  = "assign"  // the case is given by hand to the user Actor
	StepClose   = "close"   // Actor closes the case
	StepReopen  = "reopen"  // Actor reopens the case
)

// Step is one thing that happens to a case at a known time.
type Step struct {
	At    time.Time
	Do    string // StepMessage, StepAck, …
	Actor string // who does it ("cli:anna"); for StepAssign the username
}

// HistoryCase is a case of a History: every message has its priority and
// categories, and its steps come in time order, a StepMessage first.
type HistoryCase struct {
	Priority   triage.Priority
	Categories []triage.Category
	Steps      []Step
}

// History writes cases through the store's own write paths (Save,
// StoreReply and ReplySent, QueueReply, AssignTo, CloseCase, ReopenCase),
// every step at its own time on clock, the store's clock, all steps of all
// cases in time order. The users steps name must exist. It returns each
// case's ref, by index.
func History(t testing.TB, st *storage.Store, clock *Clock, targets triage.Targets, cases []HistoryCase) []string {
	t.Helper()
	ctx := context.Background()
	type step struct {
		Step
		c, i int
	}
	var steps []step
	for c, hc := range cases {
		if len(hc.Steps) == 0 || hc.Steps[0].Do != StepMessage {
			t.Fatalf("history case %d: the first step must be a message", c)
		}
		for i, s := range hc.Steps {
			steps = append(steps, step{s, c, i})
		}
	}
	slices.SortStableFunc(steps, func(a, b step) int { return a.At.Compare(b.At) })
	refs := make([]string, len(cases))
	ids := make([]int64, len(cases))
	first := make([]uint32, len(cases)) // the UID of each case's first message
	var uid uint32
	for _, s := range steps {
		clock.Set(s.At)
		hc := cases[s.c]
		var err error
		switch s.Do {
		case StepMessage:
			uid++
			rec := intake.Record{
				UID: uid, InternalDate: s.At, Size: 100, Status: "ok",
				RawSealed: []byte("sealed"), SummarySealed: []byte("sealed summary"),
				RawDigest:    fmt.Appendf(nil, "raw:%d", uid),
				SenderDigest: fmt.Appendf(nil, "writer:%d", s.c), MessageIDDigest: fmt.Appendf(nil, "id:%d", uid),
				Verdict:   triage.Verdict{Priority: hc.Priority, Categories: hc.Categories, Language: "hu"},
				Due:       targets.Due(hc.Priority, s.At),
				Recipient: replies.AckOK,
			}
			var ack *replies.AckPolicy
			if s.i == 0 && slices.ContainsFunc(hc.Steps, func(s Step) bool { return s.Do == StepAck }) {
				ack = &replies.AckPolicy{}
			}
			if s.i > 0 {
				rec.RefDigests = [][]byte{fmt.Appendf(nil, "id:%d", first[s.c])}
			}
			if s.i == 0 {
				first[s.c] = uid
			}
			var outs []intake.Outcome
			outs, err = st.Save(ctx, "history/INBOX", intake.Checkpoint{UIDValidity: 1, LastUID: uid}, []intake.Record{rec}, ack)
			if err == nil && s.i == 0 {
				refs[s.c], ids[s.c] = outs[0].CaseRef, outs[0].CaseID
			}
		case StepAck:
			var out int64
			err = Pool(st).QueryRow(ctx, `SELECT id FROM outgoing WHERE case_id = $1 AND kind = 'ack' ORDER BY id LIMIT 1`, ids[s.c]).Scan(&out)
			if err == nil {
				_, err = st.StoreReply(ctx, out, replies.ReplyCopy{Sealed: []byte("sealed ack"), SummarySealed: []byte("sealed summary"),
					RawDigest: fmt.Appendf(nil, "ack:%d", out), Size: 100})
			}
			if err == nil {
				err = st.ReplySent(ctx, out)
			}
		case StepAnswer:
			_, err = st.QueueReply(ctx, storage.Reply{CaseRef: refs[s.c], Kind: replies.KindAnswer, Template: "answer", Actor: s.Actor})
		case StepAssign:
			err = st.AssignTo(ctx, refs[s.c], s.Actor, "cli:supervisor")
		case StepClose:
			err = st.CloseCase(ctx, refs[s.c], report.AnsweredByEmail, s.Actor)
		case StepReopen:
			err = st.ReopenCase(ctx, refs[s.c], s.Actor)
		default:
			err = fmt.Errorf("unknown step %q", s.Do)
		}
		if err != nil {
			t.Fatalf("history case %d step %d (%s at %s): %v", s.c, s.i, s.Do, s.At.Format(time.RFC3339), err)
		}
	}
	return refs
}

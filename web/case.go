package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"slices"

	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/message"
	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/report"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/triage"
	"golang.org/x/sync/errgroup"
)

type caseData struct {
	Case      storage.CaseDetail
	Messages  []caseMessage
	Outgoing  []storage.Outgoing
	Events    []storage.Event
	Notes     []caseNote
	Operators []storage.User
	Shelters  []storage.Shelter
	// Why says why the case has its priority: a line per triage rule that
	// fired on the writer's messages, the words it read and how, or the
	// bare rule ids for a message that is not stored whole.
	Why []string
	// Reasons say why the writer is not to be answered by email, as
	// triage reads their messages now.
	Reasons    []triage.Reason
	DoNotReply bool
	Priorities []triage.Priority
	// Voice is the voice the answer is offered in; Frames the answer
	// template around the operator's words in each voice (voice.go).
	Voice  replies.Voice
	Frames []answerFrame
	// Saved are the saved answers of the answer's language (saved.go).
	Saved []savedAnswer
	// To are the addresses an answer may go to; Pick says none is the
	// default: the operator must choose.
	To   []caseAddress
	Pick bool
	// Related are the cases this one may belong with (possibly_related
	// events), by reference.
	Related []string
	// History are the writer's other cases (a verified writer's only).
	History []storage.EarlierCase
	// Outcomes are what closing the case asks to choose from.
	Outcomes []report.Outcome
	// Present are the colleagues on the case now (presence.go); Draft the
	// answer the person was writing (drafts.go); Recent a colleague's
	// mail to the writer that an answer must be confirmed after.
	Present []present
	Draft   string
	Recent  *recentAnswer
	// MayConfirm offers "Priority is right": to the operator who answers
	// the case, its assignee, or anyone while it has none.
	MayConfirm bool
}

// caseAddress is an address an answer may go to, opened.
type caseAddress struct {
	storage.Address
	Addr string
}

// Value is how the answer form names the address: message id and field.
func (a caseAddress) Value() string { return fmt.Sprintf("%d:%s", a.MessageID, a.Field) }

type caseMessage struct {
	storage.StoredMessage
	Summary message.Summary
	Parsed  *message.Message // nil when the raw message is not stored
	// Unopenable says the message is stored but cannot be opened: sealed
	// with a key this console does not hold, or damaged. The rest of the
	// case is shown all the same.
	Unopenable bool
	why        []string        // triage's lines for a writer's message
	reasons    []triage.Reason // and why it is not to be answered by email
}

// Unverified says the receiving server did not show the From to be the
// sender's (false for mail stored before okit asked).
func (m caseMessage) Unverified() bool { return m.SenderVerified != nil && !*m.SenderVerified }

type caseNote struct {
	storage.Note
	Body       string
	Unopenable bool // as for a message
}

// answerMarker stands for the operator's words when the answer template
// is rendered for the form.
const answerMarker = "\u2063OKIT-ANSWER\u2063"

// casePage shows a case: the decryption of its messages and notes is
// recorded before any is opened.
func (s *Server) casePage(w http.ResponseWriter, r *http.Request, c *call) {
	ctx := r.Context()
	cd, err := s.store.CaseByRef(ctx, r.PathValue("ref"))
	if errors.Is(err, storage.ErrNotFound) {
		s.notFound(w, r, c)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.RecordOn(ctx, cd.ID, storage.EventCaseViewed, c.actor, nil); err != nil {
		s.fail(w, r, err)
		return
	}
	d := caseData{Case: cd, DoNotReply: slices.Contains(cd.Flags, string(triage.FlagDoNotReply)),
		Priorities: []triage.Priority{triage.P1, triage.P2, triage.P3, triage.P4}, Outcomes: report.Outcomes(),
		Present: s.presence.on(cd.ID, c.session.Username, s.now()), MayConfirm: cd.AssigneeID == 0 || cd.AssigneeID == c.session.UserID}
	msgs, err := s.store.Messages(ctx, cd.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Messages = s.openMessages(cd.Ref, msgs)
	for _, m := range d.Messages {
		why := m.why
		if m.Parsed == nil {
			why = m.Rules
		}
		for _, line := range why {
			if !slices.Contains(d.Why, line) {
				d.Why = append(d.Why, line)
			}
		}
		for _, r := range m.reasons {
			if !slices.Contains(d.Reasons, r) {
				d.Reasons = append(d.Reasons, r)
			}
		}
	}
	notes, err := s.store.Notes(ctx, cd.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, n := range notes {
		body, err := s.keys.Open(n.BodySealed)
		if err != nil {
			s.log.Error("console: open a note", "case", cd.Ref, "note", n.ID, "err", err)
		}
		d.Notes = append(d.Notes, caseNote{Note: n, Body: string(body), Unopenable: err != nil})
	}
	if d.Outgoing, err = s.store.OutgoingOf(ctx, cd.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Events, err = s.store.Events(ctx, cd.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	for _, ev := range d.Events {
		if ref, ok := ev.Data["ref"].(string); ok && ev.Kind == storage.EventPossiblyRelated && !slices.Contains(d.Related, ref) {
			d.Related = append(d.Related, ref)
		}
	}
	if d.History, err = s.store.WriterHistory(ctx, cd.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.To, err = s.addresses(ctx, cd.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Pick = !slices.ContainsFunc(d.To, func(a caseAddress) bool { return a.Default })
	users, err := s.store.Users(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, u := range users {
		if !u.Disabled && u.Role.WorksCases() {
			d.Operators = append(d.Operators, u)
		}
	}
	if d.Shelters, err = s.store.Shelters(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Voice, d.Frames = s.answerFrames(cd, c.session.Signature, d.Messages)
	if d.Saved, err = s.savedFor(ctx, cd.Language); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Draft, err = s.draftOf(ctx, cd.ID, c); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Recent, err = s.recentAnswer(ctx, cd.ID, r.URL.Query().Get("confirm"), d.Outgoing); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "case", "", &page{catalog: s.lang(r), Title: "case.title", Nav: "queue", Session: c.session,
		Notice: r.URL.Query().Get("notice"), Data: d})
}

// openMessages decrypts and parses a case's messages, on every core: a
// long case is most of the page's time. A message that cannot be opened
// is marked so, and logged; it does not keep the others from being shown.
func (s *Server) openMessages(ref string, msgs []storage.StoredMessage) []caseMessage {
	out := make([]caseMessage, len(msgs))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, m := range msgs {
		g.Go(func() error {
			out[i] = caseMessage{StoredMessage: m}
			out[i].Unopenable = m.SummarySealed != nil && !s.openSummary(m.SummarySealed, &out[i].Summary)
			if m.RawSealed == nil {
				return nil
			}
			raw, err := s.keys.Open(m.RawSealed)
			if err != nil {
				s.log.Error("console: open a message", "case", ref, "message", m.ID, "err", err)
				out[i].Unopenable = true
				return nil
			}
			out[i].Parsed = message.Parse(raw)
			if m.Direction == "in" && s.rules != nil {
				ex := s.rules.Explain(intake.TriageInput(out[i].Parsed))
				out[i].why, out[i].reasons = ex.Lines(), ex.Verdict.Reasons
			}
			return nil
		})
	}
	g.Wait() // nothing fails: an unopenable message is marked
	return out
}

// addresses opens the addresses an answer on the case may go to. The
// case's viewing is recorded already: these are of its messages. An
// address that cannot be opened is left out (and logged): nobody can be
// written to at an address no one can read.
func (s *Server) addresses(ctx context.Context, caseID int64) ([]caseAddress, error) {
	as, err := s.store.Addresses(ctx, caseID)
	if err != nil {
		return nil, err
	}
	var out []caseAddress
	for _, a := range as {
		addr, err := s.openAddress(a)
		if err != nil {
			s.log.Error("console: open an address", "case", caseID, "message", a.MessageID, "err", err)
			continue
		}
		out = append(out, caseAddress{Address: a, Addr: addr})
	}
	return out, nil
}

// openAddress opens one address: a Reply-To is sealed alone, a From
// within its message's summary.
func (s *Server) openAddress(a storage.Address) (string, error) {
	plain, err := s.keys.Open(a.Sealed)
	if err != nil {
		return "", err
	}
	if a.Field == replies.FieldReplyTo {
		return string(plain), nil
	}
	sum, err := message.UnmarshalSummary(plain)
	if err != nil {
		return "", err
	}
	return sum.FromAddr, nil
}

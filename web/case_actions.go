package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/report"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/triage"
)

// maxText is the longest answer, note or reason the console takes.
const maxText = 64 << 10

// caseDone ends a case action: back to the case with a notice, or with a
// problem the person can fix; a failure of okit gets the error page.
func (s *Server) caseDone(w http.ResponseWriter, r *http.Request, err error, notice string) {
	path := "/cases/" + r.PathValue("ref")
	switch {
	case err == nil:
		redirect(w, r, path, notice)
	case errors.Is(err, storage.ErrNotFound):
		redirect(w, r, path, "problem.not_found")
	case errors.Is(err, storage.ErrUnchanged):
		redirect(w, r, path, "problem.unchanged")
	case errors.Is(err, storage.ErrDoNotReply):
		redirect(w, r, path, "problem.do_not_reply")
	case errors.Is(err, storage.ErrPickAddress):
		redirect(w, r, path, "problem.pick_address")
	case errors.Is(err, storage.ErrCannotMove):
		redirect(w, r, path, "problem.cannot_move")
	case errors.Is(err, storage.ErrAssignedElsewhere):
		redirect(w, r, path, "problem.assigned_elsewhere")
	case errors.Is(err, storage.ErrNoOutcome):
		redirect(w, r, path, "problem.no_outcome")
	default:
		s.fail(w, r, err)
	}
}

// formText reads a text field, refusing one that is too long or not text.
func formText(r *http.Request, name string) (string, bool) {
	t := strings.TrimSpace(strings.ReplaceAll(r.PostFormValue(name), "\r\n", "\n"))
	return t, len(t) <= maxText && utf8.ValidString(t)
}

func (s *Server) assign(w http.ResponseWriter, r *http.Request, c *call) {
	to := r.PostFormValue("to")
	if to == "" {
		to = c.session.Username
	}
	s.caseDone(w, r, s.store.AssignTo(r.Context(), r.PathValue("ref"), to, c.actor), "case.assigned")
}

// confirmPriority records the one click of the operator who answers the
// case saying its priority is right: a label for the second opinion. A
// colleague's case is refused (storage.ConfirmPriority), whatever the
// page offered.
func (s *Server) confirmPriority(w http.ResponseWriter, r *http.Request, c *call) {
	err := s.store.ConfirmPriority(r.Context(), r.PathValue("ref"), c.session.UserID, c.actor)
	if errors.Is(err, storage.ErrAssignedElsewhere) {
		redirect(w, r, "/cases/"+r.PathValue("ref"), "problem.confirm_not_yours")
		return
	}
	s.caseDone(w, r, err, "case.priority_confirmed")
}

func (s *Server) setPriority(w http.ResponseWriter, r *http.Request, c *call) {
	p, err := strconv.Atoi(r.PostFormValue("priority"))
	reason, ok := formText(r, "reason")
	if err != nil || p < int(triage.P1) || p > int(triage.P4) || !ok || reason == "" {
		s.caseDone(w, r, nil, "problem.priority_reason")
		return
	}
	sealed, err := s.keys.Sealer().Seal([]byte(reason))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	err = s.store.SetPriority(r.Context(), r.PathValue("ref"), triage.Priority(p), s.cfg.Targets, c.actor, sealed)
	s.caseDone(w, r, err, "case.priority_set")
}

func (s *Server) addNote(w http.ResponseWriter, r *http.Request, c *call) {
	body, ok := formText(r, "body")
	if !ok || body == "" {
		s.caseDone(w, r, nil, "problem.empty")
		return
	}
	sealed, err := s.keys.Sealer().Seal([]byte(body))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, err = s.store.AddNote(r.Context(), r.PathValue("ref"), sealed, c.actor)
	s.caseDone(w, r, err, "case.note_added")
}

// answer queues the operator's words in the information template; the
// reply worker composes and sends it exactly as for `okit reply`.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, c *call) {
	text, ok := formText(r, "text")
	voice, known := voiceOf(r.PostFormValue("voice"))
	if !ok || text == "" || !known {
		s.caseDone(w, r, nil, "problem.empty")
		return
	}
	sealed, err := s.keys.Sealer().Seal([]byte(text))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.reply(w, r, c, storage.Reply{Kind: replies.KindAnswer, Template: replies.FrameName(replies.TemplateInformation, voice),
		TextSealed: sealed}, "case.answer_queued")
}

// crisisHome queues a crisis home's intake phone to the writer.
func (s *Server) crisisHome(w http.ResponseWriter, r *http.Request, c *call) {
	name := r.PostFormValue("shelter")
	if name == "" {
		s.caseDone(w, r, nil, "problem.no_shelter")
		return
	}
	s.reply(w, r, c, storage.Reply{Kind: replies.KindCrisisHome, Template: replies.TemplateCrisisHome, Shelter: name}, "case.crisis_home_queued")
}

// reply queues an answer to the address the form names ("12:from"), or,
// with none named, to the case's default one.
func (s *Server) reply(w http.ResponseWriter, r *http.Request, c *call, rp storage.Reply, notice string) {
	rp.CaseRef, rp.Signature, rp.Actor = r.PathValue("ref"), c.session.Signature, c.actor
	rp.SafeChannel = r.PostFormValue("safe_channel") == "yes"
	rp.RemindAfter = s.cfg.RemindAfter
	rp.UserID, rp.TakeOver = c.session.UserID, r.PostFormValue("take_over") == "yes"
	rp.After, _ = strconv.ParseInt(r.PostFormValue("after"), 10, 64)
	if to := r.PostFormValue("to"); to != "" {
		id, field, _ := strings.Cut(to, ":")
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || (field != string(replies.FieldFrom) && field != string(replies.FieldReplyTo)) {
			s.caseDone(w, r, nil, "problem.pick_address")
			return
		}
		rp.To = storage.AddressRef{MessageID: n, Field: replies.Field(field)}
	}
	_, err := s.store.QueueReply(r.Context(), rp)
	var recent *storage.RecentAnswerError
	if errors.As(err, &recent) {
		// A colleague wrote to the writer minutes ago: the case page shows
		// their mail, and the operator's words wait as their draft.
		if rp.TextSealed != nil {
			if err := s.store.SaveDraft(r.Context(), rp.CaseRef, rp.UserID, rp.TextSealed); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		http.Redirect(w, r, "/cases/"+rp.CaseRef+"?confirm="+strconv.FormatInt(recent.OutgoingID, 10)+"#recent-answer", http.StatusSeeOther)
		return
	}
	s.caseDone(w, r, err, notice)
}

// merge moves this case's messages and writer addresses into the case
// the form names; the page then shows that case.
func (s *Server) merge(w http.ResponseWriter, r *http.Request, c *call) {
	into := strings.TrimSpace(r.PostFormValue("into"))
	err := s.store.MergeCases(r.Context(), r.PathValue("ref"), into, c.actor)
	if err == nil {
		redirect(w, r, "/cases/"+into, "case.merged")
		return
	}
	s.caseDone(w, r, err, "")
}

// split moves the messages ticked into a new case, and shows it.
func (s *Server) split(w http.ResponseWriter, r *http.Request, c *call) {
	r.ParseForm()
	var ids []int64
	for _, v := range r.PostForm["message"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			s.caseDone(w, r, storage.ErrNotFound, "")
			return
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		s.caseDone(w, r, nil, "problem.split_none")
		return
	}
	ref, err := s.store.SplitCase(r.Context(), r.PathValue("ref"), ids, s.cfg.Targets, c.actor)
	if err == nil {
		redirect(w, r, "/cases/"+ref, "case.split_done")
		return
	}
	s.caseDone(w, r, err, "")
}

// closeCase closes a case with the outcome the form names; without one
// it stays open and the page asks again.
func (s *Server) closeCase(w http.ResponseWriter, r *http.Request, c *call) {
	err := s.store.CloseCase(r.Context(), r.PathValue("ref"), report.Outcome(r.PostFormValue("outcome")), c.actor)
	s.caseDone(w, r, err, "case.closed")
}

func (s *Server) reopenCase(w http.ResponseWriter, r *http.Request, c *call) {
	s.caseDone(w, r, s.store.ReopenCase(r.Context(), r.PathValue("ref"), c.actor), "case.reopened")
}

package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/ncsszi/okit/storage"
)

// Drafts: the answer being written is saved every few seconds and when
// the page is left, sealed with the organisation's public key like every
// outgoing text, one per person and case; the case page puts it back in
// the form (recorded as a decryption first), and it goes when the answer
// is queued. Saving says that its person is writing (presence.go), which
// colleagues see by name, never with the text.

// saveDraft keeps the answer being written; an empty one is dropped.
func (s *Server) saveDraft(w http.ResponseWriter, r *http.Request, c *call) {
	text, ok := formText(r, "text")
	if !ok {
		http.Error(w, "draft too long", http.StatusRequestEntityTooLarge)
		return
	}
	var sealed []byte
	if text != "" {
		var err error
		if sealed, err = s.keys.Sealer().Seal([]byte(text)); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	err := s.store.SaveDraft(r.Context(), r.PathValue("ref"), c.session.UserID, sealed)
	if errors.Is(err, storage.ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// draftOf opens the person's draft on a case; "" for none.
func (s *Server) draftOf(ctx context.Context, caseID int64, c *call) (string, error) {
	d, err := s.store.DraftOf(ctx, caseID, c.session.UserID, c.actor)
	if errors.Is(err, storage.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	text, err := s.keys.Open(d.TextSealed)
	if err != nil {
		return "", err
	}
	return string(text), nil
}

// recentAnswer is the colleague's mail an answer waits to be confirmed
// after (the case page's "confirm" parameter, an outgoing id of the case),
// opened; nil for none.
func (s *Server) recentAnswer(ctx context.Context, caseID int64, confirm string, out []storage.Outgoing) (*recentAnswer, error) {
	id, err := strconv.ParseInt(confirm, 10, 64)
	if err != nil {
		return nil, nil
	}
	i := slices.IndexFunc(out, func(o storage.Outgoing) bool { return o.ID == id })
	if i < 0 {
		return nil, nil
	}
	ra := &recentAnswer{RecentAnswerError: storage.RecentAnswerError{OutgoingID: id, Actor: out[i].Actor, At: out[i].CreatedAt},
		Kind: out[i].Kind}
	sealed, err := s.store.OutgoingText(ctx, caseID, id)
	if err != nil || sealed == nil {
		return ra, err
	}
	text, err := s.keys.Open(sealed)
	ra.Text = string(text)
	return ra, err
}

// recentAnswer is a colleague's mail to the writer within
// storage.RecentAnswerWindow, shown when an answer needs confirming.
type recentAnswer struct {
	storage.RecentAnswerError
	Kind string // answer or crisis_home
	Text string // the colleague's words; "" for a crisis-home contact
}

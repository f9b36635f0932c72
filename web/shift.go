package web

import (
	"net/http"

	"github.com/ncsszi/okit/storage"
)

// shiftEndData is what ending a shift would hand to colleagues.
type shiftEndData struct {
	HandOver []storage.QueueItem
	// Colleagues counts the others on shift: with none, the cases wait
	// unassigned for the next one.
	Colleagues int
}

// startShift puts the person on shift; starting hands them waiting cases.
func (s *Server) startShift(w http.ResponseWriter, r *http.Request, c *call) {
	if _, err := s.store.StartShift(r.Context(), c.session.Username, c.actor); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/queue", "shift.started")
}

// endShiftPage shows the cases ending the shift would hand over, and asks:
// once handed over they are colleagues' and do not come back.
func (s *Server) endShiftPage(w http.ResponseWriter, r *http.Request, c *call) {
	if !c.session.OnShift {
		redirect(w, r, "/queue", "shift.not_on")
		return
	}
	var d shiftEndData
	var err error
	d.HandOver, err = s.store.Queue(r.Context(), storage.QueueFilter{View: storage.ViewHandOver, UserID: c.session.UserID, Limit: queueLimit})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	users, err := s.store.Users(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, u := range users {
		if u.OnShift && !u.Disabled && u.Role.WorksCases() && u.Username != c.session.Username {
			d.Colleagues++
		}
	}
	s.render(w, r, http.StatusOK, "shift_end", "", &page{catalog: s.lang(r), Title: "shift.end_title", Nav: "queue",
		Session: c.session, Data: d})
}

// endShift takes the person off shift and hands their unanswered cases to
// colleagues on shift, once they have seen which and said so.
func (s *Server) endShift(w http.ResponseWriter, r *http.Request, c *call) {
	if r.PostFormValue("confirm") != "yes" {
		redirect(w, r, "/shift/end", "")
		return
	}
	if _, err := s.store.EndShift(r.Context(), c.session.Username, c.actor); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/queue", "shift.ended")
}

package web

import (
	"net/http"
	"time"

	"github.com/ncsszi/okit/storage"
)

// nowData is the present, for supervisors: who is on shift with what
// load, the P1 and P2 cases waiting for a first answer and for how long,
// and the clocks running late. It opens nothing sealed: references,
// priorities, names and times only.
type nowData struct {
	Operators []storage.User
	Lists     []nowList // the waiting P1 and P2 cases, the late ones
}

// nowList is a list of cases on the page: its id and title (a catalog
// key that counts them).
type nowList struct {
	ID, Title string
	Cases     []nowCase
}

// nowCase is a case on the page, with how long it has waited.
type nowCase struct {
	storage.QueueItem
	Waiting time.Duration
}

// nowPage shows the present; nowParts is its body alone, which the page
// fetches again when the live stream says cases changed.
func (s *Server) nowPage(w http.ResponseWriter, r *http.Request, c *call) {
	d, err := s.present(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "now", "", &page{catalog: s.lang(r), Title: "now.title", Nav: "now", Session: c.session, Data: d})
}

func (s *Server) nowParts(w http.ResponseWriter, r *http.Request, c *call) {
	d, err := s.present(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "now", "parts", &page{catalog: s.lang(r), Session: c.session, Data: d})
}

func (s *Server) present(r *http.Request) (nowData, error) {
	var d nowData
	users, err := s.store.Users(r.Context())
	if err != nil {
		return d, err
	}
	for _, u := range users {
		if u.OnShift && !u.Disabled && u.Role.WorksCases() {
			d.Operators = append(d.Operators, u)
		}
	}
	at := s.now()
	for _, view := range []string{storage.ViewUrgent, storage.ViewBreaching} {
		items, err := s.store.Queue(r.Context(), storage.QueueFilter{View: view, Limit: queueLimit})
		if err != nil {
			return d, err
		}
		l := nowList{ID: view, Title: "now." + view}
		for _, it := range items {
			l.Cases = append(l.Cases, nowCase{QueueItem: it, Waiting: at.Sub(it.FirstReceived)})
		}
		d.Lists = append(d.Lists, l)
	}
	return d, nil
}

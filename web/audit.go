package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/ncsszi/okit/storage"
)

const auditPageSize = 200

type auditData struct {
	Filter storage.AuditFilter
	User   string
	Events []storage.AuditEvent
	Next   string // the address of the next (older) page; "" at the end
}

// auditPage shows the audit trail, newest first, filtered by case, user
// and kind. It shows what the events record, never sealed content.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, c *call) {
	q := r.URL.Query()
	d := auditData{User: strings.TrimSpace(q.Get("user"))}
	d.Filter = storage.AuditFilter{CaseRef: strings.TrimSpace(q.Get("case")), Kind: strings.TrimSpace(q.Get("kind")), Limit: auditPageSize}
	if d.User != "" {
		d.Filter.Actor = d.User
		if !strings.Contains(d.User, ":") {
			d.Filter.Actor = "user:" + d.User
		}
	}
	d.Filter.Before, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	evs, err := s.store.Audit(r.Context(), d.Filter)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Events = evs
	if len(evs) == auditPageSize {
		q.Set("before", strconv.FormatInt(evs[len(evs)-1].ID, 10))
		d.Next = "/audit?" + q.Encode()
	}
	s.render(w, r, http.StatusOK, "audit", "", &page{catalog: s.lang(r), Title: "audit.title", Nav: "audit", Session: c.session, Data: d})
}

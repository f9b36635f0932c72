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
	Events []auditRow
	Next   string // the address of the next (older) page; "" at the end
}

// auditRow is an event as the audit page shows it: its data, and for the
// kinds whose data reads better as a sentence, that sentence.
type auditRow struct {
	storage.AuditEvent
	Said string
}

// say puts an event's data into words in the reader's language, or gives
// "" when the data shows itself well enough.
func say(cat *catalog, e storage.Event) string {
	if e.Kind != storage.EventShelterUpdate {
		return ""
	}
	home := e.Data["shelter"]
	switch e.Data["what"] {
	case "free_places":
		return cat.T("audit.shelter_places", home, e.Data["from"], e.Data["to"])
	case "active":
		if e.Data["to"] == true {
			return cat.T("audit.shelter_offered", home)
		}
		return cat.T("audit.shelter_withdrawn", home)
	}
	return ""
}

// auditPage shows the audit trail, newest first, filtered by case, user
// and kind. It shows what the events record, never sealed content.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, c *call) {
	q := r.URL.Query()
	d := auditData{User: strings.TrimSpace(q.Get("user"))}
	d.Filter = storage.AuditFilter{CaseRef: strings.TrimSpace(q.Get("case")), Kind: storage.EventKind(strings.TrimSpace(q.Get("kind"))), Limit: auditPageSize}
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
	cat := s.lang(r)
	for _, e := range evs {
		d.Events = append(d.Events, auditRow{AuditEvent: e, Said: say(cat, e.Event)})
	}
	if len(evs) == auditPageSize {
		q.Set("before", strconv.FormatInt(evs[len(evs)-1].ID, 10))
		d.Next = "/audit?" + q.Encode()
	}
	s.render(w, r, http.StatusOK, "audit", "", &page{catalog: cat, Title: "audit.title", Nav: "audit", Session: c.session, Data: d})
}

package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ncsszi/okit/storage"
)

const (
	auditPageSize = 200
	auditCSVLimit = 100000 // a longer trail is exported by periods
)

type auditData struct {
	Filter   storage.AuditFilter
	User     string
	From, To string // the period's dates as the form gives them
	Users    []string
	Events   []auditRow
	Next     string // the address of the next (older) page; "" at the end
	CSV      string // the address of the same events as CSV
}

// auditRow is an event as the audit page shows it: in a sentence, with
// the cases it names as links.
type auditRow struct {
	storage.AuditEvent
	said
}

// auditFilter reads the audit page's filters: case, user, kind, period.
func (s *Server) auditFilter(q url.Values) auditData {
	d := auditData{User: strings.TrimSpace(q.Get("user")), From: q.Get("from"), To: q.Get("to")}
	d.Filter = storage.AuditFilter{CaseRef: strings.TrimSpace(q.Get("case")), Kind: storage.EventKind(strings.TrimSpace(q.Get("kind"))),
		Limit: auditPageSize}
	if d.User != "" {
		d.Filter.Actor = d.User
		if !strings.Contains(d.User, ":") {
			d.Filter.Actor = "user:" + d.User
		}
	}
	if t, err := time.ParseInLocation(time.DateOnly, d.From, s.cfg.Location); err == nil {
		d.Filter.From = t
	} else {
		d.From = ""
	}
	if t, err := time.ParseInLocation(time.DateOnly, d.To, s.cfg.Location); err == nil {
		d.Filter.To = t.AddDate(0, 0, 1)
	} else {
		d.To = ""
	}
	d.Filter.Before, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	return d
}

// auditPage shows the audit trail, newest first, filtered by case, user,
// kind and period, each event in a sentence. It shows what the events
// record, never sealed content.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, c *call) {
	ctx := r.Context()
	q := r.URL.Query()
	d := s.auditFilter(q)
	evs, err := s.store.Audit(ctx, d.Filter)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &page{catalog: s.lang(r), Title: "audit.title", Nav: "audit", Session: c.session, Data: &d}
	if d.Events, err = s.sayAll(ctx, p, evs); err != nil {
		s.fail(w, r, err)
		return
	}
	users, err := s.store.Users(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, u := range users {
		d.Users = append(d.Users, u.Username)
	}
	if len(evs) == auditPageSize {
		q.Set("before", strconv.FormatInt(evs[len(evs)-1].ID, 10))
		d.Next = "/audit?" + q.Encode()
	}
	q.Del("before")
	d.CSV = "/audit.csv?" + q.Encode()
	s.render(w, r, http.StatusOK, "audit", "", p)
}

// auditCSV gives the events the audit page's filters choose, as CSV, the
// export itself recorded first. Each row has the sentence and the event's
// data as recorded.
func (s *Server) auditCSV(w http.ResponseWriter, r *http.Request, c *call) {
	ctx := r.Context()
	d := s.auditFilter(r.URL.Query())
	d.Filter.Limit, d.Filter.Before = auditCSVLimit, 0
	if err := s.store.Record(ctx, storage.EventExport, c.actor, map[string]any{"what": "audit", "case": d.Filter.CaseRef,
		"kind": string(d.Filter.Kind), "user": d.Filter.Actor, "from": d.From, "to": d.To}); err != nil {
		s.fail(w, r, err)
		return
	}
	evs, err := s.store.Audit(ctx, d.Filter)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &page{catalog: s.lang(r)}
	rows, err := s.sayAll(ctx, p, evs)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="okit-audit.csv"`)
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "time", "kind", "case", "who", "from", "what", "data"})
	for _, e := range rows {
		data, _ := json.Marshal(e.Data)
		cw.Write([]string{strconv.FormatInt(e.ID, 10), e.At.In(s.cfg.Location).Format("2006-01-02 15:04:05"),
			p.Label(eventKey(string(e.Kind)), string(e.Kind)), e.CaseRef, p.Who(e.Actor), e.RemoteAddr, e.Text(), string(data)})
	}
	cw.Flush()
}

// sayAll puts events into sentences, looking up the cases and users
// their data names by id.
func (s *Server) sayAll(ctx context.Context, p *page, evs []storage.AuditEvent) ([]auditRow, error) {
	var ids []int64
	for _, e := range evs {
		ids = append(ids, caseIDs(e.Data)...)
	}
	refs, err := s.store.CaseRefs(ctx, ids)
	if err != nil {
		return nil, err
	}
	users, err := s.store.Users(ctx)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, u := range users {
		names[u.ID] = u.Username
	}
	rows := make([]auditRow, len(evs))
	for i, e := range evs {
		rows[i] = auditRow{AuditEvent: e, said: say(p, e.Event, refs, names)}
	}
	return rows, nil
}

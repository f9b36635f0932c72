package web

import (
	"encoding/base64"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ncsszi/okit/search"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/triage"
)

// searchLimit is how many cases one search shows: a search that finds
// more is better narrowed than paged.
const searchLimit = 50

type searchData struct {
	Q          string
	Priority   int
	Category   string
	Status     string
	Operator   string
	From, To   string // dates as the form gives them, 2026-11-30
	Asked      bool   // a search was made (not the empty form)
	Total      int
	Rows       []queueRow
	Building   bool  // the index is still being built: results may miss cases
	Indexed    int64 // cases in the index so far, while building
	Priorities []triage.Priority
	Categories []triage.Category
	Statuses   []string
	Operators  []string
}

// searchPage searches the cases by words and facts. A search is recorded
// first, its words sealed (they may be a writer's), then the summaries
// of the cases it shows are opened as the queue opens them.
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request, c *call) {
	ctx := r.Context()
	q := r.URL.Query()
	d := searchData{Q: strings.TrimSpace(q.Get("q")), Category: q.Get("category"), Status: q.Get("status"),
		Operator: q.Get("operator"), From: q.Get("from"), To: q.Get("to"),
		Priorities: []triage.Priority{triage.P1, triage.P2, triage.P3, triage.P4}, Categories: triage.Categories(),
		Statuses: []string{"open", "closed"}, Building: !s.index.ready.Load(), Indexed: s.index.done.Load()}
	d.Priority, _ = strconv.Atoi(q.Get("priority"))
	query := search.Query{Text: d.Q, Priority: d.Priority, Category: d.Category, Status: d.Status, Assignee: d.Operator,
		Limit: searchLimit}
	if !slices.Contains(d.Categories, triage.Category(d.Category)) {
		d.Category, query.Category = "", ""
	}
	if !slices.Contains(d.Statuses, d.Status) {
		d.Status, query.Status = "", ""
	}
	if d.Priority < int(triage.P1) || d.Priority > int(triage.P4) {
		d.Priority, query.Priority = 0, 0
	}
	if t, err := time.ParseInLocation(time.DateOnly, d.From, s.cfg.Location); err == nil {
		query.From = t
	} else {
		d.From = ""
	}
	if t, err := time.ParseInLocation(time.DateOnly, d.To, s.cfg.Location); err == nil {
		query.To = t.AddDate(0, 0, 1) // the whole last day
	} else {
		d.To = ""
	}
	users, err := s.store.Users(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, u := range users {
		if u.Role.WorksCases() {
			d.Operators = append(d.Operators, u.Username)
		}
	}
	if !slices.Contains(d.Operators, d.Operator) {
		d.Operator, query.Assignee = "", ""
	}
	d.Asked = d.Q != "" || d.Priority != 0 || d.Category != "" || d.Status != "" || d.Operator != "" || d.From != "" || d.To != ""
	if d.Asked {
		if err := s.searched(r, c, &d, query); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "search", "", &page{catalog: s.lang(r), Title: "search.title", Nav: "search",
		Session: c.session, Data: &d})
}

// searched runs the search, records it and the summaries it shows, and
// opens them.
func (s *Server) searched(r *http.Request, c *call, d *searchData, q search.Query) error {
	ctx := r.Context()
	res := s.index.index().Search(q)
	d.Total = res.Total
	data := map[string]any{"results": res.Total}
	if d.Q != "" {
		sealed, err := s.keys.Sealer().Seal([]byte(d.Q))
		if err != nil {
			return err
		}
		data["query_sealed"] = base64.StdEncoding.EncodeToString(sealed)
	}
	for k, v := range map[string]string{"category": d.Category, "status": d.Status, "operator": d.Operator, "from": d.From, "to": d.To} {
		if v != "" {
			data[k] = v
		}
	}
	if d.Priority != 0 {
		data["priority"] = d.Priority
	}
	if err := s.store.Record(ctx, storage.EventSearched, c.actor, data); err != nil {
		return err
	}
	if len(res.Cases) == 0 {
		return nil
	}
	ids := make([]int64, len(res.Cases))
	for i, rc := range res.Cases {
		ids[i] = rc.ID
	}
	items, err := s.store.Queue(ctx, storage.QueueFilter{IDs: ids, Limit: searchLimit})
	if err != nil {
		return err
	}
	// In the index's order: the most pressing first.
	slices.SortFunc(items, func(a, b storage.QueueItem) int { return slices.Index(ids, a.ID) - slices.Index(ids, b.ID) })
	rows, err := s.openRows(r, c, items, "search")
	d.Rows = rows
	return err
}

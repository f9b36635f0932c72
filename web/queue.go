package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/ncsszi/okit/message"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/triage"
)

// queueLimit is how many cases one queue page shows: more open cases than
// this is an emergency of its own, and the most urgent come first.
const queueLimit = 100

var queueViews = []string{storage.ViewOpen, storage.ViewMine, storage.ViewUnassigned, storage.ViewFlagged, storage.ViewClosed}

type queueData struct {
	View       string
	Category   string
	Views      []string
	Categories []triage.Category
	Rows       []queueRow
	Page       int    // 0 for the first
	Query      string // the filter and page, for the live refresh of the rows
	Next, Prev string // the addresses of the next and previous pages; "" for none
}

type queueRow struct {
	storage.QueueItem
	Summary  message.Summary
	Unread   bool // no summary could be opened
	Overdue  bool
	Reminded bool
	Present  []present // colleagues on the case now (presence.go)
}

// home sends each role to its first page.
func (s *Server) home(w http.ResponseWriter, r *http.Request, c *call) {
	if !c.session.Role.WorksCases() {
		http.Redirect(w, r, "/users", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/queue", http.StatusSeeOther)
}

func (s *Server) queuePage(w http.ResponseWriter, r *http.Request, c *call) {
	d, err := s.queue(r, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "queue", "", &page{catalog: s.lang(r), Title: "queue.title", Nav: "queue",
		Session: c.session, Notice: r.URL.Query().Get("notice"), Data: d})
}

// queueRows is the rows of the queue alone, which the page fetches again
// when the live stream says cases changed.
func (s *Server) queueRows(w http.ResponseWriter, r *http.Request, c *call) {
	d, err := s.queue(r, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "queue", "rows", &page{catalog: s.lang(r), Session: c.session, Data: d})
}

// queue reads a page of the queue and opens the summaries it shows,
// recording first, in one event, whose summaries were opened.
func (s *Server) queue(r *http.Request, c *call) (queueData, error) {
	q := r.URL.Query()
	d := queueData{View: q.Get("view"), Category: q.Get("category"), Views: queueViews, Categories: triage.Categories()}
	if !slices.Contains(queueViews, d.View) {
		d.View = storage.ViewOpen
	}
	if !slices.Contains(d.Categories, triage.Category(d.Category)) {
		d.Category = ""
	}
	d.Page, _ = strconv.Atoi(q.Get("page"))
	d.Page = max(0, min(d.Page, 10000))
	query := func(page int) string {
		return url.Values{"view": {d.View}, "category": {d.Category}, "page": {strconv.Itoa(page)}}.Encode()
	}
	d.Query = query(d.Page)
	items, err := s.store.Queue(r.Context(), storage.QueueFilter{View: d.View, UserID: c.session.UserID, Category: d.Category,
		Limit: queueLimit, Offset: d.Page * queueLimit})
	if err != nil {
		return d, err
	}
	if len(items) == queueLimit {
		d.Next = "/queue?" + query(d.Page+1)
	}
	if d.Page > 0 {
		d.Prev = "/queue?" + query(d.Page-1)
	}
	d.Rows, err = s.openRows(r, c, items, "queue")
	return d, err
}

// openRows opens the summaries of cases for a list (the queue, search
// results), recording first, in one event, whose summaries are opened:
// each case once per session (seen.go).
func (s *Server) openRows(r *http.Request, c *call, items []storage.QueueItem, purpose string) ([]queueRow, error) {
	var ids []int64
	for _, it := range items {
		if it.SummarySealed != nil {
			ids = append(ids, it.ID)
		}
	}
	if ids = s.seen.unrecorded(c.digest, ids); len(ids) > 0 {
		err := s.store.Record(r.Context(), storage.EventSummaryOpened, c.actor, map[string]any{"purpose": purpose, "cases": ids})
		if err != nil {
			return nil, err
		}
		s.seen.recorded(c.digest, ids, s.now())
	}
	now := s.now()
	var rows []queueRow
	for _, it := range items {
		row := queueRow{QueueItem: it, Reminded: it.Reminder, Present: s.presence.on(it.ID, c.session.Username, now),
			Overdue: it.Status == "open" && (it.Breached || it.Due != nil && it.Due.Before(now))}
		row.Unread = !s.openSummary(it.SummarySealed, &row.Summary)
		rows = append(rows, row)
	}
	return rows, nil
}

// openSummary decrypts a sealed summary; false if there is none or it
// cannot be opened (logged, without content).
func (s *Server) openSummary(sealed []byte, sum *message.Summary) bool {
	if sealed == nil {
		return false
	}
	b, err := s.keys.Open(sealed)
	if err == nil {
		err = json.Unmarshal(b, sum)
	}
	if err != nil {
		s.log.Error("console: open a summary", "err", err)
		return false
	}
	return true
}

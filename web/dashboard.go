package web

import (
	"bytes"
	"cmp"
	"net/http"
	"strconv"
	"time"

	"github.com/ncsszi/okit/report"
	"github.com/ncsszi/okit/storage"
)

// breachesShown is how many breaches the page lists; the CSV has them all.
const breachesShown = 200

type dashboardData struct {
	From, Last string // the period's first and last day, as the form shows them
	To         string // the day after the last, as okit report takes it
	Figures    report.Figures
	Breaches   []report.Breach // the first breachesShown, by due time
	Backlog    chart
	Days       chart
	Hours      chart
	Categories chart
	Model      modelData
	// Pending are the accounts an admin made or reset, each waiting for
	// a supervisor; Changes every change of an account in the last week.
	Pending []storage.Pending
	Changes []storage.AccountChange
}

// period reads the dashboard's days, in the line's time zone: from the
// first day's midnight to the midnight after the last; without them, the
// last seven days up to today. ok is false for days that make no period
// (or one of more than 400 days), and the period is then the default.
func (s *Server) period(r *http.Request) (from, to time.Time, ok bool) {
	loc := s.zone
	today := s.now().In(loc)
	to = time.Date(today.Year(), today.Month(), today.Day()+1, 0, 0, 0, 0, loc)
	from = to.AddDate(0, 0, -7)
	q := r.URL.Query()
	if q.Get("from") == "" && q.Get("last") == "" {
		return from, to, true
	}
	f, err1 := time.ParseInLocation(time.DateOnly, q.Get("from"), loc)
	last, err2 := time.ParseInLocation(time.DateOnly, q.Get("last"), loc)
	t := last.AddDate(0, 0, 1)
	if err1 != nil || err2 != nil || !f.Before(t) || t.Sub(f) > 400*24*time.Hour {
		return from, to, false
	}
	return f, t, true
}

// dashboardPage shows the figures of a period: response times by
// priority, backlog, breaches, operators, volume and categories, each a
// table, most with a chart above it.
func (s *Server) dashboardPage(w http.ResponseWriter, r *http.Request, c *call) {
	from, to, ok := s.period(r)
	p := &page{catalog: s.lang(r), Title: "dashboard.title", Nav: "dashboard", Session: c.session,
		Notice: r.URL.Query().Get("notice")} // after a model's activation
	if !ok {
		p.Notice = "problem.period"
	}
	f, err := s.store.Figures(r.Context(), from, to, s.cfg.Targets)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := dashboardData{From: from.Format(time.DateOnly), Last: to.AddDate(0, 0, -1).Format(time.DateOnly),
		To: to.Format(time.DateOnly), Figures: f, Breaches: f.Breaches[:min(len(f.Breaches), breachesShown)]}
	d.Backlog = barChart(f.Backlog, func(b report.Bucket) (string, int) { return b.Label, b.Cases })
	d.Days = barChart(f.Days, func(day report.Day) (string, int) { return day.Date[8:], day.Messages })
	d.Hours = barChart(f.Hours, func(h report.Hour) (string, int) { return strconv.Itoa(h.Hour), h.Messages })
	d.Categories = barChart(f.Categories, func(c report.Category) (string, int) {
		return p.Label(categoryKey(c.Category), c.Category), c.Cases
	})
	if d.Model, err = s.models(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Pending, err = s.store.PendingAccounts(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Changes, err = s.store.AccountChanges(r.Context(), s.now().Add(-7*24*time.Hour)); err != nil {
		s.fail(w, r, err)
		return
	}
	p.Notice = cmp.Or(p.Notice, r.URL.Query().Get("notice"))
	p.Data = d
	s.render(w, r, http.StatusOK, "dashboard", "", p)
}

// dashboardCSV exports the period's figures as okit report's CSV, after
// recording who took them.
func (s *Server) dashboardCSV(w http.ResponseWriter, r *http.Request, c *call) {
	from, to, ok := s.period(r)
	if !ok {
		http.Error(w, s.lang(r).T("problem.period"), http.StatusBadRequest)
		return
	}
	f, err := s.store.Figures(r.Context(), from, to, s.cfg.Targets)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := report.WriteCSV(&buf, f); err != nil {
		s.fail(w, r, err)
		return
	}
	err = s.store.Record(r.Context(), storage.EventExport, c.actor, map[string]any{"what": "figures", "from": from, "to": to, "format": "csv"})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="okit-figures-`+from.Format(time.DateOnly)+`-`+to.Format(time.DateOnly)+`.csv"`)
	w.Write(buf.Bytes())
}

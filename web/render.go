package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/storage"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pageFiles are the pages and the partials each is parsed with, besides
// the layout. A partial named like a page can also be rendered alone (the
// queue's rows, refreshed live).
var pageFiles = map[string][]string{
	"login":     {"login.html"},
	"totp":      {"totp.html"},
	"enrol":     {"enrol.html"},
	"queue":     {"queue.html", "queue_rows.html"},
	"case":      {"case.html", "case_actions.html", "answer_voice.html"},
	"shelters":  {"shelters.html"},
	"users":     {"users.html"},
	"account":   {"account.html"},
	"audit":     {"audit.html"},
	"dashboard": {"dashboard.html"},
	"error":     {"error.html"},
	"search":    {"search.html", "queue_rows.html"},
	"answers":   {"answers.html"},
	"shift_end": {"shift_end.html"},
	"lock":      {"lock.html"},
	"now":       {"now.html"},
}

// views are the parsed pages.
type views map[string]*template.Template

func parseViews(loc *time.Location) (views, error) {
	funcs := template.FuncMap{
		"clock": func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04") },
		"iso":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"deref": func(t *time.Time) time.Time {
			if t == nil {
				return time.Time{}
			}
			return *t
		},
		"percent":   func(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) },
		"percentOf": func(x float64) float64 { return 100 * x },
		"json": func(v any) string {
			if v == nil {
				return ""
			}
			b, _ := json.Marshal(v)
			return string(b)
		},
		"categoryKey": categoryKey,
		"flagKey":     flagKey,
		"eventKey":    eventKey,
		"savedForm":   savedForm,
		"langTag":     langTag,
	}
	v := views{}
	for name, files := range pageFiles {
		paths := []string{"templates/layout.html", "templates/keys.html"}
		for _, f := range files {
			paths = append(paths, "templates/"+f)
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, paths...)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		v[name] = t
	}
	return v, nil
}

// page is what every template is rendered with.
type page struct {
	*catalog
	Title   string // a catalog key
	Nav     string // the menu entry to mark
	Session *storage.Session
	Notice  string // a catalog key: what just happened
	Problem string // a translated sentence: what went wrong
	Demo    bool
	Now     time.Time
	Path    string // the page's own address, to come back to after a form
	Zone    string // the time zone pages show times in, for the script's clock
	// Alerts are, for a supervisor, the alerts they have not acknowledged
	// (alerts.go); nil for anyone else.
	Alerts *storage.Alerts
	// LockAfter is the idle time after which the console locks, in
	// seconds: the script looks then whether it did.
	LockAfter int
	Data      any
}

// Is reports whether the page's user has one of the roles. A name that is
// no role fails the page, so that a misspelt one cannot hide a menu.
func (p *page) Is(roles ...account.Role) (bool, error) {
	for _, r := range roles {
		if !r.Valid() {
			return false, fmt.Errorf("template asks for role %q, which is none", r)
		}
	}
	return p.Session != nil && slices.Contains(roles, p.Session.Role), nil
}

// EventKinds are the kinds of event the catalog names, for the audit
// page's filter.
func (p *page) EventKinds() []string {
	var kinds []string
	for k := range p.catalog.strings {
		if kind, ok := strings.CutPrefix(k, "event."); ok {
			kinds = append(kinds, kind)
		}
	}
	slices.Sort(kinds)
	return kinds
}

// AlertKinds are the alerts supervisors' banner names.
func (p *page) AlertKinds() []string { return alertKinds }

// Live says the page keeps a live stream, for the alerts (and the queue's
// rows): a case worker's, past their second factor.
func (p *page) Live() bool {
	return p.Session != nil && p.Session.SecondFactor && p.Session.Role.WorksCases()
}

// Sound says the page sounds its alerts: the person wants it and is on
// shift.
func (p *page) Sound() bool { return p.Session != nil && p.Session.AlertSound && p.Session.OnShift }

// Lang is the page's language.
func (p *page) Lang() string { return p.catalog.lang }

// Bad reports whether the notice says something went wrong.
func (p *page) Bad() bool { return strings.HasPrefix(p.Notice, "problem.") }

// Label translates a stored code by its catalog key.
func (p *page) Label(key, code string) string { return p.catalog.label(key, code) }

// render writes a page (whole, or one named partial of it) with status.
// It renders into a buffer first, so that a template error becomes a
// clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, block string, p *page) {
	t, ok := s.views[name]
	if !ok {
		s.fail(w, r, fmt.Errorf("no page %q", name))
		return
	}
	if block == "" {
		block = "layout.html"
	}
	p.Demo, p.Now, p.Path, p.Zone = s.cfg.Demo, s.now(), r.URL.RequestURI(), s.cfg.Location.String()
	p.Alerts = s.supervisorAlerts(r, p.Session)
	p.LockAfter = int(s.cfg.IdleTimeout.Seconds())
	if !p.catalog.hasKey(p.Notice) {
		p.Notice = "" // a notice comes from the address: only the catalog's are shown
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, p); err != nil {
		s.log.Error("render page", slog.String("page", name), slog.Any("err", err))
		http.Error(w, "500", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"runtime"
	"time"

	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/report"
	"github.com/ncsszi/okit/seal"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/triage"
)

// Config holds the console's settings.
type Config struct {
	// PublicURL is where people reach the console. With https, cookies
	// are Secure and browsers are told to keep to https; http is for a
	// console on a loopback address only.
	PublicURL *url.URL
	// IdleTimeout locks a console nobody used for that long (default 30
	// minutes; lock.go); MaxSessionAge ends any session after that long
	// (12 hours).
	IdleTimeout   time.Duration
	MaxSessionAge time.Duration
	// OperatorsSkipTOTP lets operators log in without a second factor
	// (OKIT_TOTP_OPERATORS=false); supervisors and admins always need one.
	OperatorsSkipTOTP bool
	// Targets are the first-response targets, for a priority set by hand.
	Targets triage.Targets
	// RemindAfter is when a crisis-home contact's operator is reminded.
	RemindAfter time.Duration
	// Location is the time zone pages show times in (Europe/Budapest).
	Location *time.Location
	// TrustedProxies are the addresses of proxies in front of the console
	// whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// MaxHashes is how many passwords are hashed at once at most (default
	// the number of CPUs, at most 4): each hash takes 19 MiB.
	MaxHashes int
	// Demo shows hints that only a demo may show (the current second-factor
	// code on the login page).
	Demo bool
}

// Deps are the console's collaborators.
type Deps struct {
	Store *storage.Store
	Keys  *seal.Opener // opens sealed content; its Sealer seals notes and answers
	// Binder binds passwords and second factors to their users under the
	// console key: a credential without its MAC logs nobody in.
	Binder    *seal.Binder
	Templates *replies.Templates
	// Rules are the triage rules intake runs with: the case page explains
	// each message's verdict with them.
	Rules *triage.Rules
	// IndexKeyVersion is the version of the index key intake hashes with
	// (seal.Index.Version): a learned model hashed with another must be
	// trained again after a rotation, and the dashboard says so.
	IndexKeyVersion int
	Log             *slog.Logger
	Now             func() time.Time
}

// Server is the console.
type Server struct {
	cfg      Config
	store    *storage.Store
	keys     *seal.Opener
	bind     *seal.Binder
	mail     *replies.Templates
	rules    *triage.Rules
	indexKey int // Deps.IndexKeyVersion
	log      *slog.Logger
	now      func() time.Time
	views    views
	catalogs map[string]*catalog
	live     *hub
	index    *indexer
	seen     *seen          // whose summaries each session has had recorded
	presence *presence      // who is on which case
	zone     *time.Location // the figures' time zone, report.Zone
	hashers  chan struct{}  // a slot for each password being hashed
}

// New builds the console.
func New(cfg Config, d Deps) (*Server, error) {
	if cfg.PublicURL == nil || (cfg.PublicURL.Scheme != "https" && cfg.PublicURL.Scheme != "http") {
		return nil, errors.New("the console's public URL must be an http or https URL")
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 30 * time.Minute
	}
	if cfg.MaxSessionAge <= 0 {
		cfg.MaxSessionAge = 12 * time.Hour
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.MaxHashes <= 0 {
		cfg.MaxHashes = min(runtime.NumCPU(), 4)
	}
	cats, err := loadCatalogs()
	if err != nil {
		return nil, err
	}
	v, err := parseViews(cfg.Location)
	if err != nil {
		return nil, err
	}
	zone, err := time.LoadLocation(report.Zone)
	if err != nil {
		return nil, fmt.Errorf("time zone of the figures: %w", err)
	}
	if d.Binder == nil {
		return nil, errors.New("the console needs the console key (OKIT_CONSOLE_KEY_FILE)")
	}
	return &Server{cfg: cfg, store: d.Store, keys: d.Keys, bind: d.Binder, mail: d.Templates, rules: d.Rules, indexKey: d.IndexKeyVersion, log: d.Log, now: d.Now,
		views: v, catalogs: cats, live: newHub(), index: newIndexer(d.Store, d.Keys, d.Log), seen: newSeen(cfg.MaxSessionAge), presence: newPresence(), zone: zone,
		hashers: make(chan struct{}, cfg.MaxHashes)}, nil
}

// Run feeds live updates to open consoles and to the search index until
// ctx ends, listening again after a lost database connection; it builds
// the search index in the background meanwhile.
func (s *Server) Run(ctx context.Context) {
	go s.index.run(ctx)
	go s.expirePresence(ctx)
	changed := func(ids []int64) { s.live.publish(ids); s.index.changed(ids) }
	for wait := time.Second; ctx.Err() == nil; wait = min(2*wait, time.Minute) {
		err := s.store.Listen(ctx, storage.Listeners{
			Ready:   func() { wait = time.Second; changed(nil) },
			Changed: changed,
			Presence: func(m storage.Presence) {
				if s.presence.set(m, s.now()) {
					s.live.publish([]int64{m.CaseID})
				}
			},
		})
		if ctx.Err() != nil {
			return
		}
		s.log.Warn("live updates: listening again", slog.Duration("in", wait), slog.Any("err", err))
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
}

// fail answers a request that could not be served because of okit, not
// the person: the detail goes to the log, the person gets a short page.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("console request failed", slog.String("method", r.Method), slog.String("route", r.Pattern), slog.Any("err", err))
	s.render(w, r, http.StatusInternalServerError, "error", "", &page{catalog: s.lang(r), Title: "error.title",
		Problem: s.lang(r).T("error.internal")})
}

// lang is the catalog of the request's language.
func (s *Server) lang(r *http.Request) *catalog { return s.catalogs[language(r)] }

// notFound answers for a page or case that does not exist.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request, c *call) {
	s.render(w, r, http.StatusNotFound, "error", "", &page{catalog: s.lang(r), Title: "error.title",
		Session: c.session, Problem: s.lang(r).T("error.not_found")})
}

// redirect sends the browser on after a form, with a notice for the next page.
func redirect(w http.ResponseWriter, r *http.Request, path, notice string) {
	if notice != "" {
		path += "?" + url.Values{"notice": {notice}}.Encode()
	}
	http.Redirect(w, r, path, http.StatusSeeOther)
}

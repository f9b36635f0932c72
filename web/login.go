package web

import (
	"errors"
	"maps"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/storage"
)

// Logging in cannot be turned against staff. Every attempt is recorded
// before the password is hashed; an address that keeps failing, and
// more so a name from one address, waits longer and longer before its
// next try (freePer*, then doubling delays up to maxDelay) — but nobody
// else is held back, so a stranger cannot lock a named operator out. An
// unknown name is hashed against a dummy and answered as a wrong
// password. At most Config.MaxHashes passwords are hashed at once (each
// takes 19 MiB); beyond that a login is answered 503 with Retry-After,
// so that a flood of logins cannot exhaust the memory intake shares.
const (
	attemptWindow = time.Hour
	freePerPair   = 3  // failures of a name from an address before delays
	freePerAddr   = 10 // failures from an address, any names, before delays
	maxDelay      = 15 * time.Minute
	hashWait      = time.Second // how long a login waits for a free hasher
	// throttleWindow and throttlePerUser limit second-factor codes, which
	// only someone who knew the password can try.
	throttleWindow  = 15 * time.Minute
	throttlePerUser = 5
)

// wait is how long an attempt must wait after the failures f, from now.
func wait(f storage.Failures, now time.Time) time.Duration {
	return max(delay(f.Pair, freePerPair, f.PairLast, now), delay(f.Addr, freePerAddr, f.AddrLast, now))
}

// delay is what is left of the wait after n failures, the last at last,
// when free of them cost nothing.
func delay(n, free int, last, now time.Time) time.Duration {
	if n < free {
		return 0
	}
	d := maxDelay
	if shift := n - free; shift < 10 {
		d = min(maxDelay, time.Second<<shift)
	}
	return max(0, last.Add(d).Sub(now))
}

type loginData struct {
	Username string
	Next     string
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request, c *call) {
	if ss, _, err := s.session(r, false); err == nil && ss.SecondFactor {
		http.Redirect(w, r, "/", http.StatusSeeOther) // logged in already
		return
	}
	s.render(w, r, http.StatusOK, "login", "", &page{catalog: s.lang(r), Title: "login.title",
		Notice: r.URL.Query().Get("notice"), Data: loginData{Next: localPath(r.URL.Query().Get("next"))}})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request, c *call) {
	ctx := r.Context()
	username, password := strings.TrimSpace(r.PostFormValue("username")), r.PostFormValue("password")
	next := localPath(r.PostFormValue("next"))
	again := func(status int, problem string) {
		s.render(w, r, status, "login", "", &page{catalog: s.lang(r), Title: "login.title", Problem: s.lang(r).T(problem),
			Data: loginData{Username: username, Next: next}})
	}
	cr, ok := s.checkPassword(w, r, username, password, nil, again)
	if !ok {
		return
	}
	if cr.Pending {
		// The right password of an account an admin made or reset: it
		// waits for a supervisor.
		again(http.StatusForbidden, "login.pending")
		return
	}
	token, digest := newToken()
	needTOTP := cr.Role != account.Operator || !s.cfg.OperatorsSkipTOTP || cr.TOTPSealed != nil
	if err := s.store.CreateSession(ctx, digest, cr.UserID, !needTOTP, s.cfg.MaxSessionAge); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.Record(ctx, storage.EventLogin, "user:"+cr.Username, map[string]any{"user": cr.Username, "second_factor": needTOTP}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setSession(w, token)
	switch {
	case needTOTP && cr.TOTPSealed != nil:
		next = "/totp?next=" + next
	case needTOTP:
		next = "/enrol"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// checkPassword is the one check of a password, at login and at unlock:
// the attempt is recorded first, an address that keeps failing waits,
// the hash waits for a free hasher, an unknown name is hashed against a
// dummy, and a credential the console did not write (its MAC fails)
// raises an alert and fails. On failure it has answered, through again
// (status, catalog key) or s.fail, and records the failed login with
// extra; on success it returns the user's credentials.
func (s *Server) checkPassword(w http.ResponseWriter, r *http.Request, username, password string, extra map[string]any,
	again func(status int, problem string)) (storage.Credentials, bool) {
	ctx := r.Context()
	attempt, failures, err := s.store.RecordAttempt(ctx, username, s.remoteAddr(r), attemptWindow)
	if err != nil {
		s.fail(w, r, err)
		return storage.Credentials{}, false
	}
	if d := wait(failures, s.now()); d > 0 {
		s.log.Warn("console: login throttled", "failures_pair", failures.Pair, "failures_addr", failures.Addr, "wait", d)
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(d.Seconds()))))
		again(http.StatusTooManyRequests, "login.throttled")
		return storage.Credentials{}, false
	}
	cr, err := s.store.Credentials(ctx, username)
	known := err == nil
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		s.fail(w, r, err)
		return cr, false
	}
	select {
	case s.hashers <- struct{}{}:
	case <-time.After(hashWait):
		s.log.Warn("console: every password hasher busy; login answered 503")
		w.Header().Set("Retry-After", "2")
		again(http.StatusServiceUnavailable, "login.busy")
		return cr, false
	}
	// An unknown name has no hash, which CheckPassword refuses after as
	// much work as a wrong password.
	ok := account.CheckPassword(cr.PasswordHash, password) && known && !cr.Disabled
	<-s.hashers
	if ok && !cr.Valid(s.bind) {
		// The row was not written by this console: someone with a database
		// login minted or changed it. It logs nobody in, and supervisors
		// are told.
		s.log.Error("console: a user's credentials carry no valid MAC; login refused", "user", cr.Username)
		if err := s.store.Record(ctx, storage.EventAlert, "console", map[string]any{"alert": storage.AlertCredentialForged, "user": cr.Username}); err != nil {
			s.fail(w, r, err)
			return cr, false
		}
		ok = false
	}
	if !ok {
		// The name is recorded only when it is a user's: a password typed
		// into the name field must not end up in the audit trail.
		data := maps.Clone(extra)
		if data == nil {
			data = map[string]any{}
		}
		if known {
			data["user"] = cr.Username
		}
		if err := s.store.Record(ctx, storage.EventLoginFailed, "console", data); err != nil {
			s.fail(w, r, err)
			return cr, false
		}
		again(http.StatusUnauthorized, "login.failed")
		return cr, false
	}
	if err := s.store.LoginSucceeded(ctx, attempt, attemptWindow); err != nil {
		s.fail(w, r, err)
		return cr, false
	}
	return cr, true
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, c *call) {
	if err := s.store.EndSession(r.Context(), c.digest); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.Record(r.Context(), storage.EventLogout, c.actor, map[string]any{"user": c.session.Username}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setSession(w, "")
	redirect(w, r, "/login", "login.logged_out")
}

// setLanguage keeps the chosen language in a cookie for a year.
func (s *Server) setLanguage(w http.ResponseWriter, r *http.Request, c *call) {
	lang := r.PostFormValue("lang")
	if _, ok := s.catalogs[lang]; ok {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
			Secure: s.secure(), HttpOnly: true, SameSite: http.SameSiteStrictMode})
	}
	http.Redirect(w, r, localPath(r.PostFormValue("back")), http.StatusSeeOther)
}

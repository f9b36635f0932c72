package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/storage"
)

// Throttling: after this many failed logins for one user, or from one
// address, within the window, logging in is refused until the window
// has passed — with the right password too, so guessing gains nothing.
const (
	throttleWindow  = 15 * time.Minute
	throttlePerUser = 5
	throttlePerAddr = 20
)

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
	byUser, byAddr, err := s.store.FailedLogins(ctx, username, s.remoteAddr(r), s.now().Add(-throttleWindow))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if byUser >= throttlePerUser || byAddr >= throttlePerAddr {
		s.log.Warn("console: login throttled", "by_user", byUser, "by_addr", byAddr)
		again(http.StatusTooManyRequests, "login.throttled")
		return
	}
	cr, err := s.store.Credentials(ctx, username)
	known := err == nil
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	// An unknown name has no hash, which CheckPassword refuses after as
	// much work as a wrong password.
	if !account.CheckPassword(cr.PasswordHash, password) || !known || cr.Disabled {
		// The name is recorded only when it is a user's: a password typed
		// into the name field must not end up in the audit trail.
		data := map[string]any{}
		if known {
			data["user"] = cr.Username
		}
		if err := s.store.Record(ctx, storage.EventLoginFailed, "console", data); err != nil {
			s.fail(w, r, err)
			return
		}
		again(http.StatusUnauthorized, "login.failed")
		return
	}
	token, digest := newToken()
	needTOTP := cr.Role != account.Operator || s.cfg.OperatorTOTP || cr.TOTPSealed != nil
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

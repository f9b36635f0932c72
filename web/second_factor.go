package web

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"strings"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/storage"
)

type totpData struct {
	Next     string
	DemoCode string // the current code, shown only by okit demo
}

func (s *Server) totpPage(w http.ResponseWriter, r *http.Request, c *call) {
	if !c.session.TOTPEnrolled {
		http.Redirect(w, r, "/enrol", http.StatusSeeOther)
		return
	}
	d := totpData{Next: localPath(r.URL.Query().Get("next"))}
	if s.cfg.Demo {
		d.DemoCode = s.demoCode(r, c)
	}
	s.render(w, r, http.StatusOK, "totp", "", &page{catalog: s.lang(r), Title: "totp.title", Session: c.session, Data: d})
}

// demoCode is the session user's current code, for okit demo's login page.
func (s *Server) demoCode(r *http.Request, c *call) string {
	cr, err := s.store.Credentials(r.Context(), c.session.Username)
	if err != nil || cr.TOTPSealed == nil {
		return ""
	}
	secret, err := s.keys.Open(cr.TOTPSealed)
	if err != nil {
		return ""
	}
	code, _ := account.TOTPCode(string(secret), s.now())
	return code
}

func (s *Server) totp(w http.ResponseWriter, r *http.Request, c *call) {
	next := localPath(r.PostFormValue("next"))
	ok, throttled, err := s.checkCode(r.Context(), c.session.Username, r.PostFormValue("code"), map[string]any{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !ok {
		problem := "totp.failed"
		if throttled {
			problem = "login.throttled"
		}
		s.render(w, r, http.StatusUnauthorized, "totp", "", &page{catalog: s.lang(r), Title: "totp.title", Session: c.session,
			Problem: s.lang(r).T(problem), Data: totpData{Next: next}})
		return
	}
	token, digest := newToken()
	if err := s.store.PassSecondFactor(r.Context(), c.digest, digest); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setSession(w, token)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// checkCode checks a code of the user's second factor, once (a code used
// is refused after), counted by the second factor's own throttle; a wrong
// one is recorded as a failed login at the step "second_factor", with
// extra's fields.
func (s *Server) checkCode(c context.Context, username, code string, extra map[string]any) (ok, throttled bool, err error) {
	cr, err := s.store.Credentials(c, username)
	if err != nil {
		return false, false, err
	}
	byUser, err := s.store.SecondFactorFailures(c, cr.Username, s.now().Add(-throttleWindow))
	if err != nil {
		return false, false, err
	}
	throttled = byUser >= throttlePerUser
	if !throttled && cr.TOTPSealed != nil && cr.Valid(s.bind) {
		secret, err := s.keys.Open(cr.TOTPSealed)
		if err != nil {
			return false, false, err
		}
		if step, match := account.TOTPStep(string(secret), strings.TrimSpace(code), s.now()); match {
			if ok, err = s.store.UseTOTPStep(c, cr.UserID, step); err != nil {
				return false, false, err
			}
		}
	}
	if !ok {
		data := maps.Clone(extra)
		data["user"], data["step"] = cr.Username, "second_factor"
		if err := s.store.Record(c, storage.EventLoginFailed, "console", data); err != nil {
			return false, throttled, err
		}
	}
	return ok, throttled, nil
}

type enrolData struct {
	Secret string
}

// enrolPage shows a new second-factor secret to put in an authenticator
// app. The secret waits, sealed, in the session until a code confirms it;
// the page shows the same one again until then, so that a reload does not
// undo a scan.
func (s *Server) enrolPage(w http.ResponseWriter, r *http.Request, c *call) {
	if c.session.TOTPEnrolled && !c.session.SecondFactor {
		http.Redirect(w, r, "/totp", http.StatusSeeOther)
		return
	}
	pending, err := s.pendingTOTP(c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	secret, _, err := account.NewTOTP(c.session.Username, pending)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if pending == "" {
		sealed, err := s.keys.Sealer().Seal([]byte(secret))
		if err == nil {
			err = s.store.SetTOTPPending(r.Context(), c.digest, sealed)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "enrol", "", &page{catalog: s.lang(r), Title: "enrol.title", Session: c.session,
		Data: enrolData{Secret: secret}})
}

// enrolQR is the QR code of the secret the enrol page shows, as a PNG of
// its own rather than a data: URL in the page (which html/template
// rewrites to #ZgotmplZ) or inline SVG markup the template would have to
// trust. Only the session's own pending secret is drawn, never stored by
// the browser (no-store, as every answer but static files), and there is
// nothing to draw once the secret is confirmed.
func (s *Server) enrolQR(w http.ResponseWriter, r *http.Request, c *call) {
	pending, err := s.pendingTOTP(c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if pending == "" || c.session.TOTPEnrolled && !c.session.SecondFactor {
		http.NotFound(w, r)
		return
	}
	_, address, err := account.NewTOTP(c.session.Username, pending)
	var png []byte
	if err == nil {
		png, err = account.QRCode(address, 220)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(png)
}

// pendingTOTP is the second-factor secret waiting in the session for its
// first code, or "" when there is none.
func (s *Server) pendingTOTP(c *call) (string, error) {
	if c.session.TOTPPending == nil {
		return "", nil
	}
	secret, err := s.keys.Open(c.session.TOTPPending)
	return string(secret), err
}

func (s *Server) enrol(w http.ResponseWriter, r *http.Request, c *call) {
	if c.session.TOTPEnrolled && !c.session.SecondFactor {
		http.Redirect(w, r, "/totp", http.StatusSeeOther)
		return
	}
	secret, err := s.pendingTOTP(c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	step, ok := account.TOTPStep(secret, strings.TrimSpace(r.PostFormValue("code")), s.now())
	if secret == "" || !ok {
		redirect(w, r, "/enrol", "problem.enrol_code")
		return
	}
	// Replacing a second factor takes the current one: a session left
	// open, or a password alone, cannot move it to someone else's phone.
	if c.session.TOTPEnrolled {
		if ok, err := s.currentCode(r, c); err != nil || !ok {
			if err != nil {
				s.fail(w, r, err)
				return
			}
			redirect(w, r, "/enrol", "problem.enrol_current")
			return
		}
	}
	token, next := newToken()
	err = s.store.EnrolTOTP(r.Context(), c.digest, next, step, s.bind, c.actor)
	if errors.Is(err, storage.ErrNotFound) {
		redirect(w, r, "/enrol", "problem.enrol_code")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setSession(w, token)
	redirect(w, r, "/", "enrol.done")
}

// currentCode checks the form's code of the session user's second factor
// now in use, once.
func (s *Server) currentCode(r *http.Request, c *call) (bool, error) {
	cr, err := s.store.Credentials(r.Context(), c.session.Username)
	if err != nil || cr.TOTPSealed == nil || !cr.Valid(s.bind) {
		return false, err
	}
	secret, err := s.keys.Open(cr.TOTPSealed)
	if err != nil {
		return false, err
	}
	step, ok := account.TOTPStep(string(secret), strings.TrimSpace(r.PostFormValue("current")), s.now())
	if !ok {
		return false, nil
	}
	return s.store.UseTOTPStep(r.Context(), cr.UserID, step)
}

package web

import (
	"errors"
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
	ctx := r.Context()
	next := localPath(r.PostFormValue("next"))
	cr, err := s.store.Credentials(ctx, c.session.Username)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	byUser, err := s.store.SecondFactorFailures(ctx, cr.Username, s.now().Add(-throttleWindow))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ok := false
	if byUser < throttlePerUser && cr.TOTPSealed != nil && cr.Valid(s.bind) {
		secret, err := s.keys.Open(cr.TOTPSealed)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if step, match := account.TOTPStep(string(secret), strings.TrimSpace(r.PostFormValue("code")), s.now()); match {
			if ok, err = s.store.UseTOTPStep(ctx, cr.UserID, step); err != nil {
				s.fail(w, r, err)
				return
			}
		}
	}
	if !ok {
		if err := s.store.Record(ctx, storage.EventLoginFailed, "console", map[string]any{"user": cr.Username, "step": "second_factor"}); err != nil {
			s.fail(w, r, err)
			return
		}
		problem := "totp.failed"
		if byUser >= throttlePerUser {
			problem = "login.throttled"
		}
		s.render(w, r, http.StatusUnauthorized, "totp", "", &page{catalog: s.lang(r), Title: "totp.title", Session: c.session,
			Problem: s.lang(r).T(problem), Data: totpData{Next: next}})
		return
	}
	token, digest := newToken()
	if err := s.store.PassSecondFactor(ctx, c.digest, digest); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setSession(w, token)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

type enrolData struct {
	Secret string
	QR     string
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
	var pending []byte
	if c.session.TOTPPending != nil {
		var err error
		if pending, err = s.keys.Open(c.session.TOTPPending); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	secret, qr, err := account.NewTOTP(c.session.Username, string(pending))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if pending == nil {
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
		Data: enrolData{Secret: secret, QR: qr}})
}

func (s *Server) enrol(w http.ResponseWriter, r *http.Request, c *call) {
	if c.session.TOTPEnrolled && !c.session.SecondFactor {
		http.Redirect(w, r, "/totp", http.StatusSeeOther)
		return
	}
	var secret []byte
	var err error
	if c.session.TOTPPending != nil {
		if secret, err = s.keys.Open(c.session.TOTPPending); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	step, ok := account.TOTPStep(string(secret), strings.TrimSpace(r.PostFormValue("code")), s.now())
	if secret == nil || !ok {
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

package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/ncsszi/okit/account"
)

// accountPage lets a person change their password and the first name they
// sign answers with, and enrol a new second factor.
func (s *Server) accountPage(w http.ResponseWriter, r *http.Request, c *call) {
	s.render(w, r, http.StatusOK, "account", "", &page{catalog: s.lang(r), Title: "account.title", Nav: "account",
		Session: c.session, Notice: r.URL.Query().Get("notice")})
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, c *call) {
	cr, err := s.store.Credentials(r.Context(), c.session.Username)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !account.CheckPassword(cr.PasswordHash, r.PostFormValue("current")) {
		redirect(w, r, "/account", "problem.password_wrong")
		return
	}
	pw := r.PostFormValue("new")
	if account.CheckNewPassword(pw) != nil {
		redirect(w, r, "/account", "problem.password_short")
		return
	}
	if pw != r.PostFormValue("again") {
		redirect(w, r, "/account", "problem.password_mismatch")
		return
	}
	if err := s.store.SetPassword(r.Context(), c.session.Username, account.HashPassword(pw), c.digest, c.actor); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/account", "account.password_set")
}

func (s *Server) changeSignature(w http.ResponseWriter, r *http.Request, c *call) {
	sig := strings.TrimSpace(r.PostFormValue("signature"))
	if utf8.RuneCountInString(sig) > 40 || strings.ContainsAny(sig, "\r\n<>@") {
		redirect(w, r, "/account", "problem.signature")
		return
	}
	if err := s.store.SetSignature(r.Context(), c.session.UserID, sig); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/account", "account.signature_set")
}

// changeSound turns the sound of the console's alerts on or off.
func (s *Server) changeSound(w http.ResponseWriter, r *http.Request, c *call) {
	if err := s.store.SetAlertSound(r.Context(), c.session.UserID, r.PostFormValue("sound") == "on"); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/account", "account.sound_set")
}

// alive keeps the session of someone who is typing: the page calls it
// while they write, so that a long answer is not lost to the idle timeout.
func (s *Server) alive(w http.ResponseWriter, r *http.Request, c *call) {
	w.WriteHeader(http.StatusNoContent)
}

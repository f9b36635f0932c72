package web

import (
	"errors"
	"net/http"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/storage"
)

type welcomeData struct {
	Username string
	Token    string
}

// welcomePage is where a person an admin added, or whose account was
// reset, sets their own password from the one-time link they were given.
func (s *Server) welcomePage(w http.ResponseWriter, r *http.Request, c *call) {
	token := r.PathValue("token")
	name, err := s.store.LinkUser(r.Context(), tokenDigest(token))
	if errors.Is(err, storage.ErrNotFound) {
		s.render(w, r, http.StatusNotFound, "error", "", &page{catalog: s.lang(r), Title: "error.title", Problem: s.lang(r).T("welcome.invalid")})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "welcome", "", &page{catalog: s.lang(r), Title: "welcome.title",
		Notice: r.URL.Query().Get("notice"), Data: welcomeData{Username: name, Token: token}})
}

// welcome sets the password and uses the link up. The person then logs in
// once a supervisor has confirmed the account, and enrols a second factor.
func (s *Server) welcome(w http.ResponseWriter, r *http.Request, c *call) {
	token := r.PathValue("token")
	back := "/welcome/" + token
	pw := r.PostFormValue("new")
	if account.CheckNewPassword(pw) != nil {
		redirect(w, r, back, "problem.password_short")
		return
	}
	if pw != r.PostFormValue("again") {
		redirect(w, r, back, "problem.password_mismatch")
		return
	}
	// The token is checked before the hash is made: a guessed link costs
	// the server nothing.
	if _, err := s.store.LinkUser(r.Context(), tokenDigest(token)); err != nil {
		s.welcomePage(w, r, c)
		return
	}
	_, err := s.store.UseLink(r.Context(), tokenDigest(token), account.HashPassword(pw), s.bind)
	if errors.Is(err, storage.ErrNotFound) {
		s.welcomePage(w, r, c)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/login", "welcome.done")
}

// confirmAccount is a supervisor's word that an account an admin made or
// reset may be used.
func (s *Server) confirmAccount(w http.ResponseWriter, r *http.Request, c *call) {
	err := s.store.ConfirmAccount(r.Context(), r.PathValue("name"), c.actor)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		redirect(w, r, "/dashboard", "problem.not_found")
	case errors.Is(err, storage.ErrSamePerson):
		redirect(w, r, "/dashboard", "problem.confirm_self")
	case err != nil:
		s.fail(w, r, err)
	default:
		redirect(w, r, "/dashboard", "accounts.confirmed")
	}
}

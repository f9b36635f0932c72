package web

import (
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/triage"
)

// languageCode is a language a user answers in: an ISO 639 code.
var languageCode = regexp.MustCompile(`^[a-z]{2,3}$`)

type usersData struct {
	Users      []storage.User
	Roles      []account.Role
	Categories []triage.Category
}

// usersPage is the admin's list of accounts.
func (s *Server) usersPage(w http.ResponseWriter, r *http.Request, c *call) {
	us, err := s.store.Users(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "users", "", &page{catalog: s.lang(r), Title: "users.title", Nav: "users", Session: c.session,
		Notice: r.URL.Query().Get("notice"), Data: usersData{Users: us, Roles: account.Roles(), Categories: triage.Categories()}})
}

// userForm reads a user's fields from a form; ok is false when one is
// missing or not allowed.
func userForm(r *http.Request, name string) (u storage.User, ok bool) {
	load, _ := strconv.Atoi(r.PostFormValue("load"))
	u = storage.User{Username: strings.TrimSpace(name), Role: account.Role(r.PostFormValue("role")),
		Languages: strings.FieldsFunc(strings.ToLower(r.PostFormValue("languages")), func(r rune) bool { return r == ',' || r == ' ' }),
		Skills:    r.PostForm["skills"], LoadLimit: load}
	for _, l := range u.Languages {
		if !languageCode.MatchString(l) {
			return u, false
		}
	}
	for _, sk := range u.Skills {
		if !slices.Contains(triage.Categories(), triage.Category(sk)) {
			return u, false
		}
	}
	validName := u.Username != "" && len(u.Username) <= 64 && !strings.ContainsAny(u.Username, " :/\t\n")
	return u, validName && u.Role.Valid() && len(u.Languages) > 0 && u.LoadLimit >= 1 && u.LoadLimit <= 100
}

// addUser adds an account with a first password the admin hands over.
func (s *Server) addUser(w http.ResponseWriter, r *http.Request, c *call) {
	u, ok := userForm(r, r.PostFormValue("username"))
	pw := r.PostFormValue("password")
	if !ok {
		redirect(w, r, "/users", "problem.user_fields")
		return
	}
	if account.CheckNewPassword(pw) != nil {
		redirect(w, r, "/users", "problem.password_short")
		return
	}
	_, err := s.store.AddUser(r.Context(), u, c.actor)
	if errors.Is(err, storage.ErrExists) {
		redirect(w, r, "/users", "problem.user_exists")
		return
	}
	if err == nil {
		err = s.store.SetPassword(r.Context(), u.Username, account.HashPassword(pw), nil, c.actor)
	}
	s.usersDone(w, r, err, "users.added")
}

// changeUser changes a user's role, languages, specialities and load.
func (s *Server) changeUser(w http.ResponseWriter, r *http.Request, c *call) {
	u, ok := userForm(r, r.PathValue("name"))
	if !ok {
		redirect(w, r, "/users", "problem.user_fields")
		return
	}
	if u.Username == c.session.Username && u.Role != account.Admin {
		redirect(w, r, "/users", "problem.demote_self")
		return
	}
	s.usersDone(w, r, s.store.UpdateUser(r.Context(), u, c.actor), "users.changed")
}

func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request, c *call) {
	pw := r.PostFormValue("password")
	if account.CheckNewPassword(pw) != nil {
		redirect(w, r, "/users", "problem.password_short")
		return
	}
	s.usersDone(w, r, s.store.SetPassword(r.Context(), r.PathValue("name"), account.HashPassword(pw), nil, c.actor), "users.password_set")
}

func (s *Server) resetTOTP(w http.ResponseWriter, r *http.Request, c *call) {
	s.usersDone(w, r, s.store.ResetTOTP(r.Context(), r.PathValue("name"), c.actor), "users.totp_reset")
}

func (s *Server) disableUser(w http.ResponseWriter, r *http.Request, c *call) {
	if r.PathValue("name") == c.session.Username {
		redirect(w, r, "/users", "problem.disable_self")
		return
	}
	_, err := s.store.DisableUser(r.Context(), r.PathValue("name"), c.actor)
	s.usersDone(w, r, err, "users.disabled")
}

// enableUser lets a disabled user back in.
func (s *Server) enableUser(w http.ResponseWriter, r *http.Request, c *call) {
	s.usersDone(w, r, s.store.EnableUser(r.Context(), r.PathValue("name"), c.actor), "users.enabled")
}

func (s *Server) usersDone(w http.ResponseWriter, r *http.Request, err error, notice string) {
	switch {
	case errors.Is(err, storage.ErrNotFound):
		redirect(w, r, "/users", "problem.not_found")
	case errors.Is(err, storage.ErrUnchanged):
		redirect(w, r, "/users", "problem.unchanged")
	case err != nil:
		s.fail(w, r, err)
	default:
		redirect(w, r, "/users", notice)
	}
}

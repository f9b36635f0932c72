package web

import (
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

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
	// Link is the one-time link just made for LinkFor, shown this once.
	Link, LinkFor string
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

// linkValid is how long a one-time link to set one's password works.
const linkValid = 24 * time.Hour

// addUser adds an account, pending until a supervisor confirms it, and
// shows the admin, once, the link by which the person sets their own
// password: an admin never types, and so never knows, anyone's password.
func (s *Server) addUser(w http.ResponseWriter, r *http.Request, c *call) {
	u, ok := userForm(r, r.PostFormValue("username"))
	if !ok {
		redirect(w, r, "/users", "problem.user_fields")
		return
	}
	token, digest := newToken()
	err := s.store.InviteUser(r.Context(), u, digest, s.now().Add(linkValid), c.actor)
	if errors.Is(err, storage.ErrExists) {
		redirect(w, r, "/users", "problem.user_exists")
		return
	}
	s.showLink(w, r, c, err, u.Username, token)
}

// resetAccount removes a person's password and second factor, ends their
// sessions and makes the account wait for a supervisor again; the admin
// hands over a new one-time link.
func (s *Server) resetAccount(w http.ResponseWriter, r *http.Request, c *call) {
	name := r.PathValue("name")
	if name == c.session.Username {
		redirect(w, r, "/users", "problem.reset_self")
		return
	}
	token, digest := newToken()
	s.showLink(w, r, c, s.store.ResetAccount(r.Context(), name, digest, s.now().Add(linkValid), c.actor), name, token)
}

// showLink shows the users page with the one-time link of name, which is
// not kept anywhere but in this answer.
func (s *Server) showLink(w http.ResponseWriter, r *http.Request, c *call, err error, name, token string) {
	if err != nil {
		s.usersDone(w, r, err, "")
		return
	}
	us, err := s.store.Users(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	link := s.cfg.PublicURL.JoinPath("welcome", token).String()
	s.render(w, r, http.StatusOK, "users", "", &page{catalog: s.lang(r), Title: "users.title", Nav: "users", Session: c.session,
		Data: usersData{Users: us, Roles: account.Roles(), Categories: triage.Categories(), Link: link, LinkFor: name}})
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

package web

import "net/http"

// A console nobody used for the idle time locks rather than logging out:
// an operator on shift watching the queue keeps their session (to the
// absolute limit), and the alerts keep coming, content-free. Locked,
// every page is the lock page and every background request but the
// alerts and the live stream is refused, so nothing of a case reaches the
// screen until the password is given again.

type lockData struct {
	Next string
}

// lockPage answers any request of a locked console.
func (s *Server) lockPage(w http.ResponseWriter, r *http.Request, c *call, background bool) {
	if background {
		http.Error(w, "console locked", http.StatusUnauthorized)
		return
	}
	next := "/"
	if r.Method == http.MethodGet {
		next = r.URL.RequestURI()
	}
	s.render(w, r, http.StatusOK, "lock", "", &page{catalog: s.lang(r), Title: "lock.title", Session: c.session,
		Data: lockData{Next: next}})
}

// unlock opens a locked console with the person's password, checked as at
// login (checkPassword) and counted by the same throttle, or, for someone
// with a second factor, with a code of it (checkCode, its own throttle).
func (s *Server) unlock(w http.ResponseWriter, r *http.Request, c *call) {
	next := localPath(r.PostFormValue("next"))
	again := func(status int, problem string) {
		s.render(w, r, status, "lock", "", &page{catalog: s.lang(r), Title: "lock.title", Session: c.session,
			Problem: s.lang(r).T(problem), Data: lockData{Next: next}})
	}
	if code := r.PostFormValue("code"); code != "" && c.session.TOTPEnrolled {
		ok, throttled, err := s.checkCode(r.Context(), c.session.Username, code, map[string]any{"unlock": true})
		switch {
		case err != nil:
			s.fail(w, r, err)
			return
		case throttled:
			again(http.StatusTooManyRequests, "login.throttled")
			return
		case !ok:
			again(http.StatusUnauthorized, "lock.failed_code")
			return
		}
	} else {
		_, ok := s.checkPassword(w, r, c.session.Username, r.PostFormValue("password"), map[string]any{"unlock": true},
			func(status int, problem string) {
				if problem == "login.failed" {
					problem = "lock.failed"
				}
				again(status, problem)
			})
		if !ok {
			return
		}
	}
	if err := s.store.Unlock(r.Context(), c.digest, c.session.Username); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

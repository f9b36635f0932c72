package web

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"

	"github.com/ncsszi/okit/storage"
)

// call is what a handler knows about the request beyond the request
// itself: who asks.
type call struct {
	session *storage.Session // nil on public routes
	digest  []byte           // the digest of the session's token
	actor   string           // "user:<name>", as the event log names people
}

// Handler is the console: every route of the table, behind the session
// and role check the route names, cross-origin protection for every
// state-changing request, and the security headers of every answer.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range routes {
		mux.Handle(rt.pattern, s.guard(rt))
	}
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.log.Warn("console: cross-origin request refused", "method", r.Method, "path", r.URL.Path)
		s.render(w, r, http.StatusForbidden, "error", "", &page{catalog: s.lang(r), Title: "error.title",
			Problem: s.lang(r).T("error.cross_origin")})
	}))
	return s.headers(cop.Handler(mux))
}

// headers sets what every answer carries: a Content-Security-Policy
// allowing only the console's own scripts and styles (no inline script,
// no remote images, no framing), and no caching of pages that may hold
// a writer's words.
func (s *Server) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "+
			"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if s.secure() {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) secure() bool { return s.cfg.PublicURL.Scheme == "https" }

// guard checks a route's access level before its handler runs.
func (s *Server) guard(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(storage.WithRemoteAddr(r.Context(), s.remoteAddr(r)))
		// No form of the console is near this; a larger body is refused
		// before it is read.
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		c := &call{}
		if rt.access == public {
			rt.handle(s, w, r, c)
			return
		}
		ss, digest, err := s.session(r, !rt.background)
		switch {
		case errors.Is(err, storage.ErrNotFound):
			s.toLogin(w, r, rt.background)
			return
		case err != nil:
			s.fail(w, r, err)
			return
		}
		c.session, c.digest, c.actor = &ss, digest, "user:"+ss.Username
		if rt.access == firstStep {
			rt.handle(s, w, r, c)
			return
		}
		if !ss.SecondFactor {
			if rt.background {
				http.Error(w, "second factor needed", http.StatusUnauthorized)
				return
			}
			http.Redirect(w, r, secondStep(&ss), http.StatusSeeOther)
			return
		}
		if ss.Locked && !rt.whileLocked {
			s.lockPage(w, r, c, rt.background)
			return
		}
		if !slices.Contains(allowed[rt.access], ss.Role) {
			s.render(w, r, http.StatusForbidden, "error", "", &page{catalog: s.lang(r), Title: "error.title",
				Session: &ss, Problem: s.lang(r).T("error.forbidden")})
			return
		}
		rt.handle(s, w, r, c)
	})
}

// toLogin sends a request without a (live) session to the login page,
// coming back to the page asked for afterwards.
func (s *Server) toLogin(w http.ResponseWriter, r *http.Request, background bool) {
	if background {
		http.Error(w, "session ended", http.StatusUnauthorized)
		return
	}
	q := url.Values{}
	if _, err := r.Cookie(s.cookieName()); err == nil {
		q.Set("notice", "login.session_ended")
	}
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		q.Set("next", r.URL.RequestURI())
	}
	http.Redirect(w, r, "/login?"+q.Encode(), http.StatusSeeOther)
}

// session finds the request's session. touch counts the request as the
// person being active.
func (s *Server) session(r *http.Request, touch bool) (storage.Session, []byte, error) {
	ck, err := r.Cookie(s.cookieName())
	if err != nil || ck.Value == "" {
		return storage.Session{}, nil, storage.ErrNotFound
	}
	digest := tokenDigest(ck.Value)
	ss, err := s.store.Session(r.Context(), digest, s.cfg.IdleTimeout, s.cfg.MaxSessionAge, touch)
	return ss, digest, err
}

// cookieName is the session cookie's name: with https, a __Host- cookie,
// which browsers keep to this host, https and path /.
func (s *Server) cookieName() string {
	if s.secure() {
		return "__Host-okit_session"
	}
	return "okit_session"
}

// newToken makes a session token: 32 random bytes. The database keeps only
// its digest, so a copy of the sessions table lets nobody in.
func newToken() (token string, digest []byte) {
	b := make([]byte, 32)
	rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, tokenDigest(token)
}

func tokenDigest(token string) []byte {
	d := sha256.Sum256([]byte(token))
	return d[:]
}

// setSession gives the browser its session cookie; an empty token ends it.
func (s *Server) setSession(w http.ResponseWriter, token string) {
	ck := &http.Cookie{Name: s.cookieName(), Value: token, Path: "/", HttpOnly: true, Secure: s.secure(),
		SameSite: http.SameSiteStrictMode}
	if token == "" {
		ck.MaxAge = -1
	}
	http.SetCookie(w, ck)
}

// secondStep is where a person goes after their password: to enter their
// code, or to enrol a second factor first.
func secondStep(ss *storage.Session) string {
	if ss.TOTPEnrolled {
		return "/totp"
	}
	return "/enrol"
}

// remoteAddr is the requester's address, recorded with what they do and
// counted by the login throttle. A request from a trusted proxy (the TLS
// proxy in front of the console) is from the last address its
// X-Forwarded-For names that is not itself a trusted proxy; other
// requests' forwarding headers are ignored, since anyone can write them.
func (s *Server) remoteAddr(r *http.Request) netip.Addr {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	addr := ap.Addr().Unmap()
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0 && s.trusted(addr); i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		addr = a.Unmap()
	}
	return addr
}

// trusted reports whether addr is one of the configured proxies.
func (s *Server) trusted(addr netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// localPath keeps a "next" address to this console, never elsewhere.
func localPath(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || u.IsAbs() || u.Host != "" || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(next, "//") ||
		strings.Contains(next, "\\") {
		return "/"
	}
	return u.RequestURI()
}

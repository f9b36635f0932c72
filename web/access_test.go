package web

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/seal"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/storage/storagetest"
	"github.com/ncsszi/okit/triage"
)

// console is a console on a fresh schema with fresh keys, served by an
// httptest server.
type console struct {
	st   *storage.Store
	keys *seal.Opener
	bind *seal.Binder
	srv  *Server
	ts   *httptest.Server
}

func newConsole(t testing.TB) *console {
	t.Helper()
	return newConsoleOn(t, storagetest.New(t), time.Now)
}

// newConsoleOn is a console on the store st, whose clock is now, with
// its configuration changed by each of set.
func newConsoleOn(t testing.TB, st *storage.Store, now func() time.Time, set ...func(*Config)) *console {
	t.Helper()
	pass := []byte("console test passphrase")
	paths, err := seal.GenerateKeys(filepath.Join(t.TempDir(), "keys"), seal.Curve25519, "test", "okit@ncsszi.hu", pass)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := seal.LoadOpener(paths.Private, pass)
	if err != nil {
		t.Fatal(err)
	}
	consoleKey := make([]byte, 32)
	rand.Read(consoleKey)
	bind, err := seal.NewBinder(consoleKey)
	if err != nil {
		t.Fatal(err)
	}
	return serveConsole(t, &console{st: st, keys: keys, bind: bind}, now, set...)
}

// node is a second okit serve beside c: the same database, keys and
// console key, its own process state (live updates, presence, index).
func (c *console) node(t testing.TB) *console {
	t.Helper()
	return serveConsole(t, &console{st: c.st, keys: c.keys, bind: c.bind}, time.Now)
}

// serveConsole starts c's server with c's store and keys.
func serveConsole(t testing.TB, c *console, now func() time.Time, set ...func(*Config)) *console {
	t.Helper()
	templates, err := replies.LoadTemplates("", triage.Default())
	if err != nil {
		t.Fatal(err)
	}
	c.ts = httptest.NewUnstartedServer(nil)
	u, _ := url.Parse("http://" + c.ts.Listener.Addr().String())
	cfg := Config{PublicURL: u, Targets: triage.DefaultTargets, RemindAfter: time.Hour, Location: time.UTC}
	for _, f := range set {
		f(&cfg)
	}
	c.srv, err = New(cfg,
		Deps{Store: c.st, Keys: c.keys, Binder: c.bind, Templates: templates, Rules: triage.Default(), Log: slog.New(slog.NewTextHandler(t.Output(), nil)), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	c.ts.Config.Handler = c.srv.Handler()
	c.ts.Start()
	t.Cleanup(c.ts.Close)
	return c
}

// addUser adds a user with a password.
func (c *console) addUser(t testing.TB, name string, role account.Role, password string) {
	t.Helper()
	ctx := context.Background()
	if _, err := c.st.AddUser(ctx, storage.User{Username: name, Role: role, Languages: []string{"hu"}, LoadLimit: 10}, "test"); err != nil {
		t.Fatal(err)
	}
	if err := c.st.SetPassword(ctx, name, account.HashPassword(password), c.bind, nil, "test"); err != nil {
		t.Fatal(err)
	}
}

// session starts a session for a user as if they had logged in, with the
// second factor done or not, and returns its cookie.
func (c *console) session(t testing.TB, name string, secondFactor bool) *http.Cookie {
	t.Helper()
	cr, err := c.st.Credentials(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	token, digest := newToken()
	if err := c.st.CreateSession(context.Background(), digest, cr.UserID, secondFactor, time.Hour); err != nil {
		t.Fatal(err)
	}
	return &http.Cookie{Name: c.srv.cookieName(), Value: token}
}

// do sends a request as the session of cookie (a form for a POST), follows
// redirects, and returns the last response with its body.
func (c *console) do(t testing.TB, cookie *http.Cookie, method, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, c.ts.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.AddCookie(cookie)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// wantAccess is who gets through each route, written out by hand rather
// than read from the route table: a change of who may do what must change
// this too. "half" is someone whose second factor is still to come.
var wantAccess = map[string]string{
	"GET /static/": "nobody half operator supervisor admin",
	"GET /login":   "nobody half operator supervisor admin",
	"POST /login":  "nobody half operator supervisor admin",
	"POST /lang":   "nobody half operator supervisor admin",
	// The one-time link is the person's only key before their first login.
	"GET /welcome/{token}":  "nobody half operator supervisor admin",
	"POST /welcome/{token}": "nobody half operator supervisor admin",
	"GET /totp":             "half operator supervisor admin",
	"POST /totp":            "half operator supervisor admin",
	"GET /enrol":            "half operator supervisor admin",
	"GET /enrol/qr.png":     "half operator supervisor admin",
	"POST /enrol":           "half operator supervisor admin",
	"POST /logout":          "half operator supervisor admin",

	"GET /{$}":                "operator supervisor admin",
	"GET /account":            "operator supervisor admin",
	"POST /account/password":  "operator supervisor admin",
	"POST /account/signature": "operator supervisor admin",
	"GET /shelters":           "operator supervisor admin",
	"POST /alive":             "operator supervisor admin",
	"POST /account/sound":     "operator supervisor admin",
	"POST /unlock":            "operator supervisor admin",

	"GET /queue":       "operator supervisor",
	"GET /queue/rows":  "operator supervisor",
	"GET /live":        "operator supervisor",
	"GET /alerts":      "operator supervisor",
	"POST /shift":      "operator supervisor",
	"GET /shift/end":   "operator supervisor",
	"POST /shift/end":  "operator supervisor",
	"GET /search":      "operator supervisor",
	"GET /cases/{ref}": "operator supervisor",
	"GET /cases/{ref}/messages/{id}/attachments/{n}": "operator supervisor",
	"POST /cases/{ref}/assign":                       "operator supervisor",
	"POST /cases/{ref}/priority":                     "operator supervisor",
	"POST /cases/{ref}/priority/confirm":             "operator supervisor",
	"POST /cases/{ref}/answer":                       "operator supervisor",
	"POST /cases/{ref}/presence":                     "operator supervisor",
	"POST /cases/{ref}/draft":                        "operator supervisor",
	"POST /cases/{ref}/crisis-home":                  "operator supervisor",
	"POST /cases/{ref}/notes":                        "operator supervisor",
	"POST /cases/{ref}/close":                        "operator supervisor",
	"POST /cases/{ref}/reopen":                       "operator supervisor",
	"POST /cases/{ref}/merge":                        "operator supervisor",
	"POST /cases/{ref}/split":                        "operator supervisor",

	"POST /shelters/places":     "supervisor",
	"POST /alerts/ack":          "supervisor",
	"GET /answers":              "supervisor",
	"POST /answers":             "supervisor",
	"POST /answers/{id}":        "supervisor",
	"POST /answers/{id}/delete": "supervisor",
	"GET /audit":                "supervisor",
	"GET /audit.csv":            "supervisor",
	"GET /now":                  "supervisor",
	"GET /now/parts":            "supervisor",
	"GET /dashboard":            "supervisor",
	"GET /dashboard.csv":        "supervisor",
	"POST /dashboard/model":     "supervisor",
	// The second person: a supervisor confirms what an admin made.
	"POST /users/{name}/confirm": "supervisor",

	"GET /users":                 "admin",
	"POST /users":                "admin",
	"POST /users/{name}":         "admin",
	"POST /users/{name}/reset":   "admin",
	"POST /users/{name}/disable": "admin",
	"POST /users/{name}/enable":  "admin",
}

// Every route, asked by every kind of person: nobody, someone half logged
// in, an operator, a supervisor and an admin. Each gets in exactly when
// wantAccess says so, is sent to log in or to the second factor
// otherwise, and nothing fails.
func TestEveryRouteChecksItsRole(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	users := []struct {
		name string
		role account.Role
	}{{"operator", account.Operator}, {"supervisor", account.Supervisor}, {"admin", account.Admin}, {"half", account.Operator}}
	for _, u := range users {
		c.addUser(t, u.name, u.role, "a long enough password")
	}
	listed := map[string]bool{}
	for _, rt := range routes {
		listed[rt.pattern] = true
		if _, ok := wantAccess[rt.pattern]; !ok {
			t.Errorf("route %q is not in wantAccess: say who may use it", rt.pattern)
		}
	}
	for pattern := range wantAccess {
		if !listed[pattern] {
			t.Errorf("wantAccess lists %q, which is no route", pattern)
		}
	}
	client := &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       10 * time.Second,
	}
	secondStepPage := func(p string) bool { return p == "/totp" || p == "/enrol" }
	for _, rt := range routes {
		method, pattern, _ := strings.Cut(rt.pattern, " ")
		path := strings.NewReplacer("{ref}", "OKIT-2026-000001", "{id}", "1", "{n}", "0", "{name}", "nobody", "{$}", "").Replace(pattern)
		if strings.HasSuffix(path, "/static/") {
			path += "app.css"
		}
		for _, who := range []string{"nobody", "half", "operator", "supervisor", "admin"} {
			t.Run(rt.pattern+" as "+who, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				req, _ := http.NewRequestWithContext(ctx, method, c.ts.URL+path, strings.NewReader(""))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				if who != "nobody" {
					req.AddCookie(c.session(t, who, who != "half"))
				}
				resp, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode >= 500 {
					t.Fatalf("status %d", resp.StatusCode)
				}
				loc := resp.Header.Get("Location")
				locPath, _, _ := strings.Cut(loc, "?")
				sentAway := resp.StatusCode == http.StatusSeeOther
				toLogin := sentAway && locPath == "/login" && !strings.Contains(loc, "logged_out") ||
					rt.background && resp.StatusCode == http.StatusUnauthorized
				// Between the two second-step pages, a redirect is the
				// page doing its work, not a refusal.
				toSecondStep := sentAway && secondStepPage(locPath) && !secondStepPage(path) ||
					rt.background && resp.StatusCode == http.StatusUnauthorized
				forbidden := resp.StatusCode == http.StatusForbidden
				in := !toLogin && !toSecondStep && !forbidden
				want := slices.Contains(strings.Fields(wantAccess[rt.pattern]), who)
				if in != want {
					t.Errorf("got in: %v, want %v (status %d, location %q)", in, want, resp.StatusCode, loc)
				}
				switch {
				case want:
				case who == "nobody" && !toLogin:
					t.Errorf("nobody was not sent to log in: %d %s", resp.StatusCode, loc)
				case who == "half" && !toSecondStep:
					t.Errorf("someone without their second factor was not sent to it: %d %s", resp.StatusCode, loc)
				}
				if rt.pattern == "GET /live" && in {
					if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
						t.Errorf("live stream content type %q", ct)
					}
				}
			})
		}
	}
}

// Both languages have every string.
func TestCatalogsAreComplete(t *testing.T) {
	t.Parallel()
	cats, err := loadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range languages[1:] {
		for k := range cats[languages[0]].strings {
			if !cats[lang].hasKey(k) {
				t.Errorf("%s lacks %q", lang, k)
			}
		}
		for k := range cats[lang].strings {
			if !cats[languages[0]].hasKey(k) {
				t.Errorf("%s has %q, which %s lacks", lang, k, languages[0])
			}
		}
	}
}

func TestLocalPath(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/cases/OKIT-2026-000001": "/cases/OKIT-2026-000001", "/queue?view=mine": "/queue?view=mine", "": "/",
		"https://evil.example/": "/", "//evil.example/x": "/", "/\\evil.example": "/", "javascript:alert(1)": "/",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every kind of event the store writes has a name in the catalogs.
func TestEveryEventKindHasAName(t *testing.T) {
	t.Parallel()
	cats, err := loadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	src, err := filepath.Glob("../storage/*.go")
	if err != nil {
		t.Fatal(err)
	}
	kind := regexp.MustCompile(`\bEvent[A-Za-z]+ += "([a-z_]+)"`)
	n := 0
	for _, f := range src {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range kind.FindAllStringSubmatch(string(b), -1) {
			n++
			if !cats[languages[0]].hasKey(eventKey(m[1])) {
				t.Errorf("event kind %q (%s) has no name", m[1], filepath.Base(f))
			}
		}
	}
	if n < 20 {
		t.Fatalf("found only %d event kinds in storage: the pattern is stale", n)
	}
}

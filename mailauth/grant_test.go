package mailauth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ncsszi/okit/demo"
	"github.com/ncsszi/okit/mailauth"
)

// clock is a clock a test moves; it starts at the real time, since the
// provider's tokens run out in real time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now()} }

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// reports collects what a grant reports to its watcher.
type reports struct {
	mu  sync.Mutex
	got []string // an error's code, or "ok"
}

func (r *reports) watch(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var e *mailauth.Error
	switch {
	case err == nil:
		r.got = append(r.got, "ok")
	case errors.As(err, &e):
		r.got = append(r.got, e.Code)
	default:
		r.got = append(r.got, err.Error())
	}
}

func (r *reports) list() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.got, ",")
}

func secretFile(t *testing.T, secret string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(p, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func startOAuth(t *testing.T, lifetime time.Duration) *demo.OAuth {
	t.Helper()
	o := demo.StartOAuth(lifetime)
	t.Cleanup(o.Close)
	return o
}

// An app's client credentials: a token is fetched once and handed out
// while it stays valid a while yet, then a new one; a revoked grant is
// reported once, at once, and a sign-in after the consent is back
// reports the recovery. A token endpoint that is down is reported only
// after the grace.
func TestClientCredentials(t *testing.T) {
	t.Parallel()
	o := startOAuth(t, time.Hour)
	c := newClock()
	g := mailauth.NewGrant(mailauth.Config{Kind: mailauth.ClientCredentials, TokenURL: o.TokenURL(), ClientID: o.ClientID,
		ClientSecretFile: secretFile(t, o.ClientSecret), Scopes: []string{"https://outlook.office365.com/.default"}}, c.now)
	var r reports
	g.Watch(slog.New(slog.DiscardHandler), r.watch)
	ctx := context.Background()

	a, err := g.Token(ctx, "okit@ncsszi.hu")
	if err != nil || !o.Valid(a.Token, "okit@ncsszi.hu") {
		t.Fatalf("Token = %+v, %v; want a token the provider knows", a, err)
	}
	if want := c.now().Add(time.Hour - 5*time.Minute); a.Renew.Sub(want).Abs() > 5*time.Second {
		t.Errorf("renew at %v, want five minutes before it runs out (%v)", a.Renew, want)
	}
	c.add(50 * time.Minute)
	if b, _ := g.Token(ctx, "okit@ncsszi.hu"); b.Token != a.Token || o.Issued("client_credentials") != 1 {
		t.Errorf("a token still good for 10 minutes was fetched again (%d fetched)", o.Issued("client_credentials"))
	}
	c.add(6 * time.Minute)
	if b, _ := g.Token(ctx, "okit@ncsszi.hu"); b.Token == a.Token || o.Issued("client_credentials") != 2 {
		t.Errorf("a token 4 minutes from its end was handed out again (%d fetched)", o.Issued("client_credentials"))
	}

	o.Revoke()
	c.add(2 * time.Minute) // an older token refused: fetch another
	g.Refused("okit@ncsszi.hu", errors.New("AUTHENTICATE failed"))
	for range 3 {
		if _, err := g.Token(ctx, "okit@ncsszi.hu"); !mailauth.Permanent(err) || !strings.Contains(err.Error(), "invalid_grant") {
			t.Errorf("Token after the revocation: %v; want a permanent invalid_grant", err)
		}
	}
	o.Restore()
	if _, err := g.Token(ctx, "okit@ncsszi.hu"); err != nil {
		t.Fatalf("Token after the consent is back: %v", err)
	}
	g.Accepted()

	o.Down(true)
	c.add(2 * time.Minute)
	g.Refused("okit@ncsszi.hu", errors.New("AUTHENTICATE failed"))
	for _, d := range []time.Duration{0, time.Minute, 59 * time.Second} {
		c.add(d)
		if _, err := g.Token(ctx, "okit@ncsszi.hu"); err == nil || mailauth.Permanent(err) {
			t.Errorf("Token with the endpoint down: %v; want a failure that may pass", err)
		}
	}
	if got := r.list(); got != "invalid_grant,ok" {
		t.Errorf("reported %s within the grace, want invalid_grant,ok", got)
	}
	c.add(2 * time.Second) // past the grace
	g.Token(ctx, "okit@ncsszi.hu")
	o.Down(false)
	g.Token(ctx, "okit@ncsszi.hu")
	g.Accepted()
	g.Refused("okit@ncsszi.hu", errors.New("AUTHENTICATE failed")) // a new token refused: for an administrator
	if got, want := r.list(), "invalid_grant,ok,unavailable,ok,refused"; got != want {
		t.Errorf("reported %s, want %s", got, want)
	}
}

// A person signs in by device code: the code is printed, the refresh
// token is stored 0600, every rotation is written back at once, so that
// an okit started afresh signs in with the newest; the old one no longer
// works at the provider.
func TestDeviceCodeAuthorizeAndRotation(t *testing.T) {
	t.Parallel()
	o := startOAuth(t, time.Hour)
	file := filepath.Join(t.TempDir(), "oauth-token")
	cfg := mailauth.Config{Kind: mailauth.DeviceCode, TokenURL: o.TokenURL(), DeviceAuthURL: o.DeviceURL(), ClientID: o.ClientID,
		TokenFile: file, Scopes: []string{"https://outlook.office.com/IMAP.AccessAsUser.All", "offline_access"}}
	ctx := context.Background()

	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- mailauth.Authorize(ctx, cfg, pw, time.Now); pw.Close() }()
	var out bytes.Buffer
	buf := make([]byte, 512)
	for !strings.Contains(out.String(), "enter the code") {
		n, err := pr.Read(buf)
		if err != nil {
			t.Fatalf("authorize printed %q, then %v", out.String(), err)
		}
		out.Write(buf[:n])
	}
	o.Approve()
	go io.Copy(io.Discard, pr)
	if err := <-done; err != nil {
		t.Fatalf("Authorize: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), o.URL+"/devicelogin") {
		t.Errorf("authorize did not say where to go:\n%s", out.String())
	}
	first := refreshToken(t, file)

	g := mailauth.NewGrant(cfg, time.Now)
	a, err := g.Token(ctx, "okit@ncsszi.hu")
	if err != nil || !o.Valid(a.Token, "okit@ncsszi.hu") {
		t.Fatalf("Token = %+v, %v", a, err)
	}
	second := refreshToken(t, file)
	if second == first {
		t.Fatal("the rotated refresh token was not written to the file")
	}
	// okit started again: it has only the file.
	if _, err := mailauth.NewGrant(cfg, time.Now).Token(ctx, "okit@ncsszi.hu"); err != nil {
		t.Errorf("a new okit with the rewritten file: %v", err)
	}
	if refreshToken(t, file) == second {
		t.Error("the second rotation was not written either")
	}
	if entries, _ := os.ReadDir(filepath.Dir(file)); len(entries) != 1 {
		t.Errorf("the folder holds %d files, want the token file only", len(entries))
	}
}

func refreshToken(t *testing.T, file string) string {
	t.Helper()
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %04o, want 0600", file, fi.Mode().Perm())
	}
	b, _ := os.ReadFile(file)
	var tf struct {
		RefreshToken string `json:"refresh_token"`
	}
	if err := json.Unmarshal(b, &tf); err != nil || tf.RefreshToken == "" {
		t.Fatalf("token file %q: %v", b, err)
	}
	return tf.RefreshToken
}

// A token file that is missing, readable by others or empty is refused
// with what to do; the failure is for an administrator to fix.
func TestTokenFileProblems(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tt := range []struct {
		name, content string
		mode          os.FileMode
		want          string
	}{
		{"missing", "", 0, "does not exist: run okit mailbox authorize"},
		{"open", `{"refresh_token":"x"}`, 0o644, "may be read by others (mode 0644): chmod 600 it"},
		{"empty", `{}`, 0o600, "holds no refresh token"},
		{"garbage", `refresh`, 0o600, "is not a token file okit wrote"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			file := filepath.Join(dir, tt.name)
			if tt.mode != 0 {
				os.WriteFile(file, []byte(tt.content), tt.mode)
				os.Chmod(file, tt.mode)
			}
			g := mailauth.NewGrant(mailauth.Config{Kind: mailauth.DeviceCode, TokenURL: "http://127.0.0.1:1/token", TokenFile: file}, time.Now)
			_, err := g.Token(context.Background(), "okit@ncsszi.hu")
			if !mailauth.Permanent(err) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "token_file") {
				t.Errorf("Token: %v; want a permanent token_file failure saying %q", err, tt.want)
			}
		})
	}
}

// A Google service account signs a JWT as the mailbox: the token opens
// that mailbox and no other.
func TestServiceAccount(t *testing.T) {
	t.Parallel()
	o := startOAuth(t, time.Hour)
	key := filepath.Join(t.TempDir(), "key.json")
	if err := o.WriteServiceAccountKey(key); err != nil {
		t.Fatal(err)
	}
	g := mailauth.NewGrant(mailauth.Config{Kind: mailauth.ServiceAccount, KeyFile: key, Scopes: []string{"https://mail.google.com/"}}, time.Now)
	a, err := g.Token(context.Background(), "okit@ncsszi.hu")
	if err != nil {
		t.Fatal(err)
	}
	if !o.Valid(a.Token, "okit@ncsszi.hu") || o.Valid(a.Token, "other@ncsszi.hu") {
		t.Error("the service account's token is not the mailbox's alone")
	}
}

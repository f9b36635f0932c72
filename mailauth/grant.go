package mailauth

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// GrantKind is how a Grant gets its tokens.
type GrantKind string

const (
	// ClientCredentials: an app's own id and secret (Microsoft 365's
	// app-only access: IMAP.AccessAsApp, SMTP.SendAsApp).
	ClientCredentials GrantKind = "client_credentials"
	// DeviceCode: a person signed in once with okit mailbox authorize;
	// their refresh token is kept in TokenFile.
	DeviceCode GrantKind = "device_code"
	// ServiceAccount: a Google service account with domain-wide
	// delegation signs a JWT as the mailbox.
	ServiceAccount GrantKind = "service_account"
)

// DefaultGrace is how long the token endpoint may fail in a way that may
// pass (unreachable, 5xx) before the failure is reported.
const DefaultGrace = 2 * time.Minute

// Config is where and how a Grant gets its tokens.
type Config struct {
	Kind          GrantKind
	TokenURL      string
	DeviceAuthURL string // DeviceCode: where Authorize asks for a code
	ClientID      string
	// ClientSecretFile holds the app's secret (ClientCredentials; a
	// DeviceCode app only if it is a confidential client). It is read at
	// each fetch, so a secret renewed in the file needs no restart.
	ClientSecretFile string
	Scopes           []string
	TokenFile        string // DeviceCode: the refresh token, mode 0600
	KeyFile          string // ServiceAccount: the JSON key Google gives
	// Grace is how long a failure that may pass lasts before it is
	// reported; zero means DefaultGrace.
	Grace time.Duration
	// HTTPClient talks to the token endpoint; nil means one with a 30 s
	// timeout.
	HTTPClient *http.Client
}

// Access is an access token and when a connection signed in with it
// should sign in again with a new one (zero: never).
type Access struct {
	Token string
	Renew time.Time
}

// Grant hands out access tokens for sign-ins, fetching a new one when the
// one it holds will soon run out, and reports failures to its watcher. It
// is safe for concurrent use: intake and the reply worker share one, and
// fetches are made one at a time, so a rotated refresh token is never
// used twice.
type Grant struct {
	cfg    Config
	log    *slog.Logger
	now    func() time.Time
	client *http.Client

	mu     sync.Mutex
	tokens map[string]held // by subject: the mailbox for ServiceAccount, "" otherwise
	file   tokenFileState  // DeviceCode
	health grantHealth
}

// held is a token and when it was fetched.
type held struct {
	tok     *oauth2.Token
	fetched time.Time
}

// renew is when a connection signed in with the token should sign in
// again: a quarter of its life before it runs out, at most five minutes
// before.
func (h held) renew() time.Time {
	if h.tok.Expiry.IsZero() {
		return time.Time{}
	}
	early := min(5*time.Minute, h.tok.Expiry.Sub(h.fetched)/4)
	return h.tok.Expiry.Add(-early)
}

// NewGrant returns a Grant; now is the clock (time.Now outside tests).
// It logs nothing and reports to nobody until Watch.
func NewGrant(cfg Config, now func() time.Time) *Grant {
	if cfg.Grace <= 0 {
		cfg.Grace = DefaultGrace
	}
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	return &Grant{cfg: cfg, log: slog.New(slog.DiscardHandler), now: now, client: client, tokens: map[string]held{}}
}

// Watch sets where the grant reports: its log lines (a refresh token
// rotated and saved, a token fetched) to log, and failures to f: once
// with the error when the grant fails for good, or for longer than
// Grace, and once with nil when a sign-in works again. f is called
// outside the Grant's lock, in the goroutine of the sign-in that noticed.
func (g *Grant) Watch(log *slog.Logger, f func(error)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.log, g.health.watch = log, f
}

// Token returns an access token for a sign-in as user: the one held, if
// it stays valid a while yet, else a new one.
func (g *Grant) Token(ctx context.Context, user string) (Access, error) {
	g.mu.Lock()
	subject := g.subject(user)
	now := g.now()
	if h, ok := g.tokens[subject]; ok && (h.renew().IsZero() || now.Before(h.renew())) {
		g.mu.Unlock()
		return Access{Token: h.tok.AccessToken, Renew: h.renew()}, nil
	}
	tok, err := g.fetch(context.WithValue(ctx, oauth2.HTTPClient, g.client), subject)
	var tell func()
	if err != nil {
		delete(g.tokens, subject)
		tell = g.health.failed(err, now, g.cfg.Grace)
	} else {
		g.tokens[subject] = held{tok: tok, fetched: now}
		g.health.fetched()
	}
	h := g.tokens[subject]
	g.mu.Unlock()
	if tell != nil {
		tell()
	}
	if err != nil {
		return Access{}, err
	}
	g.log.Debug("oauth access token fetched", slog.String("grant", string(g.cfg.Kind)), slog.Time("expires", tok.Expiry))
	return Access{Token: tok.AccessToken, Renew: h.renew()}, nil
}

// subject is whom a token for a sign-in as user is for: the mailbox for
// a service account, which signs as it; anyone else's token is one for
// all the sign-ins.
func (g *Grant) subject(user string) string {
	if g.cfg.Kind == ServiceAccount {
		return user
	}
	return ""
}

// Refused says the mail server refused the token of a sign-in as user:
// it is dropped, and the next sign-in fetches another. A token fetched
// within the last minute and refused is a failure of the grant (the app
// or person may not open the mailbox, or the token is for something
// else): an administrator must act.
func (g *Grant) Refused(user string, err error) {
	g.mu.Lock()
	subject := g.subject(user)
	h, ok := g.tokens[subject]
	delete(g.tokens, subject)
	now := g.now()
	var tell func()
	if ok && now.Sub(h.fetched) < time.Minute {
		tell = g.health.failed(&Error{Code: CodeRefused, Permanent: true, Err: err}, now, g.cfg.Grace)
	}
	g.mu.Unlock()
	if tell != nil {
		tell()
	}
}

// Accepted says a sign-in with a token of the grant worked: a failure
// reported before is over.
func (g *Grant) Accepted() {
	g.mu.Lock()
	tell := g.health.worked()
	g.mu.Unlock()
	if tell != nil {
		tell()
	}
}

// grantHealth follows one grant's failures: since when it fails, and
// whether that was reported.
type grantHealth struct {
	watch    func(error)
	since    time.Time // zero while it works
	reported bool
}

// failed records a failure and returns the call that reports it, or nil
// when there is nothing new to report: it was reported already, or it may
// pass and has not lasted Grace.
func (h *grantHealth) failed(err error, now time.Time, grace time.Duration) func() {
	if h.since.IsZero() {
		h.since = now
	}
	if h.reported || (!Permanent(err) && now.Sub(h.since) < grace) || h.watch == nil {
		return nil
	}
	h.reported = true
	watch := h.watch
	return func() { watch(err) }
}

// fetched records a token fetched: a failure that may pass, not yet
// reported, is over (one reported waits for a sign-in that works).
func (h *grantHealth) fetched() {
	if !h.reported {
		h.since = time.Time{}
	}
}

// worked records a sign-in that worked and returns the call that reports
// the recovery, or nil when no failure had been reported.
func (h *grantHealth) worked() func() {
	wasReported := h.reported
	h.since, h.reported = time.Time{}, false
	if !wasReported || h.watch == nil {
		return nil
	}
	watch := h.watch
	return func() { watch(nil) }
}

// Kind is how the grant gets its tokens.
func (g *Grant) Kind() GrantKind { return g.cfg.Kind }

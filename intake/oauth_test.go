package intake_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ncsszi/okit/demo"
	"github.com/ncsszi/okit/mailauth"
	"github.com/ncsszi/okit/storage/storagetest"
)

// oauthFixture is a mailbox that takes only tokens, its provider and an
// intake signing in with an app's client credentials.
func oauthFixture(t *testing.T, lifetime time.Duration, method mailauth.Method) (*fixture, *demo.OAuth, *mailauth.Grant) {
	t.Helper()
	o := demo.StartOAuth(lifetime)
	t.Cleanup(o.Close)
	f := newFixture(t, demo.MailboxOptions{OAuth: o})
	secret := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(secret, []byte(o.ClientSecret), 0o600)
	g := mailauth.NewGrant(mailauth.Config{Kind: mailauth.ClientCredentials, TokenURL: o.TokenURL(), ClientID: o.ClientID,
		ClientSecretFile: secret, Scopes: []string{"https://outlook.office365.com/.default"}}, time.Now)
	f.cfg.Auth, f.cfg.Grant, f.cfg.Password = method, g, ""
	return f, o, g
}

// A mailbox that refuses passwords is read with a token, by XOAUTH2
// (Microsoft 365) and by OAUTHBEARER (Google).
func TestOAuthSignIn(t *testing.T) {
	t.Parallel()
	for _, m := range []mailauth.Method{mailauth.XOAUTH2, mailauth.OAuthBearer} {
		t.Run(string(m), func(t *testing.T) {
			t.Parallel()
			f, _, _ := oauthFixture(t, time.Hour, m)
			f.deliver(mail("oauth-1@example.test", "Anna <anna@example.test>", "kerdes", "Segitseget kernek."))
			if st := f.once(); st.Stored != 1 || f.mbox.SignIns() != 1 {
				t.Errorf("stored %d with %d sign-ins, want 1 and 1", st.Stored, f.mbox.SignIns())
			}
			f.cfg.Auth = mailauth.Password // the mailbox refuses it, as Microsoft 365 does
			if _, err := f.intake().Once(context.Background()); err == nil || !strings.Contains(err.Error(), "basic authentication is disabled") {
				t.Errorf("a password sign-in: %v", err)
			}
		})
	}
}

// Tokens that last two seconds: while idling, intake signs in again with
// a fresh token before its token runs out (the server would end the
// session: BYE), loses no connection and keeps taking mail in. Then the
// grant is revoked: the failure is reported, once; once the consent is
// back, intake recovers by itself.
func TestOAuthRenewsDuringIdleAndRecovers(t *testing.T) {
	t.Parallel()
	f, o, g := oauthFixture(t, 2*time.Second, mailauth.XOAUTH2)
	var mu sync.Mutex
	var reported []string
	g.Watch(discard(), func(err error) {
		mu.Lock()
		defer mu.Unlock()
		reported = append(reported, fmt.Sprint(err))
	})
	in := f.intake()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- in.Run(ctx) }()
	defer func() { cancel(); <-done }()

	for i := range 10 {
		f.deliver(mail(fmt.Sprintf("idle-%d@example.test", i), "Anna <anna@example.test>", "kerdes", "Segitseget kernek."))
		time.Sleep(500 * time.Millisecond)
	}
	waitFor(t, 5*time.Second, func() bool { return f.storedMessages() == 10 })
	if n := f.mbox.SignIns(); n < 3 {
		t.Errorf("%d sign-ins in 5 s with 2 s tokens, want at least 3", n)
	}
	if strings.Contains(f.logs.String(), "intake connection lost") {
		t.Errorf("a connection was lost while renewing:\n%s", f.logs)
	}
	if !strings.Contains(f.logs.String(), "signing in again with a fresh token") {
		t.Error("the log does not say intake signed in again")
	}

	o.Revoke()
	waitFor(t, 10*time.Second, func() bool { mu.Lock(); defer mu.Unlock(); return len(reported) > 0 })
	// The grant's watcher hears of the failure when the token is
	// refreshed; intake's health says it when intake next signs in with
	// it, up to a token's life later.
	waitFor(t, 10*time.Second, func() bool { return !in.Health().Report().OK })
	o.Restore()
	f.deliver(mail("after@example.test", "Anna <anna@example.test>", "kerdes", "Segitseget kernek."))
	waitFor(t, 20*time.Second, func() bool { return f.storedMessages() == 11 })
	mu.Lock()
	defer mu.Unlock()
	if len(reported) != 2 || !strings.Contains(reported[0], "invalid_grant") || reported[1] != "<nil>" {
		t.Errorf("reported %q; want the invalid_grant once, then the recovery", reported)
	}
}

// The mailbox's lock lost (its database connection ended) stops intake
// at once; it takes the mailbox again when it can.
func TestLostLockStopsIntake(t *testing.T) {
	t.Parallel()
	f := newFixture(t, demo.MailboxOptions{})
	in := f.intake()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- in.Run(ctx) }()
	defer func() { cancel(); <-done }()
	waitFor(t, 5*time.Second, func() bool { return in.Health().Report().State == "running" })
	if n := endLock(t, f); n != 1 {
		t.Fatalf("ended %d lock connections, want 1", n)
	}
	waitFor(t, 2*time.Second, func() bool { return strings.Contains(f.logs.String(), "lost the mailbox lock") })
	f.deliver(mail("later@example.test", "Anna <anna@example.test>", "kerdes", "Segitseget kernek."))
	waitFor(t, 10*time.Second, func() bool { return f.storedMessages() == 1 })
	if n := strings.Count(f.logs.String(), "intake holds the mailbox"); n != 2 {
		t.Errorf("took the mailbox %d times, want 2", n)
	}
}

func endLock(t *testing.T, f *fixture) int {
	t.Helper()
	return storagetest.EndMailboxLock(t, f.store, f.cfg.Key())
}

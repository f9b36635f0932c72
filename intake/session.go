package intake

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-message/charset"

	"github.com/ncsszi/okit/mailauth"
)

// session is one logged-in connection with the mailbox selected.
type session struct {
	c           *imapclient.Client
	wake        chan struct{} // the server announced a change of the message count
	uidValidity uint32
	canIdle     bool
	uidPlus     bool
	// renew is when to sign in again with a fresh token, before the one
	// this session signed in with runs out (zero: never).
	renew time.Time
}

func (in *Intake) dial(ctx context.Context) (*session, error) {
	s := &session{wake: make(chan struct{}, 1)}
	opts := &imapclient.Options{
		TLSConfig:   in.cfg.TLSConfig,
		Dialer:      &net.Dialer{Timeout: 30 * time.Second},
		WordDecoder: &mime.WordDecoder{CharsetReader: charset.Reader},
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{
			Mailbox: func(d *imapclient.UnilateralDataMailbox) {
				if d.NumMessages != nil {
					select {
					case s.wake <- struct{}{}:
					default:
					}
				}
			},
		},
	}
	var err error
	switch in.cfg.Security {
	case SecurityTLS:
		s.c, err = imapclient.DialTLS(in.cfg.Addr, opts)
	case SecurityStartTLS:
		s.c, err = imapclient.DialStartTLS(in.cfg.Addr, opts)
	default:
		s.c, err = imapclient.DialInsecure(in.cfg.Addr, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("connect to IMAP server %s: %w", in.cfg.Addr, err)
	}
	stop := context.AfterFunc(ctx, func() { s.c.Close() })
	defer stop()
	if err := s.open(ctx, in.cfg); err != nil {
		s.c.Close()
		return nil, err
	}
	return s, nil
}

func (s *session) open(ctx context.Context, cfg Config) error {
	if err := s.signIn(ctx, cfg); err != nil {
		return err
	}
	if cfg.After == AfterMove {
		found, err := s.c.List("", cfg.MoveTo, nil).Collect()
		if err != nil {
			return fmt.Errorf("look for folder %q: %w", cfg.MoveTo, err)
		}
		if len(found) == 0 {
			if err := s.c.Create(cfg.MoveTo, nil).Wait(); err != nil {
				return fmt.Errorf("create folder %q: %w", cfg.MoveTo, err)
			}
		}
	}
	sel, err := s.c.Select(cfg.Mailbox, nil).Wait()
	if err != nil {
		return fmt.Errorf("select %q: %w", cfg.Mailbox, err)
	}
	s.uidValidity = sel.UIDValidity
	caps := s.c.Caps()
	s.canIdle = caps.Has(imap.CapIdle) || caps.Has(imap.CapIMAP4rev2)
	s.uidPlus = caps.Has(imap.CapUIDPlus) || caps.Has(imap.CapIMAP4rev2)
	return nil
}

// signIn logs in with the password, or authenticates with a token fresh
// from the grant. A token the server refuses is dropped, so the next
// sign-in fetches another.
func (s *session) signIn(ctx context.Context, cfg Config) error {
	if !cfg.Auth.OAuth() {
		if err := s.c.Login(cfg.Username, cfg.Password).Wait(); err != nil {
			return fmt.Errorf("IMAP login as %s: %w", cfg.Username, err)
		}
		return nil
	}
	login := cfg.login()
	client, renew, err := login.Client(ctx)
	if err != nil {
		return fmt.Errorf("IMAP sign-in as %s: %w", cfg.Username, err)
	}
	if err := s.c.Authenticate(client); err != nil {
		err = mailauth.Explain(client, err)
		var refused *imap.Error
		if errors.As(err, &refused) {
			login.Refused(err)
		}
		return fmt.Errorf("IMAP sign-in as %s by %s: %w", cfg.Username, cfg.Auth, err)
	}
	login.Accepted()
	s.renew = renew
	return nil
}

func (s *session) close() {
	// Logout politely, but never wait long for a server that is going away.
	done := make(chan struct{})
	go func() {
		s.c.Logout().Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
	s.c.Close()
}

package demo

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// Mailbox is an IMAP server in process (go-imap's imapmemserver) with one
// account and its INBOX, listening on a loopback port without TLS.
type Mailbox struct {
	Addr     string
	Username string
	Password string

	user   *imapmemserver.User
	srv    *imapserver.Server
	oauth  *OAuth
	logins atomic.Int64
}

// MailboxOptions tunes a Mailbox for tests.
type MailboxOptions struct {
	// WrapConn, if set, wraps every accepted connection (to drop or slow it).
	WrapConn func(net.Conn) net.Conn
	// OAuth, if set, makes the mailbox sign in only with its tokens, by
	// XOAUTH2 or OAUTHBEARER, as Microsoft 365 does: no password, and a
	// session whose token runs out is ended (BYE).
	OAuth *OAuth
}

// StartMailbox starts an in-process IMAP server for username, with a
// random password.
func StartMailbox(username string, log *slog.Logger, opts MailboxOptions) (*Mailbox, error) {
	pw := make([]byte, 12)
	rand.Read(pw)
	m := &Mailbox{Username: username, Password: hex.EncodeToString(pw), oauth: opts.OAuth}
	m.user = imapmemserver.NewUser(m.Username, m.Password)
	if err := m.user.Create("INBOX", nil); err != nil {
		return nil, err
	}
	mem := imapmemserver.New()
	mem.AddUser(m.user)
	m.srv = imapserver.New(&imapserver.Options{
		NewSession: func(c *imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			s := &idleSession{SessionMove: mem.NewSession().(imapserver.SessionMove), conn: c}
			if m.oauth != nil {
				return &oauthSession{idleSession: s, m: m}, nil, nil
			}
			return s, nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapMove: {}, imap.CapUIDPlus: {}},
		InsecureAuth: true, // loopback only
		Logger:       slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	m.Addr = ln.Addr().String()
	if opts.WrapConn != nil {
		ln = &wrappedListener{ln, opts.WrapConn}
	}
	go m.srv.Serve(ln)
	return m, nil
}

// Close stops the server.
func (m *Mailbox) Close() error { return m.srv.Close() }

// Deliver puts a message into the INBOX as arriving at t.
func (m *Mailbox) Deliver(raw []byte, t time.Time) error {
	_, err := m.user.Append("INBOX", literal{bytes.NewReader(raw)}, &imap.AppendOptions{Time: t})
	return err
}

// Count returns the number of messages in a folder.
func (m *Mailbox) Count(folder string) (int, error) {
	st, err := m.user.Status(folder, &imap.StatusOptions{NumMessages: true})
	if err != nil {
		return 0, err
	}
	return int(*st.NumMessages), nil
}

// Recreate deletes and creates the INBOX again, as a server does when it
// changes UIDVALIDITY, and delivers raws into it.
func (m *Mailbox) Recreate(raws [][]byte, t time.Time) error {
	if err := m.user.Delete("INBOX"); err != nil {
		return err
	}
	if err := m.user.Create("INBOX", nil); err != nil {
		return err
	}
	for _, raw := range raws {
		if err := m.Deliver(raw, t); err != nil {
			return err
		}
	}
	return nil
}

// SignIns counts the sign-ins that succeeded.
func (m *Mailbox) SignIns() int { return int(m.logins.Load()) }

// idleSession answers IDLE by looking for news every 20 ms. imapmemserver's
// own IDLE waits for the next change and so misses one that arrived just
// before the client began to idle, which real servers report at once.
// Signed in with a token, it ends the session when the token runs out.
type idleSession struct {
	imapserver.SessionMove
	conn   *imapserver.Conn
	expiry time.Time // of the token it signed in with; zero for a password
}

func (s *idleSession) Idle(w *imapserver.UpdateWriter, stop <-chan struct{}) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if !s.expiry.IsZero() && time.Now().After(s.expiry) {
			s.conn.Bye("Session invalidated - AccessTokenExpired")
			return errors.New("access token expired")
		}
		if err := s.Poll(w, true); err != nil {
			return err
		}
		select {
		case <-stop:
			return nil
		case <-tick.C:
		}
	}
}

type literal struct{ *bytes.Reader }

func (l literal) Size() int64 { return l.Reader.Size() }

type wrappedListener struct {
	net.Listener
	wrap func(net.Conn) net.Conn
}

func (l *wrappedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return l.wrap(c), nil
}

package demo

import (
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Sink is an SMTP server in process that keeps every message it accepts:
// the demo shows replies arriving in it, and tests read them. It can be
// told to refuse the next deliveries, as a mail server having a bad minute.
type Sink struct {
	Addr string

	srv    *smtp.Server
	mu     sync.Mutex
	got    []Delivery
	refuse []error
	notify func(Delivery)
	oauth  *OAuth // with RequireOAuth: mail only from a sign-in as user with its token
	user   string
	down   atomic.Bool
}

// Delivery is one message the sink accepted.
type Delivery struct {
	From string
	To   []string
	Data []byte
}

// StartSink listens on a loopback port. notify, if not nil, is called with
// each delivery.
func StartSink(notify func(Delivery)) (*Sink, error) {
	s := &Sink{notify: notify}
	s.srv = smtp.NewServer(s)
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true // loopback only; AUTH is offered only after RequireOAuth
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.Addr = ln.Addr().String()
	go s.srv.Serve(&wrappedListener{ln, func(c net.Conn) net.Conn {
		if s.down.Load() {
			c.Close() // a server that is down: the connection ends before the greeting
		}
		return c
	}})
	return s, nil
}

// Down makes the sink drop every connection at once (true), as a mail
// server that is down, or take mail again (false).
func (s *Sink) Down(down bool) { s.down.Store(down) }

// Close stops the server.
func (s *Sink) Close() error { return s.srv.Close() }

// RequireOAuth makes the sink take mail only after a sign-in as user, by
// XOAUTH2 or OAUTHBEARER, with a token o issued, as Microsoft 365's SMTP
// AUTH does.
func (s *Sink) RequireOAuth(o *OAuth, user string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.oauth, s.user = o, user
}

// Refuse makes the next deliveries fail with errs, one each (for example
// &smtp.SMTPError{Code: 451} for a temporary failure).
func (s *Sink) Refuse(errs ...error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = append(s.refuse, errs...)
}

// Deliveries returns what the sink accepted so far.
func (s *Sink) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivery(nil), s.got...)
}

// NewSession is go-smtp's Backend.
func (s *Sink) NewSession(*smtp.Conn) (smtp.Session, error) { return &sinkSession{sink: s}, nil }

type sinkSession struct {
	sink     *Sink
	cur      Delivery
	signedIn bool
}

// AuthMechanisms offers XOAUTH2 and OAUTHBEARER after RequireOAuth, and
// nothing before (no AUTH at all).
func (ss *sinkSession) AuthMechanisms() []string {
	if o, _ := ss.sink.auth(); o == nil {
		return nil
	}
	return []string{"XOAUTH2", sasl.OAuthBearer}
}

func (ss *sinkSession) Auth(mech string) (sasl.Server, error) {
	o, user := ss.sink.auth()
	if o == nil {
		return nil, smtp.ErrAuthUnsupported
	}
	signIn := func(u, token string) error {
		if !strings.EqualFold(u, user) || !o.Valid(token, u) {
			return errors.New("authentication failed")
		}
		ss.signedIn = true
		return nil
	}
	switch mech {
	case "XOAUTH2":
		return &xoauth2Server{signIn: signIn}, nil
	case sasl.OAuthBearer:
		return sasl.NewOAuthBearerServer(func(opts sasl.OAuthBearerOptions) *sasl.OAuthBearerError {
			if signIn(opts.Username, opts.Token) != nil {
				return &sasl.OAuthBearerError{Status: "invalid_token", Schemes: "bearer"}
			}
			return nil
		}), nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

func (s *Sink) auth() (*OAuth, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.oauth, s.user
}

func (ss *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
	if o, _ := ss.sink.auth(); o != nil && !ss.signedIn {
		return smtp.ErrAuthRequired
	}
	ss.cur.From = from
	return nil
}

func (ss *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.cur.To = append(ss.cur.To, to)
	return nil
}

func (ss *sinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s := ss.sink
	s.mu.Lock()
	if len(s.refuse) > 0 {
		err := s.refuse[0]
		s.refuse = s.refuse[1:]
		s.mu.Unlock()
		return err
	}
	d := ss.cur
	d.Data = b
	s.got = append(s.got, d)
	s.mu.Unlock()
	if s.notify != nil {
		s.notify(d)
	}
	return nil
}

func (ss *sinkSession) Reset()        { ss.cur = Delivery{} }
func (ss *sinkSession) Logout() error { return nil }

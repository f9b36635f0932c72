package replies

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/ncsszi/okit/mailauth"
)

// Sender hands one composed message to the mail system. The SMTP
// implementation is SMTPSender; the demo's in-process sink is another.
type Sender interface {
	// Send delivers msg from the envelope sender from to the single
	// recipient to (addr-specs). A nil error means the server took
	// responsibility for the message.
	Send(ctx context.Context, from, to string, msg []byte) error
}

// Security is how the SMTP connection is protected.
type Security string

const (
	SecurityTLS      Security = "tls"      // implicit TLS (submissions, port 465)
	SecurityStartTLS Security = "starttls" // plain connection upgraded with STARTTLS (port 587)
	SecurityNone     Security = "none"     // no TLS: loopback only, for tests and demos
)

// SMTPConfig is how replies reach the outgoing mail server.
type SMTPConfig struct {
	Addr      string // host:port
	Security  Security
	TLSConfig *tls.Config // roots and server name; nil for the system's roots and the host of Addr
	// Username and Password authenticate with AUTH PLAIN, only ever over
	// TLS or loopback; an empty Username sends without authenticating.
	// With Auth xoauth2 or oauthbearer, Username is the mailbox's address
	// (SASL user=) and the token comes from Grant, fresh for each mail.
	Username string
	Password string
	Auth     mailauth.Method // "" is password
	Grant    *mailauth.Grant
	// LocalName is the name given in EHLO; "" for "localhost". With
	// STARTTLS the greeting before TLS always says "localhost".
	LocalName string
	// Timeout bounds connecting and each command; zero means one minute.
	// The context given to Send bounds the whole.
	Timeout time.Duration
}

// SMTPSender sends each message over its own SMTP connection: replies are
// few, and a fresh connection has no state to go stale between them.
type SMTPSender struct {
	cfg SMTPConfig
}

// NewSMTPSender checks cfg and returns a sender. It refuses plain SMTP
// to anything but a loopback address: the password and every reply would
// cross the network in clear.
func NewSMTPSender(cfg SMTPConfig) (*SMTPSender, error) {
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("SMTP address %q: %w", cfg.Addr, err)
	}
	switch cfg.Security {
	case SecurityTLS, SecurityStartTLS:
	case SecurityNone:
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return nil, fmt.Errorf("SMTP without TLS would send the password and every reply in clear to %s; it is allowed only towards a loopback address: use tls or starttls", host)
		}
	default:
		return nil, fmt.Errorf("SMTP security %q: give tls, starttls or none (loopback only)", cfg.Security)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = time.Minute
	}
	if cfg.Auth == "" {
		cfg.Auth = mailauth.Password
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.TLSConfig != nil {
		tc = cfg.TLSConfig.Clone()
	}
	if tc.ServerName == "" {
		tc.ServerName = host
	}
	cfg.TLSConfig = tc
	return &SMTPSender{cfg: cfg}, nil
}

// SendError says at which step sending failed. Its message holds the
// step and the server's reply codes but not the server's text, which
// often quotes the recipient's address and must not reach a log; the
// *smtp.SMTPError it wraps has the text, for the sealed record on the
// case.
type SendError struct {
	// Stage is "connect", "tls", "hello", "auth" (the link to our own
	// mail server) or "mail", "rcpt", "data" (this message).
	Stage string
	Err   error
}

func (e *SendError) Error() string {
	var se *smtp.SMTPError
	if errors.As(e.Err, &se) {
		s := fmt.Sprintf("smtp %s: server replied %d", e.Stage, se.Code)
		if c := se.EnhancedCode; c != smtp.EnhancedCodeNotSet && c != smtp.NoEnhancedCode {
			s += fmt.Sprintf(" %d.%d.%d", c[0], c[1], c[2])
		}
		return s
	}
	return fmt.Sprintf("smtp %s: %v", e.Stage, e.Err)
}

func (e *SendError) Unwrap() error { return e.Err }

// linkStages are the steps before a mail transaction: their failures are
// about okit's own mail server (down, a wrong password, an expired
// certificate), never about the message.
var linkStages = []string{"connect", "tls", "hello", "auth"}

// Temporary reports whether sending may succeed if tried again later, so
// the reply must be retried with backoff rather than marked failed.
//
// A 5xx reply to MAIL, RCPT or DATA is permanent (the server will never
// take this message), as is a message Compose or Send refused
// (ErrInvalid). Everything else is temporary: 4xx replies, network
// failures and timeouts, and any failure before the mail transaction,
// even a 5xx to AUTH, because a wrong password or an expired certificate
// fails every reply alike and is fixed by an administrator, after which
// the retries go out. Unknown errors count as temporary: a reply retried
// in vain is visible; a reply wrongly given up is lost.
func Temporary(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrInvalid) {
		return false
	}
	var sendErr *SendError
	if errors.As(err, &sendErr) && slices.Contains(linkStages, sendErr.Stage) {
		return true
	}
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		switch se.Code / 100 {
		case 4:
			return true
		case 5:
			return false
		}
		return se.EnhancedCode[0] != 5
	}
	return true
}

// Send dials the server, authenticates, and sends msg from from to to.
// Once the server has accepted the message (250 after DATA), Send returns
// nil whatever happens to QUIT. If the connection breaks after the final
// dot but before the server's answer, the error is temporary and a retry
// may deliver a second copy: SMTP cannot tell, and a duplicate is better
// than a loss.
func (s *SMTPSender) Send(ctx context.Context, from, to string, msg []byte) error {
	from, err := asciiAddress(from)
	if err != nil {
		return fmt.Errorf("smtp envelope sender: %w", err)
	}
	if to, err = asciiAddress(to); err != nil {
		return fmt.Errorf("smtp recipient: %w", err)
	}
	d := net.Dialer{Timeout: s.cfg.Timeout}
	conn, err := d.DialContext(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		return &SendError{Stage: "connect", Err: err}
	}
	defer conn.Close()
	// A cancelled context closes the connection, which ends whatever
	// command is waiting.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	if deadline, ok := ctx.Deadline(); ok {
		conn.SetDeadline(deadline)
	}

	c, err := s.client(ctx, conn)
	if err != nil {
		return err
	}
	if s.cfg.Username != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return &SendError{Stage: "auth", Err: errors.New("the server offers no AUTH; is TLS set up on its side?")}
		}
		if err := s.signIn(ctx, c); err != nil {
			return &SendError{Stage: "auth", Err: err}
		}
	}
	if err := c.Mail(from, &smtp.MailOptions{Size: int64(len(msg))}); err != nil {
		return &SendError{Stage: "mail", Err: err}
	}
	if err := c.Rcpt(to, nil); err != nil {
		return &SendError{Stage: "rcpt", Err: err}
	}
	w, err := c.Data()
	if err != nil {
		return &SendError{Stage: "data", Err: err}
	}
	if _, err := w.Write(msg); err != nil {
		return &SendError{Stage: "data", Err: err}
	}
	if err := w.Close(); err != nil {
		return &SendError{Stage: "data", Err: err}
	}
	c.Quit() // the message is accepted; a failed goodbye changes nothing
	return nil
}

// signIn authenticates with the password (AUTH PLAIN), or with a token
// fresh from the grant; a token the server refuses is dropped, so the
// next mail's sign-in fetches another.
func (s *SMTPSender) signIn(ctx context.Context, c *smtp.Client) error {
	host, p, _ := net.SplitHostPort(s.cfg.Addr)
	port, _ := strconv.Atoi(p)
	login := &mailauth.Login{Method: s.cfg.Auth, Username: s.cfg.Username, Password: s.cfg.Password, Grant: s.cfg.Grant,
		Host: host, Port: port}
	client, _, err := login.Client(ctx)
	if err != nil {
		return err
	}
	if err := c.Auth(client); err != nil {
		err = mailauth.Explain(client, err)
		var refused *smtp.SMTPError
		if errors.As(err, &refused) {
			login.Refused(err)
		}
		return err
	}
	login.Accepted()
	return nil
}

// client opens the SMTP session on conn as configured, up to EHLO.
func (s *SMTPSender) client(ctx context.Context, conn net.Conn) (*smtp.Client, error) {
	var c *smtp.Client
	switch s.cfg.Security {
	case SecurityTLS:
		tc := tls.Client(conn, s.cfg.TLSConfig)
		hctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
		defer cancel()
		if err := tc.HandshakeContext(hctx); err != nil {
			return nil, &SendError{Stage: "tls", Err: err}
		}
		c = smtp.NewClient(tc)
	case SecurityStartTLS:
		var err error
		if c, err = smtp.NewClientStartTLS(conn, s.cfg.TLSConfig); err != nil {
			return nil, &SendError{Stage: "tls", Err: err}
		}
	default:
		c = smtp.NewClient(conn)
	}
	c.CommandTimeout = s.cfg.Timeout
	c.SubmissionTimeout = 2 * s.cfg.Timeout
	name := s.cfg.LocalName
	if name == "" {
		name = "localhost"
	}
	if err := c.Hello(strings.TrimSpace(name)); err != nil {
		return nil, &SendError{Stage: "hello", Err: err}
	}
	return c, nil
}

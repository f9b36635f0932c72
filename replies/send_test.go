package replies

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/google/go-cmp/cmp"
)

// recorder is a go-smtp backend that keeps what it receives and fails on
// request, like a mail server having a bad minute.
type recorder struct {
	mu       sync.Mutex
	got      []received
	failMail []error // returned by successive MAIL commands, then nil
	failRcpt []error
	failData []error
}

type received struct {
	User, From string
	To         []string
	Data       string
}

func (r *recorder) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{r: r}, nil }

func (r *recorder) next(list *[]error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(*list) == 0 {
		return nil
	}
	err := (*list)[0]
	*list = (*list)[1:]
	return err
}

func (r *recorder) received() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

type session struct {
	r   *recorder
	cur received
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "okit" || pass != "titok" {
			return smtp.ErrAuthFailed
		}
		s.cur.User = user
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.cur.User == "" {
		return smtp.ErrAuthRequired
	}
	s.cur.From = from
	return s.r.next(&s.r.failMail)
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := s.r.next(&s.r.failRcpt); err != nil {
		return err
	}
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if err := s.r.next(&s.r.failData); err != nil {
		return err
	}
	s.cur.Data = string(b)
	s.r.mu.Lock()
	s.r.got = append(s.r.got, s.cur)
	s.r.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.cur = received{User: s.cur.User} }
func (s *session) Logout() error { return nil }

// startSMTP runs a go-smtp server on 127.0.0.1 with the given security
// and returns a sender configured for it.
func startSMTP(t *testing.T, sec Security, rec *recorder) *SMTPSender {
	t.Helper()
	cert, roots := selfSigned(t)
	srv := smtp.NewServer(rec)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = sec == SecurityNone
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	var l net.Listener
	var err error
	switch sec {
	case SecurityTLS:
		l, err = tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	case SecurityStartTLS:
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
		l, err = net.Listen("tcp", "127.0.0.1:0")
	default:
		l, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	s, err := NewSMTPSender(SMTPConfig{
		Addr: l.Addr().String(), Security: sec, TLSConfig: &tls.Config{RootCAs: roots},
		Username: "okit", Password: "titok", Timeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "okit test"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(c)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, roots
}

func composed(t *testing.T) []byte {
	t.Helper()
	raw, err := Compose(composeCases["hu"])
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestSend sends a composed reply over each kind of connection, with AUTH
// PLAIN, and checks the server got exactly the bytes.
func TestSend(t *testing.T) {
	t.Parallel()
	for _, sec := range []Security{SecurityNone, SecurityTLS, SecurityStartTLS} {
		t.Run(string(sec), func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			s := startSMTP(t, sec, rec)
			msg := composed(t)
			if err := s.Send(t.Context(), "okit@ncsszi.hu", "eva.kovacs@Példa.hu", msg); err != nil {
				t.Fatal(err)
			}
			want := []received{{User: "okit", From: "okit@ncsszi.hu", To: []string{"eva.kovacs@xn--plda-bpa.hu"}, Data: string(msg)}}
			if diff := cmp.Diff(want, rec.received()); diff != "" {
				t.Errorf("received (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSendFailures checks how failures are classified, and that a
// temporary one followed by a retry delivers exactly once.
func TestSendFailures(t *testing.T) {
	t.Parallel()
	greylisted := &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: "<eva@example.hu>: greylisted, try again later"}
	unknownUser := &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "<eva@example.hu>: no such user"}
	tests := []struct {
		name      string
		rec       *recorder
		password  string
		wantStage []string // per attempt, "" for success
		wantTemp  []bool
		delivered int
	}{
		{"4xx on DATA, then success", &recorder{failData: []error{greylisted}}, "", []string{"data", ""}, []bool{true, false}, 1},
		{"4xx on RCPT twice, then success", &recorder{failRcpt: []error{greylisted, greylisted}}, "", []string{"rcpt", "rcpt", ""}, []bool{true, true, false}, 1},
		{"5xx on RCPT is permanent", &recorder{failRcpt: []error{unknownUser}}, "", []string{"rcpt"}, []bool{false}, 0},
		{"5xx on DATA is permanent", &recorder{failData: []error{&smtp.SMTPError{Code: 554, Message: "rejected as spam"}}}, "", []string{"data"}, []bool{false}, 0},
		{"5xx on MAIL is permanent", &recorder{failMail: []error{&smtp.SMTPError{Code: 553, Message: "sender not allowed"}}}, "", []string{"mail"}, []bool{false}, 0},
		{"wrong password is ours to fix: retried", &recorder{}, "wrong", []string{"auth"}, []bool{true}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := startSMTP(t, SecurityStartTLS, tc.rec)
			if tc.password != "" {
				s.cfg.Password = tc.password
			}
			msg := composed(t)
			for i, stage := range tc.wantStage {
				err := s.Send(t.Context(), "okit@ncsszi.hu", "eva@example.hu", msg)
				var se *SendError
				switch {
				case stage == "" && err != nil:
					t.Fatalf("attempt %d: %v", i+1, err)
				case stage != "" && (!errors.As(err, &se) || se.Stage != stage):
					t.Fatalf("attempt %d: %v, want a failure at %s", i+1, err, stage)
				}
				if got := Temporary(err); got != tc.wantTemp[i] {
					t.Errorf("attempt %d: Temporary(%v) = %v, want %v", i+1, err, got, tc.wantTemp[i])
				}
				if err != nil && containsAny(err.Error(), "eva@", "greylisted", "no such user") {
					t.Errorf("error %q carries the server's text", err)
				}
			}
			if got := len(tc.rec.received()); got != tc.delivered {
				t.Errorf("%d messages delivered, want %d", got, tc.delivered)
			}
		})
	}
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func TestSendNetworkFailures(t *testing.T) {
	t.Parallel()
	msg := composed(t)
	t.Run("nothing listening", func(t *testing.T) {
		t.Parallel()
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		s, err := NewSMTPSender(SMTPConfig{Addr: addr, Security: SecurityNone})
		if err != nil {
			t.Fatal(err)
		}
		err = s.Send(t.Context(), "okit@ncsszi.hu", "eva@example.hu", msg)
		if err == nil || !Temporary(err) {
			t.Errorf("Send to a closed port = %v, Temporary %v; want a temporary error", err, Temporary(err))
		}
	})
	t.Run("server never answers", func(t *testing.T) {
		t.Parallel()
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				t.Cleanup(func() { c.Close() })
			}
		}()
		s, err := NewSMTPSender(SMTPConfig{Addr: l.Addr().String(), Security: SecurityNone, Timeout: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		err = s.Send(ctx, "okit@ncsszi.hu", "eva@example.hu", msg)
		if err == nil || !Temporary(err) || time.Since(start) > 5*time.Second {
			t.Errorf("Send to a silent server = %v after %v; want a temporary error at the context's deadline", err, time.Since(start))
		}
	})
	t.Run("untrusted certificate", func(t *testing.T) {
		t.Parallel()
		s := startSMTP(t, SecurityTLS, &recorder{})
		s.cfg.TLSConfig = &tls.Config{ServerName: "127.0.0.1"} // system roots
		err := s.Send(t.Context(), "okit@ncsszi.hu", "eva@example.hu", msg)
		var se *SendError
		if !errors.As(err, &se) || se.Stage != "tls" || !Temporary(err) {
			t.Errorf("Send with an untrusted certificate = %v; want a temporary tls failure", err)
		}
	})
}

func TestNewSMTPSender(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr    string
		sec     Security
		wantErr bool
	}{
		{"127.0.0.1:25", SecurityNone, false},
		{"[::1]:25", SecurityNone, false},
		{"localhost:2525", SecurityNone, false},
		{"mail.ncsszi.hu:25", SecurityNone, true},
		{"10.0.0.5:25", SecurityNone, true},
		{"mail.ncsszi.hu:587", SecurityStartTLS, false},
		{"mail.ncsszi.hu:465", SecurityTLS, false},
		{"mail.ncsszi.hu:465", "ssl", true},
		{"mail.ncsszi.hu", SecurityTLS, true},
	}
	for _, tc := range tests {
		_, err := NewSMTPSender(SMTPConfig{Addr: tc.addr, Security: tc.sec})
		if (err != nil) != tc.wantErr {
			t.Errorf("NewSMTPSender(%s, %s) = %v, want error %v", tc.addr, tc.sec, err, tc.wantErr)
		}
	}
}

func TestTemporary(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"421 service not available", &SendError{Stage: "mail", Err: &smtp.SMTPError{Code: 421}}, true},
		{"452 mailbox full", &SendError{Stage: "rcpt", Err: &smtp.SMTPError{Code: 452}}, true},
		{"550 no such user", &SendError{Stage: "rcpt", Err: &smtp.SMTPError{Code: 550}}, false},
		{"552 too large", &SendError{Stage: "data", Err: smtp.ErrDataTooLarge}, false},
		{"bare SMTP 5xx", &smtp.SMTPError{Code: 554}, false},
		{"enhanced code only", &smtp.SMTPError{EnhancedCode: smtp.EnhancedCode{5, 1, 1}}, false},
		{"535 auth failed is our configuration", &SendError{Stage: "auth", Err: smtp.ErrAuthFailed}, true},
		{"connection refused", &SendError{Stage: "connect", Err: &net.OpError{Op: "dial", Err: errors.New("connection refused")}}, true},
		{"timeout", context.DeadlineExceeded, true},
		{"broken pipe during data", &SendError{Stage: "data", Err: io.ErrUnexpectedEOF}, true},
		{"invalid message", fmt.Errorf("compose: %w", ErrInvalid), false},
		{"invalid recipient", &SendError{Stage: "rcpt", Err: fmt.Errorf("x: %w", ErrInvalid)}, false},
	}
	for _, tc := range tests {
		if got := Temporary(tc.err); got != tc.want {
			t.Errorf("%s: Temporary(%v) = %v, want %v", tc.name, tc.err, got, tc.want)
		}
	}
}

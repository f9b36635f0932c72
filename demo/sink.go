package demo

import (
	"io"
	"net"
	"sync"

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
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.Addr = ln.Addr().String()
	go s.srv.Serve(ln)
	return s, nil
}

// Close stops the server.
func (s *Sink) Close() error { return s.srv.Close() }

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
	sink *Sink
	cur  Delivery
}

func (ss *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
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

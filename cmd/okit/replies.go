package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/seal"
	"github.com/ncsszi/okit/storage"
)

// openerKeys lets the reply worker open what it answers and seal what it
// sends with one unlocked key.
type openerKeys struct{ *seal.Opener }

func (k openerKeys) SealTogether(plains ...[]byte) ([][]byte, error) {
	return k.Sealer().SealTogether(plains...)
}

// acknowledge reads OKIT_ACKNOWLEDGE: whether intake queues automatic
// acknowledgements. Unset, it does exactly when this process also sends
// mail (OKIT_SMTP_ADDR); an intake host without the private key sets it to
// on and leaves the sending to an okit serve elsewhere.
func (e *env) acknowledge() bool {
	return e.onOff("OKIT_ACKNOWLEDGE", e.str("OKIT_SMTP_ADDR", "") != "")
}

// onOff reads a setting given as on or off.
func (e *env) onOff(name string, def bool) bool {
	switch v := e.str(name, ""); v {
	case "":
		return def
	case "on":
		return true
	case "off":
		return false
	default:
		e.fail("%s=%q: give on or off", name, v)
		return false
	}
}

// ackPolicy reads the acknowledgement policy intake applies: nil when
// this okit does not acknowledge (see acknowledge).
func (e *env) ackPolicy() *replies.AckPolicy {
	if !e.acknowledge() {
		return nil
	}
	from := e.required("OKIT_FROM", "the address replies come from, e.g. okit@ncsszi.hu: never acknowledged")
	return &replies.AckPolicy{Own: []string{from, e.str("OKIT_IMAP_USERNAME", "")},
		Window:      e.duration("OKIT_ACK_WINDOW", replies.DefaultAckWindow),
		RequireAuth: e.onOff("OKIT_ACK_REQUIRE_AUTH", e.str("OKIT_AUTHSERV_ID", "") != ""),
		MaxAge:      e.duration("OKIT_ACK_MAX_AGE", replies.DefaultAckMaxAge),
		Rate:        e.positive("OKIT_ACK_RATE", replies.DefaultAckRate),
		RateDomain:  e.positive("OKIT_ACK_RATE_DOMAIN", replies.DefaultAckRateDomain)}
}

// ackWorker reads the outgoing-mail settings and builds the worker that
// sends acknowledgements; nil when OKIT_SMTP_ADDR is not set.
func (e *env) ackWorker(st *storage.Store, log *slog.Logger) *replies.Worker {
	addr := e.str("OKIT_SMTP_ADDR", "")
	if addr == "" {
		return nil
	}
	cfg := replies.SMTPConfig{Addr: addr, Security: replies.Security(e.str("OKIT_SMTP_TLS", "starttls")),
		Username: e.str("OKIT_SMTP_USERNAME", "")}
	if cfg.Username != "" {
		cfg.Password = e.secret("OKIT_SMTP_PASSWORD", "the SMTP password")
	}
	if host, _, err := net.SplitHostPort(addr); err == nil && cfg.Security != replies.SecurityNone {
		cfg.TLSConfig = e.tlsConfig("OKIT_SMTP_CA_FILE", host)
	}
	sender, err := replies.NewSMTPSender(cfg)
	if err != nil {
		e.fail("OKIT_SMTP_ADDR, OKIT_SMTP_TLS: %v", err)
	}
	from, err := mail.ParseAddress(e.required("OKIT_FROM", "the address replies come from, e.g. okit@ncsszi.hu"))
	if err != nil && e.str("OKIT_FROM", "") != "" {
		e.fail("OKIT_FROM: %v", err)
	}
	if err == nil {
		if warning, err := replies.CheckFrom(*from); err != nil {
			e.fail("OKIT_FROM: %v", err)
		} else if warning != "" {
			log.Warn("OKIT_FROM: " + warning)
		}
	}
	opener := e.opener()
	_, index := e.intakeKeys()
	templates, err := replies.LoadTemplates(e.str("OKIT_TEMPLATES_DIR", ""), e.rules())
	if err != nil {
		e.fail("OKIT_TEMPLATES_DIR: %v", err)
	}
	if e.err() != nil {
		return nil
	}
	return &replies.Worker{
		Store: st, Keys: openerKeys{opener}, Digests: index, Templates: templates, Sender: sender,
		From: *from, Own: []string{from.Address, e.str("OKIT_IMAP_USERNAME", "")},
		Log: log, Now: time.Now,
	}
}

// startWorkers runs the job workers until ctx ends; stop waits for
// running jobs.
func startWorkers(ctx context.Context, st *storage.Store, ack *replies.Worker, log *slog.Logger) (stop func(), err error) {
	workers := river.NewWorkers()
	river.AddWorker(workers, ack)
	river.AddWorker(workers, &replies.ReminderWorker{Store: st, Log: log})
	client, err := river.NewClient(riverpgxv5.New(st.Pool()), &river.Config{
		// Replies spend most of their time waiting for the mail server:
		// more workers than cores, fetched without river's default 100 ms
		// pause between fetches, which alone held them to about 40/s.
		Queues:        map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 16}},
		FetchCooldown: 5 * time.Millisecond,
		Workers:       workers,
		Logger:        log,
	})
	if err != nil {
		return nil, fmt.Errorf("job workers: %w", err)
	}
	if err := client.Start(ctx); err != nil {
		return nil, fmt.Errorf("job workers: %w", err)
	}
	return func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		client.Stop(stopCtx)
	}, nil
}

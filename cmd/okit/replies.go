package main

import (
	"net"
	"net/mail"

	"github.com/ncsszi/okit/mailauth"
	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/seal"
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
// this okit does not acknowledge (see acknowledge). OKIT_FROM is never
// acknowledged; an intake host that acknowledges for a sender elsewhere
// needs it too.
func (e *env) ackPolicy() *replies.AckPolicy {
	if !e.acknowledge() {
		return nil
	}
	from := e.str("OKIT_FROM", "")
	if from == "" && e.str("OKIT_SMTP_ADDR", "") == "" { // otherwise mailSettings asks for it
		e.fail("OKIT_FROM is not set: give the address replies come from, e.g. okit@ncsszi.hu; it is never acknowledged")
	}
	return &replies.AckPolicy{Own: []string{from, e.str("OKIT_IMAP_USERNAME", "")},
		Window:      e.duration("OKIT_ACK_WINDOW", replies.DefaultAckWindow),
		RequireAuth: e.onOff("OKIT_ACK_REQUIRE_AUTH", e.str("OKIT_AUTHSERV_ID", "") != ""),
		MaxAge:      e.duration("OKIT_ACK_MAX_AGE", replies.DefaultAckMaxAge),
		Rate:        e.positive("OKIT_ACK_RATE", replies.DefaultAckRate),
		RateDomain:  e.positive("OKIT_ACK_RATE_DOMAIN", replies.DefaultAckRateDomain)}
}

// mailSettings reads the outgoing-mail settings; nil when OKIT_SMTP_ADDR
// is not set, and this process sends nothing. auth is OKIT_SMTP_AUTH;
// with OAuth, the token comes from grant.
func (e *env) mailSettings(auth mailauth.Method, grant *mailauth.Grant) *mailSettings {
	addr := e.str("OKIT_SMTP_ADDR", "")
	if addr == "" {
		return nil
	}
	cfg := replies.SMTPConfig{Addr: addr, Security: replies.Security(e.str("OKIT_SMTP_TLS", "starttls")),
		Username: e.str("OKIT_SMTP_USERNAME", ""), Auth: auth, Grant: grant}
	switch {
	case auth.OAuth() && cfg.Username == "":
		e.fail("OKIT_SMTP_USERNAME is not set: with OKIT_SMTP_AUTH=%s give the address okit sends as (SASL user=)", auth)
	case !auth.OAuth() && cfg.Username != "":
		cfg.Password = e.secret("OKIT_SMTP_PASSWORD", "the SMTP password")
	}
	if host, _, err := net.SplitHostPort(addr); err == nil && cfg.Security != replies.SecurityNone {
		cfg.TLSConfig = e.tlsConfig("OKIT_SMTP_CA_FILE", host)
	}
	m := &mailSettings{}
	var err error
	if m.sender, err = replies.NewSMTPSender(cfg); err != nil {
		e.fail("OKIT_SMTP_ADDR, OKIT_SMTP_TLS: %v", err)
	}
	if from := e.required("OKIT_FROM", "the address replies come from, e.g. okit@ncsszi.hu"); from != "" {
		a, err := mail.ParseAddress(from)
		if err != nil {
			e.fail("OKIT_FROM: %v", err)
		} else if warning, err := replies.CheckFrom(*a); err != nil {
			e.fail("OKIT_FROM: %v", err)
		} else {
			m.from = *a
			if warning != "" {
				e.warn("OKIT_FROM: " + warning)
			}
		}
	}
	return m
}

package main

import (
	"net/mail"

	"github.com/ncsszi/okit/intake"
)

// canary reads the canary's settings: nil unless OKIT_CANARY_EVERY is
// set. It is sent through the SMTP server replies take (m), from
// OKIT_FROM, to OKIT_CANARY_TO (by default the mailbox's login name, when
// that is an address); no canary back within OKIT_CANARY_ALERT (three
// periods unless set) raises the alert.
func (e *env) canary(m *mailSettings, username string) *intake.CanaryConfig {
	every := e.duration("OKIT_CANARY_EVERY", 0)
	if every == 0 {
		return nil
	}
	if m == nil {
		e.fail("OKIT_CANARY_EVERY is set but OKIT_SMTP_ADDR is not: the canary is sent through the SMTP server replies take")
		return nil
	}
	c := &intake.CanaryConfig{Every: every, AlertAfter: e.duration("OKIT_CANARY_ALERT", 3*every), From: m.from.Address,
		Sender: m.sender}
	if c.AlertAfter <= every {
		e.fail("OKIT_CANARY_ALERT=%s is not longer than OKIT_CANARY_EVERY=%s: give it time for a canary to come back, e.g. %s", c.AlertAfter, every, 3*every)
	}
	to := e.str("OKIT_CANARY_TO", username)
	if a, err := mail.ParseAddress(to); err != nil {
		e.fail("OKIT_CANARY_TO: give the hotline's address the canary is sent to (OKIT_IMAP_USERNAME %q is not one)", to)
	} else {
		c.To = a.Address
	}
	return c
}

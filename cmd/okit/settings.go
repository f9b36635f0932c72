package main

import (
	"net/mail"
	"time"

	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/mailauth"
	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/triage"
	"github.com/ncsszi/okit/web"
)

// settings are what intake, serve and the demo run on: read from the
// environment once by readSettings (the demo fills them in itself), then
// turned into running parts by build.
type settings struct {
	databaseURL string
	// migrate applies the migrations at start (the demo's new database);
	// otherwise an old schema is refused.
	migrate bool
	imap    intake.Config // its Rules and Targets are the only ones loaded
	keys    keyFiles
	// reopenWithin: a verified writer's new mail reopens their case
	// closed less than this ago (OKIT_REOPEN_WITHIN).
	reopenWithin time.Duration

	// The rest is serve's. templatesDir overrides the built-in reply
	// templates; mail is nil when this process sends no mail, console nil
	// when it has no private key and so serves no console.
	httpAddr     string
	templatesDir string
	mail         *mailSettings
	console      *web.Config
	retention    time.Duration     // closed cases keep their content this long
	reassign     []triage.Priority // breached cases of these priorities are handed over
	clockEvery   time.Duration     // how often response clocks are checked

	// grant is the OAuth grant IMAP and SMTP share when either signs in
	// with a token; nil otherwise.
	grant *mailauth.Grant

	warnings []string // settings that work but should be changed: logged at start
}

// mailSettings are how replies leave: the SMTP server (its sender
// connects for each mail) and the address they come from.
type mailSettings struct {
	sender *replies.SMTPSender
	from   mail.Address
}

// readSettings reads the settings of okit serve, or with serve unset of
// okit intake, from the environment, and reports every mistake at once,
// each on a line naming its variable.
func readSettings(getenv func(string) string, serve bool) (settings, error) {
	e := &env{get: getenv}
	s := settings{databaseURL: e.databaseURL(), imap: e.imapConfig()}
	s.imap.Ack = e.ackPolicy()
	s.reopenWithin = e.duration("OKIT_REOPEN_WITHIN", storage.DefaultReopenWithin)
	if !serve {
		s.grant = e.grant(s.imap.Auth)
		s.imap.Grant = s.grant
		s.keys = e.keyFiles(sealKeys)
		s.warnings = e.warnings
		return s, e.err()
	}
	// The console and the reply worker read sealed mail: with either, the
	// private key is needed.
	need := sealKeys
	if e.str("OKIT_PRIVATE_KEY_FILE", "") != "" || e.str("OKIT_SMTP_ADDR", "") != "" {
		need |= openKeys
	}
	s.keys = e.keyFiles(need)
	s.httpAddr = e.str("OKIT_HTTP_ADDR", "127.0.0.1:8080")
	s.templatesDir = e.str("OKIT_TEMPLATES_DIR", "")
	smtpAuth := e.method("OKIT_SMTP_AUTH")
	s.grant = e.grant(s.imap.Auth, smtpAuth)
	s.imap.Grant = s.grant
	s.mail = e.mailSettings(smtpAuth, s.grant)
	s.imap.Canary = e.canary(s.mail, s.imap.Username)
	if s.keys.private != "" {
		s.console = e.consoleConfig(s.httpAddr, s.imap.Targets)
	}
	s.retention = e.retention()
	s.reassign = e.priorities("OKIT_BREACH_REASSIGN", "P1,P2")
	s.clockEvery = e.duration("OKIT_CLOCK_INTERVAL", 30*time.Second)
	s.warnings = e.warnings
	return s, e.err()
}

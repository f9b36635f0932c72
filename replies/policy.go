package replies

import (
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-message/mail"
	"github.com/ncsszi/okit/triage"
)

// DefaultAckWindow is how long after one automatic acknowledgement on a
// case no other is sent: a writer who sends three messages in an evening
// gets one, and a loop with another machine dies after one round.
const DefaultAckWindow = 24 * time.Hour

// Reasons MayAcknowledge gives; short and stable, for events and metrics.
const (
	AckOK             = "ok"
	AckAutomated      = "automated"       // triage flagged the message as sent by a machine
	AckDoNotReply     = "do_not_reply"    // the writer asked not to be mailed, or others read their mail
	AckNullSender     = "null_sender"     // no address to answer, or <>
	AckBadAddress     = "bad_address"     // not local@domain
	AckOwnAddress     = "own_address"     // ours: answering would talk to ourselves
	AckDaemonAddress  = "daemon_address"  // MAILER-DAEMON, postmaster
	AckNoReplyAddress = "noreply_address" // noreply, do-not-reply, nevalaszolj …
	AckWindow         = "window"          // the case had an acknowledgement within the window
)

// AckInput is what deciding on an automatic acknowledgement needs.
type AckInput struct {
	// To is where the acknowledgement would go: the writer's Reply-To if
	// they gave one, else their From (addr-spec, "local@domain").
	To string
	// Flags are the triage verdict's flags.
	Flags []triage.Flag
	// Own are the service's addresses: OKIT_FROM and the mailbox's. They
	// may carry display names.
	Own []string
	// LastAck is when the case last had an automatic acknowledgement;
	// zero if never.
	LastAck time.Time
	Now     time.Time
	// Window is how long after an acknowledgement no other is sent; zero
	// means DefaultAckWindow.
	Window time.Duration
}

// MayAcknowledge decides whether an automatic acknowledgement may be sent
// (RFC 3834 section 2 and the promises in DESIGN.md: no harm by
// automation). It returns AckOK, or false and the first reason against,
// in the order of the Ack* constants. It errs towards silence: a clock
// that runs backwards counts as inside the window.
func MayAcknowledge(in AckInput) (ok bool, reason string) {
	switch {
	case slices.Contains(in.Flags, triage.FlagAutomated):
		return false, AckAutomated
	case slices.Contains(in.Flags, triage.FlagDoNotReply):
		return false, AckDoNotReply
	}
	to := strings.TrimSpace(in.To)
	if to == "" || to == "<>" {
		return false, AckNullSender
	}
	local, dom, ok := splitAddress(to)
	if !ok {
		return false, AckBadAddress
	}
	for _, own := range in.Own {
		if l, d, ok := splitAddress(bareAddress(own)); ok && l == local && d == dom {
			return false, AckOwnAddress
		}
	}
	if isDaemon(local) {
		return false, AckDaemonAddress
	}
	if isNoReply(local) {
		return false, AckNoReplyAddress
	}
	window := in.Window
	if window <= 0 {
		window = DefaultAckWindow
	}
	if !in.LastAck.IsZero() && in.Now.Sub(in.LastAck) < window {
		return false, AckWindow
	}
	return true, AckOK
}

// splitAddress gives the lower-cased local part without a +tag and the
// lower-cased domain without a trailing dot, or false for anything that
// is not a plain local@domain.
func splitAddress(a string) (local, domain string, ok bool) {
	if strings.ContainsFunc(a, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '<' || r == '>' }) {
		return "", "", false
	}
	at := strings.LastIndexByte(a, '@')
	if at <= 0 || at == len(a)-1 {
		return "", "", false
	}
	local = strings.ToLower(a[:at])
	domain = strings.TrimSuffix(strings.ToLower(a[at+1:]), ".")
	if domain == "" || !strings.Contains(domain, ".") && domain != "localhost" {
		return "", "", false
	}
	if i := strings.IndexByte(local, '+'); i > 0 {
		local = local[:i]
	}
	return local, domain, true
}

// bareAddress takes the addr-spec out of "Name <local@domain>".
func bareAddress(s string) string {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, "<") {
		if a, err := mail.ParseAddress(s); err == nil {
			return a.Address
		}
	}
	return s
}

// compact drops the separators people put in role names, so that
// "no_reply", "no.reply" and "No-Reply" read alike.
var compact = strings.NewReplacer("-", "", "_", "", ".", "")

func isDaemon(local string) bool {
	switch compact.Replace(local) {
	case "mailerdaemon", "maildaemon", "postmaster":
		return true
	}
	return false
}

// noReplyWords are role names of mailboxes nobody reads, compacted;
// matched anywhere in the local part ("info-noreply", "noreply2").
var noReplyWords = []string{"noreply", "donotreply", "dontreply", "noanswer", "nevalaszolj", "nemvalaszolj"}

func isNoReply(local string) bool {
	l := compact.Replace(local)
	for _, w := range noReplyWords {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

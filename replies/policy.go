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

// AckReason is the policy's answer: AckOK, or why okit sends no
// automatic acknowledgement. Short and stable: it is stored on the
// suppressed reply, in its event, and counted.
type AckReason string

const (
	AckOK             AckReason = "ok"
	AckAutomated      AckReason = "automated"       // triage flagged the message as sent by a machine
	AckDoNotReply     AckReason = "do_not_reply"    // the writer asked not to be mailed, or others read their mail
	AckUnreadable     AckReason = "unreadable"      // part of the message could not be read: a person looks first
	AckNullSender     AckReason = "null_sender"     // no address to answer, or <>
	AckBadAddress     AckReason = "bad_address"     // not local@domain
	AckOwnAddress     AckReason = "own_address"     // ours: answering would talk to ourselves
	AckDaemonAddress  AckReason = "daemon_address"  // MAILER-DAEMON, postmaster
	AckNoReplyAddress AckReason = "noreply_address" // noreply, do-not-reply, nevalaszolj …
	AckWindow         AckReason = "window"          // the case had an acknowledgement within the window
)

// AckPolicy is how the service acknowledges: the settings the rule reads.
type AckPolicy struct {
	// Own are the service's addresses (OKIT_FROM and the mailbox's),
	// with or without display names: never acknowledged.
	Own []string
	// Window is how long after an acknowledgement on a case no other is
	// sent; zero means DefaultAckWindow.
	Window time.Duration
}

// AckInput is what deciding on an automatic acknowledgement needs: facts
// about the message, its case and what okit has sent, and no content, so
// that the decision can be made where only sealed content is at hand.
type AckInput struct {
	// Recipient is CheckRecipient's answer for the address the
	// acknowledgement would go to, made where that address was readable.
	Recipient AckReason
	// Flags are the message's triage flags and its case's: a writer who
	// once said someone reads their mail is not acknowledged on a later
	// message that does not say it again.
	Flags []triage.Flag
	// LastAck is when the case last had an automatic acknowledgement
	// queued, composed or sent; zero if never.
	LastAck time.Time
	Now     time.Time
}

// Decide is the one rule for automatic acknowledgements (RFC 3834
// section 2 and the promises in DESIGN.md: no harm by automation). It
// returns AckOK, or the first reason against in the order of the Ack*
// constants. It errs towards silence: a clock that runs backwards counts
// as inside the window. It is pure: the store gathers the facts and
// records the answer.
func (p AckPolicy) Decide(in AckInput) AckReason {
	switch {
	case slices.Contains(in.Flags, triage.FlagAutomated):
		return AckAutomated
	case slices.Contains(in.Flags, triage.FlagDoNotReply):
		return AckDoNotReply
	case slices.Contains(in.Flags, triage.FlagUnreadable):
		// What could not be read may say "do not write to me".
		return AckUnreadable
	case in.Recipient == "":
		return AckNullSender // never checked: no address known to be writable
	case in.Recipient != AckOK:
		return in.Recipient
	}
	window := p.Window
	if window <= 0 {
		window = DefaultAckWindow
	}
	if !in.LastAck.IsZero() && in.Now.Sub(in.LastAck) < window {
		return AckWindow
	}
	return AckOK
}

// CheckRecipient says whether okit may write to the address to at all:
// AckOK, or why not (null, malformed, our own, a daemon, a noreply
// address). own are the service's addresses (OKIT_FROM and the
// mailbox's), with or without display names. It holds for every reply:
// an operator's answer to a noreply address would go nowhere, one to our
// own address would loop.
func CheckRecipient(to string, own []string) AckReason {
	to = strings.TrimSpace(to)
	if to == "" || to == "<>" {
		return AckNullSender
	}
	local, dom, ok := splitAddress(to)
	if !ok {
		return AckBadAddress
	}
	for _, o := range own {
		if l, d, ok := splitAddress(bareAddress(o)); ok && l == local && d == dom {
			return AckOwnAddress
		}
	}
	if isDaemon(local) {
		return AckDaemonAddress
	}
	if isNoReply(local) {
		return AckNoReplyAddress
	}
	return AckOK
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

package replies

import (
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-message/mail"

	"github.com/ncsszi/okit/triage"
)

// Defaults of the acknowledgement policy's settings.
const (
	// DefaultAckWindow is how long after one automatic acknowledgement to
	// a case, or to an address, no other is sent: a writer who sends three
	// messages in an evening gets one, and a loop with another machine
	// dies after one round.
	DefaultAckWindow = 24 * time.Hour
	// DefaultAckMaxAge is the oldest message (by the server's arrival
	// time) acknowledged: a first import of a year of mail, or a mailbox
	// back after a week, sends nothing automatic.
	DefaultAckMaxAge = 2 * time.Hour
	// DefaultAckRate and DefaultAckRateDomain are the most
	// acknowledgements an hour in all and to one recipient domain: more
	// is a flood of forged senders, not people writing.
	DefaultAckRate       = 120
	DefaultAckRateDomain = 30
)

// AckReason is the policy's answer: AckOK, or why okit sends no
// automatic acknowledgement. Short and stable: it is stored on the
// suppressed reply, in its event, and counted.
type AckReason string

const (
	AckOK              AckReason = "ok"
	AckAutomated       AckReason = "automated"        // triage flagged the message as sent by a machine
	AckDoNotReply      AckReason = "do_not_reply"     // the writer asked not to be mailed, or others read their mail
	AckUnreadable      AckReason = "unreadable"       // part of the message could not be read: a person looks first
	AckUrgent          AckReason = "urgent"           // P1: danger now, an operator writes in person
	AckLanguage        AckReason = "language"         // a language the rules do not read: "do not write to me" would go unseen
	AckSpam            AckReason = "spam"             // the receiving server marked the message as spam
	AckNullSender      AckReason = "null_sender"      // no address to answer, or <>
	AckBadAddress      AckReason = "address"          // cannot be written to: not local@domain, bad IDNA, no domain
	AckOwnAddress      AckReason = "own_address"      // ours: answering would talk to ourselves
	AckDaemonAddress   AckReason = "daemon_address"   // MAILER-DAEMON, postmaster
	AckNoReplyAddress  AckReason = "noreply_address"  // noreply, do-not-reply, nevalaszolj …
	AckDMARCFail       AckReason = "dmarc_fail"       // the sender's domain says the message is not its (RequireAuth)
	AckUnverified      AckReason = "unverified"       // the From is not known to be the sender's (RequireAuth)
	AckNotWriter       AckReason = "not_writer"       // the answer would go to an address that is not the case's writer's
	AckTooOld          AckReason = "old"              // arrived longer than MaxAge ago
	AckWindow          AckReason = "window"           // the case had an acknowledgement within the window
	AckRecipientRecent AckReason = "recipient_recent" // the address had one within the window, on any case
	AckRate            AckReason = "rate"             // Rate acknowledgements in the last hour already
	AckRateDomain      AckReason = "rate_domain"      // RateDomain to the recipient's domain in the last hour already
)

// State is what becomes of a reply the policy (or CheckRecipient) said no
// to: an address that cannot be written to is a failure, to be put
// right by the operator; every other no is a decision, suppressed.
func (r AckReason) State() State {
	if r == AckBadAddress {
		return StateFailed
	}
	return StateSuppressed
}

// AckPolicy is how the service acknowledges: the settings the rule reads.
// Zero values mean the defaults.
type AckPolicy struct {
	// Own are the service's addresses (OKIT_FROM and the mailbox's),
	// with or without display names: never acknowledged.
	Own []string
	// Window is how long after an acknowledgement to a case, or to an
	// address, no other is sent (OKIT_ACK_WINDOW).
	Window time.Duration
	// RequireAuth acknowledges only senders the receiving server verified
	// (OKIT_ACK_REQUIRE_AUTH): none whose DMARC failed, none unverified.
	RequireAuth bool
	// MaxAge is the oldest message acknowledged, by its arrival time
	// (OKIT_ACK_MAX_AGE).
	MaxAge time.Duration
	// Rate and RateDomain are the most acknowledgements an hour, in all
	// and to one recipient domain (OKIT_ACK_RATE, OKIT_ACK_RATE_DOMAIN).
	Rate, RateDomain int
}

// AckInput is what deciding on an automatic acknowledgement needs: facts
// about the message, its case and what okit has sent, and no content, so
// that the decision can be made where only sealed content is at hand.
type AckInput struct {
	// Recipient is CheckRecipient's answer for the address the
	// acknowledgement would go to (the message's Reply-To, else its
	// From), made where that address was readable.
	Recipient AckReason
	// ToWriter says that address is one of the case's writer addresses
	// (DefaultAddressee).
	ToWriter bool
	// Flags are the message's triage flags and its case's: a writer who
	// once said someone reads their mail is not acknowledged on a later
	// message that does not say it again.
	Flags []triage.Flag
	// Priority is the more urgent of the message's (the rules', raised by
	// the second opinion) and its case's: a writer in danger now gets
	// no automatic mail, whichever message of theirs says so.
	Priority triage.Priority
	// Language is triage's reading of the message's language: "other"
	// is one the rules do not read at all.
	Language string
	// Spam says the receiving server marked the message as spam.
	Spam bool
	// DMARCFail and Verified are what a trusted Authentication-Results
	// said of the sender: its domain's DMARC policy failed; its From is
	// aligned with a passing DMARC, DKIM or SPF.
	DMARCFail, Verified bool
	// Received is the message's arrival time on the server (INTERNALDATE).
	Received time.Time
	// LastAck is when the case last had an automatic acknowledgement
	// queued, composed or sent; RecipientLastAck, when the address did,
	// on any case. Zero if never.
	LastAck, RecipientLastAck time.Time
	// LastHour and LastHourDomain count the acknowledgements queued in
	// the hour before Now, in all and to the recipient's domain.
	LastHour, LastHourDomain int
	Now                      time.Time
}

// Decide is the one rule for automatic acknowledgements (RFC 3834
// section 2 and the promises in DESIGN.md: no harm by automation). It
// returns AckOK, or the first reason against in the order of the Ack*
// constants. It errs towards silence: a clock that runs backwards counts
// as inside a window, and a message from the future as not too old. It
// is pure: the store gathers the facts and records the answer.
func (p AckPolicy) Decide(in AckInput) AckReason {
	switch {
	case slices.Contains(in.Flags, triage.FlagAutomated):
		return AckAutomated
	case slices.Contains(in.Flags, triage.FlagDoNotReply):
		return AckDoNotReply
	case slices.Contains(in.Flags, triage.FlagUnreadable):
		// What could not be read may say "do not write to me".
		return AckUnreadable
	case in.Priority == triage.P1:
		// A writer in danger now is often beside the person they fear,
		// and a third of them say that person reads their mail; the
		// rules that find those words miss some. An operator, alerted
		// at P1, writes in person (with 112 if it is safe to), so an
		// automatic mail adds the risk and none of the help.
		return AckUrgent
	case in.Language == triage.LanguageOther:
		// Nothing in a language the rules do not read can tell okit that
		// the writer asked not to be written to, or that someone reads
		// their mail. The message is read as an urgent plea (P2 at
		// least) and an operator answers it.
		return AckLanguage
	case in.Spam:
		return AckSpam
	case in.Recipient == "":
		return AckNullSender // never checked: no address known to be writable
	case in.Recipient != AckOK:
		return in.Recipient
	case p.RequireAuth && in.DMARCFail:
		return AckDMARCFail
	case p.RequireAuth && !in.Verified:
		return AckUnverified
	case !in.ToWriter:
		return AckNotWriter
	case in.Now.Sub(in.Received) > orDefault(p.MaxAge, DefaultAckMaxAge):
		return AckTooOld
	case within(in.LastAck, in.Now, orDefault(p.Window, DefaultAckWindow)):
		return AckWindow
	case within(in.RecipientLastAck, in.Now, orDefault(p.Window, DefaultAckWindow)):
		return AckRecipientRecent
	case in.LastHour >= orDefault(p.Rate, DefaultAckRate):
		return AckRate
	case in.LastHourDomain >= orDefault(p.RateDomain, DefaultAckRateDomain):
		return AckRateDomain
	}
	return AckOK
}

// AlertEvery is how often a rate limit that keeps being passed raises
// the alert again: once an hour, not once a message.
const AlertEvery = time.Hour

// Alert reports whether saying no for reason raises the rate alert (an
// event, an ERROR log line, a metric, a banner for supervisors): the
// limit is passed, and no alert was raised in the last AlertEvery
// (lastAlert zero if none).
func Alert(reason AckReason, lastAlert, now time.Time) bool {
	return (reason == AckRate || reason == AckRateDomain) && !within(lastAlert, now, AlertEvery)
}

// within reports whether t happened less than d before now, or after it.
func within(t, now time.Time, d time.Duration) bool {
	return !t.IsZero() && now.Sub(t) < d
}

func orDefault[T time.Duration | int](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// CheckRecipient says whether okit may write to the address to at all:
// AckOK, or why not (null, an address that cannot be written to, our
// own, a daemon, a noreply address). own are the service's addresses
// (OKIT_FROM and the mailbox's), with or without display names. It holds
// for every reply: an operator's answer to a noreply address would go
// nowhere, one to our own address would loop, one to a domain that is not
// valid IDNA would fail at the server.
func CheckRecipient(to string, own []string) AckReason {
	to = strings.TrimSpace(to)
	if to == "" || to == "<>" {
		return AckNullSender
	}
	local, dom, ok := splitAddress(to)
	if !ok {
		return AckBadAddress
	}
	if _, err := asciiAddress(to); err != nil {
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

// IsDaemon reports whether an address is a mail system's own (null,
// MAILER-DAEMON, postmaster): where delivery reports come from.
func IsDaemon(addr string) bool {
	addr = strings.TrimSpace(addr)
	if addr == "" || addr == "<>" {
		return true
	}
	local, _, ok := splitAddress(addr)
	return ok && isDaemon(local)
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
	if domain == "" || !strings.Contains(domain, ".") && domain != "localhost" || strings.Contains(domain, "..") ||
		strings.HasPrefix(domain, ".") {
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

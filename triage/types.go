package triage

import (
	"fmt"
	"strings"
)

// Priority says how soon a message needs a human: P1 is immediate danger to
// life or safety now, P4 is general information or automated mail.
type Priority int

// The four priorities, most urgent first.
const (
	P1 Priority = 1 // immediate danger to life or safety now
	P2 Priority = 2 // urgent: ongoing or recent violence, needs protection or shelter soon
	P3 Priority = 3 // advice, legal information, past abuse
	P4 Priority = 4 // general information, professionals, press, automated mail
)

// String gives "P1" … "P4".
func (p Priority) String() string {
	if p < P1 || p > P4 {
		return fmt.Sprintf("P?(%d)", int(p))
	}
	return fmt.Sprintf("P%d", int(p))
}

// Category is the kind of matter a message is about. A message may have
// several.
type Category string

// The categories a rule may name.
const (
	PartnerViolence Category = "partner_violence"
	ChildAbuse      Category = "child_abuse"
	FamilyViolence  Category = "family_violence"
	Trafficking     Category = "trafficking"
	Prostitution    Category = "prostitution"
	SuicideRisk     Category = "suicide_risk"
	ShelterRequest  Category = "shelter_request"
	LegalInfo       Category = "legal_info"
	Information     Category = "information"
	Automated       Category = "automated"
)

// categoryOrder is the order in which categories are listed in a verdict.
var categoryOrder = [...]Category{
	PartnerViolence, ChildAbuse, FamilyViolence, Trafficking, Prostitution,
	SuicideRisk, ShelterRequest, LegalInfo, Information, Automated,
}

func categoryIndex(c Category) int {
	for i, k := range categoryOrder {
		if k == c {
			return i
		}
	}
	return -1
}

// Flag marks how a message must be handled, whatever its priority.
type Flag string

const (
	// FlagAutomated: the message was sent by a machine (auto-reply,
	// bounce, list mail). Never answer it automatically.
	FlagAutomated Flag = "automated"
	// FlagDoNotReply: the writer asked not to be answered by email, or
	// said someone else reads their mail or phone. Never answer it
	// automatically; the operator decides how to make contact.
	FlagDoNotReply Flag = "do_not_reply"
	// FlagUnreadable: okit could not read the message's text whole (a
	// message cut short, a limit reached, a part that gave no text), so
	// the rules may have missed what it says. Never answer it
	// automatically before a person has looked.
	FlagUnreadable Flag = "unreadable"
)

// Reason says why a message carries FlagDoNotReply. Reasons are codes,
// never words of the message: a verdict is stored in the clear.
type Reason string

// The reasons for FlagDoNotReply.
const (
	// ReasonAskedNotToWrite: the writer asked not to be answered by email.
	ReasonAskedNotToWrite Reason = "asked_not_to_write"
	// ReasonSomeoneReads: someone else reads, checks or has the writer's
	// phone, mail or messages.
	ReasonSomeoneReads Reason = "someone_reads"
	// ReasonOtherPersonsDevice: the writer writes from someone else's
	// phone or account and gave no address of their own to answer.
	ReasonOtherPersonsDevice Reason = "other_persons_device"
	// ReasonHeldOrControlled: the writer is held or controlled (a
	// confinement or control signal counted at P1); whoever holds them
	// may read what we send.
	ReasonHeldOrControlled Reason = "held_or_controlled"
)

// ruleReasons are the reasons a safety rule may give; held_or_controlled
// is the program's own.
var ruleReasons = []Reason{ReasonAskedNotToWrite, ReasonSomeoneReads, ReasonOtherPersonsDevice}

// Input is the part of an incoming message that triage reads.
type Input struct {
	Subject string // decoded subject
	Text    string // the message as readable text
	From    string // the sender's address (local@domain); may be empty
	// ReplyTo is the address of the Reply-To header (local@domain), empty
	// when there is none. A writer who names an address of their own to
	// answer is not flagged for writing from someone else's device.
	ReplyTo string
	// Header holds raw header values by canonical key: Auto-Submitted,
	// Precedence, List-Id, List-Unsubscribe, Return-Path, X-Autoreply,
	// X-Autorespond, X-Auto-Response-Suppress, Content-Type, Sender, …
	Header map[string][]string
}

// LanguageOther is a Verdict's language when the rules read none of the
// writer's words as a language they know.
const LanguageOther = "other"

// Verdict is what triage decides about a message. It holds no words of
// the message: only rule ids and categories, so it may be stored in the
// clear.
type Verdict struct {
	Priority   Priority   `json:"priority"`
	Categories []Category `json:"categories"`
	Flags      []Flag     `json:"flags,omitempty"`
	// Reasons says why FlagDoNotReply is set, in a fixed order; empty
	// without the flag.
	Reasons  []Reason `json:"reasons,omitempty"`
	Language string   `json:"language"` // "hu", "en", "uk", "ru", "ro", "de" or LanguageOther
	// Rules lists the ids of the rules that matched, header rules
	// ("header-auto-submitted" …) first, then in the order of the rules
	// file; negation words are left out. Quoted mail counts too.
	Rules          []string `json:"rules,omitempty"`
	RuleSetVersion string   `json:"rule_set_version"`
	// Raised is set when a learned second opinion (package secondopinion)
	// raised the rules' priority; nil when the rules' priority stands.
	Raised *Raised `json:"raised,omitempty"`
}

// Raised says that a learned second opinion raised a verdict's priority:
// from what the rules gave, by which model version, and with what
// probability that the message is as urgent as it now stands.
type Raised struct {
	From        Priority `json:"from"`
	Model       int      `json:"model"`
	Probability float64  `json:"probability"`
}

// SecondOpinion says in words why a second opinion raised the verdict,
// "" when none did: "second opinion: reads like the P1 messages
// operators have seen, 0.93 (model 3; the rules gave P2)". Model 0 is
// the embedded starting model, applied offline (okit triage explain).
func (v Verdict) SecondOpinion() string {
	r := v.Raised
	if r == nil {
		return ""
	}
	like := "P1"
	if v.Priority == P2 {
		like = "P1 or P2"
	}
	model := fmt.Sprintf("model %d", r.Model)
	if r.Model == 0 {
		model = "the starting model"
	}
	return fmt.Sprintf("second opinion: reads like the %s messages operators have seen, %.2f (%s; the rules gave %s)",
		like, r.Probability, model, r.From)
}

// Has reports whether the verdict carries flag f.
func (v Verdict) Has(f Flag) bool {
	for _, g := range v.Flags {
		if g == f {
			return true
		}
	}
	return false
}

// String gives a one-line summary such as
// "P1 partner_violence flags=do_not_reply lang=hu".
func (v Verdict) String() string {
	var b strings.Builder
	b.WriteString(v.Priority.String())
	for i, c := range v.Categories {
		if i == 0 {
			b.WriteByte(' ')
		} else {
			b.WriteByte(',')
		}
		b.WriteString(string(c))
	}
	if len(v.Flags) > 0 {
		b.WriteString(" flags=")
		for i, f := range v.Flags {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(string(f))
		}
	}
	b.WriteString(" lang=")
	b.WriteString(v.Language)
	return b.String()
}

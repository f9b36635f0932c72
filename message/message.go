package message

import "time"

// Address is a mailbox name and address as written in a header, decoded.
type Address struct {
	Name string // display name, RFC 2047 decoded; may be empty
	Addr string // addr-spec as written (local@domain); may be empty for a null sender
}

// Attachment describes one attached (or non-text inline) part. The bytes
// stay in the sealed raw message; intake only lists them.
type Attachment struct {
	Filename    string // RFC 2231 / RFC 2047 decoded; empty when the part names none
	ContentType string // media type, lower case, without parameters
	Size        int64  // decoded size in bytes
}

// ParseStatus says how far parsing got.
type ParseStatus string

const (
	ParseOK      ParseStatus = "ok"      // every part decoded
	ParsePartial ParseStatus = "partial" // readable, but some part or header could not be decoded
	ParseFailed  ParseStatus = "failed"  // not readable as a message; only the raw bytes are kept
)

// Message is a parsed incoming mail. It holds plaintext and lives only in
// memory: intake seals what it stores.
type Message struct {
	MessageID  string   // without angle brackets; empty when absent
	InReplyTo  []string // message ids without angle brackets
	References []string // message ids without angle brackets, oldest first
	From       Address
	ReplyTo    []Address
	To         []Address
	Subject    string    // decoded
	Date       time.Time // the Date header; zero when absent or unparsable
	// Header holds the raw (undecoded) values of the header fields that
	// triage reads to recognise automated mail, keyed by canonical name
	// (textproto.CanonicalMIMEHeaderKey): Auto-Submitted, Precedence,
	// List-Id, List-Unsubscribe, Return-Path, X-Autoreply,
	// X-Auto-Response-Suppress, Content-Type (top level) and the like.
	Header map[string][]string
	// Text is the writer's message as readable text: the text/plain body,
	// or the text/html body turned into text when there is no plain one.
	Text        string
	FromHTML    bool // Text was made from HTML
	Attachments []Attachment
	// Returned is, in a delivery report (a bounce), the Message-ID of
	// the message that came back, read from the returned message or its
	// headers; empty otherwise.
	Returned string
	Status   ParseStatus
	// Unreadable says, when the writer's text could not be read whole,
	// why, in words that carry no content; it is empty when the text was
	// read whole. Intake raises such a message to at least P2 with the
	// flag unreadable. A repair that still reads the text in full (a
	// charset guessed, say) is only a Problem.
	Unreadable string
	// Problems says, in English for the log and the operator, what could
	// not be decoded (an unknown charset, a broken part). Never contains
	// message content.
	Problems []string
}

// ReplyAddr is the address of the first Reply-To, or "" without one.
// Triage reads it: a writer who names an address of their own to answer
// is not flagged for writing from someone else's device.
func (m *Message) ReplyAddr() string {
	if len(m.ReplyTo) == 0 {
		return ""
	}
	return m.ReplyTo[0].Addr
}

package message

import (
	"bufio"
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message/mail"
)

// Limits that keep one hostile or huge message to a few MiB of memory and
// bounded work. The raw message is stored whole whatever happens here.
const (
	maxText      = 1 << 20     // bytes of Message.Text
	maxHeldText  = 4 * maxText // text held while alternatives are compared
	maxHeader    = 1 << 20     // bytes of one header block
	maxParts     = 500         // MIME parts looked at
	maxDepth     = 20          // nesting of multiparts and attached messages
	maxHTMLToken = 4 << 20     // one HTML token (a data: URI, say) the tokenizer may buffer
	maxProblems  = 30          // problem lines kept, so a broken message cannot flood the log
)

// triageHeaders are the header fields copied raw into Message.Header: the
// ones that tell automated mail (RFC 3834, mailing lists, bounces) from a
// person writing, and the receiving server's verdicts on the sender and
// on spam (intake reads them). Everything else stays in the sealed raw
// message. Names are canonical (textproto.CanonicalMIMEHeaderKey): they
// are Header's keys.
var triageHeaders = []string{
	"Authentication-Results",
	"Auto-Submitted",
	"Content-Type",
	"Feedback-Id",
	"List-Id",
	"List-Post",
	"List-Unsubscribe",
	"Precedence",
	"Return-Path",
	"Sender",
	"X-Auto-Response-Suppress",
	"X-Autoreply",
	"X-Autorespond",
	"X-Forefront-Antispam-Report",
	"X-Loop",
	"X-Mailer",
	"X-Ms-Exchange-Organization-Scl",
	"X-Rspamd-Action",
	"X-Spam",
	"X-Spam-Flag",
	"X-Spam-Status",
	"X-Spamd-Result",
}

// Parse reads a raw RFC 5322 message. It never fails outright: a message
// it cannot read at all comes back with Status ParseFailed, one it reads
// only in part with ParsePartial, and Problems says why in words that
// contain no message content. Parse does not keep attachment bytes, so a
// large message costs little more memory than its raw bytes.
//
// Text is the writer's own text: text/plain parts where there are any,
// otherwise text/html turned into plain text (FromHTML), several inline
// parts joined by blank lines, and the text of an attached message
// (message/rfc822, not a bounced one in a delivery report) after a line
// "---------- Attached message ----------" with its From, Date and Subject.
func Parse(raw []byte) (m *Message) {
	p := &parser{keep: -1}
	defer func() {
		// A bug in a decoder must cost one message its text, never the
		// intake process: the raw bytes are stored regardless.
		if r := recover(); r != nil {
			p.problem("internal error while parsing; only the raw message is kept")
			m = &Message{Status: ParseFailed, Problems: p.problems}
		}
	}()
	return p.parse(raw)
}

// parser holds the state of one Parse call.
type parser struct {
	problems    []string
	dropped     int // problems not kept beyond maxProblems
	attachments []Attachment
	parts       int           // parts looked at, for maxParts
	held        int           // bytes of text held, for maxHeldText
	truncated   bool          // some text was cut at maxText
	returned    string        // the Message-ID a delivery report returns
	cut         bool          // the input ended inside a part
	rootBody    []byte        // the top-level body, re-read as text when a multipart has no parts
	keep        int           // the attachment whose bytes AttachmentData wants; -1 for none
	kept        *bytes.Buffer // its decoded bytes
	skipText    bool          // inside an alternative that will not be kept: text parts are not read
}

// AttachmentData returns the nth attachment of a raw message (counted as
// in Message.Attachments) with its decoded bytes, for an operator who
// downloads it. ok is false when the message has no such attachment.
func AttachmentData(raw []byte, n int) (att Attachment, data []byte, ok bool) {
	if n < 0 {
		return att, nil, false
	}
	p := &parser{keep: n}
	m := func() (m *Message) {
		defer func() {
			if recover() != nil {
				m = &Message{}
			}
		}()
		return p.parse(raw)
	}()
	if n >= len(m.Attachments) || p.kept == nil {
		return att, nil, false
	}
	return m.Attachments[n], p.kept.Bytes(), true
}

// segment is the text of one inline part.
type segment struct {
	text string
	html bool
}

func (p *parser) parse(raw []byte) *Message {
	m := &Message{}
	rd := bytes.NewReader(raw)
	br := bufio.NewReader(rd)
	h, ok := p.readHeader(br, "")
	if !ok {
		if len(bytes.TrimSpace(raw)) == 0 {
			p.problem("empty message")
		} else {
			p.problem("no header found: not a mail message")
		}
		m.Status, m.Problems = ParseFailed, p.problems
		return m
	}
	p.headers(m, h)

	p.rootBody = raw[len(raw)-rd.Len()-br.Buffered():]
	segs := p.walk(h, br, part{})
	m.Text, m.FromHTML = p.join(segs)
	m.Attachments = p.attachments
	m.Returned = p.returned

	if p.dropped > 0 {
		p.problems = append(p.problems, fmt.Sprintf("%d more problems not listed", p.dropped))
	}
	m.Problems = p.problems
	m.Status = ParseOK
	if len(m.Problems) > 0 {
		m.Status = ParsePartial
	}
	return m
}

// headers fills in the header fields of m.
func (p *parser) headers(m *Message, h mail.Header) {
	m.MessageID = messageID(&h)
	m.InReplyTo = msgIDList(&h, "In-Reply-To")
	m.References = msgIDList(&h, "References")
	if from := p.addressList(&h, "From", ""); len(from) > 0 {
		m.From = from[0]
	}
	m.ReplyTo = p.addressList(&h, "Reply-To", "")
	m.To = p.addressList(&h, "To", "")
	m.Subject = p.headerText(&h, "Subject", "")
	m.Date = p.date(&h, "")
	for _, k := range triageHeaders {
		if vs := h.Values(k); len(vs) > 0 {
			if m.Header == nil {
				m.Header = make(map[string][]string)
			}
			m.Header[k] = vs
		}
	}
}

// join makes Message.Text of the chosen segments, cut at maxText.
func (p *parser) join(segs []segment) (text string, fromHTML bool) {
	var b strings.Builder
	for _, s := range segs {
		t := strings.TrimSpace(s.text)
		if t == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(t)
		fromHTML = fromHTML || s.html
	}
	text = b.String()
	if len(text) > maxText {
		text = cutUTF8(text, maxText)
		p.truncated = true
	}
	if p.truncated {
		p.problem("text truncated at %d MiB", maxText>>20)
	}
	return text, fromHTML
}

// cutUTF8 returns at most n bytes of s, not splitting a character.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// problem records what could not be read. Callers pass only part numbers,
// header names, charset labels and counts: never message content, since
// problems are logged.
func (p *parser) problem(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	switch {
	case slices.Contains(p.problems, s):
		// A sticky decoder error can be met twice, by a part and by the
		// attached message around it.
	case len(p.problems) >= maxProblems:
		p.dropped++
	default:
		p.problems = append(p.problems, s)
	}
}

// label makes a charset or encoding name from a message safe to log: short
// and without anything but name characters.
func label(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf && (r == '-' || r == '_' || r == '.' || r == ':' ||
			'0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
			return r
		}
		return '?'
	}, s)
	return cutUTF8(s, 40)
}

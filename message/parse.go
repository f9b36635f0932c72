package message

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Limits that keep one hostile or huge message to a few MiB of memory and
// bounded work. The raw message is stored whole whatever happens here; a
// limit that costs the writer's text makes the message Unreadable.
const (
	maxText      = 1 << 20     // bytes of Message.Text
	maxHeldText  = 4 * maxText // text held while alternatives are compared
	maxHeader    = 1 << 20     // bytes of one header block
	maxParts     = 500         // attachments listed; text is read from every part
	maxDepth     = 20          // nesting of multiparts and attached messages
	maxHTMLToken = 4 << 20     // one HTML token the tokenizer may buffer; htmlGuard keeps them far smaller
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
// contain no message content; Unreadable says why when the writer's text
// could not be read whole. Parse does not keep attachment bytes, so a
// large message costs little more memory than its raw bytes.
//
// Text is the writer's own text: text/plain and text/html parts shown
// inline (with a file name or not), of an alternative the plain one,
// several parts joined by blank lines, and the text of an attached
// message (message/rfc822 or message/news, not a bounced one in a
// delivery report) after a line "---------- Attached message ----------"
// with its From, Date and Subject. With no such text, the first text
// part sent as an attachment is read instead, if it is at most 1 MiB.
func Parse(raw []byte) (m *Message) {
	p := &parser{keep: -1}
	defer func() {
		// A bug in a decoder must cost one message its text, never the
		// intake process: the raw bytes are stored regardless.
		if r := recover(); r != nil {
			const internal = "internal error while parsing; only the raw message is kept"
			p.problem(internal)
			m = &Message{Status: ParseFailed, Problems: p.problems, Unreadable: internal}
		}
	}()
	return p.parse(raw)
}

// parser holds the state of one Parse call.
type parser struct {
	problems    []string
	dropped     int    // problems not kept beyond maxProblems
	unreadable  string // the first reason the text could not be read whole
	attachments []Attachment
	unlisted    int  // attachments past maxParts
	parts       int  // parts looked at
	held        int  // bytes of text held, for maxHeldText
	truncated   bool // some text was cut at a limit
	returned    string
	keep        int       // the attachment whose bytes AttachmentData wants; -1 for none
	kept        []byte    // its decoded bytes
	skipText    bool      // inside an alternative that will not be kept: text parts are not read
	fallback    *textPart // the first text attachment, read if no other text is found
	bigText     bool      // a text attachment over maxText was not kept as the fallback
	field       string    // the header field being read, for problems of its encoded words
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
	return m.Attachments[n], p.kept, true
}

// segment is the text of one inline part.
type segment struct {
	text string
	html bool
}

func (p *parser) parse(raw []byte) *Message {
	m := &Message{}
	raw = p.lineEnds(raw)
	raw = p.skipBlankLines(raw)
	h, body, ok := p.readHeader(raw, "")
	var segs []segment
	if ok {
		p.headers(m, h)
		segs = p.walk(h, body, part{atEOF: true})
	} else if !p.headerless(raw) {
		m.Status, m.Problems, m.Unreadable = ParseFailed, p.problems, p.unreadable
		return m
	} else {
		segs = p.text("text/plain", nil, raw, transferIdentity, "1")
	}
	m.Text, m.FromHTML = p.join(segs)
	p.readFallback(m)
	m.Attachments = p.attachments
	m.Returned = p.returned
	if p.unlisted > 0 {
		p.problem("more than %d attachments; %d more not listed", maxParts, p.unlisted)
	}
	if p.truncated {
		p.lose("text cut at a limit (%d MiB of text)", maxText>>20)
	}
	if p.dropped > 0 {
		p.problems = append(p.problems, fmt.Sprintf("%d more problems not listed", p.dropped))
	}
	m.Problems, m.Unreadable = p.problems, p.unreadable
	m.Status = ParseOK
	if len(m.Problems) > 0 {
		m.Status = ParsePartial
	}
	return m
}

// lineEnds makes a message written with bare CR line ends (classic Mac
// OS, some scripts) one of LF line ends, which the rest reads. Only
// such a message is copied; a stray CR elsewhere is left to the text.
func (p *parser) lineEnds(raw []byte) []byte {
	i := bytes.IndexAny(raw, "\r\n")
	if i < 0 || raw[i] != '\r' || i+1 < len(raw) && raw[i+1] == '\n' || looksBinary(raw) {
		return raw
	}
	p.problem("line ends are bare CR; read as line breaks")
	out := make([]byte, len(raw))
	for i, c := range raw {
		if c == '\r' && (i+1 == len(raw) || raw[i+1] != '\n') {
			c = '\n'
		}
		out[i] = c
	}
	return out
}

// skipBlankLines drops blank or white-space lines before the header,
// which some mailers and gateways put there.
func (p *parser) skipBlankLines(raw []byte) []byte {
	n := 0
	for len(raw) > 0 {
		line := firstLineWithEnd(raw)
		if len(bytes.TrimSpace(line)) > 0 || line[len(line)-1] != '\n' {
			break
		}
		raw, n = raw[len(line):], n+1
	}
	if n > 0 {
		p.problem("message starts with %s; skipped", describe(n, "blank line"))
	}
	return raw
}

// headerless decides what a message without a header is: text a writer
// sent with no header at all, read as such (true), or not mail (false).
func (p *parser) headerless(raw []byte) bool {
	switch {
	case len(bytes.TrimSpace(raw)) == 0:
		p.lose("empty message")
		return false
	case looksBinary(raw):
		p.lose("no header found: not a mail message")
		return false
	}
	p.problem("no header found; the whole message read as text")
	return true
}

// looksBinary reports whether the start of b has control characters that
// text does not: a file, not a message.
func looksBinary(b []byte) bool {
	b = b[:min(len(b), 4096)]
	n := 0
	for _, c := range b {
		if c < ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b || c == 0x7f {
			n++
		}
	}
	return n*50 > len(b)
}

// readFallback reads the first text attachment when no other text was
// found, and says when the text that exists could not be read.
func (p *parser) readFallback(m *Message) {
	if strings.TrimSpace(m.Text) != "" {
		return
	}
	if f := p.fallback; f != nil {
		p.problem("no text shown inline; the text attachment in part %s read as the text", f.name)
		m.Text, m.FromHTML = p.join(p.text(f.typ, f.params, f.body, f.kind, f.name))
		return
	}
	if p.bigText {
		p.lose("no text shown inline, and the text attachment is over %d MiB; not read", maxText>>20)
	}
}

// headers fills in the header fields of m.
func (p *parser) headers(m *Message, h header) {
	m.MessageID = messageID(h)
	m.InReplyTo = lenientIDs(h.get("In-Reply-To"))
	m.References = lenientIDs(h.get("References"))
	if from := p.addressList(h, "From", ""); len(from) > 0 {
		m.From = from[0]
	}
	m.ReplyTo = p.addressList(h, "Reply-To", "")
	m.To = p.addressList(h, "To", "")
	m.Subject = p.headerText(h, "Subject", "")
	m.Date = p.date(h, "")
	for _, k := range triageHeaders {
		if vs := h.values(k); len(vs) > 0 {
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

// lose records a problem that cost the writer's text, and makes the
// message Unreadable for the first such reason.
func (p *parser) lose(format string, args ...any) {
	p.problem(format, args...)
	if p.unreadable == "" {
		p.unreadable = fmt.Sprintf(format, args...)
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

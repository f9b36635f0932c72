package message

import (
	"bufio"
	"bytes"
	"io"
	"mime"
	netmail "net/mail"
	nettextproto "net/textproto"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
)

// maxField bounds one header field: a longer one is cut there.
const maxField = 64 << 10

// readHeader reads the header block at the start of b and returns it and
// the body after it. It is more forgiving than textproto.ReadHeader, which
// it uses for the fields: a line that is not a header field ends the
// header and starts the body (some mailers forget the blank line), where
// textproto would fail and lose the line; a field over maxField is cut
// there, and past maxHeader only the fields okit reads are kept, so one
// huge field cannot push Content-Type out. ok is false when b does not
// start with a header: no field any mailer writes ("Szia: segíts" is a
// writer's first line, not a field). where prefixes problems ("" for the
// message itself).
func (p *parser) readHeader(b []byte, where string) (h mail.Header, body []byte, ok bool) {
	start := 0
	if line := firstLineWithEnd(b); bytes.HasPrefix(line, []byte("From ")) && !isFieldLine(line) {
		start = len(line) // an mbox separator, not a field
	}
	var fields [][]byte // each with its continuation lines, slices of b
	known, blank := false, false
	i := start
	for i < len(b) {
		line := firstLineWithEnd(b[i:])
		content := bytes.TrimRight(line, "\r\n")
		if len(content) == 0 {
			blank = true
			i += len(line)
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(fields) == 0 {
				return mail.Header{}, nil, false
			}
			f := &fields[len(fields)-1]
			*f = (*f)[:len(*f)+len(line)] // the next bytes of b
		} else if isFieldLine(content) {
			fields = append(fields, line)
			known = known || knownField(content)
		} else {
			break // the body begins without a blank line
		}
		i += len(line)
	}
	if !known {
		return mail.Header{}, nil, false
	}
	if !blank && i < len(b) {
		p.problem("%sheader ends without a blank line", where)
	}
	return p.finishHeader(fields, where), b[i:], true
}

// firstLineWithEnd returns b's first line with its line end.
func firstLineWithEnd(b []byte) []byte {
	if k := bytes.IndexByte(b, '\n'); k >= 0 {
		return b[:k+1]
	}
	return b
}

// knownField reports whether a field line names a field mailers write,
// which tells a header from a first line of text that has a colon.
func knownField(line []byte) bool {
	name, _, _ := bytes.Cut(line, []byte(":"))
	n := strings.ToLower(strings.TrimSpace(string(name)))
	switch {
	case strings.HasPrefix(n, "x-"), strings.HasPrefix(n, "content-"), strings.HasPrefix(n, "list-"),
		strings.HasPrefix(n, "resent-"), strings.HasPrefix(n, "arc-"):
		return true
	}
	switch n {
	case "from", "to", "cc", "bcc", "subject", "date", "message-id", "received", "return-path", "reply-to",
		"sender", "mime-version", "in-reply-to", "references", "delivered-to", "dkim-signature",
		"authentication-results", "thread-topic", "thread-index", "user-agent", "importance", "priority",
		"organization", "comments", "keywords", "precedence", "auto-submitted", "newsgroups", "path":
		return true
	}
	return false
}

// finishHeader parses the fields. Each is cut at maxField; past
// maxHeader in all, only the fields okit reads are kept.
func (p *parser) finishHeader(fields [][]byte, where string) mail.Header {
	var buf bytes.Buffer
	total := 0
	for _, f := range fields {
		total += len(f)
	}
	if total > maxHeader {
		p.problem("%sheader longer than %d MiB; only the fields okit reads kept", where, maxHeader>>20)
	}
	for _, f := range fields {
		if total > maxHeader && !readField(f) {
			continue
		}
		if len(f) > maxField {
			name, _, _ := bytes.Cut(f, []byte(":"))
			p.problem("%sheader field %s longer than %d KiB; cut there", where, label(string(name)), maxField>>10)
			f = bytes.TrimRight(f[:maxField], "\r\n")
		}
		buf.Write(f)
		if !bytes.HasSuffix(f, []byte("\n")) {
			buf.WriteString("\r\n")
		}
	}
	buf.WriteString("\r\n")
	// The whole header is in buf: a bufio.Reader of its size suffices,
	// and ReadHeader joins lines longer than that.
	h, err := textproto.ReadHeader(bufio.NewReaderSize(&buf, min(buf.Len(), 4096)))
	if err != nil {
		// Lines were checked above, so this is a corner the check missed;
		// the fields read so far are kept.
		p.problem("%sheader partly unreadable", where)
	}
	return mail.Header{Header: message.Header{Header: h}}
}

// readField reports whether a field is one okit reads.
func readField(f []byte) bool {
	name, _, _ := bytes.Cut(f, []byte(":"))
	n := nettextproto.CanonicalMIMEHeaderKey(strings.TrimSpace(string(name)))
	switch n {
	case "Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "From", "To", "Reply-To",
		"Subject", "Date", "Message-Id", "In-Reply-To", "References":
		return true
	}
	return slices.Contains(triageHeaders, n)
}

// isFieldLine reports whether line starts with a field name and a colon.
func isFieldLine(line []byte) bool {
	i := bytes.IndexByte(line, ':')
	if i <= 0 {
		return false
	}
	name := bytes.TrimRight(line[:i], " \t") // "Subject :" occurs in the wild
	if len(name) == 0 {
		return false
	}
	for _, c := range name {
		if c < 33 || c > 126 {
			return false
		}
	}
	return true
}

// headerText decodes an unstructured field such as Subject.
func (p *parser) headerText(h *mail.Header, key, where string) string {
	return p.words(h.Get(key), where+key)
}

// words decodes the encoded words of a header value, saying in problems
// what was guessed or kept as written, and cleans it.
func (p *parser) words(v, what string) string {
	s, notes, malformed := decodeWords(v)
	for _, n := range notes {
		p.problem("%s: %s", what, n)
	}
	if malformed {
		p.problem("%s: malformed encoded word; kept as written", what)
	}
	return p.cleanHeader(s, what)
}

// cleanHeader makes a decoded header value valid UTF-8 without control
// characters. Raw 8-bit values that are not UTF-8 are read as a mailer
// that does not say would have written them: windows-1250, as a rule.
func (p *parser) cleanHeader(s, what string) string {
	if !utf8.ValidString(s) {
		d := decodingFor([]byte(s), "")
		s = d.text([]byte(s))
		p.problem("%s: %s", what, d.note)
	}
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r >= 0x80 && r <= 0x9f {
			return ' '
		}
		return r
	}, s)
}

// addressParser reads address lists with encoded words in any charset
// decodingFor reads, saying in problems what it guessed.
func (p *parser) addressParser() *netmail.AddressParser {
	return &netmail.AddressParser{WordDecoder: &mime.WordDecoder{
		CharsetReader: func(label string, r io.Reader) (io.Reader, error) {
			b, err := io.ReadAll(r)
			d := decodingFor(b, label)
			if d.note != "" {
				p.problem("%s: %s", p.field, d.note)
			}
			return strings.NewReader(d.text(b)), err
		},
	}}
}

// addressList parses an address field, falling back to a lenient reading
// so that a broken From still shows who wrote.
func (p *parser) addressList(h *mail.Header, key, where string) []Address {
	v := strings.TrimSpace(h.Get(key))
	if v == "" {
		return nil
	}
	if v == "<>" {
		return []Address{{}} // the null sender of bounces
	}
	p.field = where + key
	list, err := p.addressParser().ParseList(v)
	if err != nil {
		p.problem("%s%s: not a valid address list; read leniently", where, key)
		if key == "From" || key == "Sender" {
			return []Address{p.lenientAddress(v, where+key)}
		}
		var out []Address
		for _, s := range splitAddresses(v) {
			out = append(out, p.lenientAddress(s, where+key))
		}
		return out
	}
	out := make([]Address, 0, len(list))
	for _, a := range list {
		// net/mail leaves encoded words inside quotes, where mailers
		// put them against the RFC, and malformed ones as written.
		out = append(out, Address{Name: p.words(a.Name, where+key), Addr: a.Address})
	}
	return out
}

// lenientAddress reads a broken address: the address in angle brackets, or
// the first word with an @, and the whole text as the name, decoded where
// it has encoded words.
func (p *parser) lenientAddress(s, what string) Address {
	var a Address
	name := s
	if i := strings.LastIndexByte(s, '<'); i >= 0 {
		if j := strings.IndexByte(s[i:], '>'); j > 0 && strings.Contains(s[i:i+j], "@") {
			a.Addr = strings.TrimSpace(s[i+1 : i+j])
			name = s[:i] + s[i+j+1:]
		}
	}
	if a.Addr == "" {
		for _, w := range strings.Fields(s) {
			if w = strings.Trim(w, `<>()"',;`); strings.Contains(w, "@") {
				a.Addr = w
				break
			}
		}
	}
	a.Name = strings.Trim(strings.TrimSpace(p.words(name, what)), `"`)
	return a
}

// splitAddresses splits a list at commas outside quotes and angle
// brackets, joining pieces without an @ to the next ("Nagy, Eva <e@x>").
func splitAddresses(v string) []string {
	var pieces []string
	quoted, angle, start := false, false, 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '"':
			quoted = !quoted
		case c == '<' && !quoted:
			angle = true
		case c == '>' && !quoted:
			angle = false
		case c == ',' && !quoted && !angle:
			pieces = append(pieces, v[start:i])
			start = i + 1
		}
	}
	pieces = append(pieces, v[start:])

	var out, pending []string
	for _, pc := range pieces {
		if pc = strings.TrimSpace(pc); pc == "" {
			continue
		}
		pending = append(pending, pc)
		if strings.Contains(pc, "@") {
			out = append(out, strings.Join(pending, ", "))
			pending = pending[:0]
		}
	}
	if len(pending) > 0 {
		out = append(out, strings.Join(pending, ", "))
	}
	return out
}

// messageID returns the Message-ID without angle brackets, leniently.
func messageID(h *mail.Header) string {
	v := h.Get("Message-Id")
	// go-message reads a comment in quadratic time: a hostile
	// "(aaaa..." would stall intake. Comments go the lenient way.
	if !strings.Contains(v, "(") {
		if id, err := h.MessageID(); err == nil {
			return id
		}
	}
	if ids := lenientIDs(v); len(ids) > 0 {
		return ids[0]
	}
	return ""
}

// msgIDList returns In-Reply-To or References without angle brackets,
// leniently.
func msgIDList(h *mail.Header, key string) []string {
	v := h.Get(key)
	if !strings.Contains(v, "(") { // see messageID
		if ids, err := h.MsgIDList(key); err == nil {
			return ids
		}
	}
	return lenientIDs(v)
}

var bracketed = regexp.MustCompile(`<([^<>\s]+)>`)

// lenientIDs finds message ids in a value that is not a clean list: every
// <...>, or failing that every word.
func lenientIDs(v string) []string {
	var ids []string
	for _, m := range bracketed.FindAllStringSubmatch(v, -1) {
		ids = append(ids, m[1])
	}
	if len(ids) > 0 {
		return ids
	}
	for _, w := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if w = strings.Trim(w, "<>"); w != "" {
			ids = append(ids, w)
		}
	}
	return ids
}
